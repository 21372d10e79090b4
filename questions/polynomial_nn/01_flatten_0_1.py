"""
``xx`` holds the powers of 2000 points, shape ``(2000, 3)``. What shapes come
out of ``nn.Linear(3, 1)``, and then out of ``nn.Flatten(0, 1)``?

----

``nn.Linear(3, 1)`` gives one output per point, ``(2000, 1)``.
``nn.Flatten(0, 1)`` merges dimensions 0 to 1 into one, ``(2000,)``: the
shape of ``y``.
"""

import torch
from torch import nn

xx = torch.zeros(2000, 3)
linear = nn.Linear(3, 1)
flatten = nn.Flatten(0, 1)
print("nn.Linear(3, 1):  ", tuple(linear(xx).shape))
print("nn.Flatten(0, 1): ", tuple(flatten(linear(xx)).shape))
