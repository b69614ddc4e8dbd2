"""PixelCNN with type-A / type-B masked convolutions and a 256-way softmax per pixel (MNIST, 1 channel)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedConv2d(nn.Conv2d):
    def __init__(self, mask_type, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assert mask_type in ("A", "B")
        self.register_buffer("mask", torch.ones_like(self.weight))
        _, _, kh, kw = self.weight.shape
        self.mask[:, :, kh // 2, kw // 2 + (mask_type == "B"):] = 0
        self.mask[:, :, kh // 2 + 1:] = 0

    def forward(self, x):
        return self._conv_forward(x, self.weight * self.mask, self.bias)


class ResidualBlock(nn.Module):
    """1x1 reduce -> 3x3 masked (type B) -> 1x1 expand, as in the PixelCNN paper."""

    def __init__(self, h):
        super().__init__()
        self.net = nn.Sequential(
            nn.ReLU(),
            nn.Conv2d(2 * h, h, kernel_size=1, bias=False),
            nn.BatchNorm2d(h),
            nn.ReLU(),
            MaskedConv2d("B", h, h, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(h),
            nn.ReLU(),
            nn.Conv2d(h, 2 * h, kernel_size=1, bias=False),
            nn.BatchNorm2d(2 * h),
        )

    def forward(self, x):
        return x + self.net(x)


class PixelCNN(nn.Module):
    def __init__(self, in_channels=1, h=64, num_blocks=7, n_levels=256):
        super().__init__()
        self.n_levels = n_levels
        self.input_conv = MaskedConv2d("A", in_channels, 2 * h, kernel_size=7, padding=3)
        self.blocks = nn.Sequential(*[ResidualBlock(h) for _ in range(num_blocks)])
        self.output = nn.Sequential(
            nn.ReLU(),
            MaskedConv2d("B", 2 * h, 1024, kernel_size=1),
            nn.ReLU(),
            MaskedConv2d("B", 1024, in_channels * n_levels, kernel_size=1),
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        # x in [0, 1]; returns logits of shape (B, n_levels, C, H, W)
        b, c, hh, ww = x.shape
        h = self.input_conv(x * 2.0 - 1.0)
        h = self.blocks(h)
        logits = self.output(h)
        return logits.view(b, self.n_levels, c, hh, ww)

    @torch.no_grad()
    def sample(self, shape, device="cpu"):
        b, c, hh, ww = shape
        x = torch.zeros(shape, device=device)
        for i in range(hh):
            for j in range(ww):
                for ch in range(c):
                    logits = self(x)[:, :, ch, i, j]
                    probs = F.softmax(logits, dim=1)
                    pixel = torch.multinomial(probs, 1).squeeze(1)
                    x[:, ch, i, j] = pixel.float() / (self.n_levels - 1)
        return x


def train(epochs=1, steps=5, batch_size=32):
    model = PixelCNN(in_channels=1, h=32, num_blocks=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.999)
    for epoch in range(epochs):
        model.train()
        for _ in range(steps):
            images = torch.randint(0, 256, (batch_size, 1, 28, 28))
            x = images.float() / 255.0
            logits = model(x)
            loss = F.cross_entropy(logits, images)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
        bits_per_dim = loss.item() / torch.log(torch.tensor(2.0)).item()
        print(f"epoch {epoch}: {bits_per_dim:.3f} bits/dim")

    model.eval()
    with torch.no_grad():
        val_images = torch.randint(0, 256, (8, 1, 28, 28))
        val_nll = F.cross_entropy(model(val_images.float() / 255.0), val_images).item()
    samples = model.sample((2, 1, 8, 8))
    return val_nll, samples


if __name__ == "__main__":
    train()
