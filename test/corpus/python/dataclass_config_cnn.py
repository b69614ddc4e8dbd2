"""Experiment configs as nested dataclasses (with `field(default=...)` and
`field(default_factory=...)`), and a CNN built from them."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class ModelConfig:
    in_channels: int = 3
    widths: List[int] = field(default_factory=lambda: [32, 64, 128])
    hidden: int = field(default=256)
    num_classes: int = field(default=10)
    dropout: float = field(default=0.1)


@dataclass
class OptimConfig:
    lr: float = 3e-4
    weight_decay: float = field(default=5e-4)
    betas: Tuple[float, float] = (0.9, 0.999)


@dataclass
class TrainConfig:
    model: ModelConfig = field(default_factory=ModelConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    epochs: int = 10
    batch_size: int = 64
    seed: int = field(default=42, metadata={"help": "global RNG seed"})
    tags: List[str] = field(default_factory=list)


def conv_bn_relu(c_in: int, c_out: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel_size=3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class ConfigurableCNN(nn.Module):
    def __init__(self, cfg: ModelConfig = ModelConfig()):
        super().__init__()
        self.cfg = cfg
        self.stem = conv_bn_relu(cfg.in_channels, cfg.widths[0])
        self.stages = nn.Sequential(
            *[conv_bn_relu(c_in, c_out, stride=2) for c_in, c_out in zip(cfg.widths[:-1], cfg.widths[1:])]
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(cfg.widths[-1], cfg.hidden)
        self.fc2 = nn.Linear(cfg.hidden, cfg.num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stages(self.stem(x))
        x = torch.flatten(self.pool(x), 1)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, p=self.cfg.dropout, training=self.training)
        return self.fc2(x)


def train(cfg: TrainConfig = TrainConfig()) -> ConfigurableCNN:
    torch.manual_seed(cfg.seed)
    model = ConfigurableCNN(cfg.model)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=cfg.optim.lr, weight_decay=cfg.optim.weight_decay, betas=cfg.optim.betas
    )
    print(asdict(cfg))
    for epoch in range(cfg.epochs):
        model.train()
        images = torch.randn(cfg.batch_size, cfg.model.in_channels, 32, 32)
        labels = torch.randint(0, cfg.model.num_classes, (cfg.batch_size,))
        loss = F.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(epoch, loss.item())
    return model


if __name__ == "__main__":
    train(TrainConfig(epochs=2, tags=["smoke-test"]))
