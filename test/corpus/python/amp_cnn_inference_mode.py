"""CIFAR-style CNN trained with mixed precision; evaluation runs under inference_mode after a helper switches modes."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(in_ch, out_ch, stride=1):
    return nn.Sequential(
        nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_ch),
        nn.ReLU(inplace=True),
    )


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(3, 32),
            conv_bn(32, 64, stride=2),
            conv_bn(64, 128, stride=2),
            conv_bn(128, 128),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(128, num_classes)

    def forward(self, x):
        return self.fc(self.dropout(self.features(x)))


def synthetic_loader(n_batches, batch_size=64, num_classes=10):
    return [(torch.randn(batch_size, 3, 32, 32), torch.randint(0, num_classes, (batch_size,)))
            for _ in range(n_batches)]


def set_mode(model, training):
    """Switch the model (and any wrapped modules) between train and eval."""
    if training:
        model.train()
    else:
        model.eval()


def run_validation(model, loader, device):
    total_loss, correct, seen = 0.0, 0, 0
    with torch.inference_mode():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            with torch.autocast(device_type=device, dtype=torch.bfloat16):
                logits = model(images)
            total_loss += F.cross_entropy(logits.float(), labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
            seen += labels.size(0)
    return total_loss / seen, correct / seen


def main(epochs=5, device="cuda" if torch.cuda.is_available() else "cpu"):
    model = SmallCNN().to(device).to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    train_loader, val_loader = synthetic_loader(50), synthetic_loader(10)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=epochs * len(train_loader))
    use_fp16 = device == "cuda"
    scaler = torch.cuda.amp.GradScaler(enabled=use_fp16)
    amp_dtype = torch.float16 if use_fp16 else torch.bfloat16

    for epoch in range(epochs):
        set_mode(model, training=True)
        for images, labels in train_loader:
            images = images.to(device, non_blocking=True).to(memory_format=torch.channels_last)
            labels = labels.to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device, dtype=amp_dtype):
                logits = model(images)
                loss = F.cross_entropy(logits, labels)
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=2.0)
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()

        set_mode(model, training=False)
        val_loss, val_acc = run_validation(model, val_loader, device)
        print(f"epoch {epoch}: val_loss={val_loss:.4f} val_acc={val_acc:.3f} grad_norm={grad_norm:.2f}")
    return model


if __name__ == "__main__":
    main(epochs=1)
