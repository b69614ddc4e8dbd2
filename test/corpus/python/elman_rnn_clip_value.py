"""Elman RNN sequence classifier on variable-length synthetic sequences (packed), clipped with clip_grad_value_."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence


class RNNClassifier(nn.Module):
    def __init__(self, input_size=8, hidden_size=64, num_layers=1, num_classes=2):
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size, num_layers=num_layers, nonlinearity="tanh", batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, h_n = self.rnn(packed)
        return self.fc(h_n[-1])


def make_batch(bs=32, input_size=8, max_len=40):
    lengths = torch.randint(5, max_len + 1, (bs,))
    seqs = [torch.randn(int(n), input_size) for n in lengths]
    # Label: does the running sum of the first feature end positive?
    labels = torch.stack([(s[:, 0].sum() > 0).long() for s in seqs])
    return pad_sequence(seqs, batch_first=True), lengths, labels


def clip_gradients(model, value):
    torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=value)


def train(steps=3000, lr=0.01, clip=1.0):
    model = RNNClassifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    for step in range(steps):
        x, lengths, y = make_batch()
        model.zero_grad()
        loss = criterion(model(x, lengths), y)
        loss.backward()
        clip_gradients(model, clip)
        optimizer.step()
        if step % 500 == 0:
            with torch.no_grad():
                x, lengths, y = make_batch(bs=256)
                acc = (model(x, lengths).argmax(1) == y).float().mean().item()
            print(f"step {step}: loss {loss.item():.3f} acc {acc:.3f}")
    return model


if __name__ == "__main__":
    train(steps=500)
