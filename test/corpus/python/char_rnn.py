"""A character-level LSTM language model trained with truncated backpropagation through time."""
import torch
import torch.nn as nn


class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size=256, num_layers=2, dropout=0.3):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.lstm = nn.LSTM(hidden_size, hidden_size, num_layers=num_layers, dropout=dropout, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x, state=None):
        out, state = self.lstm(self.embed(x), state)
        return self.head(self.drop(out)), state


def detach(state):
    return tuple(s.detach() for s in state)


def train(model, batches, epochs=10, lr=2e-3, clip=5.0):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        state = None
        for inputs, targets in batches:
            if state is not None:
                state = detach(state)
            logits, state = model(inputs, state)
            loss = criterion(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()


@torch.no_grad()
def sample(model, start, length, temperature=0.8):
    model.eval()
    x, state, out = start, None, []
    for _ in range(length):
        logits, state = model(x, state)
        probs = torch.softmax(logits[:, -1] / temperature, dim=-1)
        x = torch.multinomial(probs, 1)
        out.append(x)
    return torch.cat(out, dim=1)
