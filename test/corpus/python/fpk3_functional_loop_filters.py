import keras
from keras import layers


def get_model(img_size=(64, 64), num_classes=5, activation="relu"):
    inputs = keras.Input(shape=img_size + (1,))
    x = layers.Rescaling(1.0 / 255)(inputs)

    filters = 16
    for _ in range(3):
        x = layers.Conv2D(filters, 3, padding="same")(x)
        if activation == "relu":
            x = layers.ReLU()(x)
        else:
            x = layers.LeakyReLU(negative_slope=0.1)(x)
        x = layers.MaxPooling2D(2)(x)
        filters *= 2

    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(0.4)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


model = get_model()
model.compile(
    optimizer="rmsprop",
    loss="sparse_categorical_crossentropy",
    metrics=["sparse_categorical_accuracy"],
)
