"""
``x`` holds the 2000 points, shape ``(2000,)``. What shape does
``x[:, None] ** np.arange(4)`` have, and what does ``x ** np.arange(4)`` do?

----

``x[:, None]`` is a column, shape ``(2000, 1)``, and NumPy broadcasts it
against the row of four exponents into the whole ``(2000, 4)`` design matrix.
Without the new axis the shapes ``(2000,)`` and ``(4,)`` cannot be matched,
and NumPy refuses rather than guess.
"""

import numpy as np

x = np.linspace(-np.pi, np.pi, 2000)
print("x[:, None] ** np.arange(4):", (x[:, None] ** np.arange(4)).shape)
try:
    x ** np.arange(4)
except ValueError as err:
    print("x ** np.arange(4): ValueError:", str(err).strip())
