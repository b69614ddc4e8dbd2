"""A deep ReLU MLP on Sequential with layers.Input and He-normal kernels so activations keep their scale."""
import numpy as np
import keras
from keras import layers

NUM_FEATURES = 128
WIDTH = 256
DEPTH = 6
NUM_CLASSES = 10

model = keras.Sequential(name="deep_he_mlp")
model.add(layers.Input(shape=(NUM_FEATURES,)))
for i in range(DEPTH):
    model.add(layers.Dense(WIDTH, activation="relu", kernel_initializer="he_normal", name=f"hidden_{i}"))
model.add(layers.Dense(NUM_CLASSES, name="logits"))

model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)

rng = np.random.default_rng(2)
x = rng.standard_normal((5000, NUM_FEATURES)).astype("float32")
y = rng.integers(0, NUM_CLASSES, size=(5000,))
model.fit(x, y, batch_size=64, epochs=5, validation_split=0.2)
model.summary()
