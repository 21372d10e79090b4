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
    # TODO: build X from the powers of x, make w a float32 tensor from
    # start, and take the steps with X @ w and X.T @ residual.
    raise NotImplementedError(
        "TODO: write train() with X @ w and the gradient 2 X.T @ (X @ w - y)"
    )


try:
    loss, w = train()
except NotImplementedError as left_to_write:
    print(left_to_write)
else:
    a, b, c, d = (round(value, 6) + 0.0 for value in w.tolist())
    print(f"loss at step 1999: {loss:.4f}")
    print(f"Result: y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3")
