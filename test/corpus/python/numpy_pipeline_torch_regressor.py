"""Tabular regression: a NumPy preprocessing pipeline (imputation, standardisation,
one-hot encoding, train/val split) feeding a small PyTorch MLP."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

N_NUMERIC = 12
N_CATEGORIES = 4
N_FEATURES = N_NUMERIC + N_CATEGORIES


def make_raw_data(n_rows: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    numeric = rng.normal(loc=5.0, scale=2.0, size=(n_rows, N_NUMERIC))
    numeric[rng.random(numeric.shape) < 0.05] = np.nan  # 5% missing values
    category = rng.integers(0, N_CATEGORIES, size=n_rows)
    coef = rng.normal(size=N_NUMERIC)
    target = np.nan_to_num(numeric, nan=5.0) @ coef + 3.0 * category + rng.normal(scale=0.5, size=n_rows)
    return numeric, category, target


class Standardizer:
    """Column-wise mean imputation + z-scoring, fitted on the training split only."""

    def fit(self, x: np.ndarray) -> "Standardizer":
        self.mean_ = np.nanmean(x, axis=0)
        self.std_ = np.nanstd(x, axis=0) + 1e-8
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        x = np.where(np.isnan(x), self.mean_, x)
        return (x - self.mean_) / self.std_


def one_hot(labels: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((labels.shape[0], n), dtype=np.float32)
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


def build_arrays(n_rows=5000, val_fraction=0.2, seed=0):
    numeric, category, target = make_raw_data(n_rows, seed)
    perm = np.random.default_rng(seed + 1).permutation(n_rows)
    n_val = int(n_rows * val_fraction)
    val_idx, train_idx = perm[:n_val], perm[n_val:]
    scaler = Standardizer().fit(numeric[train_idx])
    features = np.concatenate([scaler.transform(numeric), one_hot(category, N_CATEGORIES)], axis=1).astype(np.float32)
    y_mean, y_std = target[train_idx].mean(), target[train_idx].std()
    y = ((target - y_mean) / y_std).astype(np.float32)[:, None]
    return (features[train_idx], y[train_idx]), (features[val_idx], y[val_idx]), (y_mean, y_std)


class MLPRegressor(nn.Module):
    def __init__(self, in_features: int = N_FEATURES, hidden: int = 64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def main(epochs: int = 20):
    (x_tr, y_tr), (x_va, y_va), (y_mean, y_std) = build_arrays()
    train_loader = DataLoader(TensorDataset(torch.from_numpy(x_tr), torch.from_numpy(y_tr)), batch_size=128, shuffle=True)
    x_va_t, y_va_t = torch.from_numpy(x_va), torch.from_numpy(y_va)

    model = MLPRegressor()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
    loss_fn = nn.MSELoss()
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_pred = model(x_va_t).numpy()
        rmse = float(np.sqrt(np.mean((val_pred - y_va_t.numpy()) ** 2)) * y_std)
        print(f"epoch {epoch:02d}  val RMSE {rmse:.3f} (target units)")
    return model


if __name__ == "__main__":
    main()
