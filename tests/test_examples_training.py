"""The training examples learn what they claim, checked against independent references.

Polynomial regression. The example stops at the first step after which the
mean squared error on a fixed held-out batch of 1000 standard normal x values
is below 1e-3. For learned minus true coefficients d = (db, dw1, dw2, dw3) the
error at x is d · (1, x, x², x³), so its mean square over the whole normal
distribution is dᵀ G d with G[i][j] = E[x^(i+j)], from the normal moments
1, 0, 1, 0, 3, 0, 15. A held-out batch of 1000 estimates dᵀ G d closely: over
60 seeds of the same loop on a CPU, dᵀ G d at the stop had median 1.02e-3,
90th percentile 1.11e-3 and maximum 1.18e-3 (with the old rule, one training
batch of 32 below the threshold, the median was 1.7e-3 and the maximum
4.2e-3 over 200 seeds). We allow dᵀ G d ≤ M = 2e-3, well above the worst seen.
Within that ellipse a single coefficient can be off by at most
sqrt(M (G⁻¹)ᵢᵢ), which is about 0.055, 0.071, 0.032 and 0.018 for b, w1, w2
and w3 (x and x³ are strongly correlated under a normal distribution, so w1
is the least well pinned). Both bounds are asserted, from the printed numbers
alone.

The lesson's table of eigenvalues of G for three distributions of x is
recomputed here with Gauss quadrature (Gauss-Legendre for the uniform
distribution, Gauss-Hermite for the normal ones), which is exact for
polynomials of these degrees.

Digits. Ten classes make chance 0.1. A plain logistic regression, fitted here
with scikit-learn on the same split, scores about 0.97, and the MLP scores
about the same; requiring 0.9 leaves room for a different random stream on a
GPU while any real bug (labels misaligned with images, no training, a wrong
denominator) lands far below it.
"""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest

pytest.importorskip("scipy")  # not in the light tier's environment (nox -s unit)
pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
pytest.importorskip("sklearn")  # not in the light tier's environment (nox -s unit)
import scipy.stats
import torch
from conftest import run_example
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

REGRESSION = "examples_nn/polynomial_regression.py"
DIGITS = "examples_nn/digits_workflow.py"

NUMBER = r"([-+]?\d+\.\d+)"
LOSS_LINE = re.compile(rf"^step\s+(\d+)\s+batch loss\s+{NUMBER}\s+held-out loss\s+{NUMBER}$", re.MULTILINE)
STOPPED = re.compile(r"^Stopped after (\d+) steps$", re.MULTILINE)
TABLE_ROW = re.compile(rf"^(b|w1|w2|w3)\s+learned\s+{NUMBER}\s+true\s+{NUMBER}\s+difference\s+{NUMBER}$",
                       re.MULTILINE)
RESULT = re.compile(rf"^Result: y = {NUMBER} {NUMBER} x {NUMBER} x\^2 {NUMBER} x\^3$", re.MULTILINE)

TRUE_COEFFICIENTS = np.array([0.9, 0.5, 3.0, 2.4])  # b, w1, w2, w3
STOP_LOSS = 1e-3
PRINT_EVERY = 250
NORMAL_MOMENTS = [1, 0, 1, 0, 3, 0, 15]  # E[x^k] for x ~ N(0, 1)
MAX_POPULATION_MSE = 2e-3  # see the module docstring
REGRESSION_LR = 1e-3

SIZES = re.compile(r"^(\d+) images: (\d+) for training, (\d+) for testing$", re.MULTILINE)
EPOCH_LINE = re.compile(r"^epoch\s+(\d+)\s+lr\s+([0-9.]+)\s+train loss\s+([0-9.]+)\s+test accuracy\s+([0-9.]+)$",
                        re.MULTILINE)
ACCURACY = re.compile(r"^Test accuracy: ([0-9.]+) \((\d+) of (\d+)\)$", re.MULTILINE)
RELOADED = re.compile(r"^reloaded model: test accuracy ([0-9.]+) \((\d+) of (\d+)\)$", re.MULTILINE)
DIGITS_LR, MOMENTUM, STEP_SIZE, GAMMA = 0.05, 0.9, 5, 0.5
TEST_FRACTION = 0.2


def normal_gram() -> np.ndarray:
    return np.array([[NORMAL_MOMENTS[i + j] for j in range(4)] for i in range(4)], dtype=float)


def regression_table(output: str) -> dict[str, tuple[float, float, float]]:
    return {name: (float(learned), float(true), float(diff))
            for name, learned, true, diff in TABLE_ROW.findall(output)}


def learned_coefficients(output: str) -> np.ndarray:
    table = regression_table(output)
    return np.array([table[name][0] for name in ("b", "w1", "w2", "w3")])


def gram_by_quadrature(kind: str, scale: float) -> np.ndarray:
    """E[f fᵀ] for f = (1, x, x², x³), by a quadrature exact for degree 6."""
    if kind == "uniform":
        nodes, weights = np.polynomial.legendre.leggauss(8)
        nodes, weights = scale * nodes, weights / 2
    else:
        nodes, weights = np.polynomial.hermite_e.hermegauss(8)
        nodes, weights = scale * nodes, weights / np.sqrt(2 * np.pi)
    features = np.vander(nodes, 4, increasing=True)
    return features.T @ (weights[:, None] * features)


def test_regression_table_of_curvatures_matches_quadrature():
    output = run_example(REGRESSION)
    rows = re.findall(r"^(uniform on \[-0\.5, 0\.5\]|standard normal|normal, sd 3)\s+(\S+)\s+(\S+)\s+(\S+)"
                      r"\s+(\S+)$", output, re.MULTILINE)
    assert [name for name, *_ in rows] == ["uniform on [-0.5, 0.5]", "standard normal", "normal, sd 3"]
    for (name, smallest, largest, limit, steps), (kind, scale) in zip(
            rows, [("uniform", 0.5), ("normal", 1.0), ("normal", 3.0)], strict=True):
        eigenvalues = np.linalg.eigvalsh(gram_by_quadrature(kind, scale))
        # Printed with three significant digits.
        assert float(smallest) == pytest.approx(eigenvalues[0], rel=5e-3), name
        assert float(largest) == pytest.approx(eigenvalues[-1], rel=5e-3), name
        assert float(limit) == pytest.approx(1 / eigenvalues[-1], rel=5e-3), name
        if 1 / eigenvalues[-1] > REGRESSION_LR:
            assert float(steps) == pytest.approx(1 / (2 * REGRESSION_LR * eigenvalues[0]), rel=5e-3), name
        else:
            assert steps == "diverges", name
    # What the text concludes from the table.
    uniform, normal, wide = rows
    assert float(uniform[4]) > 1e6 and 1e3 <= float(normal[4]) < 2e3 and wide[4] == "diverges"


def test_regression_stops_when_the_held_out_loss_is_below_the_threshold():
    output = run_example(REGRESSION)
    rows = LOSS_LINE.findall(output)
    steps = [int(step) for step, _, _ in rows]
    held_out = [float(value) for _, _, value in rows]
    stopped = int(STOPPED.search(output).group(1))

    assert held_out[-1] < STOP_LOSS
    assert steps[-1] == stopped
    # Every earlier report was at a multiple of PRINT_EVERY and had not yet reached the threshold,
    # otherwise training would have stopped there.
    assert steps[:-1] == list(range(PRINT_EVERY, stopped, PRINT_EVERY))
    assert all(value >= STOP_LOSS for value in held_out[:-1])
    assert held_out[-1] < held_out[0] / 100
    # "The batch loss dips below the threshold many times before the held-out loss gets there."
    early = int(re.search(r"^batch losses below 0\.001 before the stop: (\d+)$", output, re.MULTILINE).group(1))
    assert early >= 5


def test_regression_recovers_the_hidden_cubic():
    output = run_example(REGRESSION)
    table = regression_table(output)
    assert list(table) == ["b", "w1", "w2", "w3"]
    learned = learned_coefficients(output)
    printed_true = np.array([table[name][1] for name in ("b", "w1", "w2", "w3")])
    assert np.array_equal(printed_true, TRUE_COEFFICIENTS)
    printed_difference = np.array([table[name][2] for name in ("b", "w1", "w2", "w3")])
    # Each printed value is rounded to 4 decimals.
    assert np.allclose(printed_difference, learned - TRUE_COEFFICIENTS, rtol=0, atol=1.01e-4)

    difference = learned - TRUE_COEFFICIENTS
    gram = normal_gram()
    population_mse = difference @ gram @ difference
    # The largest |dᵢ| anywhere in the ellipse dᵀ G d <= M (see the module docstring).
    tolerance = np.sqrt(MAX_POPULATION_MSE * np.diag(np.linalg.inv(gram)))
    assert population_mse <= MAX_POPULATION_MSE, f"{learned}: mean squared error {population_mse:.2e}"
    assert np.all(np.abs(difference) <= tolerance), f"{learned} vs {TRUE_COEFFICIENTS}, allowed {tolerance}"


def test_regression_result_line_matches_the_table():
    output = run_example(REGRESSION)
    result = [float(value) for value in RESULT.search(output).groups()]
    assert result == learned_coefficients(output).tolist()


def test_regression_gap_between_the_curves_is_what_is_printed():
    output = run_example(REGRESSION)

    def printed(label: str) -> float:
        return float(re.search(rf"^{re.escape(label)}: ([0-9.]+)$", output, re.MULTILINE).group(1))

    x = np.linspace(-3, 3, 601)
    powers = np.vander(x, 4, increasing=True)
    true_y = powers @ TRUE_COEFFICIENTS
    gap = np.abs(powers @ learned_coefficients(output) - true_y)
    inside = np.abs(x) <= 2
    # The coefficients are printed to 4 decimals: at |x| <= 2 that moves the
    # curve by at most 5e-5 (1 + 2 + 4 + 8), at |x| <= 3 by 5e-5 (1 + 3 + 9 + 27).
    assert printed("largest gap for |x| <= 2") == pytest.approx(gap[inside].max(), abs=7.5e-4 + 1e-4)
    assert printed("largest gap for |x| <= 3") == pytest.approx(gap.max(), abs=2e-3 + 1e-4)
    assert printed("largest |y| for |x| <= 3") == pytest.approx(np.abs(true_y).max(), abs=1e-4)
    share = scipy.stats.norm.cdf(2) - scipy.stats.norm.cdf(-2)
    assert printed("share of standard normal x with |x| <= 2") == pytest.approx(share, abs=1e-4)
    # "Several times larger out at |x| = 3", "tiny next to the values of y there".
    assert printed("largest gap for |x| <= 3") > 3 * printed("largest gap for |x| <= 2")
    assert printed("largest gap for |x| <= 3") < printed("largest |y| for |x| <= 3") / 100


def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The example's split, rebuilt from its seed: train images, train labels, test images, test labels."""
    digits = load_digits()
    n_test = int(len(digits.target) * TEST_FRACTION)
    order = torch.randperm(len(digits.target), generator=torch.Generator().manual_seed(0)).numpy()
    test, train = order[:n_test], order[n_test:]
    images = digits.data / 16.0
    return images[train], digits.target[train], images[test], digits.target[test]


def test_digits_split_sizes():
    output = run_example(DIGITS)
    total, n_train, n_test = (int(v) for v in SIZES.search(output).groups())
    expected_total = len(load_digits().target)
    assert total == expected_total == 1797
    assert n_test == int(expected_total * TEST_FRACTION) == 359
    assert n_train + n_test == total


def epoch_rows(output: str) -> list[tuple[int, float, float, float]]:
    return [(int(e), float(lr), float(loss), float(acc)) for e, lr, loss, acc in EPOCH_LINE.findall(output)]


def test_digits_accuracy_lines_are_consistent():
    output = run_example(DIGITS)
    n_test = int(len(load_digits().target) * TEST_FRACTION)
    rows = epoch_rows(output)
    assert [e for e, _, _, _ in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 5
    accuracies = EPOCH_LINE.findall(output)
    for *_, accuracy in accuracies:
        # Every accuracy is a count of correct test images over the test set size.
        assert f"{round(float(accuracy) * n_test) / n_test:.4f}" == accuracy
    train_losses = [loss for _, _, loss, _ in rows]
    assert train_losses[-1] < train_losses[0] / 5

    fraction, correct, total = ACCURACY.search(output).groups()
    assert int(total) == n_test
    assert f"{int(correct) / int(total):.4f}" == fraction
    assert fraction == accuracies[-1][3], "the final accuracy is the last epoch's"


def test_digits_learning_rate_halves_every_five_epochs():
    output = run_example(DIGITS)
    for epoch, lr, _, _ in epoch_rows(output):
        assert lr == DIGITS_LR * GAMMA ** ((epoch - 1) // STEP_SIZE), epoch


def test_digits_momentum_steps_grow_towards_lr_over_one_minus_momentum():
    output = run_example(DIGITS)
    effective = float(re.search(r"^effective learning rate lr / \(1 - momentum\) = ([0-9.]+)$", output,
                                re.MULTILINE).group(1))
    assert effective == round(DIGITS_LR / (1 - MOMENTUM), 2)
    moves = {int(k): float(v) for k, v in re.findall(r"^step\s+(\d+) moves the weight by ([0-9.]+)$",
                                                     output, re.MULTILINE)}
    assert set(moves) >= {1, 2, 60}
    for k, move in moves.items():
        # With a constant gradient of 1 the buffer after k steps is 1 + mu + ... + mu^(k-1).
        by_hand = DIGITS_LR * sum(MOMENTUM**j for j in range(k))
        assert abs(move - by_hand) <= 6e-5, (k, move, by_hand)
    assert moves[60] > 0.99 * DIGITS_LR / (1 - MOMENTUM)


def test_digits_learning_curve_is_what_the_text_says():
    output = run_example(DIGITS)
    loss = {epoch: value for epoch, _, value, _ in epoch_rows(output)}
    drop = {epoch: loss[epoch - 1] - loss[epoch] for epoch in loss if epoch > 1}
    # "After the first halving (epoch 6) the loss drops by much more than in the two epochs before."
    assert drop[6] > 2 * max(drop[4], drop[5])
    # "The drop after the second (epoch 11) is smaller than the one at epoch 8."
    assert 0 < drop[11] < drop[8]
    # "After the third (epoch 16) the loss even goes up."
    assert drop[16] < 0
    accuracies = [accuracy for *_, accuracy in epoch_rows(output)]
    # "The test accuracy levels off after a few epochs."
    assert max(accuracies[4:]) - min(accuracies[4:]) < 0.03


def test_digits_accuracy_well_above_chance_and_near_logistic_regression():
    output = run_example(DIGITS)
    accuracy = float(ACCURACY.search(output).group(1))
    assert accuracy >= 0.9

    train_x, train_y, test_x, test_y = digits_split()
    baseline = LogisticRegression(max_iter=2000).fit(train_x, train_y).score(test_x, test_y)
    assert baseline > 0.9, "the reference itself should read digits well"
    assert accuracy >= baseline - 0.03, f"MLP {accuracy:.4f} vs logistic regression {baseline:.4f}"


def test_digits_state_dict_holds_the_architectures_tensors_and_reloads():
    output = run_example(DIGITS)
    # nn.Sequential numbers its layers; the Linear layers are 0, 3 and 6 (ReLU and Dropout between).
    sizes = [(64, 128), (128, 64), (64, 10)]
    expected = {}
    for index, (n_in, n_out) in zip((0, 3, 6), sizes, strict=True):
        expected[f"{index}.weight"] = (n_out, n_in)
        expected[f"{index}.bias"] = (n_out,)
    rows = re.findall(r"^(\d\.\w+)\s+Tensor (\(.*\))$", output, re.MULTILINE)
    assert {name: ast.literal_eval(shape) for name, shape in rows} == expected

    final = ACCURACY.search(output).groups()
    assert RELOADED.search(output).groups() == final, "the reloaded weights score what the trained ones did"
    refused = output.split("a one-layer model refused the weights:\n")[1]
    assert 'Unexpected key(s) in state_dict: "3.weight", "3.bias", "6.weight", "6.bias".' in refused
    assert "size mismatch for 0.weight: copying a param with shape torch.Size([128, 64])" in refused
