"""Fine-tuning a classification head on a frozen encoder, with a HuggingFace-style loop."""
import torch
from torch import nn
from torch.utils.data import DataLoader


class ClassificationHead(nn.Module):
    def __init__(self, hidden_size=768, num_labels=3, dropout=0.1):
        super().__init__()
        self.dense = nn.Linear(hidden_size, hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.out_proj = nn.Linear(hidden_size, num_labels)

    def forward(self, features):
        x = features[:, 0, :]
        x = self.dropout(x)
        x = torch.tanh(self.dense(x))
        x = self.dropout(x)
        return self.out_proj(x)


class EncoderClassifier(nn.Module):
    def __init__(self, encoder, hidden_size=768, num_labels=3):
        super().__init__()
        self.encoder = encoder
        self.head = ClassificationHead(hidden_size, num_labels)
        for param in self.encoder.parameters():
            param.requires_grad = False

    def forward(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(hidden)


def fine_tune(model, dataset, epochs=3, lr=2e-5, batch_size=32, device="cuda"):
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    loss_fn = nn.CrossEntropyLoss()
    model.to(device)
    for epoch in range(epochs):
        model.train()
        for batch in loader:
            batch = {key: value.to(device) for key, value in batch.items()}
            logits = model(batch["input_ids"], batch["attention_mask"])
            loss = loss_fn(logits, batch["labels"])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
