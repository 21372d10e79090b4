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
        self.b = nn.Parameter(torch.tensor(float(b)))
        self.d = nn.Parameter(torch.tensor(float(d)))

    def forward(self, x):
        return self.b * x + self.d * x**3


_, b, _, d = np.random.default_rng(seed=0).standard_normal(4)
model = OddCubic(b, d)
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

# named_parameters() lists what was assigned as an nn.Parameter, by its
# attribute's name: b and d. The loss at step 1999 is almost the lesson's:
# there a and c are already close to zero, and what is left to learn lies
# in b and d, which this model learns just as slowly. Leaving out the even
# terms makes the model smaller, not the training faster.
