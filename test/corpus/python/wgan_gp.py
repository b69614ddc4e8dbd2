"""WGAN with gradient penalty: several critic steps per generator step, Adam with the paper's betas."""
import torch
from torch import autograd, nn


class Generator(nn.Module):
    def __init__(self, latent_dim=128, channels=1, features=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(latent_dim, features * 4, 4, 1, 0, bias=False),
            nn.BatchNorm2d(features * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(features * 4, features * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(features * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(features * 2, features, 4, 2, 1, bias=False),
            nn.BatchNorm2d(features),
            nn.ReLU(True),
            nn.ConvTranspose2d(features, channels, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z)


class Critic(nn.Module):
    def __init__(self, channels=1, features=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(channels, features, 4, 2, 1),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(features, features * 2, 4, 2, 1),
            nn.InstanceNorm2d(features * 2, affine=True),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(features * 2, features * 4, 4, 2, 1),
            nn.InstanceNorm2d(features * 4, affine=True),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(features * 4, 1, 4, 1, 0),
        )

    def forward(self, x):
        return self.net(x).view(-1)


def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.size(0), 1, 1, 1, device=real.device)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = critic(mixed)
    gradients = autograd.grad(outputs=scores, inputs=mixed, grad_outputs=torch.ones_like(scores), create_graph=True)[0]
    gradients = gradients.view(gradients.size(0), -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()


def train(loader, latent_dim=128, epochs=5, n_critic=5, lambda_gp=10.0, device="cuda"):
    generator = Generator(latent_dim).to(device)
    critic = Critic().to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=1e-4, betas=(0.0, 0.9))
    opt_c = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))
    for epoch in range(epochs):
        for real, _ in loader:
            real = real.to(device)
            for _ in range(n_critic):
                z = torch.randn(real.size(0), latent_dim, 1, 1, device=device)
                fake = generator(z).detach()
                loss_c = critic(fake).mean() - critic(real).mean() + lambda_gp * gradient_penalty(critic, real, fake)
                opt_c.zero_grad()
                loss_c.backward()
                opt_c.step()
            z = torch.randn(real.size(0), latent_dim, 1, 1, device=device)
            loss_g = -critic(generator(z)).mean()
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
