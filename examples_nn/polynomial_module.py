"""
PyTorch: Custom nn Modules
==========================

Write a model of our own by subclassing ``nn.Module``. When a model is more
than a chain of existing layers, create its learnable parameters in
``__init__`` and compute the output from the input in ``forward``. This module holds the four coefficients of the cubic
and can print itself as a formula.
"""

# %%
# The module
# ----------
#
# Wrapping a tensor in ``nn.Parameter`` and assigning it as an attribute
# registers it with the module, so ``model.parameters()`` finds it and the
# optimizer updates it.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn


# y = a + b x + c x² + d x³ with four learnable coefficients.
class Polynomial3(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(()))
        self.b = nn.Parameter(torch.randn(()))
        self.c = nn.Parameter(torch.randn(()))
        self.d = nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x + self.c * x**2 + self.d * x**3

    # The learned polynomial as text.
    def string(self):
        return (
            f"y = {self.a.item():.6f} {self.b.item():+.6f} x"
            f" {self.c.item():+.6f} x^2 {self.d.item():+.6f} x^3"
        )


# %%
# Training with SGD
# -----------------
#
# Calling ``model(x)`` runs ``forward``. ``torch.optim.SGD`` with no momentum
# is the plain gradient descent of the earlier examples.

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

model = Polynomial3().to(device)
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)

losses = []
for t in range(2000):
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss.item():.4f}")

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(f"Result: {model.string()}")

# %%
# How good can a cubic be?
# ------------------------

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = model(x).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned cubic")
ax_fit.plot(x_np, np.polynomial.polynomial.polyval(x_np, best), "--", label="least-squares cubic")
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()
