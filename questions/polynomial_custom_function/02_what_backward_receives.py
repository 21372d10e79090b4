"""
A custom ``Function``'s ``backward`` receives ``grad_output``. What is it
when the loss is ``Cube.apply(x).sum()``, and when the loss is
``(5 * Cube.apply(x)).sum()``?

----

``grad_output`` is the derivative of the loss with respect to the
Function's output: ones for a plain sum, fives once the output is scaled
by 5. ``backward`` multiplies it by the local derivative, which is the
chain rule.
"""

import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x**3

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, grad_output):
        print("grad_output:", grad_output)
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


x = torch.tensor([1.0, 2.0], requires_grad=True)
Cube.apply(x).sum().backward()
(5 * Cube.apply(x)).sum().backward()
