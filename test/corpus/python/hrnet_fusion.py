import torch
import torch.nn as nn
import torch.nn.functional as F

BN_MOMENTUM = 0.1


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes, momentum=BN_MOMENTUM)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes, momentum=BN_MOMENTUM)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + x)


class HighResolutionModule(nn.Module):
    def __init__(self, num_channels=(32, 64, 128), num_blocks=2):
        super().__init__()
        self.num_branches = len(num_channels)
        self.branches = nn.ModuleList(
            nn.Sequential(*[BasicBlock(c, c) for _ in range(num_blocks)]) for c in num_channels
        )
        self.fuse_layers = self._make_fuse_layers(num_channels)
        self.relu = nn.ReLU(inplace=False)

    def _make_fuse_layers(self, ch):
        fuse_layers = []
        for i in range(self.num_branches):
            fuse_layer = []
            for j in range(self.num_branches):
                if j > i:
                    fuse_layer.append(nn.Sequential(
                        nn.Conv2d(ch[j], ch[i], 1, 1, 0, bias=False),
                        nn.BatchNorm2d(ch[i], momentum=BN_MOMENTUM),
                    ))
                elif j == i:
                    fuse_layer.append(nn.Identity())
                else:
                    downs = []
                    for k in range(i - j):
                        last = k == i - j - 1
                        out_ch = ch[i] if last else ch[j]
                        layers = [
                            nn.Conv2d(ch[j], out_ch, 3, 2, 1, bias=False),
                            nn.BatchNorm2d(out_ch, momentum=BN_MOMENTUM),
                        ]
                        if not last:
                            layers.append(nn.ReLU(inplace=True))
                        downs.append(nn.Sequential(*layers))
                    fuse_layer.append(nn.Sequential(*downs))
            fuse_layers.append(nn.ModuleList(fuse_layer))
        return nn.ModuleList(fuse_layers)

    def forward(self, xs):
        xs = [branch(x) for branch, x in zip(self.branches, xs)]
        out = []
        for i, fuse in enumerate(self.fuse_layers):
            y = xs[i]
            for j in range(self.num_branches):
                if j == i:
                    continue
                z = fuse[j](xs[j])
                if j > i:
                    z = F.interpolate(z, size=xs[i].shape[-2:], mode="bilinear", align_corners=False)
                y = y + z
            out.append(self.relu(y))
        return out


if __name__ == "__main__":
    module = HighResolutionModule((32, 64, 128), num_blocks=2)
    feats = [torch.randn(2, 32, 64, 48), torch.randn(2, 64, 32, 24), torch.randn(2, 128, 16, 12)]
    module.eval()
    with torch.no_grad():
        outs = module(feats)
    print([o.shape for o in outs])
