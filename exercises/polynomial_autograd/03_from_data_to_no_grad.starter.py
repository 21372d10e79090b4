"""
From .data to torch.no_grad()
=============================

Older versions of this tutorial updated the weights with
``w.data -= learning_rate * w.grad.data`` and reset the gradients with
``w.grad.data.zero_()``; the starter runs that loop. Write the lesson's
version of it: the update under ``torch.no_grad()``, and ``w.grad = None``
instead of zeroing. Do the two loops end with the same weights? Why does
the new way matter when they do?
"""

import math

import numpy as np
import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
start = np.random.default_rng(seed=0).standard_normal(4)


def fresh_weights():
    """a, b, c and d at the lesson's start, recording gradients."""
    return [torch.tensor(w, dtype=torch.float32, requires_grad=True)
            for w in start]


def loss_of(weights):
    a, b, c, d = weights
    return (a + b * x + c * x**2 + d * x**3 - y).pow(2).sum()


def train_the_old_way(learning_rate=1e-6, steps=2000):
    """The older tutorial's loop, which updates through .data."""
    weights = fresh_weights()
    for _ in range(steps):
        loss = loss_of(weights)
        loss.backward()
        for w in weights:
            w.data -= learning_rate * w.grad.data
            w.grad.data.zero_()
    return loss.item(), weights


def train_the_new_way(learning_rate=1e-6, steps=2000):
    """The lesson's loop: the update under torch.no_grad(), grad = None."""
    # TODO: the same loop as train_the_old_way, with the update under
    # torch.no_grad() and w.grad = None instead of w.grad.data.zero_().
    raise NotImplementedError(
        "TODO: write train_the_new_way() with torch.no_grad() "
        "and w.grad = None"
    )


try:
    old_loss, old_weights = train_the_old_way()
    new_loss, new_weights = train_the_new_way()
except NotImplementedError as left_to_write:
    print(left_to_write)
else:
    print(f"old way: loss at step 1999 {old_loss:.4f}")
    print(f"new way: loss at step 1999 {new_loss:.4f}")
    same = all(torch.equal(o, n) for o, n in zip(old_weights, new_weights))
    print(f"the same weights, bit for bit: {same}")
