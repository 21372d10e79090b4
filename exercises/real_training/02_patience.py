"""
How patient?
============

The lesson stops 20 epochs after the validation loss's best. Would a
patience of 5 have stopped too early, and does one of 80 find a better
model? Train once with patience 80 and keep every epoch's validation loss.
Up to the moment it stops, a run with less patience would have trained
exactly the same way, so the same list of losses tells where patience 5
and 20 would have stopped, and with which best loss.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
shuffled = torch.randperm(2000, generator=torch.Generator().manual_seed(0))
validation_index, train_index = shuffled[:400], shuffled[400:]
train_set = TensorDataset(xx[train_index], y[train_index])
x_val, y_val = xx[validation_index], y[validation_index]
start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d

model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
with torch.no_grad():
    model[0].bias.copy_(torch.from_numpy(start[:1]))
    model[0].weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(train_set, batch_size=64, shuffle=True,
                    generator=torch.Generator().manual_seed(0))

# The validation loss of every epoch, until 80 epochs bring no new best.
val_losses = []
while len(val_losses) - int(np.argmin(val_losses or [0])) <= 80:
    model.train()
    for x_batch, y_batch in loader:
        optimizer.zero_grad()
        loss_fn(model(x_batch), y_batch).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_losses.append(loss_fn(model(x_val), y_val).item())


def stop(patience):
    """The epoch a run with this patience stops at, and its best epoch."""
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = epoch
        elif epoch - best == patience:
            return epoch + 1, best + 1
    return len(val_losses), best + 1


for patience in (5, 20, 80):
    stopped, best = stop(patience)
    print(f"patience {patience:2d}: stops after epoch {stopped:3d}, best "
          f"epoch {best:3d}, validation loss {val_losses[best - 1]:.6f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
epochs = np.arange(1, len(val_losses) + 1)
ax.semilogy(epochs, val_losses, label="validation loss")
for patience in (5, 20, 80):
    ax.axvline(stop(patience)[0], linestyle=":", color="gray")
    ax.annotate(f"{patience}", (stop(patience)[0], max(val_losses)))
ax.set_xlabel("epoch")
ax.set_ylabel("validation loss (log scale)")
ax.legend()
plt.show()

# The validation loss wobbles from epoch to epoch, because Adam's steps on
# shuffled batches never settle, so a short patience stops at the first
# few unlucky epochs. Patience 5 stops well before the lesson's run, with a
# slightly higher best loss. Patience 80 trains about twice as long as the
# lesson for a best loss lower by less than one percent: near the end the
# validation loss only wobbles above a floor set by the cubic itself,
# which cannot fit a sine exactly.
