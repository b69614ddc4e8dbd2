"""Binary foreground segmentation with a small U-Net: encoder features are pushed onto a skip list and
consumed in reverse by the decoder (Conv2DTranspose upsampling + Concatenate)."""
import numpy as np
import keras
from keras import layers

IMG_SIZE = 128
ENCODER_FILTERS = [16, 32, 64, 128]
BOTTLENECK_FILTERS = 256


def double_conv(x, filters):
    for _ in range(2):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
    return x


def build_unet(img_size=IMG_SIZE):
    inputs = keras.Input(shape=(img_size, img_size, 3))
    x = layers.Rescaling(1.0 / 255)(inputs)

    skips = []
    for filters in ENCODER_FILTERS:
        x = double_conv(x, filters)
        skips.append(x)
        x = layers.MaxPooling2D(2)(x)

    x = double_conv(x, BOTTLENECK_FILTERS)
    x = layers.SpatialDropout2D(0.2)(x)

    for filters, skip in zip(reversed(ENCODER_FILTERS), reversed(skips)):
        x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
        x = layers.Concatenate()([x, skip])
        x = double_conv(x, filters)

    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="unet")


def dice_coefficient(y_true, y_pred, smooth=1.0):
    y_true = keras.ops.cast(y_true, "float32")
    intersection = keras.ops.sum(y_true * y_pred)
    union = keras.ops.sum(y_true) + keras.ops.sum(y_pred)
    return (2.0 * intersection + smooth) / (union + smooth)


def synthetic_masks(n, img_size, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, img_size, img_size, 3)).astype("float32")
    yy, xx = np.mgrid[:img_size, :img_size]
    masks = np.zeros((n, img_size, img_size, 1), dtype="float32")
    for i in range(n):
        cy, cx = rng.integers(16, img_size - 16, size=2)
        r = rng.integers(8, 24)
        masks[i, ..., 0] = ((yy - cy) ** 2 + (xx - cx) ** 2) < r**2
        images[i][masks[i, ..., 0] > 0] *= 0.5
    return images, masks


if __name__ == "__main__":
    images, masks = synthetic_masks(256, IMG_SIZE)
    model = build_unet()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss="binary_crossentropy",
        metrics=[dice_coefficient, keras.metrics.BinaryIoU(target_class_ids=[1])],
    )
    model.fit(
        images,
        masks,
        batch_size=16,
        epochs=15,
        validation_split=0.1,
        callbacks=[keras.callbacks.ModelCheckpoint("unet.keras", save_best_only=True)],
    )
