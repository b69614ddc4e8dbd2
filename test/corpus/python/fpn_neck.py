"""A Feature Pyramid Network neck (torchvision style) for ResNet-50 C2..C5, with RetinaNet-style P6/P7 extra levels."""
from collections import OrderedDict
from typing import Dict, List

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class LastLevelP6P7(nn.Module):
    """P6 = conv3x3/s2 on P5, P7 = conv3x3/s2 on relu(P6)."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.p6 = nn.Conv2d(in_channels, out_channels, 3, 2, 1)
        self.p7 = nn.Conv2d(out_channels, out_channels, 3, 2, 1)
        for module in [self.p6, self.p7]:
            nn.init.kaiming_uniform_(module.weight, a=1)
            nn.init.constant_(module.bias, 0)

    def forward(self, p5: Tensor) -> List[Tensor]:
        p6 = self.p6(p5)
        p7 = self.p7(F.relu(p6))
        return [p6, p7]


class FeaturePyramidNetwork(nn.Module):
    def __init__(self, in_channels_list: List[int], out_channels: int, extra_blocks: nn.Module = None) -> None:
        super().__init__()
        self.inner_blocks = nn.ModuleList()
        self.layer_blocks = nn.ModuleList()
        for in_channels in in_channels_list:
            if in_channels == 0:
                raise ValueError("in_channels=0 is currently not supported")
            self.inner_blocks.append(nn.Conv2d(in_channels, out_channels, kernel_size=1))
            self.layer_blocks.append(nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1))

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_uniform_(m.weight, a=1)
                nn.init.constant_(m.bias, 0)

        self.extra_blocks = extra_blocks

    def forward(self, x: Dict[str, Tensor]) -> Dict[str, Tensor]:
        names = list(x.keys())
        feats = list(x.values())

        last_inner = self.inner_blocks[-1](feats[-1])
        results = [self.layer_blocks[-1](last_inner)]
        for idx in range(len(feats) - 2, -1, -1):
            inner_lateral = self.inner_blocks[idx](feats[idx])
            inner_top_down = F.interpolate(last_inner, size=inner_lateral.shape[-2:], mode="nearest")
            last_inner = inner_lateral + inner_top_down
            results.insert(0, self.layer_blocks[idx](last_inner))

        if self.extra_blocks is not None:
            results.extend(self.extra_blocks(results[-1]))
            names.extend(["p6", "p7"])
        return OrderedDict(zip(names, results))


class ResNet50FPNNeck(nn.Module):
    def __init__(self, out_channels: int = 256) -> None:
        super().__init__()
        self.fpn = FeaturePyramidNetwork([256, 512, 1024, 2048], out_channels, extra_blocks=LastLevelP6P7(out_channels, out_channels))

    def forward(self, c2: Tensor, c3: Tensor, c4: Tensor, c5: Tensor) -> Dict[str, Tensor]:
        return self.fpn(OrderedDict([("p2", c2), ("p3", c3), ("p4", c4), ("p5", c5)]))
