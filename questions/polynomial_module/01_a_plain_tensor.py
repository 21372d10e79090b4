"""
A module stores ``a`` as ``nn.Parameter(torch.tensor(0.0))`` but ``b`` as a
plain ``torch.tensor(1.0)``. Which names does ``named_parameters()`` give,
and so which values would the optimizer train?

----

Only ``a``: assigning an ``nn.Parameter`` to a module's attribute registers
it, a plain tensor is just an attribute. An optimizer given
``model.parameters()`` would never change ``b``.
"""

import torch
from torch import nn


class Line(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.tensor(0.0))
        self.b = torch.tensor(1.0)

    def forward(self, x):
        return self.a + self.b * x


print([name for name, _ in Line().named_parameters()])
