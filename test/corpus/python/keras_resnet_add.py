"""A compact functional ResNet for 32x32 images: identity and projection shortcuts joined with Add()."""
import numpy as np
import keras
from keras import layers

NUM_CLASSES = 10

inputs = keras.Input(shape=(32, 32, 3), name="image")
x = layers.Rescaling(1.0 / 255)(inputs)
x = layers.Conv2D(32, 3, padding="same", use_bias=False, kernel_initializer="he_normal")(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)

# Stage 1: two 3x3 convolutions around an identity shortcut.
shortcut = x
x = layers.Conv2D(32, 3, padding="same", use_bias=False, kernel_initializer="he_normal")(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = layers.Conv2D(32, 3, padding="same", use_bias=False, kernel_initializer="he_normal")(x)
x = layers.BatchNormalization()(x)
x = layers.Add()([x, shortcut])
x = layers.Activation("relu")(x)

# Stage 2: downsample by 2 and widen to 64 channels; the shortcut needs a 1x1 projection.
shortcut = layers.Conv2D(64, 1, strides=2, use_bias=False, kernel_initializer="he_normal")(x)
shortcut = layers.BatchNormalization()(shortcut)
x = layers.Conv2D(64, 3, strides=2, padding="same", use_bias=False, kernel_initializer="he_normal")(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = layers.Conv2D(64, 3, padding="same", use_bias=False, kernel_initializer="he_normal")(x)
x = layers.BatchNormalization()(x)
x = layers.Add()([x, shortcut])
x = layers.Activation("relu")(x)

x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="mini_resnet")

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.summary()

# Random stand-in data so the script runs without downloads.
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, size=(512, 32, 32, 3)).astype("float32")
y_train = rng.integers(0, NUM_CLASSES, size=(512,))
model.fit(
    x_train,
    y_train,
    batch_size=64,
    epochs=2,
    validation_split=0.1,
    callbacks=[keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2)],
)
