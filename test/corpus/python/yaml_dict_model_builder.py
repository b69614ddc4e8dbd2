"""Build models from a YAML-style config: a registry maps layer type names to
constructors, and `build_sequential` turns a list of layer specs into nn.Sequential."""
from typing import Any, Callable, Dict, List

import torch
import torch.nn as nn

try:
    import yaml
except ImportError:  # PyYAML is optional; fall back to the equivalent dict below
    yaml = None

CONFIG_YAML = """
model:
  name: tabular_mlp
  layers:
    - {type: linear, in: 32, out: 128}
    - {type: relu}
    - {type: dropout, p: 0.2}
    - {type: linear, in: 128, out: 64}
    - {type: relu}
    - {type: dropout, p: 0.2}
    - {type: linear, in: 64, out: 4}
train:
  lr: 0.001
  weight_decay: 0.0001
  epochs: 5
"""

CONFIG: Dict[str, Any] = {
    "model": {
        "name": "tabular_mlp",
        "layers": [
            {"type": "linear", "in": 32, "out": 128},
            {"type": "relu"},
            {"type": "dropout", "p": 0.2},
            {"type": "linear", "in": 128, "out": 64},
            {"type": "relu"},
            {"type": "dropout", "p": 0.2},
            {"type": "linear", "in": 64, "out": 4},
        ],
    },
    "train": {"lr": 1e-3, "weight_decay": 1e-4, "epochs": 5},
}

LAYER_REGISTRY: Dict[str, Callable[[Dict[str, Any]], nn.Module]] = {
    "linear": lambda spec: nn.Linear(spec["in"], spec["out"], bias=spec.get("bias", True)),
    "conv2d": lambda spec: nn.Conv2d(spec["in"], spec["out"], spec.get("kernel", 3), padding=spec.get("padding", 1)),
    "batchnorm2d": lambda spec: nn.BatchNorm2d(spec["num_features"]),
    "relu": lambda spec: nn.ReLU(inplace=spec.get("inplace", False)),
    "gelu": lambda spec: nn.GELU(),
    "dropout": lambda spec: nn.Dropout(spec.get("p", 0.5)),
    "flatten": lambda spec: nn.Flatten(),
}


def load_config() -> Dict[str, Any]:
    if yaml is not None:
        return yaml.safe_load(CONFIG_YAML)
    return CONFIG


def build_layer(spec: Dict[str, Any]) -> nn.Module:
    spec = dict(spec)
    kind = spec.pop("type")
    if kind not in LAYER_REGISTRY:
        raise KeyError(f"unknown layer type {kind!r}; known: {sorted(LAYER_REGISTRY)}")
    return LAYER_REGISTRY[kind](spec)


def build_sequential(layer_specs: List[Dict[str, Any]]) -> nn.Sequential:
    return nn.Sequential(*[build_layer(spec) for spec in layer_specs])


class ConfigModel(nn.Module):
    def __init__(self, model_cfg: Dict[str, Any]):
        super().__init__()
        self.name = model_cfg["name"]
        self.body = build_sequential(model_cfg["layers"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def main():
    cfg = load_config()
    model = ConfigModel(cfg["model"])
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg["train"]["lr"], weight_decay=cfg["train"]["weight_decay"])
    criterion = nn.CrossEntropyLoss()
    x = torch.randn(512, 32)
    y = torch.randint(0, 4, (512,))
    for epoch in range(cfg["train"]["epochs"]):
        model.train()
        for i in range(0, len(x), 64):
            optimizer.zero_grad()
            loss = criterion(model(x[i:i + 64]), y[i:i + 64])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = (model(x).argmax(1) == y).float().mean().item()
        print(f"{model.name} epoch {epoch}: train acc {acc:.3f}")


if __name__ == "__main__":
    main()
