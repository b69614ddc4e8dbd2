# A small CNN with three shape mistakes.
# Shows: DL603 (bias before BatchNorm), DL402 (Linear right after pooling, no Flatten),
#        DL401 (Linear sizes that do not chain).
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=3, padding=1),
    nn.BatchNorm2d(16),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Linear(16 * 16 * 16, 100),
    nn.ReLU(),
    nn.Linear(128, 10),
)
