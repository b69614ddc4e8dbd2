"""Perceiver-style encoder: a learned latent array cross-attends to a long input, then self-attends in latent space."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FeedForward(nn.Module):
    def __init__(self, dim, mult=4, dropout=0.0):
        super().__init__()
        self.net = nn.Sequential(
            nn.LayerNorm(dim),
            nn.Linear(dim, dim * mult * 2),
        )
        self.out = nn.Linear(dim * mult, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        a, gate = self.net(x).chunk(2, dim=-1)
        return self.out(self.drop(a * F.gelu(gate)))


class CrossAttention(nn.Module):
    def __init__(self, q_dim, kv_dim, heads=1, head_dim=64):
        super().__init__()
        inner = heads * head_dim
        self.heads = heads
        self.norm_q = nn.LayerNorm(q_dim)
        self.norm_kv = nn.LayerNorm(kv_dim)
        self.to_q = nn.Linear(q_dim, inner, bias=False)
        self.to_kv = nn.Linear(kv_dim, inner * 2, bias=False)
        self.to_out = nn.Linear(inner, q_dim)

    def forward(self, latents, context, mask=None):
        b, n, _ = latents.shape
        q = self.to_q(self.norm_q(latents))
        k, v = self.to_kv(self.norm_kv(context)).chunk(2, dim=-1)
        q, k, v = (t.reshape(b, t.size(1), self.heads, -1).transpose(1, 2) for t in (q, k, v))
        attn_mask = None if mask is None else mask[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class Perceiver(nn.Module):
    def __init__(self, input_dim=64, num_latents=128, latent_dim=256, depth=4,
                 latent_heads=8, n_classes=10):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, latent_dim) * 0.02)
        self.cross_attn = CrossAttention(latent_dim, input_dim, heads=1, head_dim=latent_dim)
        self.cross_ff = FeedForward(latent_dim)
        self.self_attn = nn.ModuleList([
            nn.TransformerEncoderLayer(latent_dim, latent_heads, dim_feedforward=4 * latent_dim,
                                       dropout=0.1, activation="gelu", batch_first=True, norm_first=True)
            for _ in range(depth)
        ])
        self.head = nn.Sequential(nn.LayerNorm(latent_dim), nn.Linear(latent_dim, n_classes))

    def forward(self, inputs, mask=None):            # inputs: (B, M, input_dim), M can be large
        x = self.latents.unsqueeze(0).expand(inputs.size(0), -1, -1)
        x = x + self.cross_attn(x, inputs, mask)
        x = x + self.cross_ff(x)
        for layer in self.self_attn:
            x = layer(x)
        return self.head(x.mean(dim=1))


def fourier_features(positions, num_bands=16, max_freq=32.0):
    """positions: (..., 1) in [-1, 1] -> (..., 2 * num_bands + 1)."""
    freqs = torch.linspace(1.0, max_freq / 2, num_bands)
    angles = positions * freqs * torch.pi
    return torch.cat([positions, angles.sin(), angles.cos()], dim=-1)


if __name__ == "__main__":
    pos = fourier_features(torch.linspace(-1, 1, 2048)[:, None])      # (2048, 33)
    raw = torch.randn(4, 2048, 31)
    inputs = torch.cat([raw, pos.expand(4, -1, -1)], dim=-1)          # (4, 2048, 64)
    model = Perceiver()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01)
    labels = torch.randint(0, 10, (4,))
    for _ in range(3):
        model.train()
        loss = F.cross_entropy(model(inputs), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(loss.item())
