"""
PyTorch: optim
==============

Let ``torch.optim`` update the weights, here with RMSprop. Updating the
weights by hand under ``torch.no_grad()`` is fine for plain
gradient descent, but optimizers such as AdaGrad, RMSProp or Adam keep state
for every parameter. ``torch.optim`` implements them, and this example fits
the same ``nn`` model as before with one of them.
"""

# %%
# The model, as before
# --------------------

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

p = torch.tensor([1, 2, 3], device=device)
xx = x.unsqueeze(-1).pow(p)

model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1)).to(device)
loss_fn = nn.MSELoss(reduction="sum")

# %%
# Training with an optimizer
# --------------------------
#
# The optimizer is given the parameters it updates and a learning rate.
# RMSprop divides each step by a running average of the gradient's
# magnitude, so it tolerates a learning rate of 1e-3 where plain gradient
# descent on this loss needed 1e-6. Each step is three calls:
# ``zero_grad()``, ``backward()`` and ``step()``.

optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
losses = []
for t in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss.item():.4f}")

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

linear_layer = model[0]
bias = linear_layer.bias.item()
w1, w2, w3 = linear_layer.weight[0].tolist()
print(f"Result: y = {bias:.6f} {w1:+.6f} x {w2:+.6f} x^2 {w3:+.6f} x^3")

# %%
# How good can a cubic be?
# ------------------------

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = model(xx).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned cubic")
ax_fit.plot(x_np, np.polynomial.polynomial.polyval(x_np, best), "--", label="least-squares cubic")
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()
