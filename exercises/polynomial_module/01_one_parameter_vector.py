"""
One parameter for all coefficients
==================================

Rewrite the lesson's module as ``Polynomial(order)``: a single
``nn.Parameter`` holding all ``order + 1`` coefficients, lowest power first,
and a ``forward`` that builds the powers of ``x`` and multiplies them by the
coefficients. Give it a ``string()`` method like the lesson's.

Train ``Polynomial(3)`` from the lesson's start with the lesson's loss and
optimizer. Does it print the lesson's result? How many parameters does
``model.parameters()`` yield now, and how many numbers do they hold?
"""

import math

import numpy as np
import torch
from torch import nn


# y = w₀ + w₁ x + ... + wₙ xⁿ with one learnable vector w.
class Polynomial(nn.Module):
    def __init__(self, start):
        super().__init__()
        self.coefficients = nn.Parameter(
            torch.tensor(start, dtype=torch.float32)
        )
        self.register_buffer("powers", torch.arange(len(start)))

    def forward(self, x):
        # (N, 1) ** (order + 1,) broadcasts to the (N, order + 1) powers.
        return x.unsqueeze(-1).pow(self.powers) @ self.coefficients

    def string(self):
        values = self.coefficients.tolist()
        names = ["", " x"] + [f" x^{k}" for k in range(2, len(values))]
        text = " ".join(f"{v:+.6f}{n}" for v, n in zip(values, names))
        return "y = " + text.removeprefix("+")


if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

start = np.random.default_rng(seed=0).standard_normal(4)
model = Polynomial(start).to(device)
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)

parameters = list(model.parameters())
print(f"{len(parameters)} parameter holding"
      f" {sum(p.numel() for p in parameters)} numbers")

losses = []
for t in range(2000):
    loss = loss_fn(model(x), y)
    losses.append(loss.detach())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(f"loss at step 1999: {torch.stack(losses)[-1]:.4f}")
print(f"Result: {model.string()}")

# The same start, loss and steps give the lesson's numbers, to float32
# precision: how the coefficients are stored does not change the maths.
# The buffer "powers" moves with model.to(device) but is not a parameter,
# so the optimizer leaves it alone.
