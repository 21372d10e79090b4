"""
Let the step shrink
===================

The lesson's RMSprop reaches the neighbourhood of the minimum after about
1200 steps and then keeps moving b and d by about lr a step. Keep the
learning rate at 1e-3 for the first 1200 steps, then multiply it by 0.99
after every step with ``torch.optim.lr_scheduler.ExponentialLR``. How close
to the least-squares loss does the run end, and how large are the last
moves of b and d now?
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

linear = nn.Linear(3, 1)
with torch.no_grad():
    linear.bias.copy_(torch.from_numpy(start[:1]))
    linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
model = nn.Sequential(linear, nn.Flatten(0, 1))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
# The scheduler multiplies the learning rate by gamma each time its step()
# is called; we call it only from step 1200 on.
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.99)
loss_fn = nn.MSELoss(reduction="sum")

steps = 2000
losses = torch.empty(steps)
history = torch.empty(steps, 4)
for step in range(steps):
    loss = loss_fn(model(xx), y)
    losses[step] = loss.detach()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step >= 1200:
        scheduler.step()
    history[step] = torch.cat([linear.bias, linear.weight[0]]).detach()

x64 = x.double().numpy()
design = np.stack([x64**0, x64, x64**2, x64**3], axis=1)
_, (best_loss,), *_ = np.linalg.lstsq(design, np.sin(x64), rcond=None)
moves = history[-101:].diff(dim=0).abs().mean(dim=0) / 1e-3
print(f"final learning rate {scheduler.get_last_lr()[0]:.2e}")
print(f"loss at step 1999 {losses[-1]:.4f}, least squares {best_loss:.4f}")
print(f"last 100 steps, mean move / 1e-3: b {moves[1]:.4f}, "
      f"d {moves[3]:.4f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.semilogy(losses, label="RMSprop, lr decaying after step 1200")
ax.axhline(best_loss, color="gray", linestyle="--", label="least squares")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend()
plt.show()

# Once the learning rate shrinks, so do RMSprop's steps, since they are
# about lr long: b and d stop jumping across the minimum and settle, and
# the loss comes down close to the least-squares loss. Letting the
# learning rate fall once the optimizer has arrived is the usual cure for
# an optimizer that scales its steps to a fixed size.
