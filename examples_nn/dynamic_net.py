"""
PyTorch: Control Flow + Weight Sharing
======================================

A model whose shape changes on every call. Each forward pass picks an order
between 3 and 5 at random and evaluates a polynomial of that order, reusing
one weight, ``e``, for both the x⁴ and the x⁵ terms. Because the graph is
built as the Python code runs, a loop or an ``if`` is all it takes: each
forward pass records a different graph, and autograd follows whichever one was
recorded.

This model has five weights, starts from random values of its own, sees a
different polynomial on every step and trains with momentum at a far smaller
learning rate, so its numbers are not the warm-up's.
"""

# %%
# The module
# ----------
#
# ``random.randint(3, 5)`` picks the order, inclusive at both ends. Order 3
# is the plain cubic; order 4 adds e x⁴; order 5 adds e x⁴ + e x⁵. The same
# parameter ``e`` appears once or twice in the graph, and its gradient is the
# sum over every place it was used: that is weight sharing.

import math
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn


# A polynomial of random order 3 to 5 whose x⁴ and x⁵ terms share e.
class DynamicNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(()))
        self.b = nn.Parameter(torch.randn(()))
        self.c = nn.Parameter(torch.randn(()))
        self.d = nn.Parameter(torch.randn(()))
        self.e = nn.Parameter(torch.randn(()))

    def forward(self, x, order=None):
        if order is None:
            order = random.randint(3, 5)
        y = self.a + self.b * x + self.c * x**2 + self.d * x**3
        for exponent in range(4, order + 1):
            y = y + self.e * x**exponent
        return y

    # The learned polynomial at order 5, as text. round() then + 0.0 prints
    # a weight of -2e-10 as 0.000000 rather than -0.000000.
    def string(self):
        weights = (self.a, self.b, self.c, self.d, self.e)
        a, b, c, d, e = (round(w.item(), 6) + 0.0 for w in weights)
        return (
            f"y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3"
            f" {e:+.6f} x^4 {e:+.6f} x^5"
        )


# %%
# Training
# --------
#
# Both random generators are seeded: Python's for the order and PyTorch's
# for the starting weights, which ``DynamicNet()`` draws on the CPU before
# the model moves to the device. SGD with momentum 0.9 trains it at a
# learning rate of 1e-8, a hundred times smaller than the cubic's, for
# 30000 steps; the last section works out why.
#
# On an order-3 pass ``e`` takes no part in the graph, so after
# ``backward()`` its ``.grad`` is still ``None`` (``zero_grad()`` sets it
# so), and SGD skips ``e`` on that step, momentum included.
#
# The losses stay on the device until the loop ends, then come to the CPU
# at once: each ``.item()`` would make the CPU wait for the GPU.

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

random.seed(0)
torch.manual_seed(0)

model = DynamicNet().to(device)
loss_fn = nn.MSELoss(reduction="sum")
learning_rate = 1e-8
momentum = 0.9
optimizer = torch.optim.SGD(
    model.parameters(), lr=learning_rate, momentum=momentum
)

steps = 30000
losses = torch.empty(steps, device=device)
for step in range(steps):
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    losses[step] = loss.detach()

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

losses = losses.tolist()
for step in range(1999, steps, 2000):
    print(f"step {step:5d}  loss {losses[step]:.4f}")
print(f"Result: {model.string()}")

# %%
# The three shapes of the trained model
# -------------------------------------
#
# After training, each order gives a different curve from the same weights.
# The loss plot is noisy because each step evaluated a randomly chosen order.

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
with torch.no_grad():
    for order in (3, 4, 5):
        learned = model(x, order).cpu().numpy()
        ax_fit.plot(x_np, learned, label=f"learned, order {order}")
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
plt.show()

# %%
# Why such a small learning rate
# ------------------------------
#
# .. going-deeper::
#
#    At a fixed order the model is linear in its weights: on an order-5 pass
#    the prediction is Φw with w = (a, b, c, d, e) and the columns of Φ are 1,
#    x, x², x³ and x⁴ + x⁵ (one column for e, which multiplies both). The loss
#    is then a quadratic bowl whose Hessian is 2ΦᵀΦ, and its largest eigenvalue
#    λ measures the curvature along the stiffest direction. x⁴ + x⁵ is large at
#    the ends of the interval, so that curvature is far larger than the
#    cubic's. The eigenvalues below are computed in float64 on the CPU.

x64 = x.cpu().double()


def features(order):
    """The columns of Φ at this order: 1, x, x², x³ and, from order 4, e's."""
    columns = [x64**k for k in range(4)]
    if order > 3:
        columns.append(sum(x64**k for k in range(4, order + 1)))
    return torch.stack(columns, dim=1)


for order in (3, 4, 5):
    phi = features(order)
    eigenvalues = torch.linalg.eigvalsh(2 * phi.T @ phi)
    print(f"order {order}: largest eigenvalue {eigenvalues[-1].item():.3e}, "
          f"smallest {eigenvalues[0].item():.3e}")

# %%
# .. going-deeper::
#
#    Plain gradient descent on the order-5 bowl is stable only for lr < 2/λ.
#    PyTorch's SGD with momentum μ keeps a velocity, a decaying sum of past
#    gradients, and steps along it:
#
#    .. math::
#
#       v \leftarrow \mu v + g, \qquad w \leftarrow w - \mathrm{lr}\, v
#
#    Where the gradient keeps its direction, v grows to g/(1 − μ), so with μ =
#    0.9 the steps become lr/(1 − μ), ten times lr. So lr = 1e-8 moves like
#    plain gradient descent at 1e-7, already past plain gradient descent's
#    limit on order-5 passes. Momentum damps the stiff direction instead: with
#    one fixed order it stays stable for lr < 2(1 + μ)/λ. Here the order
#    changes from step to step, and the velocity built up on one order's bowl
#    is carried into the next, which lowers the limit: the second exercise
#    below shows a learning rate of 5e-8 blowing up. 1e-8 keeps a wide margin.
#    The price is speed along the flattest direction: each step removes only
#    about λ_min lr/(1 − μ) of the error left along it (printed below), which
#    is why training takes 30000 steps.

eigenvalues = torch.linalg.eigvalsh(2 * features(5).T @ features(5))
lam_max, lam_min = eigenvalues[-1].item(), eigenvalues[0].item()
effective = learning_rate / (1 - momentum)
print(f"order 5, plain gradient descent: lr < 2/λ = {2 / lam_max:.2e}")
print(f"order 5, momentum 0.9: lr < 2(1 + μ)/λ = "
      f"{2 * (1 + momentum) / lam_max:.2e}")
print(f"lr = {learning_rate:.0e}: steady step lr/(1 − μ) = {effective:.1e}, "
      f"λ_min lr/(1 − μ) = {lam_min * effective:.1e}")
