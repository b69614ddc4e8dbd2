"""FCN-16s-style semantic segmentation: 1x1 score layers, bilinear-initialised transposed-conv upsampling, skip fusion."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def bilinear_kernel(channels, kernel_size):
    """Per-channel bilinear interpolation weights for a ConvTranspose2d of shape (C, C, k, k)."""
    factor = (kernel_size + 1) // 2
    center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5
    og = torch.arange(kernel_size, dtype=torch.float32)
    filt_1d = 1 - (og - center).abs() / factor
    filt = filt_1d[:, None] * filt_1d[None, :]
    weight = torch.zeros(channels, channels, kernel_size, kernel_size)
    idx = torch.arange(channels)
    weight[idx, idx] = filt
    return weight


def vgg_stage(cin, cout, n_convs):
    layers = []
    for i in range(n_convs):
        layers += [nn.Conv2d(cin if i == 0 else cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]
    layers.append(nn.MaxPool2d(2, stride=2, ceil_mode=True))
    return nn.Sequential(*layers)


class FCN16s(nn.Module):
    def __init__(self, n_class=21):
        super().__init__()
        self.stage1 = vgg_stage(3, 64, 2)      # 1/2
        self.stage2 = vgg_stage(64, 128, 2)    # 1/4
        self.stage3 = vgg_stage(128, 256, 3)   # 1/8
        self.stage4 = vgg_stage(256, 512, 3)   # 1/16
        self.stage5 = vgg_stage(512, 512, 3)   # 1/32
        self.fc6 = nn.Conv2d(512, 1024, 3, padding=1)
        self.drop6 = nn.Dropout2d(0.5)
        self.fc7 = nn.Conv2d(1024, 1024, 1)
        self.drop7 = nn.Dropout2d(0.5)
        self.score_fr = nn.Conv2d(1024, n_class, 1)
        self.score_pool4 = nn.Conv2d(512, n_class, 1)
        self.upscore2 = nn.ConvTranspose2d(n_class, n_class, 4, stride=2, padding=1, bias=False)
        self.upscore16 = nn.ConvTranspose2d(n_class, n_class, 32, stride=16, padding=8, bias=False)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.ConvTranspose2d):
                m.weight.data.copy_(bilinear_kernel(m.in_channels, m.kernel_size[0]))
        nn.init.zeros_(self.score_pool4.weight)

    def forward(self, x):
        h = self.stage3(self.stage2(self.stage1(x)))
        pool4 = self.stage4(h)
        h = self.stage5(pool4)
        h = self.drop6(F.relu(self.fc6(h), inplace=True))
        h = self.drop7(F.relu(self.fc7(h), inplace=True))
        h = self.score_fr(h)
        h = self.upscore2(h) + self.score_pool4(pool4)
        return self.upscore16(h)


def train(model, loader, val_loader, epochs=50, n_class=21, ignore_index=255):
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=epochs * len(loader), power=0.9)
    for epoch in range(epochs):
        model.train()
        for images, masks in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), masks, ignore_index=ignore_index)
            loss.backward()
            optimizer.step()
            scheduler.step()

        model.eval()
        hist = torch.zeros(n_class, n_class, dtype=torch.long)
        with torch.no_grad():
            for images, masks in val_loader:
                pred = model(images).argmax(1)
                valid = masks != ignore_index
                hist += torch.bincount(n_class * masks[valid] + pred[valid], minlength=n_class ** 2).view(n_class, n_class)
        iou = hist.diag().float() / (hist.sum(0) + hist.sum(1) - hist.diag()).clamp(min=1).float()
        print(f"epoch {epoch}: mIoU {iou.mean().item():.4f}")
