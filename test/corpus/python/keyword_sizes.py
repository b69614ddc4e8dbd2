from collections import OrderedDict

import torch
from torch import nn

features = nn.Sequential(OrderedDict([
    ("conv0", nn.Conv2d(in_channels=3, out_channels=64, kernel_size=7, stride=2, padding=3, bias=False)),
    ("norm0", nn.BatchNorm2d(num_features=64)),
    ("relu0", nn.ReLU(inplace=True)),
    ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
    ("conv1", nn.Conv2d(64, out_channels=128, kernel_size=3, padding=1, bias=False)),
    ("norm1", nn.BatchNorm2d(128, eps=1e-5, momentum=0.1)),
    ("relu1", nn.ReLU(inplace=True)),
]))


class Siamese(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.embed = nn.Linear(in_features=dim, out_features=dim)
        self.norm = nn.LayerNorm(normalized_shape=(dim,))

    def forward(self, a, b):
        return torch.cosine_similarity(self.norm(self.embed(a)), self.norm(self.embed(b)), dim=-1)
