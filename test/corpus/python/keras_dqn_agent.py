"""A DQN agent for a small control task: the Q-network is built on the agent, with a target copy synced from it."""
import random
from collections import deque

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers


class DQNAgent:
    def __init__(self, state_size=8, action_size=4, learning_rate=1e-3, gamma=0.99):
        self.state_size = state_size
        self.action_size = action_size
        self.gamma = gamma
        self.epsilon = 1.0
        self.memory = deque(maxlen=50_000)
        self.model = keras.Sequential()
        self.model.add(keras.Input(shape=(state_size,)))
        self.model.add(layers.Dense(128, activation="relu"))
        self.model.add(layers.Dense(128, activation="relu"))
        # Q-values are unbounded: the last layer stays linear.
        self.model.add(layers.Dense(action_size))
        self.model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate, clipnorm=10.0), loss=keras.losses.Huber())
        self.target = keras.models.clone_model(self.model)
        self.target.set_weights(self.model.get_weights())

    def act(self, state):
        if np.random.rand() < self.epsilon:
            return random.randrange(self.action_size)
        q_values = self.model.predict(state[np.newaxis], verbose=0)
        return int(np.argmax(q_values[0]))

    def remember(self, state, action, reward, next_state, done):
        self.memory.append((state, action, reward, next_state, done))

    def replay(self, batch_size=64):
        if len(self.memory) < batch_size:
            return
        batch = random.sample(self.memory, batch_size)
        states = np.array([item[0] for item in batch])
        next_states = np.array([item[3] for item in batch])
        targets = self.model.predict(states, verbose=0)
        next_q = self.target.predict(next_states, verbose=0)
        for row, (_, action, reward, _, done) in enumerate(batch):
            targets[row, action] = reward if done else reward + self.gamma * np.max(next_q[row])
        self.model.fit(states, targets, epochs=1, verbose=0)
        self.epsilon = max(0.05, self.epsilon * 0.995)

    def sync_target(self):
        self.target.set_weights(self.model.get_weights())
