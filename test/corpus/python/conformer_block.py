"""Conformer encoder block (Gulati et al. 2020): macaron half-step FFNs, MHSA, and a depthwise conv module."""
import torch
import torch.nn as nn


class FeedForwardModule(nn.Module):
    def __init__(self, d_model, expansion=4, dropout=0.1):
        super().__init__()
        self.net = nn.Sequential(
            nn.LayerNorm(d_model),
            nn.Linear(d_model, d_model * expansion),
            nn.SiLU(),
            nn.Dropout(dropout),
            nn.Linear(d_model * expansion, d_model),
            nn.Dropout(dropout),
        )

    def forward(self, x):
        return self.net(x)


class ConvModule(nn.Module):
    def __init__(self, d_model, kernel_size=31, dropout=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.pointwise_in = nn.Conv1d(d_model, 2 * d_model, 1)
        self.glu = nn.GLU(dim=1)
        self.depthwise = nn.Conv1d(d_model, d_model, kernel_size,
                                   padding=kernel_size // 2, groups=d_model, bias=False)
        self.bn = nn.BatchNorm1d(d_model)
        self.act = nn.SiLU()
        self.pointwise_out = nn.Conv1d(d_model, d_model, 1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):                      # x: (B, T, D)
        y = self.norm(x).transpose(1, 2)       # (B, D, T)
        y = self.glu(self.pointwise_in(y))
        y = self.act(self.bn(self.depthwise(y)))
        y = self.dropout(self.pointwise_out(y))
        return y.transpose(1, 2)


class ConformerBlock(nn.Module):
    def __init__(self, d_model=256, n_heads=4, kernel_size=31, dropout=0.1):
        super().__init__()
        self.ff1 = FeedForwardModule(d_model, dropout=dropout)
        self.attn_norm = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.attn_dropout = nn.Dropout(dropout)
        self.conv = ConvModule(d_model, kernel_size, dropout)
        self.ff2 = FeedForwardModule(d_model, dropout=dropout)
        self.final_norm = nn.LayerNorm(d_model)

    def forward(self, x, key_padding_mask=None):
        x = x + 0.5 * self.ff1(x)
        h = self.attn_norm(x)
        h, _ = self.attn(h, h, h, key_padding_mask=key_padding_mask, need_weights=False)
        x = x + self.attn_dropout(h)
        x = x + self.conv(x)
        x = x + 0.5 * self.ff2(x)
        return self.final_norm(x)


class ConformerEncoder(nn.Module):
    def __init__(self, n_mels=80, d_model=256, n_layers=4, n_heads=4):
        super().__init__()
        self.subsample = nn.Sequential(
            nn.Conv2d(1, d_model, 3, stride=2),
            nn.ReLU(),
            nn.Conv2d(d_model, d_model, 3, stride=2),
            nn.ReLU(),
        )
        freq = ((n_mels - 1) // 2 - 1) // 2
        self.proj = nn.Linear(d_model * freq, d_model)
        self.layers = nn.ModuleList([ConformerBlock(d_model, n_heads) for _ in range(n_layers)])

    def forward(self, mels):                   # mels: (B, T, n_mels)
        x = self.subsample(mels.unsqueeze(1))  # (B, C, T', F')
        b, c, t, f = x.shape
        x = self.proj(x.permute(0, 2, 1, 3).reshape(b, t, c * f))
        for layer in self.layers:
            x = layer(x)
        return x


if __name__ == "__main__":
    enc = ConformerEncoder()
    out = enc(torch.randn(2, 200, 80))
    print(out.shape, sum(p.numel() for p in enc.parameters()))
