"""
Without momentum
================

Momentum 0.9 makes the lesson's steps about ten times its learning rate
wherever the gradient keeps its direction. Is it the same as a ten times
larger learning rate? Set ``momentum=0`` and ``lr=1e-7`` in the lesson, and
train until the loss passes 1e10 or 2000 steps are done. Then set
``momentum=0`` and keep ``lr=1e-8``: what is the loss at step 1999, against
the lesson's line for the same step?
"""

import math
import random

import torch
from torch import nn


x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)


# The lesson's DynamicNet as a function of its five weights.
def dynamic_net(weights, order=None):
    a, b, c, d, e = weights
    if order is None:
        order = random.randint(3, 5)
    y = a + b * x + c * x**2 + d * x**3
    for exponent in range(4, order + 1):
        y = y + e * x**exponent
    return y


# The lesson's training, seeded as there; the losses until a blow-up.
def train(lr, momentum, steps=2000):
    random.seed(0)
    torch.manual_seed(0)
    weights = [nn.Parameter(torch.randn(())) for _ in range(5)]  # a to e
    optimizer = torch.optim.SGD(weights, lr=lr, momentum=momentum)
    loss_fn = nn.MSELoss(reduction="sum")
    losses = []
    for _ in range(steps):
        loss = loss_fn(dynamic_net(weights), y)
        losses.append(loss.item())
        if not loss.item() < 1e10:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


losses = train(lr=1e-7, momentum=0.0)
print(f"lr 1e-7, no momentum: loss {losses[-1]:.3e} at step "
      f"{len(losses) - 1}, first loss {losses[0]:.3e}")
losses = train(lr=1e-8, momentum=0.0)
print(f"lr 1e-8, no momentum: loss at step 1999 {losses[-1]:.4f}")

# Plain gradient descent at 1e-7 blows up within a few dozen steps: the
# order-5 passes have a limit 2/λ of about 5e-8 (the lesson printed it),
# and 1e-7 is past it. Momentum gets its tenfold speed only where the
# gradient keeps its direction; along the stiff direction, where the
# gradient flips sign every step, the velocity's terms cancel and the
# step stays small. So momentum is not a larger learning rate: it speeds up
# the flat directions without unsettling the stiff one. Without momentum
# and at 1e-8, the run is stable but several times slower: its loss at
# step 1999 is far above the lesson's.
