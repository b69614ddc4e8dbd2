"""A conditional GAN on 28x28 images: label embeddings concatenated to the noise and to the flattened image."""
import torch
import torch.nn as nn
import torch.nn.functional as F

latent_dim = 100
n_classes = 10
img_shape = (1, 28, 28)
img_size = 28 * 28


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label_emb = nn.Embedding(n_classes, n_classes)

        def block(in_feat, out_feat, normalize=True):
            layers = [nn.Linear(in_feat, out_feat, bias=not normalize)]
            if normalize:
                layers.append(nn.BatchNorm1d(out_feat))
            layers.append(nn.LeakyReLU(0.2, inplace=True))
            return layers

        self.model = nn.Sequential(
            *block(latent_dim + n_classes, 128, normalize=False),
            *block(128, 256),
            *block(256, 512),
            *block(512, 1024),
            nn.Linear(1024, img_size),
            nn.Tanh(),
        )

    def forward(self, noise, labels):
        gen_input = torch.cat((self.label_emb(labels), noise), -1)
        img = self.model(gen_input)
        return img.view(img.size(0), *img_shape)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label_embedding = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(
            nn.Linear(n_classes + img_size, 512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 512),
            nn.Dropout(0.4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 512),
            nn.Dropout(0.4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 1),
        )

    def forward(self, img, labels):
        d_in = torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1)
        return self.model(d_in)


def train(dataloader, n_epochs=200, lr=2e-4, device="cpu"):
    generator, discriminator = Generator().to(device), Discriminator().to(device)
    adversarial_loss = nn.BCEWithLogitsLoss()
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
    for epoch in range(n_epochs):
        for imgs, labels in dataloader:
            batch = imgs.size(0)
            real_imgs, labels = imgs.to(device), labels.to(device)
            valid = torch.ones(batch, 1, device=device)
            fake = torch.zeros(batch, 1, device=device)

            opt_g.zero_grad()
            z = torch.randn(batch, latent_dim, device=device)
            gen_labels = torch.randint(0, n_classes, (batch,), device=device)
            gen_imgs = generator(z, gen_labels)
            g_loss = adversarial_loss(discriminator(gen_imgs, gen_labels), valid)
            g_loss.backward()
            opt_g.step()

            opt_d.zero_grad()
            real_loss = adversarial_loss(discriminator(real_imgs, labels), valid)
            fake_loss = adversarial_loss(discriminator(gen_imgs.detach(), gen_labels), fake)
            d_loss = 0.5 * (real_loss + fake_loss)
            d_loss.backward()
            opt_d.step()
        print(epoch, d_loss.item(), g_loss.item())


@torch.no_grad()
def sample_grid(generator, n_row=10, device="cpu"):
    generator.eval()
    z = torch.randn(n_row * n_row, latent_dim, device=device)
    labels = torch.arange(n_row, device=device).repeat_interleave(n_row)
    imgs = generator(z, labels)
    generator.train()
    return F.interpolate(imgs, scale_factor=2)
