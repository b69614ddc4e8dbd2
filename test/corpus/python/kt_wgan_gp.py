"""WGAN-GP on MNIST digits: a critic and a generator with separate Adam optimizers and a gradient penalty."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

LATENT_DIM = 128
IMG_SHAPE = (28, 28, 1)
BATCH_SIZE = 64


def build_critic():
    inputs = keras.Input(shape=IMG_SHAPE)
    x = layers.Conv2D(64, 4, strides=2, padding="same")(inputs)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2D(128, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.3)(x)
    # A WGAN critic outputs an unbounded score, not a probability.
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs, name="critic")


def build_generator():
    inputs = keras.Input(shape=(LATENT_DIM,))
    x = layers.Dense(7 * 7 * 128, use_bias=False)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Reshape((7, 7, 128))(x)
    x = layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    outputs = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model(inputs, outputs, name="generator")


class WGANGP(keras.Model):
    def __init__(self, critic, generator, latent_dim, critic_steps=5, gp_weight=10.0):
        super().__init__()
        self.critic = critic
        self.generator = generator
        self.latent_dim = latent_dim
        self.critic_steps = critic_steps
        self.gp_weight = gp_weight

    def compile(self, c_optimizer, g_optimizer):
        super().compile()
        self.c_optimizer = c_optimizer
        self.g_optimizer = g_optimizer
        self.c_loss_tracker = keras.metrics.Mean(name="c_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.c_loss_tracker, self.g_loss_tracker]

    def gradient_penalty(self, real, fake):
        batch = tf.shape(real)[0]
        eps = tf.random.uniform([batch, 1, 1, 1], 0.0, 1.0)
        mixed = real + eps * (fake - real)
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(mixed)
            scores = self.critic(mixed, training=True)
        grads = gp_tape.gradient(scores, mixed)
        norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
        return tf.reduce_mean(tf.square(norms - 1.0))

    def train_step(self, real_images):
        batch = tf.shape(real_images)[0]

        for _ in range(self.critic_steps):
            z = tf.random.normal((batch, self.latent_dim))
            with tf.GradientTape() as tape:
                fake_images = self.generator(z, training=True)
                real_scores = self.critic(real_images, training=True)
                fake_scores = self.critic(fake_images, training=True)
                wasserstein = tf.reduce_mean(fake_scores) - tf.reduce_mean(real_scores)
                c_loss = wasserstein + self.gp_weight * self.gradient_penalty(real_images, fake_images)
            c_grads = tape.gradient(c_loss, self.critic.trainable_variables)
            self.c_optimizer.apply_gradients(zip(c_grads, self.critic.trainable_variables))

        z = tf.random.normal((batch, self.latent_dim))
        with tf.GradientTape() as tape:
            fake_images = self.generator(z, training=True)
            g_loss = -tf.reduce_mean(self.critic(fake_images, training=True))
        g_grads = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_variables))

        self.c_loss_tracker.update_state(c_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"c_loss": self.c_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


class SampleSaver(keras.callbacks.Callback):
    def __init__(self, num_images=16, latent_dim=LATENT_DIM):
        super().__init__()
        self.z = tf.random.normal((num_images, latent_dim), seed=42)

    def on_epoch_end(self, epoch, logs=None):
        images = self.model.generator(self.z, training=False)
        images = ((images.numpy() + 1.0) * 127.5).astype("uint8")
        np.save(f"samples_epoch_{epoch + 1:03d}.npy", images)


def main(epochs=20):
    (x_train, _), _ = keras.datasets.mnist.load_data()
    x_train = (x_train.reshape(-1, *IMG_SHAPE).astype("float32") - 127.5) / 127.5
    dataset = tf.data.Dataset.from_tensor_slices(x_train).shuffle(60000).batch(BATCH_SIZE, drop_remainder=True)

    gan = WGANGP(build_critic(), build_generator(), LATENT_DIM)
    gan.compile(
        c_optimizer=keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5, beta_2=0.9),
    )
    gan.fit(dataset, epochs=epochs, callbacks=[SampleSaver()])


if __name__ == "__main__":
    main()
