"""
Inside a custom ``Function``'s ``forward``, is autograd recording? What does
``torch.is_grad_enabled()`` print there, and does the result of ``apply``
require gradients?

----

``forward`` runs with autograd switched off: what it computes is not
recorded, since the ``backward`` you wrote stands for it. ``apply`` then
connects its result to the graph, so the result requires gradients.
"""

import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        print("inside forward, grad enabled:", torch.is_grad_enabled())
        return x**3

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


x = torch.tensor(2.0, requires_grad=True)
y = Cube.apply(x)
print("result requires grad:", y.requires_grad)
