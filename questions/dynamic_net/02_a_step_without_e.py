"""
The lesson trains with SGD and momentum 0.9. Suppose one step used ``e``
and the next picks order 3, so ``e`` plays no part and, after
``zero_grad()``, ``e.grad`` is ``None``. Does that second step move ``e``?
And if ``zero_grad(set_to_none=False)`` had left a gradient of zero?

----

SGD skips every parameter whose ``.grad`` is ``None``, momentum included,
so ``e`` stays where it is. A zero gradient is a gradient: the momentum
buffer still moves ``e`` by ``0.9`` times its last step.
"""

import torch


def second_move(set_to_none):
    e = torch.nn.Parameter(torch.tensor(1.0))
    optimizer = torch.optim.SGD([e], lr=0.1, momentum=0.9)
    (3 * e).backward()  # a step that used e: gradient 3
    optimizer.step()
    optimizer.zero_grad(set_to_none=set_to_none)
    before = e.item()
    optimizer.step()  # a step in which e took no part
    return e.item() - before


print(f"e.grad None: e moves by {second_move(True):+.4f}")
print(f"e.grad zero: e moves by {second_move(False):+.4f}")
