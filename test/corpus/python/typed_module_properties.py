"""Old-style `super(Net, self).__init__()`, full type hints, properties,
static/class methods and an explicit `__all__`."""
from typing import Dict, Iterator, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

__all__ = ["ResidualBlock", "Net", "build_net", "train_epoch"]


class ResidualBlock(nn.Module):
    expansion: int = 1

    def __init__(self, width: int, dropout: float = 0.1) -> None:
        super(ResidualBlock, self).__init__()
        self.norm: nn.LayerNorm = nn.LayerNorm(width)
        self.fc1: nn.Linear = nn.Linear(width, width * 2)
        self.fc2: nn.Linear = nn.Linear(width * 2, width)
        self.drop: nn.Dropout = nn.Dropout(dropout)

    def forward(self, x: Tensor) -> Tensor:
        h = self.fc2(self.drop(F.gelu(self.fc1(self.norm(x)))))
        return x + self.drop(h)


class Net(nn.Module):
    """A tabular classifier: BN-normalised input projection, two residual blocks, linear head."""

    def __init__(self, in_features: int = 20, hidden: int = 64, num_classes: int = 3,
                 num_blocks: int = 2, dropout: Optional[float] = 0.1) -> None:
        super(Net, self).__init__()
        self._hidden: int = hidden
        self._num_classes: int = num_classes
        self.input_proj: nn.Linear = nn.Linear(in_features, hidden, bias=False)
        self.input_bn: nn.BatchNorm1d = nn.BatchNorm1d(hidden)
        self.blocks: nn.ModuleList = nn.ModuleList(
            [ResidualBlock(hidden, dropout or 0.0) for _ in range(num_blocks)]
        )
        self.head: nn.Linear = nn.Linear(hidden, num_classes)
        self.apply(Net.init_weights)

    @property
    def hidden_size(self) -> int:
        return self._hidden

    @property
    def num_classes(self) -> int:
        return self._num_classes

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @staticmethod
    def init_weights(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    @classmethod
    def from_dict(cls, cfg: Dict[str, int]) -> "Net":
        return cls(**cfg)

    def num_parameters(self, trainable_only: bool = True) -> int:
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not trainable_only)

    def forward(self, x: Tensor) -> Tensor:
        x = F.relu(self.input_bn(self.input_proj(x)))
        for block in self.blocks:
            x = block(x)
        return self.head(x)

    @torch.no_grad()
    def predict_proba(self, x: Tensor) -> Tensor:
        self.eval()
        return F.softmax(self(x), dim=-1)


def build_net(**overrides: int) -> Net:
    cfg: Dict[str, int] = {"in_features": 20, "hidden": 64, "num_classes": 3}
    cfg.update(overrides)
    return Net.from_dict(cfg)


def batches(x: Tensor, y: Tensor, batch_size: int) -> Iterator[Tuple[Tensor, Tensor]]:
    perm = torch.randperm(x.size(0))
    for i in range(0, x.size(0), batch_size):
        idx = perm[i:i + batch_size]
        yield x[idx], y[idx]


def train_epoch(model: Net, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer,
                batch_size: int = 64) -> List[float]:
    model.train()
    losses: List[float] = []
    for xb, yb in batches(x, y, batch_size):
        xb, yb = xb.to(model.device), yb.to(model.device)
        optimizer.zero_grad(set_to_none=True)
        loss: Tensor = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


if __name__ == "__main__":
    net: Net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    features, targets = torch.randn(1000, 20), torch.randint(0, net.num_classes, (1000,))
    for epoch in range(3):
        print(epoch, sum(train_epoch(net, features, targets, opt)) / 16)
    print(net.num_parameters(), net.predict_proba(features[:2]))
