import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionalEncoding(nn.Module):
    def __init__(self, num_freqs, include_input=True):
        super().__init__()
        self.include_input = include_input
        self.register_buffer("freq_bands", 2.0 ** torch.linspace(0.0, num_freqs - 1, num_freqs))

    def out_dim(self, in_dim):
        return in_dim * (2 * self.freq_bands.numel() + int(self.include_input))

    def forward(self, x):
        xb = x[..., None] * self.freq_bands
        enc = torch.cat([torch.sin(xb), torch.cos(xb)], dim=-1).flatten(-2)
        return torch.cat([x, enc], dim=-1) if self.include_input else enc


class NeRF(nn.Module):
    def __init__(self, D=8, W=256, input_ch=63, input_ch_views=27, skips=(4,)):
        super().__init__()
        self.skips = skips
        layers = [nn.Linear(input_ch, W)]
        for i in range(D - 1):
            in_f = W + input_ch if i in skips else W
            layers.append(nn.Linear(in_f, W))
        self.pts_linears = nn.ModuleList(layers)
        self.sigma_linear = nn.Linear(W, 1)
        self.feature_linear = nn.Linear(W, W)
        self.views_linear = nn.Linear(input_ch_views + W, W // 2)
        self.rgb_linear = nn.Linear(W // 2, 3)

    def forward(self, pts, views):
        h = pts
        for i, layer in enumerate(self.pts_linears):
            h = F.relu(layer(h))
            if i in self.skips:
                h = torch.cat([pts, h], dim=-1)
        sigma = F.relu(self.sigma_linear(h))
        feat = self.feature_linear(h)
        h = F.relu(self.views_linear(torch.cat([feat, views], dim=-1)))
        rgb = torch.sigmoid(self.rgb_linear(h))
        return rgb, sigma.squeeze(-1)


def volume_render(rgb, sigma, z_vals):
    deltas = z_vals[..., 1:] - z_vals[..., :-1]
    deltas = torch.cat([deltas, torch.full_like(deltas[..., :1], 1e10)], dim=-1)
    alpha = 1.0 - torch.exp(-sigma * deltas)
    ones = torch.ones_like(alpha[..., :1])
    trans = torch.cumprod(torch.cat([ones, 1.0 - alpha + 1e-10], dim=-1), dim=-1)[..., :-1]
    weights = alpha * trans
    return (weights[..., None] * rgb).sum(dim=-2)


if __name__ == "__main__":
    pe_pts, pe_dir = PositionalEncoding(10), PositionalEncoding(4)
    model = NeRF(input_ch=pe_pts.out_dim(3), input_ch_views=pe_dir.out_dim(3))
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
    n_rays, n_samples = 128, 32
    for it in range(5):
        rays_o = torch.randn(n_rays, 3)
        rays_d = F.normalize(torch.randn(n_rays, 3), dim=-1)
        z_vals = torch.linspace(2.0, 6.0, n_samples).expand(n_rays, n_samples)
        pts = rays_o[:, None, :] + rays_d[:, None, :] * z_vals[..., None]
        dirs = rays_d[:, None, :].expand_as(pts)
        rgb, sigma = model(pe_pts(pts), pe_dir(dirs))
        pred = volume_render(rgb, sigma, z_vals)
        target = torch.rand(n_rays, 3)
        loss = F.mse_loss(pred, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
