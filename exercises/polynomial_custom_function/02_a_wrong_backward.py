"""
A wrong backward
================

Make a mistake on purpose: in ``backward``, drop the factor 1.5, so that it
returns ``grad_output * (5 * t**2 - 1)``. Run ``gradcheck`` on the broken
function as the lesson does, catching the ``GradcheckError`` it raises
(``from torch.autograd.gradcheck import GradcheckError``), and compare the
broken derivative with central finite differences of P₃. By what factor is
it off?

Then train the lesson's model with the broken function. Does the loss
still fall? Would you have noticed the bug without ``gradcheck``?
"""

import math

import torch
from torch.autograd.gradcheck import GradcheckError


def p3(t):
    return 0.5 * (5 * t**3 - 3 * t)


# The lesson's Function with the factor 1.5 left out of backward.
class BrokenP3(torch.autograd.Function):
    @staticmethod
    def forward(t):
        return p3(t)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * (5 * t**2 - 1)


points = torch.linspace(-1.5, 1.5, 7, dtype=torch.float64)
points.requires_grad_()
try:
    torch.autograd.gradcheck(BrokenP3.apply, (points,))
    print("gradcheck passed")
except GradcheckError as error:
    print(f"gradcheck raised {type(error).__name__}: "
          f"{str(error).splitlines()[0].rstrip(',')}")

# The derivative backward returns, against central finite differences.
(broken,) = torch.autograd.grad(BrokenP3.apply(points).sum(), points)
h = 1e-6
with torch.no_grad():
    numeric = (p3(points + h) - p3(points - h)) / (2 * h)
print("broken / finite differences: "
      + " ".join(f"{r:.4f}" for r in (broken / numeric).tolist()))

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)


# The lesson's training with the given P3; the last loss. For the correct
# derivative, autograd differentiating p3 itself stands in for the lesson's
# LegendrePolynomial3, whose backward computes the same.
def last_loss(P3, learning_rate=5e-6, steps=2000):
    start = (0.0, -1.0, 0.0, 0.3)
    weights = [torch.tensor(v, requires_grad=True) for v in start]
    a, b, c, d = weights
    for _ in range(steps):
        loss = (a + b * P3(c + d * x) - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for weight in weights:
                weight -= learning_rate * weight.grad
                weight.grad = None
    return loss.item()


print(f"loss at step 1999, correct backward: "
      f"{last_loss(p3):.4f}")
print(f"loss at step 1999, broken backward:  {last_loss(BrokenP3.apply):.4f}")

# The broken backward returns two thirds of the true derivative at every
# point. Only the gradients of c and d pass through P3's backward, and
# scaling them by 2/3 still points downhill, so training with the broken
# function still lowers the loss, here to practically the same value as the
# correct one: nothing in the printed losses gives the bug away. gradcheck
# does, at once.
