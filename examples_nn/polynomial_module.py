"""
PyTorch: Custom nn Modules
==========================

Write a model of our own by subclassing ``nn.Module``. When a model is more
than a chain of existing layers, create its learnable parameters in
``__init__`` and compute the output from the input in ``forward``. This
module holds the four coefficients of the cubic and can print itself as a
formula.
"""

# %%
# The module
# ----------
#
# Wrapping a tensor in ``nn.Parameter`` and assigning it as an attribute
# registers it with the module, so ``model.parameters()`` finds it and the
# optimizer updates it. The module takes its four starting coefficients as
# an argument and creates its parameters on the CPU; ``model.to(device)``
# then moves them.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn


# y = a + b x + c x² + d x³ with four learnable coefficients.
class Polynomial3(nn.Module):
    def __init__(self, start):
        super().__init__()
        a, b, c, d = (float(value) for value in start)
        self.a = nn.Parameter(torch.tensor(a))
        self.b = nn.Parameter(torch.tensor(b))
        self.c = nn.Parameter(torch.tensor(c))
        self.d = nn.Parameter(torch.tensor(d))

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
# Calling ``model(x)`` runs ``forward``. ``nn.MSELoss(reduction="sum")`` is
# the sum of squared errors of the earlier lessons, and ``torch.optim.SGD``
# with its defaults (no momentum, no weight decay) is their plain gradient
# descent: ``optimizer.step()`` subtracts ``lr`` times the gradient from each
# parameter, and ``optimizer.zero_grad()`` sets the gradients to ``None``, as
# the autograd lesson did by hand. The start is the numpy warm-up's, so the
# printed numbers are the warm-up's too, to float32 precision.

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

start = np.random.default_rng(seed=0).standard_normal(4)
model = Polynomial3(start).to(device)
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)

losses = []
for t in range(2000):
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    losses.append(loss.detach())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

losses = torch.stack(losses).cpu()
for t in range(99, 2000, 100):
    print(f"step {t:5d}  loss {losses[t]:.4f}")
print(f"Result: {model.string()}")

# %%
# How good can a cubic be?
# ------------------------

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = model(x).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned cubic")
ax_fit.plot(
    x_np, np.polynomial.polynomial.polyval(x_np, best), "--",
    label="least-squares cubic",
)
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()

# %%
# The best cubic is odd
# ---------------------
#
# .. going-deeper::
#
#    sin is an odd function, sin(−x) = −sin(x), and the 2000 points lie
#    symmetrically about 0. Mirror a cubic, ``a + b x + c x² + d x³`` becoming
#    ``−a + b x − c x² + d x³``, and its loss stays the same. The best cubic is
#    unique, so it is its own mirror image: ``a = c = 0``. The learned ``a``
#    and ``c`` above are small but not zero, because their directions are the
#    slow ones that the tensor lesson measured.
#
# The least-squares coefficients, computed on the CPU in float64:

x64 = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
X = torch.stack([x64**0, x64, x64**2, x64**3], dim=1)
w_best = torch.linalg.lstsq(X, x64.sin().unsqueeze(1)).solution[:, 0]
a, b, c, d = w_best.tolist()
print(f"|a| = {abs(a):.6f}, |c| = {abs(c):.6f}: zero up to rounding")
print(f"b = {b:.6f}, d = {d:+.6f}")

# %%
# Not the Taylor polynomial
# -------------------------
#
# .. going-deeper::
#
#    Near 0, sin(x) ≈ x − x³/6, its Taylor polynomial of degree 3. The
#    least-squares cubic has a smaller ``b`` and a ``d`` nearer zero: it is not
#    trying to be exact at 0, it spreads its error over the whole interval. The
#    Taylor polynomial is far better near 0 and far worse at the ends.

taylor = x64 - x64**3 / 6
least_squares = X @ w_best
sin = x64.sin()
print(f"x:  least squares {b:.3f}, Taylor 1")
print(f"x³: least squares {d:.3f}, Taylor {-1 / 6:.3f}")
print("largest error on [-π, π]:"
      f" least squares {(least_squares - sin).abs().max():.3f},"
      f" Taylor {(taylor - sin).abs().max():.3f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.plot(x64.numpy(), (least_squares - sin).numpy(),
        label="least-squares cubic − sin(x)")
ax.plot(x64.numpy(), (taylor - sin).numpy(), label="x − x³/6 − sin(x)")
ax.axhline(0, color="gray", linewidth=0.5)
ax.set_ylim(-2.2, 2.2)
ax.set_xlabel("x")
ax.set_ylabel("error")
ax.legend(loc="lower left")
plt.show()
