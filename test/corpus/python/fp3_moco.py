"""MoCo v2 (He et al.) with a momentum key encoder and a queue, plus linear evaluation."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallEncoder(nn.Module):
    def __init__(self, dim_out=128):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True),
            nn.Conv2d(32, 64, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
            nn.Conv2d(64, 128, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(128), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.projector = nn.Sequential(nn.Linear(128, 256), nn.ReLU(inplace=True), nn.Linear(256, dim_out))

    def forward(self, x):
        return self.projector(self.features(x))


class MoCo(nn.Module):
    def __init__(self, dim=128, K=4096, m=0.999, T=0.2):
        super().__init__()
        self.K, self.m, self.T = K, m, T
        self.encoder_q = SmallEncoder(dim)
        self.encoder_k = copy.deepcopy(self.encoder_q)
        for param_k in self.encoder_k.parameters():
            param_k.requires_grad = False
        self.register_buffer("queue", F.normalize(torch.randn(dim, K), dim=0))
        self.register_buffer("queue_ptr", torch.zeros(1, dtype=torch.long))

    @torch.no_grad()
    def _momentum_update_key_encoder(self):
        for param_q, param_k in zip(self.encoder_q.parameters(), self.encoder_k.parameters()):
            param_k.data.mul_(self.m).add_(param_q.data, alpha=1.0 - self.m)

    @torch.no_grad()
    def _dequeue_and_enqueue(self, keys):
        batch_size = keys.shape[0]
        ptr = int(self.queue_ptr)
        assert self.K % batch_size == 0
        self.queue[:, ptr:ptr + batch_size] = keys.T
        self.queue_ptr[0] = (ptr + batch_size) % self.K

    def forward(self, im_q, im_k):
        q = F.normalize(self.encoder_q(im_q), dim=1)
        with torch.no_grad():
            self._momentum_update_key_encoder()
            # the key encoder stays in train mode on purpose: its BN uses batch statistics
            k = F.normalize(self.encoder_k(im_k), dim=1)
        l_pos = torch.einsum("nc,nc->n", q, k).unsqueeze(-1)
        l_neg = torch.einsum("nc,ck->nk", q, self.queue.clone().detach())
        logits = torch.cat([l_pos, l_neg], dim=1) / self.T
        labels = torch.zeros(logits.shape[0], dtype=torch.long, device=logits.device)
        self._dequeue_and_enqueue(k)
        return logits, labels


def pretrain(model, loader, epochs=1):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.encoder_q.parameters(), lr=0.03, momentum=0.9, weight_decay=1e-4)
    model.train()
    for epoch in range(epochs):
        for (im_q, im_k), _ in loader:
            logits, labels = model(im_q, im_k)
            loss = criterion(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def extract_features(encoder, loader):
    encoder.eval()
    feats, targets = [], []
    with torch.no_grad():
        for x, y in loader:
            feats.append(encoder.features(x))
            targets.append(y)
    return torch.cat(feats), torch.cat(targets)


def linear_probe(encoder, train_loader, num_classes=10, epochs=20):
    feats, targets = extract_features(encoder, train_loader)
    clf = nn.Linear(feats.shape[1], num_classes)
    opt = torch.optim.Adam(clf.parameters(), lr=1e-3)
    for _ in range(epochs):
        opt.zero_grad()
        loss = F.cross_entropy(clf(feats), targets)
        loss.backward()
        opt.step()
    return clf
