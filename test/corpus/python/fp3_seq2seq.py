"""Seq2seq LSTM with Bahdanau-style (additive) attention and teacher forcing."""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, vocab_size=5000, emb_dim=128, hid_dim=256, n_layers=2, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.rnn = nn.LSTM(emb_dim, hid_dim, num_layers=n_layers, dropout=dropout,
                           bidirectional=True, batch_first=True)
        self.fc_h = nn.Linear(hid_dim * 2, hid_dim)
        self.fc_c = nn.Linear(hid_dim * 2, hid_dim)
        self.dropout = nn.Dropout(dropout)
        self.n_layers = n_layers

    def forward(self, src):
        embedded = self.dropout(self.embedding(src))
        outputs, (h, c) = self.rnn(embedded)
        h = h.view(self.n_layers, 2, h.size(1), h.size(2))
        c = c.view(self.n_layers, 2, c.size(1), c.size(2))
        h = torch.tanh(self.fc_h(torch.cat([h[:, 0], h[:, 1]], dim=-1)))
        c = torch.tanh(self.fc_c(torch.cat([c[:, 0], c[:, 1]], dim=-1)))
        return outputs, (h, c)


class Attention(nn.Module):
    def __init__(self, enc_dim=512, dec_dim=256, attn_dim=128):
        super().__init__()
        self.W_enc = nn.Linear(enc_dim, attn_dim, bias=False)
        self.W_dec = nn.Linear(dec_dim, attn_dim)
        self.v = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, dec_hidden, enc_outputs, mask):
        scores = self.v(torch.tanh(self.W_enc(enc_outputs) + self.W_dec(dec_hidden).unsqueeze(1))).squeeze(-1)
        scores = scores.masked_fill(~mask, float("-inf"))
        return F.softmax(scores, dim=-1)


class Decoder(nn.Module):
    def __init__(self, vocab_size=6000, emb_dim=128, enc_dim=512, hid_dim=256, n_layers=2, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.attention = Attention(enc_dim, hid_dim)
        self.rnn = nn.LSTM(emb_dim + enc_dim, hid_dim, num_layers=n_layers, dropout=dropout, batch_first=True)
        self.fc_out = nn.Linear(hid_dim + enc_dim + emb_dim, vocab_size)
        self.dropout = nn.Dropout(dropout)

    def forward(self, token, state, enc_outputs, mask):
        embedded = self.dropout(self.embedding(token.unsqueeze(1)))
        weights = self.attention(state[0][-1], enc_outputs, mask)
        context = torch.bmm(weights.unsqueeze(1), enc_outputs)
        output, state = self.rnn(torch.cat([embedded, context], dim=-1), state)
        logits = self.fc_out(torch.cat([output, context, embedded], dim=-1).squeeze(1))
        return logits, state


class Seq2Seq(nn.Module):
    def __init__(self, encoder: Encoder, decoder: Decoder, pad_idx: int = 0):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.pad_idx = pad_idx

    def forward(self, src, trg, teacher_forcing_ratio=0.5):
        batch_size, trg_len = trg.shape
        outputs = []
        enc_outputs, state = self.encoder(src)
        mask = src != self.pad_idx
        token = trg[:, 0]
        for t in range(1, trg_len):
            logits, state = self.decoder(token, state, enc_outputs, mask)
            outputs.append(logits)
            teacher_force = random.random() < teacher_forcing_ratio
            token = trg[:, t] if teacher_force else logits.argmax(-1)
        return torch.stack(outputs, dim=1)


def train_epoch(model, iterator, optimizer, criterion, clip=1.0):
    model.train()
    epoch_loss = 0.0
    for src, trg in iterator:
        optimizer.zero_grad()
        output = model(src, trg)
        loss = criterion(output.reshape(-1, output.size(-1)), trg[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        epoch_loss += loss.item()
    return epoch_loss / len(iterator)


def evaluate(model, iterator, criterion):
    model.eval()
    epoch_loss = 0.0
    with torch.no_grad():
        for src, trg in iterator:
            output = model(src, trg, 0.0)
            loss = criterion(output.reshape(-1, output.size(-1)), trg[:, 1:].reshape(-1))
            epoch_loss += loss.item()
    return epoch_loss / len(iterator)


if __name__ == "__main__":
    model = Seq2Seq(Encoder(), Decoder())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss(ignore_index=0)
