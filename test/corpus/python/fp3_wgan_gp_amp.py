"""WGAN-GP on 1-D feature vectors + an AMP/grad-accumulation GRU tagger training loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Generator(nn.Module):
    def __init__(self, z_dim=64, hidden=256, out_dim=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(z_dim, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, out_dim),
        )

    def forward(self, z):
        return self.net(z)


class Critic(nn.Module):
    def __init__(self, in_dim=32, hidden=256):
        super().__init__()
        self.fc1 = nn.Linear(in_dim, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, 1)
        self.p = 0.2

    def forward(self, x):
        x = F.leaky_relu(self.fc1(x), 0.2)
        x = F.dropout(x, self.p, self.training)
        x = F.leaky_relu(self.fc2(x), 0.2)
        return self.fc3(x)


def gradient_penalty(critic, real, fake):
    eps = torch.rand(real.size(0), 1, device=real.device)
    interp = (eps * real + (1 - eps) * fake).requires_grad_(True)
    out = critic(interp)
    grads = torch.autograd.grad(out.sum(), interp, create_graph=True)[0]
    return ((grads.norm(2, dim=1) - 1) ** 2).mean()


def train_wgan(G, D, loader, z_dim=64, n_critic=5, lambda_gp=10.0, steps=1000):
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.0, 0.9))
    G.train()
    D.train()
    data = iter(loader)
    for step in range(steps):
        for _ in range(n_critic):
            real = next(data)
            z = torch.randn(real.size(0), z_dim)
            with torch.no_grad():
                fake = G(z)   # G stays in train mode: its BatchNorm uses batch statistics, as in training
            loss_d = D(fake).mean() - D(real).mean() + lambda_gp * gradient_penalty(D, real, fake)
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
        z = torch.randn(real.size(0), z_dim)
        loss_g = -D(G(z)).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()


class GRUTagger(nn.Module):
    def __init__(self, vocab=20000, emb=100, hidden=128, num_tags=17):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb, padding_idx=0)
        self.gru = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, num_tags)

    def forward(self, tokens):
        h, _ = self.gru(self.embed(tokens))
        return self.out(h)


def train_tagger(model, loader, accum_steps=4, epochs=3, device="cuda"):
    model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
    scaler = torch.cuda.amp.GradScaler()
    for epoch in range(epochs):
        model.train()
        optimizer.zero_grad(set_to_none=True)
        for i, (tokens, tags) in enumerate(loader):
            tokens, tags = tokens.to(device), tags.to(device)
            with torch.autocast(device_type="cuda", dtype=torch.float16):
                logits = model(tokens)
                loss = F.cross_entropy(logits.flatten(0, 1), tags.flatten(), ignore_index=-100) / accum_steps
            scaler.scale(loss).backward()
            if (i + 1) % accum_steps == 0:
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_value_(model.parameters(), 1.0)
                scaler.step(optimizer)
                scaler.update()
                optimizer.zero_grad(set_to_none=True)


@torch.no_grad()
def tta_entropy_minimization(model, x, steps=1, lr=1e-4):
    """Test-time adaptation: gradients are re-enabled explicitly for the adaptation step."""
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        with torch.enable_grad():
            probs = model(x).softmax(-1)
            loss = -(probs * probs.clamp_min(1e-8).log()).sum(-1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model(x)
