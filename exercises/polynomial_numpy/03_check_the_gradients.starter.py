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
    # TODO: make a, b, c and d float64 tensors from start that require
    # gradients, compute the loss from x and y as tensors, call
    # loss.backward() and return the four .grad values.
    raise NotImplementedError(
        "TODO: write gradients_by_autograd() with requires_grad=True "
        "and loss.backward()"
    )


try:
    by_autograd = gradients_by_autograd()
except NotImplementedError as left_to_write:
    print(left_to_write)
else:
    print("by hand:     " + "  ".join(f"{g:12.4f}" for g in by_hand))
    print("by autograd: " + "  ".join(f"{g:12.4f}" for g in by_autograd))
    difference = np.abs(by_autograd - by_hand) / np.abs(by_hand)
    print(f"largest relative difference: {difference.max():.0e}")
