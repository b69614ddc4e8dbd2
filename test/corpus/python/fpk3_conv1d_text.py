import keras
from keras import layers

max_features = 20000
embedding_dim = 128
sequence_length = 500

inputs = keras.Input(shape=(sequence_length,), dtype="int64")
x = layers.Embedding(max_features, embedding_dim, mask_zero=False)(inputs)
x = layers.Dropout(0.5)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(128, activation="relu")(x)
x = layers.Dropout(0.5)(x)
predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)

model = keras.Model(inputs, predictions)
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

bilstm = keras.Sequential(
    [
        keras.Input(shape=(None,), dtype="int32"),
        layers.Embedding(max_features, 128),
        layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
        layers.Bidirectional(layers.LSTM(64), merge_mode="sum"),
        layers.Dense(1, activation="sigmoid"),
    ]
)
bilstm.compile(
    optimizer=keras.optimizers.Adam(clipnorm=1.0),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
