"""
Where the training heads
========================

Each step of the lesson trains on one of three losses, for order 3, 4 or 5,
each chosen with probability 1/3, so on average it descends their mean.
Write that mean as one least-squares problem: stack the three design
matrices (columns 1, x, x², x³ and e's column: 0, x⁴ or x⁴ + x⁵) on top of
each other, with y three times, and solve it with ``torch.linalg.lstsq``.
Compare the five weights with the lesson's ``Result`` line. Which weight is
still farthest from its target after 30000 steps, and why that one?
"""

import math

import matplotlib.pyplot as plt
import torch

x = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
y = torch.sin(x)


def design(order):
    """Columns for a, b, c, d and e at this order (e's is 0 at order 3)."""
    e_column = torch.zeros_like(x)
    for k in range(4, order + 1):
        e_column = e_column + x**k
    return torch.stack([x**0, x, x**2, x**3, e_column], dim=1)


stacked = torch.cat([design(order) for order in (3, 4, 5)])
target = torch.cat([y, y, y]).unsqueeze(-1)
weights = torch.linalg.lstsq(stacked, target).solution[:, 0]
names = ("a", "b", "c", "d", "e")
print("target: " + ", ".join(
    f"{n} = {round(w, 6) + 0.0:.6f}" for n, w in zip(names, weights.tolist())
))
for order in (3, 4, 5):
    loss = (design(order) @ weights - y).pow(2).sum()
    print(f"its loss at order {order}: {loss.item():.4f}")

# The flattest direction of the mean loss, which training crosses last.
hessian = 2 * stacked.T @ stacked / 3
eigenvalues, eigenvectors = torch.linalg.eigh(hessian)
flattest = eigenvectors[:, 0]
print(f"flattest direction (λ = {eigenvalues[0].item():.1f}): " + ", ".join(
    f"{n} {round(v, 3) + 0.0:+.3f}" for n, v in zip(names, flattest.tolist())
))

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.plot(x, y, linewidth=4, alpha=0.4, label="sin(x)")
for order in (3, 4, 5):
    ax.plot(x, design(order) @ weights, label=f"target, order {order}")
ax.set_xlabel("x")
ax.legend()
plt.show()

# The lesson's b, d and e are already close to these targets: training
# heads for the minimum of the mean loss, where e is small but not zero,
# since its loss at orders 4 and 5 is below the cubic's at order 3. a is
# still the farthest off: the flattest direction of the mean loss is
# almost pure a, with some c, and along it each step removes the least of
# the error, as the lesson's smallest eigenvalues showed.
