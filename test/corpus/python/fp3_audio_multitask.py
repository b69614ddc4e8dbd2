"""Multi-task audio model: 1-D conv front end, GRU, and a ModuleDict of task heads."""
from typing import Dict

import torch
import torch.nn as nn


class ConvFrontEnd(nn.Module):
    def __init__(self, in_ch: int = 40, channels=(64, 128), kernel_size: int = 5):
        super().__init__()
        blocks = []
        prev = in_ch
        for ch in channels:
            blocks.append(nn.Conv1d(prev, ch, kernel_size, padding=kernel_size // 2, bias=False))
            blocks.append(nn.GroupNorm(8, ch))
            blocks.append(nn.PReLU(ch))
            prev = ch
        self.net = nn.Sequential(*blocks)
        self.out_channels = prev

    def forward(self, x):
        return self.net(x)


class MultiTaskAudio(nn.Module):
    def __init__(self, n_mels: int = 40, hidden: int = 128, num_speakers: int = 50, num_keywords: int = 12):
        super().__init__()
        self.frontend = ConvFrontEnd(n_mels)
        self.rnn = nn.GRU(128, hidden, num_layers=1, batch_first=True, bidirectional=True)
        self.norm = nn.LayerNorm(2 * hidden, elementwise_affine=False)
        self.heads = nn.ModuleDict({
            "speaker": nn.Linear(2 * hidden, num_speakers),
            "keyword": nn.Sequential(
                nn.Linear(2 * hidden, hidden),
                nn.ReLU(),
                nn.Dropout(0.1),
                nn.Linear(hidden, num_keywords),
            ),
        })
        self.register_buffer("mel_mean", torch.zeros(n_mels, 1))
        self.register_buffer("mel_std", torch.ones(n_mels, 1))

    def forward(self, mels: torch.Tensor) -> Dict[str, torch.Tensor]:
        x = (mels - self.mel_mean) / self.mel_std     # (B, n_mels, T)
        x = self.frontend(x).transpose(1, 2)          # (B, T, 128)
        x, _ = self.rnn(x)
        x = self.norm(x).mean(dim=1)
        return {name: head(x) for name, head in self.heads.items()}


def train_step(model, batch, optimizer):
    mels, speaker, keyword = batch
    model.train()
    optimizer.zero_grad()
    out = model(mels)
    loss = nn.functional.cross_entropy(out["speaker"], speaker) + nn.functional.cross_entropy(out["keyword"], keyword)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
    optimizer.step()
    return loss.item()
