"""Layers written with nn.Parameter weights: an equalized-learning-rate mapping network, a low-rank adapter and a
linear layer that resets its own parameters the way nn.Linear does."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class EqualLinear(nn.Module):
    """Weights drawn from N(0, 1) and scaled at run time, so every layer learns at the same rate (ProGAN, StyleGAN)."""

    def __init__(self, in_dim, out_dim, lr_mul=1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_dim, in_dim).div_(lr_mul))
        self.bias = nn.Parameter(torch.zeros(out_dim))
        self.scale = (1 / math.sqrt(in_dim)) * lr_mul
        self.lr_mul = lr_mul

    def forward(self, x):
        return F.linear(x, self.weight * self.scale, bias=self.bias * self.lr_mul)


class MappingNetwork(nn.Module):
    def __init__(self, dim=512, depth=8):
        super().__init__()
        self.layers = nn.ModuleList([EqualLinear(dim, dim, lr_mul=0.01) for _ in range(depth)])

    def forward(self, z):
        x = z * torch.rsqrt(z.pow(2).mean(dim=1, keepdim=True) + 1e-8)
        for layer in self.layers:
            x = F.leaky_relu(layer(x), 0.2)
        return x


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update that starts at zero."""

    def __init__(self, in_features, out_features, rank=8, alpha=16):
        super().__init__()
        self.base = nn.Linear(in_features, out_features)
        self.base.requires_grad_(False)
        self.lora_a = nn.Parameter(torch.empty(rank, in_features))
        self.lora_b = nn.Parameter(torch.zeros(out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.scaling = alpha / rank

    def forward(self, x):
        return self.base(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scaling


class Dense(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))
        self.bias = nn.Parameter(torch.randn(out_features))
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        bound = 1 / math.sqrt(self.weight.size(1))
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = Dense(784, 256)
        self.adapter = LoRALinear(256, 256)
        self.fc2 = Dense(256, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.adapter(F.relu(self.fc1(x.flatten(1))))))
