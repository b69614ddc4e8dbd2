"""Contrastive pre-training (SimCLR-like) with a plain CNN encoder whose layer
list is grown with `+=`, `.extend` and `.append`, and a projection MLP built
from consecutive pairs of a dimension list."""
from typing import List, Sequence

import torch
import torch.nn.functional as F
from torch import nn


def conv_bn_relu(in_ch: int, out_ch: int, stride: int = 1) -> List[nn.Module]:
    return [
        nn.Conv2d(in_ch, out_ch, kernel_size=3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_ch),
        nn.ReLU(inplace=True),
    ]


class ConvEncoder(nn.Module):
    def __init__(self, widths: Sequence[int] = (32, 64, 128, 256), in_channels: int = 3):
        super().__init__()
        layers: List[nn.Module] = []
        layers += conv_bn_relu(in_channels, widths[0])
        prev = widths[0]
        for w in widths[1:]:
            layers.extend(conv_bn_relu(prev, w, stride=2))
            layers += [nn.Conv2d(w, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            prev = w
        layers.append(nn.AdaptiveAvgPool2d(1))
        layers.append(nn.Flatten())
        self.features = nn.Sequential(*layers)
        self.out_dim = prev

    def forward(self, x):
        return self.features(x)


class ProjectionHead(nn.Module):
    def __init__(self, dims: Sequence[int] = (256, 512, 512, 128)):
        super().__init__()
        layers: List[nn.Module] = []
        num_linear = len(dims) - 1
        for i, (d_in, d_out) in enumerate(zip(dims[:-1], dims[1:])):
            layers.append(nn.Linear(d_in, d_out, bias=False))
            if i < num_linear - 1:
                layers += [nn.BatchNorm1d(d_out), nn.ReLU(inplace=True)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class SimCLR(nn.Module):
    def __init__(self, proj_dims: Sequence[int] = (256, 512, 512, 128)):
        super().__init__()
        self.encoder = ConvEncoder()
        self.projector = ProjectionHead(proj_dims)

    def forward(self, x):
        return self.projector(self.encoder(x))


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.2) -> torch.Tensor:
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    n = z1.size(0)
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, targets)


def augment(x: torch.Tensor) -> torch.Tensor:
    flip = torch.rand(x.size(0), 1, 1, 1, device=x.device) < 0.5
    x = torch.where(flip, x.flip(-1), x)
    return x + 0.1 * torch.randn_like(x)


def pretrain(epochs: int = 3, batch_size: int = 32):
    model = SimCLR()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9, weight_decay=1e-6)
    for epoch in range(epochs):
        model.train()
        images = torch.rand(batch_size, 3, 32, 32)
        loss = nt_xent(model(augment(images)), model(augment(images)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch}: nt-xent {loss.item():.4f}")
    return model


def linear_probe(encoder: ConvEncoder, num_classes: int = 10, steps: int = 20):
    encoder.eval()
    for p in encoder.parameters():
        p.requires_grad_(False)
    probe = nn.Linear(encoder.out_dim, num_classes)
    optimizer = torch.optim.Adam(probe.parameters(), lr=1e-3)
    for _ in range(steps):
        x, y = torch.rand(64, 3, 32, 32), torch.randint(0, num_classes, (64,))
        with torch.no_grad():
            feats = encoder(x)
        loss = F.cross_entropy(probe(feats), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return probe


if __name__ == "__main__":
    trained = pretrain()
    linear_probe(trained.encoder)
