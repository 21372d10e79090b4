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
# four weights are created with ``requires_grad=True``, and autograd records
# every operation on them: each result keeps, in its ``grad_fn``, the
# function that produced it, linked to the functions that produced that
# function's inputs, back to the weights. These links are the computational
# graph that ``backward()`` walks.
#
# The weights start from the numpy warm-up's four numbers, drawn on the CPU
# by the same seeded generator and then copied to the device, so the printed
# numbers are those of the warm-up, to float32 precision.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

dtype = torch.float32
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

start = np.random.default_rng(seed=0).standard_normal(4)
a, b, c, d = (
    torch.tensor(value, dtype=dtype, device=device, requires_grad=True)
    for value in start
)

# %%
# Training with ``backward()``
# ----------------------------
#
# The forward pass is the same expression as before. ``loss.backward()``
# back-propagates through the recorded graph and leaves the gradients in
# ``a.grad``, ``b.grad``, ``c.grad`` and ``d.grad``.
#
# The update itself must not be recorded, so it runs under
# ``torch.no_grad()``. ``backward()`` adds its gradients to whatever ``.grad``
# already holds, so after each update the loop sets every ``.grad`` to
# ``None``: the next ``backward()`` then stores a fresh gradient. This is
# what ``optimizer.zero_grad()`` does by default (``set_to_none=True``), and
# it saves filling the old gradient with zeros.
#
# As in the tensor lesson, the losses stay tensors until the loop is over.
# ``loss.detach()`` is the loss's value without its link to the graph, so the
# list does not keep 2000 graphs alive.

learning_rate = 1e-6
losses = []
for t in range(2000):
    # Forward pass: the graph is recorded as the expression is evaluated.
    y_pred = a + b * x + c * x**2 + d * x**3
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.detach())

    # Backward pass: autograd computes the gradient of loss for every
    # tensor with requires_grad=True.
    loss.backward()

    # Update the weights outside the graph, then drop the gradients.
    with torch.no_grad():
        for weight in (a, b, c, d):
            weight -= learning_rate * weight.grad
            weight.grad = None

losses = torch.stack(losses).cpu()
for t in range(99, 2000, 100):
    print(f"step {t:5d}  loss {losses[t]:.4f}")
print(
    f"Result: y = {a.item():.6f} {b.item():+.6f} x"
    f" {c.item():+.6f} x^2 {d.item():+.6f} x^3"
)

# %%
# How good can a cubic be?
# ------------------------
#
# A tensor that requires grad cannot be turned into a numpy array, so the
# learned curve for the plot is computed under ``torch.no_grad()``: nothing
# is recorded, and the result does not require grad.

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = (a + b * x + c * x**2 + d * x**3).cpu().numpy()
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
# The Hessian, by autograd
# ------------------------
#
# Autograd can differentiate its own derivatives too.
# ``torch.func.hessian(f)`` is a new function that returns the matrix of
# second derivatives of ``f`` with respect to its first argument. Applied to
# the loss as a function of ``w = (a, b, c, d)``, it gives the Hessian the
# numpy warm-up wrote down by hand, ``2 XᵀX`` with ``X = [1, x, x², x³]``,
# whose largest eigenvalue limits the learning rate. The loss is quadratic
# in ``w``, so any ``w`` gives the same Hessian. This runs on the CPU in
# float64.


def loss_of(w, x, y):
    a, b, c, d = w
    return (a + b * x + c * x**2 + d * x**3 - y).pow(2).sum()


x64 = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
hessian = torch.func.hessian(loss_of)(torch.tensor(start), x64, x64.sin())
X = torch.stack([x64**0, x64, x64**2, x64**3], dim=1)
print("autograd's Hessian equals 2 XᵀX:", torch.allclose(hessian, 2 * X.T @ X))

# %%
# More points, more curvature
# ---------------------------
#
# .. going-deeper::
#
#    Each entry of ``XᵀX`` is a sum over the points, because the loss is a sum
#    over the points. Double the points on the same interval and the curvature
#    doubles: the largest eigenvalue grows in proportion to N, about 281 per
#    point here, and the largest stable learning rate ``2 / λ`` shrinks as ``1
#    / N``. That is why this tutorial, with its summed loss over 2000 points,
#    needs a learning rate as small as 1e-6. With the mean instead of the sum
#    (``nn.MSELoss()``'s default), the Hessian is divided by N and the limit no
#    longer depends on N.

for n in (500, 1000, 2000, 4000):
    xn = torch.linspace(-math.pi, math.pi, n, dtype=torch.float64)
    hessian_n = torch.func.hessian(loss_of)(torch.tensor(start), xn, xn.sin())
    lam = torch.linalg.eigvalsh(hessian_n)[-1].item()
    print(f"N = {n:4d}: largest eigenvalue {lam:8.4g} = {lam / n:5.1f} N,"
          f" stable below lr = {2 / lam:.3g}")
