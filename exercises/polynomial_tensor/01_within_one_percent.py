"""
Within one percent
==================

How many steps does the lesson's gradient descent need before its loss is
within one percent of the least-squares cubic's loss? Count them for
learning rates ``1e-6``, ``2e-6``, ``3e-6`` and ``3.5e-6``, all below the
limit the numpy warm-up printed. Keep the losses as tensors, as the lesson
does, and find the first step that qualifies after the loop.

What does the product of learning rate and step count tell you? Which
eigenvalue of the Hessian sets the pace?
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
start = np.random.default_rng(seed=0).standard_normal(4)

# The best loss any cubic can reach, from least squares on the CPU.
x64 = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
X = torch.stack([x64**0, x64, x64**2, x64**3], dim=1)
w_best = torch.linalg.lstsq(X, x64.sin().unsqueeze(1)).solution
best_loss = (X @ w_best - x64.sin().unsqueeze(1)).pow(2).sum().item()


# The lesson's loop, returning all its losses as one tensor on the CPU.
def losses_at(learning_rate, steps=2500):
    a, b, c, d = (
        torch.tensor(value, dtype=dtype, device=device) for value in start
    )
    losses = []
    for _ in range(steps):
        y_pred = a + b * x + c * x**2 + d * x**3
        losses.append((y_pred - y).pow(2).sum())
        grad_y_pred = 2.0 * (y_pred - y)
        a -= learning_rate * grad_y_pred.sum()
        b -= learning_rate * (grad_y_pred * x).sum()
        c -= learning_rate * (grad_y_pred * x**2).sum()
        d -= learning_rate * (grad_y_pred * x**3).sum()
    return torch.stack(losses).cpu()


eigenvalues = torch.linalg.eigvalsh(2 * X.T @ X)
print(f"least-squares loss {best_loss:.4f}, 1 % above: {1.01 * best_loss:.4f}")
print(f"λ_max / λ_min = {eigenvalues[-1] / eigenvalues[0]:.1f}")
fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for learning_rate in (1e-6, 2e-6, 3e-6, 3.5e-6):
    losses = losses_at(learning_rate)
    # The index of the first True is the first step within 1 %.
    steps = int(torch.argmax((losses <= 1.01 * best_loss).int()))
    print(f"lr = {learning_rate:g}: {steps:4d} steps,"
          f" lr × steps = {learning_rate * steps:.3g}")
    ax.semilogy(losses - best_loss, label=f"lr = {learning_rate:g}")
ax.axhline(0.01 * best_loss, color="gray", linestyle="--",
           label="0.01 × best loss")
# Below about 1e-3, float32 rounding of the loss shows; the plot stops there.
ax.set_ylim(1e-3, None)
ax.set_xlabel("step")
ax.set_ylabel("loss − best loss (log scale)")
ax.legend()
plt.show()

# lr × steps is nearly the same every time: the last stretch is spent in
# the slow directions, whose error shrinks by lr λ a step with λ near 2000,
# so doubling lr halves the count. lr cannot grow past 2 / λ_max, so the
# ratio λ_max / λ_min printed above is what makes plain gradient descent
# slow on this problem.
