"""
A mean instead of a sum
=======================

Many programs use the mean of the squared errors as the loss
(``nn.MSELoss()`` does by default). Change the lesson's loss to
``np.square(y_pred - y).mean()`` and divide ``grad_y_pred`` by the number of
points to match.

* What does ``learning_rate = 1e-6`` do now?
* Compute the new Hessian and its limit ``2 / λ_max``. How does it compare
  with the lesson's?
* Which learning rate makes the mean-loss run take exactly the lesson's
  steps?
"""

import math

import numpy as np

x = np.linspace(-math.pi, math.pi, 2000)
y = np.sin(x)
start = np.random.default_rng(seed=0).standard_normal(4)
n = len(x)

# The Hessian of the mean is that of the sum divided by N.
X = np.stack([x**0, x, x**2, x**3], axis=1)
sum_limit = 2 / np.linalg.eigvalsh(2 * X.T @ X)[-1]
mean_limit = 2 / np.linalg.eigvalsh(2 * X.T @ X / n)[-1]
print(f"limit for the sum:  {sum_limit:.4g}")
print(f"limit for the mean: {mean_limit:.4g},"
      f" {mean_limit / sum_limit:.0f} times larger")


# The lesson's loop with the mean, as matrix products; it returns the loss
# of the last step, the one the lesson prints as step 1999.
def train(lr, steps=2000):
    w = start.copy()
    for _ in range(steps):
        residual = X @ w - y
        loss = residual @ residual / n
        w -= lr * 2 * X.T @ residual / n
    return loss


print(f"mean loss at the start:        {train(0, steps=1):.4f}")
print(f"at step 1999 with lr = 1e-6:   {train(1e-6):.4f}")
# Each gradient is now N times smaller, so an N times larger learning rate
# takes the very same steps: the mean loss is the lesson's sum divided by N.
print(f"at step 1999 with lr = {n * 1e-6:g}: {train(n * 1e-6):.6f}")
print(f"times N, the lesson's loss:    {n * train(n * 1e-6):.4f}")
