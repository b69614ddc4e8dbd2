"""Source-separation U-Net on magnitude spectrograms (Jansson et al. 2017 style): predicts a soft vocal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Down(nn.Module):
    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 5, stride=2, padding=2, bias=False)
        self.bn = nn.BatchNorm2d(out_ch)

    def forward(self, x):
        return F.leaky_relu(self.bn(self.conv(x)), 0.2)


class Up(nn.Module):
    def __init__(self, in_ch, out_ch, dropout=0.0):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(in_ch, out_ch, 5, stride=2, padding=2, output_padding=1, bias=False)
        self.bn = nn.BatchNorm2d(out_ch)
        self.drop = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x, skip):
        x = self.drop(F.relu(self.bn(self.deconv(x))))
        return torch.cat([x, skip], dim=1)


class SpectrogramUNet(nn.Module):
    def __init__(self, base=16):
        super().__init__()
        c = [1, base, base * 2, base * 4, base * 8, base * 16]
        self.downs = nn.ModuleList([Down(c[i], c[i + 1]) for i in range(5)])
        self.up1 = Up(c[5], c[4], dropout=0.5)
        self.up2 = Up(c[4] * 2, c[3], dropout=0.5)
        self.up3 = Up(c[3] * 2, c[2])
        self.up4 = Up(c[2] * 2, c[1])
        self.final = nn.ConvTranspose2d(c[1] * 2, 1, 5, stride=2, padding=2, output_padding=1)

    def forward(self, mag):                 # mag: (B, 1, F=512, T=128), log-compressed
        skips = []
        x = mag
        for down in self.downs:
            x = down(x)
            skips.append(x)
        x = self.up1(skips[4], skips[3])
        x = self.up2(x, skips[2])
        x = self.up3(x, skips[1])
        x = self.up4(x, skips[0])
        return torch.sigmoid(self.final(x))   # soft mask in [0, 1]


def stft_mag(wave, n_fft=1022, hop=256):
    spec = torch.stft(wave, n_fft, hop, window=torch.hann_window(n_fft), return_complex=True)
    return spec.abs()[:, None, :, :128]        # (B, 1, 512, 128)


def train(model, mixtures, vocals, epochs=2, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        for mix_wave, voc_wave in zip(mixtures, vocals):
            mix, voc = stft_mag(mix_wave), stft_mag(voc_wave)
            mask = model(torch.log1p(mix))
            loss = F.l1_loss(mask * mix, voc)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: L1 {loss.item():.4f}")


@torch.no_grad()
def separate(model, mix_wave):
    model.eval()
    mix = stft_mag(mix_wave)
    return model(torch.log1p(mix)) * mix


if __name__ == "__main__":
    net = SpectrogramUNet()
    waves = [torch.randn(2, 33000) for _ in range(2)]
    train(net, waves, [w * 0.5 for w in waves], epochs=1)
    print(separate(net, waves[0]).shape)
