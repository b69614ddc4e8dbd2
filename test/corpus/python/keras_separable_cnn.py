"""A small depthwise-separable CNN in the MobileNet/Xception spirit, built with the functional API."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

IMAGE_SIZE = 64
NUM_CLASSES = 5


def build_model():
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
    x = layers.Rescaling(1.0 / 127.5, offset=-1.0)(inputs)

    # Regular strided stem.
    x = layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    # Depthwise 3x3 (channel multiplier 2) followed by a pointwise 1x1.
    x = layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(64, 1, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    # Fused separable convolutions.
    x = layers.SeparableConv2D(128, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    x = layers.SeparableConv2D(256, 3, padding="same", activation="relu")(x)

    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="separable_cnn")


def main():
    model = build_model()
    model.compile(
        optimizer=keras.optimizers.Adam(3e-4),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
        metrics=["accuracy"],
    )
    rng = np.random.default_rng(42)
    images = rng.uniform(0, 255, size=(256, IMAGE_SIZE, IMAGE_SIZE, 3)).astype("float32")
    labels = keras.utils.to_categorical(rng.integers(0, NUM_CLASSES, size=(256,)), NUM_CLASSES)
    model.fit(images, labels, batch_size=32, epochs=3, validation_split=0.2)
    return model


if __name__ == "__main__":
    main()
