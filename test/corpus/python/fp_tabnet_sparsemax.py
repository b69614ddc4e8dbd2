"""TabNet-style encoder: ghost batch norm, GLU feature transformers and a sparsemax attentive transformer."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def sparsemax(z, dim=-1):
    """Sparsemax (Martins & Astudillo, 2016): Euclidean projection onto the probability simplex."""
    z = z - z.max(dim=dim, keepdim=True).values
    z_sorted, _ = torch.sort(z, dim=dim, descending=True)
    k = torch.arange(1, z.size(dim) + 1, device=z.device, dtype=z.dtype)
    view = [1] * z.dim()
    view[dim] = -1
    k = k.view(view)
    z_cumsum = z_sorted.cumsum(dim) - 1
    support = (k * z_sorted) > z_cumsum
    k_z = support.sum(dim=dim, keepdim=True)
    tau = z_cumsum.gather(dim, k_z - 1) / k_z.to(z.dtype)
    return torch.clamp(z - tau, min=0)


class GhostBatchNorm(nn.Module):
    def __init__(self, num_features, virtual_batch_size=128, momentum=0.02):
        super().__init__()
        self.virtual_batch_size = virtual_batch_size
        self.bn = nn.BatchNorm1d(num_features, momentum=momentum)

    def forward(self, x):
        chunks = x.chunk(max(1, math.ceil(x.shape[0] / self.virtual_batch_size)), dim=0)
        return torch.cat([self.bn(c) for c in chunks], dim=0)


class GLULayer(nn.Module):
    def __init__(self, in_dim, out_dim, fc=None, virtual_batch_size=128):
        super().__init__()
        self.fc = fc if fc is not None else nn.Linear(in_dim, 2 * out_dim, bias=False)
        self.bn = GhostBatchNorm(2 * out_dim, virtual_batch_size)

    def forward(self, x):
        return F.glu(self.bn(self.fc(x)), dim=-1)


class FeatureTransformer(nn.Module):
    def __init__(self, in_dim, out_dim, shared_fcs, n_independent=2, virtual_batch_size=128):
        super().__init__()
        layers = []
        dim = in_dim
        for fc in shared_fcs:
            layers.append(GLULayer(dim, out_dim, fc=fc, virtual_batch_size=virtual_batch_size))
            dim = out_dim
        for _ in range(n_independent):
            layers.append(GLULayer(dim, out_dim, virtual_batch_size=virtual_batch_size))
            dim = out_dim
        self.layers = nn.ModuleList(layers)
        self.scale = math.sqrt(0.5)

    def forward(self, x):
        x = self.layers[0](x)
        for layer in self.layers[1:]:
            x = (x + layer(x)) * self.scale
        return x


class AttentiveTransformer(nn.Module):
    def __init__(self, n_a, input_dim, virtual_batch_size=128):
        super().__init__()
        self.fc = nn.Linear(n_a, input_dim, bias=False)
        self.bn = GhostBatchNorm(input_dim, virtual_batch_size)

    def forward(self, a, prior):
        return sparsemax(self.bn(self.fc(a)) * prior, dim=-1)


class TabNet(nn.Module):
    def __init__(self, input_dim=54, output_dim=7, n_d=16, n_a=16, n_steps=4, gamma=1.5,
                 n_shared=2, virtual_batch_size=128):
        super().__init__()
        self.n_d, self.n_steps, self.gamma = n_d, n_steps, gamma
        self.initial_bn = nn.BatchNorm1d(input_dim, momentum=0.01)
        hidden = n_d + n_a
        shared = nn.ModuleList(
            [nn.Linear(input_dim if i == 0 else hidden, 2 * hidden, bias=False) for i in range(n_shared)]
        )
        self.initial_splitter = FeatureTransformer(input_dim, hidden, shared, virtual_batch_size=virtual_batch_size)
        self.feat_transformers = nn.ModuleList(
            [FeatureTransformer(input_dim, hidden, shared, virtual_batch_size=virtual_batch_size) for _ in range(n_steps)]
        )
        self.att_transformers = nn.ModuleList(
            [AttentiveTransformer(n_a, input_dim, virtual_batch_size) for _ in range(n_steps)]
        )
        self.final_mapping = nn.Linear(n_d, output_dim, bias=False)

    def forward(self, x):
        x = self.initial_bn(x)
        prior = torch.ones_like(x)
        att = self.initial_splitter(x)[:, self.n_d:]
        out = torch.zeros(x.shape[0], self.n_d, device=x.device)
        m_loss = x.new_zeros(())
        for step in range(self.n_steps):
            mask = self.att_transformers[step](att, prior)
            m_loss = m_loss + torch.mean(torch.sum(-mask * torch.log(mask + 1e-15), dim=1))
            prior = prior * (self.gamma - mask)
            h = self.feat_transformers[step](mask * x)
            out = out + F.relu(h[:, : self.n_d])
            att = h[:, self.n_d:]
        return self.final_mapping(out), m_loss / self.n_steps


def train(epochs=2, steps=5, batch_size=1024, lambda_sparse=1e-3):
    model = TabNet(input_dim=54, output_dim=7)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-2)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.9)
    for epoch in range(epochs):
        model.train()
        for _ in range(steps):
            x, y = torch.randn(batch_size, 54), torch.randint(0, 7, (batch_size,))
            logits, m_loss = model(x)
            loss = F.cross_entropy(logits, y) + lambda_sparse * m_loss
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
        scheduler.step()
        model.eval()
        with torch.no_grad():
            xv, yv = torch.randn(512, 54), torch.randint(0, 7, (512,))
            acc = (model(xv)[0].argmax(1) == yv).float().mean().item()
        print(f"epoch {epoch}: acc {acc:.3f}")


if __name__ == "__main__":
    train()
