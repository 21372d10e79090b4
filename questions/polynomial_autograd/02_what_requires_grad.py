"""
``a`` requires gradients and ``x`` does not. Which of these results require
gradients: ``a * x``, ``x * 2``, ``(a * x).argmax()``, ``a * x > 0``, and
``a * x`` computed inside ``torch.no_grad()``?

----

A result requires gradients when an input does *and* the operation can be
differentiated and is recorded: ``argmax`` and comparisons give integers
and booleans, which have no gradient, and inside ``torch.no_grad()``
nothing is recorded.
"""

import torch

a = torch.tensor(0.5, requires_grad=True)
x = torch.linspace(-1, 1, 5)
print("a * x:           ", (a * x).requires_grad)
print("x * 2:           ", (x * 2).requires_grad)
print("(a * x).argmax():", (a * x).argmax().requires_grad)
print("a * x > 0:       ", (a * x > 0).requires_grad)
with torch.no_grad():
    print("under no_grad():  ", (a * x).requires_grad)
