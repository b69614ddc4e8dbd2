# A classifier whose forward already applies softmax, trained with CrossEntropyLoss.
# Shows: DL501 (softmax before cross-entropy), DL601 (no zero_grad), DL602 (evaluated without model.eval()),
#        DL304 (functional dropout that stays on at evaluation).
import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self, n_features: int = 32, hidden: int = 128, n_classes: int = 5):
        super().__init__()
        self.fc1 = nn.Linear(n_features, hidden)
        self.drop = nn.Dropout(0.2)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        x = F.dropout(F.relu(self.fc1(x)), 0.1)
        x = self.drop(x)
        return F.softmax(self.fc2(x), dim=1)


model = Classifier()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def train(loader, epochs: int = 5):
    model.train()
    for epoch in range(epochs):
        for x, y in loader:
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()


def evaluate(x):
    with torch.no_grad():
        return model(x).argmax(dim=1)
