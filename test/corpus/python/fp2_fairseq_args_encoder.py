"""A fairseq-style Transformer encoder for sentence classification. Sizes come
from an argparse namespace, filled in by a `base_architecture` function."""
import argparse
import math

import torch
import torch.nn.functional as F
from torch import nn


def base_architecture(args):
    args.encoder_embed_dim = getattr(args, "encoder_embed_dim", 512)
    args.encoder_ffn_embed_dim = getattr(args, "encoder_ffn_embed_dim", 2048)
    args.encoder_layers = getattr(args, "encoder_layers", 6)
    args.encoder_attention_heads = getattr(args, "encoder_attention_heads", 8)
    args.encoder_normalize_before = getattr(args, "encoder_normalize_before", False)
    args.dropout = getattr(args, "dropout", 0.1)
    args.attention_dropout = getattr(args, "attention_dropout", 0.0)
    args.activation_dropout = getattr(args, "activation_dropout", 0.0)
    args.max_source_positions = getattr(args, "max_source_positions", 1024)
    return args


def sinusoidal_positions(num_positions: int, dim: int) -> torch.Tensor:
    half = dim // 2
    freq = torch.exp(torch.arange(half, dtype=torch.float) * -(math.log(10000.0) / (half - 1)))
    angles = torch.arange(num_positions, dtype=torch.float).unsqueeze(1) * freq.unsqueeze(0)
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.embed_dim = args.encoder_embed_dim
        self.self_attn = nn.MultiheadAttention(
            self.embed_dim, args.encoder_attention_heads, dropout=args.attention_dropout
        )
        self.self_attn_layer_norm = nn.LayerNorm(self.embed_dim)
        self.dropout = args.dropout
        self.activation_dropout = args.activation_dropout
        self.normalize_before = args.encoder_normalize_before
        self.fc1 = nn.Linear(self.embed_dim, args.encoder_ffn_embed_dim)
        self.fc2 = nn.Linear(args.encoder_ffn_embed_dim, self.embed_dim)
        self.final_layer_norm = nn.LayerNorm(self.embed_dim)

    def forward(self, x, encoder_padding_mask):
        # x: (seq_len, batch, embed_dim)
        residual = x
        if self.normalize_before:
            x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask, need_weights=False)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = residual + x
        if not self.normalize_before:
            x = self.self_attn_layer_norm(x)

        residual = x
        if self.normalize_before:
            x = self.final_layer_norm(x)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, p=self.activation_dropout, training=self.training)
        x = self.fc2(x)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = residual + x
        if not self.normalize_before:
            x = self.final_layer_norm(x)
        return x


class TransformerSentenceClassifier(nn.Module):
    def __init__(self, args, vocab_size: int, padding_idx: int, num_classes: int):
        super().__init__()
        embed_dim = args.encoder_embed_dim
        self.padding_idx = padding_idx
        self.dropout = args.dropout
        self.embed_scale = math.sqrt(embed_dim)
        self.embed_tokens = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        nn.init.normal_(self.embed_tokens.weight, mean=0, std=embed_dim ** -0.5)
        nn.init.constant_(self.embed_tokens.weight[padding_idx], 0)
        self.register_buffer(
            "positions", sinusoidal_positions(args.max_source_positions, embed_dim), persistent=False
        )
        self.layers = nn.ModuleList([TransformerEncoderLayer(args) for _ in range(args.encoder_layers)])
        self.layer_norm = nn.LayerNorm(embed_dim) if args.encoder_normalize_before else None
        self.classifier = nn.Linear(embed_dim, num_classes)

    def forward(self, src_tokens):
        padding_mask = src_tokens.eq(self.padding_idx)
        x = self.embed_scale * self.embed_tokens(src_tokens)
        x = x + self.positions[: src_tokens.size(1)].unsqueeze(0)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = x.transpose(0, 1)
        for layer in self.layers:
            x = layer(x, padding_mask)
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        x = x.transpose(0, 1)
        keep = (~padding_mask).unsqueeze(-1).type_as(x)
        pooled = (x * keep).sum(dim=1) / keep.sum(dim=1).clamp(min=1.0)
        return self.classifier(pooled)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--encoder-embed-dim", type=int, default=256)
    parser.add_argument("--encoder-ffn-embed-dim", type=int, default=1024)
    parser.add_argument("--encoder-layers", type=int, default=4)
    parser.add_argument("--encoder-attention-heads", type=int, default=4)
    parser.add_argument("--lr", type=float, default=5e-4)
    args = base_architecture(parser.parse_args([]))

    torch.manual_seed(1)
    model = TransformerSentenceClassifier(args, vocab_size=1000, padding_idx=1, num_classes=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-8)
    for step in range(20):
        tokens = torch.randint(2, 1000, (16, 40))
        tokens[:, 30:] = 1
        labels = torch.randint(0, 5, (16,))
        model.train()
        loss = F.cross_entropy(model(tokens), labels, label_smoothing=0.1)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()

    model.eval()
    with torch.no_grad():
        preds = model(torch.randint(2, 1000, (4, 40))).argmax(dim=-1)
    print(preds.tolist())


if __name__ == "__main__":
    main()
