"""Time-series classification with a pre-norm Transformer encoder built from MultiHeadAttention and LayerNormalization."""
import numpy as np
import keras
from keras import layers, ops

SEQ_LEN = 128
NUM_FEATURES = 6
NUM_CLASSES = 3
D_MODEL = 32
NUM_HEADS = 4
FF_DIM = 64
NUM_BLOCKS = 2
DROPOUT = 0.1


class LearnedPositions(layers.Layer):
    """Adds a trainable position embedding to a (batch, steps, d_model) tensor."""

    def __init__(self, seq_len, d_model, **kwargs):
        super().__init__(**kwargs)
        self.seq_len = seq_len
        self.positions = layers.Embedding(input_dim=seq_len, output_dim=d_model)

    def call(self, x):
        steps = ops.arange(0, ops.shape(x)[1])
        return x + self.positions(steps)


def encoder_block(x):
    h = layers.LayerNormalization(epsilon=1e-6)(x)
    h = layers.MultiHeadAttention(num_heads=NUM_HEADS, key_dim=D_MODEL // NUM_HEADS, dropout=DROPOUT)(h, h)
    h = layers.Dropout(DROPOUT)(h)
    x = layers.Add()([x, h])

    h = layers.LayerNormalization(epsilon=1e-6)(x)
    h = layers.Dense(FF_DIM, activation="gelu")(h)
    h = layers.Dropout(DROPOUT)(h)
    h = layers.Dense(D_MODEL)(h)
    h = layers.Dropout(DROPOUT)(h)
    return layers.Add()([x, h])


def build_model():
    inputs = keras.Input(shape=(SEQ_LEN, NUM_FEATURES))
    x = layers.Dense(D_MODEL)(inputs)
    x = LearnedPositions(SEQ_LEN, D_MODEL)(x)
    for _ in range(NUM_BLOCKS):
        x = encoder_block(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(NUM_CLASSES)(x)
    return keras.Model(inputs, outputs, name="ts_transformer")


rng = np.random.default_rng(5)
x_train = rng.standard_normal((2000, SEQ_LEN, NUM_FEATURES)).astype("float32")
y_train = rng.integers(0, NUM_CLASSES, size=(2000,))

model = build_model()
model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["sparse_categorical_accuracy"],
)
model.fit(x_train, y_train, batch_size=64, epochs=20, validation_split=0.2)
