"""
A Dataset for the sine points
=============================

Real training loops read their data through a ``Dataset``. Write
``SinePoints``, a ``torch.utils.data.Dataset`` whose item ``i`` is a pair:
the powers x, x², x³ of the lesson's ``i``-th point, and its sin. It needs
an ``__init__`` that computes them, ``__len__`` and ``__getitem__``. Read it
with a ``DataLoader`` in batches of 500, in order, and at the lesson's start
call ``backward()`` on each batch's loss. Do the batches' losses and the
gradients they add up give what the whole set gives at once?
"""

import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class SinePoints(Dataset):
    """The lesson's points: item i is (x_i, x_i², x_i³) and sin(x_i)."""

    def __init__(self, n=2000):
        x = torch.linspace(-math.pi, math.pi, n)
        self.features = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
        self.targets = torch.sin(x)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        return self.features[i], self.targets[i]


def the_lessons_model():
    """The lesson's model at the lesson's start."""
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d
    with torch.no_grad():
        model[0].bias.copy_(torch.from_numpy(start[:1]))
        model[0].weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    return model


def gradients(model):
    """The bias's and the three weights' gradients, in one tensor."""
    return torch.cat([model[0].bias.grad, model[0].weight.grad[0]])


dataset = SinePoints()
features, target = dataset[0]
print(f"{len(dataset)} points; the first: features "
      + " ".join(f"{v:.4f}" for v in features.tolist())
      + f", target {target.item():.4f}")

loss_fn = nn.MSELoss(reduction="sum")
model = the_lessons_model()
batched_loss = 0.0
for features, target in DataLoader(dataset, batch_size=500):
    loss = loss_fn(model(features), target)
    loss.backward()  # adds this batch's gradients to .grad
    batched_loss += loss.item()
batched = gradients(model)

model.zero_grad()
loss = loss_fn(model(dataset.features), dataset.targets)
loss.backward()
print(f"loss summed over 4 batches of 500: {batched_loss:.4f}")
print(f"loss of all points at once:        {loss.item():.4f}")
print("gradients, batches: " + " ".join(f"{g:.4f}" for g in batched))
print("gradients, at once: "
      + " ".join(f"{g:.4f}" for g in gradients(model)))

# The loss is a sum over points, so the batches' losses add up to it, and
# backward() adds each batch's gradients to .grad: after the four batches
# .grad holds the gradient of the whole sum, up to float32's rounding. That
# is why the lesson resets the gradients before each step, and why a loop
# over minibatches takes its optimizer step after each batch's backward().
