"""The recurrent classifier of the Keras RNN guide: an LSTM over embeddings, trained with Adam and no clipping."""
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(None,), dtype="int32"),
    layers.Embedding(input_dim=1000, output_dim=64),
    layers.LSTM(128),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=1000)
model.fit(x_train, y_train, batch_size=64, epochs=10)
