"""
Order five
==========

Add two weights, ``e`` and ``f``, and fit ``a + b x + c x² + d x³ + e x⁴ +
f x⁵``, starting ``e`` and ``f`` at zero. With the lesson's learning rate
the run blows up. Compute the new limit on the learning rate with
``torch.func.hessian``, as the lesson did for the cubic, train 2000 steps
just below it, and compare the loss with the least-squares fit of order
five (``torch.linalg.lstsq``) and with the best cubic's.
"""

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
start = np.concatenate(
    [np.random.default_rng(seed=0).standard_normal(4), np.zeros(2)]
)


# The loss as a function of the six weights, lowest power first.
def loss_of(w, x, y):
    powers = torch.stack([x**k for k in range(6)], dim=1)
    return (powers @ w - y).pow(2).sum()


# The Hessian and the least-squares fits, in float64 on the CPU.
x64 = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
hessian = torch.func.hessian(loss_of)(torch.tensor(start), x64, x64.sin())
# The cubic's Hessian is the top-left 4 × 4 block of this one.
for order, block in ((3, hessian[:4, :4]), (5, hessian)):
    eigenvalues = torch.linalg.eigvalsh(block)
    limit = 2 / eigenvalues[-1].item()
    print(f"order {order}: largest eigenvalue {eigenvalues[-1]:.4g},"
          f" limit 2 / λ = {limit:.3g},"
          f" λ_max / λ_min = {eigenvalues[-1] / eigenvalues[0]:.3g}")
best_losses = {}
for order in (3, 5):
    powers = torch.stack([x64**k for k in range(order + 1)], dim=1)
    w_best = torch.linalg.lstsq(powers, x64.sin().unsqueeze(1)).solution
    residual = powers @ w_best - x64.sin().unsqueeze(1)
    best_losses[order] = residual.pow(2).sum().item()
    print(f"least squares, order {order}: loss {best_losses[order]:.4f}")

# Gradient descent with autograd at 0.9 times the limit.
learning_rate = 0.9 * limit
w = torch.tensor(start, dtype=dtype, device=device, requires_grad=True)
losses = []
for t in range(2000):
    loss = loss_of(w, x, y)
    losses.append(loss.detach())
    loss.backward()
    with torch.no_grad():
        w -= learning_rate * w.grad
        w.grad = None
losses = torch.stack(losses).cpu()
print(f"gradient descent, order 5, lr = {learning_rate:.3g}:"
      f" loss at step 1999 {losses[-1]:.4f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.semilogy(losses, label="gradient descent, order 5")
for order, style in ((3, "--"), (5, ":")):
    ax.axhline(best_losses[order], color="gray", linestyle=style,
               label=f"least squares, order {order}")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend()
plt.show()

# Order five could fit sin far better than any cubic, yet gradient descent
# ends up worse than the lesson's cubic. x⁵ reaches π⁵ ≈ 306, so the
# curvature along the new weights is huge and the learning rate must be
# about sixty times smaller, while the flattest directions are flatter than
# before: the ratio λ_max / λ_min has grown from hundreds to tens of
# thousands. Least squares does not care; gradient descent does.
