"""The exercises of the four lessons of one story, checked against numpy.

polynomial_numpy, polynomial_tensor, polynomial_autograd and polynomial_module
each end with exercises whose solutions the build runs (exercises/<lesson>/).
Each solution runs here on its own, and what it prints is compared with an
independent float64 computation: eigenvalues from ``numpy.linalg.eigvalsh``,
fits from ``numpy.linalg.lstsq``, gradient descent re-run with matrix products
or in closed form in the Hessian's eigenbasis.

Tolerances for solutions that train in float32 are those of test_examples.py
(LOSS_RELATIVE_FLOAT32, COEFFICIENT_FLOAT32), where they are derived.
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import ROOT, run_example
from test_examples import (
    COEFFICIENT_FLOAT32,
    CUBIC_RESULT,
    DESIGN,
    LOSS_RELATIVE_FLOAT32,
    STORY_EXAMPLES,
    STORY_LR,
    STORY_START,
    X,
    Y,
    least_squares_cubic,
    story_rerun,
)

LESSONS = ["polynomial_numpy", "polynomial_tensor", "polynomial_autograd", "polynomial_module"]
STARTER = ".starter.py"  # what the reader of a write-it exercise starts from (pwe_sphinx.directives.exercises)
EXERCISES = sorted(str(p.relative_to(ROOT)) for lesson in LESSONS for p in (ROOT / "exercises" / lesson).glob("*.py")
                   if not p.name.endswith(STARTER))
STARTERS = sorted(str(p.relative_to(ROOT)) for lesson in LESSONS
                  for p in (ROOT / "exercises" / lesson).glob(f"*{STARTER}"))
N = len(X)


def number(pattern: str, output: str) -> float:
    match = re.search(pattern, output, re.MULTILINE)
    assert match, f"no line matching {pattern!r} in:\n{output}"
    return float(match.group(1))


def hessian(columns: int = 4) -> np.ndarray:
    design = np.stack([X**k for k in range(columns)], axis=1)
    return 2 * design.T @ design


def losses_closed_form(w0: np.ndarray, lr: float, steps: int, columns: int = 4) -> np.ndarray:
    """The loss before each of ``steps`` gradient descent steps, from the eigenbasis.

    w_t - w* = V diag((1 - lr λ)^t) Vᵀ (w0 - w*); loss_t = best + (w_t - w*)ᵀ (H / 2) (w_t - w*).
    """
    design = np.stack([X**k for k in range(columns)], axis=1)
    best, residual, *_ = np.linalg.lstsq(design, Y, rcond=None)
    eigenvalues, vectors = np.linalg.eigh(2 * design.T @ design)
    start = vectors.T @ (w0 - best)  # the starting error in the eigenbasis
    factors = (1 - lr * eigenvalues)[None, :] ** np.arange(steps)[:, None]
    return residual[0] + ((factors * start) ** 2 * eigenvalues / 2).sum(axis=1)


# --- every exercise of these lessons ---------------------------------------------------


def test_each_lesson_has_two_to_four_exercises_one_with_a_starter():
    for lesson in LESSONS:
        count = sum(1 for relative in EXERCISES if relative.startswith(f"exercises/{lesson}/"))
        assert 2 <= count <= 4, f"{lesson}: {count} exercises"
        assert any(s.startswith(f"exercises/{lesson}/") for s in STARTERS), f"{lesson}: no write-it exercise"


@pytest.mark.parametrize("relative", EXERCISES)
def test_exercise_is_well_formed_and_runs(relative):
    source = (ROOT / relative).read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source), clean=True)
    title, underline, *task = docstring.splitlines()
    assert underline == "=" * len(title) and "".join(task).strip(), relative
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.py", relative.rsplit("/", 1)[-1])
    assert "except Exception" not in source
    output = run_example(relative)
    assert output.strip(), f"{relative} prints nothing"
    assert "-0.000000" not in output


@pytest.mark.parametrize("relative", EXERCISES + STARTERS + STORY_EXAMPLES)
def test_code_lines_fit_the_page(relative):
    long = [n for n, line in enumerate((ROOT / relative).read_text(encoding="utf-8").splitlines(), 1) if len(line) > 79]
    assert not long, f"{relative}: lines longer than 79 characters: {long}"


# --- polynomial_numpy ------------------------------------------------------------------


def test_numpy_past_the_limit_finds_two_over_lambda_max():
    output = run_example("exercises/polynomial_numpy/01_past_the_limit.py")
    limit = 2 / np.linalg.eigvalsh(hessian())[-1]
    found = number(r"^largest stable learning rate \(bisection\): (\S+)$", output)
    assert number(r"^2 / λ_max: +(\S+)$", output) == pytest.approx(limit, rel=2e-4)
    # The solution's criterion, "the loss at step 1999 is below the first", solved
    # independently: the closed-form loss is monotonic in lr near the limit, so bisect it.
    low, high = limit * 0.99, limit * 1.01
    first = losses_closed_form(STORY_START, 0.0, 1)[0]
    for _ in range(60):
        middle = (low + high) / 2
        if losses_closed_form(STORY_START, middle, 2000)[-1] < first:
            low = middle
        else:
            high = middle
    assert low > limit  # a finite run tolerates a hair more than 2 / λ_max
    assert found == pytest.approx(low, rel=3e-4)
    assert number(r"^ratio: (\S+)$", output) == pytest.approx(low / limit, abs=3e-4)


def test_numpy_mean_loss_has_an_n_times_larger_limit():
    output = run_example("exercises/polynomial_numpy/02_mean_instead_of_sum.py")
    lam = np.linalg.eigvalsh(hessian())[-1]
    assert number(r"^limit for the sum: +(\S+)$", output) == pytest.approx(2 / lam, rel=2e-4)
    assert number(r"^limit for the mean: (\S+),", output) == pytest.approx(2 * N / lam, rel=2e-4)
    assert re.search(rf"^limit for the mean: \S+, {N} times larger$", output, re.MULTILINE)
    start_loss = np.square(DESIGN @ STORY_START - Y).mean()
    assert number(r"^mean loss at the start: +(\S+)$", output) == pytest.approx(start_loss, abs=5e-5)
    # Gradient descent on the mean with lr is gradient descent on the sum with lr / N.
    slow = losses_closed_form(STORY_START, STORY_LR / N, 2000)[-1] / N
    assert number(r"^at step 1999 with lr = 1e-6: +(\S+)$", output) == pytest.approx(slow, abs=5e-5)
    same = losses_closed_form(STORY_START, STORY_LR, 2000)[-1]
    assert number(r"^at step 1999 with lr = 0.002: (\S+)$", output) == pytest.approx(same / N, abs=5e-7)
    assert number(r"^times N, the lesson's loss: +(\S+)$", output) == pytest.approx(same, abs=5e-5)


def test_numpy_autograd_checks_the_hand_gradients():
    output = run_example("exercises/polynomial_numpy/03_check_the_gradients.py")
    gradient = 2 * DESIGN.T @ (DESIGN @ STORY_START - Y)  # the Hessian's form, not the lesson's four sums
    for label in ("by hand:", "by autograd:"):
        printed = [float(v) for v in re.search(rf"^{label} +(.*)$", output, re.MULTILINE).group(1).split()]
        np.testing.assert_allclose(printed, gradient, atol=5e-5)
    assert number(r"^largest relative difference: (\S+)$", output) < 1e-13


# --- polynomial_tensor -----------------------------------------------------------------


def test_tensor_steps_to_within_one_percent():
    output = run_example("exercises/polynomial_tensor/01_within_one_percent.py")
    _, best_loss = least_squares_cubic()
    eigenvalues = np.linalg.eigvalsh(hessian())
    assert number(r"^least-squares loss (\S+),", output) == pytest.approx(best_loss, abs=5e-5)
    assert number(r"^λ_max / λ_min = (\S+)$", output) == pytest.approx(eigenvalues[-1] / eigenvalues[0], abs=0.05)
    rows = re.findall(r"^lr = (\S+): +(\d+) steps, lr × steps = (\S+)$", output, re.MULTILINE)
    assert [lr for lr, *_ in rows] == ["1e-06", "2e-06", "3e-06", "3.5e-06"]
    for lr, steps, product in rows:
        losses = losses_closed_form(STORY_START, float(lr), 2500)
        expected = int(np.argmax(losses <= 1.01 * best_loss))
        # float32 may cross the threshold one step earlier or later.
        assert abs(int(steps) - expected) <= 1, (lr, steps, expected)
        assert float(product) == pytest.approx(float(lr) * int(steps), rel=5e-3)


def gradient_descent64(w0: np.ndarray, lr: float = STORY_LR, steps: int = 2000) -> tuple[float, np.ndarray]:
    """The loss of the last step and the final weights, iterating in float64."""
    w = np.array(w0, dtype=float)
    for _ in range(steps):
        residual = DESIGN @ w - Y
        loss = residual @ residual
        w = w - lr * 2 * DESIGN.T @ residual
    return loss, w


def test_tensor_start_from_zeros():
    output = run_example("exercises/polynomial_tensor/02_start_from_zeros.py")
    _, best_loss = least_squares_cubic()
    assert number(r"^least-squares loss: +(\S+)$", output) == pytest.approx(best_loss, abs=5e-5)
    lesson_loss, _ = gradient_descent64(STORY_START)
    zeros_loss, w = gradient_descent64(np.zeros(4))
    tolerance = 1e-4 + LOSS_RELATIVE_FLOAT32 * zeros_loss
    assert number(r"^from the lesson's start, step 1999: (\S+)$", output) == pytest.approx(lesson_loss, abs=tolerance)
    assert number(r"^from zeros, step 1999: +(\S+)$", output) == pytest.approx(zeros_loss, abs=tolerance)
    b, d = (float(v) for v in re.search(r"^from zeros: b = (\S+), d = (\S+)$", output, re.MULTILINE).groups())
    assert b == pytest.approx(w[1], abs=5e-7 + COEFFICIENT_FLOAT32)
    assert d == pytest.approx(w[3], abs=5e-7 + COEFFICIENT_FLOAT32)
    # In float64 a and c stay at zero up to rounding; the solution prints them as zero.
    assert abs(w[0]) < 1e-12 and abs(w[2]) < 1e-12
    assert "from zeros: |a| = 0.000000, |c| = 0.000000" in output
    assert zeros_loss < lesson_loss


def test_tensor_float32_and_float64_agree():
    output = run_example("exercises/polynomial_tensor/03_float32_or_float64.py")
    _, w64 = story_rerun()
    for name, tolerance in (("float32", COEFFICIENT_FLOAT32), ("float64", 1e-9)):
        line = re.search(rf"^{name}: (y = .*)$", output, re.MULTILINE).group(1)
        printed = np.array([float(v) for v in CUBIC_RESULT.search(f"Result: {line}").groups()])
        assert np.all(np.abs(printed - w64) <= 5e-7 + tolerance), (name, printed, w64)
    # The float32 run differs from float64 by float32 rounding: more than float64's
    # (1e-16), less than the bounds derived in test_examples.py.
    relative = number(r"^largest relative difference between the losses: (\S+)$", output)
    assert 1e-8 < relative <= LOSS_RELATIVE_FLOAT32
    assert number(r"^largest difference between the coefficients: (\S+)$", output) <= COEFFICIENT_FLOAT32


def test_tensor_matrix_products_print_the_lesson():
    output = run_example("exercises/polynomial_tensor/04_matrix_products.py")
    loss, w = gradient_descent64(STORY_START)
    assert number(r"^loss at step 1999: (\S+)$", output) == pytest.approx(loss, abs=1e-4 + LOSS_RELATIVE_FLOAT32 * loss)
    printed = np.array([float(v) for v in CUBIC_RESULT.search(output).groups()])
    assert np.all(np.abs(printed - w) <= 5e-7 + COEFFICIENT_FLOAT32)
    # "Does it print the lesson's result?": the very line.
    lesson = run_example("examples_tensor/polynomial_tensor.py")
    assert CUBIC_RESULT.search(output).group(0) == CUBIC_RESULT.search(lesson).group(0)


# --- polynomial_autograd ---------------------------------------------------------------


def test_autograd_forgetting_the_reset_never_settles():
    output = run_example("exercises/polynomial_autograd/01_forget_to_reset.py")
    rows = re.findall(r"^ *(\d+) +(\S+) +(\S+)$", output, re.MULTILINE)
    assert [int(t) for t, *_ in rows] == list(range(199, 2000, 200))
    with_reset, _ = story_rerun()
    # Without the reset, .grad is the running sum of all gradients: re-run that in float64.
    w, accumulated, without_reset = STORY_START.copy(), np.zeros(4), []
    for _ in range(2000):
        residual = DESIGN @ w - Y
        without_reset.append(residual @ residual)
        accumulated += 2 * DESIGN.T @ residual
        w = w - STORY_LR * accumulated
    for t, good, bad in rows:
        t = int(t)
        assert float(good) == pytest.approx(with_reset[t], abs=1e-4 + LOSS_RELATIVE_FLOAT32 * with_reset[t])
        # No contraction here (the iteration only rotates the error), so float32
        # rounding adds up over the steps instead of dying out: a looser bound.
        assert float(bad) == pytest.approx(without_reset[t], rel=1e-3)
    assert max(without_reset[1000:]) > 1000 * with_reset[-1]


def test_autograd_order_five():
    output = run_example("exercises/polynomial_autograd/02_order_five.py")
    for order in (3, 5):
        eigenvalues = np.linalg.eigvalsh(hessian(order + 1))
        lam, limit, ratio = re.search(
            rf"^order {order}: largest eigenvalue (\S+), limit 2 / λ = (\S+), λ_max / λ_min = (\S+)$",
            output, re.MULTILINE,
        ).groups()
        assert float(lam) == pytest.approx(eigenvalues[-1], rel=1e-3)
        assert float(limit) == pytest.approx(2 / eigenvalues[-1], rel=2e-3)
        assert float(ratio) == pytest.approx(eigenvalues[-1] / eigenvalues[0], rel=2e-3)
        design = np.stack([X**k for k in range(order + 1)], axis=1)
        _, residual, *_ = np.linalg.lstsq(design, Y, rcond=None)
        printed = number(rf"^least squares, order {order}: loss (\S+)$", output)
        assert printed == pytest.approx(residual[0], abs=5e-5)
    lr = 0.9 * 2 / np.linalg.eigvalsh(hessian(6))[-1]
    start = np.concatenate([STORY_START, np.zeros(2)])
    expected = losses_closed_form(start, lr, 2000, columns=6)[-1]
    printed = number(r"^gradient descent, order 5, lr = \S+: loss at step 1999 (\S+)$", output)
    # float32 with x⁵ up to 306 and a condition number of 6e4: allow 1e-3.
    assert printed == pytest.approx(expected, rel=1e-3)
    _, best_cubic = least_squares_cubic()
    assert printed > best_cubic  # worse than the lesson's cubic, as the solution says


def test_autograd_no_grad_loop_is_the_data_loop():
    output = run_example("exercises/polynomial_autograd/03_from_data_to_no_grad.py")
    loss, _ = gradient_descent64(STORY_START)
    for way in ("old", "new"):
        printed = number(rf"^{way} way: loss at step 1999 (\S+)$", output)
        assert printed == pytest.approx(loss, abs=1e-4 + LOSS_RELATIVE_FLOAT32 * loss)
    assert "the same weights, bit for bit: True" in output


def test_an_update_through_data_is_silent_where_no_grad_raises():
    """The solution's closing comment, run: backward uses a .data-changed saved tensor without a word."""
    a, w = torch.tensor(2.0, requires_grad=True), torch.tensor(3.0, requires_grad=True)
    product = a * w  # saves w for a's gradient
    w.data -= 1.0
    product.backward()
    assert a.grad.item() == 2.0  # the new w, silently
    product = a * w
    with torch.no_grad():
        w -= 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        product.backward()


# --- polynomial_module -----------------------------------------------------------------


def test_module_one_parameter_vector_prints_the_lesson():
    output = run_example("exercises/polynomial_module/01_one_parameter_vector.py")
    assert "1 parameter holding 4 numbers" in output
    losses, w64 = story_rerun()
    assert number(r"^loss at step 1999: (\S+)$", output) == pytest.approx(
        losses[-1], abs=5e-5 + LOSS_RELATIVE_FLOAT32 * losses[-1]
    )
    printed = np.array([float(v) for v in CUBIC_RESULT.search(output).groups()])
    assert np.all(np.abs(printed - w64) <= 5e-7 + COEFFICIENT_FLOAT32)


def test_module_closer_to_taylor():
    output = run_example("exercises/polynomial_module/02_closer_to_taylor.py")
    rows = re.findall(r"^h = (\S+): b = (\S+), d = (\S+)$", output, re.MULTILINE)
    assert len(rows) == 4
    previous = None
    for k, (h, b, d) in enumerate(rows):
        half = math.pi / 2**k
        assert float(h) == pytest.approx(half, abs=5e-5)
        x = np.linspace(-half, half, 2000)
        design = np.stack([x**0, x, x**2, x**3], axis=1)
        best, *_ = np.linalg.lstsq(design, np.sin(x), rcond=None)
        assert float(b) == pytest.approx(best[1], abs=5e-7)
        assert float(d) == pytest.approx(best[3], abs=5e-7)
        distance = abs(best[1] - 1) + abs(best[3] + 1 / 6)
        assert previous is None or distance < previous  # closer to Taylor as h shrinks
        previous = distance
    assert "Taylor:     b = 1.000000, d = -0.166667" in output


def test_module_odd_cubic():
    output = run_example("exercises/polynomial_module/03_odd_cubic.py")
    assert "parameters: ['b', 'd']" in output
    odd = DESIGN[:, [1, 3]]
    w = STORY_START[[1, 3]]
    for _ in range(2000):
        residual = odd @ w - Y
        loss = residual @ residual
        w = w - STORY_LR * 2 * odd.T @ residual
    assert number(r"^loss at step 1999: (\S+)$", output) == pytest.approx(loss, abs=1e-4 + LOSS_RELATIVE_FLOAT32 * loss)
    b, d = (float(v) for v in re.search(r"^Result: y = (\S+) x (\S+) x\^3$", output, re.MULTILINE).groups())
    assert b == pytest.approx(w[0], abs=5e-7 + COEFFICIENT_FLOAT32)
    assert d == pytest.approx(w[1], abs=5e-7 + COEFFICIENT_FLOAT32)
    # "almost the lesson's": within a ten-thousandth of the full cubic's loss, far above least squares.
    lesson_loss, _ = gradient_descent64(STORY_START)
    _, best_loss = least_squares_cubic()
    assert abs(loss - lesson_loss) < 1e-3 < 0.1 < loss - best_loss


# --- every starter: runs, exits normally, prints what is left ------------------------------


@pytest.mark.parametrize("relative", STARTERS)
def test_starter_runs_and_says_what_is_left(relative):
    solution = ROOT / relative.replace(STARTER, ".py")
    source = (ROOT / relative).read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(source)) == ast.get_docstring(ast.parse(solution.read_text(encoding="utf-8")))
    output = run_example(relative)
    assert output and all(line.startswith("TODO") for line in output.splitlines()), output
