"""ResNeXt-50 (32x4d): bottlenecks whose 3x3 conv is split into 32 groups of width 4 at the first stage."""
import torch
import torch.nn as nn


class ResNeXtBottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, cardinality=32, base_width=4):
        super().__init__()
        width = int(planes * (base_width / 64.0)) * cardinality
        self.conv_reduce = nn.Conv2d(inplanes, width, kernel_size=1, bias=False)
        self.bn_reduce = nn.BatchNorm2d(width)
        self.conv_group = nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=1, groups=cardinality, bias=False)
        self.bn_group = nn.BatchNorm2d(width)
        self.conv_expand = nn.Conv2d(width, planes * self.expansion, kernel_size=1, bias=False)
        self.bn_expand = nn.BatchNorm2d(planes * self.expansion)
        self.act = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.act(self.bn_reduce(self.conv_reduce(x)))
        out = self.act(self.bn_group(self.conv_group(out)))
        out = self.bn_expand(self.conv_expand(out))
        return self.act(out + shortcut)


class ResNeXt(nn.Module):
    def __init__(self, layers=(3, 4, 6, 3), cardinality=32, base_width=4, num_classes=1000, zero_init_residual=False):
        super().__init__()
        self.cardinality = cardinality
        self.base_width = base_width
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(64, layers[0])
        self.layer2 = self._make_layer(128, layers[1], stride=2)
        self.layer3 = self._make_layer(256, layers[2], stride=2)
        self.layer4 = self._make_layer(512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512 * ResNeXtBottleneck.expansion, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, ResNeXtBottleneck):
                    nn.init.constant_(m.bn_expand.weight, 0)

    def _make_layer(self, planes, blocks, stride=1):
        outplanes = planes * ResNeXtBottleneck.expansion
        downsample = None
        if stride != 1 or self.inplanes != outplanes:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, outplanes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(outplanes),
            )
        layers = [ResNeXtBottleneck(self.inplanes, planes, stride, downsample, self.cardinality, self.base_width)]
        self.inplanes = outplanes
        layers.extend(
            ResNeXtBottleneck(self.inplanes, planes, cardinality=self.cardinality, base_width=self.base_width)
            for _ in range(1, blocks)
        )
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def resnext50_32x4d(**kwargs):
    return ResNeXt((3, 4, 6, 3), cardinality=32, base_width=4, **kwargs)
