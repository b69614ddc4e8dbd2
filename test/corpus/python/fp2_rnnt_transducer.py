"""A small RNN-Transducer: LSTM transcription network with frame stacking, an
LSTM prediction network, and an additive joiner. Trained with torchaudio's
RNN-T loss; greedy decoding for inference."""
import torch
import torchaudio
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

BLANK = 0


class Transcriber(nn.Module):
    def __init__(self, n_mels: int = 80, hidden: int = 320, num_layers: int = 3, out_dim: int = 256, stack: int = 2):
        super().__init__()
        self.stack = stack
        self.lstm = nn.LSTM(n_mels * stack, hidden, num_layers=num_layers, batch_first=True, dropout=0.1)
        self.proj = nn.Linear(hidden, out_dim)

    def forward(self, feats, lengths):
        b, t, f = feats.shape
        t2 = t // self.stack
        feats = feats[:, : t2 * self.stack].reshape(b, t2, f * self.stack)
        lengths = torch.div(lengths, self.stack, rounding_mode="floor")
        packed = pack_padded_sequence(feats, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=t2)
        return self.proj(out), lengths


class Predictor(nn.Module):
    def __init__(self, vocab_size: int, embed_dim: int = 128, hidden: int = 320, out_dim: int = 256):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.proj = nn.Linear(hidden, out_dim)

    def forward(self, tokens, state=None):
        out, state = self.lstm(self.embed(tokens), state)
        return self.proj(out), state


class Joiner(nn.Module):
    def __init__(self, in_dim: int, joint_dim: int, vocab_size: int):
        super().__init__()
        self.linear = nn.Linear(in_dim, joint_dim)
        self.out = nn.Linear(joint_dim, vocab_size)

    def forward(self, enc, pred):
        # enc: (B, T, D), pred: (B, U + 1, D) -> (B, T, U + 1, V)
        joint = enc.unsqueeze(2) + pred.unsqueeze(1)
        return self.out(torch.tanh(self.linear(joint)))


class RNNTransducer(nn.Module):
    def __init__(self, vocab_size: int = 29, n_mels: int = 80):
        super().__init__()
        self.transcriber = Transcriber(n_mels=n_mels)
        self.predictor = Predictor(vocab_size)
        self.joiner = Joiner(256, 512, vocab_size)

    def forward(self, feats, feat_lengths, targets):
        enc, enc_lengths = self.transcriber(feats, feat_lengths)
        sos = targets.new_full((targets.size(0), 1), BLANK)
        pred, _ = self.predictor(torch.cat([sos, targets], dim=1))
        return self.joiner(enc, pred), enc_lengths

    @torch.inference_mode()
    def greedy_decode(self, feats, feat_lengths, max_symbols: int = 5):
        enc, enc_lengths = self.transcriber(feats, feat_lengths)
        hyps = []
        for b in range(enc.size(0)):
            token = torch.full((1, 1), BLANK, dtype=torch.long, device=feats.device)
            pred, state = self.predictor(token)
            hyp = []
            for t in range(int(enc_lengths[b])):
                for _ in range(max_symbols):
                    logits = self.joiner(enc[b : b + 1, t : t + 1], pred)
                    k = int(logits.argmax(dim=-1))
                    if k == BLANK:
                        break
                    hyp.append(k)
                    token = torch.full((1, 1), k, dtype=torch.long, device=feats.device)
                    pred, state = self.predictor(token, state)
            hyps.append(hyp)
        return hyps


def main():
    torch.manual_seed(0)
    model = RNNTransducer()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    for step in range(10):
        feats = torch.randn(4, 200, 80)
        feat_lengths = torch.tensor([200, 180, 160, 120])
        targets = torch.randint(1, 29, (4, 12))
        target_lengths = torch.tensor([12, 10, 9, 7])
        model.train()
        logits, logit_lengths = model(feats, feat_lengths, targets)
        loss = torchaudio.functional.rnnt_loss(
            logits, targets.int(), logit_lengths.int(), target_lengths.int(), blank=BLANK, reduction="mean"
        )
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        print(f"step {step} rnnt loss {loss.item():.3f}")

    model.eval()
    print(model.greedy_decode(torch.randn(2, 100, 80), torch.tensor([100, 80])))


if __name__ == "__main__":
    main()
