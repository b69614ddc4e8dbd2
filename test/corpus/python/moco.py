"""MoCo v2: a momentum key encoder updated by EMA, a queue of negatives, and the InfoNCE loss.

The key encoder runs under torch.no_grad() while in training mode on purpose: its BatchNorm layers must use
batch statistics of the (shuffled) key batch, as in the reference implementation.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallResNetEncoder(nn.Module):
    def __init__(self, dim=128, width=64):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, 2 * width, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(inplace=True),
            nn.Conv2d(2 * width, 4 * width, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(4 * width), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.mlp = nn.Sequential(nn.Linear(4 * width, 4 * width), nn.ReLU(inplace=True), nn.Linear(4 * width, dim))

    def forward(self, x):
        return self.mlp(self.features(x))


class MoCo(nn.Module):
    def __init__(self, dim=128, K=4096, m=0.999, T=0.2):
        super().__init__()
        self.K, self.m, self.T = K, m, T
        self.encoder_q = SmallResNetEncoder(dim)
        self.encoder_k = copy.deepcopy(self.encoder_q)
        for p in self.encoder_k.parameters():
            p.requires_grad = False
        self.register_buffer("queue", F.normalize(torch.randn(dim, K), dim=0))
        self.register_buffer("queue_ptr", torch.zeros(1, dtype=torch.long))

    @torch.no_grad()
    def _momentum_update_key_encoder(self):
        for p_q, p_k in zip(self.encoder_q.parameters(), self.encoder_k.parameters()):
            p_k.data.mul_(self.m).add_(p_q.data, alpha=1.0 - self.m)

    @torch.no_grad()
    def _dequeue_and_enqueue(self, keys):
        batch_size = keys.shape[0]
        ptr = int(self.queue_ptr)
        self.queue[:, ptr:ptr + batch_size] = keys.T
        self.queue_ptr[0] = (ptr + batch_size) % self.K

    def forward(self, im_q, im_k):
        q = F.normalize(self.encoder_q(im_q), dim=1)
        with torch.no_grad():
            self._momentum_update_key_encoder()
            idx = torch.randperm(im_k.size(0), device=im_k.device)
            k = F.normalize(self.encoder_k(im_k[idx]), dim=1)
            k = k[torch.argsort(idx)]
        l_pos = torch.einsum("nc,nc->n", q, k).unsqueeze(-1)
        l_neg = torch.einsum("nc,ck->nk", q, self.queue.clone().detach())
        logits = torch.cat([l_pos, l_neg], dim=1) / self.T
        labels = torch.zeros(logits.shape[0], dtype=torch.long, device=logits.device)
        self._dequeue_and_enqueue(k)
        return logits, labels


def train(model, loader, epochs=200, lr=0.03):
    optimizer = torch.optim.SGD(model.encoder_q.parameters(), lr=lr, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    model.train()
    for _ in range(epochs):
        for (im_q, im_k), _ in loader:
            logits, labels = model(im_q, im_k)
            loss = F.cross_entropy(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


@torch.no_grad()
def knn_monitor(encoder, memory_loader, test_loader, k=200, t=0.1, num_classes=10):
    encoder.eval()
    feats, labels = [], []
    for x, y in memory_loader:
        feats.append(F.normalize(encoder(x), dim=1))
        labels.append(y)
    bank, bank_labels = torch.cat(feats).t(), torch.cat(labels)
    correct = total = 0
    for x, y in test_loader:
        sim = F.normalize(encoder(x), dim=1) @ bank
        w, idx = sim.topk(k, dim=-1)
        one_hot = F.one_hot(bank_labels[idx], num_classes).float()
        pred = (one_hot * (w / t).exp().unsqueeze(-1)).sum(1).argmax(1)
        correct += (pred == y).sum().item()
        total += y.size(0)
    encoder.train()
    return correct / total
