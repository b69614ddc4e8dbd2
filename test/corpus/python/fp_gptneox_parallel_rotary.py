"""GPT-NeoX style decoder: fused QKV, partial rotary embeddings and parallel attention/MLP residual."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, max_positions=2048, base=10000):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        t = torch.arange(max_positions).float()
        freqs = torch.einsum("i,j->ij", t, inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos_cached", emb.cos()[None, None, :, :], persistent=False)
        self.register_buffer("sin_cached", emb.sin()[None, None, :, :], persistent=False)

    def forward(self, seq_len):
        return self.cos_cached[:, :, :seq_len], self.sin_cached[:, :, :seq_len]


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin):
    return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)


class NeoXAttention(nn.Module):
    def __init__(self, hidden_size, num_heads, rotary_pct=0.25, max_positions=2048, attn_pdrop=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_size = hidden_size // num_heads
        self.rotary_ndims = int(self.head_size * rotary_pct)
        self.rotary_emb = RotaryEmbedding(self.rotary_ndims, max_positions)
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size)
        self.dense = nn.Linear(hidden_size, hidden_size)
        self.attn_pdrop = attn_pdrop

    def forward(self, x):
        b, t, _ = x.shape
        qkv = self.query_key_value(x).view(b, t, self.num_heads, 3 * self.head_size)
        qkv = qkv.permute(0, 2, 1, 3)
        q, k, v = qkv.chunk(3, dim=-1)
        q_rot, q_pass = q[..., : self.rotary_ndims], q[..., self.rotary_ndims:]
        k_rot, k_pass = k[..., : self.rotary_ndims], k[..., self.rotary_ndims:]
        cos, sin = self.rotary_emb(t)
        q_rot, k_rot = apply_rotary_pos_emb(q_rot, k_rot, cos, sin)
        q = torch.cat((q_rot, q_pass), dim=-1)
        k = torch.cat((k_rot, k_pass), dim=-1)
        out = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.attn_pdrop if self.training else 0.0, is_causal=True
        )
        out = out.transpose(1, 2).reshape(b, t, self.num_heads * self.head_size)
        return self.dense(out)


class NeoXMLP(nn.Module):
    def __init__(self, hidden_size, intermediate_size):
        super().__init__()
        self.dense_h_to_4h = nn.Linear(hidden_size, intermediate_size)
        self.act = nn.GELU()
        self.dense_4h_to_h = nn.Linear(intermediate_size, hidden_size)

    def forward(self, x):
        return self.dense_4h_to_h(self.act(self.dense_h_to_4h(x)))


class NeoXLayer(nn.Module):
    def __init__(self, hidden_size, num_heads, intermediate_size, use_parallel_residual=True):
        super().__init__()
        self.use_parallel_residual = use_parallel_residual
        self.input_layernorm = nn.LayerNorm(hidden_size, eps=1e-5)
        self.post_attention_layernorm = nn.LayerNorm(hidden_size, eps=1e-5)
        self.attention = NeoXAttention(hidden_size, num_heads)
        self.mlp = NeoXMLP(hidden_size, intermediate_size)

    def forward(self, x):
        attn_out = self.attention(self.input_layernorm(x))
        if self.use_parallel_residual:
            # x = x + attn(ln1(x)) + mlp(ln2(x))
            return x + attn_out + self.mlp(self.post_attention_layernorm(x))
        x = x + attn_out
        return x + self.mlp(self.post_attention_layernorm(x))


class GPTNeoX(nn.Module):
    def __init__(self, vocab_size=50304, hidden_size=512, num_layers=6, num_heads=8, max_positions=2048):
        super().__init__()
        self.embed_in = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList(
            [NeoXLayer(hidden_size, num_heads, 4 * hidden_size) for _ in range(num_layers)]
        )
        self.final_layer_norm = nn.LayerNorm(hidden_size, eps=1e-5)
        self.embed_out = nn.Linear(hidden_size, vocab_size, bias=False)
        self.num_layers = num_layers
        self.apply(self._init_weights)
        # scaled init of residual output projections ("wang init")
        for name, p in self.named_parameters():
            if name.endswith("dense.weight") or name.endswith("dense_4h_to_h.weight"):
                nn.init.normal_(p, mean=0.0, std=2.0 / num_layers / math.sqrt(hidden_size))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self, input_ids):
        h = self.embed_in(input_ids)
        for layer in self.layers:
            h = layer(h)
        return self.embed_out(self.final_layer_norm(h))


def train(steps=3, seq_len=128, batch_size=4):
    model = GPTNeoX(vocab_size=8192, hidden_size=256, num_layers=4, num_heads=8)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=6e-4, betas=(0.9, 0.95), eps=1e-8,
    )
    model.train()
    for _ in range(steps):
        tokens = torch.randint(0, 8192, (batch_size, seq_len + 1))
        logits = model(tokens[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    model.eval()
    with torch.no_grad():
        ctx = torch.randint(0, 8192, (1, 8))
        for _ in range(16):
            next_logits = model(ctx)[:, -1, :] / 0.8
            probs = F.softmax(next_logits, dim=-1)
            ctx = torch.cat([ctx, torch.multinomial(probs, 1)], dim=1)
    return ctx


if __name__ == "__main__":
    print(train().shape)
