"""
Past the real limit
===================

With one fixed order, momentum SGD is stable on the order-5 bowl for
learning rates up to 2(1 + μ)/λ, about 9.8e-8 as the lesson printed. Try
``lr=5e-8``, about half of that, with the lesson's momentum of 0.9: once
with the lesson's random orders, once with every pass at order 5 (call
``model(x, 5)``). Train until the loss passes 1e10 or 2000 steps are done.
Which run survives?
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


# The lesson's training at the given order (None: random); its losses.
def train(order, lr=5e-8, momentum=0.9, steps=2000):
    random.seed(0)
    torch.manual_seed(0)
    weights = [nn.Parameter(torch.randn(())) for _ in range(5)]  # a to e
    optimizer = torch.optim.SGD(weights, lr=lr, momentum=momentum)
    loss_fn = nn.MSELoss(reduction="sum")
    losses = []
    for _ in range(steps):
        loss = loss_fn(dynamic_net(weights, order), y)
        losses.append(loss.item())
        if not loss.item() < 1e10:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


for order, name in ((None, "random orders"), (5, "always order 5")):
    losses = train(order)
    print(f"{name:<14}: loss {losses[-1]:.4e} at step {len(losses) - 1}")

# At a fixed order the loss is one quadratic bowl, and momentum SGD at half
# its limit converges. With random orders each step sees a different bowl:
# on order-3 steps e does not move at all, on order-4 and order-5 steps it
# does, with a velocity built up on the other bowls. Switching between
# bowls, each stable on its own, can still blow up, and here it does in
# fewer than a hundred steps. The limit of one bowl is not the limit of the
# mix; the lesson's 1e-8 stays well clear of both.
