"""Wall-clock time for the bridge lesson's comparison: minibatches against full batches.

    python benchmarks/training_time.py      # run by nox -s bench, after the build figures

examples_nn/real_training.py counts the steps and the samples each way of
training needs to bring the loss on its 1600 training points below 0.01, and
prints no times, which would differ from build to build. This script times
the same three runs: it counts each run's steps the way the lesson does,
then times a fresh run of exactly that many steps without the per-step
measurement of the loss on the whole training set (which only the counting
needs), and prints the median of five, on the CPU with one thread as the
build runs its examples, and on the GPU where there is one.
"""

from __future__ import annotations

import math
import statistics
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

TARGET = 0.01
BATCH = 64
REPEATS = 5


def lesson_data():
    """The lesson's 1600 training points and features, on the CPU."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
    shuffled = torch.randperm(2000, generator=torch.Generator().manual_seed(0))
    return xx[shuffled[400:]], y[shuffled[400:]]


def cubic_model(device):
    start = np.random.default_rng(seed=0).standard_normal(4)
    linear = nn.Linear(3, 1)
    with torch.no_grad():
        linear.bias.copy_(torch.from_numpy(start[:1]))
        linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    return nn.Sequential(linear, nn.Flatten(0, 1)).to(device)


def batches(x_train, y_train, minibatch, device):
    """An endless stream of (x, y) batches: the whole set, or the lesson's shuffled minibatches."""
    if not minibatch:
        x_all, y_all = x_train.to(device), y_train.to(device)
        while True:
            yield x_all, y_all
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=BATCH, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    while True:
        for x_batch, y_batch in loader:
            yield x_batch.to(device), y_batch.to(device)


def run(optimizer_class, lr, minibatch, device, steps=None):
    """Train; with steps=None, count the steps to the target; else take that many and return the seconds."""
    x_train, y_train = lesson_data()
    x_all, y_all = x_train.to(device), y_train.to(device)
    model = cubic_model(device)
    optimizer = optimizer_class(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    stream = batches(x_train, y_train, minibatch, device)
    if device.type != "cpu":
        torch.accelerator.synchronize()
    begin = time.perf_counter()
    taken = 0
    while steps is None or taken < steps:
        x_batch, y_batch = next(stream)
        optimizer.zero_grad()
        loss_fn(model(x_batch), y_batch).backward()
        optimizer.step()
        taken += 1
        if steps is None:
            with torch.no_grad():
                if loss_fn(model(x_all), y_all).item() < TARGET:
                    return taken
    if device.type != "cpu":
        torch.accelerator.synchronize()
    return time.perf_counter() - begin


RUNS = {
    "gradient descent, lr 2e-3": (torch.optim.SGD, 2e-3, False),
    "gradient descent, lr 6e-3": (torch.optim.SGD, 6e-3, False),
    "Adam, batches of 64": (torch.optim.Adam, 1e-3, True),
}


def main() -> None:
    torch.set_num_threads(1)
    devices = [torch.device("cpu")]
    if torch.accelerator.is_available():
        devices.append(torch.accelerator.current_accelerator())
    print(f"\nTime to bring the training loss below {TARGET} (examples_nn/real_training.py; median of {REPEATS})")
    for device in devices:
        for name, (optimizer_class, lr, minibatch) in RUNS.items():
            steps = run(optimizer_class, lr, minibatch, device)
            seconds = statistics.median(run(optimizer_class, lr, minibatch, device, steps) for _ in range(REPEATS))
            print(f"  {device.type:5} {name:26} {steps:5d} steps  {seconds * 1000:8.1f} ms  "
                  f"{seconds / steps * 1e6:7.1f} µs a step")


if __name__ == "__main__":
    main()
