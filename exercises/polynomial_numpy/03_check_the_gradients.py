"""
Let autograd check the gradients
================================

The lesson works out the four gradients by hand. Check them with PyTorch:
make ``a``, ``b``, ``c`` and ``d`` float64 tensors at the lesson's start with
``requires_grad=True``, compute the loss from ``x`` and ``y`` as tensors, call
``loss.backward()`` and compare ``a.grad`` to ``d.grad`` with the lesson's
formulas. How far apart are they?
"""

import math

import numpy as np
import torch

x = np.linspace(-math.pi, math.pi, 2000)
y = np.sin(x)
start = np.random.default_rng(seed=0).standard_normal(4)

# The lesson's gradients, by hand, at the start.
a, b, c, d = start
grad_y_pred = 2.0 * (a + b * x + c * x**2 + d * x**3 - y)
by_hand = np.array([(grad_y_pred * x**k).sum() for k in range(4)])


def gradients_by_autograd():
    """a.grad, b.grad, c.grad and d.grad at the start, as a numpy array."""
    weights = [torch.tensor(w, requires_grad=True) for w in start]
    a, b, c, d = weights
    x_t, y_t = torch.from_numpy(x), torch.from_numpy(y)
    loss = (a + b * x_t + c * x_t**2 + d * x_t**3 - y_t).pow(2).sum()
    loss.backward()  # fills each weight's .grad
    return np.array([w.grad.item() for w in weights])


by_autograd = gradients_by_autograd()
print("by hand:     " + "  ".join(f"{g:12.4f}" for g in by_hand))
print("by autograd: " + "  ".join(f"{g:12.4f}" for g in by_autograd))
difference = np.abs(by_autograd - by_hand) / np.abs(by_hand)
print(f"largest relative difference: {difference.max():.0e}")

# They agree to float64's rounding: autograd applies the same chain rule
# that the lesson applied by hand, one operation at a time.
