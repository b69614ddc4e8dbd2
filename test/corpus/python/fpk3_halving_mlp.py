import keras
from keras import layers


def build_regressor(num_features, units=256, num_blocks=4):
    """Tabular regressor whose hidden width halves at every block."""
    model = keras.Sequential([keras.Input(shape=(num_features,))])
    for _ in range(num_blocks):
        model.add(layers.Dense(units, use_bias=False))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation("relu"))
        units //= 2
    model.add(layers.Dense(1))
    return model


model = build_regressor(num_features=13)
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss="mse",
    metrics=[keras.metrics.MeanAbsoluteError()],
)
model.summary()
