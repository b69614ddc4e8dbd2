"""A siamese network for image-pair similarity: one shared convolutional encoder applied to both inputs."""
import numpy as np
import keras
from keras import layers, ops

IMG_SHAPE = (28, 28, 1)
EMBEDDING_DIM = 128


def build_encoder():
    inputs = keras.Input(shape=IMG_SHAPE)
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(EMBEDDING_DIM, activation="relu")(x)
    return keras.Model(inputs, x, name="encoder")


def make_pairs(images, labels, rng):
    pairs, targets = [], []
    by_class = [np.where(labels == c)[0] for c in range(10)]
    for i, label in enumerate(labels):
        same = rng.choice(by_class[label])
        other_class = (label + rng.integers(1, 10)) % 10
        different = rng.choice(by_class[other_class])
        pairs += [[images[i], images[same]], [images[i], images[different]]]
        targets += [1.0, 0.0]
    pairs = np.asarray(pairs)
    return pairs[:, 0], pairs[:, 1], np.asarray(targets, dtype="float32")


encoder = build_encoder()
input_a = keras.Input(shape=IMG_SHAPE, name="left")
input_b = keras.Input(shape=IMG_SHAPE, name="right")
embedding_a = encoder(input_a)
embedding_b = encoder(input_b)
distance = layers.Lambda(lambda t: ops.abs(t[0] - t[1]))([embedding_a, embedding_b])
similarity = layers.Dense(1, activation="sigmoid")(distance)
siamese = keras.Model([input_a, input_b], similarity, name="siamese")

siamese.compile(
    optimizer=keras.optimizers.Adam(1e-4),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)

rng = np.random.default_rng(3)
images = rng.uniform(size=(600, *IMG_SHAPE)).astype("float32")
labels = rng.integers(0, 10, size=(600,))
left, right, targets = make_pairs(images, labels, rng)
siamese.fit([left, right], targets, batch_size=32, epochs=3, validation_split=0.1)
