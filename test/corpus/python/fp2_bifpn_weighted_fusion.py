"""EfficientDet-style BiFPN with fast normalized (weighted) feature fusion and
a shared separable-conv classification head."""
from typing import List

import torch
import torch.nn.functional as F
from torch import nn


class SeparableConvBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int = None, norm: bool = True, activation: bool = False):
        super().__init__()
        out_channels = out_channels or in_channels
        self.depthwise = nn.Conv2d(in_channels, in_channels, 3, padding=1, groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=not norm)
        self.bn = nn.BatchNorm2d(out_channels, momentum=0.01, eps=1e-3) if norm else nn.Identity()
        self.act = nn.SiLU() if activation else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.pointwise(self.depthwise(x))))


class BiFPNLayer(nn.Module):
    """One top-down + bottom-up pass over five levels P3..P7."""

    def __init__(self, channels: int, eps: float = 1e-4):
        super().__init__()
        self.eps = eps
        self.conv6_up = SeparableConvBlock(channels)
        self.conv5_up = SeparableConvBlock(channels)
        self.conv4_up = SeparableConvBlock(channels)
        self.conv3_up = SeparableConvBlock(channels)
        self.conv4_down = SeparableConvBlock(channels)
        self.conv5_down = SeparableConvBlock(channels)
        self.conv6_down = SeparableConvBlock(channels)
        self.conv7_down = SeparableConvBlock(channels)
        self.p6_w1 = nn.Parameter(torch.ones(2))
        self.p5_w1 = nn.Parameter(torch.ones(2))
        self.p4_w1 = nn.Parameter(torch.ones(2))
        self.p3_w1 = nn.Parameter(torch.ones(2))
        self.p4_w2 = nn.Parameter(torch.ones(3))
        self.p5_w2 = nn.Parameter(torch.ones(3))
        self.p6_w2 = nn.Parameter(torch.ones(3))
        self.p7_w2 = nn.Parameter(torch.ones(2))
        self.act = nn.SiLU()

    def _fuse(self, weight: torch.Tensor, inputs: List[torch.Tensor]) -> torch.Tensor:
        w = F.relu(weight)
        w = w / (w.sum(dim=0) + self.eps)
        return self.act(sum(w[i] * x for i, x in enumerate(inputs)))

    @staticmethod
    def _up(x):
        return F.interpolate(x, scale_factor=2.0, mode="nearest")

    @staticmethod
    def _down(x):
        return F.max_pool2d(x, kernel_size=3, stride=2, padding=1)

    def forward(self, feats: List[torch.Tensor]) -> List[torch.Tensor]:
        p3, p4, p5, p6, p7 = feats
        p6_td = self.conv6_up(self._fuse(self.p6_w1, [p6, self._up(p7)]))
        p5_td = self.conv5_up(self._fuse(self.p5_w1, [p5, self._up(p6_td)]))
        p4_td = self.conv4_up(self._fuse(self.p4_w1, [p4, self._up(p5_td)]))
        p3_out = self.conv3_up(self._fuse(self.p3_w1, [p3, self._up(p4_td)]))
        p4_out = self.conv4_down(self._fuse(self.p4_w2, [p4, p4_td, self._down(p3_out)]))
        p5_out = self.conv5_down(self._fuse(self.p5_w2, [p5, p5_td, self._down(p4_out)]))
        p6_out = self.conv6_down(self._fuse(self.p6_w2, [p6, p6_td, self._down(p5_out)]))
        p7_out = self.conv7_down(self._fuse(self.p7_w2, [p7, self._down(p6_out)]))
        return [p3_out, p4_out, p5_out, p6_out, p7_out]


class BiFPNDetector(nn.Module):
    def __init__(self, backbone_channels=(40, 112, 320), fpn_channels: int = 64, num_layers: int = 3,
                 num_anchors: int = 9, num_classes: int = 20, head_depth: int = 3):
        super().__init__()
        self.laterals = nn.ModuleList([
            nn.Sequential(nn.Conv2d(c, fpn_channels, 1, bias=False), nn.BatchNorm2d(fpn_channels, momentum=0.01, eps=1e-3))
            for c in backbone_channels
        ])
        self.p6_in = nn.Sequential(
            nn.Conv2d(backbone_channels[-1], fpn_channels, 1, bias=False),
            nn.BatchNorm2d(fpn_channels, momentum=0.01, eps=1e-3),
            nn.MaxPool2d(3, stride=2, padding=1),
        )
        self.p7_in = nn.MaxPool2d(3, stride=2, padding=1)
        self.bifpn = nn.Sequential(*[BiFPNLayer(fpn_channels) for _ in range(num_layers)])
        self.cls_tower = nn.Sequential(*[SeparableConvBlock(fpn_channels, activation=True) for _ in range(head_depth)])
        self.cls_header = SeparableConvBlock(fpn_channels, num_anchors * num_classes, norm=False)
        self.num_classes = num_classes
        self.num_anchors = num_anchors
        prior = 0.01
        nn.init.constant_(self.cls_header.pointwise.bias, -torch.log(torch.tensor((1 - prior) / prior)).item())

    def forward(self, c3, c4, c5):
        p3, p4, p5 = [lat(c) for lat, c in zip(self.laterals, (c3, c4, c5))]
        p6 = self.p6_in(c5)
        p7 = self.p7_in(p6)
        feats = self.bifpn([p3, p4, p5, p6, p7])
        outs = []
        for f in feats:
            logits = self.cls_header(self.cls_tower(f))
            b, _, h, w = logits.shape
            outs.append(logits.permute(0, 2, 3, 1).reshape(b, h * w * self.num_anchors, self.num_classes))
        return torch.cat(outs, dim=1)


def sigmoid_focal_loss(logits, targets, alpha: float = 0.25, gamma: float = 2.0):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    return (alpha_t * loss).sum() / targets.sum().clamp(min=1.0)


if __name__ == "__main__":
    model = BiFPNDetector()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    for step in range(3):
        c3, c4, c5 = torch.randn(2, 40, 64, 64), torch.randn(2, 112, 32, 32), torch.randn(2, 320, 16, 16)
        logits = model(c3, c4, c5)
        targets = (torch.rand_like(logits) < 0.01).float()
        loss = sigmoid_focal_loss(logits, targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        print(step, loss.item())
