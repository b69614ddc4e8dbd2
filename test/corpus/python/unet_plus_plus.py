"""U-Net++ (nested U-Net): dense skip pathways where node X(i, j) sees X(i, 0..j-1) and the upsampled X(i+1, j-1)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBlock(nn.Module):
    """Two 3x3 conv-BN-ReLU layers (the VGG block used at every node)."""

    def __init__(self, in_channels, middle_channels, out_channels):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, middle_channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(middle_channels)
        self.conv2 = nn.Conv2d(middle_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(x)))


class NestedUNet(nn.Module):
    def __init__(self, num_classes=1, input_channels=3, deep_supervision=False):
        super().__init__()
        nb = [32, 64, 128, 256, 512]
        self.deep_supervision = deep_supervision
        self.pool = nn.MaxPool2d(2, 2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)

        # Backbone column j = 0.
        self.conv0_0 = ConvBlock(input_channels, nb[0], nb[0])
        self.conv1_0 = ConvBlock(nb[0], nb[1], nb[1])
        self.conv2_0 = ConvBlock(nb[1], nb[2], nb[2])
        self.conv3_0 = ConvBlock(nb[2], nb[3], nb[3])
        self.conv4_0 = ConvBlock(nb[3], nb[4], nb[4])

        # Nested decoder nodes: X(i, j) takes j same-level maps plus one upsampled map from below.
        self.conv0_1 = ConvBlock(nb[0] + nb[1], nb[0], nb[0])
        self.conv1_1 = ConvBlock(nb[1] + nb[2], nb[1], nb[1])
        self.conv2_1 = ConvBlock(nb[2] + nb[3], nb[2], nb[2])
        self.conv3_1 = ConvBlock(nb[3] + nb[4], nb[3], nb[3])

        self.conv0_2 = ConvBlock(nb[0] * 2 + nb[1], nb[0], nb[0])
        self.conv1_2 = ConvBlock(nb[1] * 2 + nb[2], nb[1], nb[1])
        self.conv2_2 = ConvBlock(nb[2] * 2 + nb[3], nb[2], nb[2])

        self.conv0_3 = ConvBlock(nb[0] * 3 + nb[1], nb[0], nb[0])
        self.conv1_3 = ConvBlock(nb[1] * 3 + nb[2], nb[1], nb[1])

        self.conv0_4 = ConvBlock(nb[0] * 4 + nb[1], nb[0], nb[0])

        if self.deep_supervision:
            self.final1 = nn.Conv2d(nb[0], num_classes, kernel_size=1)
            self.final2 = nn.Conv2d(nb[0], num_classes, kernel_size=1)
            self.final3 = nn.Conv2d(nb[0], num_classes, kernel_size=1)
            self.final4 = nn.Conv2d(nb[0], num_classes, kernel_size=1)
        else:
            self.final = nn.Conv2d(nb[0], num_classes, kernel_size=1)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x0_0 = self.conv0_0(x)
        x1_0 = self.conv1_0(self.pool(x0_0))
        x0_1 = self.conv0_1(torch.cat([x0_0, self.up(x1_0)], 1))

        x2_0 = self.conv2_0(self.pool(x1_0))
        x1_1 = self.conv1_1(torch.cat([x1_0, self.up(x2_0)], 1))
        x0_2 = self.conv0_2(torch.cat([x0_0, x0_1, self.up(x1_1)], 1))

        x3_0 = self.conv3_0(self.pool(x2_0))
        x2_1 = self.conv2_1(torch.cat([x2_0, self.up(x3_0)], 1))
        x1_2 = self.conv1_2(torch.cat([x1_0, x1_1, self.up(x2_1)], 1))
        x0_3 = self.conv0_3(torch.cat([x0_0, x0_1, x0_2, self.up(x1_2)], 1))

        x4_0 = self.conv4_0(self.pool(x3_0))
        x3_1 = self.conv3_1(torch.cat([x3_0, self.up(x4_0)], 1))
        x2_2 = self.conv2_2(torch.cat([x2_0, x2_1, self.up(x3_1)], 1))
        x1_3 = self.conv1_3(torch.cat([x1_0, x1_1, x1_2, self.up(x2_2)], 1))
        x0_4 = self.conv0_4(torch.cat([x0_0, x0_1, x0_2, x0_3, self.up(x1_3)], 1))

        if self.deep_supervision:
            return [self.final1(x0_1), self.final2(x0_2), self.final3(x0_3), self.final4(x0_4)]
        return self.final(x0_4)


def dice_bce_loss(logits, target, smooth=1e-5):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    prob = torch.sigmoid(logits)
    inter = (prob * target).sum(dim=(2, 3))
    dice = (2.0 * inter + smooth) / (prob.sum(dim=(2, 3)) + target.sum(dim=(2, 3)) + smooth)
    return bce + (1.0 - dice.mean())


def train_epoch(model, loader, optimizer, device):
    model.train()
    for images, masks in loader:
        images, masks = images.to(device), masks.to(device)
        optimizer.zero_grad()
        out = model(images)
        if isinstance(out, list):
            loss = sum(dice_bce_loss(o, masks) for o in out) / len(out)
        else:
            loss = dice_bce_loss(out, masks)
        loss.backward()
        optimizer.step()
