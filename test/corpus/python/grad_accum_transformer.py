"""Tiny transformer text classifier trained with gradient accumulation and a per-step warmup schedule."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class TextClassifier(nn.Module):
    def __init__(self, vocab_size=5000, d_model=128, nhead=4, num_layers=2, num_classes=4, max_len=256, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=dropout,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, num_classes)
        nn.init.trunc_normal_(self.pos, std=0.02)

    def forward(self, tokens):
        pad_mask = tokens.eq(0)
        x = self.embed(tokens) + self.pos[:, : tokens.size(1)]
        x = self.encoder(x, src_key_padding_mask=pad_mask)
        keep = (~pad_mask).unsqueeze(-1).float()
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.head(self.norm(pooled))


def make_batches(n_batches, batch_size=16, seq_len=64, vocab_size=5000, num_classes=4):
    for _ in range(n_batches):
        tokens = torch.randint(1, vocab_size, (batch_size, seq_len))
        lengths = torch.randint(seq_len // 4, seq_len + 1, (batch_size,))
        tokens[torch.arange(seq_len)[None, :] >= lengths[:, None]] = 0
        yield tokens, torch.randint(0, num_classes, (batch_size,))


def warmup_cosine(total_steps, warmup_steps):
    def fn(step):
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    return fn


def train(epochs=3, micro_batches=64, accum_steps=8, lr=3e-4):
    model = TextClassifier()
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "pos" not in n]
    no_decay = [p for n, p in model.named_parameters() if p.ndim < 2 or "pos" in n]
    optimizer = torch.optim.AdamW([
        {"params": decay, "weight_decay": 0.05},
        {"params": no_decay, "weight_decay": 0.0},
    ], lr=lr)
    total_updates = epochs * micro_batches // accum_steps
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_cosine(total_updates, total_updates // 10))

    optimizer.zero_grad(set_to_none=True)
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for step, (tokens, labels) in enumerate(make_batches(micro_batches)):
            logits = model(tokens)
            loss = F.cross_entropy(logits, labels, label_smoothing=0.1)
            (loss / accum_steps).backward()
            running += loss.item()
            if (step + 1) % accum_steps == 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
        print(f"epoch {epoch}: loss {running / micro_batches:.4f} lr {scheduler.get_last_lr()[0]:.2e}")

        model.eval()
        correct = total = 0
        with torch.no_grad():
            for tokens, labels in make_batches(8):
                correct += (model(tokens).argmax(-1) == labels).sum().item()
                total += labels.numel()
        print(f"  val acc {correct / total:.3f}")
    return model


if __name__ == "__main__":
    train(epochs=1, micro_batches=16, accum_steps=4)
