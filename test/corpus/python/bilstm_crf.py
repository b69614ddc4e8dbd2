"""BiLSTM-CRF named-entity tagger: emission scores from a BiLSTM, a linear-chain CRF with learned transitions."""
import torch
import torch.nn as nn


class CRF(nn.Module):
    def __init__(self, num_tags):
        super().__init__()
        self.num_tags = num_tags
        self.transitions = nn.Parameter(torch.empty(num_tags, num_tags))   # [from, to]
        self.start = nn.Parameter(torch.empty(num_tags))
        self.end = nn.Parameter(torch.empty(num_tags))
        nn.init.uniform_(self.transitions, -0.1, 0.1)
        nn.init.uniform_(self.start, -0.1, 0.1)
        nn.init.uniform_(self.end, -0.1, 0.1)

    def _score(self, emissions, tags, mask):
        b = torch.arange(emissions.size(0))
        score = self.start[tags[:, 0]] + emissions[b, 0, tags[:, 0]]
        for i in range(1, emissions.size(1)):
            step = self.transitions[tags[:, i - 1], tags[:, i]] + emissions[b, i, tags[:, i]]
            score = score + step * mask[:, i]
        last = tags.gather(1, (mask.sum(1).long() - 1).unsqueeze(1)).squeeze(1)
        return score + self.end[last]

    def _log_partition(self, emissions, mask):
        alpha = self.start + emissions[:, 0]                          # (B, K)
        for i in range(1, emissions.size(1)):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.transitions + emissions[:, i].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, i].unsqueeze(1).bool(), nxt, alpha)
        return torch.logsumexp(alpha + self.end, dim=1)

    def nll(self, emissions, tags, mask):
        mask = mask.float()
        return (self._log_partition(emissions, mask) - self._score(emissions, tags, mask)).mean()

    def decode(self, emissions, mask):
        score = self.start + emissions[:, 0]
        history = []
        for i in range(1, emissions.size(1)):
            best, idx = (score.unsqueeze(2) + self.transitions).max(dim=1)
            nxt = best + emissions[:, i]
            m = mask[:, i].unsqueeze(1).bool()
            score = torch.where(m, nxt, score)
            history.append(torch.where(m, idx, torch.arange(self.num_tags).expand_as(idx)))
        best_last = (score + self.end).argmax(dim=1)
        path = [best_last]
        for idx in reversed(history):
            best_last = idx.gather(1, best_last.unsqueeze(1)).squeeze(1)
            path.append(best_last)
        return torch.stack(path[::-1], dim=1)


class BiLSTMCRF(nn.Module):
    def __init__(self, vocab_size=20000, num_tags=9, embed_dim=100, hidden=200, dropout=0.5):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(embed_dim, hidden // 2, batch_first=True, bidirectional=True)
        self.emit = nn.Linear(hidden, num_tags)
        self.crf = CRF(num_tags)

    def emissions(self, tokens):
        h, _ = self.lstm(self.dropout(self.embed(tokens)))
        return self.emit(self.dropout(h))

    def loss(self, tokens, tags):
        return self.crf.nll(self.emissions(tokens), tags, tokens != 0)

    def forward(self, tokens):
        return self.crf.decode(self.emissions(tokens), tokens != 0)


def train(model, batches, epochs=10, lr=0.015):
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    for epoch in range(epochs):
        model.train()
        for tokens, tags in batches:
            loss = model.loss(tokens, tags)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
        model.eval()
        with torch.no_grad():
            tokens, tags = batches[0]
            pred = model(tokens)
            mask = tokens != 0
            acc = (pred[mask] == tags[mask]).float().mean().item()
        print(f"epoch {epoch}: nll {loss.item():.3f} token acc {acc:.3f}")


if __name__ == "__main__":
    toks = torch.randint(1, 20000, (8, 25))
    toks[4:, 18:] = 0
    tags = torch.randint(0, 9, (8, 25))
    train(BiLSTMCRF(), [(toks, tags)], epochs=2)
