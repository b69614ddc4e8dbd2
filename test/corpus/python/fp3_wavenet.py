"""WaveNet-style stack of gated, dilated causal convolutions with residual and skip connections."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalConv1d(nn.Conv1d):
    def __init__(self, in_channels, out_channels, kernel_size, dilation=1):
        self._pad = (kernel_size - 1) * dilation
        super().__init__(in_channels, out_channels, kernel_size, dilation=dilation)

    def forward(self, x):
        return super().forward(F.pad(x, (self._pad, 0)))


class ResidualLayer(nn.Module):
    def __init__(self, residual_channels=32, skip_channels=64, dilation=1):
        super().__init__()
        self.filter_conv = nn.Conv1d(residual_channels, residual_channels, 2, dilation=dilation)
        self.gate_conv = nn.Conv1d(residual_channels, residual_channels, 2, dilation=dilation)
        self.res_conv = nn.Conv1d(residual_channels, residual_channels, 1)
        self.skip_conv = nn.Conv1d(residual_channels, skip_channels, 1)
        self.pad = dilation

    def forward(self, x):
        h = F.pad(x, (self.pad, 0))
        z = torch.tanh(self.filter_conv(h)) * torch.sigmoid(self.gate_conv(h))
        return x + self.res_conv(z), self.skip_conv(z)


class WaveNet(nn.Module):
    def __init__(self, quantization=256, residual_channels=32, skip_channels=64, n_layers=10, n_stacks=2):
        super().__init__()
        self.input_conv = nn.Conv1d(quantization, residual_channels, 1)
        self.layers = nn.ModuleList(
            ResidualLayer(residual_channels, skip_channels, 2 ** i)
            for _ in range(n_stacks) for i in range(n_layers)
        )
        self.output = nn.Sequential(
            nn.ReLU(),
            nn.Conv1d(skip_channels, skip_channels, 1),
            nn.ReLU(),
            nn.Conv1d(skip_channels, quantization, 1),
        )

    def forward(self, x):
        x = self.input_conv(x)
        skips = 0
        for layer in self.layers:
            x, s = layer(x)
            skips = skips + s
        return self.output(skips)


class GatedStack(nn.Module):
    """The same gated block written out as a flat list, as some implementations do."""

    def __init__(self, channels=32, depth=8):
        super().__init__()
        self.filters = nn.ModuleList([nn.Conv1d(channels, channels, 3, padding=1) for _ in range(depth)])
        self.gates = nn.ModuleList([nn.Conv1d(channels, channels, 3, padding=1) for _ in range(depth)])

    def forward(self, x):
        for f, g in zip(self.filters, self.gates):
            x = x + torch.tanh(f(x)) * torch.sigmoid(g(x))
        return x


def train(model, loader, epochs=1):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        model.train()
        for audio_onehot, target in loader:
            logits = model(audio_onehot)
            loss = F.cross_entropy(logits[:, :, :-1], target[:, 1:])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
