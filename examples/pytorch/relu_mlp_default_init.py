# An 8-layer ReLU MLP that keeps PyTorch's default initialization.
# Shows: DL101 (deep ReLU stack without He/Kaiming init); `deeplint probe` on it reports the fading activations.
import torch.nn as nn
import torch.nn.functional as F


class PlainMLP(nn.Module):
    def __init__(self, width: int = 256, depth: int = 8):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return x
