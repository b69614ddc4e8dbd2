"""Collaborative filtering on MovieLens-style ratings: user and movie embeddings, a dot product plus per-id biases,
squashed to [0, 1] with a sigmoid and trained with binary cross-entropy on normalised ratings."""
import numpy as np
import pandas as pd
import keras
from keras import layers, ops

EMBEDDING_SIZE = 50


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super().__init__(**kwargs)
        self.num_users = num_users
        self.num_movies = num_movies
        self.embedding_size = embedding_size
        self.user_embedding = layers.Embedding(
            num_users,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.user_bias = layers.Embedding(num_users, 1)
        self.movie_embedding = layers.Embedding(
            num_movies,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.movie_bias = layers.Embedding(num_movies, 1)

    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        user_bias = self.user_bias(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        movie_bias = self.movie_bias(inputs[:, 1])
        dot_user_movie = ops.sum(user_vector * movie_vector, axis=1, keepdims=True)
        x = dot_user_movie + user_bias + movie_bias
        # The rating is normalised to [0, 1], so a sigmoid gives a matching range.
        return ops.nn.sigmoid(x)


def make_fake_ratings(num_users=300, num_movies=500, num_ratings=20000, seed=42):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "userId": rng.integers(1, num_users + 1, num_ratings),
            "movieId": rng.integers(1, num_movies + 1, num_ratings) * 7,
            "rating": rng.choice([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0], num_ratings),
        }
    )


def prepare(df):
    user_ids = df["userId"].unique().tolist()
    movie_ids = df["movieId"].unique().tolist()
    user2user_encoded = {x: i for i, x in enumerate(user_ids)}
    movie2movie_encoded = {x: i for i, x in enumerate(movie_ids)}
    df["user"] = df["userId"].map(user2user_encoded)
    df["movie"] = df["movieId"].map(movie2movie_encoded)
    min_rating, max_rating = df["rating"].min(), df["rating"].max()
    df = df.sample(frac=1, random_state=42)
    x = df[["user", "movie"]].values
    y = df["rating"].apply(lambda r: (r - min_rating) / (max_rating - min_rating)).values
    return x, y, len(user2user_encoded), len(movie2movie_encoded)


if __name__ == "__main__":
    x, y, num_users, num_movies = prepare(make_fake_ratings())
    split = int(0.9 * len(x))
    x_train, x_val, y_train, y_val = x[:split], x[split:], y[:split], y[split:]

    model = RecommenderNet(num_users, num_movies, EMBEDDING_SIZE)
    model.compile(
        loss=keras.losses.BinaryCrossentropy(),
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    )
    history = model.fit(
        x=x_train,
        y=y_train,
        batch_size=64,
        epochs=5,
        verbose=1,
        validation_data=(x_val, y_val),
    )

    # Top-10 recommendations for one user among movies they have not rated.
    user = 0
    candidates = np.arange(num_movies)
    pairs = np.stack([np.full_like(candidates, user), candidates], axis=1)
    scores = model.predict(pairs, verbose=0).flatten()
    print("top movies:", candidates[np.argsort(scores)[-10:][::-1]])
