"""A Keras MLP trained with a custom GradientTape loop and clipped gradients, evaluated in inference mode."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def build_model(num_features, num_classes):
    inputs = keras.Input(shape=(num_features,))
    x = layers.Dense(512, activation="relu", kernel_initializer="he_normal")(inputs)
    x = layers.Dropout(0.3)(x)
    x = layers.Dense(256, activation="relu", kernel_initializer="he_normal")(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(num_classes)(x)
    return keras.Model(inputs, outputs)


model = build_model(64, 10)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0)
train_accuracy = keras.metrics.SparseCategoricalAccuracy()


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_accuracy.update_state(y, logits)
    return loss


@tf.function
def test_step(x):
    return tf.nn.softmax(model(x, training=False))


def fit(dataset, epochs=5):
    for epoch in range(epochs):
        for x_batch, y_batch in dataset:
            train_step(x_batch, y_batch)
        print(f"epoch {epoch}: accuracy {float(train_accuracy.result()):.3f}")
        train_accuracy.reset_state()
