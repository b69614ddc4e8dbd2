"""LoRA fine-tuning (peft style): frozen base Linear plus a zero-initialised low-rank update, merged for inference."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r=8, alpha=16, dropout=0.05):
        super().__init__()
        self.base = base
        self.base.weight.requires_grad_(False)
        if self.base.bias is not None:
            self.base.bias.requires_grad_(False)
        self.lora_dropout = nn.Dropout(dropout)
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        self.scaling = alpha / r
        self.merged = False
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)

    def forward(self, x):
        out = self.base(x)
        if not self.merged:
            out = out + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling
        return out

    @torch.no_grad()
    def merge(self):
        if not self.merged:
            self.base.weight += (self.lora_B.weight @ self.lora_A.weight) * self.scaling
            self.merged = True


class EncoderClassifier(nn.Module):
    """A pre-norm transformer encoder classifier standing in for a pretrained backbone."""

    def __init__(self, vocab_size=30522, d_model=256, nhead=4, num_layers=4, num_classes=2, max_len=512):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.pre_classifier = nn.Linear(d_model, d_model)
        self.classifier = nn.Linear(d_model, num_classes)

    def forward(self, ids, pad_mask):
        pos = torch.arange(ids.size(1), device=ids.device)
        h = self.encoder(self.tok(ids) + self.pos(pos), src_key_padding_mask=pad_mask)
        h = self.norm(h)[:, 0]
        return self.classifier(torch.tanh(self.pre_classifier(h)))


def add_lora(model, r=8, alpha=16):
    for p in model.parameters():
        p.requires_grad_(False)
    model.pre_classifier = LoRALinear(model.pre_classifier, r=r, alpha=alpha)
    for p in model.classifier.parameters():
        p.requires_grad_(True)
    return model


def finetune(model, loader, val_loader, epochs=3, lr=2e-4):
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    total = epochs * len(loader)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1.0 - s / total))
    for _ in range(epochs):
        model.train()
        for ids, pad_mask, labels in loader:
            loss = F.cross_entropy(model(ids, pad_mask), labels)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for ids, pad_mask, labels in val_loader:
            correct += (model(ids, pad_mask).argmax(-1) == labels).sum().item()
    return correct / len(val_loader.dataset)
