"""PixelCNN on binarized MNIST: masked convolutions (type A then B) in residual blocks, per-pixel sigmoid."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

NUM_FILTERS = 128
NUM_RESIDUAL_BLOCKS = 5
INPUT_SHAPE = (28, 28, 1)


class PixelConvLayer(layers.Layer):
    """A Conv2D whose kernel is masked so each pixel only sees pixels above and to its left."""

    def __init__(self, mask_type, **kwargs):
        super().__init__()
        self.mask_type = mask_type
        self.conv = layers.Conv2D(**kwargs)

    def build(self, input_shape):
        self.conv.build(input_shape)
        kernel_shape = self.conv.kernel.shape
        self.mask = np.zeros(shape=kernel_shape, dtype="float32")
        self.mask[: kernel_shape[0] // 2, ...] = 1.0
        self.mask[kernel_shape[0] // 2, : kernel_shape[1] // 2, ...] = 1.0
        if self.mask_type == "B":
            self.mask[kernel_shape[0] // 2, kernel_shape[1] // 2, ...] = 1.0

    def call(self, inputs):
        self.conv.kernel.assign(self.conv.kernel * self.mask)
        return self.conv(inputs)


class ResidualBlock(layers.Layer):
    """1x1 down-projection, masked 3x3 (type B), 1x1 up-projection, added back to the input."""

    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters=filters, kernel_size=1, activation="relu")
        self.pixel_conv = PixelConvLayer(
            mask_type="B",
            filters=filters // 2,
            kernel_size=3,
            activation="relu",
            padding="same",
        )
        self.conv2 = layers.Conv2D(filters=filters, kernel_size=1, activation="relu")

    def call(self, inputs):
        x = self.conv1(inputs)
        x = self.pixel_conv(x)
        x = self.conv2(x)
        return layers.add([inputs, x])


def build_pixelcnn():
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = PixelConvLayer(
        mask_type="A", filters=NUM_FILTERS, kernel_size=7, activation="relu", padding="same"
    )(inputs)
    for _ in range(NUM_RESIDUAL_BLOCKS):
        x = ResidualBlock(filters=NUM_FILTERS)(x)
    for _ in range(2):
        x = PixelConvLayer(
            mask_type="B",
            filters=NUM_FILTERS,
            kernel_size=1,
            strides=1,
            activation="relu",
            padding="valid",
        )(x)
    # One Bernoulli probability per pixel.
    outputs = layers.Conv2D(filters=1, kernel_size=1, strides=1, activation="sigmoid", padding="valid")(x)
    return keras.Model(inputs, outputs, name="pixel_cnn")


def binarize(images):
    return np.where(images / 255.0 > 0.33, 1.0, 0.0).astype("float32")


def sample(model, batch=4, rows=28, cols=28):
    pixels = np.zeros(shape=(batch, rows, cols, 1), dtype="float32")
    for row in range(rows):
        for col in range(cols):
            probs = model.predict(pixels, verbose=0)[:, row, col, 0]
            pixels[:, row, col, 0] = tf.math.ceil(probs - tf.random.uniform(probs.shape)).numpy()
    return pixels


if __name__ == "__main__":
    # Stand-in for keras.datasets.mnist: random greyscale digits of the right shape.
    x_train = np.random.randint(0, 256, size=(512, 28, 28, 1))
    data = binarize(x_train)

    pixel_cnn = build_pixelcnn()
    pixel_cnn.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-4), loss="binary_crossentropy")
    pixel_cnn.summary()
    pixel_cnn.fit(x=data, y=data, batch_size=128, epochs=2, validation_split=0.1, verbose=2)
    generated = sample(pixel_cnn, batch=2)
    print(generated.shape)
