"""Multi-step weather-style forecasting with a stacked LSTM/GRU and gradient-norm clipping."""
import numpy as np
import keras
from keras import layers

PAST = 120  # time steps of history per sample
HORIZON = 24  # steps to forecast
NUM_FEATURES = 7
BATCH_SIZE = 64


def make_series(length=5000, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(length, dtype="float32")
    columns = [np.sin(2 * np.pi * t / period) for period in (24, 168, 720, 12, 48, 96, 336)]
    series = np.stack(columns, axis=-1) + 0.1 * rng.standard_normal((length, NUM_FEATURES))
    mean, std = series.mean(axis=0), series.std(axis=0)
    return ((series - mean) / std).astype("float32")


def make_dataset(series):
    windows = np.lib.stride_tricks.sliding_window_view(series, PAST + HORIZON, axis=0)
    windows = np.transpose(windows, (0, 2, 1))
    inputs = windows[:, :PAST, :]
    targets = windows[:, PAST:, 0]  # forecast the first feature
    return inputs, targets


def build_model():
    inputs = keras.Input(shape=(PAST, NUM_FEATURES))
    x = layers.LSTM(64, return_sequences=True)(inputs)
    x = layers.GRU(32)(x)
    x = layers.Dense(16, activation="relu")(x)
    outputs = layers.Dense(HORIZON)(x)
    return keras.Model(inputs, outputs, name="forecaster")


series = make_series()
split = int(0.8 * len(series))
x_train, y_train = make_dataset(series[:split])
x_val, y_val = make_dataset(series[split:])

model = build_model()
# Plain momentum SGD on a recurrent stack: clip the global gradient norm.
optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, clipnorm=1.0)
model.compile(
    optimizer=optimizer,
    loss="mse",
    metrics=["mae"],
)
model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=10,
    validation_data=(x_val, y_val),
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)],
)
