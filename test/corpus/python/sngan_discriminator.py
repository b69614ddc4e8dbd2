import torch
from torch import nn
from torch.nn.utils import spectral_norm


class SNDiscriminator(nn.Module):
    def __init__(self, channels=3, features=64):
        super().__init__()
        self.net = nn.Sequential(
            spectral_norm(nn.Conv2d(channels, features, 4, 2, 1)),
            nn.LeakyReLU(0.1),
            spectral_norm(nn.Conv2d(features, features * 2, 4, 2, 1)),
            nn.LeakyReLU(0.1),
            spectral_norm(nn.Conv2d(features * 2, features * 4, 4, 2, 1)),
            nn.LeakyReLU(0.1),
            nn.Flatten(),
            spectral_norm(nn.Linear(features * 4 * 4 * 4, 1)),
        )

    def forward(self, x):
        return self.net(x)


class WNHead(nn.Module):
    def __init__(self, dim=128, classes=10):
        super().__init__()
        self.fc = nn.utils.parametrizations.weight_norm(nn.Linear(dim, classes))

    def forward(self, x):
        return self.fc(x)


disc = SNDiscriminator()
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.0, 0.9))
for real in []:
    optimizer.zero_grad()
    loss = criterion(disc(real), torch.ones(real.size(0), 1))
    loss.backward()
    optimizer.step()
