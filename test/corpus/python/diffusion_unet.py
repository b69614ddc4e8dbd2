"""A small DDPM: UNet with sinusoidal time embeddings, GroupNorm+SiLU residual blocks, and its training loop."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def zero_module(module):
    """Zero a module's parameters so that a residual branch starts as the identity (guided-diffusion)."""
    for p in module.parameters():
        p.detach().zero_()
    return module


class SinusoidalPosEmb(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, t):
        half = self.dim // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half, device=t.device) / (half - 1))
        args = t[:, None].float() * freqs[None]
        return torch.cat((args.sin(), args.cos()), dim=-1)


class ResBlock(nn.Module):
    def __init__(self, in_ch, out_ch, time_dim, groups=8, dropout=0.1):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, in_ch)
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.time_proj = nn.Linear(time_dim, out_ch)
        self.norm2 = nn.GroupNorm(groups, out_ch)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = zero_module(nn.Conv2d(out_ch, out_ch, 3, padding=1))
        self.skip = nn.Conv2d(in_ch, out_ch, 1) if in_ch != out_ch else nn.Identity()

    def forward(self, x, t_emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_proj(F.silu(t_emb))[:, :, None, None]
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return h + self.skip(x)


class UNet(nn.Module):
    def __init__(self, in_ch=3, base=64, time_dim=256):
        super().__init__()
        self.time_mlp = nn.Sequential(
            SinusoidalPosEmb(base),
            nn.Linear(base, time_dim),
            nn.SiLU(),
            nn.Linear(time_dim, time_dim),
        )
        self.inc = nn.Conv2d(in_ch, base, 3, padding=1)
        self.down1 = ResBlock(base, base, time_dim)
        self.pool1 = nn.Conv2d(base, base, 3, stride=2, padding=1)
        self.down2 = ResBlock(base, base * 2, time_dim)
        self.pool2 = nn.Conv2d(base * 2, base * 2, 3, stride=2, padding=1)
        self.mid = ResBlock(base * 2, base * 2, time_dim)
        self.up2 = nn.ConvTranspose2d(base * 2, base * 2, 4, stride=2, padding=1)
        self.dec2 = ResBlock(base * 4, base, time_dim)
        self.up1 = nn.ConvTranspose2d(base, base, 4, stride=2, padding=1)
        self.dec1 = ResBlock(base * 2, base, time_dim)
        self.out_norm = nn.GroupNorm(8, base)
        self.out = zero_module(nn.Conv2d(base, in_ch, 3, padding=1))

    def forward(self, x, t):
        t_emb = self.time_mlp(t)
        x0 = self.inc(x)
        h1 = self.down1(x0, t_emb)
        h2 = self.down2(self.pool1(h1), t_emb)
        h = self.mid(self.pool2(h2), t_emb)
        h = self.dec2(torch.cat([self.up2(h), h2], dim=1), t_emb)
        h = self.dec1(torch.cat([self.up1(h), h1], dim=1), t_emb)
        return self.out(F.silu(self.out_norm(h)))


class GaussianDiffusion:
    def __init__(self, timesteps=1000, beta_start=1e-4, beta_end=0.02):
        self.timesteps = timesteps
        self.betas = torch.linspace(beta_start, beta_end, timesteps)
        self.alphas = 1.0 - self.betas
        self.alpha_bars = torch.cumprod(self.alphas, dim=0)

    def q_sample(self, x0, t, noise):
        ab = self.alpha_bars.to(x0.device)[t][:, None, None, None]
        return ab.sqrt() * x0 + (1 - ab).sqrt() * noise

    @torch.no_grad()
    def sample(self, model, shape, device):
        model.eval()
        x = torch.randn(shape, device=device)
        for i in reversed(range(self.timesteps)):
            t = torch.full((shape[0],), i, device=device, dtype=torch.long)
            eps = model(x, t)
            alpha, ab, beta = self.alphas[i], self.alpha_bars[i], self.betas[i]
            x = (x - beta / (1 - ab).sqrt() * eps) / alpha.sqrt()
            if i > 0:
                x = x + beta.sqrt() * torch.randn_like(x)
        model.train()
        return x.clamp(-1, 1)


def train(model, loader, epochs=100, lr=2e-4, device="cuda"):
    diffusion = GaussianDiffusion()
    model.to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    for _ in range(epochs):
        for x0, _ in loader:
            x0 = x0.to(device)
            t = torch.randint(0, diffusion.timesteps, (x0.size(0),), device=device)
            noise = torch.randn_like(x0)
            loss = F.mse_loss(model(diffusion.q_sample(x0, t, noise), t), noise)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
