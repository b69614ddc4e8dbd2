"""A radial-basis-function classifier: a keras.Model subclass whose build() creates its centres with add_weight."""
import numpy as np
import keras
from keras import layers, ops


class RBFClassifier(keras.Model):
    def __init__(self, num_centers=32, num_classes=4, **kwargs):
        super().__init__(**kwargs)
        self.num_centers = num_centers
        self.num_classes = num_classes
        self.readout = layers.Dense(num_classes)

    def build(self, input_shape):
        dim = input_shape[-1]
        self.centers = self.add_weight(
            name="centers",
            shape=(self.num_centers, dim),
            initializer=keras.initializers.RandomUniform(-2.0, 2.0),
            trainable=True,
        )
        # gamma = exp(log_gamma) starts at 1 for every centre.
        self.log_gamma = self.add_weight(name="log_gamma", shape=(self.num_centers,), initializer="zeros", trainable=True)
        self.readout.build((None, self.num_centers))
        self.built = True

    def call(self, inputs):
        diff = ops.expand_dims(inputs, axis=1) - self.centers  # (batch, centres, dim)
        sq_dist = ops.sum(ops.square(diff), axis=-1)
        features = ops.exp(-ops.exp(self.log_gamma) * sq_dist)
        return self.readout(features)

    def get_config(self):
        config = super().get_config()
        config.update({"num_centers": self.num_centers, "num_classes": self.num_classes})
        return config


def two_moons_like(n, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, size=n)
    angles = rng.uniform(0, np.pi, size=n) + labels * (np.pi / 2)
    radius = 1.0 + 0.3 * labels
    points = np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)
    points += 0.1 * rng.standard_normal(points.shape)
    return points.astype("float32"), labels


x, y = two_moons_like(4000)
model = RBFClassifier(num_centers=32, num_classes=4, name="rbf")
model.build((None, 2))
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-2),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(x, y, batch_size=128, epochs=30, validation_split=0.2)
probs = ops.softmax(model.predict(x[:10]), axis=-1)
