import torch
from torch import nn


class ControlBlock(nn.Module):
    """A ControlNet-style branch whose output conv starts at zero, so training starts from the frozen model."""

    def __init__(self, channels=64):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.act = nn.SiLU()
        self.zero_conv = nn.Conv2d(channels, channels, 1)
        nn.init.zeros_(self.zero_conv.weight)
        nn.init.zeros_(self.zero_conv.bias)

    def forward(self, x):
        return self.zero_conv(self.act(self.conv1(x)))


class Head(nn.Module):
    def __init__(self, hidden=256, out=10):
        super().__init__()
        self.fc1 = nn.Linear(hidden, hidden)
        self.fc2 = nn.Linear(hidden, out)
        nn.init.constant_(self.fc2.weight, 0)
        nn.init.constant_(self.fc2.bias, 0)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
