"""A tabular classifier: categorical embeddings plus normalised numeric features into a repeated MLP trunk."""
import torch
import torch.nn as nn
import torch.nn.functional as F

# (cardinality, embedding size) for each categorical column, as in fastai's rule of thumb.
CATEGORICAL = [(12, 6), (7, 5), (50, 10), (3, 2)]
N_NUMERIC = 14


class TabularMLP(nn.Module):
    def __init__(self, hidden=256, n_hidden_layers=3, dropout=0.2, embed_dropout=0.05):
        super().__init__()
        self.embeds = nn.ModuleList([nn.Embedding(card, dim) for card, dim in CATEGORICAL])
        self.embed_drop = nn.Dropout(embed_dropout)
        self.num_norm = nn.BatchNorm1d(N_NUMERIC)
        n_in = sum(dim for _, dim in CATEGORICAL) + N_NUMERIC
        self.input_layer = nn.Sequential(
            nn.Linear(n_in, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True)
        )
        layers = []
        for _ in range(n_hidden_layers):
            layers += [nn.Dropout(dropout), nn.Linear(hidden, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True)]
        self.trunk = nn.Sequential(*layers)
        self.head = nn.Linear(hidden, 1)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")

    def forward(self, x_cat, x_num):
        emb = torch.cat([e(x_cat[:, i]) for i, e in enumerate(self.embeds)], dim=1)
        x = torch.cat([self.embed_drop(emb), self.num_norm(x_num)], dim=1)
        x = self.trunk(self.input_layer(x))
        return self.head(x).squeeze(-1)


def fit(model, train_loader, val_loader, epochs=30, lr=3e-3, patience=4):
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * len(train_loader))
    pos_weight = torch.tensor(3.0)
    best_loss, best_state, waited = float("inf"), None, 0
    for _ in range(epochs):
        model.train()
        for x_cat, x_num, y in train_loader:
            optimizer.zero_grad()
            loss = F.binary_cross_entropy_with_logits(model(x_cat, x_num), y.float(), pos_weight=pos_weight)
            loss.backward()
            optimizer.step()
            scheduler.step()

        model.eval()
        total, n = 0.0, 0
        with torch.no_grad():
            for x_cat, x_num, y in val_loader:
                logits = model(x_cat, x_num)
                total += F.binary_cross_entropy_with_logits(logits, y.float(), pos_weight=pos_weight, reduction="sum").item()
                n += y.numel()
        if total / n < best_loss:
            best_loss, waited = total / n, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            waited += 1
            if waited >= patience:
                break
    model.load_state_dict(best_state)
    return best_loss


@torch.no_grad()
def predict_proba(model, x_cat, x_num):
    model.eval()
    return torch.sigmoid(model(x_cat, x_num))
