"""
Adam instead of RMSprop
=======================

Swap ``torch.optim.RMSprop`` for ``torch.optim.Adam`` in the lesson, with
the same learning rate of 1e-3, and compare the loss after 2000 steps.
Then try Adam with a learning rate of 1e-2. Which run reaches the
least-squares loss, and which part of Adam's update lets it settle where
RMSprop keeps moving?
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d


# The lesson's model and training loop, for any optimizer; the losses.
def train(optimizer_class, lr, steps=2000):
    linear = nn.Linear(3, 1)
    with torch.no_grad():
        linear.bias.copy_(torch.from_numpy(start[:1]))
        linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    model = nn.Sequential(linear, nn.Flatten(0, 1))
    optimizer = optimizer_class(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss(reduction="sum")
    losses = torch.empty(steps)
    for step in range(steps):
        loss = loss_fn(model(xx), y)
        losses[step] = loss.detach()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


x64 = x.double().numpy()
design = np.stack([x64**0, x64, x64**2, x64**3], axis=1)
_, (best_loss,), *_ = np.linalg.lstsq(design, np.sin(x64), rcond=None)
print(f"least-squares loss: {best_loss:.4f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for lr in (1e-3, 1e-2):
    losses = train(torch.optim.Adam, lr)
    print(f"Adam, lr {lr:.0e}: loss at step 999 {losses[999]:9.4f}, "
          f"at step 1999 {losses[-1]:9.4f}")
    ax.semilogy(losses, label=f"Adam, lr {lr:.0e}")
ax.axhline(best_loss, color="gray", linestyle="--", label="least squares")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend()
plt.show()

# Adam divides by the root of a running average of squared gradients, as
# RMSprop does, and also replaces the gradient by a running average of
# the gradients themselves (momentum, 0.9 by default), with both averages
# corrected for starting at zero. That correction makes its first steps
# about lr, not ten times lr as RMSprop's, so at 1e-3 it starts even more
# slowly than the lesson's RMSprop and is still far off after 2000 steps.
# At 1e-2 it gets there, and settles. Near the minimum the gradient's sign
# flips from step to step: Adam's running average of the gradient averages
# these flips away, and its running average of the squared gradient
# forgets slowly (0.999 a step, against RMSprop's 0.99), so Adam's steps
# shrink with the gradients, where RMSprop's stay about lr.
