"""GRU encoder-decoder for sequence reversal with scheduled teacher forcing; decoder emits log-probabilities for NLLLoss."""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

SOS, EOS, PAD = 0, 1, 2


class Encoder(nn.Module):
    def __init__(self, vocab, emb=64, hidden=128):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.gru = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * hidden, hidden)

    def forward(self, src):
        outputs, h = self.gru(self.embedding(src))
        h = torch.tanh(self.bridge(torch.cat([h[0], h[1]], dim=-1)))
        return outputs, h.unsqueeze(0)


class Decoder(nn.Module):
    def __init__(self, vocab, emb=64, hidden=128, dropout=0.1):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.dropout = nn.Dropout(dropout)
        self.gru = nn.GRU(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, token, hidden):
        x = self.dropout(self.embedding(token))
        output, hidden = self.gru(x, hidden)
        return F.log_softmax(self.out(output.squeeze(1)), dim=-1), hidden


def make_pair(vocab, min_len=3, max_len=10):
    length = random.randint(min_len, max_len)
    src = torch.randint(3, vocab, (length,))
    return src, torch.cat([src.flip(0), torch.tensor([EOS])])


def pad_batch(seqs):
    return nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=PAD)


def train_step(encoder, decoder, enc_opt, dec_opt, criterion, src, tgt, tf_ratio, clip=1.0):
    enc_opt.zero_grad()
    dec_opt.zero_grad()
    _, hidden = encoder(src)
    token = torch.full((src.size(0), 1), SOS, dtype=torch.long)
    loss = 0.0
    for t in range(tgt.size(1)):
        log_probs, hidden = decoder(token, hidden)
        loss = loss + criterion(log_probs, tgt[:, t])
        if random.random() < tf_ratio:
            token = tgt[:, t].unsqueeze(1)
        else:
            token = log_probs.argmax(-1, keepdim=True).detach()
    loss = loss / tgt.size(1)
    loss.backward()
    nn.utils.clip_grad_norm_(encoder.parameters(), clip)
    nn.utils.clip_grad_norm_(decoder.parameters(), clip)
    enc_opt.step()
    dec_opt.step()
    return loss.item()


@torch.no_grad()
def greedy_decode(encoder, decoder, src, max_len=12):
    encoder.eval()
    decoder.eval()
    _, hidden = encoder(src.unsqueeze(0))
    token, result = torch.tensor([[SOS]]), []
    for _ in range(max_len):
        log_probs, hidden = decoder(token, hidden)
        token = log_probs.argmax(-1, keepdim=True)
        if token.item() == EOS:
            break
        result.append(token.item())
    encoder.train()
    decoder.train()
    return result


def main(vocab=20, iters=3000, batch_size=32):
    encoder, decoder = Encoder(vocab), Decoder(vocab)
    enc_opt = torch.optim.SGD(encoder.parameters(), lr=0.05, momentum=0.9)
    dec_opt = torch.optim.SGD(decoder.parameters(), lr=0.05, momentum=0.9)
    criterion = nn.NLLLoss(ignore_index=PAD)
    for it in range(iters):
        pairs = [make_pair(vocab) for _ in range(batch_size)]
        src, tgt = pad_batch([p[0] for p in pairs]), pad_batch([p[1] for p in pairs])
        tf_ratio = max(0.0, 1.0 - it / (0.75 * iters))
        loss = train_step(encoder, decoder, enc_opt, dec_opt, criterion, src, tgt, tf_ratio)
        if it % 500 == 0:
            src, _ = make_pair(vocab)
            print(f"iter {it}: loss {loss:.3f} tf {tf_ratio:.2f}", src.tolist(), greedy_decode(encoder, decoder, src))


if __name__ == "__main__":
    main(iters=100)
