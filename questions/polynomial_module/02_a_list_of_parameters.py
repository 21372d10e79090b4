"""
Instead of four attributes, a module keeps its coefficients in a Python list
of four ``nn.Parameter``. How many parameters does it register? And with
``nn.ParameterList`` instead of the list?

----

None with a plain list: a module registers a parameter only when it is
assigned to one of its attributes, or held by a submodule or by a container
of PyTorch's such as ``nn.ParameterList``, which registers all four.
"""

import torch
from torch import nn


class InAList(nn.Module):
    def __init__(self):
        super().__init__()
        self.coefficients = [nn.Parameter(torch.zeros(())) for _ in range(4)]


class InAParameterList(nn.Module):
    def __init__(self):
        super().__init__()
        self.coefficients = nn.ParameterList(
            nn.Parameter(torch.zeros(())) for _ in range(4)
        )


print("Python list:     ", len(list(InAList().parameters())))
print("nn.ParameterList:", len(list(InAParameterList().parameters())))
