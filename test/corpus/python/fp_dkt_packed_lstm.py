"""Deep Knowledge Tracing (Piech et al.) with an LSTM over packed variable-length interaction sequences."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class DKT(nn.Module):
    def __init__(self, num_skills=124, embed_dim=100, hidden_size=200, num_layers=1, dropout=0.2):
        super().__init__()
        self.num_skills = num_skills
        # one embedding per (skill, correctness) pair; index 0 is padding
        self.interaction_emb = nn.Embedding(2 * num_skills + 1, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden_size, num_skills)

    def forward(self, interactions, lengths):
        emb = self.interaction_emb(interactions)
        packed = pack_padded_sequence(emb, lengths.cpu(), batch_first=True, enforce_sorted=False)
        packed_out, _ = self.lstm(packed)
        h, _ = pad_packed_sequence(packed_out, batch_first=True, total_length=interactions.size(1))
        return self.out(self.dropout(h))  # logits for P(correct) on every skill at every step


def make_batch(batch_size, max_len, num_skills):
    lengths = torch.randint(5, max_len + 1, (batch_size,))
    skills = torch.randint(0, num_skills, (batch_size, max_len))
    correct = torch.randint(0, 2, (batch_size, max_len))
    steps = torch.arange(max_len).unsqueeze(0)
    valid = steps < lengths.unsqueeze(1)
    interactions = torch.where(valid, skills + correct * num_skills + 1, torch.zeros_like(skills))
    return interactions, skills, correct.float(), valid, lengths


def dkt_loss(logits, skills, correct, valid):
    # predict the response at t+1 from the state after step t
    pred = logits[:, :-1].gather(-1, skills[:, 1:].unsqueeze(-1)).squeeze(-1)
    target = correct[:, 1:]
    mask = valid[:, 1:]
    return F.binary_cross_entropy_with_logits(pred[mask], target[mask])


def evaluate(model, batches):
    model.eval()
    total_loss, correct_preds, count = 0.0, 0, 0
    with torch.no_grad():
        for interactions, skills, correct, valid, lengths in batches:
            logits = model(interactions, lengths)
            total_loss += dkt_loss(logits, skills, correct, valid).item()
            pred = logits[:, :-1].gather(-1, skills[:, 1:].unsqueeze(-1)).squeeze(-1)
            probs = torch.sigmoid(pred)
            mask = valid[:, 1:]
            correct_preds += ((probs[mask] > 0.5).float() == correct[:, 1:][mask]).sum().item()
            count += mask.sum().item()
    return total_loss / len(batches), correct_preds / max(count, 1)


def train(epochs=3, steps=10, batch_size=64, max_len=100, num_skills=124):
    model = DKT(num_skills=num_skills)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    val_batches = [make_batch(batch_size, max_len, num_skills) for _ in range(2)]
    for epoch in range(epochs):
        model.train()
        for _ in range(steps):
            interactions, skills, correct, valid, lengths = make_batch(batch_size, max_len, num_skills)
            logits = model(interactions, lengths)
            loss = dkt_loss(logits, skills, correct, valid)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0)
            optimizer.step()
        val_loss, val_acc = evaluate(model, val_batches)
        print(f"epoch {epoch}: train {loss.item():.4f} val {val_loss:.4f} acc {val_acc:.3f}")


if __name__ == "__main__":
    train()
