"""Node classification on a citation-style graph: a 2-layer GCN (sparse adjacency) and a 2-layer GAT (dense mask)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def normalized_adjacency(edge_index, num_nodes):
    """D^-1/2 (A + I) D^-1/2 as a sparse COO tensor."""
    self_loops = torch.arange(num_nodes).repeat(2, 1)
    edges = torch.cat([edge_index, self_loops], dim=1)
    values = torch.ones(edges.size(1))
    deg = torch.zeros(num_nodes).scatter_add_(0, edges[0], values)
    d_inv_sqrt = deg.pow(-0.5)
    values = d_inv_sqrt[edges[0]] * values * d_inv_sqrt[edges[1]]
    return torch.sparse_coo_tensor(edges, values, (num_nodes, num_nodes)).coalesce()


class GCNLayer(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.weight.size(1))
        self.weight.data.uniform_(-stdv, stdv)
        self.bias.data.uniform_(-stdv, stdv)

    def forward(self, x, adj):
        return torch.sparse.mm(adj, x @ self.weight) + self.bias


class GCN(nn.Module):
    def __init__(self, in_features, hidden, n_classes, dropout=0.5):
        super().__init__()
        self.gc1 = GCNLayer(in_features, hidden)
        self.gc2 = GCNLayer(hidden, n_classes)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.dropout(x, self.dropout, training=self.training)
        x = F.relu(self.gc1(x, adj))
        x = F.dropout(x, self.dropout, training=self.training)
        return self.gc2(x, adj)


class GATLayer(nn.Module):
    def __init__(self, in_features, out_features, heads=8, concat=True, dropout=0.6, alpha=0.2):
        super().__init__()
        self.heads, self.out_features, self.concat = heads, out_features, concat
        self.lin = nn.Linear(in_features, heads * out_features, bias=False)
        self.att_src = nn.Parameter(torch.empty(heads, out_features))
        self.att_dst = nn.Parameter(torch.empty(heads, out_features))
        self.leaky = nn.LeakyReLU(alpha)
        self.attn_drop = nn.Dropout(dropout)
        nn.init.xavier_uniform_(self.lin.weight, gain=1.414)
        nn.init.xavier_uniform_(self.att_src, gain=1.414)
        nn.init.xavier_uniform_(self.att_dst, gain=1.414)

    def forward(self, x, adj_mask):                       # adj_mask: (N, N) bool, True where edge j->i
        n = x.size(0)
        h = self.lin(x).view(n, self.heads, self.out_features)
        e_src = (h * self.att_src).sum(-1)                # (N, H)
        e_dst = (h * self.att_dst).sum(-1)
        scores = self.leaky(e_dst.unsqueeze(1) + e_src.unsqueeze(0))   # (N_i, N_j, H)
        scores = scores.masked_fill(~adj_mask.unsqueeze(-1), float("-inf"))
        attn = self.attn_drop(torch.softmax(scores, dim=1))
        out = torch.einsum("ijh,jhf->ihf", attn, h)
        return out.reshape(n, -1) if self.concat else out.mean(dim=1)


class GAT(nn.Module):
    def __init__(self, in_features, hidden=8, n_classes=7, heads=8):
        super().__init__()
        self.layer1 = GATLayer(in_features, hidden, heads=heads)
        self.layer2 = GATLayer(hidden * heads, n_classes, heads=1, concat=False)

    def forward(self, x, adj_mask):
        x = F.dropout(x, 0.6, training=self.training)
        x = F.elu(self.layer1(x, adj_mask))
        x = F.dropout(x, 0.6, training=self.training)
        return self.layer2(x, adj_mask)


def fit(model, x, graph, y, train_mask, val_mask, epochs=200):
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=5e-4)
    for epoch in range(epochs):
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x, graph)[train_mask], y[train_mask])
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            pred = model(x, graph).argmax(dim=1)
            acc = (pred[val_mask] == y[val_mask]).float().mean().item()
        if epoch % 50 == 0:
            print(f"epoch {epoch}: loss {loss.item():.3f} val acc {acc:.3f}")


if __name__ == "__main__":
    n, f, c = 300, 64, 7
    edge_index = torch.randint(0, n, (2, 1500))
    edge_index = torch.cat([edge_index, edge_index.flip(0)], dim=1)
    x, y = torch.randn(n, f), torch.randint(0, c, (n,))
    train_mask = torch.rand(n) < 0.3
    val_mask = ~train_mask
    fit(GCN(f, 16, c), x, normalized_adjacency(edge_index, n), y, train_mask, val_mask, epochs=50)
    dense = torch.eye(n, dtype=torch.bool)
    dense[edge_index[1], edge_index[0]] = True
    fit(GAT(f, n_classes=c), x, dense, y, train_mask, val_mask, epochs=50)
