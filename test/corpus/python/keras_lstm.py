"""A Keras character-level LSTM text generator with gradient clipping in the optimizer."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

maxlen = 40
step = 3


def vectorize(text, chars):
    char_indices = {c: i for i, c in enumerate(chars)}
    sentences = [text[i:i + maxlen] for i in range(0, len(text) - maxlen, step)]
    next_chars = [text[i + maxlen] for i in range(0, len(text) - maxlen, step)]
    x = np.zeros((len(sentences), maxlen, len(chars)), dtype="bool")
    y = np.zeros((len(sentences), len(chars)), dtype="bool")
    for i, sentence in enumerate(sentences):
        for t, char in enumerate(sentence):
            x[i, t, char_indices[char]] = 1
        y[i, char_indices[next_chars[i]]] = 1
    return x, y


def build_model(vocabulary_size):
    model = keras.Sequential(
        [
            keras.Input(shape=(maxlen, vocabulary_size)),
            layers.LSTM(128),
            layers.Dense(vocabulary_size, activation="softmax"),
        ]
    )
    optimizer = keras.optimizers.RMSprop(learning_rate=0.01, clipnorm=1.0)
    model.compile(loss="categorical_crossentropy", optimizer=optimizer)
    return model


def sample(preds, temperature=1.0):
    preds = np.asarray(preds).astype("float64")
    preds = np.log(preds) / temperature
    exp_preds = np.exp(preds)
    preds = exp_preds / np.sum(exp_preds)
    return np.argmax(np.random.multinomial(1, preds, 1))


def main(text, epochs=40):
    chars = sorted(set(text))
    x, y = vectorize(text, chars)
    model = build_model(len(chars))
    for epoch in range(epochs):
        model.fit(x, y, batch_size=128, epochs=1)
        print("epoch", epoch)
