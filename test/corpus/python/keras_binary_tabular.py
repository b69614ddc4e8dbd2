"""Binary classification of tabular data: a Normalization layer, a small ReLU MLP and a sigmoid output."""
import numpy as np
import keras
from keras import layers

NUM_FEATURES = 20

rng = np.random.default_rng(11)
x_all = rng.standard_normal((3000, NUM_FEATURES)).astype("float32")
weights = rng.standard_normal((NUM_FEATURES,))
y_all = (x_all @ weights + 0.5 * rng.standard_normal(3000) > 1.0).astype("float32")
x_train, x_val = x_all[:2400], x_all[2400:]
y_train, y_val = y_all[:2400], y_all[2400:]

normalizer = layers.Normalization(axis=-1)
normalizer.adapt(x_train)

inputs = keras.Input(shape=(NUM_FEATURES,))
x = normalizer(inputs)
x = layers.Dense(64, activation="relu")(x)
x = layers.Dropout(0.3)(x)
x = layers.Dense(32, activation="relu")(x)
x = layers.Dropout(0.3)(x)
x = layers.Dense(1)(x)
outputs = layers.Activation("sigmoid", dtype="float32")(x)
model = keras.Model(inputs, outputs, name="binary_mlp")

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="binary_crossentropy",
    metrics=["accuracy", keras.metrics.AUC(name="auc")],
)

positives = y_train.sum()
class_weight = {0: 0.5 * len(y_train) / (len(y_train) - positives), 1: 0.5 * len(y_train) / positives}
model.fit(
    x_train,
    y_train,
    batch_size=64,
    epochs=20,
    validation_data=(x_val, y_val),
    class_weight=class_weight,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=4, restore_best_weights=True)],
)
