import keras
from keras import layers


def double_conv(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def build_unet(img_size=(128, 128), num_classes=3):
    inputs = keras.Input(shape=img_size + (3,))

    skips = []
    x = inputs
    for filters in [32, 64, 128]:
        x = double_conv(x, filters)
        skips.append(x)
        x = layers.MaxPooling2D(2)(x)

    x = double_conv(x, 256)

    for filters, skip in zip([128, 64, 32], reversed(skips)):
        x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
        x = layers.Concatenate()([x, skip])
        x = double_conv(x, filters)

    outputs = layers.Conv2D(num_classes, 1, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="unet")


model = build_unet()
model.compile(
    optimizer=keras.optimizers.Adam(1e-4),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
