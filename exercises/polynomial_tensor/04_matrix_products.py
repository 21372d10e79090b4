"""
One matrix product a step
=========================

The lesson updates ``a``, ``b``, ``c`` and ``d`` one by one. Write the same
gradient descent with one weight vector ``w``: put the powers of ``x`` in the
columns of a 2000 × 4 matrix, ``X = x.unsqueeze(-1).pow(torch.arange(4))``,
predict with ``X @ w`` and step with the gradient 2 Xᵀ(X w − y). Train for
2000 steps from the lesson's start at learning rate 1e-6. Does it print the
lesson's result?
"""

import math

import numpy as np
import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
start = np.random.default_rng(seed=0).standard_normal(4)


def train(learning_rate=1e-6, steps=2000):
    """Gradient descent on w = (a, b, c, d); the last loss and w."""
    X = x.unsqueeze(-1).pow(torch.arange(4))  # columns 1, x, x², x³
    w = torch.tensor(start, dtype=torch.float32)
    for _ in range(steps):
        residual = X @ w - y
        loss = residual.pow(2).sum()
        w -= learning_rate * 2.0 * X.T @ residual
    return loss.item(), w


loss, w = train()
a, b, c, d = (round(value, 6) + 0.0 for value in w.tolist())
print(f"loss at step 1999: {loss:.4f}")
print(f"Result: y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3")

# The same steps, written as two matrix products: X @ w predicts all 2000
# points at once, and X.T @ residual sums residual times each column, the
# four sums the lesson writes out. The products add up the 2000 terms in
# another order than the lesson's .sum(), so float32's last digits may
# differ; the printed result does not.
