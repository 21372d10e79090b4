"""The solutions of the real_training exercises, against the float64 reference of its lesson's test.

The reference (tests/test_examples_real_training.py) trains without torch's
DataLoader, nn or optim, in float64; here it answers for other batch sizes
and other patience, and for the hand-shuffled loop it draws its orders as
the solution does, from torch.randperm alone.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import run_example
from test_examples_real_training import (
    NUMBER,
    START,
    Adam,
    adam_steps_to_target,
    design,
    early_stopping_run,
    loader_orders,
    mean_loss,
    mean_loss_gradient,
    points,
    split,
)


def solution(name: str) -> str:
    return run_example(f"exercises/real_training/{name}.py")


def test_batch_size():
    output = solution("01_batch_size")
    rows = [tuple(map(int, r)) for r in re.findall(r"^batch\s+(\d+):\s+(\d+) steps\s+(\d+) samples$",
                                                     output, re.MULTILINE)]
    assert [r[0] for r in rows] == [16, 64, 256, 1600]
    for size, steps, samples in rows:
        assert samples == size * steps
        assert steps == pytest.approx(adam_steps_to_target(batch=size), rel=0.01), size
    # What the closing comment says: a hundredfold batch changes the steps by about a quarter,
    # and the smallest batch needs the fewest samples.
    steps = [r[1] for r in rows]
    assert 1.1 < max(steps) / min(steps) < 1.5
    assert [r[2] for r in rows] == sorted(r[2] for r in rows)


def test_patience():
    output = solution("02_patience")
    rows = re.findall(rf"^patience\s+(\d+): stops after epoch\s+(\d+), best epoch\s+(\d+), validation loss {NUMBER}$",
                      output, re.MULTILINE)
    assert [int(r[0]) for r in rows] == [5, 20, 80]
    # One reference run with the longest patience; each shorter one stops on its prefix.
    val_losses = early_stopping_run(patience=80)[0]
    stops = {}
    for patience, stopped, best, loss in rows:
        patience = int(patience)
        # The stop is the first epoch whose best epoch (the first lowest so far) lies patience epochs back.
        ref_best = next(int(np.argmin(val_losses[:epoch])) + 1 for epoch in range(1, len(val_losses) + 1)
                        if epoch - (int(np.argmin(val_losses[:epoch])) + 1) == patience)
        assert abs(int(best) - ref_best) <= 5 and int(stopped) == int(best) + patience
        assert float(loss) == pytest.approx(val_losses[ref_best - 1], rel=1e-3)
        stops[patience] = (int(stopped), float(loss))
    # What the closing comment says.
    assert stops[5][0] < stops[20][0] and stops[5][1] > stops[20][1]
    assert 1.7 < stops[80][0] / stops[20][0] < 2.5
    assert 0 < (stops[20][1] - stops[80][1]) / stops[20][1] < 0.01


def hand_shuffled_adam(orders, epochs=10, batch=64):
    x, y = points()
    X = design(x)
    _, train = split()
    w, adam = START.copy(), Adam()
    for _ in range(epochs):
        order = train[next(orders)]
        for first in range(0, len(order), batch):
            rows = order[first:first + batch]
            w = adam.step(w, mean_loss_gradient(w, X[rows], y[rows]))
    return w, mean_loss(w, X[train], y[train])


def randperm_orders(n):
    generator = torch.Generator().manual_seed(0)
    while True:
        yield torch.randperm(n, generator=generator).numpy()


def test_shuffling_by_hand():
    output = solution("03_without_a_dataloader")
    rows = dict((name.strip(), (np.array([float(v) for v in values.split()]), float(loss))) for name, values, loss in
                re.findall(rf"^(with a DataLoader|by hand)\s+((?:[-+]\d+\.\d+ ?){{4}})\s+training loss {NUMBER}$",
                           output, re.MULTILINE))
    assert set(rows) == {"with a DataLoader", "by hand"}
    for name, orders in (("with a DataLoader", loader_orders(1600)), ("by hand", randperm_orders(1600))):
        w, loss = hand_shuffled_adam(orders)
        assert rows[name][0] == pytest.approx(w, abs=1e-5), name
        assert rows[name][1] == pytest.approx(loss, rel=1e-4), name
    # Not the same batches, so not the same weights; close losses all the same.
    assert np.abs(rows["with a DataLoader"][0] - rows["by hand"][0]).max() > 1e-4
    assert rows["by hand"][1] == pytest.approx(rows["with a DataLoader"][1], rel=0.05)
    assert math.isfinite(rows["by hand"][1])
