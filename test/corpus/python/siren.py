"""SIREN (Sitzmann et al. 2020): sine-activated MLP fit to an image as an implicit neural representation."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SineLayer(nn.Module):
    def __init__(self, in_features, out_features, is_first=False, omega_0=30.0):
        super().__init__()
        self.omega_0 = omega_0
        self.linear = nn.Linear(in_features, out_features)
        with torch.no_grad():
            if is_first:
                bound = 1.0 / in_features
            else:
                bound = math.sqrt(6.0 / in_features) / omega_0
            self.linear.weight.uniform_(-bound, bound)

    def forward(self, x):
        return torch.sin(self.omega_0 * self.linear(x))


class Siren(nn.Module):
    def __init__(self, in_features=2, hidden=256, n_hidden_layers=3, out_features=3, omega_0=30.0):
        super().__init__()
        layers = [SineLayer(in_features, hidden, is_first=True, omega_0=omega_0)]
        for _ in range(n_hidden_layers):
            layers.append(SineLayer(hidden, hidden, omega_0=omega_0))
        self.net = nn.Sequential(*layers)
        self.out = nn.Linear(hidden, out_features)
        with torch.no_grad():
            bound = math.sqrt(6.0 / hidden) / omega_0
            self.out.weight.uniform_(-bound, bound)

    def forward(self, coords):
        return self.out(self.net(coords))


def pixel_grid(h, w):
    ys = torch.linspace(-1, 1, h)
    xs = torch.linspace(-1, 1, w)
    grid = torch.stack(torch.meshgrid(ys, xs, indexing="ij"), dim=-1)
    return grid.reshape(-1, 2)


def fit_image(image, steps=500, lr=1e-4):
    """image: (3, H, W) in [-1, 1]."""
    _, h, w = image.shape
    coords = pixel_grid(h, w)
    target = image.permute(1, 2, 0).reshape(-1, 3)
    model = Siren()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for step in range(steps):
        pred = model(coords)
        loss = F.mse_loss(pred, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0:
            psnr = 10 * torch.log10(4.0 / loss.detach())
            print(f"step {step}: mse {loss.item():.5f} psnr {psnr.item():.2f} dB")
    return model


@torch.no_grad()
def render(model, h, w):
    return model(pixel_grid(h, w)).reshape(h, w, 3).permute(2, 0, 1).clamp(-1, 1)


if __name__ == "__main__":
    yy, xx = torch.meshgrid(torch.linspace(0, 1, 64), torch.linspace(0, 1, 64), indexing="ij")
    img = torch.stack([torch.sin(8 * xx), torch.cos(6 * yy), xx * yy * 2 - 1])
    siren = fit_image(img, steps=101)
    print(render(siren, 128, 128).shape)
