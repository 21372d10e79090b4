"""The basics lessons print what they claim to compute.

Each test reads a lesson's printed output and checks it against a reference
worked out here, independently of the lesson's code: numpy arithmetic, a
derivative by hand or by finite differences, or (for the two-layer network)
the same training written out in numpy with hand-derived gradients in float64.
"""

from __future__ import annotations

import ast
import itertools
import math
import re
import runpy

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import ROOT, run_example

TENSOR_BASICS = "examples_tensor/tensor_basics.py"
AUTOGRAD_BASICS = "examples_autograd/autograd_basics.py"
TWO_LAYER_NET = "examples_autograd/two_layer_net.py"

NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")
LOSS_LINE = re.compile(r"^step\s+(\d+)\s+loss\s+([0-9.]+)$", re.MULTILINE)
PRINT_ROUNDING = 5e-5  # torch prints tensors with 4 decimals


def tensor_after(output: str, label: str) -> np.ndarray:
    """The numbers of the tensor printed on the lines after ``label:``, rows kept."""
    lines = output.splitlines()
    start = lines.index(f"{label}:") + 1
    rows = []
    for line in lines[start:]:
        rows.append(list(floats_in(line)))
        if line.rstrip().endswith(")"):
            break
    return np.array(rows)


def line_value(output: str, prefix: str) -> str:
    """The rest of the one line that starts with ``prefix``."""
    match = re.search(rf"^{re.escape(prefix)}(.*)$", output, re.MULTILINE)
    assert match, f"no line starting with {prefix!r}"
    return match.group(1).strip()


def floats_in(text: str) -> np.ndarray:
    """Every number in a printed tensor, array or list (a trailing dtype is not one)."""
    return np.array([float(v) for v in NUMBER.findall(text.split("dtype")[0])])


# Tensor basics ---------------------------------------------------------------


def test_uninitialised_tensor_shows_only_shape_and_dtype():
    output = run_example(TENSOR_BASICS)
    # Printing the values of torch.empty would make the page differ between runs.
    assert line_value(output, "empty:") == "torch.Size([2, 3]) torch.float32"


def test_created_tensors_have_the_promised_contents():
    output = run_example(TENSOR_BASICS)
    rand = tensor_after(output, "rand")
    assert rand.shape == (2, 3) and np.all((rand >= 0) & (rand < 1))
    zeros = tensor_after(output, "zeros")
    assert zeros.shape == (2, 3) and not zeros.any()
    new_ones = tensor_after(output, "new_ones")
    assert np.array_equal(new_ones, np.ones((2, 3)))
    assert "dtype=torch.float64" in output.split("new_ones:")[1].split("randn_like:")[0]
    # randn_like(x) of the float64 tensor of ones: the same shape and dtype.
    assert line_value(output, "randn_like(x) keeps shape, dtype and device:") == "True torch.float64 True"
    assert tensor_after(output, "randn_like").shape == (2, 3)
    assert "dtype" not in output.split("randn_like:")[1].split("size:")[0], "float32 as asked"
    assert np.allclose(floats_in(line_value(output, "from data:")), [5.5, 3.0])


def test_size_unpacks_like_a_tuple():
    output = run_example(TENSOR_BASICS)
    assert line_value(output, "is a tuple:") == "True"
    rows, cols, elements = (int(v) for v in re.search(
        r"^rows = (\d+), cols = (\d+), elements = (\d+)$", output, re.MULTILINE).groups())
    assert (rows, cols) == (2, 3)
    assert elements == rows * cols


def test_three_additions_agree_with_each_other_and_with_numpy():
    output = run_example(TENSOR_BASICS)
    x = tensor_after(output, "x")
    y = tensor_after(output, "y")
    sums = [tensor_after(output, label) for label in ("x + y", "torch.add(x, y)", "out=result")]
    assert all(s.shape == (2, 3) for s in sums)
    assert np.array_equal(sums[0], sums[1]) and np.array_equal(sums[0], sums[2])
    # x and y are printed rounded, and so is the sum: three roundings at most.
    assert np.allclose(sums[0], x + y, rtol=0, atol=3 * PRINT_ROUNDING)


def test_in_place_add_overwrites_y_with_the_sum():
    output = run_example(TENSOR_BASICS)
    x = tensor_after(output, "x")
    y = tensor_after(output, "y")
    assert np.allclose(tensor_after(output, "y after y.add_(x)"), y + x, rtol=0, atol=3 * PRINT_ROUNDING)


def test_view_keeps_the_row_major_order():
    output = run_example(TENSOR_BASICS)
    assert np.array_equal(tensor_after(output, "view(3, 4)"), np.arange(12).reshape(3, 4))
    assert line_value(output, "view(-1, 6) has shape") == str((12 // 6, 6))
    assert int(line_value(output, "grid[2, 3].item() =")) == np.arange(12).reshape(3, 4)[2, 3]
    x = tensor_after(output, "x")
    assert np.allclose(floats_in(line_value(output, "second column of x:")), x[:, 1])


def test_numpy_bridge_shows_the_change_through_shared_memory():
    output = run_example(TENSOR_BASICS)
    # a = ones(5), then a += 1 in place: an independent copy would still hold ones.
    expected = np.ones(5) + 1
    assert np.array_equal(floats_in(line_value(output, "tensor after a.add_(1):")), expected)
    assert np.array_equal(floats_in(line_value(output, "numpy array b:")), expected)
    # n = zeros(3), then n[1] = 7 in numpy: the tensor made by from_numpy sees it.
    expected = np.zeros(3)
    expected[1] = 7.0
    assert np.array_equal(floats_in(line_value(output, "numpy array n:")), expected)
    assert np.array_equal(floats_in(line_value(output, "tensor t:")), expected)


def test_device_round_trip_prints_x_plus_one_and_names_no_device():
    """The page shows x + 1 (worked out here from the printed x) and nothing that names the builder's device."""
    output = run_example(TENSOR_BASICS)
    x = tensor_after(output, "x")
    back = tensor_after(output, "x + 1 computed on the device")
    assert np.allclose(back, x + 1, rtol=0, atol=2 * PRINT_ROUNDING)
    # Nothing that names a device may be printed: the page must not depend on the builder.
    assert not re.search(r"cuda|mps|xpu|device\(", output)


def test_device_round_trip_uses_this_machines_accelerator_and_keeps_values_and_dtype():
    """The lesson run in this process: its objects, not its printed verdicts.

    The device it picks is the one ``torch.accelerator`` reports to the test;
    ``x`` moved there, plus ones made there, is on that device; brought back,
    it is on the CPU, still float32, and exactly ``x + 1`` computed here on the
    CPU (adding 1 to a float32 rounds the same on every IEEE device). On a
    machine without an accelerator the device is the CPU and the round trip
    stays on it: this test then checks the CPU path only, and says nothing
    about a GPU.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    namespace = runpy.run_path(str(ROOT / TENSOR_BASICS), run_name="__main__")
    plt.close("all")
    if torch.accelerator.is_available():
        expected = torch.accelerator.current_accelerator()
    else:
        expected = torch.device("cpu")
    assert namespace["device"].type == expected.type
    assert namespace["x_dev"].device.type == expected.type
    assert namespace["s"].device.type == expected.type
    x, back = namespace["x"], namespace["back"]
    assert x.device.type == "cpu" and x.dtype == torch.float32
    assert back.device.type == "cpu"
    assert back.dtype == x.dtype
    assert torch.equal(back, x + 1)


# Autograd basics ---------------------------------------------------------------


def mean_of_3_y_squared(x: np.ndarray) -> float:
    """out = mean(3 (x + 2)²), the lesson's calculation."""
    return float(np.mean(3 * (x + 2) ** 2))


def test_x_grad_is_the_hand_derivative():
    output = run_example(AUTOGRAD_BASICS)
    x = tensor_after(output, "x")
    assert np.array_equal(x, np.ones((2, 2)))
    assert np.array_equal(tensor_after(output, "y"), x + 2)
    assert np.array_equal(tensor_after(output, "z"), 3 * (x + 2) ** 2)
    assert math.isclose(float(line_value(output, "out =")), mean_of_3_y_squared(x))

    printed = tensor_after(output, "x.grad")
    # By hand: d out / d x_i = (1/4) * 6 * (x_i + 2), which is 4.5 at x_i = 1.
    by_hand = 0.25 * 6 * (x + 2)
    assert np.allclose(by_hand, 4.5)
    assert np.allclose(printed, by_hand, rtol=0, atol=PRINT_ROUNDING)

    # And by central finite differences, element by element.
    step = 1e-6
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        bump = np.zeros_like(x)
        bump[index] = step
        numeric[index] = (mean_of_3_y_squared(x + bump) - mean_of_3_y_squared(x - bump)) / (2 * step)
    assert np.allclose(printed, numeric, rtol=0, atol=1e-4)


def test_graph_records_and_requires_grad_spreads():
    output = run_example(AUTOGRAD_BASICS)
    assert line_value(output, "x.requires_grad:") == "True | x is a leaf: True | x.grad_fn: None"
    assert re.match(r"True \| y\.grad_fn: Add\w*Backward\w*$", line_value(output, "y.requires_grad:"))
    names = line_value(output, "z.grad_fn:")
    assert re.match(r"Mul\w*Backward\w* \| out\.grad_fn: Mean\w*Backward\w*$", names)
    # z = (3 * y) * y: its multiplication takes the first product and y, made by an addition.
    assert ast.literal_eval(line_value(output, "z.grad_fn links back to:")) == ["MulBackward0", "AddBackward0"]
    assert line_value(output, "(c + 2).requires_grad:") == "False"
    assert line_value(output, "(c + x).requires_grad:") == "True"


def test_no_grad_and_detach_cut_results_off_the_graph():
    output = run_example(AUTOGRAD_BASICS)
    assert line_value(output, "inside torch.no_grad(), (x * 2).requires_grad:") == "False"
    assert line_value(output, "x.detach().requires_grad:") == "False"
    assert line_value(output, "x.detach() shares memory with x:") == "True"


def test_dynamic_graph_follows_the_data():
    output = run_example(AUTOGRAD_BASICS)
    rows = re.findall(
        r"^input\s+([0-9.]+): +(\d+) halvings, +(\d+) nodes in the graph, gradient ([0-9.]+)$",
        output, re.MULTILINE,
    )
    assert len(rows) >= 2
    halvings_seen = set()
    for value, halvings, nodes, gradient in rows:
        value, halvings, nodes, gradient = float(value), int(halvings), int(nodes), float(gradient)
        # The smallest k with value / 2^k <= 1.
        expected = max(0, math.ceil(math.log2(value)))
        assert halvings == expected, f"input {value}"
        assert nodes == halvings, "one division node per halving"
        # d/dv (v / 2^k) = 2^-k, printed with 6 decimals.
        assert abs(gradient - 0.5**halvings) <= 5e-7, f"input {value}"
        halvings_seen.add(halvings)
    assert len(halvings_seen) == len(rows), "different inputs should record graphs of different lengths"


def test_second_backward_fails_and_retain_graph_accumulates():
    output = run_example(AUTOGRAD_BASICS)
    first = re.search(r"^a = \[(.*)\]; after one backward\(\), a\.grad = \[(.*)\]$", output, re.MULTILINE)
    a, grad_once = floats_in(first.group(1)), floats_in(first.group(2))
    # d/da sum(a * a) = 2a.
    assert np.allclose(grad_once, 2 * a)
    assert "a second backward() through the same graph raised a RuntimeError" in output
    grad_twice = floats_in(line_value(output, "after two backward() calls, a.grad ="))
    # Two backward passes through one retained graph add up.
    assert np.allclose(grad_twice, 2 * (2 * a))


def test_inference_tensors_cannot_be_saved_but_no_grad_results_can():
    output = run_example(AUTOGRAD_BASICS)
    assert line_value(output, "made in inference_mode: is_inference") == "True | requires_grad False"
    assert line_value(output, "scale * x raised RuntimeError:") == (
        "Inference tensors cannot be saved for backward")
    # d/dx sum(scale + x) = 1 everywhere: the addition saves nothing, so it is recorded.
    after = output.split("scale + x is recorded, backward works, x.grad =\n")[1]
    rows = [floats_in(line) for line in after.splitlines()[:2]]
    assert np.array_equal(np.array(rows), np.ones((2, 2)))
    # d/dx sum(3 * x) = 3 everywhere: the no_grad tensor of threes works as a constant.
    after = output.split("made under no_grad: is_inference False | backward works, x.grad =\n")[1]
    rows = [floats_in(line) for line in after.splitlines()[:2]]
    assert np.array_equal(np.array(rows), np.full((2, 2), 3.0))


def test_outputs_without_a_derivative_never_require_gradients():
    output = run_example(AUTOGRAD_BASICS)
    assert line_value(output, "x.argmax().requires_grad:") == (
        "False | (x > 0).requires_grad: False | x.round().requires_grad: True")


def test_autograd_derivative_of_sin_is_cos():
    output = run_example(AUTOGRAD_BASICS)
    rows = re.findall(r"^t = ([-+]\d+\.\d{4}): autograd ([-+]\d\.\d{6}), cos t ([-+]\d\.\d{6})$",
                      output, re.MULTILINE)
    assert len(rows) >= 5
    grid = np.linspace(-2 * np.pi, 2 * np.pi, 200)
    for t_text, autograd_text, _ in rows:
        # The printed t is rounded to 4 decimals: find the grid point it shows.
        index = int(np.argmin(np.abs(grid - float(t_text))))
        assert abs(grid[index] - float(t_text)) <= 5e-5
        # float32 arithmetic and 6 printed decimals.
        assert abs(float(autograd_text) - np.cos(grid[index])) <= 2e-6, t_text
    assert {float(t) for t, _, _ in rows} >= {round(-2 * np.pi, 4), round(2 * np.pi, 4)}


# Two-layer network -------------------------------------------------------------


def numpy_two_layer_losses(steps: int = 500, learning_rate: float = 1e-6) -> tuple[float, list[float]]:
    """The same seeded training, with gradients derived by hand and float64 arithmetic.

    Only the random numbers come from torch (numpy cannot reproduce its
    generator); they are drawn in the order the lesson describes: inputs,
    targets, first-layer weights, second-layer weights.
    """
    torch.manual_seed(0)
    x, y, w1, w2 = (torch.randn(*shape).double().numpy()
                    for shape in ((64, 1000), (64, 10), (1000, 100), (100, 10)))
    losses = []
    for _ in range(steps):
        hidden = x @ w1
        relu = np.maximum(hidden, 0)
        error = relu @ w2 - y
        losses.append(float(np.sum(error**2)))
        grad_pred = 2 * error
        grad_w2 = relu.T @ grad_pred
        grad_hidden = (grad_pred @ w2.T) * (hidden > 0)
        grad_w1 = x.T @ grad_hidden
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return losses[0], losses


def test_two_layer_net_start_loss_is_large_because_of_the_weights_scale():
    output = run_example(TWO_LAYER_NET)
    torch.manual_seed(0)
    x, y, w1, w2 = (torch.randn(*shape).double().numpy()
                    for shape in ((64, 1000), (64, 10), (1000, 100), (100, 10)))
    mean_loss = np.mean((np.maximum(x @ w1, 0) @ w2 - y) ** 2)
    scaled = np.mean((np.maximum(x @ (w1 / math.sqrt(1000)), 0) @ (w2 / math.sqrt(100)) - y) ** 2)
    printed = re.search(r"^mean loss before training ([0-9.]+), expected from the weights' variance (\d+)$",
                        output, re.MULTILINE)
    assert float(printed.group(1)) == pytest.approx(mean_loss, abs=0.1)
    # Var(prediction) = H * E[relu(z)^2] with z ~ N(0, D_in): H * D_in / 2, plus Var(y) = 1.
    assert int(printed.group(2)) == 100 * 1000 // 2 + 1
    assert 40_000 < mean_loss < 60_000  # "near 46,000", and near the expectation
    (printed_scaled,) = floats_in(line_value(output, "mean loss with weights scaled by 1/sqrt(inputs)"))
    assert printed_scaled == pytest.approx(scaled, abs=1e-4)
    assert 1.0 < scaled < 2.0  # "near 1.5"


def printed_losses(output: str) -> tuple[list[int], list[float]]:
    pairs = LOSS_LINE.findall(output)
    return [int(step) for step, _ in pairs], [float(loss) for _, loss in pairs]


def test_two_layer_net_prints_one_loss_line_per_hundred_steps():
    output = run_example(TWO_LAYER_NET)
    # N, D_in, H, D_out = 64, 1000, 100, 10: two weight matrices, no biases.
    assert f"{1000 * 100 + 100 * 10} weights to fit {64 * 10} target numbers" in output.splitlines()
    steps, _ = printed_losses(output)
    assert len(steps) == 500 // 100
    assert steps == list(range(99, 500, 100))
    assert output.rstrip().splitlines()[-1].startswith("Result: ")


def test_two_layer_net_loss_falls_steadily_and_far():
    output = run_example(TWO_LAYER_NET)
    _, losses = printed_losses(output)
    # Gradient descent with a small enough step lowers the loss at every step;
    # only values at the float32 floor may print equal (as 0.0000).
    for before, after in itertools.pairwise(losses):
        assert after < before or after == before <= 1e-4, losses
    # 64 examples against 101,000 weights: the network can memorise the random
    # targets, so the sum of squares goes essentially to zero, from tens of millions.
    start = float(re.search(r"^loss before training ([0-9.]+)$", output, re.MULTILINE).group(1))
    final = float(re.search(r"^Result: .*, ([0-9.]+) after 500 steps$", output, re.MULTILINE).group(1))
    assert start > 1e6
    assert losses[-1] < losses[0] * 1e-4
    assert final < 1e-2 < start * 1e-8


def test_two_layer_net_matches_a_numpy_training_with_hand_derived_gradients():
    output = run_example(TWO_LAYER_NET)
    start, reference = numpy_two_layer_losses()
    printed_start = float(re.search(r"^loss before training ([0-9.]+)$", output, re.MULTILINE).group(1))
    assert math.isclose(printed_start, start, rel_tol=1e-5)
    steps, losses = printed_losses(output)
    for step, loss in zip(steps, losses, strict=True):
        # float32 against float64: close while the loss is large, and both tiny at the end
        # (float32 stalls near 1e-5, where 4-decimal printing cannot tell them apart).
        assert abs(loss - reference[step]) <= 1e-3 * reference[step] + 1e-3, (step, loss, reference[step])
