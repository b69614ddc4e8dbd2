"""DeepSpeech2-style speech recognition on spectrograms: a 2-D conv front end, stacked bidirectional GRUs,
a softmax over characters plus the CTC blank, and a CTC loss written as a custom Keras loss function."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

CHARACTERS = list("abcdefghijklmnopqrstuvwxyz'?! ")
char_to_num = keras.layers.StringLookup(vocabulary=CHARACTERS, oov_token="")
num_to_char = keras.layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), oov_token="", invert=True)
FFT_LENGTH = 384


def ctc_loss(y_true, y_pred):
    batch_len = tf.cast(tf.shape(y_true)[0], dtype="int64")
    input_length = tf.cast(tf.shape(y_pred)[1], dtype="int64")
    label_length = tf.cast(tf.shape(y_true)[1], dtype="int64")
    input_length = input_length * tf.ones(shape=(batch_len, 1), dtype="int64")
    label_length = label_length * tf.ones(shape=(batch_len, 1), dtype="int64")
    # ctc_batch_cost expects per-frame probabilities (it takes the log itself).
    return keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)


def build_model(input_dim, output_dim, rnn_layers=5, rnn_units=128):
    input_spectrogram = layers.Input((None, input_dim), name="input")
    x = layers.Reshape((-1, input_dim, 1), name="expand_dim")(input_spectrogram)
    x = layers.Conv2D(32, kernel_size=[11, 41], strides=[2, 2], padding="same", use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(name="conv_1_bn")(x)
    x = layers.ReLU(name="conv_1_relu")(x)
    x = layers.Conv2D(32, kernel_size=[11, 21], strides=[1, 2], padding="same", use_bias=False, name="conv_2")(x)
    x = layers.BatchNormalization(name="conv_2_bn")(x)
    x = layers.ReLU(name="conv_2_relu")(x)
    x = layers.Reshape((-1, x.shape[-2] * x.shape[-1]))(x)
    for i in range(1, rnn_layers + 1):
        recurrent = layers.GRU(
            units=rnn_units,
            activation="tanh",
            recurrent_activation="sigmoid",
            use_bias=True,
            return_sequences=True,
            reset_after=True,
            name=f"gru_{i}",
        )
        x = layers.Bidirectional(recurrent, name=f"bidirectional_{i}", merge_mode="concat")(x)
        if i < rnn_layers:
            x = layers.Dropout(rate=0.5)(x)
    x = layers.Dense(units=rnn_units * 2, name="dense_1")(x)
    x = layers.ReLU(name="dense_1_relu")(x)
    x = layers.Dropout(rate=0.5)(x)
    output = layers.Dense(units=output_dim + 1, activation="softmax")(x)
    model = keras.Model(input_spectrogram, output, name="DeepSpeech_2")
    opt = keras.optimizers.Adam(learning_rate=1e-4, clipnorm=1.0)
    model.compile(optimizer=opt, loss=ctc_loss)
    return model


def decode_batch_predictions(pred):
    input_len = np.ones(pred.shape[0]) * pred.shape[1]
    results = keras.backend.ctc_decode(pred, input_length=input_len, greedy=True)[0][0]
    output_text = []
    for result in results:
        result = tf.strings.reduce_join(num_to_char(result)).numpy().decode("utf-8")
        output_text.append(result)
    return output_text


def encode_sample(spectrogram, label):
    label = tf.strings.lower(label)
    label = tf.strings.unicode_split(label, input_encoding="UTF-8")
    label = char_to_num(label)
    return spectrogram, label


if __name__ == "__main__":
    num_frames, num_bins = 200, FFT_LENGTH // 2 + 1
    spectrograms = np.random.randn(16, num_frames, num_bins).astype("float32")
    transcripts = ["the quick brown fox", "jumps over the dog"] * 8
    dataset = (
        tf.data.Dataset.from_tensor_slices((spectrograms, transcripts))
        .map(encode_sample, num_parallel_calls=tf.data.AUTOTUNE)
        .padded_batch(4)
        .prefetch(tf.data.AUTOTUNE)
    )
    model = build_model(input_dim=num_bins, output_dim=char_to_num.vocabulary_size(), rnn_units=512)
    model.summary(line_length=110)
    model.fit(dataset, epochs=1)
    predictions = model.predict(spectrograms[:2], verbose=0)
    print(decode_batch_predictions(predictions))
