"""
PyTorch: Tensors and autograd
=============================

Fit y = sin(x) with a third-order polynomial again, but let autograd compute
the backward pass. Tensors that need gradients are marked with
``requires_grad=True``; ``loss.backward()`` then fills their ``.grad``
attributes with the gradient of the loss.
"""

# %%
# The data and the weights
# ------------------------
#
# The inputs do not need gradients, so ``x`` and ``y`` are plain tensors. The
# four weights are created with ``requires_grad=True``: every operation on
# them is recorded in a computational graph whose nodes are tensors and whose
# edges are the functions that produced them.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

torch.manual_seed(0)

dtype = torch.float32
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.randn((), device=device, dtype=dtype, requires_grad=True)
b = torch.randn((), device=device, dtype=dtype, requires_grad=True)
c = torch.randn((), device=device, dtype=dtype, requires_grad=True)
d = torch.randn((), device=device, dtype=dtype, requires_grad=True)

# %%
# Training with ``backward()``
# ----------------------------
#
# The forward pass is the same expression as before. ``loss.backward()``
# back-propagates through the recorded graph and leaves the gradients in
# ``a.grad``, ``b.grad``, ``c.grad`` and ``d.grad``.
#
# The update itself must not be recorded, so it runs under
# ``torch.no_grad()``. Gradients accumulate from one ``backward()`` call to
# the next, so they are zeroed after each update.

learning_rate = 1e-6
losses = []
for t in range(2000):
    # Forward pass: the graph is recorded as the expression is evaluated.
    y_pred = a + b * x + c * x**2 + d * x**3
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss.item():.4f}")

    # Backward pass: autograd computes the gradient of loss for every
    # tensor with requires_grad=True.
    loss.backward()

    # Update the weights outside the graph, then clear the gradients.
    with torch.no_grad():
        for weight in (a, b, c, d):
            weight -= learning_rate * weight.grad
            weight.grad = None

print(f"Result: y = {a.item():.6f} {b.item():+.6f} x {c.item():+.6f} x^2 {d.item():+.6f} x^3")

# %%
# How good can a cubic be?
# ------------------------
#
# A tensor that is part of a graph cannot become a numpy array, so the curve
# for the plot is computed under ``torch.no_grad()``: nothing is recorded.

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = (a + b * x + c * x**2 + d * x**3).cpu().numpy()
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
