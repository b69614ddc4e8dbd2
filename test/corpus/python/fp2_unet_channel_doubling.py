"""A configurable U-Net for semantic segmentation. Channel widths double on
the way down and halve on the way up; both are tracked in plain loops."""
import torch
import torch.nn.functional as F
from torch import nn


class DoubleConv(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, mid_ch: int = None):
        super().__init__()
        mid_ch = mid_ch or out_ch
        self.block = nn.Sequential(
            nn.Conv2d(in_ch, mid_ch, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_ch),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_ch, out_ch, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.block(x)


class Down(nn.Module):
    def __init__(self, in_ch: int, out_ch: int):
        super().__init__()
        self.pool = nn.MaxPool2d(2)
        self.conv = DoubleConv(in_ch, out_ch)

    def forward(self, x):
        return self.conv(self.pool(x))


class Up(nn.Module):
    def __init__(self, in_ch: int):
        super().__init__()
        self.up = nn.ConvTranspose2d(in_ch, in_ch // 2, kernel_size=2, stride=2)
        self.conv = DoubleConv(in_ch, in_ch // 2)

    def forward(self, x, skip):
        x = self.up(x)
        dy, dx = skip.size(2) - x.size(2), skip.size(3) - x.size(3)
        x = F.pad(x, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
        return self.conv(torch.cat([skip, x], dim=1))


class UNet(nn.Module):
    def __init__(self, in_channels: int = 3, num_classes: int = 2, base: int = 32, depth: int = 4):
        super().__init__()
        self.inc = DoubleConv(in_channels, base)
        self.downs = nn.ModuleList()
        in_ch, out_ch = base, base * 2
        for _ in range(depth):
            self.downs.append(Down(in_ch, out_ch))
            in_ch, out_ch = out_ch, out_ch * 2
        ch = in_ch
        self.ups = nn.ModuleList()
        for _ in range(depth):
            self.ups.append(Up(ch))
            ch = ch // 2
        self.outc = nn.Conv2d(ch, num_classes, kernel_size=1)

    def forward(self, x):
        skips = [self.inc(x)]
        for down in self.downs:
            skips.append(down(skips[-1]))
        x = skips.pop()
        for up in self.ups:
            x = up(x, skips.pop())
        return self.outc(x)


def dice_loss(logits: torch.Tensor, target: torch.Tensor, eps: float = 1.0) -> torch.Tensor:
    probs = logits.softmax(dim=1)
    one_hot = F.one_hot(target, num_classes=logits.size(1)).permute(0, 3, 1, 2).float()
    inter = (probs * one_hot).sum(dim=(0, 2, 3))
    union = probs.sum(dim=(0, 2, 3)) + one_hot.sum(dim=(0, 2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


@torch.no_grad()
def evaluate(model, images, masks):
    model.eval()
    preds = model(images).argmax(dim=1)
    inter = ((preds == 1) & (masks == 1)).sum().item()
    union = ((preds == 1) | (masks == 1)).sum().item()
    return inter / max(union, 1)


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = UNet().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
    for epoch in range(10):
        model.train()
        images = torch.randn(4, 3, 96, 96, device=device)
        masks = torch.randint(0, 2, (4, 96, 96), device=device)
        logits = model(images)
        loss = F.cross_entropy(logits, masks) + dice_loss(logits, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        iou = evaluate(model, images, masks)
        print(f"epoch {epoch}: loss {loss.item():.4f} iou {iou:.3f}")


if __name__ == "__main__":
    main()
