"""
RMSprop with a larger step
==========================

RMSprop's step is about lr whatever the gradient, so a larger learning rate
should get there sooner. Train the lesson's model with RMSprop at
``lr=1e-2`` instead of 1e-3. How fast does the loss fall at first, where
does it end, and how large are the moves of b and d over the last 100
steps? Compare with the lesson's run.
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


# The lesson's training; the losses and the coefficients after each step.
def train(lr, steps=2000):
    linear = nn.Linear(3, 1)
    with torch.no_grad():
        linear.bias.copy_(torch.from_numpy(start[:1]))
        linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    model = nn.Sequential(linear, nn.Flatten(0, 1))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss(reduction="sum")
    losses = torch.empty(steps)
    history = torch.empty(steps, 4)
    for step in range(steps):
        loss = loss_fn(model(xx), y)
        losses[step] = loss.detach()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history[step] = torch.cat([linear.bias, linear.weight[0]]).detach()
    return losses, history


losses, history = train(lr=1e-2)
moves = history[-101:].diff(dim=0).abs().mean(dim=0) / 1e-2
print(f"loss at step 99 {losses[99]:.4f}, at step 999 {losses[999]:.4f}, "
      f"at step 1999 {losses[-1]:.4f}")
print(f"last 100 losses from {losses[-100:].min():.4f} "
      f"to {losses[-100:].max():.4f}")
print(f"last 100 steps, mean move / lr: b {moves[1]:.2f}, d {moves[3]:.2f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.semilogy(losses, label="RMSprop, lr 1e-2")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend()
plt.show()

# Ten times the learning rate brings the loss down to tens within the
# first hundred steps, where the lesson's run was still in the thousands.
# But the steps near the minimum are ten times larger too: b and d still
# jump by about lr every step, now 1e-2, and d multiplies x³, which is
# large at the ends of the interval. The coefficients hover around the
# minimum at ten times the distance, and the loss stays at about twice the
# lesson's last loss. With RMSprop the learning rate sets both how fast it
# travels and how close it can get.
