"""Transfer learning: a frozen MobileNetV2 base with a new binary head, then fine-tuning the top of the base."""
import numpy as np
import keras
from keras import layers

IMG_SIZE = (160, 160)
IMG_SHAPE = IMG_SIZE + (3,)

data_augmentation = keras.Sequential(
    [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)],
    name="augmentation",
)

base_model = keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights="imagenet")
base_model.trainable = False

inputs = keras.Input(shape=IMG_SHAPE)
x = data_augmentation(inputs)
x = keras.applications.mobilenet_v2.preprocess_input(x)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs, name="cats_vs_dogs")

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-4),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
)

rng = np.random.default_rng(0)
images = rng.uniform(0, 255, size=(64, *IMG_SHAPE)).astype("float32")
labels = rng.integers(0, 2, size=(64, 1)).astype("float32")
model.fit(images, labels, batch_size=16, epochs=2, validation_split=0.25)

# Fine-tune: unfreeze the top of the base, keep batch norm in inference mode, use a smaller step.
base_model.trainable = True
for layer in base_model.layers[:100]:
    layer.trainable = False
model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=1e-5),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
)
model.fit(images, labels, batch_size=16, epochs=2, validation_split=0.25)
