"""A BiLSTM sequence tagger trained with mixed precision, gradient clipping and a warmup schedule."""
import math

import torch
from torch import nn
from torch.cuda.amp import GradScaler, autocast


class BiLSTMTagger(nn.Module):
    def __init__(self, vocab_size, num_tags, embed_dim=128, hidden_dim=256, num_layers=2, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(
            embed_dim,
            hidden_dim,
            num_layers=num_layers,
            batch_first=True,
            bidirectional=True,
            dropout=dropout,
        )
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(2 * hidden_dim, num_tags)

    def forward(self, tokens):
        embedded = self.dropout(self.embedding(tokens))
        outputs, _ = self.lstm(embedded)
        return self.classifier(self.dropout(outputs))


def warmup_cosine(step, warmup, total):
    if step < warmup:
        return step / max(1, warmup)
    progress = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1.0 + math.cos(math.pi * progress))


def train(model, loader, epochs=5, lr=1e-3, max_norm=1.0, device="cuda"):
    model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    total = epochs * len(loader)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: warmup_cosine(step, total // 10, total))
    criterion = nn.CrossEntropyLoss(ignore_index=-100)
    scaler = GradScaler()
    for epoch in range(epochs):
        model.train()
        for tokens, tags in loader:
            tokens, tags = tokens.to(device), tags.to(device)
            optimizer.zero_grad(set_to_none=True)
            with autocast():
                logits = model(tokens)
                loss = criterion(logits.view(-1, logits.size(-1)), tags.view(-1))
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()


@torch.no_grad()
def evaluate(model, loader, device="cuda"):
    model.eval()
    correct = total = 0
    for tokens, tags in loader:
        logits = model(tokens.to(device))
        predictions = logits.argmax(dim=-1)
        mask = tags.to(device) != -100
        correct += (predictions[mask] == tags.to(device)[mask]).sum().item()
        total += mask.sum().item()
    return correct / max(1, total)
