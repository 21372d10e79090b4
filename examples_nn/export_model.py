"""
Deployment: saving a model for later and for elsewhere
======================================================

A trained model is only useful if it can leave the Python session that
trained it. This lesson ships one small model four ways: its weights alone
with ``state_dict``; the whole computation with ``torch.export``, the way
forward in PyTorch 2; TorchScript, the older way that many articles still
show; and ONNX, a format that runtimes outside PyTorch can read. Each copy is
loaded back and compared with the original, and a model with an ``if``
shows where tracing and ``torch.export`` part ways.
"""

# %%
# A small model to ship
# ---------------------
#
# The model maps one number to one number through a hidden layer of 32 tanh
# units, and a few hundred Adam steps teach it sin(x) on [-π, π]. Before
# saving it we call ``model.eval()``: it changes nothing for this model, but
# layers such as dropout and batch norm behave differently in training, and
# a deployed model should be saved in the mode it will run in.
#
# To compare the copies we print each one's outputs at four probe points,
# x = -2, -1, 1 and 2, below the values of sin(x) there.

import contextlib
import importlib.util
import io
import logging
import math
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.fx.experimental.symbolic_shapes import GuardOnDataDependentSymNode

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")


class SineNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.hidden = nn.Linear(1, width)
        self.out = nn.Linear(width, 1)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


x = torch.linspace(-math.pi, math.pi, 256).unsqueeze(1).to(device)
y = torch.sin(x)
probe = torch.tensor([[-2.0], [-1.0], [1.0], [2.0]]).to(device)


def show(label, outputs):
    """Print a copy's outputs at the four probe points."""
    values = "  ".join(f"{v:+.4f}" for v in outputs.squeeze(1).tolist())
    print(f"{label:<16} {values}")


model = SineNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
for step in range(300):
    loss = nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model.eval()

with torch.no_grad():
    reference = model(x)
    show("sin(x)", torch.sin(probe))
    show("original", model(probe))

# All files go into a temporary folder that is removed at the end.
workdir = tempfile.TemporaryDirectory()
folder = Path(workdir.name)

# %%
# Weights only: the state_dict
# ----------------------------
#
# ``model.state_dict()`` is an ordered dictionary from parameter names to
# tensors, and nothing else: no code, no class. Saving it with
# ``torch.save`` is the simplest way to hand a model to other Python code,
# as long as that code has the class ``SineNet`` to build an empty model and
# pour the weights into. ``weights_only=True`` makes ``torch.load`` accept
# tensors and plain containers only, so a file from someone else cannot run
# arbitrary code while it loads; ``map_location`` puts the tensors on our
# device, whatever device saved them.

torch.save(model.state_dict(), folder / "sine_weights.pt")

state = torch.load(folder / "sine_weights.pt", weights_only=True,
                   map_location=device)
for name, tensor in state.items():
    print(f"{name:<14} {type(tensor).__name__} {tuple(tensor.shape)}")
restored = SineNet().to(device)
restored.load_state_dict(state)
restored.eval()
with torch.no_grad():
    show("state_dict copy", restored(probe))

# %%
# torch.export: the whole program
# -------------------------------
#
# ``torch.export.export`` does not run the model on the example's numbers.
# It calls ``forward`` with *fake tensors*: tensors that carry a shape, a
# dtype and a device but no data. Every operation on them computes only the
# shape, dtype and device of its result, and export records the operation
# into a graph, with the weights alongside. The result, an
# ``ExportedProgram``, no longer needs the Python class. It is exported on
# the device the model lives on.
#
# The example input fixes what the fake tensors look like, and by default
# each of its sizes becomes a fixed part of the program.
# ``torch.export.Dim`` marks a dimension as free: here the batch dimension
# of the argument ``x`` of ``forward``, so one exported program serves any
# number of inputs. Inside the trace that size is a symbol, not 256. A hook
# on the model shows what ``forward`` received while export traced it: a
# fake tensor whose first size is the symbol ``s77``, the name export gave
# to the batch size.

seen = []
hook = model.register_forward_pre_hook(
    lambda module, args: seen.append(
        (type(args[0]).__name__, tuple(args[0].shape))))
batch = torch.export.Dim("batch")
exported = torch.export.export(model, (x,),
                               dynamic_shapes={"x": {0: batch}})
hook.remove()
for kind, shape in seen:
    print(f"forward received a {kind} of shape {shape}")

# %%
# The graph signature says what the graph's inputs are: the parameters
# (lifted out of the module and passed in like arguments) and the user's
# own inputs.

signature = exported.graph_signature
print("parameters", signature.parameters)
print("user inputs", len(signature.user_inputs),
      " outputs", len(signature.user_outputs))
ops = sorted({str(node.target) for node in exported.graph.nodes
              if node.op == "call_function"})
print("operations", ops)

# %%
# One program, any batch size
# ---------------------------
#
# ``exported.module()`` wraps the graph as a callable module. Thanks to the
# dynamic batch dimension it takes one input or a thousand, while the
# feature dimension stays fixed at 1: an input with two features fails a
# check on the input's shape, which raises an ``AssertionError`` before
# any arithmetic runs.

program = exported.module()
with torch.no_grad():
    one = program(torch.zeros(1, 1).to(device))
    thousand = program(torch.zeros(1000, 1).to(device))
    print("batch of 1 ->", tuple(one.shape))
    print("batch of 1000 ->", tuple(thousand.shape))
    show("exported", program(probe))
    try:
        program(torch.zeros(4, 2).to(device))
        print("two features accepted")
    except AssertionError as error:
        print("two features rejected:", error)

# %%
# Saving and loading an ExportedProgram
# -------------------------------------
#
# ``torch.export.save`` writes the graph and the weights into one ``.pt2``
# file, and ``torch.export.load`` reads it back, in a program that has never
# seen ``SineNet``. An ``ExportedProgram`` is also where ahead-of-time
# compilation starts (AOTInductor for servers, ExecuTorch for phones), which
# is beyond this lesson.

torch.export.save(exported, folder / "sine.pt2")
loaded = torch.export.load(folder / "sine.pt2").module()
with torch.no_grad():
    from_pt2 = loaded(x)
    show("reloaded .pt2", loaded(probe))

# %%
# TorchScript, the older way
# --------------------------
#
# Before ``torch.export``, models were shipped with TorchScript.
# ``torch.jit.trace`` runs the model once on the example's real numbers and
# records the operations that ran, ``torch.jit.save`` writes them with the
# weights, and ``torch.jit.load`` reads them back, even from C++.
#
# In PyTorch 2.13 each of these functions warns that it is deprecated and
# points to ``torch.export``. Old code still runs, and the cell below shows
# it, but new code should use ``torch.export``. The cell silences exactly
# that deprecation message and nothing else: it has been said once here,
# and the cell is about what the old code still does.

# torch.jit.trace, .save and .load each warn
# "`torch.jit.<name>` is deprecated".
JIT_DEPRECATED = r"`torch\.jit\.\w+` is deprecated"

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=DeprecationWarning,
                            message=JIT_DEPRECATED)
    traced = torch.jit.trace(model, (x,))
    torch.jit.save(traced, folder / "sine_traced.pt")
    scripted = torch.jit.load(folder / "sine_traced.pt", map_location=device)
    with torch.no_grad():
        from_torchscript = scripted(x)
        show("TorchScript", scripted(probe))

# %%
# Control flow: tracing guesses, export refuses
# ---------------------------------------------
#
# Tracing has a blind spot. It sees a Python ``if`` only through the branch
# that the example took: the condition is evaluated once, on real numbers,
# and the other branch never enters the recording. ``SignFlip`` below
# doubles a batch whose sum is positive and negates any other batch. Traced
# with a positive batch, it doubles *every* batch from then on. PyTorch
# warns with a ``TracerWarning`` while tracing, but the traced model itself
# gives wrong answers without a word.


class SignFlip(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return -x


sign_flip = SignFlip()
positive = torch.ones(3, 1).to(device)
negative = -torch.ones(3, 1).to(device)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    traced_flip = torch.jit.trace(sign_flip, (positive,))
for warning in caught:
    if issubclass(warning.category, torch.jit.TracerWarning):
        print("TracerWarning:", str(warning.message).split(". ")[0])
        break
print("eager  on a negative batch:", sign_flip(negative).squeeze(1).tolist())
print("traced on a negative batch:",
      traced_flip(negative).squeeze(1).tolist())

# %%
# ``torch.export`` cannot guess: with fake tensors there is no number to
# compare with 0, so the condition has no value. Export gives the unknown
# truth value a name, ``u0``, finds that Python needs to know whether it is
# true (``Eq(u0, 1)``), and stops with a ``GuardOnDataDependentSymNode``
# error, a ``RuntimeError`` whose message goes on to name the line of the
# ``if``. A wrong program cannot slip through.
#
# Besides raising, PyTorch 2.13 logs a warning and prints the part of the
# graph it had traced. Both are useful when you debug your own model; here
# they would only fill the page, so the cell hides them and keeps the
# exception.

shape_logger = logging.getLogger("torch.fx.experimental.symbolic_shapes")
old_level = shape_logger.level
shape_logger.setLevel(logging.ERROR)
try:
    with contextlib.redirect_stderr(io.StringIO()):
        torch.export.export(sign_flip, (positive,))
    print("exported")
except GuardOnDataDependentSymNode as error:
    print(f"{type(error).__name__}: {str(error).splitlines()[0]}")
finally:
    shape_logger.setLevel(old_level)

# %%
# The way round is to put the choice into the graph. ``torch.cond(pred,
# true_fn, false_fn, operands)`` is an operation whose condition is a
# tensor: export records both branches, as two small graphs, and the
# exported program picks one each time it runs. When both results are
# cheap, ``torch.where(x.sum() > 0, x * 2, -x)`` avoids the branch
# altogether: it computes both and selects, ordinary tensor arithmetic that
# export records like any other.


class SignFlipCond(nn.Module):
    def forward(self, x):
        return torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: -t, (x,))


exported_flip = torch.export.export(SignFlipCond(), (positive,),
                                    dynamic_shapes={"x": {0: batch}})
flip_program = exported_flip.module()
print("operations", sorted({str(node.target)
                            for node in exported_flip.graph.nodes
                            if node.op == "call_function"}))
print("exported on a positive batch:",
      flip_program(positive).squeeze(1).tolist())
print("exported on a negative batch:",
      flip_program(negative).squeeze(1).tolist())

# %%
# ONNX, for other runtimes
# ------------------------
#
# ONNX is a file format for computation graphs that many runtimes read:
# ONNX Runtime, TensorRT, OpenVINO, browsers. ``torch.onnx.export`` with
# ``dynamo=True`` builds on ``torch.export`` and then translates each
# operation into ONNX. It needs two extra packages, ``onnx`` and
# ``onnxscript``, and running the result here needs ``onnxruntime``; where
# they are missing, this cell says so and moves on.
#
# The free batch dimension carries over, under the name we gave it. ONNX
# Runtime computes in its own way, so its outputs agree with PyTorch's to
# rounding error rather than bit for bit.

from_onnx = None
if not all(importlib.util.find_spec(name) for name in ("onnx", "onnxscript")):
    print("ONNX export skipped: "
          "the onnx and onnxscript packages are not installed")
else:
    onnx_logger = logging.getLogger("torch.onnx")
    old_level = onnx_logger.level
    # The exporter logs that torchvision is missing; this model uses no
    # torchvision operations.
    onnx_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            # torch 2.13's exporter trips over a deprecation inside torch
            # itself (LeafSpec); not ours.
            warnings.filterwarnings(
                "ignore", category=FutureWarning,
                message=r"`isinstance\(treespec, LeafSpec\)`")
            onnx_program = torch.onnx.export(
                model, (x,), dynamic_shapes={"x": {0: batch}}, dynamo=True,
                verbose=False)
    finally:
        onnx_logger.setLevel(old_level)
    onnx_program.save(folder / "sine.onnx")

    if importlib.util.find_spec("onnxruntime") is None:
        print("ONNX model written; onnxruntime is not installed, "
              "so it is not run")
    else:
        import onnxruntime

        session = onnxruntime.InferenceSession(
            str(folder / "sine.onnx"), providers=["CPUExecutionProvider"])
        onnx_input = session.get_inputs()[0]
        print("ONNX input", onnx_input.name, onnx_input.shape)
        (onnx_output,) = session.run(None, {onnx_input.name: x.cpu().numpy()})
        from_onnx = torch.from_numpy(onnx_output)
        (onnx_probe,) = session.run(
            None, {onnx_input.name: probe.cpu().numpy()})
        show("ONNX Runtime", torch.from_numpy(onnx_probe))

workdir.cleanup()

# %%
# Every copy draws the same curve
# -------------------------------
#
# The line is the original model; the markers, every eighth input, are the
# copies loaded back from files. They land on the line.

x_np = x.squeeze(1).cpu().numpy()
every = slice(None, None, 8)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(x_np, y.squeeze(1).cpu().numpy(), linewidth=5, alpha=0.3,
        label="sin(x)")
ax.plot(x_np, reference.squeeze(1).cpu().numpy(), color="black",
        linewidth=1, label="original model")
ax.plot(x_np[every], from_pt2.squeeze(1).cpu().numpy()[every], "o",
        mfc="none", ms=9, label="torch.export (.pt2)")
ax.plot(x_np[every], from_torchscript.squeeze(1).cpu().numpy()[every], "x",
        ms=7, label="TorchScript")
if from_onnx is not None:
    ax.plot(x_np[every], from_onnx.squeeze(1).numpy()[every], "+", ms=9,
            label="ONNX Runtime")
ax.set_xlabel("x")
ax.set_ylabel("model output")
ax.legend()
plt.show()
