"""
float32 or float64?
===================

The lesson computes in float32, the numpy warm-up in float64. Run the
lesson with ``dtype = torch.float64`` as well, and compare the two runs'
losses and results. How many digits agree? Is float32 enough here?
"""

import math

import numpy as np
import torch

start = np.random.default_rng(seed=0).standard_normal(4)


# The lesson's training on the CPU in the given dtype: its losses and its
# four coefficients, in float64 for comparing.
def train(dtype, learning_rate=1e-6):
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(value, dtype=dtype) for value in start)
    losses = []
    for _ in range(2000):
        y_pred = a + b * x + c * x**2 + d * x**3
        losses.append((y_pred - y).pow(2).sum())
        grad_y_pred = 2.0 * (y_pred - y)
        a -= learning_rate * grad_y_pred.sum()
        b -= learning_rate * (grad_y_pred * x).sum()
        c -= learning_rate * (grad_y_pred * x**2).sum()
        d -= learning_rate * (grad_y_pred * x**3).sum()
    return torch.stack(losses).double(), torch.stack([a, b, c, d]).double()


losses32, weights32 = train(torch.float32)
losses64, weights64 = train(torch.float64)
for name, weights in (("float32", weights32), ("float64", weights64)):
    a, b, c, d = weights.tolist()
    print(f"{name}: y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3")
relative = ((losses32 - losses64).abs() / losses64).max()
print(f"largest relative difference between the losses: {relative:.0e}")
print("largest difference between the coefficients: "
      f"{(weights32 - weights64).abs().max():.0e}")

# The two runs agree to five or six significant digits, and the printed
# results are identical: float32 is plenty for this fit.
