"""Wide ResNet-50-2: a ResNet-50 whose bottleneck 3x3 width is doubled (outer widths unchanged)."""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class WideBottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_ch, planes, stride=1, width_factor=2):
        super().__init__()
        mid = planes * width_factor
        out_ch = planes * self.expansion
        self.conv1 = nn.Conv2d(in_ch, mid, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, out_ch, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_ch)
        if stride != 1 or in_ch != out_ch:
            self.shortcut = nn.Sequential(OrderedDict([
                ("conv", nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False)),
                ("bn", nn.BatchNorm2d(out_ch)),
            ]))
        else:
            self.shortcut = nn.Identity()

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)), inplace=True)
        y = F.relu(self.bn2(self.conv2(y)), inplace=True)
        y = self.bn3(self.conv3(y))
        return F.relu(y + self.shortcut(x), inplace=True)


class WideResNet(nn.Module):
    def __init__(self, depths=(3, 4, 6, 3), width_factor=2, num_classes=1000, zero_init_residual=True):
        super().__init__()
        self.stem = nn.Sequential(OrderedDict([
            ("conv", nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)),
            ("bn", nn.BatchNorm2d(64)),
            ("relu", nn.ReLU(inplace=True)),
            ("pool", nn.MaxPool2d(3, stride=2, padding=1)),
        ]))
        in_ch = 64
        stages = []
        for idx, (planes, n) in enumerate(zip((64, 128, 256, 512), depths)):
            blocks = OrderedDict()
            for b in range(n):
                stride = 2 if (b == 0 and idx > 0) else 1
                blocks[f"block{b}"] = WideBottleneck(in_ch, planes, stride, width_factor)
                in_ch = planes * WideBottleneck.expansion
            stages.append(nn.Sequential(blocks))
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(in_ch, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.01)
                nn.init.zeros_(m.bias)
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, WideBottleneck):
                    nn.init.zeros_(m.bn3.weight)

    def forward(self, x):
        x = self.stem(x)
        x = self.stages(x)
        x = self.pool(x).flatten(1)
        return self.fc(x)


def wide_resnet50_2(num_classes=1000):
    return WideResNet((3, 4, 6, 3), width_factor=2, num_classes=num_classes)
