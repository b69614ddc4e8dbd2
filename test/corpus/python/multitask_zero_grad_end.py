"""Multi-task tabular model: a multi-class head and a multi-label head, losses summed, zero_grad at the end of each step."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiTaskNet(nn.Module):
    def __init__(self, in_features=40, hidden=128, num_classes=5, num_tags=8, dropout=0.2):
        super().__init__()
        self.shared = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
        )
        self.class_head = nn.Linear(hidden, num_classes)
        self.tag_head = nn.Linear(hidden, num_tags)

    def forward(self, x):
        h = self.shared(x)
        return self.class_head(h), self.tag_head(h)


def synthetic_batch(bs=64, in_features=40, num_classes=5, num_tags=8):
    x = torch.randn(bs, in_features)
    cls = torch.randint(0, num_classes, (bs,))
    tags = (torch.rand(bs, num_tags) < 0.15).float()
    return x, cls, tags


def f1_from_logits(logits, targets, threshold=0.5):
    preds = (torch.sigmoid(logits) > threshold).float()
    tp = (preds * targets).sum()
    fp = (preds * (1 - targets)).sum()
    fn = ((1 - preds) * targets).sum()
    return (2 * tp / (2 * tp + fp + fn).clamp(min=1)).item()


def main(steps=2000, tag_weight=0.5):
    model = MultiTaskNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=500, gamma=0.5)
    # Tags are rare: weight positives by the negative/positive ratio.
    tag_criterion = nn.BCEWithLogitsLoss(pos_weight=torch.full((8,), 0.85 / 0.15))
    model.train()
    for step in range(steps):
        x, cls, tags = synthetic_batch()
        class_logits, tag_logits = model(x)
        class_loss = F.cross_entropy(class_logits, cls, label_smoothing=0.05)
        tag_loss = tag_criterion(tag_logits, tags)
        loss = class_loss + tag_weight * tag_loss
        loss.backward()
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()

        if step % 200 == 0:
            acc = (class_logits.argmax(1) == cls).float().mean().item()
            f1 = f1_from_logits(tag_logits.detach(), tags)
            print(f"step {step}: loss {loss.item():.3f} acc {acc:.3f} tag-F1 {f1:.3f}")

    model.eval()
    with torch.no_grad():
        x, cls, tags = synthetic_batch(bs=512)
        class_logits, tag_logits = model(x)
        probs = torch.sigmoid(tag_logits)
        print("val acc", (class_logits.argmax(1) == cls).float().mean().item(),
              "mean tag prob", probs.mean().item())
    return model


if __name__ == "__main__":
    main(steps=400)
