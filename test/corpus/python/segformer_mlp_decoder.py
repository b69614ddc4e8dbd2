import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, input_dim=2048, embed_dim=768):
        super().__init__()
        self.proj = nn.Linear(input_dim, embed_dim)

    def forward(self, x):
        return self.proj(x.flatten(2).transpose(1, 2))


class OverlapPatchEmbed(nn.Module):
    def __init__(self, in_chans, embed_dim, patch_size=7, stride=4):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, embed_dim, patch_size, stride, padding=patch_size // 2)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x):
        x = self.proj(x)
        _, _, h, w = x.shape
        x = self.norm(x.flatten(2).transpose(1, 2))
        return x.transpose(1, 2).reshape(-1, x.shape[-1], h, w)


class TinyMiT(nn.Module):
    def __init__(self, dims=(32, 64, 160, 256)):
        super().__init__()
        self.stages = nn.ModuleList([
            OverlapPatchEmbed(3, dims[0], 7, 4),
            OverlapPatchEmbed(dims[0], dims[1], 3, 2),
            OverlapPatchEmbed(dims[1], dims[2], 3, 2),
            OverlapPatchEmbed(dims[2], dims[3], 3, 2),
        ])

    def forward(self, x):
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        return feats


class SegFormerHead(nn.Module):
    def __init__(self, in_channels=(32, 64, 160, 256), embed_dim=256, num_classes=19, dropout=0.1):
        super().__init__()
        self.linear_c = nn.ModuleList(MLP(c, embed_dim) for c in in_channels)
        self.linear_fuse = nn.Sequential(
            nn.Conv2d(embed_dim * len(in_channels), embed_dim, 1, bias=False),
            nn.BatchNorm2d(embed_dim),
            nn.ReLU(inplace=True),
        )
        self.dropout = nn.Dropout2d(dropout)
        self.linear_pred = nn.Conv2d(embed_dim, num_classes, kernel_size=1)

    def forward(self, feats):
        n, _, h, w = feats[0].shape
        outs = []
        for feat, mlp in zip(feats, self.linear_c):
            y = mlp(feat).permute(0, 2, 1).reshape(n, -1, feat.shape[2], feat.shape[3])
            outs.append(F.interpolate(y, size=(h, w), mode="bilinear", align_corners=False))
        fused = self.linear_fuse(torch.cat(outs[::-1], dim=1))
        return self.linear_pred(self.dropout(fused))


class SegFormer(nn.Module):
    def __init__(self, num_classes=19):
        super().__init__()
        self.encoder = TinyMiT()
        self.decode_head = SegFormerHead(num_classes=num_classes)

    def forward(self, x):
        logits = self.decode_head(self.encoder(x))
        return F.interpolate(logits, size=x.shape[-2:], mode="bilinear", align_corners=False)


if __name__ == "__main__":
    model = SegFormer(num_classes=19)
    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-5, weight_decay=0.01)
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    model.train()
    for _ in range(2):
        img = torch.randn(2, 3, 128, 128)
        target = torch.randint(0, 19, (2, 128, 128))
        loss = criterion(model(img), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
