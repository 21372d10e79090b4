"""
At order 5 the model uses the same weight ``e`` twice, for ``x ** 4`` and for
``x ** 5``. At ``x = 2``, ``e`` gets the gradient ``16`` from the first use
alone and ``32`` from the second. What does ``e.grad`` hold after one
``backward()`` through both?

----

``48``: autograd adds up the gradients of every use of a tensor in the
graph, so a weight shared by two terms gets the sum of both.
"""

import torch

e = torch.tensor(0.1, requires_grad=True)
x = torch.tensor(2.0)
y = e * x**4 + e * x**5
y.backward()
print("e.grad:", e.grad.item())
