"""MLP head trained on precomputed (synthetic) image embeddings; AdamW with the usual decay / no-decay parameter groups."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class MLPHead(nn.Module):
    def __init__(self, in_dim=768, hidden=1024, num_classes=100):
        super().__init__()
        self.fc1 = nn.Linear(in_dim, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, num_classes)

    def forward(self, x):
        x = F.gelu(self.fc1(x))
        x = F.gelu(self.fc2(x))
        return self.fc3(x)


def param_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        (no_decay if name.endswith(".bias") else decay).append(param)
    return [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]


def make_split(n, in_dim=768, num_classes=100, seed=0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(num_classes, in_dim, generator=torch.Generator().manual_seed(42))
    y = torch.randint(0, num_classes, (n,), generator=g)
    x = F.normalize(centers[y] + 2.0 * torch.randn(n, in_dim, generator=g), dim=1)
    return TensorDataset(x, y)


def main(epochs=15, lr=1e-3, weight_decay=0.05):
    train_loader = DataLoader(make_split(20000), batch_size=256, shuffle=True)
    val_loader = DataLoader(make_split(5000, seed=1), batch_size=1024)
    model = MLPHead()
    optimizer = torch.optim.AdamW(param_groups(model, weight_decay), lr=lr, betas=(0.9, 0.95))
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, epochs=epochs,
                                                    steps_per_epoch=len(train_loader), pct_start=0.1)
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
            loss.backward()
            optimizer.step()
            scheduler.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
        print(f"epoch {epoch}: val top-1 {correct / len(val_loader.dataset):.3f}")
    return model


if __name__ == "__main__":
    main(epochs=2)
