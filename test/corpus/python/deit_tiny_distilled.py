"""DeiT-Tiny, distilled variant: a ViT with an extra distillation token and a second head supervised by a teacher."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderBlock(nn.Module):
    """Pre-norm transformer block built on nn.MultiheadAttention."""

    def __init__(self, dim, heads, mlp_ratio=4, drop=0.0, drop_path=0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=drop, batch_first=True)
        self.ln2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(
            nn.Linear(dim, dim * mlp_ratio),
            nn.GELU(),
            nn.Dropout(drop),
            nn.Linear(dim * mlp_ratio, dim),
            nn.Dropout(drop),
        )
        self.drop_path = drop_path

    def _drop_path(self, x):
        if not self.training or self.drop_path == 0.0:
            return x
        keep = 1.0 - self.drop_path
        mask = x.new_empty(x.shape[0], 1, 1).bernoulli_(keep)
        return x * mask / keep

    def forward(self, x):
        h = self.ln1(x)
        h, _ = self.attn(h, h, h, need_weights=False)
        x = x + self._drop_path(h)
        x = x + self._drop_path(self.mlp(self.ln2(x)))
        return x


class DistilledViT(nn.Module):
    def __init__(self, img_size=224, patch_size=16, in_chans=3, num_classes=1000, embed_dim=192, depth=12, num_heads=3, drop_path_rate=0.1):
        super().__init__()
        self.patch_embed = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)
        num_patches = (img_size // patch_size) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.dist_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches + 2, embed_dim))
        rates = torch.linspace(0, drop_path_rate, depth).tolist()
        self.blocks = nn.Sequential(*[EncoderBlock(embed_dim, num_heads, drop_path=rates[i]) for i in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Linear(embed_dim, num_classes)
        self.head_dist = nn.Linear(embed_dim, num_classes)

        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        nn.init.trunc_normal_(self.dist_token, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        b = x.shape[0]
        x = torch.cat((self.cls_token.expand(b, -1, -1), self.dist_token.expand(b, -1, -1), x), dim=1)
        x = self.blocks(x + self.pos_embed)
        x = self.norm(x)
        logits, logits_dist = self.head(x[:, 0]), self.head_dist(x[:, 1])
        if self.training:
            return logits, logits_dist
        # At test time the two heads are averaged.
        return (logits + logits_dist) / 2


def hard_distillation_loss(outputs, labels, teacher_logits):
    logits, logits_dist = outputs
    teacher_labels = teacher_logits.argmax(dim=1)
    return 0.5 * F.cross_entropy(logits, labels) + 0.5 * F.cross_entropy(logits_dist, teacher_labels)


def train_epoch(student, teacher, loader, optimizer):
    student.train()
    teacher.eval()
    for images, labels in loader:
        with torch.no_grad():
            teacher_logits = teacher(images)
        loss = hard_distillation_loss(student(images), labels, teacher_logits)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
