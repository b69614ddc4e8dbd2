"""A miniature GPT for character-level text generation: token + position embedding layer, decoder blocks with
MultiHeadAttention(use_causal_mask=True), and a vocabulary-sized logits head."""
import numpy as np
import keras
from keras import layers, ops

VOCAB_SIZE = 96
MAXLEN = 64
EMBED_DIM = 128
NUM_HEADS = 4
FEED_FORWARD_DIM = 256
NUM_BLOCKS = 2


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(0, maxlen, 1)
        return self.token_emb(x) + self.pos_emb(positions)


class DecoderBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim // num_heads)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="gelu"), layers.Dense(embed_dim)]
        )
        self.norm1 = layers.LayerNormalization(epsilon=1e-5)
        self.norm2 = layers.LayerNormalization(epsilon=1e-5)
        self.drop1 = layers.Dropout(rate)
        self.drop2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        h = self.norm1(inputs)
        attn = self.att(h, h, use_causal_mask=True)
        x = inputs + self.drop1(attn, training=training)
        h = self.ffn(self.norm2(x))
        return x + self.drop2(h, training=training)


def build_gpt():
    inputs = keras.Input(shape=(MAXLEN,), dtype="int32")
    x = TokenAndPositionEmbedding(MAXLEN, VOCAB_SIZE, EMBED_DIM)(inputs)
    for _ in range(NUM_BLOCKS):
        x = DecoderBlock(EMBED_DIM, NUM_HEADS, FEED_FORWARD_DIM)(x)
    x = layers.LayerNormalization(epsilon=1e-5)(x)
    logits = layers.Dense(VOCAB_SIZE)(x)
    model = keras.Model(inputs=inputs, outputs=logits, name="mini_gpt")
    model.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=3e-4, weight_decay=0.01, clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def sample(model, prompt_ids, num_tokens=40, temperature=0.8, seed=0):
    rng = np.random.default_rng(seed)
    tokens = list(prompt_ids)
    for _ in range(num_tokens):
        window = tokens[-MAXLEN:]
        padded = np.zeros((1, MAXLEN), dtype="int32")
        padded[0, : len(window)] = window
        logits = model.predict(padded, verbose=0)[0, len(window) - 1] / temperature
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        tokens.append(int(rng.choice(VOCAB_SIZE, p=probs)))
    return tokens


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    corpus = rng.integers(1, VOCAB_SIZE, size=(20000,))
    starts = rng.integers(0, len(corpus) - MAXLEN - 1, size=(2048,))
    x_train = np.stack([corpus[s : s + MAXLEN] for s in starts]).astype("int32")
    y_train = np.stack([corpus[s + 1 : s + MAXLEN + 1] for s in starts]).astype("int32")
    gpt = build_gpt()
    gpt.fit(x_train, y_train, batch_size=64, epochs=3)
    print(sample(gpt, [5, 17, 42]))
