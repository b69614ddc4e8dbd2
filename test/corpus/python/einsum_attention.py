"""Multi-head attention, gated MLP and a bilinear classifier head written with raw parameters and torch.einsum."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class EinsumMHA(nn.Module):
    def __init__(self, dim, heads=8):
        super().__init__()
        assert dim % heads == 0
        self.heads, self.head_dim = heads, dim // heads
        # (3, dim, heads, head_dim): one tensor for q, k and v, each scaled by 1/sqrt(fan_in)
        self.w_qkv = nn.Parameter(torch.randn(3, dim, heads, self.head_dim) / math.sqrt(dim))
        self.w_out = nn.Parameter(torch.randn(heads, self.head_dim, dim) / math.sqrt(dim))

    def forward(self, x, causal=True):
        q, k, v = torch.einsum("btd,sdhk->sbhtk", x, self.w_qkv)
        scores = torch.einsum("bhqk,bhsk->bhqs", q, k) / math.sqrt(self.head_dim)
        if causal:
            t = x.size(1)
            mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
            scores = scores.masked_fill(mask, float("-inf"))
        attn = scores.softmax(dim=-1)
        ctx = torch.einsum("bhqs,bhsk->bhqk", attn, v)
        return torch.einsum("bhtk,hkd->btd", ctx, self.w_out)


class EinsumGLU(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w_in = nn.Parameter(torch.empty(2, dim, hidden))
        self.w_out = nn.Parameter(torch.empty(hidden, dim))
        nn.init.normal_(self.w_in, std=dim ** -0.5)
        nn.init.normal_(self.w_out, std=hidden ** -0.5)

    def forward(self, x):
        gate, up = torch.einsum("btd,gdh->gbth", x, self.w_in)
        return torch.einsum("bth,hd->btd", F.silu(gate) * up, self.w_out)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = EinsumMHA(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = EinsumGLU(dim, 4 * dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class EinsumLM(nn.Module):
    def __init__(self, vocab=1000, dim=128, heads=4, depth=3, max_len=256):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.zeros(max_len, dim))
        nn.init.normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, ids):
        x = self.tok(ids) + self.pos[: ids.size(1)]
        for blk in self.blocks:
            x = blk(x)
        return torch.einsum("btd,vd->btv", self.norm(x), self.tok.weight)   # tied output projection


def train(model, data, steps=200, lr=3e-4):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    model.train()
    for step in range(steps):
        i = torch.randint(0, data.numel() - 65, (16,))
        x = torch.stack([data[j:j + 64] for j in i])
        y = torch.stack([data[j + 1:j + 65] for j in i])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    return loss.item()


if __name__ == "__main__":
    corpus = torch.randint(0, 1000, (10_000,))
    print(train(EinsumLM(), corpus, steps=5))
