"""Denoising convolutional autoencoder on [0, 1] images: sigmoid output with BCELoss, plus a sparse latent penalty."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DenoisingAE(nn.Module):
    def __init__(self, channels=1, latent=32):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, 16, 3, stride=2, padding=1),  # 28 -> 14
            nn.ReLU(inplace=True),
            nn.Conv2d(16, 32, 3, stride=2, padding=1),  # 14 -> 7
            nn.ReLU(inplace=True),
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, latent),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent, 32 * 7 * 7),
            nn.ReLU(inplace=True),
            nn.Unflatten(1, (32, 7, 7)),
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1),  # 7 -> 14
            nn.ReLU(inplace=True),
            nn.ConvTranspose2d(16, channels, 3, stride=2, padding=1, output_padding=1),  # 14 -> 28
            nn.Sigmoid(),
        )

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z


def synthetic_digits(n, size=28):
    """Random strokes: a few bright rectangles on a dark background."""
    imgs = torch.zeros(n, 1, size, size)
    for i in range(n):
        for _ in range(3):
            r, c = torch.randint(0, size - 6, (2,)).tolist()
            imgs[i, 0, r:r + torch.randint(2, 6, ()).item(), c:c + torch.randint(2, 6, ()).item()] = 1.0
    return imgs


def corrupt(x, noise=0.3, drop=0.2):
    noisy = x + noise * torch.randn_like(x)
    noisy = noisy * (torch.rand_like(x) > drop)
    return noisy.clamp(0.0, 1.0)


def train(epochs=10, batch_size=64, sparsity=1e-3):
    model = DenoisingAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.BCELoss()
    data = synthetic_digits(1024)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(data.size(0))
        epoch_loss = 0.0
        for i in range(0, data.size(0), batch_size):
            clean = data[perm[i:i + batch_size]]
            recon, z = model(corrupt(clean))
            loss = criterion(recon, clean) + sparsity * z.abs().mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * clean.size(0)
        model.eval()
        with torch.no_grad():
            clean = synthetic_digits(128)
            recon, _ = model(corrupt(clean))
            psnr = 10 * torch.log10(1.0 / F.mse_loss(recon, clean))
        print(f"epoch {epoch}: train loss {epoch_loss / data.size(0):.4f} val psnr {psnr:.2f} dB")
    return model


if __name__ == "__main__":
    train(epochs=2)
