"""IMDB sentiment with a logit output: Dense(1) plus BinaryCrossentropy(from_logits=True), then a sigmoid export model."""
import keras
from keras import layers

VOCAB_SIZE = 10000
MAXLEN = 256
EMBED_DIM = 16

(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=VOCAB_SIZE)
x_train = keras.utils.pad_sequences(x_train, maxlen=MAXLEN)
x_test = keras.utils.pad_sequences(x_test, maxlen=MAXLEN)

model = keras.Sequential(
    [
        keras.Input(shape=(MAXLEN,), dtype="int32"),
        layers.Embedding(VOCAB_SIZE, EMBED_DIM),
        layers.Dropout(0.2),
        layers.GlobalAveragePooling1D(),
        layers.Dense(16, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(1),
    ],
    name="imdb_logits",
)

model.compile(
    optimizer="adam",
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
)
model.fit(x_train, y_train, batch_size=512, epochs=10, validation_split=0.2)

# For serving: the same network with a sigmoid on top, evaluated against plain (probability) BCE.
export_model = keras.Sequential([model, layers.Activation("sigmoid")], name="imdb_probabilities")
export_model.compile(
    optimizer="adam",
    loss=keras.losses.BinaryCrossentropy(from_logits=False),
    metrics=["accuracy"],
)
print(export_model.evaluate(x_test, y_test, return_dict=True))
