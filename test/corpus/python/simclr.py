"""SimCLR: a small conv encoder, a 2-layer projection head, the NT-Xent loss, and a linear-probe evaluation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout, stride=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class Encoder(nn.Module):
    def __init__(self, feat_dim=256):
        super().__init__()
        self.net = nn.Sequential(
            conv_bn_relu(3, 32),
            conv_bn_relu(32, 64, stride=2),
            conv_bn_relu(64, 128, stride=2),
            conv_bn_relu(128, feat_dim, stride=2),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )

    def forward(self, x):
        return self.net(x)


class SimCLR(nn.Module):
    def __init__(self, feat_dim=256, proj_dim=128):
        super().__init__()
        self.encoder = Encoder(feat_dim)
        self.projector = nn.Sequential(
            nn.Linear(feat_dim, feat_dim, bias=False),
            nn.BatchNorm1d(feat_dim),
            nn.ReLU(inplace=True),
            nn.Linear(feat_dim, proj_dim),
        )

    def forward(self, x):
        return self.projector(self.encoder(x))


def nt_xent(z1, z2, temperature=0.5):
    """Normalized temperature-scaled cross entropy over 2N views; each view's positive is its pair."""
    n = z1.size(0)
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, targets)


def pretrain(model, loader, epochs=100, lr=3e-4, device="cuda"):
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-6)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(loader))
    for _ in range(epochs):
        for (x1, x2), _ in loader:
            loss = nt_xent(model(x1.to(device)), model(x2.to(device)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()


def linear_probe(encoder, train_loader, test_loader, feat_dim=256, num_classes=10, epochs=20, device="cuda"):
    encoder.to(device).eval()
    classifier = nn.Linear(feat_dim, num_classes).to(device)
    optimizer = torch.optim.SGD(classifier.parameters(), lr=0.1, momentum=0.9)
    for _ in range(epochs):
        for x, y in train_loader:
            with torch.no_grad():
                feats = encoder(x.to(device))
            loss = F.cross_entropy(classifier(feats), y.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    correct = 0
    with torch.no_grad():
        for x, y in test_loader:
            correct += (classifier(encoder(x.to(device))).argmax(1).cpu() == y).sum().item()
    return correct / len(test_loader.dataset)
