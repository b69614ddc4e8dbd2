"""Mini-Xception (Chollet 2017) with depthwise-separable convolutions, and an MLP trained with weight decay."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SeparableConv2d(nn.Module):
    """Depthwise conv followed directly by a pointwise conv (no nonlinearity in between, as in Xception)."""

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=1, dilation=1):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size, stride, padding, dilation,
                                   groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, 1, 0, 1, 1, bias=False)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class XBlock(nn.Module):
    def __init__(self, in_filters, out_filters, reps, stride=1, start_with_relu=True):
        super().__init__()
        if out_filters != in_filters or stride != 1:
            self.skip = nn.Sequential(
                nn.Conv2d(in_filters, out_filters, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_filters),
            )
        else:
            self.skip = nn.Identity()
        rep = []
        filters = in_filters
        for i in range(reps):
            rep.append(nn.ReLU(inplace=False))
            rep.append(SeparableConv2d(filters, out_filters, 3, stride=1, padding=1))
            rep.append(nn.BatchNorm2d(out_filters))
            filters = out_filters
        if not start_with_relu:
            rep = rep[1:]
        if stride != 1:
            rep.append(nn.MaxPool2d(3, stride, 1))
        self.rep = nn.Sequential(*rep)

    def forward(self, x):
        return self.rep(x) + self.skip(x)


class MiniXception(nn.Module):
    def __init__(self, num_classes=7):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.block1 = XBlock(16, 32, 2, stride=2, start_with_relu=False)
        self.block2 = XBlock(32, 64, 2, stride=2)
        self.block3 = XBlock(64, 64, 2, stride=1)
        self.conv_out = SeparableConv2d(64, 128, 3, 1, 1)
        self.bn_out = nn.BatchNorm2d(128)
        self.fc = nn.Linear(128, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.block3(self.block2(self.block1(x)))
        x = F.relu(self.bn_out(self.conv_out(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


class TabularMLP(nn.Module):
    def __init__(self, in_features=64, hidden=1024, num_classes=2):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.net(x)


def train_mlp(loader, epochs=20):
    model = TabularMLP()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    for _ in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
    return model
