"""
Deployment: saving a model for later and for elsewhere
======================================================

A trained model is only useful if it can leave the Python session that
trained it. This lesson ships one small model four ways: its weights alone
with ``state_dict``; the whole computation with ``torch.export``, the way
forward in PyTorch 2; TorchScript, the older way that many articles still
show; and ONNX, a format that runtimes outside PyTorch can read. Each copy is
loaded back and checked against the original.
"""

# %%
# A small model to ship
# ---------------------
#
# The model maps one number to one number through a hidden layer of 32 tanh
# units, and a few hundred Adam steps teach it sin(x) on [-π, π]. Before
# saving it we call ``model.eval()``: it changes nothing for this model, but
# layers such as dropout and batch norm behave differently in training, and a
# deployed model should be saved in the mode it will run in.

import importlib.util
import logging
import math
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch import nn

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


x = torch.linspace(-math.pi, math.pi, 256, device=device).unsqueeze(1)
y = torch.sin(x)

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
print("trained model fits sin(x) to within 0.1:", bool((reference - y).abs().max() < 0.1))

# All files go into a temporary folder that is removed at the end.
workdir = tempfile.TemporaryDirectory()
folder = Path(workdir.name)

# %%
# Weights only: the state_dict
# ----------------------------
#
# ``model.state_dict()`` is an ordered dictionary from parameter names to
# tensors. Saving it with ``torch.save`` is the simplest way to hand a model
# to other Python code, as long as that code has the class ``SineNet`` to
# build an empty model and pour the weights into. ``weights_only=True`` makes
# ``torch.load`` accept tensors and plain containers only, so a file from
# someone else cannot run arbitrary code while it loads; ``map_location``
# puts the tensors on our device, whatever device saved them.

torch.save(model.state_dict(), folder / "sine_weights.pt")

state = torch.load(folder / "sine_weights.pt", weights_only=True, map_location=device)
print("state_dict keys", list(state))
restored = SineNet().to(device)
restored.load_state_dict(state)
restored.eval()
with torch.no_grad():
    print("state_dict copy gives the same outputs:", torch.equal(restored(x), reference))

# %%
# torch.export: the whole program
# -------------------------------
#
# ``torch.export.export`` runs the model once on example inputs and records
# every tensor operation into a graph, with the weights alongside. The result,
# an ``ExportedProgram``, no longer needs the Python class. It is exported on
# the device the model lives on.
#
# An export records the shapes of the example, and by default each becomes a
# fixed part of the program. ``torch.export.Dim`` marks a dimension as free:
# here the batch dimension of the argument ``x`` of ``forward``, so one
# exported program serves any number of inputs.
#
# The graph signature says what the graph's inputs are: the parameters (lifted
# out of the module and passed in like arguments) and the user's own inputs.

batch = torch.export.Dim("batch")
exported = torch.export.export(model, (x,), dynamic_shapes={"x": {0: batch}})

signature = exported.graph_signature
print("parameters", signature.parameters)
print("user inputs", len(signature.user_inputs), " outputs", len(signature.user_outputs))
ops = sorted({str(node.target) for node in exported.graph.nodes if node.op == "call_function"})
print("operations", ops)

# %%
# One program, any batch size
# ---------------------------
#
# ``exported.module()`` wraps the graph as a callable module. Thanks to the
# dynamic batch dimension it takes one input or a thousand, while the feature
# dimension stays fixed at 1: an input with two features is rejected before
# any arithmetic runs.

program = exported.module()
with torch.no_grad():
    print("batch of 1 ->", tuple(program(torch.zeros(1, 1, device=device)).shape))
    print("batch of 1000 ->", tuple(program(torch.zeros(1000, 1, device=device)).shape))
    print("exported program gives the same outputs:",
          torch.allclose(program(x), reference, rtol=1e-5, atol=1e-6))
    try:
        program(torch.zeros(4, 2, device=device))
        print("two features accepted")
    except Exception:
        print("two features rejected")

# %%
# Saving and loading an ExportedProgram
# -------------------------------------
#
# ``torch.export.save`` writes the graph and the weights into one ``.pt2``
# file, and ``torch.export.load`` reads it back, in a program that has never
# seen ``SineNet``. The same file can also feed ahead-of-time compilation for
# servers or phones, which is beyond this lesson.

torch.export.save(exported, folder / "sine.pt2")
loaded = torch.export.load(folder / "sine.pt2").module()
with torch.no_grad():
    from_pt2 = loaded(x)
print("reloaded .pt2 gives the same outputs:", torch.allclose(from_pt2, reference, rtol=1e-5, atol=1e-6))

# %%
# TorchScript, the older way
# --------------------------
#
# Before ``torch.export``, models were shipped with TorchScript.
# ``torch.jit.trace`` runs the model on an example and records the operations,
# ``torch.jit.save`` writes them with the weights, and ``torch.jit.load`` reads
# them back, even from C++. Tracing has a blind spot: it records only the path
# the example took, so an ``if`` on the data is frozen into one branch.
#
# In PyTorch 2.13 every one of these functions warns that TorchScript is
# deprecated and points to ``torch.export``. Old code still runs, and the
# cell below shows it, but new code should use ``torch.export``. The cell
# silences exactly that deprecation message and nothing else: it has been
# said once here, and the cell is about what the old code still does.

with warnings.catch_warnings():
    # torch.jit.trace, .save and .load each warn "`torch.jit.<name>` is deprecated".
    warnings.filterwarnings("ignore", category=DeprecationWarning, message=r"`torch\.jit\.\w+` is deprecated")
    traced = torch.jit.trace(model, (x,))
    torch.jit.save(traced, folder / "sine_traced.pt")
    scripted = torch.jit.load(folder / "sine_traced.pt", map_location=device)
    with torch.no_grad():
        from_torchscript = scripted(x)
print("reloaded TorchScript gives the same outputs:",
      torch.allclose(from_torchscript, reference, rtol=1e-5, atol=1e-6))

# %%
# ONNX, for other runtimes
# ------------------------
#
# ONNX is a file format for computation graphs that many runtimes read:
# ONNX Runtime, TensorRT, OpenVINO, browsers. ``torch.onnx.export`` with
# ``dynamo=True`` builds on ``torch.export`` and then translates each operation
# into ONNX. It needs two extra packages, ``onnx`` and ``onnxscript``, and
# running the result here needs ``onnxruntime``; where they are missing, this
# cell says so and moves on.
#
# The free batch dimension carries over, under the name we gave it. ONNX
# Runtime computes in its own way, so its outputs agree with PyTorch's to
# rounding error rather than bit for bit; ``allclose`` is the right check.

from_onnx = None
if not all(importlib.util.find_spec(name) for name in ("onnx", "onnxscript")):
    print("ONNX export skipped: the onnx and onnxscript packages are not installed")
else:
    onnx_logger = logging.getLogger("torch.onnx")
    old_level = onnx_logger.level
    # The exporter logs that torchvision is missing; this model uses no torchvision operations.
    onnx_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            # torch 2.13's exporter trips over a deprecation inside torch itself (LeafSpec); not ours.
            warnings.filterwarnings(
                "ignore", category=FutureWarning, message=r"`isinstance\(treespec, LeafSpec\)`"
            )
            onnx_program = torch.onnx.export(
                model, (x,), dynamic_shapes={"x": {0: batch}}, dynamo=True, verbose=False
            )
    finally:
        onnx_logger.setLevel(old_level)
    onnx_program.save(folder / "sine.onnx")

    if importlib.util.find_spec("onnxruntime") is None:
        print("ONNX model written; onnxruntime is not installed, so it is not run")
    else:
        import onnxruntime

        session = onnxruntime.InferenceSession(str(folder / "sine.onnx"), providers=["CPUExecutionProvider"])
        onnx_input = session.get_inputs()[0]
        print("ONNX input", onnx_input.name, onnx_input.shape)
        (onnx_output,) = session.run(None, {onnx_input.name: x.cpu().numpy()})
        from_onnx = torch.from_numpy(onnx_output)
        print("ONNX Runtime gives the same outputs:",
              torch.allclose(from_onnx, reference.cpu(), rtol=1e-4, atol=1e-5))

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
ax.plot(x_np, y.squeeze(1).cpu().numpy(), linewidth=5, alpha=0.3, label="sin(x)")
ax.plot(x_np, reference.squeeze(1).cpu().numpy(), color="black", linewidth=1, label="original model")
ax.plot(x_np[every], from_pt2.squeeze(1).cpu().numpy()[every], "o", mfc="none", ms=9,
        label="torch.export (.pt2)")
ax.plot(x_np[every], from_torchscript.squeeze(1).cpu().numpy()[every], "x", ms=7, label="TorchScript")
if from_onnx is not None:
    ax.plot(x_np[every], from_onnx.squeeze(1).numpy()[every], "+", ms=9, label="ONNX Runtime")
ax.set_xlabel("x")
ax.set_ylabel("model output")
ax.legend()
plt.show()
