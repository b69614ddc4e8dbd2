"""Product reviews: review tokens plus numeric metadata in, star rating and helpfulness out."""
import numpy as np
import keras
from keras import layers

VOCAB_SIZE = 15000
EMBED_DIM = 48
NUM_META = 6
NUM_STARS = 5

review_input = keras.Input(shape=(None,), dtype="int32", name="review")
meta_input = keras.Input(shape=(NUM_META,), name="meta")

# Text branch.
text = layers.Embedding(VOCAB_SIZE, EMBED_DIM)(review_input)
text = layers.Bidirectional(layers.GRU(32))(text)

# Metadata branch (price, length, account age, ...).
meta = layers.Dense(16, activation="relu")(meta_input)

merged = layers.concatenate([text, meta])
merged = layers.Dense(64, activation="relu")(merged)
merged = layers.Dropout(0.3)(merged)

stars = layers.Dense(NUM_STARS, activation="softmax", name="stars")(merged)
helpful = layers.Dense(1, activation="sigmoid", name="helpful")(merged)

model = keras.Model(
    inputs={"review": review_input, "meta": meta_input},
    outputs={"stars": stars, "helpful": helpful},
    name="review_model",
)

model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=1e-3, clipnorm=1.0),
    loss={
        "stars": keras.losses.SparseCategoricalCrossentropy(),
        "helpful": keras.losses.BinaryCrossentropy(),
    },
    loss_weights={"stars": 1.0, "helpful": 0.5},
    metrics={"stars": ["accuracy"], "helpful": [keras.metrics.AUC()]},
)

rng = np.random.default_rng(7)
n = 1024
review_data = rng.integers(1, VOCAB_SIZE, size=(n, 80))
meta_data = rng.standard_normal((n, NUM_META)).astype("float32")
star_targets = rng.integers(0, NUM_STARS, size=(n,))
helpful_targets = rng.integers(0, 2, size=(n, 1)).astype("float32")

model.fit(
    {"review": review_data, "meta": meta_data},
    {"stars": star_targets, "helpful": helpful_targets},
    batch_size=32,
    epochs=2,
    validation_split=0.2,
)
