"""Synchronous advantage actor-critic (A2C) on a toy vector environment, with GAE and gradient clipping."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class ToyEnv:
    """A batch of independent random-walk environments: reward for moving toward the origin."""

    def __init__(self, n_envs=8, obs_dim=4):
        self.n_envs, self.obs_dim = n_envs, obs_dim
        self.state = torch.randn(n_envs, obs_dim)

    def reset(self):
        self.state = torch.randn(self.n_envs, self.obs_dim)
        return self.state.clone()

    def step(self, actions):
        direction = torch.where(actions.unsqueeze(1) == 1, 1.0, -1.0)
        before = self.state.norm(dim=1)
        self.state = self.state + 0.1 * direction
        reward = before - self.state.norm(dim=1)
        done = self.state.norm(dim=1) > 5.0
        self.state[done] = torch.randn(int(done.sum()), self.obs_dim)
        return self.state.clone(), reward, done.float()


class ActorCritic(nn.Module):
    def __init__(self, obs_dim=4, n_actions=2, hidden=64):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())
        self.policy = nn.Linear(hidden, n_actions)
        self.value = nn.Linear(hidden, 1)
        nn.init.orthogonal_(self.policy.weight, gain=0.01)
        nn.init.zeros_(self.policy.bias)
        nn.init.orthogonal_(self.value.weight, gain=1.0)
        nn.init.zeros_(self.value.bias)

    def forward(self, obs):
        h = self.trunk(obs)
        return self.policy(h), self.value(h).squeeze(-1)


def compute_gae(rewards, values, dones, last_value, gamma=0.99, lam=0.95):
    advantages = torch.zeros_like(rewards)
    gae = torch.zeros_like(last_value)
    for t in reversed(range(rewards.size(0))):
        next_value = last_value if t == rewards.size(0) - 1 else values[t + 1]
        delta = rewards[t] + gamma * next_value * (1 - dones[t]) - values[t]
        gae = delta + gamma * lam * (1 - dones[t]) * gae
        advantages[t] = gae
    return advantages, advantages + values


def train(updates=500, n_steps=16, value_coef=0.5, entropy_coef=0.01, max_grad_norm=0.5):
    env = ToyEnv()
    net = ActorCritic()
    optimizer = torch.optim.RMSprop(net.parameters(), lr=7e-4, alpha=0.99, eps=1e-5)
    obs = env.reset()
    for update in range(updates):
        log_probs, values, rewards, dones, entropies = [], [], [], [], []
        for _ in range(n_steps):
            logits, value = net(obs)
            dist = Categorical(logits=logits)
            action = dist.sample()
            obs, reward, done = env.step(action)
            log_probs.append(dist.log_prob(action))
            entropies.append(dist.entropy())
            values.append(value)
            rewards.append(reward)
            dones.append(done)

        with torch.no_grad():
            _, last_value = net(obs)
            advantages, returns = compute_gae(torch.stack(rewards), torch.stack(values).detach(),
                                              torch.stack(dones), last_value)

        log_probs, values, entropy = torch.stack(log_probs), torch.stack(values), torch.stack(entropies).mean()
        policy_loss = -(log_probs * advantages).mean()
        value_loss = F.mse_loss(values, returns)
        loss = policy_loss + value_coef * value_loss - entropy_coef * entropy

        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), max_grad_norm)
        optimizer.step()
        if update % 50 == 0:
            print(f"update {update}: reward {torch.stack(rewards).mean():.3f} entropy {entropy.item():.3f}")
    return net


if __name__ == "__main__":
    train(updates=100)
