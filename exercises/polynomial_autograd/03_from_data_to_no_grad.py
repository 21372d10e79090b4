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
    weights = fresh_weights()
    for _ in range(steps):
        loss = loss_of(weights)
        loss.backward()
        with torch.no_grad():
            for w in weights:
                w -= learning_rate * w.grad
                w.grad = None
    return loss.item(), weights


old_loss, old_weights = train_the_old_way()
new_loss, new_weights = train_the_new_way()
print(f"old way: loss at step 1999 {old_loss:.4f}")
print(f"new way: loss at step 1999 {new_loss:.4f}")
same = all(torch.equal(o, n) for o, n in zip(old_weights, new_weights))
print(f"the same weights, bit for bit: {same}")

# Both loops compute the same numbers. The difference is what autograd is
# told. An update through .data is invisible to it: had a tensor that a
# graph saved for backward been changed that way, backward would use the
# new values without a word. Under torch.no_grad() the update is an
# in-place operation that autograd counts, so the same mistake raises an
# error instead. grad = None lets the next backward() store a fresh
# gradient instead of adding to a tensor of zeros, and frees the memory
# in between.
