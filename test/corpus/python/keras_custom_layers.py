import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class Linear(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


class MLPBlock(keras.Model):
    def __init__(self, hidden=64, depth=3, num_classes=10):
        super().__init__()
        self.hidden_layers = [layers.Dense(hidden, activation="relu") for _ in range(depth)]
        self.dropout = layers.Dropout(0.2)
        self.linear = Linear(num_classes)

    def call(self, x, training=False):
        for layer in self.hidden_layers:
            x = layer(x)
        x = self.dropout(x, training=training)
        return self.linear(x)


class TwoTowers(keras.Model):
    def __init__(self):
        super().__init__()
        w_init = tf.random_normal_initializer()
        self.user = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(16)])
        self.item = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(16)])
        self.bias = tf.Variable(initial_value=w_init(shape=(1,), dtype="float32"), trainable=True)

    def call(self, inputs):
        user, item = inputs
        return tf.reduce_sum(self.user(user) * self.item(item), axis=1) + self.bias


model = MLPBlock()
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
