"""
The lesson's model is ``nn.Linear(3, 1)`` followed by ``nn.Flatten(0, 1)``,
and the optimizer gets ``model.parameters()``. Which tensors does the
optimizer hold, with which shapes?

----

Two: the ``Linear`` layer's weight, one row of three coefficients, and its
bias, the constant term. ``nn.Flatten`` has no parameters, so the four
coefficients of the cubic are split over these two tensors.
"""

import torch
from torch import nn

model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
names = {param: name for name, param in model.named_parameters()}
for group in optimizer.param_groups:
    for param in group["params"]:
        print(f"{names[param]}: {tuple(param.shape)}")
