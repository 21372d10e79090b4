"""What the Legendre, nn, optim and dynamic_net lessons print and claim.

Every printed figure is parsed from the lesson's own run (conftest.run_example)
and compared with a computation done here in float64 numpy, independently of
the lesson: closed-form gradients and Hessians, gradient descent, RMSprop and
momentum SGD written out as plain recurrences, and eigenvalues of the Gram
matrices of the features.

Tolerances. The lessons run in float32; the recurrences here run in float64.
Plain gradient descent and momentum SGD follow smooth paths, and their
printed losses agree with the float64 runs to about 1e-5 relative (1e-3 is
asserted). RMSprop near the minimum moves every coefficient by about lr a
step whatever the gradient, so once a coefficient hovers there (from about
step 700) the two runs part by up to about 1% in the loss and may be on
opposite sides of the minimum. Its first 600 steps are compared to 1e-4, the
rest to 1e-2, and its end by what does not depend on the phase (the size of
the moves, the least-squares value they straddle).
"""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import ROOT, run_example

CUSTOM = "examples_autograd/polynomial_custom_function.py"
NN = "examples_nn/polynomial_nn.py"
OPTIM = "examples_nn/polynomial_optim.py"
DYNAMIC = "examples_nn/dynamic_net.py"

NUMBER = r"([-+]?\d+\.\d+(?:e[-+]\d+)?)"
LOSS_LINE = re.compile(r"^step\s+(\d+)\s+loss\s+([0-9.]+)$", re.MULTILINE)

X = np.linspace(-math.pi, math.pi, 2000)
Y = np.sin(X)
CUBIC = np.stack([X**0, X, X**2, X**3], axis=1)
WARM_UP_START = np.random.default_rng(seed=0).standard_normal(4)


def loss_lines(output: str) -> dict[int, float]:
    return {int(step): float(loss) for step, loss in LOSS_LINE.findall(output)}


def numbers_after(output: str, label: str, integers: bool = False) -> np.ndarray:
    """The decimal numbers (or the integers) on the line that starts with ``label``."""
    line = next(line for line in output.splitlines() if line.startswith(label))
    pattern = r"\d+" if integers else r"[-+]?\d+\.\d+(?:e[-+]?\d+)?"
    return np.array([float(v) for v in re.findall(pattern, line[len(label):])])


def cubic_gradient(w: np.ndarray) -> np.ndarray:
    return 2 * CUBIC.T @ (CUBIC @ w - Y)


def cubic_loss(w: np.ndarray) -> float:
    return float(np.sum((CUBIC @ w - Y) ** 2))


def gradient_descent(w, lr, steps):
    """Losses before each step and the final coefficients, float64."""
    w = np.array(w, dtype=float)
    losses = []
    for _ in range(steps):
        losses.append(cubic_loss(w))
        w = w - lr * cubic_gradient(w)
    return np.array(losses), w


def rmsprop(w, lr, steps, alpha=0.99, eps=1e-8):
    """RMSprop written out: losses before each step and the path of w."""
    w = np.array(w, dtype=float)
    square_avg = np.zeros_like(w)
    losses, path = [], [w]
    for _ in range(steps):
        losses.append(cubic_loss(w))
        g = cubic_gradient(w)
        square_avg = alpha * square_avg + (1 - alpha) * g**2
        w = w - lr * g / (np.sqrt(square_avg) + eps)
        path.append(w)
    return np.array(losses), np.array(path)


# --- polynomial_custom_function -------------------------------------------------


def p3(t):
    return 0.5 * (5 * t**3 - 3 * t)


def p3_prime(t):
    return 1.5 * (5 * t**2 - 1)


def legendre_loss(w) -> float:
    a, b, c, d = w
    return float(np.sum((a + b * p3(c + d * X) - Y) ** 2))


def legendre_gradient(w) -> np.ndarray:
    a, b, c, d = w
    t = c + d * X
    r = a + b * p3(t) - Y
    return 2 * np.array([r.sum(), (r * p3(t)).sum(), (r * b * p3_prime(t)).sum(),
                         (r * b * p3_prime(t) * X).sum()])


def legendre_hessian(w) -> np.ndarray:
    """2 Σ (∇r ∇rᵀ + r ∇²r) for r = a + b P3(c + d x) − y, in closed form."""
    a, b, c, d = w
    t = c + d * X
    r = a + b * p3(t) - Y
    p2 = 15 * t  # P3''
    jac = np.stack([np.ones_like(X), p3(t), b * p3_prime(t), b * p3_prime(t) * X])
    second = np.zeros((4, 4, X.size))
    second[1, 2] = second[2, 1] = p3_prime(t)
    second[1, 3] = second[3, 1] = p3_prime(t) * X
    second[2, 2] = b * p2
    second[2, 3] = second[3, 2] = b * p2 * X
    second[3, 3] = b * p2 * X**2
    return 2 * (jac @ jac.T + (second * r).sum(axis=-1))


def test_custom_function_gradcheck_is_printed_and_backward_is_p3_prime():
    output = run_example(CUSTOM)
    assert "gradcheck passed: True" in output
    from test_examples import definitions_of

    legendre = definitions_of(CUSTOM)["LegendrePolynomial3"]
    t = torch.linspace(-2, 2, 41, dtype=torch.float64, requires_grad=True)
    grad_out = torch.linspace(0.5, 1.5, 41, dtype=torch.float64)
    legendre.apply(t).backward(grad_out)
    expected = grad_out.numpy() * p3_prime(t.detach().numpy())
    np.testing.assert_allclose(t.grad.numpy(), expected, rtol=1e-12)
    # Against central differences of P3 itself, too.
    h = 1e-6
    tt = t.detach().numpy()
    numeric = (p3(tt + h) - p3(tt - h)) / (2 * h)
    np.testing.assert_allclose(t.grad.numpy() / grad_out.numpy(), numeric, atol=1e-6)


def test_custom_function_shows_why_the_setup_context_style_and_jacrev_twice():
    output = run_example(CUSTOM)
    derivative = p3_prime(0.5)  # 1.5 (5 t² - 1) at t = 0.5
    for label in ("older style, backward(): dP3/dt at 0.5 =",
                  "newer style, torch.func.grad: dP3/dt at 0.5 ="):
        (printed,) = numbers_after(output, label)
        assert printed == pytest.approx(derivative, abs=5e-5), label
    assert re.search(r"^older style, torch\.func\.grad raised RuntimeError: .*it must override the "
                     r"setup_context staticmethod\.$", output, re.MULTILINE)
    assert re.search(r"^torch\.func\.hessian raised RuntimeError: You tried to vmap over "
                     r"LegendrePolynomial3, but it does not have vmap support\.$", output, re.MULTILINE)


def test_gradcheck_needs_float64_as_the_lesson_says():
    from test_examples import definitions_of
    from torch.autograd.gradcheck import GradcheckError

    legendre = definitions_of(CUSTOM)["LegendrePolynomial3"]
    points = torch.linspace(-1.5, 1.5, 7, requires_grad=True)  # float32
    with pytest.warns(UserWarning, match="double precision"), pytest.raises(GradcheckError):
        torch.autograd.gradcheck(legendre.apply, (points,))


def test_custom_function_curvature_and_limits():
    output = run_example(CUSTOM)
    lines = {
        "the earlier lessons' cubic:": np.linalg.eigvalsh(2 * CUBIC.T @ CUBIC)[-1],
        "this model at its start:": np.linalg.eigvalsh(legendre_hessian([0.0, -1.0, 0.0, 0.3]))[-1],
    }
    result = re.search(rf"^Result: y = {NUMBER} {NUMBER} \* P3\({NUMBER} {NUMBER} x\)$", output, re.MULTILINE)
    end = [float(v) for v in result.groups()]
    lines["this model at its end:"] = np.linalg.eigvalsh(legendre_hessian(end))[-1]
    for label, lam in lines.items():
        printed_lam, printed_limit = numbers_after(output, label)
        assert printed_lam == pytest.approx(lam, rel=1e-3), label
        assert printed_limit == pytest.approx(2 / lam, rel=1e-3), label
    # 5e-6 is past the cubic's limit and about half of this model's, at the start and at the end.
    assert 2 / lines["the earlier lessons' cubic:"] < 5e-6
    for label in ("this model at its start:", "this model at its end:"):
        assert 0.4 < 5e-6 / (2 / lines[label]) < 0.65


def test_the_cubic_of_the_earlier_lessons_blows_up_at_the_custom_functions_rate():
    losses, _ = gradient_descent(WARM_UP_START, 5e-6, 300)
    assert losses[-1] > 1e6 * losses[0]


def test_custom_function_loss_has_mirror_minima():
    w = np.array([0.1, -2.2, 0.05, 0.26])
    assert legendre_loss(w) == pytest.approx(legendre_loss(w * [1, -1, -1, -1]), rel=1e-12)


def test_custom_function_loss_lines_match_gradient_descent_in_numpy():
    output = run_example(CUSTOM)
    w = np.array([0.0, -1.0, 0.0, 0.3])
    expected = {}
    for step in range(2000):
        if step % 100 == 99:
            expected[step] = legendre_loss(w)
        w = w - 5e-6 * legendre_gradient(w)
    printed = loss_lines(output)
    assert printed.keys() == expected.keys()
    for step, loss in expected.items():
        assert printed[step] == pytest.approx(loss, rel=1e-3), step
    result = re.search(rf"^Result: y = {NUMBER} {NUMBER} \* P3\({NUMBER} {NUMBER} x\)$", output, re.MULTILINE)
    np.testing.assert_allclose([float(v) for v in result.groups()], w, atol=1e-4)


def test_gradients_are_set_to_none_by_default_as_the_lessons_say():
    layer = torch.nn.Linear(3, 1)
    layer(torch.ones(2, 3)).sum().backward()
    assert layer.weight.grad is not None
    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None
    layer(torch.ones(2, 3)).sum().backward()
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
    optimizer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None


# --- polynomial_nn ---------------------------------------------------------------


def test_nn_linear_starts_uniform_within_one_over_root_three():
    output = run_example(NN)
    bias, *weight = numbers_after(output, "nn.Linear's own start:")
    # The lesson seeds torch with 0 and builds nn.Linear(3, 1) first: its
    # weight, then its bias, are uniform in ±1/√3.
    bound = 1 / math.sqrt(3)
    generator = torch.Generator().manual_seed(0)
    expected_weight = torch.empty(1, 3).uniform_(-bound, bound, generator=generator)
    expected_bias = torch.empty(1).uniform_(-bound, bound, generator=generator)
    np.testing.assert_allclose(weight, expected_weight[0].numpy(), atol=6e-5)
    assert bias == pytest.approx(expected_bias.item(), abs=6e-5)
    many = torch.cat([torch.nn.Linear(3, 1).weight.detach().ravel() for _ in range(3000)])
    assert many.abs().max() <= bound
    assert many.abs().max() > 0.99 * bound


def test_nn_prints_the_warm_ups_gradient_descent():
    output = run_example(NN)
    losses, w = gradient_descent(WARM_UP_START, 1e-6, 2000)
    printed = loss_lines(output)
    assert printed.keys() == set(range(99, 2000, 100))
    for step, loss in printed.items():
        assert loss == pytest.approx(losses[step], rel=1e-4), step
    result = numbers_after(output, "Result: y =")
    np.testing.assert_allclose(result, w, atol=1e-5)


# --- polynomial_optim ------------------------------------------------------------


def test_optim_first_two_rmsprop_steps_by_hand():
    output = run_example(OPTIM)
    _, path = rmsprop(WARM_UP_START, 1e-3, 2)
    g1 = cubic_gradient(path[0])
    g2 = cubic_gradient(path[1])
    np.testing.assert_allclose(numbers_after(output, "first gradient"), g1, rtol=1e-3)
    np.testing.assert_allclose(numbers_after(output, "second gradient"), g2, rtol=1e-3)
    for name, move in (("first", path[1] - path[0]), ("second", path[2] - path[1])):
        for how in ("by hand", "RMSprop"):
            printed = numbers_after(output, f"{name} move, {how}")
            np.testing.assert_allclose(printed, move, rtol=2e-3, err_msg=f"{name} {how}")
    # The first RMSprop step is 10 lr in every coordinate; gradient descent's is lr·g.
    np.testing.assert_allclose(np.abs(path[1] - path[0]), 1e-2, rtol=1e-6)
    np.testing.assert_allclose(numbers_after(output, "first move, gradient descent"), -1e-6 * g1, rtol=1e-3)


def test_rmsprop_update_is_the_documented_formula():
    # torch.optim.RMSprop itself against the recurrence, on a toy problem with
    # gradients of very different scales.
    w = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True)
    scale = torch.tensor([1e-3, 1.0, 1e4], dtype=torch.float64)
    optimizer = torch.optim.RMSprop([w], lr=1e-2)
    expected = w.detach().numpy().copy()
    square_avg = np.zeros(3)
    for _ in range(5):
        optimizer.zero_grad()
        (scale * w**2).sum().backward()
        g = 2 * scale.numpy() * expected
        square_avg = 0.99 * square_avg + 0.01 * g**2
        expected = expected - 1e-2 * g / (np.sqrt(square_avg) + 1e-8)
        optimizer.step()
        np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-12)


def test_optim_loss_lines_and_comparison_table():
    output = run_example(OPTIM)
    rms_losses, _path = rmsprop(WARM_UP_START, 1e-3, 2000)
    sgd_losses, _ = gradient_descent(WARM_UP_START, 1e-6, 2000)
    printed = loss_lines(output)
    assert printed.keys() == set(range(99, 2000, 100))
    for step in range(99, 2000, 100):
        # Once d hovers around its minimum (from about step 700), about 1%.
        tolerance = 1e-4 if step < 600 else 1e-2
        assert printed[step] == pytest.approx(rms_losses[step], rel=tolerance), step

    steps = numbers_after(output, "loss at step", integers=True)
    assert list(steps) == [0, 9, 99, 999, 1999]
    sgd_row = numbers_after(output, "gradient descent ")
    rms_row = numbers_after(output, "RMSprop  ")
    np.testing.assert_allclose(sgd_row, sgd_losses[[0, 9, 99, 999, 1999]], rtol=1e-3)
    np.testing.assert_allclose(rms_row[:3], rms_losses[[0, 9, 99]], rtol=1e-4)
    np.testing.assert_allclose(rms_row[3:], rms_losses[[999, 1999]], rtol=1e-2)
    # RMSprop starts slower, ends lower.
    assert rms_losses[99] > 5 * sgd_losses[99] and rms_losses[1999] < sgd_losses[1999]
    crossing = int(np.argmax(rms_losses < sgd_losses))
    printed_crossing = int(re.search(r"at step (\d+)$", output, re.MULTILINE).group(1))
    assert abs(printed_crossing - crossing) <= 10


def test_optim_rmsprop_keeps_moving_by_lr_around_the_minimum():
    output = run_example(OPTIM)
    best, residual, *_ = np.linalg.lstsq(CUBIC, Y, rcond=None)
    _, path = rmsprop(WARM_UP_START, 1e-3, 2000)
    moves = np.abs(np.diff(path[-101:], axis=0)).mean(axis=0) / 1e-3
    printed_b, printed_d = numbers_after(output, "last 100 steps, mean move / lr:")
    assert printed_b == pytest.approx(moves[1], abs=0.05)
    assert printed_d == pytest.approx(moves[3], abs=0.05)
    assert moves[1] == pytest.approx(1, abs=0.05)
    *last_two, printed_best = numbers_after(output, "b after the last two steps:")
    assert printed_best == pytest.approx(best[1], abs=1e-6)
    assert abs(last_two[1] - last_two[0]) == pytest.approx(1e-3, rel=0.1)
    assert min(last_two) < best[1] < max(last_two)
    best_loss, last = numbers_after(output, "loss: least squares")
    assert best_loss == pytest.approx(residual[0], abs=1e-4)
    assert residual[0] < last < residual[0] + 0.3


# --- dynamic_net -----------------------------------------------------------------


def phi(order: int) -> np.ndarray:
    """Design matrix for (a, b, c, d, e) at this order; e's column is zero at order 3."""
    extra = sum(X**k for k in range(4, order + 1)) if order > 3 else np.zeros_like(X)
    return np.stack([X**0, X, X**2, X**3, extra], axis=1)


def dynamic_net_in_numpy(lr=1e-8, momentum=0.9, steps=30000, skip_unused=True):
    """The lesson's training, written out: torch's SGD with momentum, e left
    alone (gradient None, so no momentum either) on order-3 steps."""
    torch.manual_seed(0)
    w = np.array([torch.randn(()).item() for _ in range(5)])
    random.seed(0)
    grams = {k: phi(k).T @ phi(k) for k in (3, 4, 5)}
    moments = {k: phi(k).T @ Y for k in (3, 4, 5)}
    buffer = None
    losses = {}
    for step in range(steps):
        order = random.randint(3, 5)
        if step % 2000 == 1999:
            losses[step] = float(np.sum((phi(order) @ w - Y) ** 2))
        g = 2 * (grams[order] @ w - moments[order])
        used = np.ones(5, dtype=bool)
        if order == 3 and skip_unused:
            used[4] = False
        if buffer is None:
            buffer = g.copy()
        else:
            buffer[used] = momentum * buffer[used] + g[used]
        w = w - lr * np.where(used, buffer, 0.0)
    return losses, w


DYNAMIC_RESULT = re.compile(
    rf"^Result: y = {NUMBER} {NUMBER} x {NUMBER} x\^2 {NUMBER} x\^3 {NUMBER} x\^4 {NUMBER} x\^5$", re.MULTILINE
)


def test_dynamic_net_curvature_and_limits():
    output = run_example(DYNAMIC)
    for order in (3, 4, 5):
        design = phi(order) if order > 3 else phi(order)[:, :4]
        eigenvalues = np.linalg.eigvalsh(2 * design.T @ design)
        largest, smallest = numbers_after(output, f"order {order}: largest eigenvalue")
        assert largest == pytest.approx(eigenvalues[-1], rel=1e-3)
        assert smallest == pytest.approx(eigenvalues[0], rel=1e-3)
    lam = np.linalg.eigvalsh(2 * phi(5).T @ phi(5))
    assert lam[-1] == pytest.approx(3.9e7, rel=0.01)  # the figure
    plain = numbers_after(output, "order 5, plain gradient descent:")[-1]
    assert plain == pytest.approx(2 / lam[-1], rel=1e-2)
    with_momentum = numbers_after(output, "order 5, momentum 0.9:")[-1]
    assert with_momentum == pytest.approx(2 * 1.9 / lam[-1], rel=1e-2)
    steady, slowest = numbers_after(output, "lr = 1e-08: steady step")
    assert steady == pytest.approx(1e-7, rel=1e-2)
    assert slowest == pytest.approx(lam[0] * 1e-7, rel=2e-2)


def test_dynamic_net_loss_lines_and_result_match_momentum_sgd_in_numpy():
    output = run_example(DYNAMIC)
    expected, w = dynamic_net_in_numpy()
    printed = loss_lines(output)
    assert printed.keys() == expected.keys()
    for step, loss in expected.items():
        assert printed[step] == pytest.approx(loss, rel=1e-3), step
    a, b, c, d, e4, _e5 = (float(v) for v in DYNAMIC_RESULT.search(output).groups())
    np.testing.assert_allclose([a, b, c, d, e4], w, atol=2e-6)
    # The None gradient on order-3 steps matters: zeros instead would move e
    # by its momentum on those steps, and after 6000 steps e alone is already
    # off by a hundred times the tolerance above.
    _, w_zeros = dynamic_net_in_numpy(steps=6000, skip_unused=False)
    _, w_none = dynamic_net_in_numpy(steps=6000)
    assert abs(w_zeros[4] - w_none[4]) > 100 * 2e-6


def test_dynamic_net_shares_one_weight_between_x4_and_x5():
    from test_examples import definitions_of

    torch.manual_seed(1)
    model = definitions_of(DYNAMIC)["DynamicNet"]()
    assert [name for name, _ in model.named_parameters()] == ["a", "b", "c", "d", "e"]
    w = np.array([p.item() for p in model.parameters()])
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    for order in (3, 4, 5):
        model.zero_grad()
        ((model(x, order) - y) ** 2).sum().backward()
        r = phi(order) @ w - Y
        if order == 3:
            assert model.e.grad is None  # e took no part in this graph
            continue
        parts = [np.sum(2 * r * X**k) for k in range(4, order + 1)]
        assert model.e.grad.item() == pytest.approx(sum(parts), rel=1e-4)
        assert model.d.grad.item() == pytest.approx(np.sum(2 * r * X**3), rel=1e-4)
    # SGD leaves a parameter without gradient alone, momentum included.
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    for order in (5, 3):
        before = model.e.item()
        optimizer.zero_grad()
        ((model(x, order) - y) ** 2).sum().backward()
        optimizer.step()
        assert (model.e.item() == before) == (order == 3)


def training_loop(text: str) -> str:
    """The body of the lesson's ``for step in range(steps):`` loop."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "for step in range(steps):")
    indent = len(lines[start]) - len(lines[start].lstrip())
    body = []
    for line in lines[start + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        body.append(line)
    return "\n".join(body)


@pytest.mark.parametrize("relative", [CUSTOM, NN, OPTIM, DYNAMIC])
def test_lesson_code_fits_the_page_and_does_not_sync_every_step(relative):
    text = (ROOT / relative).read_text(encoding="utf-8")
    long = [n for n, line in enumerate(text.splitlines(), 1) if len(line) > 79]
    assert not long, f"lines longer than 79 characters: {long}"
    assert "except Exception" not in text
    loop = training_loop(text)
    assert "loss.backward()" in loop
    assert ".item()" not in loop and "print(" not in loop and ".tolist()" not in loop


@pytest.mark.parametrize("relative", [CUSTOM, NN, OPTIM, DYNAMIC])
def test_no_negative_zero_is_printed(relative):
    assert not re.search(r"-0\.0+(?![0-9])", run_example(relative))
