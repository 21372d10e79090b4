"""
The lesson makes its points with ``torch.linspace``, the NumPy lesson with
``np.linspace``. Which dtype does each give, and which does
``torch.from_numpy`` keep?

----

PyTorch's default floating type is ``float32``, NumPy's is ``float64``, and
``torch.from_numpy`` shares the array's memory, so it keeps ``float64``: a
tensor made from a NumPy array computes in double precision until you
convert it.
"""

import math

import numpy as np
import torch

print("torch.linspace:  ", torch.linspace(-math.pi, math.pi, 2000).dtype)
print("np.linspace:     ", np.linspace(-math.pi, math.pi, 2000).dtype)
print("torch.from_numpy:", torch.from_numpy(np.linspace(-1, 1, 5)).dtype)
