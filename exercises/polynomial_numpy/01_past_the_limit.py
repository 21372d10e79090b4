"""
Past the limit
==============

In the downloaded script, set ``learning_rate`` to ``3.5e-6`` and then to
``3.6e-6``, on either side of the limit ``2 / λ`` that the lesson printed,
and watch the loss lines.

Then find the largest learning rate that still works by bisection: call a
run of 2000 steps from the lesson's start *stable* if its last loss is
below its first, and halve the interval between a stable and an unstable
learning rate until the two agree to four significant digits. Compare the
result with ``2 / λ_max``.
"""

import math

import numpy as np

x = np.linspace(-math.pi, math.pi, 2000)
y = np.sin(x)
start = np.random.default_rng(seed=0).standard_normal(4)

# The lesson's loop written with the matrix X = [1, x, x², x³]: X @ w is the
# prediction and 2 Xᵀ(X w − y) the four gradients, which is much faster.
X = np.stack([x**0, x, x**2, x**3], axis=1)


def stable(lr, steps=2000):
    w = start.copy()
    first = None
    for _ in range(steps):
        residual = X @ w - y
        loss = residual @ residual
        if first is None:
            first = loss
        # Stop a run that has clearly blown up before it overflows.
        if loss > 1e6 * first:
            return False
        w -= lr * 2 * X.T @ residual
    return loss < first


# 1e-6 works and 1e-5 does not: the answer lies between them.
low, high = 1e-6, 1e-5
while (high - low) / low > 1e-4:
    middle = (low + high) / 2
    if stable(middle):
        low = middle
    else:
        high = middle

limit = 2 / np.linalg.eigvalsh(2 * X.T @ X)[-1]
print(f"largest stable learning rate (bisection): {low:.4g}")
print(f"2 / λ_max:                                {limit:.4g}")
print(f"ratio: {low / limit:.4f}")

# The bisection lands a hair above 2 / λ_max: just past the limit the error
# along the steepest direction grows so slowly that after 2000 steps the
# loss has not yet climbed back above where it started.
