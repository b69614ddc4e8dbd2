"""MobileNetV3-style network (torchvision style), small config."""
from functools import partial
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_divisible(v: float, divisor: int = 8, min_value: Optional[int] = None) -> int:
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class SqueezeExcitation(nn.Module):
    def __init__(self, input_channels: int, squeeze_channels: int):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = nn.ReLU(inplace=True)
        self.scale_activation = nn.Hardsigmoid(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = self.avgpool(x)
        scale = self.fc1(scale)
        scale = self.activation(scale)
        scale = self.fc2(scale)
        scale = self.scale_activation(scale)
        return scale * x


class ConvBNActivation(nn.Sequential):
    def __init__(self, in_planes, out_planes, kernel_size=3, stride=1, groups=1, activation_layer=nn.Hardswish):
        padding = (kernel_size - 1) // 2
        super().__init__(
            nn.Conv2d(in_planes, out_planes, kernel_size, stride, padding, groups=groups, bias=False),
            nn.BatchNorm2d(out_planes),
            activation_layer(inplace=True),
        )


class InvertedResidual(nn.Module):
    def __init__(self, in_ch: int, kernel: int, exp_ch: int, out_ch: int, use_se: bool, use_hs: bool, stride: int):
        super().__init__()
        self.use_res_connect = stride == 1 and in_ch == out_ch
        act = nn.Hardswish if use_hs else nn.ReLU
        layers: List[nn.Module] = []
        if exp_ch != in_ch:
            layers.append(ConvBNActivation(in_ch, exp_ch, kernel_size=1, activation_layer=act))
        layers.append(ConvBNActivation(exp_ch, exp_ch, kernel_size=kernel, stride=stride, groups=exp_ch, activation_layer=act))
        if use_se:
            squeeze = _make_divisible(exp_ch // 4, 8)
            layers.append(SqueezeExcitation(exp_ch, squeeze))
        layers.append(nn.Conv2d(exp_ch, out_ch, 1, bias=False))
        layers.append(nn.BatchNorm2d(out_ch))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        out = self.block(x)
        if self.use_res_connect:
            out = out + x
        return out


class TinyMobileNetV3(nn.Module):
    def __init__(self, num_classes: int = 10, dropout: float = 0.2):
        super().__init__()
        self.stem = ConvBNActivation(3, 16, kernel_size=3, stride=2)
        self.blocks = nn.Sequential(
            InvertedResidual(16, 3, 16, 16, True, False, 2),
            InvertedResidual(16, 3, 72, 24, False, False, 2),
            InvertedResidual(24, 3, 88, 24, False, False, 1),
        )
        self.last_conv = ConvBNActivation(24, 144, kernel_size=1)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(144, 256),
            nn.Hardswish(inplace=True),
            nn.Dropout(p=dropout, inplace=True),
            nn.Linear(256, num_classes),
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
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.stem(x)
        x = self.blocks(x)
        x = self.last_conv(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)
