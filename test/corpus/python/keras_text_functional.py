"""A Keras functional-API text classifier in the style of the keras.io examples."""
import keras
from keras import layers

max_features = 20000
embedding_dim = 128
sequence_length = 500


def build_model():
    inputs = keras.Input(shape=(None,), dtype="int64")
    x = layers.Embedding(max_features, embedding_dim)(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
    model = keras.Model(inputs, predictions)
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def main(train_ds, val_ds, test_ds, epochs=3):
    model = build_model()
    model.summary()
    model.fit(train_ds, validation_data=val_ds, epochs=epochs)
    loss, accuracy = model.evaluate(test_ds)
    print(f"test loss {loss:.3f}, accuracy {accuracy:.3f}")
