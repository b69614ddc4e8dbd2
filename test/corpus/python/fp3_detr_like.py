"""A small DETR-style set-prediction head on top of a CNN backbone, using nn.Transformer."""
import torch
import torch.nn as nn


class MLP(nn.Module):
    """Very simple multi-layer perceptron (also called FFN), as in DETR."""

    def __init__(self, input_dim, hidden_dim, output_dim, num_layers):
        super().__init__()
        self.num_layers = num_layers
        h = [hidden_dim] * (num_layers - 1)
        self.layers = nn.ModuleList(nn.Linear(n, k) for n, k in zip([input_dim] + h, h + [output_dim]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = torch.relu(layer(x)) if i < self.num_layers - 1 else layer(x)
        return x


class Backbone(nn.Module):
    def __init__(self, out_channels=128):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(32),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2, padding=1),
            nn.Conv2d(32, 64, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.Conv2d(64, out_channels, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.body(x)


class MiniDETR(nn.Module):
    def __init__(self, num_classes=20, hidden_dim=64, nheads=4, num_encoder_layers=2,
                 num_decoder_layers=2, num_queries=25):
        super().__init__()
        self.backbone = Backbone(128)
        self.input_proj = nn.Conv2d(128, hidden_dim, kernel_size=1)
        self.transformer = nn.Transformer(
            d_model=hidden_dim, nhead=nheads,
            num_encoder_layers=num_encoder_layers, num_decoder_layers=num_decoder_layers,
            dim_feedforward=4 * hidden_dim, dropout=0.1, batch_first=True,
        )
        self.query_embed = nn.Embedding(num_queries, hidden_dim)
        self.row_embed = nn.Parameter(torch.rand(50, hidden_dim // 2))
        self.col_embed = nn.Parameter(torch.rand(50, hidden_dim // 2))
        self.class_embed = nn.Linear(hidden_dim, num_classes + 1)
        self.bbox_embed = MLP(hidden_dim, hidden_dim, 4, 3)

    def forward(self, images):
        feat = self.input_proj(self.backbone(images))
        B, C, H, W = feat.shape
        pos = torch.cat([
            self.col_embed[:W].unsqueeze(0).repeat(H, 1, 1),
            self.row_embed[:H].unsqueeze(1).repeat(1, W, 1),
        ], dim=-1).flatten(0, 1).unsqueeze(0)
        src = feat.flatten(2).transpose(1, 2) + pos
        tgt = self.query_embed.weight.unsqueeze(0).repeat(B, 1, 1)
        hs = self.transformer(src, tgt)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


class CrossAttentionPooler(nn.Module):
    """Learned queries attend over features of a different width (kdim/vdim)."""

    def __init__(self, embed_dim=64, feat_dim=128, num_heads=4, num_queries=8):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(1, num_queries, embed_dim) * 0.02)
        self.attn = nn.MultiheadAttention(embed_dim, num_heads, kdim=feat_dim, vdim=feat_dim, batch_first=True)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, feats):
        q = self.queries.expand(feats.size(0), -1, -1)
        out, _ = self.attn(q, feats, feats, need_weights=False)
        return self.norm(out + q)
