"""A bidirectional LSTM text classifier with additive attention pooling over the steps."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class AttentionPool(nn.Module):
    """Scores every step against a learned context vector and averages the steps by those scores."""

    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.context = nn.Parameter(torch.empty(dim))
        nn.init.normal_(self.context, std=1.0 / math.sqrt(dim))

    def forward(self, states, mask):
        scores = torch.tanh(self.proj(states)) @ self.context
        scores = scores.masked_fill(~mask, float("-inf"))
        weights = F.softmax(scores, dim=1)
        return torch.bmm(weights.unsqueeze(1), states).squeeze(1)


class LSTMClassifier(nn.Module):
    def __init__(self, vocab_size=20000, embed_dim=128, hidden=128, num_classes=4, dropout=0.3, pad_idx=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_idx)
        self.lstm = nn.LSTM(embed_dim, hidden, num_layers=2, batch_first=True, bidirectional=True, dropout=dropout)
        self.pool = AttentionPool(2 * hidden)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(2 * hidden, num_classes)
        self.pad_idx = pad_idx

    def forward(self, tokens):
        mask = tokens != self.pad_idx
        out, (h, c) = self.lstm(self.embedding(tokens))
        pooled = self.pool(out, mask)
        last = torch.cat((h[-2], h[-1]), dim=1)
        return self.fc(self.drop(pooled + last))


class LastStepRegressor(nn.Module):
    """Predicts the next value of a series from the last step of a GRU."""

    def __init__(self, features=6, hidden=64):
        super().__init__()
        self.gru = nn.GRU(features, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])


def train(model, loader, epochs=5, lr=1e-3, clip=1.0):
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        for tokens, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(tokens), labels)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()


@torch.no_grad()
def accuracy(model, loader):
    model.eval()
    correct = total = 0
    for tokens, labels in loader:
        correct += (model(tokens).argmax(dim=1) == labels).sum().item()
        total += labels.numel()
    return correct / max(total, 1)
