# A deep tabular classifier with sigmoid hidden activations and no regularization.
# Shows: DL201 (sigmoid in a deep stack), DL301 (large fully-connected stack without dropout).
import torch.nn as nn


class DeepSigmoidMLP(nn.Module):
    def __init__(self, n_features: int = 64, width: int = 1024, n_classes: int = 10):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_features, width),
            nn.Sigmoid(),
            nn.Linear(width, width),
            nn.Sigmoid(),
            nn.Linear(width, width),
            nn.Sigmoid(),
            nn.Linear(width, n_classes),
        )

    def forward(self, x):
        return self.net(x)
