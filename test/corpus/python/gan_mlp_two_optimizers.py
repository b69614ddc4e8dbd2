"""A small MLP GAN on synthetic 2-D data: two Adam optimizers, detached fakes, non-saturating loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Generator(nn.Module):
    def __init__(self, latent_dim=16, hidden=128, out_dim=2):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(latent_dim, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, out_dim),
        )

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, in_dim=2, hidden=128):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(in_dim, hidden),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(hidden, hidden),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(hidden, 1),
        )

    def forward(self, x):
        return self.net(x).squeeze(-1)


def sample_real(n):
    """Eight Gaussians on a ring."""
    angles = torch.randint(0, 8, (n,)).float() * (2 * torch.pi / 8)
    centers = torch.stack([torch.cos(angles), torch.sin(angles)], dim=1) * 2.0
    return centers + 0.05 * torch.randn(n, 2)


@torch.no_grad()
def sample_fake(generator, n, latent_dim=16):
    was_training = generator.training
    generator.eval()
    fake = generator(torch.randn(n, latent_dim))
    generator.train(was_training)
    return fake


def train(steps=5000, batch_size=256, latent_dim=16, device="cpu"):
    G = Generator(latent_dim).to(device)
    D = Discriminator().to(device)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    criterion = nn.BCEWithLogitsLoss()
    ones = torch.ones(batch_size, device=device)
    zeros = torch.zeros(batch_size, device=device)

    for step in range(steps):
        real = sample_real(batch_size).to(device)
        z = torch.randn(batch_size, latent_dim, device=device)
        fake = G(z)

        # Discriminator: real -> 1, fake -> 0. The fakes are detached so G gets no gradient here.
        opt_d.zero_grad(set_to_none=True)
        d_loss = criterion(D(real), ones) + criterion(D(fake.detach()), zeros)
        d_loss.backward()
        opt_d.step()

        # Generator: non-saturating loss, fool D into predicting 1.
        opt_g.zero_grad(set_to_none=True)
        g_loss = criterion(D(fake), ones)
        g_loss.backward()
        opt_g.step()

        if step % 500 == 0:
            with torch.no_grad():
                d_real = torch.sigmoid(D(real)).mean().item()
                d_fake = torch.sigmoid(D(fake)).mean().item()
            print(f"step {step}: d_loss={d_loss.item():.3f} g_loss={g_loss.item():.3f} "
                  f"D(x)={d_real:.2f} D(G(z))={d_fake:.2f}")

    samples = sample_fake(G, 1000, latent_dim)
    return G, D, samples


if __name__ == "__main__":
    train(steps=200)
