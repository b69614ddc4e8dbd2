"""A CIFAR-10 convnet and training loop. The plotting helper at the bottom was left
half-edited and does not parse; the model code above it is fine."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import matplotlib.pyplot as plt


class CifarNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(64 * 8 * 8, 256)
        self.dropout = nn.Dropout(0.5)
        self.fc2 = nn.Linear(256, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))   # 32x32 -> 16x16
        x = self.pool(F.relu(self.conv2(x)))   # 16x16 -> 8x8
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


def train(model, epochs=2, device="cpu"):
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    history = []
    for epoch in range(epochs):
        model.train()
        images = torch.randn(128, 3, 32, 32, device=device)
        labels = torch.randint(0, 10, (128,), device=device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    return history


def plot_history(history:
    plt.plot(history, label="train loss"
    plt.legend()
    plt.show()
