"""DDPM on 2-D toy data: noise-prediction MLP with time embedding, MSE on epsilon, EMA weights, ancestral sampling."""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10_000) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResidualMLPBlock(nn.Module):
    def __init__(self, dim, t_dim, dropout=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim * 2)
        self.t_proj = nn.Linear(t_dim, dim * 2)
        self.drop = nn.Dropout(dropout)
        self.fc2 = nn.Linear(dim * 2, dim)

    def forward(self, x, t_emb):
        h = self.fc1(self.norm(x)) + self.t_proj(t_emb)
        return x + self.fc2(self.drop(F.silu(h)))


class EpsModel(nn.Module):
    def __init__(self, data_dim=2, dim=128, t_dim=64, n_blocks=4):
        super().__init__()
        self.t_dim = t_dim
        self.t_mlp = nn.Sequential(nn.Linear(t_dim, t_dim), nn.SiLU(), nn.Linear(t_dim, t_dim))
        self.inp = nn.Linear(data_dim, dim)
        self.blocks = nn.ModuleList([ResidualMLPBlock(dim, t_dim) for _ in range(n_blocks)])
        self.out_norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, data_dim)

    def forward(self, x, t):
        t_emb = self.t_mlp(timestep_embedding(t, self.t_dim))
        h = self.inp(x)
        for blk in self.blocks:
            h = blk(h, t_emb)
        return self.out(F.silu(self.out_norm(h)))


class Schedule:
    def __init__(self, T=200):
        self.T = T
        self.betas = torch.linspace(1e-4, 0.02, T)
        self.alphas = 1.0 - self.betas
        self.alpha_bar = torch.cumprod(self.alphas, dim=0)


@torch.no_grad()
def ema_update(ema, model, decay=0.999):
    for p_ema, p in zip(ema.parameters(), model.parameters()):
        p_ema.lerp_(p, 1.0 - decay)


def two_moons(n):
    t = torch.rand(n) * math.pi
    top = torch.stack([torch.cos(t), torch.sin(t)], 1)
    bottom = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
    pts = torch.where(torch.rand(n, 1) < 0.5, top, bottom)
    return pts + 0.05 * torch.randn_like(pts)


def train(steps=2000, batch=256):
    sched = Schedule()
    model = EpsModel()
    ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for step in range(steps):
        model.train()
        x0 = two_moons(batch)
        t = torch.randint(0, sched.T, (batch,))
        noise = torch.randn_like(x0)
        ab = sched.alpha_bar[t][:, None]
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        loss = F.mse_loss(model(xt, t), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema_update(ema, model)
        if step % 500 == 0:
            print(f"step {step}: loss {loss.item():.4f}")
    return ema, sched


def sample(model, sched, n=1000):
    model.eval()
    with torch.no_grad():
        x = torch.randn(n, 2)
        for i in reversed(range(sched.T)):
            t = torch.full((n,), i, dtype=torch.long)
            eps = model(x, t)
            a, ab, b = sched.alphas[i], sched.alpha_bar[i], sched.betas[i]
            mean = (x - b / (1 - ab).sqrt() * eps) / a.sqrt()
            x = mean + b.sqrt() * torch.randn_like(x) if i > 0 else mean
    return x


if __name__ == "__main__":
    ema_model, schedule = train(steps=501)
    print(sample(ema_model, schedule).mean(0))
