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
        y = self.a + self.b * x + self.c * x**2 + self.d * x**3
        for exponent in (4, 5, 6):
            y = y + self.e * x**exponent  # the same e each time
        return y


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

# Sharing adds no parameter: the module still has five. e.grad is the sum
# of the three uses' contributions: each use is a node of the graph, and
# backward() adds what flows back along every path into the one .grad of
# the one leaf. This is weight sharing, as a recurrent network shares its
# weights across time steps.
