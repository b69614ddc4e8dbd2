"""DLRM-style CTR model: dense bottom MLP, sparse EmbeddingBag tables, pairwise dot interaction, top MLP."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp(sizes, final_act=True):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2 or final_act:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class DLRM(nn.Module):
    def __init__(self, num_dense=13, table_sizes=(1000, 500, 2000, 300), embed_dim=16,
                 bottom=(64, 32), top=(128, 64)):
        super().__init__()
        self.bottom_mlp = mlp([num_dense, *bottom, embed_dim])
        self.tables = nn.ModuleList(
            nn.EmbeddingBag(n, embed_dim, mode="sum") for n in table_sizes
        )
        n_feats = len(table_sizes) + 1
        n_pairs = n_feats * (n_feats - 1) // 2
        self.top_mlp = nn.Sequential(mlp([embed_dim + n_pairs, *top]), nn.Linear(top[-1], 1))
        li, lj = torch.tril_indices(n_feats, n_feats, offset=-1)
        self.register_buffer("li", li, persistent=False)
        self.register_buffer("lj", lj, persistent=False)
        for table in self.tables:
            bound = (1.0 / table.num_embeddings) ** 0.5
            nn.init.uniform_(table.weight, -bound, bound)

    def interact(self, dense, sparse):
        feats = torch.stack([dense, *sparse], dim=1)      # (B, F, D)
        z = torch.bmm(feats, feats.transpose(1, 2))       # (B, F, F)
        return torch.cat([dense, z[:, self.li, self.lj]], dim=1)

    def forward(self, dense_x, indices, offsets):
        """indices/offsets: one pair of 1-D tensors per table (the EmbeddingBag flat format)."""
        d = self.bottom_mlp(dense_x)
        sparse = [table(idx, off) for table, idx, off in zip(self.tables, indices, offsets)]
        return self.top_mlp(self.interact(d, sparse)).squeeze(1)


def synthetic_batch(batch=32, table_sizes=(1000, 500, 2000, 300)):
    dense = torch.log1p(torch.rand(batch, 13) * 100)
    indices, offsets = [], []
    for n in table_sizes:
        lengths = torch.randint(1, 4, (batch,))
        offsets.append(torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)[:-1]]))
        indices.append(torch.randint(0, n, (int(lengths.sum()),)))
    labels = (torch.rand(batch) < 0.25).float()
    return dense, indices, offsets, labels


def train(model, steps=100, lr=0.1):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    model.train()
    for step in range(steps):
        dense, indices, offsets, labels = synthetic_batch()
        logits = model(dense, indices, offsets)
        loss = F.binary_cross_entropy_with_logits(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 20 == 0:
            print(step, loss.item())
    model.eval()
    with torch.no_grad():
        dense, indices, offsets, labels = synthetic_batch(256)
        probs = torch.sigmoid(model(dense, indices, offsets))
        print("mean CTR", probs.mean().item(), "label rate", labels.mean().item())


if __name__ == "__main__":
    train(DLRM())
