import keras
from keras import layers
import numpy as np

NUM_FEATURES = 8


def build_model(normalizer, hidden=(64, 64), use_layernorm=True):
    model = keras.Sequential([keras.Input(shape=(NUM_FEATURES,)), normalizer])
    for units in hidden:
        model.add(layers.Dense(units, kernel_initializer="he_normal"))
        if use_layernorm:
            model.add(layers.LayerNormalization())
        model.add(layers.PReLU())
    model.add(layers.Dense(1))
    return model


x_train = np.random.rand(1000, NUM_FEATURES).astype("float32")
y_train = np.random.rand(1000, 1).astype("float32")

normalizer = layers.Normalization(axis=-1)
normalizer.adapt(x_train)

model = build_model(normalizer)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="mean_absolute_error",
)
model.fit(x_train, y_train, validation_split=0.2, epochs=100, verbose=0)
