import keras
from keras import layers

past = 720
step = 6
sequence_length = past // step
num_features = 7
batch_size = 256


def build_forecaster(cell="lstm", units=32):
    inputs = keras.Input(shape=(sequence_length, num_features))
    if cell == "lstm":
        x = layers.LSTM(units, return_sequences=True)(inputs)
        x = layers.LSTM(units // 2)(x)
    else:
        x = layers.GRU(units, return_sequences=True)(inputs)
        x = layers.GRU(units // 2)(x)
    x = layers.Dense(16, activation="relu")(x)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs=inputs, outputs=outputs, name=f"{cell}_forecaster")


model = build_forecaster()
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0),
    loss="mse",
    metrics=["mae"],
)
es_callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)

gru_model = keras.Sequential([
    keras.Input(shape=(sequence_length, num_features)),
    layers.Bidirectional(layers.GRU(64, return_sequences=True)),
    layers.GRU(32, dropout=0.1, recurrent_dropout=0.1),
    layers.Dense(1),
])
gru_model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=1e-3, clipvalue=0.5),
    loss=keras.losses.Huber(),
    metrics=[keras.metrics.MeanAbsoluteError()],
)
