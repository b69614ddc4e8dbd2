import keras
from keras import layers

NUM_CLASSES = 10
HIDDEN_WIDTHS = [512, 256, 128]


def build_mlp(input_dim=784, widths=HIDDEN_WIDTHS, dropout_rate=0.3):
    model = keras.Sequential(name="mlp")
    model.add(keras.Input(shape=(input_dim,)))
    for width in widths:
        model.add(layers.Dense(width, activation="relu"))
        model.add(layers.Dropout(dropout_rate))
    model.add(layers.Dense(NUM_CLASSES, activation="softmax"))
    return model


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

model = build_mlp()
model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    metrics=["accuracy"],
)
model.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)
model.evaluate(x_test, y_test)
