"""Tacotron 2 text encoder: character embedding, 3 x (Conv1d + BatchNorm + ReLU + Dropout), bidirectional LSTM."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class ConvBNBlock(nn.Module):
    def __init__(self, channels, kernel_size=5, dropout=0.5):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, kernel_size, padding=(kernel_size - 1) // 2, bias=False)
        self.bn = nn.BatchNorm1d(channels)
        self.dropout = dropout
        nn.init.xavier_uniform_(self.conv.weight, gain=nn.init.calculate_gain("relu"))

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        return F.dropout(x, self.dropout, training=self.training)


class TacotronEncoder(nn.Module):
    def __init__(self, n_symbols=148, embed_dim=512, n_convs=3, kernel_size=5):
        super().__init__()
        self.embedding = nn.Embedding(n_symbols, embed_dim, padding_idx=0)
        std = math.sqrt(2.0 / (n_symbols + embed_dim))
        val = math.sqrt(3.0) * std
        self.embedding.weight.data.uniform_(-val, val)
        self.convs = nn.ModuleList([ConvBNBlock(embed_dim, kernel_size) for _ in range(n_convs)])
        self.lstm = nn.LSTM(embed_dim, embed_dim // 2, num_layers=1, batch_first=True, bidirectional=True)

    def forward(self, tokens, lengths):
        x = self.embedding(tokens).transpose(1, 2)   # (B, C, T)
        for conv in self.convs:
            x = conv(x)
        x = x.transpose(1, 2)                         # (B, T, C)
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True)
        return out                                    # (B, T, 512)


class Prenet(nn.Module):
    """Decoder prenet. Tacotron 2 keeps its dropout on at inference too (it acts as a source of noise)."""

    def __init__(self, in_dim=80, sizes=(256, 256), p=0.5):
        super().__init__()
        dims = [in_dim, *sizes]
        self.layers = nn.ModuleList([nn.Linear(a, b, bias=False) for a, b in zip(dims[:-1], dims[1:])])
        self.p = p

    def forward(self, x):
        for linear in self.layers:
            x = F.dropout(F.relu(linear(x)), p=self.p, training=True)
        return x


class DurationHead(nn.Module):
    """Toy supervised head so the encoder can be trained on its own (predicts log-durations)."""

    def __init__(self, encoder, hidden=256):
        super().__init__()
        self.encoder = encoder
        self.proj = nn.Sequential(nn.Linear(512, hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, 1))

    def forward(self, tokens, lengths):
        return self.proj(self.encoder(tokens, lengths)).squeeze(-1)


def train_durations(model, batches, epochs=3, lr=1e-3, clip=1.0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-6)
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for tokens, lengths, log_dur in batches:
            pred = model(tokens, lengths)
            mask = torch.arange(pred.size(1))[None, :] < lengths[:, None]
            loss = F.mse_loss(pred[mask], log_dur[:, :pred.size(1)][mask])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
            total += loss.item()
        print(f"epoch {epoch}: {total / len(batches):.4f}")


if __name__ == "__main__":
    lengths = torch.tensor([40, 31, 25])
    tokens = torch.randint(1, 148, (3, 40))
    for i, n in enumerate(lengths):
        tokens[i, n:] = 0
    log_dur = torch.randn(3, 40)
    model = DurationHead(TacotronEncoder())
    train_durations(model, [(tokens, lengths, log_dur)], epochs=1)
    prenet = Prenet()
    print(prenet(torch.randn(3, 10, 80)).shape)
