"""CNN regression trainer with config-driven gradient accumulation; gradients cleared by setting .grad to None."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    epochs: int = 5
    micro_batch: int = 16
    gradient_accumulation_steps: int = 4
    lr: float = 3e-4
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0


class KeypointNet(nn.Module):
    """Predicts (x, y) of a bright blob in a 64x64 image."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.GroupNorm(8, 32), nn.SiLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1, bias=False), nn.GroupNorm(8, 64), nn.SiLU(),
            nn.Conv2d(64, 128, 3, stride=2, padding=1, bias=False), nn.GroupNorm(8, 128), nn.SiLU(),
        )
        self.head = nn.Linear(128, 2)

    def forward(self, x):
        return torch.sigmoid(self.head(self.features(x).mean(dim=(2, 3))))


def blob_batch(bs):
    coords = torch.rand(bs, 2)
    grid = torch.linspace(0, 1, 64)
    yy, xx = torch.meshgrid(grid, grid, indexing="ij")
    d2 = (xx[None] - coords[:, 0, None, None]) ** 2 + (yy[None] - coords[:, 1, None, None]) ** 2
    return torch.exp(-d2 / 0.002).unsqueeze(1) + 0.05 * torch.randn(bs, 1, 64, 64), coords


class Trainer:
    def __init__(self, model, cfg):
        self.model, self.cfg = model, cfg
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        self.global_step = 0

    def clear_grads(self):
        for p in self.model.parameters():
            p.grad = None

    def train_epoch(self, n_micro=64):
        self.model.train()
        accum = self.cfg.gradient_accumulation_steps
        self.clear_grads()
        for i in range(n_micro):
            images, coords = blob_batch(self.cfg.micro_batch)
            loss = F.smooth_l1_loss(self.model(images), coords, beta=0.05)
            loss = loss / accum
            loss.backward()
            if (i + 1) % accum == 0 or i + 1 == n_micro:
                nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.max_grad_norm)
                self.optimizer.step()
                self.clear_grads()
                self.global_step += 1

    @torch.inference_mode()
    def evaluate(self, n=256):
        self.model.eval()
        images, coords = blob_batch(n)
        return (self.model(images) - coords).norm(dim=1).mean().item()

    def fit(self):
        for epoch in range(self.cfg.epochs):
            self.train_epoch()
            print(f"epoch {epoch}: step {self.global_step} mean px error {64 * self.evaluate():.2f}")


if __name__ == "__main__":
    Trainer(KeypointNet(), Config(epochs=1)).fit()
