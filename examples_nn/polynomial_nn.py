"""
PyTorch: nn
===========

Fit y = sin(x) with a third-order polynomial built from ``torch.nn`` layers.
The cubic is a linear function of the features x, x² and x³, so one
``nn.Linear(3, 1)`` layer holds all four learnable parameters: three weights
and a bias.
"""

# %%
# Features from one input
# -----------------------
#
# ``x.unsqueeze(-1)`` has shape (2000, 1) and the powers ``p`` have shape
# (3,); raising one to the other broadcasts to a (2000, 3) tensor whose
# columns are x, x² and x³.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

p = torch.tensor([1, 2, 3], device=device)
xx = x.unsqueeze(-1).pow(p)

# %%
# The model and the loss function
# -------------------------------
#
# ``nn.Sequential`` chains modules: the linear layer maps each row of three
# features to one output, and ``nn.Flatten(0, 1)`` turns the (2000, 1) result
# into a vector shaped like ``y``. ``nn.MSELoss(reduction="sum")`` is the sum
# of squared errors used throughout this tutorial.

model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1)).to(device)
loss_fn = nn.MSELoss(reduction="sum")

# %%
# Training
# --------
#
# ``model.parameters()`` yields every learnable parameter of every layer, so
# the update loop does not need to know what the layers are.

learning_rate = 1e-6
losses = []
for t in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss.item():.4f}")

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
bias = linear_layer.bias.item()
w1, w2, w3 = linear_layer.weight[0].tolist()
print(f"Result: y = {bias:.6f} {w1:+.6f} x {w2:+.6f} x^2 {w3:+.6f} x^3")

# %%
# How good can a cubic be?
# ------------------------

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = model(xx).cpu().numpy()
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
