"""Sparse Mixture-of-Experts feed-forward layer: softmax router, top-k gating, load-balancing auxiliary loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Expert(nn.Module):
    def __init__(self, dim, hidden, dropout=0.1):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.fc2(self.drop(F.gelu(self.fc1(x))))


class MoELayer(nn.Module):
    def __init__(self, dim=256, hidden=1024, num_experts=8, top_k=2):
        super().__init__()
        self.num_experts = num_experts
        self.top_k = top_k
        self.router = nn.Linear(dim, num_experts, bias=False)
        self.experts = nn.ModuleList([Expert(dim, hidden) for _ in range(num_experts)])
        nn.init.normal_(self.router.weight, std=0.01)

    def forward(self, x):
        shape = x.shape
        tokens = x.reshape(-1, shape[-1])                           # (N, D)
        probs = F.softmax(self.router(tokens), dim=-1)              # (N, E)
        topk_p, topk_idx = probs.topk(self.top_k, dim=-1)           # (N, k)
        topk_p = topk_p / topk_p.sum(dim=-1, keepdim=True)
        out = torch.zeros_like(tokens)
        for e, expert in enumerate(self.experts):
            token_ids, slot = (topk_idx == e).nonzero(as_tuple=True)
            if token_ids.numel() == 0:
                continue
            weight = topk_p[token_ids, slot].unsqueeze(-1)
            out.index_add_(0, token_ids, weight * expert(tokens[token_ids]))
        # Switch-Transformer balance loss: E * sum_e (fraction routed to e) * (mean router prob of e)
        routed = F.one_hot(topk_idx[:, 0], self.num_experts).float().mean(dim=0)
        aux = self.num_experts * (routed * probs.mean(dim=0)).sum()
        return out.reshape(shape), aux


class MoEClassifier(nn.Module):
    def __init__(self, vocab=5000, dim=256, n_classes=4, n_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(n_layers)])
        self.moes = nn.ModuleList([MoELayer(dim) for _ in range(n_layers)])
        self.head = nn.Linear(dim, n_classes)

    def forward(self, ids):
        x = self.embed(ids)
        aux_total = 0.0
        for norm, moe in zip(self.norms, self.moes):
            h, aux = moe(norm(x))
            x = x + h
            aux_total = aux_total + aux
        return self.head(x.mean(dim=1)), aux_total


def train(model, loader, epochs=1, aux_weight=0.01):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        model.train()
        for ids, labels in loader:
            logits, aux = model(ids)
            loss = F.cross_entropy(logits, labels) + aux_weight * aux
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            ids, labels = loader[0]
            acc = (model(ids)[0].argmax(-1) == labels).float().mean()
        print(f"epoch {epoch}: loss {loss.item():.3f} acc {acc:.2f}")


if __name__ == "__main__":
    data = [(torch.randint(0, 5000, (8, 32)), torch.randint(0, 4, (8,))) for _ in range(10)]
    train(MoEClassifier(), data)
