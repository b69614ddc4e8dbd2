import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self, drop=0.1):
        super().__init__()
        self.fc1 = nn.Linear(32, 64)
        self.fc2 = nn.Linear(64, 2)
        self.drop = nn.Dropout(inplace=True)
        self.p = drop

    def forward(self, x):
        x = F.dropout(F.relu(self.fc1(x)), self.p, self.training)
        x = F.alpha_dropout(self.drop(x), p=0.05, training=self.training)
        return self.fc2(x)
