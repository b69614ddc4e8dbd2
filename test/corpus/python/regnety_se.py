"""A RegNetY-200MF-like network: group-width bottlenecks with squeeze-and-excitation, built from a stage table."""
import torch
import torch.nn as nn
import torch.nn.functional as F

# (depth, width, group width) per stage, bottleneck ratio 1, SE ratio 0.25 of the block input width.
STAGES = [(1, 24, 8), (1, 56, 8), (4, 152, 8), (7, 368, 8)]


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, squeeze_channels):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, channels, 1)

    def forward(self, x):
        scale = F.adaptive_avg_pool2d(x, 1)
        scale = torch.sigmoid(self.fc2(F.relu(self.fc1(scale), inplace=True)))
        return x * scale


class YBlock(nn.Module):
    def __init__(self, w_in, w_out, stride, group_width, se_ratio=0.25):
        super().__init__()
        groups = w_out // group_width
        self.a = nn.Sequential(nn.Conv2d(w_in, w_out, 1, bias=False), nn.BatchNorm2d(w_out), nn.ReLU(inplace=True))
        self.b = nn.Sequential(
            nn.Conv2d(w_out, w_out, 3, stride=stride, padding=1, groups=groups, bias=False),
            nn.BatchNorm2d(w_out),
            nn.ReLU(inplace=True),
        )
        self.se = SqueezeExcitation(w_out, int(round(se_ratio * w_in)))
        self.c = nn.Sequential(nn.Conv2d(w_out, w_out, 1, bias=False), nn.BatchNorm2d(w_out))
        self.proj = None
        if w_in != w_out or stride != 1:
            self.proj = nn.Sequential(nn.Conv2d(w_in, w_out, 1, stride=stride, bias=False), nn.BatchNorm2d(w_out))

    def forward(self, x):
        shortcut = x if self.proj is None else self.proj(x)
        return F.relu(shortcut + self.c(self.se(self.b(self.a(x)))), inplace=True)


class RegNetY(nn.Module):
    def __init__(self, stages=STAGES, stem_width=32, num_classes=1000):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, stem_width, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(stem_width),
            nn.ReLU(inplace=True),
        )
        blocks = []
        w_in = stem_width
        for depth, width, group_width in stages:
            for i in range(depth):
                blocks.append(YBlock(w_in, width, 2 if i == 0 else 1, group_width))
                w_in = width
        self.trunk = nn.Sequential(*blocks)
        self.fc = nn.Linear(w_in, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
                nn.init.normal_(m.weight, mean=0.0, std=(2.0 / fan_out) ** 0.5)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, mean=0.0, std=0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.trunk(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def validate(model, loader, device="cuda"):
    model.train(False)
    top1 = 0
    with torch.no_grad():
        for images, target in loader:
            top1 += (model(images.to(device)).argmax(1) == target.to(device)).sum().item()
    return top1 / len(loader.dataset)


def train(model, loader, val_loader, epochs=100, device="cuda"):
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.8, momentum=0.9, weight_decay=5e-5, nesterov=True)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        model.train()
        for images, target in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(images.to(device)), target.to(device)).backward()
            optimizer.step()
        scheduler.step()
        print(epoch, validate(model, val_loader, device))
