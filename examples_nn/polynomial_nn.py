"""
PyTorch: nn
===========

Fit y = sin(x) with a third-order polynomial built from ``torch.nn`` layers.
The cubic is a linear function of the features x, x² and x³, so one
``nn.Linear(3, 1)`` layer holds all four learnable parameters: three weights
and a bias. It starts from the warm-up's four coefficients and takes the
same steps, so it prints the warm-up's numbers: the layers change how the
program is written, not what it computes.
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
#
# A new ``nn.Linear(3, 1)`` starts from random values of its own, drawn
# uniformly between ±1/√3, where 3 is the number of inputs, from PyTorch's
# generator. To compare this page with the warm-up, we overwrite them with
# the warm-up's coefficients, drawn on the CPU by numpy: the bias is a, the
# weight, of shape (1, 3), holds b, c and d. Changing a parameter in place is
# done under ``torch.no_grad()``, so that autograd does not record it. The
# model is built on the CPU and then moved to the device as a whole.

model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
linear = model[0]
print(f"nn.Linear's own start: bias {linear.bias.item():.4f}, weight "
      + " ".join(f"{w:+.4f}" for w in linear.weight[0].tolist()))

start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d
with torch.no_grad():
    linear.bias.copy_(torch.from_numpy(start[:1]))
    linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
model = model.to(device)

loss_fn = nn.MSELoss(reduction="sum")

# %%
# Training
# --------
#
# ``model.parameters()`` yields every learnable parameter of every layer, so
# the update loop does not need to know what the layers are.
# ``model.zero_grad()`` sets each parameter's ``.grad`` to ``None`` (its
# default, ``set_to_none=True``), so ``backward()`` stores fresh gradients
# instead of adding to the last step's.
#
# The losses stay on the device and come to the CPU once, after the loop:
# each ``.item()`` makes the CPU wait for the GPU to finish everything queued
# so far, which on every step would cost the GPU its head start.

learning_rate = 1e-6
steps = 2000
losses = torch.empty(steps, device=device)
for step in range(steps):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    losses[step] = loss.detach()

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

losses = losses.tolist()
for step in range(99, steps, 100):
    print(f"step {step:5d}  loss {losses[step]:.4f}")

# %%
# How good can a cubic be?
# ------------------------
#
# Same start, same loss, same learning rate: the loss lines above are the
# warm-up's, up to float32 rounding in the last digit (the layer computes
# the same sums with a matrix product, which rounds differently). So is the
# learned cubic, and it falls short of the least-squares cubic (dashed) for
# the same reason as there: 2000 steps of 1e-6 are too few along the
# flattest direction of the loss.
#
# ``round(v, 6) + 0.0`` prints a coefficient of, say, -2e-10 as 0.000000
# rather than -0.000000: rounding gives -0.0, and adding 0.0 makes it 0.0.

coefficients = [linear.bias.item(), *linear.weight[0].tolist()]
a, b, c, d = (round(v, 6) + 0.0 for v in coefficients)

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = model(xx).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned cubic")
ax_fit.plot(
    x_np,
    np.polynomial.polynomial.polyval(x_np, best),
    "--",
    label="least-squares cubic",
)
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
print(f"Result: y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3")
plt.show()
