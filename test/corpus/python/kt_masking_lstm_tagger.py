"""Per-step activity tagging of variable-length sensor sequences: Masking, an LSTM and TimeDistributed Dense heads."""
import numpy as np
import keras
from keras import layers

NUM_SENSORS = 16
NUM_ACTIVITIES = 5
MAX_STEPS = 100


def make_batch(n, seed):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(20, MAX_STEPS + 1, size=n)
    x = rng.standard_normal((n, MAX_STEPS, NUM_SENSORS)).astype("float32")
    y = rng.integers(0, NUM_ACTIVITIES, size=(n, MAX_STEPS))
    padding = np.arange(MAX_STEPS)[None, :] >= lengths[:, None]
    x[padding] = 0.0  # padded steps are all-zero vectors and get masked
    sample_weight = (~padding).astype("float32")
    return x, y, sample_weight


model = keras.Sequential(
    [
        layers.Input(shape=(None, NUM_SENSORS)),
        layers.Masking(mask_value=0.0),
        layers.LSTM(64, return_sequences=True, dropout=0.1),
        layers.TimeDistributed(layers.Dense(32, activation="relu")),
        layers.Dropout(0.2),
        layers.TimeDistributed(layers.Dense(NUM_ACTIVITIES, activation="softmax")),
    ],
    name="activity_tagger",
)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0),
    loss="sparse_categorical_crossentropy",
    weighted_metrics=["accuracy"],
)

x_train, y_train, w_train = make_batch(3000, seed=0)
x_val, y_val, w_val = make_batch(500, seed=1)
model.fit(
    x_train,
    y_train,
    sample_weight=w_train,
    batch_size=32,
    epochs=15,
    validation_data=(x_val, y_val, w_val),
)
