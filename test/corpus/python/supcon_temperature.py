"""Supervised contrastive pre-training (SupCon) with a temperature, then a linear classifier on frozen features."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, in_dim=64, hidden=256, feat_dim=128, proj_dim=64):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(in_dim, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, feat_dim),
        )
        self.projector = nn.Sequential(nn.Linear(feat_dim, feat_dim), nn.ReLU(inplace=True), nn.Linear(feat_dim, proj_dim))

    def forward(self, x):
        return self.body(x)

    def project(self, x):
        return F.normalize(self.projector(self.body(x)), dim=1)


def supcon_loss(z, labels, temperature=0.1):
    """z: (2N, d) L2-normalised embeddings of two views; labels: (2N,)."""
    sim = z @ z.t() / temperature
    self_mask = torch.eye(z.size(0), dtype=torch.bool, device=z.device)
    sim = sim.masked_fill(self_mask, float("-inf"))
    pos_mask = (labels[:, None] == labels[None, :]) & ~self_mask
    log_prob = sim - torch.logsumexp(sim, dim=1, keepdim=True)
    mean_log_prob_pos = log_prob.masked_fill(~pos_mask, 0.0).sum(1) / pos_mask.sum(1).clamp(min=1)
    return -mean_log_prob_pos.mean()


def augment(x):
    return x + 0.1 * torch.randn_like(x) * (torch.rand_like(x) > 0.2)


def pretrain(encoder, steps=1000, bs=128, num_classes=10):
    optimizer = torch.optim.SGD(encoder.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    prototypes = torch.randn(num_classes, 64)
    encoder.train()
    for step in range(steps):
        labels = torch.randint(0, num_classes, (bs,))
        x = prototypes[labels] + 0.5 * torch.randn(bs, 64)
        z = encoder.project(torch.cat([augment(x), augment(x)]))
        loss = supcon_loss(z, labels.repeat(2))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    return prototypes


def linear_eval(encoder, prototypes, steps=500, bs=256, num_classes=10):
    encoder.eval()
    classifier = nn.Linear(128, num_classes)
    optimizer = torch.optim.Adam(classifier.parameters(), lr=1e-3)
    for _ in range(steps):
        labels = torch.randint(0, num_classes, (bs,))
        x = prototypes[labels] + 0.5 * torch.randn(bs, 64)
        with torch.no_grad():
            feats = encoder(x)
        loss = F.cross_entropy(classifier(feats), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    labels = torch.randint(0, num_classes, (1024,))
    with torch.no_grad():
        preds = classifier(encoder(prototypes[labels] + 0.5 * torch.randn(1024, 64))).argmax(1)
    return (preds == labels).float().mean().item()


if __name__ == "__main__":
    enc = Encoder()
    protos = pretrain(enc, steps=100)
    print("linear eval acc", linear_eval(enc, protos))
