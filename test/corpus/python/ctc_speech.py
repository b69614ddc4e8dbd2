"""Character-level speech recognizer: 2-D conv front end, bidirectional GRU, CTC loss on log-probabilities, greedy decoding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = ["<blank>", " ", "'"] + [chr(c) for c in range(ord("a"), ord("z") + 1)]


class CTCModel(nn.Module):
    def __init__(self, n_mels=80, n_tokens=len(VOCAB), channels=32, hidden=256, n_layers=3, dropout=0.2):
        super().__init__()
        self.frontend = nn.Sequential(
            nn.Conv2d(1, channels, (11, 41), stride=(2, 2), padding=(5, 20), bias=False),
            nn.BatchNorm2d(channels),
            nn.Hardtanh(0, 20, inplace=True),
            nn.Conv2d(channels, channels, (11, 21), stride=(1, 2), padding=(5, 10), bias=False),
            nn.BatchNorm2d(channels),
            nn.Hardtanh(0, 20, inplace=True),
        )
        freq = n_mels
        freq = (freq + 2 * 20 - 41) // 2 + 1
        freq = (freq + 2 * 10 - 21) // 2 + 1
        self.rnn = nn.GRU(channels * freq, hidden, num_layers=n_layers, batch_first=True,
                          bidirectional=True, dropout=dropout)
        self.classifier = nn.Linear(2 * hidden, n_tokens)

    @staticmethod
    def output_lengths(lengths):
        return (lengths + 2 * 5 - 11) // 2 + 1

    def forward(self, feats, lengths):            # feats: (B, T, n_mels)
        x = self.frontend(feats.unsqueeze(1))     # (B, C, T', F')
        b, c, t, f = x.shape
        x = x.permute(0, 2, 1, 3).reshape(b, t, c * f)
        out_lens = self.output_lengths(lengths)
        packed = nn.utils.rnn.pack_padded_sequence(x, out_lens.cpu(), batch_first=True, enforce_sorted=False)
        x, _ = self.rnn(packed)
        x, _ = nn.utils.rnn.pad_packed_sequence(x, batch_first=True, total_length=t)
        return self.classifier(x), out_lens      # logits (B, T', V)


def greedy_decode(log_probs, lengths):
    best = log_probs.argmax(dim=-1)
    texts = []
    for seq, n in zip(best, lengths):
        seq = torch.unique_consecutive(seq[:n])
        texts.append("".join(VOCAB[i] for i in seq.tolist() if i != 0))
    return texts


def train(model, batches, epochs=5, lr=3e-4, max_norm=400.0):
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * len(batches))
    for epoch in range(epochs):
        model.train()
        for feats, feat_lens, targets, target_lens in batches:
            logits, out_lens = model(feats, feat_lens)
            log_probs = F.log_softmax(logits, dim=-1).transpose(0, 1)     # (T, B, V) for CTCLoss
            loss = ctc(log_probs, targets, out_lens, target_lens)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            feats, feat_lens, _, _ = batches[0]
            logits, out_lens = model(feats, feat_lens)
            print(epoch, loss.item(), greedy_decode(logits.log_softmax(-1), out_lens)[:1])


if __name__ == "__main__":
    feats = torch.randn(4, 300, 80)
    feat_lens = torch.tensor([300, 280, 250, 200])
    targets = torch.randint(1, len(VOCAB), (4, 30))
    target_lens = torch.tensor([30, 25, 20, 15])
    train(CTCModel(), [(feats, feat_lens, targets, target_lens)], epochs=1)
