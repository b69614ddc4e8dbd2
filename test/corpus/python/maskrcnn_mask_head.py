from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskRCNNHeads(nn.Sequential):
    def __init__(self, in_channels=256, layers=(256, 256, 256, 256), dilation=1):
        blocks = OrderedDict()
        next_feature = in_channels
        for idx, layer_features in enumerate(layers, 1):
            blocks[f"mask_fcn{idx}"] = nn.Conv2d(
                next_feature, layer_features, kernel_size=3, stride=1, padding=dilation, dilation=dilation
            )
            blocks[f"relu{idx}"] = nn.ReLU(inplace=True)
            next_feature = layer_features
        super().__init__(blocks)
        for name, param in self.named_parameters():
            if "weight" in name:
                nn.init.kaiming_normal_(param, mode="fan_out", nonlinearity="relu")
            elif "bias" in name:
                nn.init.constant_(param, 0)


class MaskRCNNPredictor(nn.Sequential):
    def __init__(self, in_channels=256, dim_reduced=256, num_classes=81):
        super().__init__(
            OrderedDict(
                [
                    ("conv5_mask", nn.ConvTranspose2d(in_channels, dim_reduced, 2, 2, 0)),
                    ("relu", nn.ReLU(inplace=True)),
                    ("mask_fcn_logits", nn.Conv2d(dim_reduced, num_classes, 1, 1, 0)),
                ]
            )
        )
        for name, param in self.named_parameters():
            if "weight" in name:
                nn.init.kaiming_normal_(param, mode="fan_out", nonlinearity="relu")
            elif "bias" in name:
                nn.init.constant_(param, 0)


class MaskBranch(nn.Module):
    def __init__(self, num_classes=81):
        super().__init__()
        self.head = MaskRCNNHeads(256, (256, 256, 256, 256))
        self.predictor = MaskRCNNPredictor(256, 256, num_classes)

    def forward(self, roi_features):
        return self.predictor(self.head(roi_features))


def maskrcnn_loss(mask_logits, labels, mask_targets):
    idx = torch.arange(labels.shape[0], device=labels.device)
    selected = mask_logits[idx, labels]
    return F.binary_cross_entropy_with_logits(selected, mask_targets)


if __name__ == "__main__":
    branch = MaskBranch(num_classes=81)
    opt = torch.optim.SGD(branch.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
    for _ in range(3):
        rois = torch.randn(16, 256, 14, 14)
        labels = torch.randint(1, 81, (16,))
        targets = (torch.rand(16, 28, 28) > 0.5).float()
        loss = maskrcnn_loss(branch(rois), labels, targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    branch.eval()
    with torch.no_grad():
        probs = branch(torch.randn(2, 256, 14, 14)).sigmoid()
    print(probs.shape)
