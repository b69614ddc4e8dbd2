"""A subclassed Keras model that overrides train_step/test_step, trained with the normal fit()."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class MLPClassifier(keras.Model):
    def __init__(self, hidden=128, num_classes=10, rate=0.2, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.dense1 = layers.Dense(hidden, activation="relu", kernel_initializer="he_normal")
        self.dropout1 = layers.Dropout(rate)
        self.dense2 = layers.Dense(hidden, activation="relu", kernel_initializer="he_normal")
        self.dropout2 = layers.Dropout(rate)
        self.classifier = layers.Dense(num_classes)
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")

    def call(self, inputs, training=False):
        x = self.flatten(inputs)
        x = self.dense1(x)
        x = self.dropout1(x, training=training)
        x = self.dense2(x)
        x = self.dropout2(x, training=training)
        return self.classifier(x)

    @property
    def metrics(self):
        return [self.loss_tracker, self.accuracy]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            logits = self(x, training=True)
            loss = self.loss_fn(y, logits)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.accuracy.update_state(y, logits)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        logits = self(x, training=False)
        self.loss_tracker.update_state(self.loss_fn(y, logits))
        self.accuracy.update_state(y, logits)
        return {m.name: m.result() for m in self.metrics}


def main():
    rng = np.random.default_rng(1)
    x_train = rng.uniform(size=(2048, 28, 28)).astype("float32")
    y_train = rng.integers(0, 10, size=(2048,))
    model = MLPClassifier()
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    model.fit(x_train, y_train, batch_size=128, epochs=3, validation_split=0.1)
    probs = tf.nn.softmax(model(x_train[:8], training=False), axis=-1)
    return probs.numpy()


if __name__ == "__main__":
    main()
