"""
Start from zeros
================

Start the lesson's training from ``a = b = c = d = 0`` instead of the
random start. Which coefficients move, and which stay where they are? Why?
How close to the least-squares loss does the run get in 2000 steps,
compared with the lesson's?
"""

import math

import numpy as np
import torch

dtype = torch.float32
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)


# The lesson's training from the given start: the loss of its last step and
# the four coefficients it ends with.
def train(start, learning_rate=1e-6):
    a, b, c, d = (
        torch.tensor(value, dtype=dtype, device=device) for value in start
    )
    for _ in range(2000):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        a -= learning_rate * grad_y_pred.sum()
        b -= learning_rate * (grad_y_pred * x).sum()
        c -= learning_rate * (grad_y_pred * x**2).sum()
        d -= learning_rate * (grad_y_pred * x**3).sum()
    return loss.item(), torch.stack([a, b, c, d]).tolist()


x64 = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
X = torch.stack([x64**0, x64, x64**2, x64**3], dim=1)
w_best = torch.linalg.lstsq(X, x64.sin().unsqueeze(1)).solution
best_loss = (X @ w_best - x64.sin().unsqueeze(1)).pow(2).sum().item()
print(f"least-squares loss:                 {best_loss:.4f}")

lesson_loss, _ = train(np.random.default_rng(seed=0).standard_normal(4))
print(f"from the lesson's start, step 1999: {lesson_loss:.4f}")
zeros_loss, (a, b, c, d) = train([0.0, 0.0, 0.0, 0.0])
print(f"from zeros, step 1999:              {zeros_loss:.4f}")
print(f"from zeros: b = {b:.6f}, d = {d:+.6f}")
# a and c hardly move: with a = c = 0 the prediction b x + d x³ is odd, like
# sin, so the gradients of a and c are sums of odd functions over points
# placed symmetrically about 0, which cancel up to float32 rounding.
print(f"from zeros: |a| = {abs(a):.6f}, |c| = {abs(c):.6f}")

# The run from zeros ends a little closer to the best loss, but not much:
# the gap that is left lies mostly in b, along the second slowest
# direction, and zeros is not much nearer the best b than the random start.
