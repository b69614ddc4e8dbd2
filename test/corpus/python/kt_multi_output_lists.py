"""Single-object localisation: one image in, a class label and a bounding box out, with list losses and weights."""
import numpy as np
import keras
from keras import layers

IMAGE_SIZE = 64
NUM_CLASSES = 10

inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 3), name="image")
x = layers.Rescaling(1.0 / 255)(inputs)
x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(64, activation="relu")(x)
x = layers.Dropout(0.2)(x)

label = layers.Dense(NUM_CLASSES, activation="softmax", name="label")(x)
# Box as (x_min, y_min, x_max, y_max), each normalised to [0, 1].
box = layers.Dense(4, activation="sigmoid", name="box")(x)

model = keras.Model(inputs=inputs, outputs=[label, box], name="localizer")

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=[keras.losses.SparseCategoricalCrossentropy(), keras.losses.Huber(delta=0.1)],
    loss_weights=[1.0, 5.0],
    metrics=[["accuracy"], ["mae"]],
)

rng = np.random.default_rng(3)
images = rng.integers(0, 256, size=(2000, IMAGE_SIZE, IMAGE_SIZE, 3)).astype("float32")
labels = rng.integers(0, NUM_CLASSES, size=(2000,))
corners = np.sort(rng.uniform(size=(2000, 2, 2)), axis=1)
boxes = np.concatenate([corners[:, 0, :], corners[:, 1, :]], axis=1).astype("float32")

model.fit(images, [labels, boxes], batch_size=32, epochs=10, validation_split=0.1)
pred_labels, pred_boxes = model.predict(images[:4])
