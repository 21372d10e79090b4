"""The solutions of the Legendre, nn, optim and dynamic_net exercises.

Each solution is run on its own (conftest.run_example) and what it prints is
compared with a computation done here in float64 numpy: closed-form
gradients, gradient descent, Adam and RMSprop written out as recurrences,
least squares and eigenvalues. The solutions train in float32, so losses
are compared to about 1e-3 relative where the path is smooth; near a
minimum that RMSprop or Adam circles, only what does not depend on the
phase of the circling is compared.
"""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import run_example
from test_lessons_nn import (
    CUBIC,
    WARM_UP_START,
    X,
    Y,
    cubic_gradient,
    cubic_loss,
    gradient_descent,
    legendre_gradient,
    legendre_hessian,
    legendre_loss,
    numbers_after,
    p3_prime,
    phi,
    rmsprop,
)

EXERCISES = "exercises"


def solution(lesson: str, name: str) -> str:
    return run_example(f"{EXERCISES}/{lesson}/{name}.py")


def legendre_descent(w, lr=5e-6, steps=2000, derivative_scale=1.0):
    """Gradient descent on a + b P3(c + d x); P3' scaled as a broken backward would."""
    w = np.array(w, dtype=float)
    losses = []
    for _ in range(steps):
        losses.append(legendre_loss(w))
        g = legendre_gradient(w)
        g[2:] *= derivative_scale  # c and d get their gradient through P3'
        w = w - lr * g
    return np.array(losses), w


# --- polynomial_custom_function ------------------------------------------------


def test_custom_function_from_the_warm_up_start():
    output = solution("polynomial_custom_function", "01_from_the_warm_up_coefficients")
    lesson_losses, _ = legendre_descent([0.0, -1.0, 0.0, 0.3])
    losses, w = legendre_descent(WARM_UP_START)
    first, last = numbers_after(output, "lesson's start:")
    assert first == pytest.approx(lesson_losses[0], rel=1e-4)
    assert last == pytest.approx(lesson_losses[-1], rel=1e-3)
    first, last = numbers_after(output, "warm-up start:")
    assert first == pytest.approx(losses[0], rel=1e-4)
    assert last == pytest.approx(losses[-1], rel=1e-3)
    assert last > 40 * lesson_losses[-1]  # "far above the lesson's run"
    np.testing.assert_allclose(numbers_after(output, "weights reached:"), w, atol=2e-4)
    eigenvalues = np.linalg.eigvalsh(legendre_hessian(w))
    printed = numbers_after(output, "Hessian eigenvalues:")
    np.testing.assert_allclose(printed, eigenvalues, rtol=2e-2)
    assert eigenvalues[0] > 0  # a valley: every eigenvalue positive
    (shrink,) = numbers_after(output, "each step shrinks")
    assert shrink == pytest.approx(5e-6 * eigenvalues[0], rel=3e-2)


def test_custom_function_wrong_backward():
    output = solution("polynomial_custom_function", "02_a_wrong_backward")
    assert output.startswith("gradcheck raised GradcheckError: Jacobian mismatch")
    ratios = numbers_after(output, "broken / finite differences:")
    t = np.linspace(-1.5, 1.5, 7)
    broken = 5 * t**2 - 1
    np.testing.assert_allclose(ratios, broken / p3_prime(t), atol=1e-4)
    np.testing.assert_allclose(ratios, 2 / 3, atol=1e-4)
    correct_losses, _ = legendre_descent([0.0, -1.0, 0.0, 0.3])
    broken_losses, _ = legendre_descent([0.0, -1.0, 0.0, 0.3], derivative_scale=2 / 3)
    (correct,) = numbers_after(output, "loss at step 1999, correct backward:")
    (wrong,) = numbers_after(output, "loss at step 1999, broken backward:")
    assert correct == pytest.approx(correct_losses[-1], rel=1e-3)
    assert wrong == pytest.approx(broken_losses[-1], rel=1e-3)
    assert wrong < correct_losses[0] / 10  # it still trains


# --- polynomial_nn -------------------------------------------------------------


def test_custom_function_legendre_five():
    output = solution("polynomial_custom_function", "03_legendre_five")
    assert "gradcheck: True" in output
    p5 = np.polynomial.legendre.Legendre.basis(5)  # independent of the solution's formula
    points = numbers_after(output, "t:")
    np.testing.assert_array_equal(points, [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_allclose(numbers_after(output, "P5(t):"), p5(points), atol=5e-6)
    np.testing.assert_allclose(numbers_after(output, "P5'(t):"), p5.deriv()(points), atol=5e-6)
    (at_half,) = numbers_after(output, "torch.func.grad at 0.5:")
    assert at_half == pytest.approx(p5.deriv()(0.5), abs=5e-6)
    assert p5(1.0) == pytest.approx(1.0) and p5.deriv()(0.0) == pytest.approx(15 / 8)


def test_torch_func_rejects_a_function_whose_forward_takes_ctx():
    """The solution's closing comment, run: the older style is refused by torch.func.grad."""

    class OldStyleCube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t**3

        @staticmethod
        def backward(ctx, grad_output):
            (t,) = ctx.saved_tensors
            return grad_output * 3 * t**2

    with pytest.raises(RuntimeError, match="setup_context"):
        torch.func.grad(OldStyleCube.apply)(torch.tensor(0.5))


def test_nn_sine_dataset():
    output = solution("polynomial_nn", "03_sine_dataset")
    assert output.startswith("2000 points; the first: features ")
    features_and_target = numbers_after(output, "2000 points; the first: features")
    np.testing.assert_allclose(features_and_target, [X[0], X[0] ** 2, X[0] ** 3, Y[0]], atol=5e-5)
    loss, gradient = cubic_loss(WARM_UP_START), cubic_gradient(WARM_UP_START)
    for label in ("loss summed over 4 batches of 500:", "loss of all points at once:"):
        (printed,) = numbers_after(output, label)
        assert printed == pytest.approx(loss, rel=1e-6)
    for label in ("gradients, batches:", "gradients, at once:"):
        np.testing.assert_allclose(numbers_after(output, label), gradient, rtol=1e-5)


def test_nn_scaled_features():
    output = solution("polynomial_nn", "01_scaled_features")
    rows = {}
    for name, scale in (("x  :", 1.0), ("x/π:", 1 / math.pi)):
        s = X * scale
        design = np.stack([s**k for k in range(6)], axis=1)
        eigenvalues = np.linalg.eigvalsh(2 * design.T @ design)
        lr = 1 / eigenvalues[-1]
        w = np.zeros(6)
        for step in range(2000):
            if step == 1999:
                loss = float(np.sum((design @ w - Y) ** 2))
            w = w - lr * 2 * design.T @ (design @ w - Y)
        lam_max, ratio, printed_lr, printed_loss = numbers_after(output, f"powers of {name}")
        assert lam_max == pytest.approx(eigenvalues[-1], rel=1e-3)
        assert ratio == pytest.approx(eigenvalues[-1] / eigenvalues[0], rel=1e-3)
        assert printed_lr == pytest.approx(lr, rel=1e-3)
        assert printed_loss == pytest.approx(loss, rel=1e-3)
        rows[name] = (ratio, printed_loss, w * scale ** np.arange(6))
    assert rows["x  :"][0] / rows["x/π:"][0] == pytest.approx(30, rel=0.1)  # "about thirty times"
    for order in (3, 5):
        design = np.stack([X**k for k in range(order + 1)], axis=1)
        best, (residual,), *_ = np.linalg.lstsq(design, Y, rcond=None)
        (printed,) = numbers_after(output, f"least squares, order {order}:")
        assert printed == pytest.approx(residual, abs=1e-4)
    # The scaled run ends below the best cubic and above the best quintic.
    assert numbers_after(output, "least squares, order 5:")[0] < rows["x/π:"][1]
    assert rows["x/π:"][1] < numbers_after(output, "least squares, order 3:")[0]
    assert rows["x  :"][1] > numbers_after(output, "least squares, order 3:")[0]
    np.testing.assert_allclose(numbers_after(output, "learned, in powers of x:"), rows["x/π:"][2], atol=2e-5)
    np.testing.assert_allclose(numbers_after(output, "least squares:"), best, atol=1e-5)


def test_nn_predict_the_end():
    output = solution("polynomial_nn", "02_predict_the_end")
    eigenvalues = np.linalg.eigvalsh(2 * CUBIC.T @ CUBIC)
    np.testing.assert_allclose(numbers_after(output, "eigenvalues of H:"), eigenvalues, rtol=1e-2)
    kept = numbers_after(output, "share of the error kept:")
    np.testing.assert_allclose(kept[:3], (1 - 1e-6 * eigenvalues[:3]) ** 2000, rtol=2e-2)
    # The layer's own start: torch seeded with 0, weight then bias uniform in ±1/√3.
    bound = 1 / math.sqrt(3)
    generator = torch.Generator().manual_seed(0)
    weight = torch.empty(1, 3).uniform_(-bound, bound, generator=generator)[0].double().numpy()
    bias = torch.empty(1).uniform_(-bound, bound, generator=generator).double().numpy()
    for label, start in (("nn.Linear's own start:", np.concatenate([bias, weight])),
                         ("warm-up's start:", WARM_UP_START)):
        _, w = gradient_descent(start, 1e-6, 2000)
        predicted, trained = numbers_after(output, label)
        assert predicted == pytest.approx(cubic_loss(w), rel=1e-4)
        assert trained == pytest.approx(cubic_loss(w), rel=1e-4)
    own = numbers_after(output, "nn.Linear's own start:")[1]
    warm = numbers_after(output, "warm-up's start:")[1]
    assert warm < own


# --- polynomial_optim ----------------------------------------------------------


def adam(w, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    w = np.array(w, dtype=float)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    losses = []
    for t in range(1, steps + 1):
        losses.append(cubic_loss(w))
        g = cubic_gradient(w)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        w = w - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return np.array(losses)


def test_optim_adam():
    output = solution("polynomial_optim", "01_adam")
    _, (best_loss,), *_ = np.linalg.lstsq(CUBIC, Y, rcond=None)
    assert numbers_after(output, "least-squares loss:")[0] == pytest.approx(best_loss, abs=1e-4)
    slow = adam(WARM_UP_START, 1e-3, 2000)
    at_999, at_1999 = numbers_after(output, "Adam, lr 1e-03:")
    assert at_999 == pytest.approx(slow[999], rel=1e-3)
    assert at_1999 == pytest.approx(slow[1999], rel=1e-2)
    fast = adam(WARM_UP_START, 1e-2, 2000)
    at_999, at_1999 = numbers_after(output, "Adam, lr 1e-02:")
    assert fast[1999] == pytest.approx(best_loss, abs=1e-6)
    assert at_999 == pytest.approx(fast[999], abs=1e-3)
    assert at_1999 == pytest.approx(best_loss, abs=1e-3)
    # RMSprop at the same learning rate ends in between.
    rms_losses, _ = rmsprop(WARM_UP_START, 1e-3, 2000)
    assert best_loss + 0.05 < rms_losses[1999] < slow[1999]


def test_optim_your_own_optimizer():
    output = solution("polynomial_optim", "04_your_own_optimizer")
    losses, _ = gradient_descent(WARM_UP_START, 1e-6, 2000)
    for label in ("PlainSGD:", "torch.optim.SGD:"):
        (printed,) = numbers_after(output, label)  # the loss; "1999" is no decimal
        assert printed == pytest.approx(losses[-1], rel=3e-5)
    assert "the same weights, bit for bit: True" in output


def test_optim_larger_rate():
    output = solution("polynomial_optim", "02_larger_rate")
    losses, path = rmsprop(WARM_UP_START, 1e-2, 2000)
    at_99, at_999, at_1999 = numbers_after(output, "loss at step 99")  # the steps are integers
    assert at_99 == pytest.approx(losses[99], rel=1e-3)
    assert at_999 == pytest.approx(losses[999], rel=5e-2)
    assert at_1999 == pytest.approx(losses[1999], rel=5e-2)
    low, high = numbers_after(output, "last 100 losses from")
    assert low < high
    assert low == pytest.approx(losses[-100:].min(), rel=5e-2)
    assert high == pytest.approx(losses[-100:].max(), rel=5e-2)
    moves = np.abs(np.diff(path[-101:], axis=0)).mean(axis=0) / 1e-2
    b, d = numbers_after(output, "last 100 steps, mean move / lr:")
    assert b == pytest.approx(moves[1], abs=0.05) and d == pytest.approx(moves[3], abs=0.05)
    lesson_losses, _ = rmsprop(WARM_UP_START, 1e-3, 2000)
    assert at_99 < lesson_losses[99] / 100  # faster at first
    assert 1.8 < at_1999 / lesson_losses[1999] < 2.5  # "about twice the lesson's"


def test_optim_decaying_rate():
    output = solution("polynomial_optim", "03_decaying_rate")
    lrs = [1e-3 if step <= 1200 else 1e-3 * 0.99 ** (step - 1200) for step in range(2000)]
    w = WARM_UP_START.copy()
    square_avg = np.zeros(4)
    path = [w]
    for lr in lrs:
        g = cubic_gradient(w)
        square_avg = 0.99 * square_avg + 0.01 * g**2
        w = w - lr * g / (np.sqrt(square_avg) + 1e-8)
        path.append(w)
    path = np.array(path)
    (final_lr,) = numbers_after(output, "final learning rate")
    assert final_lr == pytest.approx(1e-3 * 0.99**800, rel=1e-2)
    _, (best_loss,), *_ = np.linalg.lstsq(CUBIC, Y, rcond=None)
    last, best = numbers_after(output, "loss at step 1999")
    assert best == pytest.approx(best_loss, abs=1e-4)
    assert last == pytest.approx(cubic_loss(path[-2]), abs=0.02)
    assert best_loss < last < best_loss + 0.05  # settled, unlike the lesson's run
    b, d = numbers_after(output, "last 100 steps, mean move / 1e-3:")
    assert b < 0.01 and d < 0.01


# --- dynamic_net ---------------------------------------------------------------


def momentum_sgd(lr, momentum, order=None, steps=2000, limit=1e10):
    """The lesson's training in numpy (e skipped on order-3 steps); the losses until a blow-up."""
    torch.manual_seed(0)
    w = np.array([torch.randn(()).item() for _ in range(5)])
    random.seed(0)
    buffer = None
    losses = []
    for _ in range(steps):
        k = random.randint(3, 5) if order is None else order
        design = phi(k)
        residual = design @ w - Y
        losses.append(float(residual @ residual))
        if not losses[-1] < limit:
            break
        g = 2 * design.T @ residual
        used = np.ones(5, dtype=bool)
        used[4] = k > 3
        if buffer is None:
            buffer = g.copy()
        elif momentum:
            buffer[used] = momentum * buffer[used] + g[used]
        else:
            buffer = g.copy()
        w = w - lr * np.where(used, buffer, 0.0)
    return losses


def test_dynamic_net_no_momentum():
    output = solution("dynamic_net", "01_no_momentum")
    blown = momentum_sgd(1e-7, 0.0)
    loss, first = numbers_after(output, "lr 1e-7, no momentum: loss")
    step = int(re.search(r"^lr 1e-7, no momentum: .* at step (\d+),", output, re.MULTILINE).group(1))
    assert step == len(blown) - 1 and loss > 1e10
    assert loss == pytest.approx(blown[-1], rel=1e-2)
    assert first == pytest.approx(blown[0], rel=1e-4)
    assert step < 60  # "within a few dozen steps"
    slow = momentum_sgd(1e-8, 0.0)
    (at_1999,) = numbers_after(output, "lr 1e-8, no momentum: loss at step 1999")
    assert at_1999 == pytest.approx(slow[1999], rel=1e-3)
    lesson = momentum_sgd(1e-8, 0.9)
    assert at_1999 > 3 * lesson[1999]  # "several times slower"


def test_dynamic_net_past_the_real_limit():
    output = solution("dynamic_net", "02_past_the_real_limit")
    mixed = momentum_sgd(5e-8, 0.9)
    fixed = momentum_sgd(5e-8, 0.9, order=5)
    steps = {name: int(step) for name, step in re.findall(r"^(.+?)\s*: loss .* at step (\d+)$", output, re.MULTILINE)}
    (loss,) = numbers_after(output, "random orders :")
    assert steps["random orders"] == len(mixed) - 1 < 100 and loss > 1e10
    (loss,) = numbers_after(output, "always order 5:")
    assert steps["always order 5"] == 1999 == len(fixed) - 1
    assert loss == pytest.approx(fixed[-1], rel=1e-3)
    # 5e-8 is about half the fixed-order limit 2(1 + μ)/λ.
    lam = np.linalg.eigvalsh(2 * phi(5).T @ phi(5))[-1]
    assert 0.45 < 5e-8 / (2 * 1.9 / lam) < 0.55


def test_dynamic_net_where_it_heads():
    output = solution("dynamic_net", "03_where_it_heads")
    stacked = np.vstack([phi(k) for k in (3, 4, 5)])
    target, *_ = np.linalg.lstsq(stacked, np.concatenate([Y, Y, Y]), rcond=None)
    printed = numbers_after(output, "target:")
    np.testing.assert_allclose(printed, target, atol=1e-6)
    for k in (3, 4, 5):
        (loss,) = numbers_after(output, f"its loss at order {k}:")
        assert loss == pytest.approx(float(np.sum((phi(k) @ target - Y) ** 2)), abs=1e-4)
    eigenvalues, eigenvectors = np.linalg.eigh(2 * stacked.T @ stacked / 3)
    lam, *direction = numbers_after(output, "flattest direction")
    assert lam == pytest.approx(eigenvalues[0], abs=0.1)
    np.testing.assert_allclose(np.abs(direction), np.abs(eigenvectors[:, 0]), atol=1e-3)
    # The lesson's trained weights head there; a is the farthest off.
    lesson = run_example("examples_nn/dynamic_net.py")
    trained = numbers_after(lesson, "Result: y =")[:5]
    gap = np.abs(trained - target)
    assert gap.argmax() == 0 and gap[[1, 3, 4]].max() < 3e-3


def test_dynamic_net_one_weight_three_times():
    output = solution("dynamic_net", "04_one_weight_three_times")
    torch.manual_seed(0)
    a, b, c, d, e = torch.randn(5, dtype=torch.float64).numpy()  # the module's draw
    residual = a + b * X + c * X**2 + d * X**3 + e * (X**4 + X**5 + X**6) - Y
    uses = [2 * np.sum(residual * X**k) for k in (4, 5, 6)]
    assert "parameters: 5" in output
    np.testing.assert_allclose(numbers_after(output, "the three uses:"), uses, rtol=1e-6)
    for label in ("their sum:", "e.grad:"):
        (printed,) = numbers_after(output, label)
        assert printed == pytest.approx(sum(uses), rel=1e-6)
