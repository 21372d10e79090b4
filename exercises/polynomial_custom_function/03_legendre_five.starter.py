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
        # TODO: return P5(t).
        raise NotImplementedError("TODO: write forward(t), returning P5(t)")

    @staticmethod
    def setup_context(ctx, inputs, output):
        # TODO: save the input that backward needs.
        raise NotImplementedError("TODO: write setup_context(), saving t")

    @staticmethod
    def backward(ctx, grad_output):
        # TODO: return grad_output times P5'(t).
        raise NotImplementedError(
            "TODO: write backward(), returning grad_output * P5'(t)"
        )


P5 = LegendrePolynomial5.apply
try:
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
except NotImplementedError as left_to_write:
    print(left_to_write)
