"""Each example runs on its own and computes the right thing.

The reference is the exact least-squares cubic for sin(x) on the examples'
grid, computed here with ``numpy.linalg.lstsq`` in float64, independently of
anything the examples do.

Tolerances. Plain gradient descent on this quadratic loss shrinks the error
along each eigenvector of H = 2 AᵀA (A has columns 1, x, x², x³) by a factor
|1 - lr λ| per step. With lr = 1e-6 and 2000 steps the two slow directions,
almost exactly the even coefficients (a, c) and b, keep about 3% and 1.6% of
their starting error; d lies on fast directions except for a 0.14 share of
b's. Starting weights within about 3 of the optimum (randn draws; the four
lessons of one story start from numpy's default_rng(0), checked exactly
below against a float64 re-run) leave at most 0.1 on a and c, 0.05 on b
and 0.01 on d, so we allow that, and a final loss at most
1.5 times the optimum (the leftover error in a alone can cost
λ·0.06² ≈ 3.5 over the optimum's 8.8). RMSprop and momentum SGD converge
at least as far in their step budgets, which these bounds also cover.
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import EXAMPLES, ROOT, run_example

LOSS_LINE = re.compile(r"^step\s+(\d+)\s+loss\s+([0-9.]+)$", re.MULTILINE)
NUMBER = r"([-+]?\d+\.\d+)"
CUBIC_RESULT = re.compile(rf"^Result: y = {NUMBER} {NUMBER} x {NUMBER} x\^2 {NUMBER} x\^3$", re.MULTILINE)
LEGENDRE_RESULT = re.compile(rf"^Result: y = {NUMBER} {NUMBER} \* P3\({NUMBER} {NUMBER} x\)$", re.MULTILINE)
DYNAMIC_RESULT = re.compile(
    rf"^Result: y = {NUMBER} {NUMBER} x {NUMBER} x\^2 {NUMBER} x\^3 {NUMBER} x\^4 {NUMBER} x\^5$", re.MULTILINE
)

CUBIC_EXAMPLES = [
    "examples_tensor/polynomial_numpy.py",
    "examples_tensor/polynomial_tensor.py",
    "examples_autograd/polynomial_autograd.py",
    "examples_nn/polynomial_nn.py",
    "examples_nn/polynomial_optim.py",
    "examples_nn/polynomial_module.py",
]
TOLERANCE = np.array([0.1, 0.05, 0.1, 0.01])  # on a, b, c, d (see the module docstring)

X = np.linspace(-math.pi, math.pi, 2000)
Y = np.sin(X)


def least_squares_cubic() -> tuple[np.ndarray, float]:
    """The best cubic's coefficients (a, b, c, d) and its sum of squared errors."""
    design = np.stack([X**0, X, X**2, X**3], axis=1)
    coefficients, residual, *_ = np.linalg.lstsq(design, Y, rcond=None)
    return coefficients, float(residual[0])


def sum_squared_error(coefficients) -> float:
    """Loss of the polynomial with these coefficients (lowest power first)."""
    return float(np.square(np.polynomial.polynomial.polyval(X, coefficients) - Y).sum())


def definitions_of(relative: str) -> dict:
    """Import an example's imports, classes and functions without training anything."""
    path = ROOT / relative
    module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    kept = (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef)
    module.body = [node for node in module.body if isinstance(node, kept)]
    namespace: dict = {"__name__": "lesson_under_test"}
    exec(compile(module, str(path), "exec"), namespace)
    return namespace


def losses_of(output: str) -> tuple[list[int], list[float]]:
    pairs = LOSS_LINE.findall(output)
    return [int(step) for step, _ in pairs], [float(loss) for _, loss in pairs]


# The eight examples of the main page, which all fit the sine curve.
POLYNOMIAL_EXAMPLES = [*CUBIC_EXAMPLES, "examples_autograd/polynomial_custom_function.py", "examples_nn/dynamic_net.py"]


def test_every_polynomial_example_exists():
    assert set(POLYNOMIAL_EXAMPLES) <= {str(p) for p in EXAMPLES}


@pytest.mark.parametrize("relative", POLYNOMIAL_EXAMPLES)
def test_example_runs_alone_and_ends_with_result(relative):
    output = run_example(relative)
    steps, losses = losses_of(output)
    every = 2000 if relative.endswith("dynamic_net.py") else 100
    total = 30000 if relative.endswith("dynamic_net.py") else 2000
    assert steps == list(range(every - 1, total, every)), f"{relative}: unexpected loss lines {steps}"
    assert losses[-1] < losses[0] / 10, f"{relative}: the loss did not fall: {losses}"
    # Training ends with the Result line (analysis cells may print more after it).
    lines = output.splitlines()
    last_loss = max(i for i, line in enumerate(lines) if LOSS_LINE.match(line))
    assert lines[last_loss + 1].startswith("Result: y = "), f"{relative}: no Result line after training"


@pytest.mark.parametrize("relative", CUBIC_EXAMPLES)
def test_cubic_examples_approach_least_squares(relative):
    best, best_loss = least_squares_cubic()
    output = run_example(relative)
    _, losses = losses_of(output)
    learned = np.array([float(v) for v in CUBIC_RESULT.search(output).groups()])

    # No cubic beats least squares: a printed loss below it means a wrong loss.
    assert losses[-1] >= best_loss * (1 - 1e-4)
    assert losses[-1] <= 1.5 * best_loss
    # The printed loss is the loss of the printed polynomial (one step later,
    # so no larger, up to float32 noise and RMSprop's small oscillation).
    assert sum_squared_error(learned) <= losses[-1] * 1.01
    assert np.all(np.abs(learned - best) <= TOLERANCE), f"{relative}: {learned} vs least squares {best}"


# The one story: polynomial_numpy, polynomial_tensor, polynomial_autograd and
# polynomial_module start from the same four numbers and run the same
# gradient descent, so they print the same numbers.
STORY_EXAMPLES = [
    "examples_tensor/polynomial_numpy.py",
    "examples_tensor/polynomial_tensor.py",
    "examples_autograd/polynomial_autograd.py",
    "examples_nn/polynomial_module.py",
]
STORY_START = np.random.default_rng(0).standard_normal(4)
STORY_LR = 1e-6
DESIGN = np.stack([X**0, X, X**2, X**3], axis=1)  # columns 1, x, x², x³


def story_rerun() -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent from the story's start, in float64, as matrix products.

    Returns the loss before each of the 2000 steps and the final (a, b, c, d).
    """
    w = STORY_START.copy()
    losses = []
    for _ in range(2000):
        residual = DESIGN @ w - Y
        losses.append(residual @ residual)
        w = w - STORY_LR * 2 * DESIGN.T @ residual
    return np.array(losses), w


def printed_story(relative: str) -> tuple[np.ndarray, np.ndarray]:
    output = run_example(relative)
    steps, losses = losses_of(output)
    assert steps == list(range(99, 2000, 100))
    result = np.array([float(v) for v in CUBIC_RESULT.search(output).groups()])
    return np.array(losses), result


# Tolerances for "the same numbers to float32 precision". A printed loss is
# rounded to 1e-4 and a coefficient to 1e-6: half of that either way. The
# float32 lessons differ from float64 by rounding: float32's unit roundoff is
# 6e-8, a loss sums 2000 terms, and gradient descent here is contracting
# (every |1 - lr λ| < 1), so rounding errors do not grow from step to step:
# measured, the float32 losses stay within 6e-6 (relative) and the
# coefficients within 2e-7 of the float64 run. We allow 5 times that. A
# different start or step size (the old lessons ended at 9.09 and 12.29) is
# off by orders of magnitude more.
LOSS_RELATIVE_FLOAT32 = 3e-5
COEFFICIENT_FLOAT32 = 1e-6


@pytest.mark.parametrize("relative", STORY_EXAMPLES)
def test_story_lessons_print_the_float64_run(relative):
    losses64, w64 = story_rerun()
    losses, result = printed_story(relative)
    expected = losses64[99::100]
    float64 = relative.endswith("polynomial_numpy.py")
    relative_error = 1e-9 if float64 else LOSS_RELATIVE_FLOAT32
    coefficient_error = 1e-9 if float64 else COEFFICIENT_FLOAT32
    assert np.all(np.abs(losses - expected) <= 5e-5 + relative_error * expected), (
        f"{relative}: losses {losses} vs float64 re-run {expected}"
    )
    assert np.all(np.abs(result - w64) <= 5e-7 + coefficient_error), (
        f"{relative}: result {result} vs float64 re-run {w64}"
    )


def test_story_lessons_agree_with_each_other():
    numpy_losses, numpy_result = printed_story(STORY_EXAMPLES[0])
    for relative in STORY_EXAMPLES[1:]:
        losses, result = printed_story(relative)
        bound = 1e-4 + LOSS_RELATIVE_FLOAT32 * numpy_losses
        assert np.all(np.abs(losses - numpy_losses) <= bound), relative
        assert np.all(np.abs(result - numpy_result) <= 1e-6 + COEFFICIENT_FLOAT32), relative


def test_story_lessons_print_no_negative_zero():
    for relative in STORY_EXAMPLES:
        assert "-0.000000" not in run_example(relative), relative


def hessian_eigen() -> tuple[np.ndarray, np.ndarray]:
    return np.linalg.eigh(2 * DESIGN.T @ DESIGN)


def loss_after(w0: np.ndarray, lr: float, steps: int) -> float:
    """Loss after ``steps`` of gradient descent, by the closed form in the eigenbasis.

    w_t - w* = V diag((1 - lr λ)^t) Vᵀ (w0 - w*), and the loss is the best
    loss plus (w_t - w*)ᵀ XᵀX (w_t - w*): a second method beside iterating.
    """
    best, best_loss = least_squares_cubic()
    eigenvalues, vectors = hessian_eigen()
    error = vectors @ ((1 - lr * eigenvalues) ** steps * (vectors.T @ (w0 - best)))
    return best_loss + error @ (DESIGN.T @ DESIGN) @ error


def test_numpy_lesson_explains_the_learning_rate():
    output = run_example("examples_tensor/polynomial_numpy.py")
    eigenvalues = np.linalg.eigvalsh(2 * DESIGN.T @ DESIGN)
    printed = re.search(r"^eigenvalues of the Hessian: \[([^\]]*)\]$", output, re.MULTILINE)
    assert np.allclose([float(v) for v in printed.group(1).split()], eigenvalues, rtol=0, atol=0.06)
    largest, limit = re.search(
        r"^largest eigenvalue (\S+), limit 2 / λ = (\S+)$", output, re.MULTILINE
    ).groups()
    assert float(largest) == pytest.approx(eigenvalues[-1], rel=1e-3)
    assert float(limit) == pytest.approx(2 / eigenvalues[-1], rel=1e-3)
    assert float(limit) == pytest.approx(3.56e-6, rel=1e-3)  # the figure
    ratio = re.search(r"^lr = 1e-06 is (\S+) times below it$", output, re.MULTILINE).group(1)
    assert float(ratio) == pytest.approx(2 / eigenvalues[-1] / 1e-6, abs=0.005)
    runs = dict(re.findall(r"^lr = (\S+) \* limit: loss at step 299 (\S+)$", output, re.MULTILINE))
    assert set(runs) == {"0.95", "1.05"}
    for factor, loss in runs.items():
        expected = loss_after(STORY_START, float(factor) * 2 / eigenvalues[-1], 299)
        assert float(loss) == pytest.approx(expected, rel=1e-3), factor
    # Just below, the loss fell; just above, it blew up.
    start_loss = sum_squared_error(STORY_START)
    assert float(runs["0.95"]) < start_loss / 10
    assert float(runs["1.05"]) > 1e20 * start_loss


def test_tensor_lesson_explains_the_slow_directions():
    output = run_example("examples_tensor/polynomial_tensor.py")
    eigenvalues = np.linalg.eigvalsh(2 * DESIGN.T @ DESIGN)
    rows = re.findall(
        r"^λ = +(\S+)  shrinks +(\S+) % a step, +(\S+) % left after 2000 steps$", output, re.MULTILINE
    )
    assert len(rows) == 4
    for (lam, shrink, left), expected in zip(rows, eigenvalues, strict=True):
        assert float(lam) == pytest.approx(expected, abs=0.06)
        assert float(shrink) == pytest.approx(100 * STORY_LR * expected, abs=0.006)
        assert float(left) == pytest.approx(100 * (1 - STORY_LR * expected) ** 2000, abs=0.06)
    # The figures: the flattest direction shrinks 0.17 % a step, 3 % is left.
    assert rows[0][1:] == ("0.17", "3.1")
    best, _ = least_squares_cubic()
    _, w64 = story_rerun()
    for name in ("predicted", "learned"):
        row = re.search(rf"^{name} +(.*)$", output, re.MULTILINE).group(1)
        gap = np.array([float(v) for v in row.split()])
        assert np.all(np.abs(gap - (w64 - best)) <= 5e-7 + COEFFICIENT_FLOAT32), (name, gap)


def test_autograd_lesson_computes_the_hessian_and_its_growth_with_n():
    loss_of = definitions_of("examples_autograd/polynomial_autograd.py")["loss_of"]
    x = torch.tensor(X)
    hessian = torch.func.hessian(loss_of)(torch.tensor(STORY_START), x, x.sin())
    assert np.allclose(hessian.numpy(), 2 * DESIGN.T @ DESIGN, rtol=1e-12)
    output = run_example("examples_autograd/polynomial_autograd.py")
    assert "autograd's Hessian equals 2 XᵀX: True" in output
    rows = re.findall(
        r"^N = +(\d+): largest eigenvalue +(\S+) = +(\S+) N, stable below lr = (\S+)$", output, re.MULTILINE
    )
    assert [int(n) for n, *_ in rows] == [500, 1000, 2000, 4000]
    for n, lam, per_point, limit in rows:
        grid = np.linspace(-math.pi, math.pi, int(n))
        design = np.stack([grid**0, grid, grid**2, grid**3], axis=1)
        expected = np.linalg.eigvalsh(2 * design.T @ design)[-1]
        assert float(lam) == pytest.approx(expected, rel=1e-3)
        assert float(per_point) == pytest.approx(expected / int(n), abs=0.05)
        assert float(limit) == pytest.approx(2 / expected, rel=2e-3)


def test_module_lesson_explains_the_odd_cubic_and_taylor():
    output = run_example("examples_nn/polynomial_module.py")
    best, _ = least_squares_cubic()
    assert "|a| = 0.000000, |c| = 0.000000: zero up to rounding" in output
    assert abs(best[0]) < 1e-12 and abs(best[2]) < 1e-12
    b, d = (float(v) for v in re.search(r"^b = (\S+), d = (\S+)$", output, re.MULTILINE).groups())
    assert b == pytest.approx(best[1], abs=5e-7) and d == pytest.approx(best[3], abs=5e-7)
    assert re.search(r"^x:  least squares (\S+), Taylor 1$", output, re.MULTILINE).group(1) == f"{best[1]:.3f}"
    x3 = re.search(r"^x³: least squares (\S+), Taylor (\S+)$", output, re.MULTILINE).groups()
    assert x3 == (f"{best[3]:.3f}", f"{-1 / 6:.3f}")
    errors = re.search(r"least squares (\S+), Taylor (\S+)$", output.split("largest error")[1], re.MULTILINE)
    least_squares_error = np.abs(DESIGN @ best - Y).max()
    taylor_error = np.abs(X - X**3 / 6 - Y).max()
    assert float(errors.group(1)) == pytest.approx(least_squares_error, abs=5e-4)
    assert float(errors.group(2)) == pytest.approx(taylor_error, abs=5e-4)
    # Worst at the ends of the interval, for both.
    assert np.argmax(np.abs(DESIGN @ best - Y)) in (0, len(X) - 1)
    assert np.argmax(np.abs(X - X**3 / 6 - Y)) in (0, len(X) - 1)


def legendre_model_as_cubic(a, b, c, d) -> np.ndarray:
    """Coefficients of a + b P3(c + d x) as an ordinary cubic."""
    P = np.polynomial.Polynomial
    t = P([c, d])
    return (a + b * 0.5 * (5 * t**3 - 3 * t)).coef


def test_custom_function_example_fits_as_well_as_a_cubic():
    best, best_loss = least_squares_cubic()
    output = run_example("examples_autograd/polynomial_custom_function.py")
    _, losses = losses_of(output)
    cubic = legendre_model_as_cubic(*(float(v) for v in LEGENDRE_RESULT.search(output).groups()))
    assert best_loss * (1 - 1e-4) <= losses[-1] <= 1.5 * best_loss
    assert sum_squared_error(cubic) <= losses[-1] * 1.01
    assert np.all(np.abs(cubic - best) <= TOLERANCE), f"{cubic} vs least squares {best}"


def test_dynamic_net_learns_the_cubic_and_a_tiny_shared_weight():
    best, best_loss = least_squares_cubic()
    output = run_example("examples_nn/dynamic_net.py")
    _, losses = losses_of(output)
    # The Result line prints e for both x⁴ and x⁵; that the two terms really
    # share one parameter is checked on the model itself in
    # test_lessons_nn.py (five parameters, e's gradient the sum of both uses).
    a, b, c, d, e4, _ = (float(v) for v in DYNAMIC_RESULT.search(output).groups())
    # x⁵ reaches π⁵ ≈ 306: any sizeable e would ruin the fit, so training drives it near 0.
    assert abs(e4) < 1e-3
    assert losses[-1] <= 1.5 * best_loss
    for order in (3, 4, 5):
        coefficients = [a, b, c, d] + [e4] * (order - 3)
        assert sum_squared_error(coefficients) <= 1.5 * best_loss, f"order {order} fits badly"
    assert np.all(np.abs(np.array([a, b, c, d]) - best) <= TOLERANCE)


def test_dynamic_net_uses_orders_three_to_five():
    model = definitions_of("examples_nn/dynamic_net.py")["DynamicNet"]()
    x = torch.tensor([2.0])
    with torch.no_grad():
        base = model(x, 3)
        assert torch.allclose(model(x, 4) - base, model.e * 2.0**4)
        assert torch.allclose(model(x, 5) - base, model.e * (2.0**4 + 2.0**5))


def test_custom_function_gradient_matches_finite_differences():
    legendre = definitions_of("examples_autograd/polynomial_custom_function.py")["LegendrePolynomial3"]
    t = torch.linspace(-2, 2, 25, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(legendre.apply, (t,))
    # And the forward value is P3 itself.
    expected = 0.5 * (5 * t.detach() ** 3 - 3 * t.detach())
    assert torch.allclose(legendre.apply(t).detach(), expected)
