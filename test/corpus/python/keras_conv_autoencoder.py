"""A convolutional denoising autoencoder: MaxPooling2D down, UpSampling2D back up, sigmoid pixels."""
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1), name="noisy")

# Encoder: 28x28x1 -> 7x7x16
x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
x = layers.MaxPooling2D(2, padding="same")(x)
x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
encoded = layers.MaxPooling2D(2, padding="same")(x)

# Decoder: 7x7x16 -> 28x28x1
x = layers.Conv2D(16, 3, activation="relu", padding="same")(encoded)
x = layers.UpSampling2D(2)(x)
x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
x = layers.UpSampling2D(2)(x)
decoded = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)

autoencoder = keras.Model(inputs, decoded, name="denoising_autoencoder")
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")


def add_noise(images, factor=0.4, seed=0):
    rng = np.random.default_rng(seed)
    noisy = images + factor * rng.standard_normal(images.shape)
    return np.clip(noisy, 0.0, 1.0).astype("float32")


rng = np.random.default_rng(5)
clean = rng.uniform(size=(512, 28, 28, 1)).astype("float32")
noisy = add_noise(clean)
autoencoder.fit(noisy, clean, batch_size=64, epochs=5, shuffle=True, validation_split=0.1)

denoised = autoencoder.predict(noisy[:16])
print(denoised.shape)
