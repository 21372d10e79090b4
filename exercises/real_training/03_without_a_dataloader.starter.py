"""
Shuffling by hand
=================

For a ``TensorDataset`` held in memory, a shuffling ``DataLoader`` does
little more than draw a new order of the training points each epoch and
cut it into batches. Write the lesson's epoch loop without it: draw the
order yourself with ``torch.randperm(len(x_train), generator=...)``, slice
batches of 64 from it, and index the training tensors with each slice.
Train for 10 epochs both ways, from the same start and with generators
seeded alike, and compare the weights and the training losses. Do the two
loops see the same batches?
"""

import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
shuffled = torch.randperm(2000, generator=torch.Generator().manual_seed(0))
x_train, y_train = xx[shuffled[400:]], y[shuffled[400:]]
start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d
loss_fn = nn.MSELoss()


def fresh_model():
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].bias.copy_(torch.from_numpy(start[:1]))
        model[0].weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    return model


def weights(model):
    return torch.cat([model[0].bias, model[0].weight[0]]).detach()


def train(model, batches_of_an_epoch, epochs=10):
    """Adam at lr 1e-3 on the batches that batches_of_an_epoch() yields."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for x_batch, y_batch in batches_of_an_epoch():
            optimizer.zero_grad()
            loss_fn(model(x_batch), y_batch).backward()
            optimizer.step()
    return weights(model)


loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64,
                    shuffle=True, generator=torch.Generator().manual_seed(0))
with_loader = train(fresh_model(), lambda: loader)

generator = torch.Generator().manual_seed(0)


def shuffled_batches(batch_size=64):
    """Yield one epoch's batches: (x_train[batch], y_train[batch]) pairs."""
    raise NotImplementedError(
        "TODO: draw an order with torch.randperm(len(x_train), "
        "generator=generator) and yield the training points in slices "
        "of batch_size from it")


# The same training as with the DataLoader, on the batches you yield.
try:
    by_hand = train(fresh_model(), shuffled_batches)
except NotImplementedError as left_to_write:
    print(left_to_write)
else:
    print("after 10 epochs   a          b          c          d")
    for name, w in (("with a DataLoader", with_loader), ("by hand", by_hand)):
        values = " ".join(f"{v:+.6f}" for v in w.tolist())
        design = torch.cat([torch.ones(len(x_train), 1), x_train], dim=1)
        loss = loss_fn(design @ w, y_train).item()
        print(f"{name:<17} {values}  training loss {loss:.6f}")
