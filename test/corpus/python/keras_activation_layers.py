import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, (3, 3)),
    layers.Activation(tf.nn.relu),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3)),
    layers.ReLU(),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(64),
    layers.Activation(keras.activations.relu),
    layers.Dense(10, activation=None),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
