import tensorflow as tf
from keras.layers import BatchNormalization, Dense, Dropout

model = tf.keras.Sequential()
model.add(Dense(64, input_dim=20, activation=tf.keras.activations.relu))
model.add(BatchNormalization())
model.add(Dropout(0.2))
model.add(Dense(units=64, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer=tf.keras.optimizers.legacy.Adam(learning_rate=1e-3), loss="binary_crossentropy", metrics=["AUC"])

logits_model = tf.keras.Sequential([tf.keras.layers.Dense(32, activation="relu", input_shape=(8,)), tf.keras.layers.Dense(3)])
logits_model.compile(optimizer="sgd", loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
