"""A subclassed Keras model with a custom training step, in the style of the Keras guides."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class ResidualDenseBlock(layers.Layer):
    def __init__(self, units, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.dense1 = layers.Dense(units, activation="relu", kernel_initializer="he_normal")
        self.dense2 = layers.Dense(units, kernel_initializer="he_normal")
        self.norm = layers.LayerNormalization()
        self.dropout = layers.Dropout(rate)

    def call(self, inputs, training=False):
        x = self.dense1(inputs)
        x = self.dropout(x, training=training)
        x = self.dense2(x)
        return self.norm(inputs + x)


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class TabularClassifier(keras.Model):
    def __init__(self, num_classes=10, width=256, depth=3):
        super().__init__()
        self.stem = keras.Sequential(
            [
                layers.Dense(width, activation="relu", kernel_initializer="he_normal"),
                layers.Dropout(0.1),
            ]
        )
        self.blocks = [ResidualDenseBlock(width) for _ in range(depth)]
        self.head = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.stem(inputs)
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(x)


def main(x_train, y_train, x_val, y_val):
    model = TabularClassifier(num_classes=10)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    model.fit(x_train, y_train, batch_size=64, epochs=10, validation_data=(x_val, y_val))
    probabilities = tf.nn.softmax(model.predict(x_val), axis=-1)
    return probabilities
