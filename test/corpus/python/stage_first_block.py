"""A small ResNet whose stages give their first block the stride and the width change, told by the empty list."""
import torch
import torch.nn as nn


def conv3x3(in_chs: int, out_chs: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_chs, out_chs, kernel_size=3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    def __init__(self, in_chs: int, out_chs: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = conv3x3(in_chs, out_chs, stride)
        self.bn1 = nn.BatchNorm2d(out_chs)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(out_chs, out_chs)
        self.bn2 = nn.BatchNorm2d(out_chs)
        self.downsample = None
        if stride != 1 or in_chs != out_chs:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_chs, out_chs, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(out_chs),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + shortcut)


class Stage(nn.Module):
    def __init__(self, in_chs: int, out_chs: int, depth: int, stride: int) -> None:
        super().__init__()
        blocks = []
        for _ in range(depth):
            # Only the first block changes the resolution and the width.
            block_stride = stride if not blocks else 1
            block_in = in_chs if not blocks else out_chs
            blocks.append(BasicBlock(block_in, out_chs, block_stride))
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.blocks(x)


class TinyResNet(nn.Module):
    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 16, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(inplace=True),
        )
        self.stage1 = Stage(16, 16, depth=2, stride=1)
        self.stage2 = Stage(16, 32, depth=2, stride=2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stage2(self.stage1(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))
