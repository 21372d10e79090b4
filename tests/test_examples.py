"""Each example runs on its own and computes the right thing.

The reference is the exact least-squares cubic for sin(x) on the examples'
grid, computed here with ``numpy.linalg.lstsq`` in float64, independently of
anything the examples do.

Tolerances. Plain gradient descent on this quadratic loss shrinks the error
along each eigenvector of H = 2 AᵀA (A has columns 1, x, x², x³) by a factor
|1 - lr λ| per step. With lr = 1e-6 and 2000 steps the two slow directions,
almost exactly the even coefficients (a, c) and b, keep about 3% and 1.6% of
their starting error; d lies on fast directions except for a 0.14 share of
b's. Starting weights come from randn, within about 3 of the optimum, so we
allow 0.1 on a and c, 0.05 on b and 0.01 on d, and a final loss at most
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
