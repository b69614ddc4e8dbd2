"""A Siamese network with shared weights trained with the margin contrastive loss (Hadsell et al., 2006)."""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class EmbeddingNet(nn.Module):
    def __init__(self, embedding_dim=64):
        super().__init__()
        self.convnet = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(1, 32, 5)),
            ("prelu1", nn.PReLU()),
            ("pool1", nn.MaxPool2d(2, stride=2)),
            ("conv2", nn.Conv2d(32, 64, 5)),
            ("prelu2", nn.PReLU()),
            ("pool2", nn.MaxPool2d(2, stride=2)),
        ]))
        self.fc = nn.Sequential(OrderedDict([
            ("fc1", nn.Linear(64 * 4 * 4, 256)),
            ("prelu3", nn.PReLU()),
            ("fc2", nn.Linear(256, 256)),
            ("prelu4", nn.PReLU()),
            ("fc3", nn.Linear(256, embedding_dim)),
        ]))
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            module.weight.data.normal_(mean=0.0, std=(2.0 / module.weight[0].numel()) ** 0.5)
            if module.bias is not None:
                module.bias.data.zero_()

    def forward(self, x):
        out = self.convnet(x)
        out = out.view(out.size(0), -1)
        return self.fc(out)


class SiameseNet(nn.Module):
    def __init__(self, embedding_net):
        super().__init__()
        self.embedding_net = embedding_net

    def forward(self, x1, x2):
        return self.embedding_net(x1), self.embedding_net(x2)


class ContrastiveLoss(nn.Module):
    """Pulls matching pairs together; pushes non-matching pairs at least `margin` apart."""

    def __init__(self, margin=1.0):
        super().__init__()
        self.margin = margin

    def forward(self, e1, e2, target):
        distances = F.pairwise_distance(e1, e2)
        losses = target * distances.pow(2) + (1 - target) * F.relu(self.margin - distances).pow(2)
        return 0.5 * losses.mean()


def fit(model, train_loader, val_loader, epochs=20, lr=1e-3):
    criterion = ContrastiveLoss(margin=1.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 8, gamma=0.1, last_epoch=-1)
    for epoch in range(epochs):
        model.train()
        for (x1, x2), target in train_loader:
            optimizer.zero_grad()
            e1, e2 = model(x1, x2)
            loss = criterion(e1, e2, target.float())
            loss.backward()
            optimizer.step()
        scheduler.step()

        model.eval()
        with torch.no_grad():
            val_loss = sum(criterion(*model(x1, x2), t.float()).item() for (x1, x2), t in val_loader)
        print(f"epoch {epoch}: val {val_loss / len(val_loader):.4f}")


@torch.no_grad()
def verify(model, x1, x2, threshold=0.5):
    model.eval()
    e1, e2 = model(x1, x2)
    return F.pairwise_distance(e1, e2) < threshold


if __name__ == "__main__":
    net = SiameseNet(EmbeddingNet())
    print(sum(p.numel() for p in net.parameters()))
