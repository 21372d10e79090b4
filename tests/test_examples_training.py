"""The training examples learn what they claim, checked against independent references.

Polynomial regression. The example stops at the first batch of 32 standard
normal x values whose mean squared error is below 1e-3. For learned minus
true coefficients d = (db, dw1, dw2, dw3) the error at x is d · (1, x, x², x³),
so its mean square over the whole normal distribution is dᵀ G d with
G[i][j] = E[x^(i+j)], from the normal moments 1, 0, 1, 0, 3, 0, 15. One batch
of 32 only estimates dᵀ G d, and stopping at the first batch below the
threshold biases that estimate low: over 200 seeds of the same loop on a CPU,
dᵀ G d at the stop had median 1.7e-3, 99th percentile 3.1e-3 and maximum
4.2e-3. We allow dᵀ G d ≤ M = 8e-3, about twice the worst seen. Within that
ellipse a single coefficient can be off by at most sqrt(M (G⁻¹)ᵢᵢ), which is
about 0.110, 0.141, 0.063 and 0.037 for b, w1, w2 and w3 (x and x³ are strongly
correlated under a normal distribution, so w1 is the least well pinned). Both
bounds are asserted, from the printed numbers alone.

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
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from conftest import run_example

REGRESSION = "examples_nn/polynomial_regression.py"
DIGITS = "examples_nn/digits_workflow.py"

NUMBER = r"([-+]?\d+\.\d+)"
LOSS_LINE = re.compile(rf"^step\s+(\d+)\s+loss\s+{NUMBER}$", re.MULTILINE)
STOPPED = re.compile(r"^Stopped after (\d+) steps$", re.MULTILINE)
TABLE_ROW = re.compile(rf"^(b|w1|w2|w3)\s+learned\s+{NUMBER}\s+true\s+{NUMBER}$", re.MULTILINE)
RESULT = re.compile(rf"^Result: y = {NUMBER} {NUMBER} x {NUMBER} x\^2 {NUMBER} x\^3$", re.MULTILINE)

TRUE_COEFFICIENTS = np.array([0.9, 0.5, 3.0, 2.4])  # b, w1, w2, w3
STOP_LOSS = 1e-3
PRINT_EVERY = 250
NORMAL_MOMENTS = [1, 0, 1, 0, 3, 0, 15]  # E[x^k] for x ~ N(0, 1)
MAX_POPULATION_MSE = 8e-3  # see the module docstring

SIZES = re.compile(r"^(\d+) images: (\d+) for training, (\d+) for testing$", re.MULTILINE)
EPOCH_LINE = re.compile(r"^epoch\s+(\d+)\s+lr\s+([0-9.]+)\s+train loss\s+([0-9.]+)\s+test accuracy\s+([0-9.]+)$",
                        re.MULTILINE)
ACCURACY = re.compile(r"^Test accuracy: ([0-9.]+) \((\d+) of (\d+)\)$", re.MULTILINE)
RELOADED = re.compile(r"^reloaded model: test accuracy ([0-9.]+) \((\d+) of (\d+)\)$", re.MULTILINE)
LEARNING_RATE, MOMENTUM, STEP_SIZE, GAMMA = 0.05, 0.9, 5, 0.5
TEST_FRACTION = 0.2


def normal_gram() -> np.ndarray:
    return np.array([[NORMAL_MOMENTS[i + j] for j in range(4)] for i in range(4)], dtype=float)


def regression_table(output: str) -> dict[str, tuple[float, float]]:
    return {name: (float(learned), float(true)) for name, learned, true in TABLE_ROW.findall(output)}


def test_regression_stops_below_the_threshold():
    output = run_example(REGRESSION)
    pairs = LOSS_LINE.findall(output)
    steps = [int(step) for step, _ in pairs]
    losses = [float(loss) for _, loss in pairs]
    stopped = int(STOPPED.search(output).group(1))

    assert losses[-1] < STOP_LOSS
    assert steps[-1] == stopped
    # Every earlier report was at a multiple of PRINT_EVERY and had not yet reached the threshold,
    # otherwise training would have stopped there.
    assert steps[:-1] == list(range(PRINT_EVERY, stopped, PRINT_EVERY))
    assert all(loss >= STOP_LOSS for loss in losses[:-1])
    assert losses[-1] < losses[0] / 100


def test_regression_recovers_the_hidden_cubic():
    output = run_example(REGRESSION)
    table = regression_table(output)
    assert list(table) == ["b", "w1", "w2", "w3"]
    learned = np.array([table[name][0] for name in ("b", "w1", "w2", "w3")])
    printed_true = np.array([table[name][1] for name in ("b", "w1", "w2", "w3")])
    assert np.array_equal(printed_true, TRUE_COEFFICIENTS)

    difference = learned - TRUE_COEFFICIENTS
    gram = normal_gram()
    population_mse = difference @ gram @ difference
    # The largest |dᵢ| anywhere in the ellipse dᵀ G d <= M (see the module docstring).
    tolerance = np.sqrt(MAX_POPULATION_MSE * np.diag(np.linalg.inv(gram)))
    assert population_mse <= MAX_POPULATION_MSE, f"{learned}: mean squared error {population_mse:.2e}"
    assert np.all(np.abs(difference) <= tolerance), f"{learned} vs {TRUE_COEFFICIENTS}, allowed {tolerance}"


def test_regression_result_line_matches_the_table():
    output = run_example(REGRESSION)
    table = regression_table(output)
    result = [float(value) for value in RESULT.search(output).groups()]
    assert result == [table[name][0] for name in ("b", "w1", "w2", "w3")]
    assert output.rstrip().splitlines()[-1].startswith("Result: y = ")


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
        assert lr == LEARNING_RATE * GAMMA ** ((epoch - 1) // STEP_SIZE), epoch


def test_digits_momentum_steps_grow_towards_lr_over_one_minus_momentum():
    output = run_example(DIGITS)
    effective = float(re.search(r"^effective learning rate lr / \(1 - momentum\) = ([0-9.]+)$", output,
                                re.MULTILINE).group(1))
    assert effective == round(LEARNING_RATE / (1 - MOMENTUM), 2)
    moves = {int(k): float(v) for k, v in re.findall(r"^step\s+(\d+) moves the weight by ([0-9.]+)$",
                                                     output, re.MULTILINE)}
    assert set(moves) >= {1, 2, 60}
    for k, move in moves.items():
        # With a constant gradient of 1 the buffer after k steps is 1 + mu + ... + mu^(k-1).
        by_hand = LEARNING_RATE * sum(MOMENTUM**j for j in range(k))
        assert abs(move - by_hand) <= 6e-5, (k, move, by_hand)
    assert moves[60] > 0.99 * LEARNING_RATE / (1 - MOMENTUM)


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
    for index, (n_in, n_out) in zip((0, 3, 6), sizes):
        expected[f"{index}.weight"] = (n_out, n_in)
        expected[f"{index}.bias"] = (n_out,)
    rows = re.findall(r"^(\d\.\w+)\s+Tensor (\(.*\))$", output, re.MULTILINE)
    assert {name: ast.literal_eval(shape) for name, shape in rows} == expected

    final = ACCURACY.search(output).groups()
    assert RELOADED.search(output).groups() == final, "the reloaded weights score what the trained ones did"
    refused = output.split("a one-layer model refused the weights:\n")[1]
    assert 'Unexpected key(s) in state_dict: "3.weight", "3.bias", "6.weight", "6.bias".' in refused
    assert "size mismatch for 0.weight: copying a param with shape torch.Size([128, 64])" in refused
