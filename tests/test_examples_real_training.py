"""The bridge to real training (examples_nn/real_training.py), against a re-run in float64.

The reference below re-implements the lesson's training without torch's
``DataLoader``, ``nn`` or ``optim``: the same split, the batches drawn from
the shuffling generator the way a ``DataLoader`` over a ``TensorDataset``
draws them (each epoch: one int64 for its workers' base seed, the
permutation it uses, and one more permutation its ``RandomSampler`` draws
for an empty remainder), the mean-loss gradient written out, and Adam's
update with torch's defaults (betas 0.9 and 0.999, eps 1e-8, bias
correction), all in float64 numpy. Float32 and float64 runs of the same
steps part by rounding, which shifts the epoch where a flat, wobbling
validation loss reaches its lowest; so the epochs are compared within a
small margin, the losses and coefficients within a tolerance (here the two
runs stop at the same epoch). The
stable limits come from the Hessian written out (2 XᵀX, divided by N for the
mean), the full-batch step counts from gradient descent in numpy.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import run_example

LESSON = "examples_nn/real_training.py"
START = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d
BATCH = 64
TARGET = 0.01
PATIENCE = 20
NUMBER = r"([-+]?\d+\.\d+(?:e[-+]\d+)?)"


def points() -> tuple[np.ndarray, np.ndarray]:
    """The lesson's 2000 points as float64: x as torch's float32 linspace made them."""
    x = torch.linspace(-math.pi, math.pi, 2000).double().numpy()
    return x, np.sin(x)


def design(x: np.ndarray) -> np.ndarray:
    return np.stack([x**k for k in range(4)], axis=1)


def split() -> tuple[np.ndarray, np.ndarray]:
    """Validation and training indices: the lesson's seeded permutation of the 2000 points."""
    shuffled = torch.randperm(2000, generator=torch.Generator().manual_seed(0)).numpy()
    return shuffled[:400], shuffled[400:]


def loader_orders(n: int, seed: int = 0):
    """Each epoch's order of the training points, drawn as a shuffling DataLoader draws it."""
    generator = torch.Generator().manual_seed(seed)
    while True:
        torch.empty((), dtype=torch.int64).random_(generator=generator)
        order = torch.randperm(n, generator=generator).numpy()
        torch.randperm(n, generator=generator)
        yield order


class Adam:
    """torch.optim.Adam's update with its defaults, on one float64 vector."""

    def __init__(self, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8) -> None:
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.m = self.v = 0.0
        self.t = 0

    def step(self, w: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grad
        self.v = self.beta2 * self.v + (1 - self.beta2) * grad**2
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def mean_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((X @ w - y) ** 2))


def mean_loss_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 2 * X.T @ (X @ w - y) / len(y)


def early_stopping_run(patience: int = PATIENCE, batch: int = BATCH, max_epochs: int = 1000):
    """The lesson's loop in float64: per-epoch validation losses, the stop, the best weights."""
    x, y = points()
    X = design(x)
    val, train = split()
    w, adam = START.copy(), Adam()
    val_losses, best_loss, best_epoch, best_w = [], math.inf, 0, w
    orders = loader_orders(len(train))
    for epoch in range(1, max_epochs + 1):
        order = train[next(orders)]
        for first in range(0, len(order), batch):
            rows = order[first:first + batch]
            w = adam.step(w, mean_loss_gradient(w, X[rows], y[rows]))
        val_losses.append(mean_loss(w, X[val], y[val]))
        if val_losses[-1] < best_loss:
            best_loss, best_epoch, best_w = val_losses[-1], epoch, w
        elif epoch - best_epoch == patience:
            break
    return val_losses, epoch, best_epoch, best_w


def adam_steps_to_target(batch: int = BATCH, target: float = TARGET) -> int:
    """Minibatch Adam steps until the mean loss over all training points is below target."""
    x, y = points()
    X = design(x)
    _, train = split()
    w, adam, steps = START.copy(), Adam(), 0
    orders = loader_orders(len(train))
    while True:
        order = train[next(orders)]
        for first in range(0, len(order), batch):
            rows = order[first:first + batch]
            w = adam.step(w, mean_loss_gradient(w, X[rows], y[rows]))
            steps += 1
            if mean_loss(w, X[train], y[train]) < target:
                return steps


def gradient_descent_steps(lr: float, target: float = TARGET) -> int:
    """Full-batch gradient descent steps on the training points' mean loss until it is below target."""
    x, y = points()
    X = design(x)
    _, train = split()
    w, steps = START.copy(), 0
    while mean_loss(w, X[train], y[train]) >= target:
        w = w - lr * mean_loss_gradient(w, X[train], y[train])
        steps += 1
    return steps


@pytest.fixture(scope="module")
def output() -> str:
    return run_example(LESSON)


@pytest.fixture(scope="module")
def reference():
    return early_stopping_run()


def test_split_and_batches(output):
    val, train = split()
    assert len(set(val) | set(train)) == 2000 and not set(val) & set(train)
    assert "training points 1600, validation points 400" in output
    assert f"batches per epoch: {math.ceil(1600 / BATCH)}" in output


def test_the_loaders_orders_are_the_ones_the_reference_draws():
    """The reference's model of the DataLoader's draws, held to a real DataLoader."""
    dataset = torch.utils.data.TensorDataset(torch.arange(1600))
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True,
                                         generator=torch.Generator().manual_seed(0))
    orders = loader_orders(1600)
    for _ in range(3):
        seen = torch.cat([batch for (batch,) in loader]).numpy()
        assert (seen == next(orders)).all()


def test_early_stopping_matches_a_float64_rerun(output, reference):
    val_losses, _stopped, best_epoch, best_w = reference
    match = re.search(rf"^stopped after epoch (\d+): best validation loss {NUMBER} at epoch (\d+)$",
                      output, re.MULTILINE)
    assert match, output
    printed_stop, printed_loss, printed_best = int(match[1]), float(match[2]), int(match[3])
    assert printed_stop == printed_best + PATIENCE
    assert abs(printed_best - best_epoch) <= 5, (printed_best, best_epoch)
    assert printed_loss == pytest.approx(min(val_losses), rel=1e-3)
    # The printed loss is the loss of the restored weights on the validation points, computed here.
    result = re.search(rf"^Result: y = {NUMBER} {NUMBER} x {NUMBER} x\^2 {NUMBER} x\^3$", output, re.MULTILINE)
    printed_w = np.array([float(v) for v in result.groups()])
    x, y = points()
    val, _ = split()
    assert mean_loss(printed_w, design(x)[val], y[val]) == pytest.approx(printed_loss, rel=2e-3)
    assert printed_w == pytest.approx(best_w, abs=2e-4)
    # Near the least-squares cubic of the training points (a = c = 0 for the whole symmetric set).
    _, train = split()
    best_fit = np.linalg.lstsq(design(x)[train], y[train], rcond=None)[0]
    assert printed_w == pytest.approx(best_fit, abs=5e-3)


def test_printed_epochs_follow_the_reference(output, reference):
    val_losses = reference[0]
    rows = re.findall(rf"^epoch\s+(\d+)\s+training loss {NUMBER}\s+validation loss {NUMBER}$", output, re.MULTILINE)
    assert [int(r[0]) for r in rows][:4] == [25, 50, 75, 100]
    for epoch, _train, val in rows:
        if int(epoch) <= len(val_losses):
            assert float(val) == pytest.approx(val_losses[int(epoch) - 1], rel=0.02), epoch


def test_stable_limits_of_the_sum_and_the_mean(output):
    rows = re.findall(r"^\s*(\d+)\s+(\d\.\d+e-\d+)\s+(\d\.\d+e-\d+)$", output, re.MULTILINE)
    assert [int(r[0]) for r in rows] == [500, 1000, 2000, 4000, 8000]
    for n, sum_limit, mean_limit in rows:
        x = np.linspace(-math.pi, math.pi, int(n))
        lam = np.linalg.eigvalsh(2 * design(x).T @ design(x))[-1]
        assert float(sum_limit) == pytest.approx(2 / lam, rel=1e-3)
        assert float(mean_limit) == pytest.approx(2 * int(n) / lam, rel=1e-3)
    means = [float(r[2]) for r in rows]
    assert max(means) / min(means) < 1.02, "the mean's limit does not depend on N"
    assert float(rows[0][1]) / float(rows[-1][1]) == pytest.approx(16, rel=0.02)


def test_steps_and_samples_to_the_target(output):
    rows = {name.strip(): (int(steps), int(samples)) for name, steps, samples in
            re.findall(r"^(gradient descent, lr \de-3|Adam, batches of 64)\s+(\d+) steps\s+(\d+) samples$",
                       output, re.MULTILINE)}
    assert set(rows) == {"gradient descent, lr 2e-3", "gradient descent, lr 6e-3", "Adam, batches of 64"}
    for lr in (2e-3, 6e-3):
        steps, samples = rows[f"gradient descent, lr {lr:.0e}".replace("e-03", "e-3")]
        assert abs(steps - gradient_descent_steps(lr)) <= 1
        assert samples == steps * 1600
    steps, samples = rows["Adam, batches of 64"]
    assert steps == pytest.approx(adam_steps_to_target(), rel=0.01)
    assert samples == steps * BATCH
    assert samples < rows["gradient descent, lr 6e-3"][1] < rows["gradient descent, lr 2e-3"][1]


def test_the_lessons_api_claims():
    """What the lesson says of the APIs it uses, run against the installed torch."""
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    # "Adam ... takes lr = 1e-3 here, the value it uses unless told otherwise."
    assert torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults["lr"] == 1e-3
    # "nn.MSELoss() with its default reduction="mean" averages the squared errors."
    assert nn.MSELoss().reduction == "mean"
    assert nn.MSELoss()(torch.tensor([1.0, 3.0]), torch.zeros(2)).item() == 5.0

    # "it draws a new order at the start of every epoch ... seeding that generator makes
    # every run see the same batches."
    def epochs(seed, count=3):
        loader = DataLoader(TensorDataset(torch.arange(100)), batch_size=BATCH, shuffle=True,
                            generator=torch.Generator().manual_seed(seed))
        return [torch.cat([batch for (batch,) in loader]).tolist() for _ in range(count)]

    first, again = epochs(0), epochs(0)
    assert first == again
    assert first[0] != first[1] != first[2]
    assert all(sorted(order) == list(range(100)) for order in first)
    # "This model has none, so they change nothing here."
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    xx = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    model.train()
    trained = model(xx)
    model.eval()
    assert torch.equal(model(xx), trained)
    assert not any(isinstance(layer, (nn.Dropout, nn.BatchNorm1d)) for layer in model.modules())
