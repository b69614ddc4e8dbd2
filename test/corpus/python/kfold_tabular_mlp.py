"""K-fold cross-validation of a wide MLP regressor: a fresh model, optimizer and scheduler for every fold."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, TensorDataset


class WideMLP(nn.Module):
    def __init__(self, in_features=100, hidden=1024, dropout=0.3):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, 1),
        )

    def forward(self, x):
        return self.net(x).squeeze(-1)


def kfold_indices(n, k, seed=0):
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    folds = perm.chunk(k)
    for i in range(k):
        val_idx = folds[i]
        train_idx = torch.cat([folds[j] for j in range(k) if j != i])
        yield train_idx.tolist(), val_idx.tolist()


def evaluate(model, loader):
    model.eval()
    se, n = 0.0, 0
    with torch.no_grad():
        for x, y in loader:
            se += ((model(x) - y) ** 2).sum().item()
            n += y.numel()
    return (se / n) ** 0.5


def run_fold(dataset, train_idx, val_idx, epochs=20, lr=1e-3):
    train_loader = DataLoader(Subset(dataset, train_idx), batch_size=128, shuffle=True)
    val_loader = DataLoader(Subset(dataset, val_idx), batch_size=512)
    model = WideMLP()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-2)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    criterion = nn.HuberLoss(delta=1.0)
    best = float("inf")
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        scheduler.step()
        best = min(best, evaluate(model, val_loader))
    return best


def main(k=5):
    torch.manual_seed(0)
    x = torch.randn(4000, 100)
    y = x[:, :10].sum(1) + 0.3 * torch.randn(4000)
    dataset = TensorDataset(x, y)
    scores = []
    for fold, (train_idx, val_idx) in enumerate(kfold_indices(len(dataset), k)):
        rmse = run_fold(dataset, train_idx, val_idx)
        scores.append(rmse)
        print(f"fold {fold}: rmse {rmse:.4f}")
    mean = sum(scores) / k
    std = (sum((s - mean) ** 2 for s in scores) / (k - 1)) ** 0.5
    print(f"cv rmse {mean:.4f} +- {std:.4f}")


if __name__ == "__main__":
    main()
