"""A Temporal Convolutional Network (Bai et al., 2018): causal dilated Conv1d blocks with weight norm."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import weight_norm


class Chomp1d(nn.Module):
    """Trims the right padding so that each convolution stays causal."""

    def __init__(self, chomp_size):
        super().__init__()
        self.chomp_size = chomp_size

    def forward(self, x):
        return x[:, :, : -self.chomp_size].contiguous()


def causal_conv(n_inputs, n_outputs, kernel_size, dilation):
    conv = nn.Conv1d(n_inputs, n_outputs, kernel_size, padding=(kernel_size - 1) * dilation, dilation=dilation)
    # Initialise before the reparametrisation, so that g and v are derived from this weight.
    nn.init.normal_(conv.weight, 0.0, 0.01)
    return weight_norm(conv)


class TemporalBlock(nn.Module):
    def __init__(self, n_inputs, n_outputs, kernel_size, dilation, dropout=0.2):
        super().__init__()
        padding = (kernel_size - 1) * dilation
        self.net = nn.Sequential(
            causal_conv(n_inputs, n_outputs, kernel_size, dilation),
            Chomp1d(padding),
            nn.ReLU(),
            nn.Dropout(dropout),
            causal_conv(n_outputs, n_outputs, kernel_size, dilation),
            Chomp1d(padding),
            nn.ReLU(),
            nn.Dropout(dropout),
        )
        self.downsample = nn.Conv1d(n_inputs, n_outputs, 1) if n_inputs != n_outputs else None
        if self.downsample is not None:
            nn.init.normal_(self.downsample.weight, 0.0, 0.01)

    def forward(self, x):
        out = self.net(x)
        res = x if self.downsample is None else self.downsample(x)
        return F.relu(out + res)


class TCN(nn.Module):
    """Sequential MNIST: 1 input channel, 8 levels of 25 channels, kernel 7, dilation 2**i."""

    def __init__(self, input_size=1, num_channels=(25,) * 8, kernel_size=7, dropout=0.05, num_classes=10):
        super().__init__()
        layers = []
        for i, out_ch in enumerate(num_channels):
            in_ch = input_size if i == 0 else num_channels[i - 1]
            layers.append(TemporalBlock(in_ch, out_ch, kernel_size, dilation=2 ** i, dropout=dropout))
        self.tcn = nn.Sequential(*layers)
        self.linear = nn.Linear(num_channels[-1], num_classes)
        nn.init.normal_(self.linear.weight, 0.0, 0.01)

    def forward(self, x):
        y = self.tcn(x)
        return F.log_softmax(self.linear(y[:, :, -1]), dim=1)


def train(model, train_loader, test_loader, epochs=20, lr=2e-3, clip=1.0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        for data, target in train_loader:
            data = data.view(data.size(0), 1, -1)
            optimizer.zero_grad()
            loss = F.nll_loss(model(data), target)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()

        model.eval()
        test_loss = 0.0
        with torch.no_grad():
            for data, target in test_loader:
                output = model(data.view(data.size(0), 1, -1))
                test_loss += F.nll_loss(output, target, reduction="sum").item()
        print(epoch, test_loss / len(test_loader.dataset))
