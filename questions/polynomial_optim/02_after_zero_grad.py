"""
After ``loss.backward()`` the parameters hold gradients. What does
``optimizer.zero_grad()`` leave in ``.grad``: tensors of zeros, or something
else? And what does RMSprop keep in ``optimizer.state`` after one step?

----

``zero_grad()`` sets each ``.grad`` to ``None`` (its ``set_to_none``
argument is ``True`` by default), which frees the memory; the next
``backward()`` creates fresh gradients. RMSprop keeps, per parameter, its
step count and the running average of squared gradients.
"""

import torch
from torch import nn

model = nn.Linear(3, 1)
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
model(torch.ones(4, 3)).sum().backward()
optimizer.step()
optimizer.zero_grad()
print("grads after zero_grad():", [p.grad for p in model.parameters()])
print("state of the weight:", sorted(optimizer.state[model.weight]))
