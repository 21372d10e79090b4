"""
The lesson's loss is a *sum* over 2000 points, and gradient descent on it
is stable only for learning rates below 2 / λ, where λ is the largest
eigenvalue of its Hessian ``2 XᵀX``. Take 4000 points on the same interval
instead. What happens to that limit?

----

It halves. Each point adds its own term to the summed loss, so the Hessian,
and with it λ, grows in proportion to the number of points: a summed loss
needs a smaller learning rate for more data, which a mean loss would not.
"""

import numpy as np

for n in (2000, 4000):
    x = np.linspace(-np.pi, np.pi, n)
    X = np.stack([x**0, x, x**2, x**3], axis=1)
    largest = np.linalg.eigvalsh(2 * X.T @ X)[-1]
    print(f"{n} points: limit 2 / λ = {2 / largest:.4g}")
