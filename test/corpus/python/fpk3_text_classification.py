import keras
from keras import layers
import tensorflow as tf

max_features = 10000
sequence_length = 250
embedding_dim = 16

raw_train_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=32, validation_split=0.2, subset="training", seed=42
)
raw_val_ds = keras.utils.text_dataset_from_directory(
    "aclImdb/train", batch_size=32, validation_split=0.2, subset="validation", seed=42
)

vectorize_layer = layers.TextVectorization(
    max_tokens=max_features,
    output_mode="int",
    output_sequence_length=sequence_length,
)
train_text = raw_train_ds.map(lambda x, y: x)
vectorize_layer.adapt(train_text)


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(tf.data.AUTOTUNE)
val_ds = raw_val_ds.map(vectorize_text).cache().prefetch(tf.data.AUTOTUNE)

model = keras.Sequential([
    layers.Embedding(max_features, embedding_dim),
    layers.Dropout(0.2),
    layers.GlobalAveragePooling1D(),
    layers.Dropout(0.2),
    layers.Dense(1),
])

model.compile(
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    optimizer="adam",
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
)
model.fit(train_ds, validation_data=val_ds, epochs=10)

export_model = keras.Sequential([
    vectorize_layer,
    model,
    layers.Activation("sigmoid"),
])
export_model.compile(
    loss=keras.losses.BinaryCrossentropy(from_logits=False),
    optimizer="adam",
    metrics=["accuracy"],
)
