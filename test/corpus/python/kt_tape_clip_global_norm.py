"""Classifying names by language with a character GRU, trained by a GradientTape loop with global-norm clipping."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

VOCAB_SIZE = 64  # index 0 is padding
MAXLEN = 24
NUM_LANGUAGES = 18
CLIP_NORM = 5.0
BATCH_SIZE = 64


def build_model():
    inputs = keras.Input(shape=(MAXLEN,), dtype="int32")
    x = layers.Embedding(VOCAB_SIZE, 32, mask_zero=True)(inputs)
    x = layers.GRU(128)(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(NUM_LANGUAGES)(x)
    return keras.Model(inputs, outputs, name="name_gru")


def synthetic_names(n, seed):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(3, MAXLEN, size=n)
    chars = rng.integers(1, VOCAB_SIZE, size=(n, MAXLEN))
    chars[np.arange(MAXLEN)[None, :] >= lengths[:, None]] = 0
    labels = rng.integers(0, NUM_LANGUAGES, size=n)
    return chars.astype("int32"), labels


model = build_model()
optimizer = keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_loss = keras.metrics.Mean(name="train_loss")
train_acc = keras.metrics.SparseCategoricalAccuracy(name="train_acc")
val_acc = keras.metrics.SparseCategoricalAccuracy(name="val_acc")


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    grads, global_norm = tf.clip_by_global_norm(grads, CLIP_NORM)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    train_loss.update_state(loss)
    train_acc.update_state(y, logits)
    return global_norm


@tf.function
def eval_step(x, y):
    logits = model(x, training=False)
    val_acc.update_state(y, logits)


def run(epochs=10):
    x_train, y_train = synthetic_names(8000, seed=1)
    x_val, y_val = synthetic_names(1000, seed=2)
    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(8000).batch(BATCH_SIZE)
    val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(BATCH_SIZE)
    for epoch in range(epochs):
        for metric in (train_loss, train_acc, val_acc):
            metric.reset_state()
        for x_batch, y_batch in train_ds:
            norm = train_step(x_batch, y_batch)
        for x_batch, y_batch in val_ds:
            eval_step(x_batch, y_batch)
        print(
            f"epoch {epoch + 1}: loss={float(train_loss.result()):.4f} "
            f"acc={float(train_acc.result()):.3f} val_acc={float(val_acc.result()):.3f} "
            f"last_grad_norm={float(norm):.2f}"
        )


if __name__ == "__main__":
    run()
