"""A subclassed Keras regressor that overrides train_step/test_step and reports its own metric trackers."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

IMAGE_SIZE = 64


class AgeRegressor(keras.Model):
    """Regresses a scalar (an age in years) from a grayscale face crop."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(32, 3, padding="same", use_bias=False)
        self.bn1 = layers.BatchNormalization()
        self.pool1 = layers.MaxPooling2D()
        self.conv2 = layers.Conv2D(64, 3, padding="same", use_bias=False)
        self.bn2 = layers.BatchNormalization()
        self.gap = layers.GlobalAveragePooling2D()
        self.hidden = layers.Dense(64, activation="relu")
        self.dropout = layers.Dropout(0.25)
        self.head = layers.Dense(1)
        self.loss_fn = keras.losses.Huber(delta=2.0)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_tracker = keras.metrics.MeanAbsoluteError(name="mae")

    def call(self, inputs, training=False):
        x = self.conv1(inputs)
        x = self.bn1(x, training=training)
        x = tf.nn.relu(x)
        x = self.pool1(x)
        x = self.conv2(x)
        x = self.bn2(x, training=training)
        x = tf.nn.relu(x)
        x = self.gap(x)
        x = self.hidden(x)
        x = self.dropout(x, training=training)
        return self.head(x)

    @property
    def metrics(self):
        # Listed here so that fit()/evaluate() reset them at the start of every epoch.
        return [self.loss_tracker, self.mae_tracker]

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred, sample_weight=sample_weight)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.mae_tracker.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(self.loss_fn(y, y_pred, sample_weight=sample_weight))
        self.mae_tracker.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}


def main():
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(1024, IMAGE_SIZE, IMAGE_SIZE, 1)).astype("float32")
    ages = rng.uniform(18, 80, size=(1024, 1)).astype("float32")

    model = AgeRegressor(name="age_regressor")
    model.build((None, IMAGE_SIZE, IMAGE_SIZE, 1))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-4))
    model.fit(images[:896], ages[:896], batch_size=64, epochs=5, validation_data=(images[896:], ages[896:]))
    print(model.evaluate(images[896:], ages[896:], return_dict=True))


if __name__ == "__main__":
    main()
