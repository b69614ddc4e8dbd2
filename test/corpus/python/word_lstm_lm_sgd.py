"""Word-level LSTM language model (PyTorch word_language_model style): SGD, clipping, truncated BPTT, LR annealing."""
import math

import torch
import torch.nn as nn


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp=200, nhid=200, nlayers=2, dropout=0.2, tie_weights=True):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            assert nhid == ninp, "tied weights need nhid == ninp"
            self.decoder.weight = self.encoder.weight
        self.nlayers, self.nhid = nlayers, nhid
        nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)

    def forward(self, tokens, hidden):
        emb = self.drop(self.encoder(tokens))
        output, hidden = self.rnn(emb, hidden)
        return self.decoder(self.drop(output)), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    return data[: nbatch * bsz].view(bsz, -1).t().contiguous()


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].reshape(-1)


def evaluate(model, data, ntokens, bptt, eval_batch_size=10):
    model.eval()
    criterion = nn.CrossEntropyLoss()
    total_loss = 0.0
    hidden = model.init_hidden(eval_batch_size)
    with torch.no_grad():
        for i in range(0, data.size(0) - 1, bptt):
            inputs, targets = get_batch(data, i, bptt)
            output, hidden = model(inputs, hidden)
            total_loss += len(inputs) * criterion(output.view(-1, ntokens), targets).item()
    return total_loss / (len(data) - 1)


def train_epoch(model, data, optimizer, ntokens, bptt=35, batch_size=20, clip=0.25):
    model.train()
    criterion = nn.CrossEntropyLoss()
    hidden = model.init_hidden(batch_size)
    for batch, i in enumerate(range(0, data.size(0) - 1, bptt)):
        inputs, targets = get_batch(data, i, bptt)
        hidden = tuple(h.detach() for h in hidden)
        optimizer.zero_grad()
        output, hidden = model(inputs, hidden)
        loss = criterion(output.view(-1, ntokens), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        if batch % 200 == 0:
            print(f"batch {batch}: loss {loss.item():.2f} ppl {math.exp(loss.item()):.1f}")


def main(epochs=6, ntokens=1000, lr=20.0):
    corpus = torch.randint(0, ntokens, (50000,))
    train_data, val_data = batchify(corpus[:45000], 20), batchify(corpus[45000:], 10)
    model = RNNModel(ntokens)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    best_val = None
    for epoch in range(1, epochs + 1):
        train_epoch(model, train_data, optimizer, ntokens)
        val_loss = evaluate(model, val_data, ntokens, bptt=35)
        print(f"epoch {epoch}: val ppl {math.exp(val_loss):.2f}")
        if best_val is None or val_loss < best_val:
            best_val = val_loss
            torch.save(model.state_dict(), "lm.pt")
        else:
            for group in optimizer.param_groups:
                group["lr"] /= 4.0


if __name__ == "__main__":
    main(epochs=1)
