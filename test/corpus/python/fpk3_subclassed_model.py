import keras
from keras import layers


class MLPClassifier(keras.Model):
    """Subclassed classifier, in the style of the Keras subclassing guide."""

    def __init__(self, num_classes=10, hidden_units=(256, 128), dropout_rate=0.2, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.hidden = [layers.Dense(units, activation="relu") for units in hidden_units]
        self.dropout = layers.Dropout(dropout_rate)
        self.classifier = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.flatten(inputs)
        for dense in self.hidden:
            x = dense(x)
            x = self.dropout(x, training=training)
        return self.classifier(x)


model = MLPClassifier()
model.build((None, 28, 28))
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
(x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
model.fit(x_train / 255.0, y_train, epochs=5, batch_size=64)
