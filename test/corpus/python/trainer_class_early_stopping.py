"""A minimal Lightning-free Trainer: fit/validate methods, mode toggling, early stopping, best-checkpoint restore."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class TabularNet(nn.Module):
    def __init__(self, in_features=32, hidden=256, num_classes=3, p=0.3):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(in_features, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(),
            nn.Dropout(p),
            nn.Linear(hidden, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(),
            nn.Dropout(p),
        )
        self.out = nn.Linear(hidden, num_classes)

    def forward(self, x):
        return self.out(self.body(x))


class EarlyStopping:
    def __init__(self, patience=5, min_delta=1e-4):
        self.patience, self.min_delta = patience, min_delta
        self.best, self.bad_epochs = float("inf"), 0

    def step(self, metric):
        if metric < self.best - self.min_delta:
            self.best, self.bad_epochs = metric, 0
            return False
        self.bad_epochs += 1
        return self.bad_epochs >= self.patience


class Trainer:
    def __init__(self, model, lr=1e-3, weight_decay=1e-4, max_epochs=100, patience=5, device="cpu"):
        self.model = model.to(device)
        self.device = device
        self.max_epochs = max_epochs
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=lr, weight_decay=weight_decay)
        self.scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(self.optimizer, mode="min", factor=0.5, patience=2)
        self.stopper = EarlyStopping(patience=patience)
        self.best_state = None

    def training_epoch(self, loader):
        self.model.train()
        total = 0.0
        for x, y in loader:
            x, y = x.to(self.device), y.to(self.device)
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(x), y)
            loss.backward()
            self.optimizer.step()
            total += loss.item() * x.size(0)
        return total / len(loader.dataset)

    @torch.no_grad()
    def validate(self, loader):
        self.model.eval()
        total, correct = 0.0, 0
        for x, y in loader:
            x, y = x.to(self.device), y.to(self.device)
            logits = self.model(x)
            total += self.criterion(logits, y).item() * x.size(0)
            correct += (logits.argmax(dim=1) == y).sum().item()
        n = len(loader.dataset)
        return total / n, correct / n

    def fit(self, train_loader, val_loader):
        for epoch in range(self.max_epochs):
            train_loss = self.training_epoch(train_loader)
            val_loss, val_acc = self.validate(val_loader)
            self.scheduler.step(val_loss)
            print(f"epoch {epoch:3d} train {train_loss:.4f} val {val_loss:.4f} acc {val_acc:.3f}")
            if val_loss <= self.stopper.best:
                self.best_state = copy.deepcopy(self.model.state_dict())
            if self.stopper.step(val_loss):
                print(f"early stop at epoch {epoch}")
                break
        if self.best_state is not None:
            self.model.load_state_dict(self.best_state)
        return self.model


def make_data(n=2048, in_features=32, num_classes=3):
    x = torch.randn(n, in_features)
    w = torch.randn(in_features, num_classes)
    y = (x @ w + 0.5 * torch.randn(n, num_classes)).argmax(1)
    return TensorDataset(x, y)


if __name__ == "__main__":
    train_ds, val_ds = make_data(), make_data(512)
    trainer = Trainer(TabularNet(), max_epochs=20)
    trainer.fit(DataLoader(train_ds, batch_size=128, shuffle=True, drop_last=True),
                DataLoader(val_ds, batch_size=256))
