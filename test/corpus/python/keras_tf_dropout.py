import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="relu")(inputs)
x = tf.nn.dropout(x, rate=0.3)
x = layers.Dense(64, activation="relu")(x)
x = tf.nn.dropout(x, 0.2)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)


def legacy_block(x, keep_prob=0.9):
    x = tf.compat.v1.nn.dropout(x, keep_prob=keep_prob)
    return x
