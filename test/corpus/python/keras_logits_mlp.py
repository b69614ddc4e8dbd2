"""An MNIST-style MLP whose last Dense is linear, trained with SparseCategoricalCrossentropy(from_logits=True)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.2),
        layers.Dense(128, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.2),
        layers.Dense(10),
    ],
    name="logits_mlp",
)

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=loss_fn,
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)

rng = np.random.default_rng(2)
x_train = rng.uniform(size=(4096, 784)).astype("float32")
y_train = rng.integers(0, 10, size=(4096,))
x_test = rng.uniform(size=(512, 784)).astype("float32")
y_test = rng.integers(0, 10, size=(512,))

model.fit(x_train, y_train, batch_size=128, epochs=5, validation_split=0.1)
model.evaluate(x_test, y_test, verbose=2)

# Attach a softmax only for inference, as in the TensorFlow beginner tutorial.
probability_model = keras.Sequential([model, layers.Softmax()])
predictions = probability_model.predict(x_test[:5])
print(tf.argmax(predictions, axis=-1).numpy())
