"""
Write your own optimizer
========================

An optimizer is a small class. Write ``PlainSGD(params, lr)``, a subclass
of ``torch.optim.Optimizer``: its ``__init__`` hands the parameters and a
dictionary of defaults, ``{"lr": lr}``, to ``super().__init__``, and its
``step()`` moves every parameter of every group against its gradient,
``p.add_(p.grad, alpha=-lr)``, under ``torch.no_grad()``. Train the
lesson's model with it and with ``torch.optim.SGD`` at ``lr=1e-6`` for 2000
steps. Do the two runs end with the same weights?
"""

import math

import numpy as np
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d


class PlainSGD(torch.optim.Optimizer):
    """Gradient descent without momentum: p ← p − lr · p.grad."""

    def __init__(self, params, lr):
        # TODO: hand params and the defaults {"lr": lr} to super().__init__.
        raise NotImplementedError("TODO: write PlainSGD.__init__()")

    def step(self):
        # TODO: under torch.no_grad(), p.add_(p.grad, alpha=-lr) for every p
        # of every group in self.param_groups.
        raise NotImplementedError("TODO: write PlainSGD.step()")


def train(make_optimizer, steps=2000):
    """The lesson's model and loop with the given optimizer."""
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].bias.copy_(torch.from_numpy(start[:1]))
        model[0].weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    optimizer = make_optimizer(model.parameters())
    loss_fn = nn.MSELoss(reduction="sum")
    for _ in range(steps):
        loss = loss_fn(model(xx), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item(), torch.cat([model[0].bias, model[0].weight[0]])


try:
    mine, my_weights = train(lambda p: PlainSGD(p, lr=1e-6))
except NotImplementedError as left_to_write:
    print(left_to_write)
else:
    theirs, their_weights = train(lambda p: torch.optim.SGD(p, lr=1e-6))
    print(f"PlainSGD:        loss at step 1999 {mine:.4f}")
    print(f"torch.optim.SGD: loss at step 1999 {theirs:.4f}")
    same = torch.equal(my_weights, their_weights)
    print(f"the same weights, bit for bit: {same}")
