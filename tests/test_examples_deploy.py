"""The sequence-shapes, deployment and old-code lessons compute what they say.

Each test runs an example on its own (``run_example``), reads its printed
lines, and compares them with values worked out here independently: shapes
from the documented formulas of ``nn.RNN``, ``nn.LSTM`` and ``nn.Transformer``
(not from calling the modules), FFT peaks and flips from NumPy, and a fresh
``torch.export`` round trip of a model built in the test.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import re

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import ROOT, run_example
from torch import nn

SEQUENCE = "examples_nn/sequence_shapes.py"
EXPORT = "examples_nn/export_model.py"
OLD_NEW = "examples_autograd/old_code_new_code.py"


def value_after(output: str, label: str):
    """The Python literal printed after ``label`` on the line that starts with it."""
    # The value starts with a bracket, a quote or a digit, so "src" does not match "src tokens (3, 7)".
    match = re.search(rf"^{re.escape(label)}\s+([\[(\-\d'\"].*)$", output, re.MULTILINE)
    assert match, f"no line starting with {label!r}"
    return ast.literal_eval(match.group(1).strip())


def flag(output: str, label: str) -> bool:
    """The True/False printed after ``label:``."""
    match = re.search(rf"^{re.escape(label)}:?\s+(True|False)$", output, re.MULTILINE)
    assert match, f"no True/False line starting with {label!r}"
    return match.group(1) == "True"


# The hyperparameters the sequence lesson documents.
SEQ_LEN, BATCH, FEATURES, HIDDEN = 5, 3, 4, 6
NUM_LAYERS, NUM_DIRECTIONS = 2, 2
D_MODEL, NHEAD, SRC_LEN, TGT_LEN = 16, 4, 7, 5


def test_sequence_shapes_follow_the_documented_formulas():
    output = run_example(SEQUENCE)
    L, N, F, H = SEQ_LEN, BATCH, FEATURES, HIDDEN
    expected = {
        "x (seq_len, batch, features)": (L, N, F),
        "x (batch, seq_len, features)": (N, L, F),
        # RNN: output (L, N, D * H), h_n (num_layers * D, N, H); batch_first moves output only.
        "RNN output": (L, N, 1 * H),
        "RNN h_n": (1 * 1, N, H),
        "RNN batch_first output": (N, L, 1 * H),
        "RNN batch_first h_n": (1 * 1, N, H),
        "bidirectional RNN output": (L, N, NUM_DIRECTIONS * H),
        "bidirectional RNN h_n": (NUM_LAYERS * NUM_DIRECTIONS, N, H),
        # LSTM, batch_first, two layers, one direction: c_n is shaped like h_n.
        "LSTM output": (N, L, H),
        "LSTM h_n": (NUM_LAYERS, N, H),
        "LSTM c_n": (NUM_LAYERS, N, H),
        # Transformer, batch_first: the output has the target's length.
        "src tokens": (N, SRC_LEN),
        "src": (N, SRC_LEN, D_MODEL),
        "tgt": (N, TGT_LEN, D_MODEL),
        "encoder memory": (N, SRC_LEN, D_MODEL),
        "Transformer output": (N, TGT_LEN, D_MODEL),
        "mask": (TGT_LEN, TGT_LEN),
    }
    for label, shape in expected.items():
        assert value_after(output, label) == shape, label
    assert value_after(output, "features per head") == D_MODEL // NHEAD


def test_causal_mask_keeps_earlier_positions_unchanged():
    output = run_example(SEQUENCE)
    changed = 3
    masked = value_after(output, "largest change per position, with the mask:")
    open_ = value_after(output, "largest change per position, without mask:")
    assert len(masked) == len(open_) == TGT_LEN
    # Printed to 4 decimals: an unchanged position prints as 0.0.
    assert all(v == 0.0 for v in masked[:changed]), masked
    assert masked[changed] > 1e-3, "the changed token's own output moves"
    assert all(v > 1e-3 for v in open_), "without the mask every position sees the change"


def test_causal_mask_lets_each_position_see_itself_and_the_past():
    output = run_example(SEQUENCE)
    for i in range(TGT_LEN):
        assert value_after(output, f"position {i} attends to") == list(range(i + 1))


PROBE = np.array([-2.0, -1.0, 1.0, 2.0])
COPY_LINE = re.compile(r"^(sin\(x\)|original|state_dict copy|exported|reloaded \.pt2|TorchScript|ONNX Runtime)"
                       r"\s+([-+]\d\.\d{4})\s+([-+]\d\.\d{4})\s+([-+]\d\.\d{4})\s+([-+]\d\.\d{4})$",
                       re.MULTILINE)


def onnx_can_run() -> bool:
    return all(importlib.util.find_spec(name) for name in ("onnx", "onnxscript", "onnxruntime"))


def test_every_copy_gives_the_original_outputs_and_they_approximate_sin():
    output = run_example(EXPORT)
    copies = {name: np.array([float(v) for v in values]) for name, *values in COPY_LINE.findall(output)}
    expected = ["sin(x)", "original", "state_dict copy", "exported", "reloaded .pt2", "TorchScript"]
    if onnx_can_run():
        expected.append("ONNX Runtime")
    assert list(copies) == expected
    assert np.allclose(copies["sin(x)"], np.sin(PROBE), rtol=0, atol=5.01e-5)
    # The model learned sin(x) on [-pi, pi]: within 0.1 at the probe points, by numpy.
    assert np.all(np.abs(copies["original"] - np.sin(PROBE)) < 0.1), copies["original"]
    for name in ("state_dict copy", "exported", "reloaded .pt2", "TorchScript"):
        # The same float32 arithmetic: the same printed digits.
        assert np.array_equal(copies[name], copies["original"]), name
    if "ONNX Runtime" in copies:
        # Another runtime rounds differently: one unit in the last printed digit at most.
        assert np.allclose(copies["ONNX Runtime"], copies["original"], rtol=0, atol=1.01e-4)
        # The dynamic batch dimension keeps the name given to torch.export.Dim.
        assert re.search(r"^ONNX input x \['batch', 1\]$", output, re.MULTILINE)


def test_state_dict_holds_tensors_shaped_by_the_architecture():
    output = run_example(EXPORT)
    width = 32
    expected = {"hidden.weight": (width, 1), "hidden.bias": (width,), "out.weight": (1, width),
                "out.bias": (1,)}
    rows = re.findall(r"^(\S+)\s+Tensor (\(.*\))$", output, re.MULTILINE)
    assert {name: ast.literal_eval(shape) for name, shape in rows} == expected
    assert list(value_after(output, "parameters")) == list(expected)


def test_export_traces_with_fake_tensors_and_checks_shapes():
    output = run_example(EXPORT)
    seen = re.findall(r"^forward received a (\w+) of shape \((\w+), (\d+)\)$", output, re.MULTILINE)
    assert len(seen) == 1
    kind, batch, features = seen[0]
    assert kind == "FakeTensor"
    assert re.fullmatch(r"s\d+", batch), "the batch size is a symbol, not 256"
    # The text names the symbol torch gave it.
    source = (ROOT / EXPORT).read_text(encoding="utf-8")
    assert f"the symbol ``{batch}``" in source
    assert features == "1"
    assert value_after(output, "batch of 1 ->") == (1, 1)
    assert value_after(output, "batch of 1000 ->") == (1000, 1)
    assert re.search(r"^two features rejected: .*size\(\)\[1\] == 1$", output, re.MULTILINE)


def test_tracing_freezes_the_branch_and_export_refuses_it():
    output = run_example(EXPORT)
    ones = np.ones(3)
    # SignFlip: 2x for a batch with a positive sum, -x otherwise.
    assert value_after(output, "eager  on a negative batch:") == (-(-ones)).tolist()  # noqa: B002 (-x of the negative batch -ones)
    # Traced on a positive batch, the 2x branch is all the trace holds.
    assert value_after(output, "traced on a negative batch:") == (2 * -ones).tolist()
    assert re.search(r"^TracerWarning: Converting a tensor to a Python boolean", output, re.MULTILINE)
    # The text explains the expression by name: u0 and Eq(u0, 1).
    assert re.search(r"^GuardOnDataDependentSymNode: Could not guard on data-dependent expression Eq\(u0, 1\)",
                     output, re.MULTILINE)
    assert "exported" not in output.splitlines()
    assert value_after(output, "exported on a positive batch:") == (2 * ones).tolist()
    assert value_after(output, "exported on a negative batch:") == (-(-ones)).tolist()  # noqa: B002 (-x of the negative batch -ones)


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(1, 32)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


def test_export_round_trip_and_operations_independently(tmp_path):
    torch.manual_seed(1)
    model = TinyNet().eval()
    example = torch.randn(8, 1)
    exported = torch.export.export(model, (example,), dynamic_shapes={"x": {0: torch.export.Dim("batch")}})
    torch.export.save(exported, tmp_path / "tiny.pt2")
    loaded = torch.export.load(tmp_path / "tiny.pt2").module()
    other_batch = torch.linspace(-3, 3, 21).unsqueeze(1)
    with torch.no_grad():
        assert torch.allclose(loaded(other_batch), model(other_batch), rtol=1e-5, atol=1e-6)
    # The same architecture records the same operations that the lesson prints.
    ops = sorted({str(node.target) for node in exported.graph.nodes if node.op == "call_function"})
    assert value_after(run_example(EXPORT), "operations") == ops


def test_old_update_idioms_and_what_data_hides():
    output = run_example(OLD_NEW)
    lines = output.splitlines()
    # One gradient step on sum(w^2) from w = [1, 2]: w - 0.1 * 2w = 0.8 w.
    expected = (0.8 * np.array([1.0, 2.0])).tolist()
    assert re.search(r"^old update: (\[.*\]) \| grad afterwards \[0\.0, 0\.0\]$", output, re.MULTILINE)
    for label in ("old update:", "new update:"):
        match = re.search(rf"^{re.escape(label)} (\[.*?\]) \|", output, re.MULTILINE)
        assert ast.literal_eval(match.group(1)) == pytest.approx(expected, abs=1e-4)
    assert re.search(r"^new update: .* \| grad afterwards None$", output, re.MULTILINE)
    # (w * w) * w saves w * w from before the .data update and w itself after it:
    # the gradient is (w_old)^2 + 2 (w_new)^2, neither 3 w_old^2 nor 3 w_new^2.
    old_w = np.array([1.0, 2.0])
    new_w = old_w - 0.5
    mixed = old_w**2 + 2 * new_w**2
    match = re.search(r"^after a \.data update, backward gives (\[.*?\]) \| 3 w² is (\[.*?\]) at the old w, "
                      r"(\[.*?\]) at the new$", output, re.MULTILINE)
    assert match
    assert ast.literal_eval(match.group(1)) == pytest.approx(mixed.tolist())
    assert ast.literal_eval(match.group(2)) == (3 * old_w**2).tolist()
    assert ast.literal_eval(match.group(3)) == (3 * new_w**2).tolist()
    assert "after a no_grad update, backward refused: a value it needed was changed in place" in lines


def test_old_loss_flags_and_legacy_function():
    output = run_example(OLD_NEW)
    lines = output.splitlines()
    assert ("UserWarning: size_average and reduce args will be deprecated, "
            "please use reduction='sum' instead.") in lines
    assert ("UserWarning: size_average and reduce args will be deprecated, "
            "please use reduction='none' instead.") in lines
    squared = (np.array([2.0, 4.0]) - 1.0) ** 2
    assert f"MSELoss(size_average=False).reduction: 'sum' | loss {squared.sum()}" in lines
    assert value_after(output, "mse_loss(..., reduce=False):") == squared.tolist()
    assert value_after(output, "MSELoss(reduction='sum'):") == squared.sum()
    assert "making an instance: DeprecationWarning: MyReLU should not be instantiated" in lines
    assert ("calling it: RuntimeError: Legacy autograd function with non-static forward method "
            "is deprecated") in lines


def test_old_idioms_modern_values():
    output = run_example(OLD_NEW)
    lines = output.splitlines()
    assert "Variable(...) returns a Tensor with requires_grad True" in lines
    # y = sum(3 x^2): dy/dx = 6 x, and x is all ones.
    assert value_after(output, "x.grad") == (6 * np.ones((2, 2))).tolist()
    # Through .data the gradient of sigmoid is computed from the zeroed output:
    # zeros, where the true derivative s (1 - s) is not zero anywhere.
    a = np.array([1.0, 2.0, 3.0])
    sigmoid = 1 / (1 + np.exp(-a))
    true_gradient = sigmoid * (1 - sigmoid)
    assert np.all(true_gradient > 0.04)
    silent = value_after(output, "through .data, a.grad is silently")
    assert silent == [0.0, 0.0, 0.0]
    assert value_after(output, "the right gradient") == pytest.approx(true_gradient, abs=5.01e-5)
    assert "backward refused: a value it needed was changed in place" in lines
    assert value_after(output, "loss shape") == ()
    mse = float(np.mean((np.array([2.0, 4.0]) - np.array([1.0, 1.0])) ** 2))
    assert re.search(r"^loss\.item\(\) (\S+) float$", output, re.MULTILINE).group(1) == str(mse)
    assert "loss[0] raises IndexError" in lines
    assert re.search(r"^sum of tensors: Tensor with grad_fn Add\w*Backward\w*$", output, re.MULTILINE)
    assert value_after(output, "sum of numbers: float") == 3 * mse
    assert re.search(r"^model and inputs on the same device:\s+True$", output, re.MULTILINE)
    assert re.search(r"^\.to\(device\) on a tensor already there returns it:\s+True$", output,
                     re.MULTILINE)
    assert re.search(r"^torch\.tensor\(\[1, 0, 2\]\) torch\.int64 \[1, 0, 2\]$", output, re.MULTILINE)
    assert value_after(output, "torch.tensor([3.0])") == (1,)
    assert value_after(output, "torch.tensor(3.0)") == ()


def test_volatile_still_runs_warns_and_records_the_graph():
    output = run_example(OLD_NEW)
    warning = re.search(r"^UserWarning: (.*volatile.*)$", output, re.MULTILINE)
    assert warning and "no effect" in warning.group(1)
    assert re.search(r"^old_input\.requires_grad:\s+False$", output, re.MULTILINE)
    volatile = re.search(r"^volatile: output grad_fn (\w+) \| (\d+) numbers saved for backward$",
                         output, re.MULTILINE)
    assert volatile, "the volatile line"
    assert volatile.group(1) == "AddmmBackward0"  # the last layer is a Linear
    # The weight gradient of the second Linear needs the 64 x 200 hidden
    # activations: at least that much must have been kept.
    assert int(volatile.group(2)) >= 64 * 200
    assert re.search(r"^no_grad: output grad_fn None \| 0 numbers saved for backward$", output,
                     re.MULTILINE)


def test_fft_and_flip_gradients_and_isnan_mask():
    output = run_example(OLD_NEW)
    # Parseval: d/ds sum |fft(s)|^2 = 2 n s, here n = 8.
    assert value_after(output, "gradient / samples") == pytest.approx([2 * 8.0] * 8, abs=1e-6)
    match = re.search(r"^weights (\[.*?\])\s+gradient for u (\[.*?\])$", output, re.MULTILINE)
    weights = np.array(ast.literal_eval(match.group(1)))
    assert ast.literal_eval(match.group(2)) == np.flip(weights).tolist()
    assert re.search(r"^torch\.isnan\(w\): torch\.bool requires_grad False$", output, re.MULTILINE)
    w = np.array([1.0, np.nan, 2.0])
    assert value_after(output, "gradient through torch.where") == (~np.isnan(w)).astype(float).tolist()


def test_fft_matches_numpy_and_finds_the_two_sines():
    output = run_example(OLD_NEW)
    rate = 64
    t = np.arange(rate) / rate
    signal = np.sin(2 * math.pi * 5 * t) + 0.5 * np.sin(2 * math.pi * 12 * t)
    amplitude = 2 * np.abs(np.fft.rfft(signal)) / rate
    freqs = np.fft.rfftfreq(rate, d=1 / rate)
    peaks = np.sort(np.argsort(amplitude)[-2:])
    match = re.search(r"^peaks at \(Hz\) (\[.*?\])\s+amplitudes (\[.*?\])$", output, re.MULTILINE)
    assert match
    assert ast.literal_eval(match.group(1)) == freqs[peaks].tolist() == [5.0, 12.0]
    assert ast.literal_eval(match.group(2)) == pytest.approx(amplitude[peaks].tolist(), abs=1e-6)


def test_flip_and_nan_checks_match_numpy():
    output = run_example(OLD_NEW)
    m = np.arange(6).reshape(2, 3)
    assert value_after(output, "m") == m.tolist()
    assert value_after(output, "torch.flip(m, dims=[1])") == np.flip(m, 1).tolist()
    assert value_after(output, "torch.flip(m, dims=[0, 1])") == np.flip(m, (0, 1)).tolist()
    assert "m[:, ::-1] raises ValueError" in output.splitlines()

    v = np.array([1.0, np.nan, np.inf, -np.inf, -2.0])
    assert value_after(output, "isnan") == np.isnan(v).tolist()
    assert value_after(output, "isinf") == np.isinf(v).tolist()
    assert value_after(output, "isfinite") == np.isfinite(v).tolist()
    assert value_after(output, "nan_to_num") == np.nan_to_num(v, nan=0.0, posinf=100.0, neginf=-100.0).tolist()
