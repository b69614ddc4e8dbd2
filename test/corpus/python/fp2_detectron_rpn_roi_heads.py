"""Region proposal head and a two-FC ROI box head in the style of Detectron2's
standard heads, configured through small frozen dataclasses."""
from dataclasses import dataclass
from typing import List, Optional

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.ops import roi_align


@dataclass(frozen=True)
class RPNConfig:
    in_channels: int = 256
    num_anchors: int = 3
    box_dim: int = 4


@dataclass(frozen=True)
class BoxHeadConfig:
    in_channels: int = 256
    pooler_resolution: int = 7
    fc_dim: int = 1024
    num_fc: int = 2
    num_classes: int = 80
    cls_agnostic_bbox_reg: bool = False


class StandardRPNHead(nn.Module):
    """3x3 conv shared across levels, then 1x1 objectness and anchor-delta convs."""

    def __init__(self, cfg: RPNConfig):
        super().__init__()
        c = cfg.in_channels
        self.conv = nn.Conv2d(c, c, kernel_size=3, stride=1, padding=1)
        self.objectness_logits = nn.Conv2d(c, cfg.num_anchors, kernel_size=1, stride=1)
        self.anchor_deltas = nn.Conv2d(c, cfg.num_anchors * cfg.box_dim, kernel_size=1, stride=1)
        for layer in (self.conv, self.objectness_logits, self.anchor_deltas):
            nn.init.normal_(layer.weight, std=0.01)
            nn.init.constant_(layer.bias, 0)

    def forward(self, features: List[torch.Tensor]):
        pred_objectness_logits, pred_anchor_deltas = [], []
        for x in features:
            t = F.relu(self.conv(x))
            pred_objectness_logits.append(self.objectness_logits(t))
            pred_anchor_deltas.append(self.anchor_deltas(t))
        return pred_objectness_logits, pred_anchor_deltas


class FastRCNNFCHead(nn.Module):
    """Flattens pooled ROI features and applies `num_fc` fully connected layers."""

    def __init__(self, cfg: BoxHeadConfig):
        super().__init__()
        in_dim = cfg.in_channels * cfg.pooler_resolution ** 2
        self.fcs = nn.ModuleList()
        for _ in range(cfg.num_fc):
            fc = nn.Linear(in_dim, cfg.fc_dim)
            nn.init.kaiming_uniform_(fc.weight, a=1)
            nn.init.constant_(fc.bias, 0)
            self.fcs.append(fc)
            in_dim = cfg.fc_dim
        self.output_size = in_dim

    def forward(self, x):
        x = torch.flatten(x, start_dim=1)
        for fc in self.fcs:
            x = F.relu(fc(x))
        return x


class FastRCNNOutputLayers(nn.Module):
    def __init__(self, input_size: int, num_classes: int, cls_agnostic_bbox_reg: bool = False, box_dim: int = 4):
        super().__init__()
        self.cls_score = nn.Linear(input_size, num_classes + 1)
        num_bbox_reg_classes = 1 if cls_agnostic_bbox_reg else num_classes
        self.bbox_pred = nn.Linear(input_size, num_bbox_reg_classes * box_dim)
        nn.init.normal_(self.cls_score.weight, std=0.01)
        nn.init.normal_(self.bbox_pred.weight, std=0.001)
        for layer in [self.cls_score, self.bbox_pred]:
            nn.init.constant_(layer.bias, 0)

    def forward(self, x):
        return self.cls_score(x), self.bbox_pred(x)


class TwoStageHeads(nn.Module):
    def __init__(self, rpn_cfg: Optional[RPNConfig] = None, box_cfg: Optional[BoxHeadConfig] = None):
        super().__init__()
        rpn_cfg = rpn_cfg or RPNConfig()
        box_cfg = box_cfg or BoxHeadConfig()
        self.rpn_head = StandardRPNHead(rpn_cfg)
        self.box_head = FastRCNNFCHead(box_cfg)
        self.box_predictor = FastRCNNOutputLayers(
            self.box_head.output_size, box_cfg.num_classes, box_cfg.cls_agnostic_bbox_reg
        )
        self.pooler_resolution = box_cfg.pooler_resolution

    def forward(self, feature: torch.Tensor, proposals: List[torch.Tensor]):
        objectness, deltas = self.rpn_head([feature])
        pooled = roi_align(
            feature, proposals, output_size=self.pooler_resolution,
            spatial_scale=1.0 / 16, sampling_ratio=0, aligned=True,
        )
        scores, box_deltas = self.box_predictor(self.box_head(pooled))
        return objectness[0], deltas[0], scores, box_deltas


def train(steps: int = 5, device: str = "cpu"):
    torch.manual_seed(0)
    model = TwoStageHeads().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
    num_classes = BoxHeadConfig().num_classes
    for step in range(steps):
        feature = torch.randn(2, 256, 32, 32, device=device)
        xy = torch.rand(2, 64, 2, device=device) * 400
        wh = torch.rand(2, 64, 2, device=device) * 100 + 8
        proposals = [torch.cat([xy[i], xy[i] + wh[i]], dim=1) for i in range(2)]
        gt_objectness = torch.randint(0, 2, (2, 3, 32, 32), device=device).float()
        gt_deltas = torch.randn(2, 12, 32, 32, device=device) * 0.1
        gt_classes = torch.randint(0, num_classes + 1, (128,), device=device)
        gt_box_deltas = torch.randn(128, num_classes * 4, device=device) * 0.1

        objectness, deltas, scores, box_deltas = model(feature, proposals)
        loss_rpn_cls = F.binary_cross_entropy_with_logits(objectness, gt_objectness)
        loss_rpn_loc = F.smooth_l1_loss(deltas, gt_deltas, beta=0.0)
        loss_cls = F.cross_entropy(scores, gt_classes)
        loss_box_reg = F.smooth_l1_loss(box_deltas, gt_box_deltas, beta=0.0)
        loss = loss_rpn_cls + loss_rpn_loc + loss_cls + loss_box_reg

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"step {step}: loss={loss.item():.4f}")


if __name__ == "__main__":
    train()
