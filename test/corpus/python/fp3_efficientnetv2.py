"""EfficientNetV2-style network with Fused-MBConv and MBConv stages."""
import copy
import math
from dataclasses import dataclass
from typing import List

import torch
import torch.nn as nn


def conv_bn_act(in_ch, out_ch, kernel_size=3, stride=1, groups=1, act=True):
    layers = [
        nn.Conv2d(in_ch, out_ch, kernel_size, stride, (kernel_size - 1) // 2, groups=groups, bias=False),
        nn.BatchNorm2d(out_ch, eps=1e-3, momentum=0.01),
    ]
    if act:
        layers.append(nn.SiLU(inplace=True))
    return layers


class SqueezeExcite(nn.Module):
    def __init__(self, in_ch: int, rd_ch: int):
        super().__init__()
        self.conv_reduce = nn.Conv2d(in_ch, rd_ch, 1)
        self.act = nn.SiLU(inplace=True)
        self.conv_expand = nn.Conv2d(rd_ch, in_ch, 1)

    def forward(self, x):
        s = x.mean((2, 3), keepdim=True)
        s = self.conv_expand(self.act(self.conv_reduce(s)))
        return x * s.sigmoid()


class FusedMBConv(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, expand_ratio: int, stride: int):
        super().__init__()
        self.use_res = stride == 1 and in_ch == out_ch
        mid = in_ch * expand_ratio
        layers: List[nn.Module] = []
        if expand_ratio != 1:
            layers += conv_bn_act(in_ch, mid, 3, stride)
            layers += conv_bn_act(mid, out_ch, 1, act=False)
        else:
            layers += conv_bn_act(in_ch, out_ch, 3, stride)
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        out = self.block(x)
        return out + x if self.use_res else out


class MBConv(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, expand_ratio: int, stride: int, se_ratio: float = 0.25):
        super().__init__()
        self.use_res = stride == 1 and in_ch == out_ch
        mid = in_ch * expand_ratio
        layers: List[nn.Module] = []
        layers += conv_bn_act(in_ch, mid, 1)
        layers += conv_bn_act(mid, mid, 3, stride, groups=mid)
        layers.append(SqueezeExcite(mid, max(1, int(in_ch * se_ratio))))
        layers += conv_bn_act(mid, out_ch, 1, act=False)
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        out = self.block(x)
        return out + x if self.use_res else out


@dataclass
class StageConfig:
    block: str
    expand_ratio: int
    stride: int
    in_ch: int
    out_ch: int
    num_layers: int


class EfficientNetV2(nn.Module):
    def __init__(self, stages: List[StageConfig], num_classes: int = 1000, dropout: float = 0.2,
                 last_channel: int = 1280):
        super().__init__()
        layers: List[nn.Module] = []
        layers += conv_bn_act(3, stages[0].in_ch, 3, 2)
        for cfg in stages:
            for i in range(cfg.num_layers):
                in_ch = cfg.in_ch if i == 0 else cfg.out_ch
                stride = cfg.stride if i == 0 else 1
                if cfg.block == "fused":
                    layers.append(FusedMBConv(in_ch, cfg.out_ch, cfg.expand_ratio, stride))
                else:
                    layers.append(MBConv(in_ch, cfg.out_ch, cfg.expand_ratio, stride))
        layers += conv_bn_act(stages[-1].out_ch, last_channel, 1)
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout, inplace=True),
            nn.Linear(last_channel, num_classes),
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                init_range = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -init_range, init_range)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


class TinyStem(nn.Module):
    """A stem assembled with `layers += helper(...)`, all sizes literal."""

    def __init__(self, num_classes=10):
        super().__init__()
        layers = []
        layers += conv_bn_act(3, 24, 3, 2)
        layers += conv_bn_act(24, 48, 3, 2)
        layers.append(FusedMBConv(48, 48, 4, 1))
        layers.append(MBConv(48, 64, 4, 2))
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = x.mean((2, 3))
        return self.head(x)


def efficientnet_v2_tiny(num_classes=10):
    stages = [
        StageConfig("fused", 1, 1, 24, 24, 2),
        StageConfig("fused", 4, 2, 24, 48, 2),
        StageConfig("mb", 4, 2, 48, 64, 2),
    ]
    return EfficientNetV2(stages, num_classes=num_classes, last_channel=256)
