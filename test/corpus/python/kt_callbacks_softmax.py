"""Forest cover type (7 classes, 54 features): softmax output, SparseCategoricalCrossentropy() and training callbacks."""
import numpy as np
import keras
from keras import layers

NUM_FEATURES = 54
NUM_CLASSES = 7


def load_data(n=20000, seed=7):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, NUM_FEATURES)).astype("float32")
    projection = rng.standard_normal((NUM_FEATURES, NUM_CLASSES))
    y = np.argmax(x @ projection + 0.3 * rng.standard_normal((n, NUM_CLASSES)), axis=1)
    return x, y


x, y = load_data()
x_train, x_val = x[:16000], x[16000:]
y_train, y_val = y[:16000], y[16000:]

normalizer = layers.Normalization()
normalizer.adapt(x_train)

model = keras.Sequential(
    [
        layers.Input(shape=(NUM_FEATURES,)),
        normalizer,
        layers.Dense(256, use_bias=False),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.Dropout(0.3),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ],
    name="covertype_mlp",
)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")],
)

callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=8, restore_best_weights=True),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3, min_lr=1e-5),
    keras.callbacks.ModelCheckpoint("covertype_best.keras", monitor="val_acc", mode="max", save_best_only=True),
    keras.callbacks.CSVLogger("covertype_history.csv"),
]

history = model.fit(
    x_train,
    y_train,
    batch_size=256,
    epochs=100,
    validation_data=(x_val, y_val),
    callbacks=callbacks,
)

best = keras.models.load_model("covertype_best.keras")
probabilities = best.predict(x_val[:5])
print(probabilities.argmax(axis=1), y_val[:5])
