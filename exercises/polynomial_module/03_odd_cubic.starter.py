"""
A module for the odd cubic
==========================

sin is odd, and the lesson's least squares put ``a`` and ``c`` at zero.
Write ``OddCubic``, a module with two parameters, ``b`` and ``d``, given as
numbers to its ``__init__``, whose ``forward`` returns b x + d x³. Train it
like the lesson, from the ``b`` and ``d`` of the lesson's start. What does
``named_parameters()`` list, and how does the loss at step 1999 compare with
the lesson's?
"""

import math

import numpy as np
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)


class OddCubic(nn.Module):
    """y = b x + d x³: the cubic without its even terms."""

    def __init__(self, b, d):
        super().__init__()
        # TODO: keep b and d as parameters of this module.
        raise NotImplementedError("TODO: write __init__(), keeping b and d")

    def forward(self, x):
        # TODO: return b x + d x³.
        raise NotImplementedError("TODO: write forward(x), b x + d x³")


try:
    _, b, _, d = np.random.default_rng(seed=0).standard_normal(4)
    model = OddCubic(b, d)
except NotImplementedError as left_to_write:
    print(left_to_write)
else:
    print("parameters:", [name for name, _ in model.named_parameters()])
    loss_fn = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    for t in range(2000):
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"loss at step 1999: {loss.item():.4f}")
    print(f"Result: y = {model.b.item():.6f} x {model.d.item():+.6f} x^3")
