"""A tiny EfficientNet-style network: Rescaling stem, MBConv blocks (expand 1x1 -> DepthwiseConv2D ->
squeeze-and-excitation via Multiply -> project 1x1) with identity residuals where shapes allow."""
import numpy as np
import keras
from keras import layers

NUM_CLASSES = 5
# (expand_ratio, output_filters, kernel_size, strides)
BLOCK_ARGS = [
    (1, 16, 3, 1),
    (6, 24, 3, 2),
    (6, 24, 3, 1),
    (6, 40, 5, 2),
]


def squeeze_excite(x, filters_in, se_ratio=0.25):
    channels = x.shape[-1]
    reduced = max(1, int(filters_in * se_ratio))
    se = layers.GlobalAveragePooling2D(keepdims=True)(x)
    se = layers.Conv2D(reduced, 1, activation="swish")(se)
    se = layers.Conv2D(channels, 1, activation="sigmoid")(se)
    return layers.Multiply()([x, se])


def mbconv(x, expand_ratio, filters_out, kernel_size, strides):
    filters_in = x.shape[-1]
    inputs = x
    if expand_ratio != 1:
        x = layers.Conv2D(filters_in * expand_ratio, 1, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("swish")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("swish")(x)
    x = squeeze_excite(x, filters_in)
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    if strides == 1 and filters_in == filters_out:
        x = layers.Dropout(0.1, noise_shape=(None, 1, 1, 1))(x)
        x = layers.Add()([x, inputs])
    return x


def build_model(image_size=96):
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("swish")(x)
    for expand_ratio, filters_out, kernel_size, strides in BLOCK_ARGS:
        x = mbconv(x, expand_ratio, filters_out, kernel_size, strides)
    x = layers.Conv2D(128, 1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("swish")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="tiny_efficientnet")


if __name__ == "__main__":
    rng = np.random.default_rng(1)
    x_train = rng.integers(0, 256, size=(320, 96, 96, 3)).astype("float32")
    y_train = keras.utils.to_categorical(rng.integers(0, NUM_CLASSES, size=(320,)), NUM_CLASSES)
    model = build_model()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, batch_size=32, epochs=5, validation_split=0.2)
