"""RepVGG blocks: 3x3, 1x1 and identity branches while training, one fused 3x3 convolution for deployment."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int, groups: int = 1) -> nn.Sequential:
    result = nn.Sequential()
    result.add_module("conv", nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups=groups, bias=False))
    result.add_module("bn", nn.BatchNorm2d(out_channels))
    return result


class RepVGGBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1, deploy: bool = False) -> None:
        super().__init__()
        self.deploy = deploy
        self.nonlinearity = nn.ReLU()
        if deploy:
            self.rbr_reparam = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=True)
        else:
            self.rbr_identity = nn.BatchNorm2d(in_channels) if out_channels == in_channels and stride == 1 else None
            self.rbr_dense = conv_bn(in_channels, out_channels, 3, stride, 1)
            self.rbr_1x1 = conv_bn(in_channels, out_channels, 1, stride, 0)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if hasattr(self, "rbr_reparam"):
            return self.nonlinearity(self.rbr_reparam(inputs))
        identity = 0 if self.rbr_identity is None else self.rbr_identity(inputs)
        return self.nonlinearity(self.rbr_dense(inputs) + self.rbr_1x1(inputs) + identity)


class TinyRepVGG(nn.Module):
    def __init__(self, num_classes: int = 10, deploy: bool = False) -> None:
        super().__init__()
        self.stage0 = RepVGGBlock(3, 16, stride=2, deploy=deploy)
        self.stage1 = nn.Sequential(RepVGGBlock(16, 32, stride=2, deploy=deploy), RepVGGBlock(32, 32, deploy=deploy))
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.linear = nn.Linear(32, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.stage1(self.stage0(x))
        out = self.gap(out).view(out.size(0), -1)
        return self.linear(out)


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, images: torch.Tensor, labels: torch.Tensor) -> float:
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()
