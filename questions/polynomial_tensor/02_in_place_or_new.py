"""
``alias = a`` gives a second name to the tensor ``a``. The lesson updates
``a`` with ``a -= learning_rate * grad_a``. Does ``alias`` see the update?
And if you write ``a = a - learning_rate * grad_a`` instead?

----

``-=`` changes the tensor in place, so every name for it sees the new
value. ``a = a - ...`` makes a new tensor and binds the name ``a`` to it;
``alias`` still holds the old tensor.
"""

import torch

a = torch.tensor(1.0)
alias = a
a -= 0.5
print("after a -= 0.5:    alias =", alias.item())

a = torch.tensor(1.0)
alias = a
a = a - 0.5
print("after a = a - 0.5: alias =", alias.item())
