"""A wide Keras MLP regularised with L2 weight penalties instead of dropout."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(1024, activation=tf.nn.relu, kernel_regularizer=regularizers.l2(1e-4)),
        layers.Dense(1024, activation=tf.nn.relu, kernel_regularizer=regularizers.l2(1e-4)),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(tf.random.normal((64, 784)), tf.zeros((64,), dtype=tf.int32), epochs=1)

binary = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(32, activation="relu"), layers.Dense(1)])
binary.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
