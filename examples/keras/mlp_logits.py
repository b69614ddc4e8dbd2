# A Keras MLP that outputs raw logits but is compiled with a probability loss, with a very high dropout rate.
# Shows: DL501 (logits with from_logits=False), DL303 (dropout rate 0.9: keep-probability confusion).
from tensorflow import keras
from tensorflow.keras import layers


def build_model(n_features: int = 20, n_classes: int = 3) -> keras.Model:
    model = keras.Sequential([
        keras.Input(shape=(n_features,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.9),
        layers.Dense(64, activation="relu"),
        layers.Dense(n_classes),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
