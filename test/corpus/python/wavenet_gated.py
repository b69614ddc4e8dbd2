"""WaveNet-style vocoder: dilated causal convolutions, gated tanh*sigmoid units, residual and skip 1x1 convs."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GatedResidualBlock(nn.Module):
    def __init__(self, residual_channels, gate_channels, skip_channels, kernel_size, dilation):
        super().__init__()
        self.causal_pad = (kernel_size - 1) * dilation
        # pad both sides, then drop the right-hand overhang so the conv stays causal
        self.dilated = nn.Conv1d(residual_channels, 2 * gate_channels, kernel_size,
                                 dilation=dilation, padding=self.causal_pad)
        self.res_proj = nn.Conv1d(gate_channels, residual_channels, 1)
        self.skip_proj = nn.Conv1d(gate_channels, skip_channels, 1)

    def forward(self, x):
        h = self.dilated(x)[:, :, : x.size(-1)]
        f, g = h.chunk(2, dim=1)
        z = torch.tanh(f) * torch.sigmoid(g)
        skip = self.skip_proj(z)
        residual = (x + self.res_proj(z)) * 0.7071067811865476
        return residual, skip


class WaveNet(nn.Module):
    def __init__(self, n_classes=256, residual_channels=64, gate_channels=64,
                 skip_channels=128, kernel_size=2, n_layers=10, n_stacks=2):
        super().__init__()
        self.input_conv = nn.Conv1d(n_classes, residual_channels, 1)
        self.blocks = nn.ModuleList(
            GatedResidualBlock(residual_channels, gate_channels, skip_channels,
                               kernel_size, dilation=2 ** i)
            for _ in range(n_stacks)
            for i in range(n_layers)
        )
        self.head = nn.Sequential(
            nn.ReLU(),
            nn.Conv1d(skip_channels, skip_channels, 1),
            nn.ReLU(),
            nn.Conv1d(skip_channels, n_classes, 1),
        )
        self.receptive_field = n_stacks * (kernel_size - 1) * (2 ** n_layers - 1) + 1

    def forward(self, one_hot):
        x = self.input_conv(one_hot)
        skips = 0
        for block in self.blocks:
            x, s = block(x)
            skips = skips + s
        return self.head(skips)


def mu_law_encode(audio, n_classes=256):
    mu = n_classes - 1
    y = torch.sign(audio) * torch.log1p(mu * audio.abs()) / torch.log1p(torch.tensor(float(mu)))
    return ((y + 1) / 2 * mu + 0.5).long().clamp(0, mu)


def train(model, waveforms, epochs=2, lr=1e-3, device="cpu"):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        for audio in waveforms:
            audio = audio.to(device)
            q = mu_law_encode(audio)                       # (B, T) integer classes
            inputs = F.one_hot(q[:, :-1], 256).permute(0, 2, 1).float()
            targets = q[:, 1:]
            logits = model(inputs)                        # (B, 256, T-1)
            loss = F.cross_entropy(logits, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: nll {loss.item():.3f}")


@torch.no_grad()
def generate(model, n_samples, n_classes=256):
    model.eval()
    q = torch.full((1, 1), n_classes // 2, dtype=torch.long)
    for _ in range(n_samples):
        window = q[:, -model.receptive_field:]
        x = F.one_hot(window, n_classes).permute(0, 2, 1).float()
        probs = F.softmax(model(x)[:, :, -1], dim=1)
        q = torch.cat([q, torch.multinomial(probs, 1)], dim=1)
    return q


if __name__ == "__main__":
    net = WaveNet()
    train(net, [torch.rand(4, 2048) * 2 - 1 for _ in range(3)], epochs=1)
    print(generate(net, 16).shape)
