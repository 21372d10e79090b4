"""
``w`` is ``3.0`` and requires gradients. The loss ``w ** 2`` is computed and
``backward()`` is called, twice, without resetting ``w.grad`` in between.
What does ``w.grad`` hold after each call?

----

The derivative of ``w ** 2`` is ``2 w = 6``. ``backward()`` adds to ``.grad``
instead of replacing it, so after the second call it holds ``12``: that is
why the lesson sets ``weight.grad = None`` after every step.
"""

import torch

w = torch.tensor(3.0, requires_grad=True)
for call in (1, 2):
    loss = w**2
    loss.backward()
    print(f"after backward() number {call}: w.grad = {w.grad.item()}")
