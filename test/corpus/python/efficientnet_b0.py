"""EfficientNet-B0 (torchvision layout): MBConv blocks with 3x3/5x5 depthwise kernels, SE, SiLU, stochastic depth."""
import copy
import math
from dataclasses import dataclass
from functools import partial
from typing import List

import torch
import torch.nn as nn
from torch import Tensor


def _make_divisible(v: float, divisor: int = 8, min_value=None) -> int:
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def stochastic_depth(x: Tensor, p: float, training: bool) -> Tensor:
    """Row-mode stochastic depth: zero the residual branch for a random subset of the batch."""
    if not training or p == 0.0:
        return x
    survival = 1.0 - p
    noise = torch.empty([x.shape[0]] + [1] * (x.ndim - 1), dtype=x.dtype, device=x.device).bernoulli_(survival)
    return x * noise.div_(survival)


class StochasticDepth(nn.Module):
    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        return stochastic_depth(x, self.p, self.training)


class ConvNormAct(nn.Sequential):
    def __init__(self, cin: int, cout: int, kernel_size: int = 3, stride: int = 1, groups: int = 1, activation: bool = True) -> None:
        layers = [
            nn.Conv2d(cin, cout, kernel_size, stride, (kernel_size - 1) // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1),
        ]
        if activation:
            layers.append(nn.SiLU(inplace=True))
        super().__init__(*layers)


class SqueezeExcitation(nn.Module):
    def __init__(self, channels: int, squeeze_channels: int) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, channels, 1)
        self.activation = nn.SiLU()
        self.scale_activation = nn.Sigmoid()

    def forward(self, x: Tensor) -> Tensor:
        scale = self.avgpool(x)
        scale = self.fc2(self.activation(self.fc1(scale)))
        return x * self.scale_activation(scale)


@dataclass
class MBConvConfig:
    expand_ratio: float
    kernel: int
    stride: int
    input_channels: int
    out_channels: int
    num_layers: int


class MBConv(nn.Module):
    def __init__(self, cnf: MBConvConfig, stochastic_depth_prob: float) -> None:
        super().__init__()
        if not 1 <= cnf.stride <= 2:
            raise ValueError("illegal stride value")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels

        layers: List[nn.Module] = []
        expanded = _make_divisible(cnf.input_channels * cnf.expand_ratio, 8)
        if expanded != cnf.input_channels:
            layers.append(ConvNormAct(cnf.input_channels, expanded, kernel_size=1))
        layers.append(ConvNormAct(expanded, expanded, kernel_size=cnf.kernel, stride=cnf.stride, groups=expanded))
        layers.append(SqueezeExcitation(expanded, max(1, cnf.input_channels // 4)))
        layers.append(ConvNormAct(expanded, cnf.out_channels, kernel_size=1, activation=False))
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob)

    def forward(self, x: Tensor) -> Tensor:
        result = self.block(x)
        if self.use_res_connect:
            result = self.stochastic_depth(result)
            result += x
        return result


B0_SETTING = [
    MBConvConfig(1, 3, 1, 32, 16, 1),
    MBConvConfig(6, 3, 2, 16, 24, 2),
    MBConvConfig(6, 5, 2, 24, 40, 2),
    MBConvConfig(6, 3, 2, 40, 80, 3),
    MBConvConfig(6, 5, 1, 80, 112, 3),
    MBConvConfig(6, 5, 2, 112, 192, 4),
    MBConvConfig(6, 3, 1, 192, 320, 1),
]


class EfficientNet(nn.Module):
    def __init__(self, setting: List[MBConvConfig] = B0_SETTING, dropout: float = 0.2, stochastic_depth_prob: float = 0.2, num_classes: int = 1000) -> None:
        super().__init__()
        layers: List[nn.Module] = [ConvNormAct(3, setting[0].input_channels, kernel_size=3, stride=2)]

        total_blocks = sum(cnf.num_layers for cnf in setting)
        block_id = 0
        for cnf in setting:
            stage: List[nn.Module] = []
            for _ in range(cnf.num_layers):
                block_cnf = copy.copy(cnf)
                if stage:
                    block_cnf.input_channels = block_cnf.out_channels
                    block_cnf.stride = 1
                sd_prob = stochastic_depth_prob * float(block_id) / total_blocks
                stage.append(MBConv(block_cnf, sd_prob))
                block_id += 1
            layers.append(nn.Sequential(*stage))

        last_in = setting[-1].out_channels
        last_out = 4 * last_in
        layers.append(ConvNormAct(last_in, last_out, kernel_size=1))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout, inplace=True),
            nn.Linear(last_out, num_classes),
        )

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                init_range = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -init_range, init_range)
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor:
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


def efficientnet_b0(**kwargs) -> EfficientNet:
    return EfficientNet(B0_SETTING, dropout=0.2, **kwargs)
