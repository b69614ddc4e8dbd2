"""A mixture-of-experts classifier distilled from a teacher: softmax gating, temperature-scaled KL, tied decoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Expert(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x):
        return self.net(x)


class MoE(nn.Module):
    def __init__(self, dim=64, hidden=128, num_experts=4, num_classes=10):
        super().__init__()
        self.gate = nn.Linear(dim, num_experts)
        self.experts = nn.ModuleList([Expert(dim, hidden) for _ in range(num_experts)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        weights = F.softmax(self.gate(x), dim=-1)
        outputs = torch.stack([expert(x) for expert in self.experts], dim=-1)
        mixed = (outputs * weights.unsqueeze(-2)).sum(dim=-1)
        return self.head(self.norm(x + mixed))


class TiedAutoencoder(nn.Module):
    def __init__(self, dim=784, code=64):
        super().__init__()
        self.encoder = nn.Linear(dim, code)
        self.decoder_bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        z = torch.relu(self.encoder(x))
        return torch.sigmoid(F.linear(z, self.encoder.weight.t(), self.decoder_bias))


def distill(student, teacher, loader, epochs=1, temperature=4.0, alpha=0.7):
    optimizer = torch.optim.AdamW(student.parameters(), lr=1e-3, weight_decay=0.05)
    teacher.eval()
    student.train()
    for _ in range(epochs):
        for x, y in loader:
            with torch.no_grad():
                teacher_logits = teacher(x)
            logits = student(x)
            soft = F.kl_div(F.log_softmax(logits / temperature, dim=-1), F.softmax(teacher_logits / temperature, dim=-1), reduction="batchmean")
            hard = F.cross_entropy(logits, y, label_smoothing=0.1)
            loss = alpha * soft * temperature ** 2 + (1 - alpha) * hard
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def train_autoencoder(model, loader, epochs=5):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.BCELoss()
    for _ in range(epochs):
        for x, _ in loader:
            x = x.view(x.size(0), -1)
            loss = criterion(model(x), x)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    student = MoE()
    teacher = MoE(hidden=256)
    distill(student, teacher, [])
    train_autoencoder(TiedAutoencoder(), [])
