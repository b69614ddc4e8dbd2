"""Topic classification of short texts: TextVectorization inside the model, Embedding, average pooling."""
import tensorflow as tf
import keras
from keras import layers

MAX_TOKENS = 20000
SEQUENCE_LENGTH = 64
EMBED_DIM = 64
CLASS_NAMES = ["sports", "politics", "science", "business"]

train_texts = [
    "the striker scored twice in the final minutes",
    "parliament passed the budget after a long debate",
    "astronomers observed a new exoplanet orbiting a dwarf star",
    "shares rallied after the quarterly earnings report",
    "the coach praised the defence after the match",
    "the senator proposed a new voting reform bill",
    "researchers sequenced the genome of a rare orchid",
    "the central bank held interest rates steady",
]
train_labels = [0, 1, 2, 3, 0, 1, 2, 3]

vectorize_layer = layers.TextVectorization(
    max_tokens=MAX_TOKENS,
    output_mode="int",
    output_sequence_length=SEQUENCE_LENGTH,
)
vectorize_layer.adapt(tf.data.Dataset.from_tensor_slices(train_texts).batch(4))

text_input = keras.Input(shape=(1,), dtype="string", name="text")
token_ids = vectorize_layer(text_input)
x = layers.Embedding(MAX_TOKENS, EMBED_DIM, mask_zero=True)(token_ids)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.2)(x)
x = layers.Dense(64, activation="relu")(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(len(CLASS_NAMES), activation="softmax")(x)
model = keras.Model(text_input, outputs, name="topic_classifier")

model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)

dataset = tf.data.Dataset.from_tensor_slices((train_texts, train_labels)).shuffle(8).batch(4)
model.fit(dataset, epochs=5)

probabilities = model.predict(tf.constant([["the goalkeeper saved a penalty"]]))
print(CLASS_NAMES[int(probabilities.argmax(axis=-1)[0])])
