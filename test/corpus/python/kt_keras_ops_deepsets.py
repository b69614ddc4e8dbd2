"""Deep Sets: a permutation-invariant regressor whose call() uses keras.ops for activations and set pooling."""
import numpy as np
import keras
from keras import layers, ops

SET_SIZE = 10
HIDDEN = 64


class DeepSets(keras.Model):
    def __init__(self, hidden=HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.phi1 = layers.Dense(hidden)
        self.phi2 = layers.Dense(hidden)
        self.rho1 = layers.Dense(hidden)
        self.rho2 = layers.Dense(1)

    def call(self, inputs):
        # inputs: (batch, set_size, 1); phi is applied to every element independently.
        h = ops.relu(self.phi1(inputs))
        h = ops.relu(self.phi2(h))
        pooled = ops.sum(h, axis=1)  # order of the elements no longer matters
        h = ops.relu(self.rho1(pooled))
        return ops.squeeze(self.rho2(h), axis=-1)


rng = np.random.default_rng(0)
digits = rng.integers(0, 10, size=(20000, SET_SIZE, 1)).astype("float32")
targets = digits.sum(axis=(1, 2))

model = DeepSets(name="deep_sets")
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mae")
model.fit(digits, targets, batch_size=128, epochs=10, validation_split=0.1)

shuffled = digits[:4, rng.permutation(SET_SIZE), :]
print(model.predict(digits[:4]), model.predict(shuffled))
