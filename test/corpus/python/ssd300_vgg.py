"""SSD300 on a VGG-16 base: the base, the extra feature layers and the box heads are lists that helpers build."""
import torch
import torch.nn as nn
import torch.nn.functional as F

# VGG-16 up to conv5_3: channel widths, "M" for a max-pool, "C" for one that rounds up (38x38 maps from 300x300).
BASE = [64, 64, "M", 128, 128, "M", 256, 256, 256, "C", 512, 512, 512, "M", 512, 512, 512]
# Extra layers, each a 1x1 squeeze then a 3x3: (in, squeeze, out, stride, padding).
EXTRAS = [(1024, 256, 512, 2, 1), (512, 128, 256, 2, 1), (256, 128, 256, 1, 0), (256, 128, 256, 1, 0)]
# The feature maps boxes are predicted from, and how many default boxes each location has on each.
SOURCE_CHANNELS = [512, 1024, 512, 256, 256, 256]
BOXES = [4, 6, 6, 6, 4, 4]


def vgg_base(cfg, in_channels=3):
    layers = []
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        elif v == "C":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=True)]
        else:
            layers += [nn.Conv2d(in_channels, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            in_channels = v
    # fc6 and fc7 of VGG as convolutions, fc6 dilated to keep the receptive field after pool5 keeps the size.
    pool5 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
    conv6 = nn.Conv2d(512, 1024, kernel_size=3, padding=6, dilation=6)
    conv7 = nn.Conv2d(1024, 1024, kernel_size=1)
    layers += [pool5, conv6, nn.ReLU(inplace=True), conv7, nn.ReLU(inplace=True)]
    return layers


def extra_layers(cfg):
    layers = []
    for cin, squeeze, cout, stride, padding in cfg:
        layers += [nn.Conv2d(cin, squeeze, kernel_size=1), nn.Conv2d(squeeze, cout, kernel_size=3, stride=stride, padding=padding)]
    return layers


def init_conv(m):
    if isinstance(m, nn.Conv2d):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


def box_heads(channels, boxes, outputs_per_box):
    return [nn.Conv2d(c, b * outputs_per_box, kernel_size=3, padding=1) for c, b in zip(channels, boxes)]


class L2Norm(nn.Module):
    """Scales conv4_3's features, whose magnitude differs from the deeper maps', by a learned per-channel weight."""

    def __init__(self, channels, scale):
        super().__init__()
        self.weight = nn.Parameter(torch.full((channels,), float(scale)))
        self.eps = 1e-10

    def forward(self, x):
        norm = x.pow(2).sum(dim=1, keepdim=True).sqrt() + self.eps
        return self.weight.view(1, -1, 1, 1) * x / norm


class SSD300(nn.Module):
    def __init__(self, num_classes=21):
        super().__init__()
        self.num_classes = num_classes
        self.base = nn.ModuleList(vgg_base(BASE))
        self.l2_norm = L2Norm(512, 20)
        self.extras = nn.ModuleList(extra_layers(EXTRAS))
        self.loc = nn.ModuleList(box_heads(SOURCE_CHANNELS, BOXES, 4))
        self.conf = nn.ModuleList(box_heads(SOURCE_CHANNELS, BOXES, num_classes))
        # The base starts from ImageNet weights (loaded by the caller); the layers SSD adds start from Xavier.
        for added in (self.extras, self.loc, self.conf):
            added.apply(init_conv)

    def forward(self, x):
        sources = []
        # conv4_3 ends at index 22 of the base; its ReLU'd output is the first source.
        for k in range(23):
            x = self.base[k](x)
        sources.append(self.l2_norm(x))
        for k in range(23, len(self.base)):
            x = self.base[k](x)
        sources.append(x)
        for k, layer in enumerate(self.extras):
            x = F.relu(layer(x), inplace=True)
            if k % 2 == 1:
                sources.append(x)
        loc = torch.cat([head(s).permute(0, 2, 3, 1).flatten(1) for s, head in zip(sources, self.loc)], 1)
        conf = torch.cat([head(s).permute(0, 2, 3, 1).flatten(1) for s, head in zip(sources, self.conf)], 1)
        return loc.view(loc.size(0), -1, 4), conf.view(conf.size(0), -1, self.num_classes)
