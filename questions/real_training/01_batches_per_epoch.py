"""
A ``DataLoader`` with ``batch_size=64`` goes over 1000 points. How many
batches does one epoch give, and how many points does the last one hold?
How many batches with ``drop_last=True``?

----

Sixteen: fifteen full batches of 64 make 960 points, and the 40 left over
form a smaller last batch, so every point is seen once an epoch.
``drop_last=True`` leaves those 40 out and gives fifteen. The lesson's 1600
training points are exactly 25 batches of 64, so it has no short batch.
"""

import torch
from torch.utils.data import DataLoader, TensorDataset

points = TensorDataset(torch.arange(1000.0))
for drop_last in (False, True):
    loader = DataLoader(points, batch_size=64, drop_last=drop_last)
    sizes = [len(batch) for (batch,) in loader]
    print(f"drop_last={drop_last}: {len(sizes)} batches, "
          f"the last holds {sizes[-1]}")
