"""
The degree-5 Legendre polynomial
================================

Write ``LegendrePolynomial5``, a ``torch.autograd.Function`` for
P₅(t) = (63t⁵ − 70t³ + 15t)/8, in the current style: a ``forward(t)``
without ``ctx``, a ``setup_context(ctx, inputs, output)`` that saves what
``backward`` needs, and a ``backward(ctx, grad_output)`` that multiplies by
P₅′(t) = (315t⁴ − 210t² + 15)/8. Prove it with
``torch.autograd.gradcheck`` in float64. Every Legendre polynomial has
P(1) = 1: does yours?
"""

import torch


class LegendrePolynomial5(torch.autograd.Function):
    """P5(t) = (63 t^5 - 70 t^3 + 15 t) / 8, with its derivative by hand."""

    @staticmethod
    def forward(t):
        return (63 * t**5 - 70 * t**3 + 15 * t) / 8

    @staticmethod
    def setup_context(ctx, inputs, output):
        (t,) = inputs
        ctx.save_for_backward(t)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * (315 * t**4 - 210 * t**2 + 15) / 8


P5 = LegendrePolynomial5.apply
# gradcheck compares backward with finite differences of forward; it
# needs float64, whose rounding is small enough for that comparison.
t = torch.linspace(-1, 1, 9, dtype=torch.float64, requires_grad=True)
print("gradcheck:", torch.autograd.gradcheck(P5, (t,)))
points = torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0], dtype=torch.float64,
                      requires_grad=True)
P5(points).sum().backward()
print("t:     " + " ".join(f"{v:9.5f}" for v in points.tolist()))
print("P5(t): " + " ".join(f"{v:9.5f}" for v in P5(points).tolist()))
print("P5'(t):" + " ".join(f"{v:9.5f}" for v in points.grad.tolist()))
# Without ctx in forward, torch.func's transforms accept the Function too.
at_half = torch.func.grad(P5)(torch.tensor(0.5, dtype=torch.float64))
print(f"torch.func.grad at 0.5: {at_half.item():.5f}")

# gradcheck passes, P5(1) = 1 and P5(-1) = -1 as for every odd Legendre
# polynomial, and P5'(0) = 15/8. torch.func.grad gives the same slope at
# 0.5 as backward(): it calls setup_context and backward itself, which it
# could not do with the older forward(ctx, t).
