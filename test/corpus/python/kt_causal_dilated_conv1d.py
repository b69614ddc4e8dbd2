"""Multi-step forecasting with a small TCN: causal, dilated Conv1D layers with residual additions."""
import numpy as np
import keras
from keras import layers

WINDOW = 64
NUM_FEATURES = 3
HORIZON = 6
FILTERS = 32


def make_windows(series, window=WINDOW, horizon=HORIZON):
    xs, ys = [], []
    for start in range(len(series) - window - horizon):
        xs.append(series[start : start + window])
        ys.append(series[start + window : start + window + horizon, 0])
    return np.asarray(xs, dtype="float32"), np.asarray(ys, dtype="float32")


def build_tcn():
    inputs = keras.Input(shape=(WINDOW, NUM_FEATURES))
    x = layers.Conv1D(FILTERS, 3, padding="causal", activation="relu")(inputs)
    # Receptive field: 1 + 2 * (1 + 2 + 4 + 8) = 31 steps.
    for dilation in (2, 4, 8):
        y = layers.Conv1D(FILTERS, 3, padding="causal", dilation_rate=dilation, activation="relu")(x)
        y = layers.SpatialDropout1D(0.1)(y)
        x = layers.add([x, y])
    last_step = x[:, -1, :]
    outputs = layers.Dense(HORIZON)(last_step)
    return keras.Model(inputs, outputs, name="tcn_forecaster")


t = np.arange(6000, dtype="float32")
series = np.stack([np.sin(t / 12.0), np.cos(t / 30.0), np.sin(t / 7.0) * 0.5], axis=-1)
series += 0.05 * np.random.default_rng(0).standard_normal(series.shape)
x_all, y_all = make_windows(series)
split = int(0.85 * len(x_all))

model = build_tcn()
model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="mse", metrics=["mae"])
model.fit(
    x_all[:split],
    y_all[:split],
    batch_size=128,
    epochs=30,
    validation_data=(x_all[split:], y_all[split:]),
    callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)],
)
