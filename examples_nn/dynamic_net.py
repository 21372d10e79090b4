"""
PyTorch: Control Flow + Weight Sharing
======================================

A model whose shape changes on every call. Each forward pass picks an order
between 3 and 5 at random and evaluates a polynomial of that order, reusing
one weight, ``e``, for both the x⁴ and the x⁵ terms. Because the graph is
built as the Python code runs, a loop or an ``if`` is all it takes: each
forward pass records a different graph, and autograd follows whichever one was
recorded.
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

    # The learned polynomial at order 5, as text.
    def string(self):
        return (
            f"y = {self.a.item():.6f} {self.b.item():+.6f} x {self.c.item():+.6f} x^2"
            f" {self.d.item():+.6f} x^3 {self.e.item():+.6f} x^4 {self.e.item():+.6f} x^5"
        )


# %%
# Training
# --------
#
# This model is hard to train with plain gradient descent: x⁵ reaches
# π⁵ ≈ 306 at the ends of the interval, so the gradient for ``e`` dwarfs the
# others and the learning rate must be tiny (1e-8). Momentum
# (0.9) keeps the small steps moving in a consistent direction. Both random
# generators, Python's for the order and PyTorch's for the initial weights,
# are seeded.

random.seed(0)
torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

model = DynamicNet().to(device)
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)

losses = []
for t in range(30000):
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    if t % 2000 == 1999:
        print(f"step {t:5d}  loss {loss.item():.4f}")

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

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

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
with torch.no_grad():
    for order in (3, 4, 5):
        ax_fit.plot(x_np, model(x, order).cpu().numpy(), label=f"learned, order {order}")
ax_fit.plot(x_np, np.polynomial.polynomial.polyval(x_np, best), "--", label="least-squares cubic")
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()
