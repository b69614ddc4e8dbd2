"""Neural ODE with a fixed-step RK4 solver, plus a physics-informed MLP for the 1-D heat equation (SiLU activations)."""
import math

import torch
import torch.nn as nn


class ODEFunc(nn.Module):
    """dz/dt = f(z, t); time is appended as an extra input feature."""

    def __init__(self, dim=2, hidden=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(dim + 1, hidden),
            nn.SiLU(),
            nn.Linear(hidden, hidden),
            nn.SiLU(),
            nn.Linear(hidden, dim),
        )
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def forward(self, t, z):
        tt = torch.full_like(z[:, :1], float(t))
        return self.net(torch.cat([z, tt], dim=1))


def odeint_rk4(func, z0, t_grid):
    zs = [z0]
    z = z0
    for t0, t1 in zip(t_grid[:-1], t_grid[1:]):
        h = t1 - t0
        k1 = func(t0, z)
        k2 = func(t0 + h / 2, z + h / 2 * k1)
        k3 = func(t0 + h / 2, z + h / 2 * k2)
        k4 = func(t1, z + h * k3)
        z = z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        zs.append(z)
    return torch.stack(zs)


class HeatPINN(nn.Module):
    """u(x, t) approximating u_t = kappa * u_xx on [0, 1] with u(0,t)=u(1,t)=0, u(x,0)=sin(pi x)."""

    def __init__(self, hidden=50, depth=4, kappa=0.1):
        super().__init__()
        self.kappa = kappa
        layers = [nn.Linear(2, hidden), nn.SiLU()]
        for _ in range(depth - 1):
            layers += [nn.Linear(hidden, hidden), nn.SiLU()]
        layers.append(nn.Linear(hidden, 1))
        self.net = nn.Sequential(*layers)
        for m in self.net:
            if isinstance(m, nn.Linear):
                nn.init.xavier_normal_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x, t):
        return self.net(torch.cat([x, t], dim=1))

    def residual(self, x, t):
        x.requires_grad_(True)
        t.requires_grad_(True)
        u = self(x, t)
        u_t, u_x = torch.autograd.grad(u.sum(), (t, x), create_graph=True)
        u_xx = torch.autograd.grad(u_x.sum(), x, create_graph=True)[0]
        return u_t - self.kappa * u_xx


def train_ode(steps=300):
    t_grid = torch.linspace(0.0, 2 * math.pi, 40)
    z0 = torch.tensor([[1.0, 0.0]])
    target = torch.stack([torch.cos(t_grid), -torch.sin(t_grid)], dim=1).unsqueeze(1)   # harmonic oscillator
    func = ODEFunc()
    opt = torch.optim.Adam(func.parameters(), lr=1e-2)
    for step in range(steps):
        opt.zero_grad()
        loss = (odeint_rk4(func, z0, t_grid) - target).pow(2).mean()
        loss.backward()
        opt.step()
    return func, loss.item()


def train_pinn(steps=2000, n_colloc=1024, n_bc=128):
    model = HeatPINN()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(steps):
        xc, tc = torch.rand(n_colloc, 1), torch.rand(n_colloc, 1)
        x0 = torch.rand(n_bc, 1)
        tb = torch.rand(n_bc, 1)
        loss_pde = model.residual(xc, tc).pow(2).mean()
        loss_ic = (model(x0, torch.zeros_like(x0)) - torch.sin(math.pi * x0)).pow(2).mean()
        loss_bc = model(torch.zeros_like(tb), tb).pow(2).mean() + model(torch.ones_like(tb), tb).pow(2).mean()
        loss = loss_pde + loss_ic + loss_bc
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 500 == 0:
            print(f"step {step}: pde {loss_pde.item():.2e} ic {loss_ic.item():.2e} bc {loss_bc.item():.2e}")
    return model


if __name__ == "__main__":
    _, final = train_ode()
    print("ode fit mse", final)
    train_pinn(steps=501)
