"""CycleGAN (horse <-> zebra style): ResNet generators with reflection padding and a hand-written instance norm,
PatchGAN discriminators, least-squares adversarial loss plus cycle and identity L1 losses in train_step."""
import tensorflow as tf
import keras
from keras import layers

IMG_SIZE = (256, 256, 3)
kernel_init = keras.initializers.RandomNormal(mean=0.0, stddev=0.02)
gamma_init = keras.initializers.RandomNormal(mean=1.0, stddev=0.02)


class InstanceNormalization(layers.Layer):
    """Normalises each sample's feature maps over height and width, with a learned scale and offset."""

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape):
        channels = input_shape[-1]
        self.scale = self.add_weight(name="scale", shape=(channels,), initializer=gamma_init, trainable=True)
        self.offset = self.add_weight(name="offset", shape=(channels,), initializer="zeros", trainable=True)

    def call(self, x):
        mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        return self.scale * (x - mean) * tf.math.rsqrt(variance + self.epsilon) + self.offset


class ReflectionPadding2D(layers.Layer):
    def __init__(self, padding=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.padding = tuple(padding)

    def call(self, x):
        pw, ph = self.padding
        return tf.pad(x, [[0, 0], [ph, ph], [pw, pw], [0, 0]], mode="REFLECT")


def residual_block(x, filters):
    skip = x
    x = ReflectionPadding2D()(x)
    x = layers.Conv2D(filters, 3, kernel_initializer=kernel_init, use_bias=False)(x)
    x = InstanceNormalization()(x)
    x = layers.Activation("relu")(x)
    x = ReflectionPadding2D()(x)
    x = layers.Conv2D(filters, 3, kernel_initializer=kernel_init, use_bias=False)(x)
    x = InstanceNormalization()(x)
    return layers.add([skip, x])


def get_resnet_generator(filters=64, num_downsampling=2, num_residual=9, name=None):
    img_input = keras.Input(shape=IMG_SIZE)
    x = ReflectionPadding2D(padding=(3, 3))(img_input)
    x = layers.Conv2D(filters, 7, kernel_initializer=kernel_init, use_bias=False)(x)
    x = InstanceNormalization()(x)
    x = layers.Activation("relu")(x)
    for _ in range(num_downsampling):
        filters *= 2
        x = layers.Conv2D(filters, 3, strides=2, padding="same", kernel_initializer=kernel_init, use_bias=False)(x)
        x = InstanceNormalization()(x)
        x = layers.Activation("relu")(x)
    for _ in range(num_residual):
        x = residual_block(x, filters)
    for _ in range(num_downsampling):
        filters //= 2
        x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", kernel_initializer=kernel_init, use_bias=False)(x)
        x = InstanceNormalization()(x)
        x = layers.Activation("relu")(x)
    x = ReflectionPadding2D(padding=(3, 3))(x)
    x = layers.Conv2D(3, 7, padding="valid")(x)
    outputs = layers.Activation("tanh")(x)
    return keras.Model(img_input, outputs, name=name)


def get_discriminator(filters=64, name=None):
    img_input = keras.Input(shape=IMG_SIZE)
    x = layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=kernel_init)(img_input)
    x = layers.LeakyReLU(0.2)(x)
    for stride in (2, 2, 1):
        filters *= 2
        x = layers.Conv2D(filters, 4, strides=stride, padding="same", kernel_initializer=kernel_init, use_bias=False)(x)
        x = InstanceNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
    # A 1-channel patch map of realness scores; trained with least squares, so no sigmoid.
    outputs = layers.Conv2D(1, 4, strides=1, padding="same", kernel_initializer=kernel_init)(x)
    return keras.Model(img_input, outputs, name=name)


class CycleGan(keras.Model):
    def __init__(self, gen_G, gen_F, disc_X, disc_Y, lambda_cycle=10.0, lambda_identity=0.5):
        super().__init__()
        self.gen_G, self.gen_F = gen_G, gen_F
        self.disc_X, self.disc_Y = disc_X, disc_Y
        self.lambda_cycle = lambda_cycle
        self.lambda_identity = lambda_identity

    def compile(self, gen_G_optimizer, gen_F_optimizer, disc_X_optimizer, disc_Y_optimizer):
        super().compile()
        self.gen_G_optimizer, self.gen_F_optimizer = gen_G_optimizer, gen_F_optimizer
        self.disc_X_optimizer, self.disc_Y_optimizer = disc_X_optimizer, disc_Y_optimizer
        self.adv_loss = keras.losses.MeanSquaredError()
        self.l1 = keras.losses.MeanAbsoluteError()

    def train_step(self, batch_data):
        real_x, real_y = batch_data
        with tf.GradientTape(persistent=True) as tape:
            fake_y = self.gen_G(real_x, training=True)
            fake_x = self.gen_F(real_y, training=True)
            cycled_x = self.gen_F(fake_y, training=True)
            cycled_y = self.gen_G(fake_x, training=True)
            same_x = self.gen_F(real_x, training=True)
            same_y = self.gen_G(real_y, training=True)

            disc_real_x = self.disc_X(real_x, training=True)
            disc_fake_x = self.disc_X(fake_x, training=True)
            disc_real_y = self.disc_Y(real_y, training=True)
            disc_fake_y = self.disc_Y(fake_y, training=True)

            gen_G_adv = self.adv_loss(tf.ones_like(disc_fake_y), disc_fake_y)
            gen_F_adv = self.adv_loss(tf.ones_like(disc_fake_x), disc_fake_x)
            cycle_loss = (self.l1(real_y, cycled_y) + self.l1(real_x, cycled_x)) * self.lambda_cycle
            id_G = self.l1(real_y, same_y) * self.lambda_cycle * self.lambda_identity
            id_F = self.l1(real_x, same_x) * self.lambda_cycle * self.lambda_identity
            total_G = gen_G_adv + cycle_loss + id_G
            total_F = gen_F_adv + cycle_loss + id_F

            disc_X_loss = 0.5 * (self.adv_loss(tf.ones_like(disc_real_x), disc_real_x)
                                 + self.adv_loss(tf.zeros_like(disc_fake_x), disc_fake_x))
            disc_Y_loss = 0.5 * (self.adv_loss(tf.ones_like(disc_real_y), disc_real_y)
                                 + self.adv_loss(tf.zeros_like(disc_fake_y), disc_fake_y))

        for loss, net, opt in (
            (total_G, self.gen_G, self.gen_G_optimizer),
            (total_F, self.gen_F, self.gen_F_optimizer),
            (disc_X_loss, self.disc_X, self.disc_X_optimizer),
            (disc_Y_loss, self.disc_Y, self.disc_Y_optimizer),
        ):
            grads = tape.gradient(loss, net.trainable_variables)
            opt.apply_gradients(zip(grads, net.trainable_variables))
        del tape
        return {"G_loss": total_G, "F_loss": total_F, "D_X_loss": disc_X_loss, "D_Y_loss": disc_Y_loss}


if __name__ == "__main__":
    cycle_gan = CycleGan(
        gen_G=get_resnet_generator(name="generator_G"),
        gen_F=get_resnet_generator(name="generator_F"),
        disc_X=get_discriminator(name="discriminator_X"),
        disc_Y=get_discriminator(name="discriminator_Y"),
    )
    cycle_gan.compile(*[keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5) for _ in range(4)])
    horses = tf.random.uniform((4, 256, 256, 3), -1.0, 1.0)
    zebras = tf.random.uniform((4, 256, 256, 3), -1.0, 1.0)
    dataset = tf.data.Dataset.from_tensor_slices((horses, zebras)).batch(1)
    cycle_gan.fit(dataset, epochs=1)
