"""Two-tower retrieval model trained with in-batch negatives (InfoNCE); one optimizer per tower."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Tower(nn.Module):
    def __init__(self, vocab_size=10000, dim=128, out_dim=64, dropout=0.1):
        super().__init__()
        self.embed = nn.EmbeddingBag(vocab_size, dim, mode="mean", padding_idx=0)
        self.mlp = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dim, out_dim))

    def forward(self, tokens):
        return F.normalize(self.mlp(self.embed(tokens)), dim=-1)


def zero_grad_all(optimizers):
    for opt in optimizers:
        opt.zero_grad(set_to_none=True)


def synthetic_pairs(bs=128, q_len=8, d_len=32, vocab_size=10000):
    topic = torch.randint(1, vocab_size // 100, (bs, 1)) * 100
    queries = topic + torch.randint(0, 100, (bs, q_len))
    docs = topic + torch.randint(0, 100, (bs, d_len))
    return queries, docs


def recall_at_k(towers, n_batches=4, k=5):
    for tower in towers:
        tower.eval()
    query_tower, doc_tower = towers
    hits = []
    with torch.no_grad():
        for _ in range(n_batches):
            queries, docs = synthetic_pairs(bs=512)
            scores = query_tower(queries) @ doc_tower(docs).t()
            topk = scores.topk(k, dim=1).indices
            hits.append((topk == torch.arange(scores.size(0)).unsqueeze(1)).any(1).float().mean().item())
    return sum(hits) / len(hits)


def main(steps=3000, temperature=0.05):
    query_tower, doc_tower = Tower(), Tower()
    towers = (query_tower, doc_tower)
    q_opt = torch.optim.Adam(query_tower.parameters(), lr=1e-3)
    d_opt = torch.optim.Adam(doc_tower.parameters(), lr=5e-4)
    optimizers = (q_opt, d_opt)
    for step in range(steps):
        for tower in towers:
            tower.train()
        queries, docs = synthetic_pairs()
        q, d = query_tower(queries), doc_tower(docs)
        logits = q @ d.t() / temperature
        labels = torch.arange(q.size(0))
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2

        zero_grad_all(optimizers)
        loss.backward()
        q_opt.step()
        d_opt.step()

        if step % 500 == 0:
            print(f"step {step}: loss {loss.item():.3f} recall@5 {recall_at_k(towers):.3f}")
    return query_tower, doc_tower


if __name__ == "__main__":
    main(steps=200)
