"""CIFAR-10 ResNet-v1 style classifier: a residual_block() helper called in a loop over stage widths,
with a 1x1 projection shortcut whenever the block changes width or resolution."""
import numpy as np
import keras
from keras import layers

NUM_CLASSES = 10
STAGE_FILTERS = [32, 64, 128]
BLOCKS_PER_STAGE = 2
WEIGHT_DECAY = 1e-4


def conv_bn(x, filters, kernel_size, strides=1):
    x = layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        padding="same",
        use_bias=False,
        kernel_initializer="he_normal",
        kernel_regularizer=keras.regularizers.l2(WEIGHT_DECAY),
    )(x)
    return layers.BatchNormalization()(x)


def residual_block(x, filters, strides=1):
    shortcut = x
    y = conv_bn(x, filters, 3, strides=strides)
    y = layers.ReLU()(y)
    y = conv_bn(y, filters, 3)
    if strides != 1 or x.shape[-1] != filters:
        shortcut = conv_bn(x, filters, 1, strides=strides)
    y = layers.Add()([y, shortcut])
    return layers.ReLU()(y)


def build_resnet(input_shape=(32, 32, 3)):
    inputs = keras.Input(shape=input_shape)
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = conv_bn(x, STAGE_FILTERS[0], 3)
    x = layers.ReLU()(x)
    for stage, filters in enumerate(STAGE_FILTERS):
        for block in range(BLOCKS_PER_STAGE):
            strides = 2 if stage > 0 and block == 0 else 1
            x = residual_block(x, filters, strides=strides)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="resnet_cifar")


def main():
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, size=(1024, 32, 32, 3)).astype("float32")
    y_train = rng.integers(0, NUM_CLASSES, size=(1024,))

    model = build_resnet()
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.summary()
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.1 if epoch in (30, 45) else lr)
    model.fit(
        x_train,
        y_train,
        batch_size=128,
        epochs=50,
        validation_split=0.1,
        callbacks=[schedule, keras.callbacks.EarlyStopping(patience=8, restore_best_weights=True)],
    )


if __name__ == "__main__":
    main()
