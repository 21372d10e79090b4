"""
Smaller and larger batches
==========================

Adam's steps are about ``lr`` long whatever the batch size, so the number of
steps it needs to cover a given distance should depend far less on the
batch than the work each step does. Test that: train the lesson's model
with Adam at lr 1e-3 on batches of 16, 64, 256 and all 1600 training
points, and count the steps and the samples it takes to bring the loss on
the whole training set below 0.01. Which batch size needs the fewest
samples?
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
train_index = shuffled[400:]
x_train, y_train = xx[train_index], y[train_index]
train_set = TensorDataset(x_train, y_train)
start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d
loss_fn = nn.MSELoss()
target = 0.01


def steps_to_target(batch_size):
    """Adam steps on shuffled batches until the training loss is below 0.01."""
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].bias.copy_(torch.from_numpy(start[:1]))
        model[0].weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    steps = 0
    while True:
        for x_batch, y_batch in loader:
            optimizer.zero_grad()
            loss_fn(model(x_batch), y_batch).backward()
            optimizer.step()
            steps += 1
            with torch.no_grad():
                if loss_fn(model(x_train), y_train).item() < target:
                    return steps


sizes = [16, 64, 256, 1600]
steps = [steps_to_target(size) for size in sizes]
for size, count in zip(sizes, steps):
    print(f"batch {size:4d}: {count:5d} steps {count * size:8d} samples")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.loglog(sizes, [count * size for size, count in zip(sizes, steps)], "o-")
ax.set_xlabel("batch size (log scale)")
ax.set_ylabel("samples to reach the target (log scale)")
plt.show()

# A batch a hundred times larger changes the number of steps by about a
# quarter: Adam divides by the root of the squared gradients' running
# average, so its steps are about lr long whether a batch's gradient is
# noisy or exact, and the noise of small batches costs only some extra
# steps. The samples therefore grow almost in proportion to the batch, and
# the smallest batch needs the fewest. That does not make the smallest
# batch the fastest: each step has a cost of its own (a call to the
# optimizer, a batch from the DataLoader, a kernel launch on a GPU), which
# a larger batch shares among more samples.
