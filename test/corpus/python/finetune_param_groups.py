"""Two-stage fine-tuning of a pretrained-style CNN: frozen backbone with a new head, then discriminative LRs."""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


class Backbone(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.stages = nn.Sequential(
            nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2, padding=1),
            nn.Conv2d(width, 2 * width, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(2 * width),
            nn.ReLU(inplace=True),
            nn.Conv2d(2 * width, 4 * width, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(4 * width),
            nn.ReLU(inplace=True),
        )
        self.out_channels = 4 * width

    def forward(self, x):
        return self.stages(x)


class Classifier(nn.Module):
    def __init__(self, num_classes=37):
        super().__init__()
        self.backbone = Backbone()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(256, num_classes))

    def forward(self, x):
        return self.head(self.pool(self.backbone(x)).flatten(1))


def batches(n=10, bs=32, num_classes=37):
    return [(torch.randn(bs, 3, 128, 128), torch.randint(0, num_classes, (bs,))) for _ in range(n)]


def train_epochs(model, optimizer, data, epochs, freeze_bn=False):
    for _ in range(epochs):
        model.train()
        if freeze_bn:
            # Keep the pretrained running statistics while the backbone is frozen.
            model.backbone.eval()
        for x, y in data:
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()


@torch.no_grad()
def top1(model, data):
    model.eval()
    hits = sum((model(x).argmax(-1) == y).sum().item() for x, y in data)
    return hits / sum(y.numel() for _, y in data)


def main(ckpt_path="backbone.pt"):
    model = Classifier()
    if os.path.exists(ckpt_path):
        state = torch.load(ckpt_path, map_location="cpu")
        model.backbone.load_state_dict({k: v for k, v in state.items() if not k.startswith("fc.")}, strict=False)
    train_data, val_data = batches(), batches(3)

    # Stage 1: linear probe.
    model.backbone.requires_grad_(False)
    head_opt = torch.optim.Adam(model.head.parameters(), lr=1e-3)
    train_epochs(model, head_opt, train_data, epochs=3, freeze_bn=True)
    print("after probe", top1(model, val_data))

    # Stage 2: unfreeze, smaller LR for the backbone.
    model.backbone.requires_grad_(True)
    optimizer = torch.optim.SGD([
        {"params": model.backbone.parameters(), "lr": 1e-3},
        {"params": model.head.parameters(), "lr": 1e-2},
    ], momentum=0.9, weight_decay=1e-4)
    train_epochs(model, optimizer, train_data, epochs=5)
    print("after fine-tune", top1(model, val_data))
    return model


if __name__ == "__main__":
    main()
