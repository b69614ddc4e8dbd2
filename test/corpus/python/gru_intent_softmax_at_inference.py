"""GRU intent classifier whose forward returns probabilities only in eval mode; trained with SGD and clipping."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import clip_grad_norm_


class IntentGRU(nn.Module):
    def __init__(self, vocab_size=3000, emb_dim=100, hidden=128, num_intents=7, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=0)
        self.gru = nn.GRU(emb_dim, hidden, num_layers=2, dropout=dropout, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden, num_intents)

    def forward(self, tokens):
        _, h = self.gru(self.embedding(tokens))
        logits = self.classifier(self.dropout(h[-1]))
        if self.training:
            return logits
        return F.softmax(logits, dim=-1)


def batch(bs=32, seq_len=20, vocab_size=3000, num_intents=7):
    tokens = torch.randint(1, vocab_size, (bs, seq_len))
    return tokens, tokens[:, 0] % num_intents


def main(steps=2000, lr=0.5, max_norm=1.0):
    model = IntentGRU()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.999)
    criterion = nn.CrossEntropyLoss()
    for step in range(steps):
        model.train()
        tokens, labels = batch()
        optimizer.zero_grad()
        loss = criterion(model(tokens), labels)
        loss.backward()
        clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()
        scheduler.step()

        if step % 250 == 0:
            model.eval()
            with torch.no_grad():
                tokens, labels = batch(bs=256)
                probs = model(tokens)
                nll = F.nll_loss(torch.log(probs.clamp_min(1e-8)), labels)
                acc = (probs.argmax(-1) == labels).float().mean()
            print(f"step {step}: train {loss.item():.3f} val nll {nll.item():.3f} acc {acc.item():.3f}")
    return model


if __name__ == "__main__":
    main(steps=300)
