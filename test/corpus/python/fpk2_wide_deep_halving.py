"""Census-income style wide-and-deep classifier: three keras.Input()s (numeric, categorical id, crossed
one-hot), embeddings, a deep tower built with model.add in a loop whose width halves, and a Concatenate."""
import numpy as np
import keras
from keras import layers

NUM_NUMERIC = 6
NUM_OCCUPATIONS = 40
OCCUPATION_DIM = 8
NUM_CROSSED = 100
DEEP_START_UNITS = 256
DEEP_LAYERS = 3


def build_deep_tower(input_dim):
    tower = keras.Sequential(name="deep_tower")
    tower.add(keras.Input(shape=(input_dim,)))
    units = DEEP_START_UNITS
    for _ in range(DEEP_LAYERS):
        tower.add(layers.Dense(units, activation="relu"))
        tower.add(layers.BatchNormalization())
        tower.add(layers.Dropout(0.2))
        units //= 2
    return tower


def build_model():
    numeric = keras.Input(shape=(NUM_NUMERIC,), name="numeric")
    occupation = keras.Input(shape=(1,), dtype="int32", name="occupation")
    crossed = keras.Input(shape=(NUM_CROSSED,), name="crossed")

    occ = layers.Embedding(NUM_OCCUPATIONS, OCCUPATION_DIM)(occupation)
    occ = layers.Flatten()(occ)

    deep_in = layers.Concatenate(name="deep_features")([numeric, occ])
    deep = build_deep_tower(NUM_NUMERIC + OCCUPATION_DIM)(deep_in)

    wide_and_deep = layers.Concatenate(name="wide_and_deep")([crossed, deep])
    output = layers.Dense(1, activation="sigmoid", name="income_over_50k")(wide_and_deep)
    return keras.Model(inputs=[numeric, occupation, crossed], outputs=output, name="wide_deep")


def make_dataset(n, seed=0):
    rng = np.random.default_rng(seed)
    numeric = rng.standard_normal((n, NUM_NUMERIC)).astype("float32")
    occupation = rng.integers(0, NUM_OCCUPATIONS, size=(n, 1)).astype("int32")
    crossed_ids = rng.integers(0, NUM_CROSSED, size=(n,))
    crossed = np.eye(NUM_CROSSED, dtype="float32")[crossed_ids]
    logits = numeric[:, 0] - 0.5 * numeric[:, 1] + (occupation[:, 0] % 3 == 0)
    labels = (logits + 0.3 * rng.standard_normal(n) > 0.5).astype("float32")
    return (numeric, occupation, crossed), labels


if __name__ == "__main__":
    (numeric, occupation, crossed), labels = make_dataset(4096)
    model = build_model()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=[keras.metrics.AUC(name="auc"), "accuracy"],
    )
    model.fit(
        [numeric, occupation, crossed],
        labels,
        batch_size=256,
        epochs=10,
        validation_split=0.2,
        callbacks=[keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=3)],
    )
