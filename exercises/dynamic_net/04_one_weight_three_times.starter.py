"""
One weight, three times
=======================

The lesson's ``DynamicNet`` uses its parameter ``e`` for x⁴ and again for
x⁵. Write the ``forward`` of ``SharedTail``, which uses ``e`` three times:
it returns a + b x + c x² + d x³ + e x⁴ + e x⁵ + e x⁶. After one
``backward()``, what does ``e.grad`` hold: the gradient of one use, or of
all three? Compare it with what each use contributes, 2 Σ (ŷ − y) xᵏ for
k = 4, 5, 6.
"""

import math

import torch
from torch import nn


class SharedTail(nn.Module):
    """a + b x + c x² + d x³ + e x⁴ + e x⁵ + e x⁶: one e, used three times."""

    def __init__(self):
        super().__init__()
        weights = torch.randn(5, dtype=torch.float64)
        self.a, self.b, self.c, self.d, self.e = map(nn.Parameter, weights)

    def forward(self, x):
        # TODO: return a + b x + c x² + d x³ + e x⁴ + e x⁵ + e x⁶, using
        # self.e for each of the last three terms.
        raise NotImplementedError(
            "TODO: write forward(x), with self.e for x⁴, x⁵ and x⁶"
        )


try:
    torch.manual_seed(0)
    model = SharedTail()
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
    y = torch.sin(x)
    residual = model(x) - y
    residual.pow(2).sum().backward()
    print(f"parameters: {len(list(model.parameters()))}")

    # Each use of e contributes 2 Σ residual · x^k to its gradient.
    uses = [2 * (residual.detach() * x**k).sum().item() for k in (4, 5, 6)]
    print("the three uses: " + ", ".join(f"{g:.6e}" for g in uses))
    print(f"their sum:      {sum(uses):.6e}")
    print(f"e.grad:         {model.e.grad.item():.6e}")
except NotImplementedError as left_to_write:
    print(left_to_write)
