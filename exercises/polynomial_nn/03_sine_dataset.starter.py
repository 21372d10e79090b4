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
        # TODO: keep the powers x, x², x³ of n points from -π to π as
        # self.features (n × 3) and their sines as self.targets.
        raise NotImplementedError(
            "TODO: write __init__(), __len__() and __getitem__() of SinePoints"
        )

    def __len__(self):
        raise NotImplementedError("TODO: write __len__()")

    def __getitem__(self, i):
        raise NotImplementedError(
            "TODO: write __getitem__(i), returning (features, target)"
        )


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


try:
    dataset = SinePoints()
    features, target = dataset[0]
    print(f"{len(dataset)} points; the first: features "
          + " ".join(f"{v:.4f}" for v in features.tolist())
          + f", target {target.item():.4f}")
except NotImplementedError as left_to_write:
    print(left_to_write)
else:

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
