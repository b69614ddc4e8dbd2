import keras
from keras import layers

num_classes = 10


def build_model(input_shape=(64, 64, 3)):
    inputs = keras.Input(shape=input_shape, name="image")
    x = inputs
    for filters in (32, 64, 128):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    shared = layers.Dense(128, activation="relu")(x)
    shared = layers.Dropout(0.3)(shared)

    class_logits = layers.Dense(num_classes, name="class_head")(shared)
    is_real = layers.Dense(1, activation="sigmoid", name="real_head")(shared)
    bbox = layers.Dense(4, name="bbox_head")(shared)
    return keras.Model(inputs, [class_logits, is_real, bbox], name="detector")


model = build_model()
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=[
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        keras.losses.BinaryCrossentropy(),
        keras.losses.Huber(),
    ],
    loss_weights=[1.0, 0.5, 2.0],
    metrics=[["accuracy"], ["accuracy"], ["mae"]],
)

dict_model_inputs = keras.Input(shape=(32,), name="features")
h = layers.Dense(64, activation="relu")(dict_model_inputs)
h = layers.Dense(64, activation="relu")(h)
dict_model = keras.Model(
    dict_model_inputs,
    {
        "label": layers.Dense(num_classes, activation="softmax", name="label_probs")(h),
        "flag": layers.Dense(1, name="flag_logit")(h),
    },
)
dict_model.compile(
    optimizer="adam",
    loss={
        "label": keras.losses.SparseCategoricalCrossentropy(),
        "flag": keras.losses.BinaryCrossentropy(from_logits=True),
    },
)
