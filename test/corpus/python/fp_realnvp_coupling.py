"""RealNVP-style normalizing flow with affine coupling layers on 2-D toy data (e.g. two moons)."""
import math

import torch
import torch.nn as nn


class CouplingNet(nn.Module):
    """Outputs log-scale and shift for the transformed half; zero-initialised last layer => identity flow."""

    def __init__(self, in_features, hidden_features=256, num_hidden=2):
        super().__init__()
        layers = [nn.Linear(in_features, hidden_features), nn.LeakyReLU(0.01)]
        for _ in range(num_hidden - 1):
            layers += [nn.Linear(hidden_features, hidden_features), nn.LeakyReLU(0.01)]
        self.trunk = nn.Sequential(*layers)
        self.out = nn.Linear(hidden_features, 2 * in_features)
        self.scale_factor = nn.Parameter(torch.zeros(in_features))
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x):
        h = self.out(self.trunk(x))
        s, t = h.chunk(2, dim=-1)
        # bounded log-scale for stability, learnable range
        s = torch.tanh(s) * self.scale_factor.exp()
        return s, t


class AffineCoupling(nn.Module):
    def __init__(self, dim, mask, hidden_features=256):
        super().__init__()
        self.register_buffer("mask", mask.float())
        self.net = CouplingNet(dim, hidden_features)

    def forward(self, x):
        x_masked = x * self.mask
        s, t = self.net(x_masked)
        s = s * (1 - self.mask)
        t = t * (1 - self.mask)
        y = x_masked + (1 - self.mask) * (x * torch.exp(s) + t)
        log_det = s.sum(dim=-1)
        return y, log_det

    def inverse(self, y):
        y_masked = y * self.mask
        s, t = self.net(y_masked)
        s = s * (1 - self.mask)
        t = t * (1 - self.mask)
        return y_masked + (1 - self.mask) * ((y - t) * torch.exp(-s))


class RealNVP(nn.Module):
    def __init__(self, dim=2, num_couplings=8, hidden_features=256):
        super().__init__()
        masks = [torch.arange(dim) % 2 == (i % 2) for i in range(num_couplings)]
        self.layers = nn.ModuleList([AffineCoupling(dim, m, hidden_features) for m in masks])
        self.dim = dim

    def forward(self, x):
        log_det = torch.zeros(x.shape[0], device=x.device)
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return x, log_det

    def inverse(self, z):
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z

    def log_prob(self, x):
        z, log_det = self(x)
        log_pz = -0.5 * (z.pow(2).sum(dim=-1) + self.dim * math.log(2 * math.pi))
        return log_pz + log_det

    def sample(self, n):
        z = torch.randn(n, self.dim, device=self.layers[0].mask.device)
        return self.inverse(z)


def make_moons(n, noise=0.05):
    t = torch.rand(n) * math.pi
    upper = torch.rand(n) < 0.5
    x = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
    y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
    return torch.stack([x, y], dim=1) + noise * torch.randn(n, 2)


def train(steps=200, batch_size=256):
    flow = RealNVP(dim=2, num_couplings=8, hidden_features=128)
    optimizer = torch.optim.Adam(flow.parameters(), lr=1e-3, weight_decay=1e-5)
    for step in range(steps):
        x = make_moons(batch_size)
        loss = -flow.log_prob(x).mean()
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(flow.parameters(), 5.0)
        optimizer.step()
        if step % 50 == 0:
            print(f"step {step}: nll {loss.item():.3f}")

    flow.eval()
    with torch.no_grad():
        test_nll = -flow.log_prob(make_moons(1024)).mean().item()
        samples = flow.sample(512)
    return test_nll, samples


if __name__ == "__main__":
    nll, s = train()
    print(nll, s.shape)
