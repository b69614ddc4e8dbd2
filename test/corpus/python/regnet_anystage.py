"""A RegNet-style network (torchvision layout): stages of residual bottlenecks with group convolutions and SE."""
import math
from typing import Optional

import torch
import torch.nn as nn


class ConvBNAct(nn.Sequential):
    def __init__(self, width_in: int, width_out: int, kernel_size: int, stride: int = 1, groups: int = 1, activation: bool = True) -> None:
        super().__init__(
            nn.Conv2d(width_in, width_out, kernel_size, stride=stride, padding=(kernel_size - 1) // 2, groups=groups, bias=False),
            nn.BatchNorm2d(width_out, eps=1e-5, momentum=0.1),
            nn.ReLU(inplace=True) if activation else nn.Identity(),
        )


class SqueezeExcite(nn.Module):
    def __init__(self, channels: int, squeeze: int) -> None:
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.reduce = nn.Conv2d(channels, squeeze, 1)
        self.act = nn.ReLU(inplace=True)
        self.expand = nn.Conv2d(squeeze, channels, 1)
        self.gate = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate(self.expand(self.act(self.reduce(self.pool(x)))))


class BottleneckTransform(nn.Sequential):
    def __init__(self, width_in: int, width_out: int, stride: int, group_width: int, bottleneck_multiplier: float, se_ratio: Optional[float]) -> None:
        w_b = int(round(width_out * bottleneck_multiplier))
        groups = w_b // group_width
        layers = [
            ConvBNAct(width_in, w_b, 1),
            ConvBNAct(w_b, w_b, 3, stride=stride, groups=groups),
        ]
        if se_ratio:
            layers.append(SqueezeExcite(w_b, int(round(se_ratio * width_in))))
        layers.append(ConvBNAct(w_b, width_out, 1, activation=False))
        super().__init__(*layers)


class ResBottleneckBlock(nn.Module):
    def __init__(self, width_in: int, width_out: int, stride: int, group_width: int = 8, bottleneck_multiplier: float = 1.0, se_ratio: Optional[float] = 0.25) -> None:
        super().__init__()
        self.proj = None
        if width_in != width_out or stride != 1:
            self.proj = ConvBNAct(width_in, width_out, 1, stride=stride, activation=False)
        self.f = BottleneckTransform(width_in, width_out, stride, group_width, bottleneck_multiplier, se_ratio)
        self.activation = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.proj is None else self.proj(x)
        return self.activation(shortcut + self.f(x))


class AnyStage(nn.Sequential):
    def __init__(self, width_in: int, width_out: int, stride: int, depth: int, group_width: int, se_ratio: Optional[float]) -> None:
        super().__init__()
        for i in range(depth):
            block = ResBottleneckBlock(width_in if i == 0 else width_out, width_out, stride if i == 0 else 1, group_width, 1.0, se_ratio)
            self.add_module(f"block{i + 1}", block)


class TinyRegNet(nn.Module):
    def __init__(self, num_classes: int = 100) -> None:
        super().__init__()
        self.stem = ConvBNAct(3, 32, 3, stride=2)
        self.trunk = nn.Sequential(
            AnyStage(32, 48, 2, 1, 16, 0.25),
            AnyStage(48, 96, 2, 2, 16, 0.25),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(96, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                nn.init.normal_(m.weight, mean=0.0, std=math.sqrt(2.0 / fan_out))
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0.0, std=0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.trunk(self.stem(x))
        x = self.avgpool(x)
        return self.fc(x.flatten(start_dim=1))
