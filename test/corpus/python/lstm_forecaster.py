"""Multivariate time-series forecasting with a stacked LSTM, truncated windows and gradient value clipping."""
import torch
import torch.nn as nn

N_FEATURES = 7
HORIZON = 24


class LSTMForecaster(nn.Module):
    def __init__(self, n_features=N_FEATURES, hidden_size=128, num_layers=2, horizon=HORIZON, dropout=0.2):
        super().__init__()
        self.input_norm = nn.LayerNorm(n_features)
        self.lstm = nn.LSTM(n_features, hidden_size, num_layers=num_layers, batch_first=True, dropout=dropout)
        self.head = nn.Sequential(
            nn.Linear(hidden_size, hidden_size),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_size, horizon * n_features),
        )
        self.horizon = horizon
        self.n_features = n_features
        for name, param in self.lstm.named_parameters():
            if "weight_ih" in name:
                nn.init.xavier_uniform_(param)
            elif "weight_hh" in name:
                nn.init.orthogonal_(param)
            elif "bias" in name:
                nn.init.zeros_(param)
                # Forget-gate bias of 1 (the second quarter of each bias vector).
                param.data[hidden_size:2 * hidden_size].fill_(1.0)

    def forward(self, x):
        out, _ = self.lstm(self.input_norm(x))
        y = self.head(out[:, -1])
        # Predict the change from the last observed step, which is easier than the level.
        return x[:, -1:, :] + y.view(-1, self.horizon, self.n_features)


def make_windows(series, lookback=96, horizon=HORIZON):
    xs, ys = [], []
    for start in range(0, series.size(0) - lookback - horizon + 1):
        xs.append(series[start:start + lookback])
        ys.append(series[start + lookback:start + lookback + horizon])
    return torch.stack(xs), torch.stack(ys)


def fit(model, train_loader, val_loader, epochs=50, lr=1e-3, patience=5):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)
    criterion = nn.SmoothL1Loss()
    best, bad_epochs = float("inf"), 0
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
            optimizer.step()

        model.eval()
        with torch.inference_mode():
            val = sum(criterion(model(x), y).item() * x.size(0) for x, y in val_loader) / len(val_loader.dataset)
        scheduler.step(val)
        if val < best:
            best, bad_epochs = val, 0
            torch.save(model.state_dict(), "forecaster.pt")
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                break
    return best
