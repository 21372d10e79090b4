"""
Closer to Taylor
================

The lesson's least-squares cubic is not the Taylor polynomial
``x − x³/6``, because it must fit all of ``[-π, π]``. Fit the cubic by least
squares on the shorter intervals ``[-h, h]`` for ``h`` = π, π/2, π/4 and
π/8 (2000 points each), and watch the coefficients of ``x`` and ``x³``.
What do they approach, and why?
"""

import math

import matplotlib.pyplot as plt
import torch

# Least squares on the CPU in float64; the even coefficients are zero here
# too (sin is odd), so only b and d are printed.
halves = [math.pi / 2**k for k in range(4)]
fits = []
for h in halves:
    x = torch.linspace(-h, h, 2000, dtype=torch.float64)
    X = torch.stack([x**0, x, x**2, x**3], dim=1)
    _, b, _, d = torch.linalg.lstsq(X, x.sin().unsqueeze(1)).solution[:, 0]
    fits.append((b.item(), d.item()))
    print(f"h = {h:.4f}: b = {b:.6f}, d = {d:+.6f}")
print(f"Taylor:     b = {1:.6f}, d = {-1 / 6:+.6f}")

fig, (ax_b, ax_d) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
for ax, index, taylor, name in ((ax_b, 0, 1, "b"), (ax_d, 1, -1 / 6, "d")):
    ax.plot(halves, [fit[index] for fit in fits], "o-", label="least squares")
    ax.axhline(taylor, color="gray", linestyle="--", label="Taylor")
    ax.set_xlabel("h")
    ax.set_title(name)
    ax.legend()
plt.show()

# On a short interval only small x matter, and there sin(x) is x − x³/6 up
# to an x⁵/120 that shrinks fast with h: the best cubic then has to be
# nearly the Taylor polynomial. On [-π, π] the x⁵ term and beyond are large
# near the ends, and the least-squares cubic bends its b and d to share
# that error over the whole interval.
