"""
Old code, new code
==================

PyTorch has changed a great deal since its first releases, and the web is
full of articles written for those early versions. Their ideas are usually
still right, but their code often looks strange today, and some of it no
longer runs. This page takes the old idioms you are most likely to meet, one
at a time: the old form (shown, not run), what changed and why, and the form
to write today, run with its output. A table at the end sums them up.
"""

# %%
# Variable is gone: tensors track gradients themselves
# ----------------------------------------------------
#
# Old articles wrap every tensor that needs a gradient in a ``Variable``::
#
#     from torch.autograd import Variable
#     x = Variable(torch.ones(2, 2), requires_grad=True)
#     y = (3 * x ** 2).sum()
#     y.backward()
#     print(x.grad)
#
# In PyTorch 0.4 tensors and Variables were merged: a tensor carries its own
# ``requires_grad`` flag and its own ``.grad``. ``Variable`` still exists so
# that old code keeps running, but it does nothing except return a plain
# tensor, so new code should not use it. Ask for gradients when you create the
# tensor, or later with ``x.requires_grad_()``.
#
# Here y = Σ 3x², so ∂y/∂x = 6x, which is 6 at every entry of a tensor of ones.

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)

x = torch.ones(2, 2, requires_grad=True)
y = (3 * x**2).sum()
y.backward()
print("x.grad", x.grad.tolist())

# %%
# x.data is now x.detach()
# ------------------------
#
# Old code reaches for ``x.data`` to get at a tensor's values without
# autograd watching::
#
#     a = Variable(torch.tensor([1.0, 2.0, 3.0]), requires_grad=True)
#     out = a.sigmoid()
#     out.data.zero_()
#     out.sum().backward()   # runs, and a.grad is silently [0, 0, 0]
#
# The trouble is that autograd does not see changes made through ``.data``.
# The backward pass of sigmoid reuses its output, which was just overwritten
# with zeros, so the gradient comes out wrong and nothing complains.
# ``x.detach()`` gives the same values, sharing the same memory, also without
# gradient tracking, but autograd keeps count of in-place changes to that
# memory. If a value it needs has changed, ``backward`` stops with an error
# instead of returning a wrong answer.

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
values = out.detach()
print("detached values need no gradient:", not values.requires_grad)
values.zero_()
try:
    out.sum().backward()
    print("backward ran")
except RuntimeError:
    print("backward refused: a value it needed was changed in place")

# %%
# loss.data[0] is now loss.item()
# -------------------------------
#
# Training loops in old articles read the loss like this::
#
#     running_loss += loss.data[0]
#
# A loss used to be a tensor of shape (1,), so ``[0]`` picked its only
# element. Since PyTorch 0.4 a loss is a 0-dimensional tensor, shape ``()``,
# and a 0-dimensional tensor has nothing to index: ``loss[0]`` raises an
# ``IndexError``. ``loss.item()`` returns the value as a plain Python number.
#
# ``.item()`` also matters for memory. Adding up ``running_loss += loss``
# adds tensors, so every step's graph stays attached to the running total and
# is never freed; adding ``loss.item()`` adds plain numbers.

prediction = torch.tensor([2.0, 4.0])
target = torch.tensor([1.0, 1.0])
loss = nn.functional.mse_loss(prediction, target)
print("loss shape", tuple(loss.shape))
print("loss.item()", loss.item(), type(loss.item()).__name__)
try:
    loss[0]
except IndexError:
    print("loss[0] raises IndexError")

# %%
# volatile=True is now torch.no_grad()
# ------------------------------------
#
# To evaluate a model without building a graph, old code marked the input as
# volatile::
#
#     x = Variable(images, volatile=True)
#     outputs = model(x)
#
# The flag was removed together with ``Variable``. Today a block of code is
# run without gradient tracking inside ``with torch.no_grad():``, or with
# ``@torch.no_grad()`` above a function. ``torch.inference_mode()`` does the
# same and goes further: its results can never join a graph later, which lets
# PyTorch skip some bookkeeping. Use it for pure inference.
#
# Neither of them switches dropout or batch norm to evaluation behaviour;
# that is what ``model.eval()`` is for. Evaluation code usually needs both.

w = torch.randn(3, requires_grad=True)
with torch.no_grad():
    doubled = w * 2
print("under no_grad, result requires grad:", doubled.requires_grad)
with torch.inference_mode():
    tripled = w * 3
print("under inference_mode, result requires grad:", tripled.requires_grad)
print("an inference tensor:", tripled.is_inference())

# %%
# .cuda() everywhere is now one device and .to(device)
# ----------------------------------------------------
#
# Old code moves things to the GPU one call at a time, often behind a test
# repeated all over the script::
#
#     model = Net()
#     if torch.cuda.is_available():
#         model = model.cuda()
#     x = Variable(x.cuda())
#
# A single missed ``.cuda()`` makes a model and its data sit on different
# devices and stops the script with an error, and the code cannot use other
# accelerators such as Apple's MPS. Today the device is chosen once, at the
# top, and everything goes there with ``.to(device)`` or is created there with
# ``device=device``. On a machine with no accelerator the same code runs on
# the CPU. ``.to(device)`` returns the tensor itself when it is already on
# that device, so calling it costs nothing.

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

model = nn.Linear(3, 1).to(device)
inputs = torch.randn(4, 3, device=device)
print("model and inputs on the same device:", next(model.parameters()).device == inputs.device)
print("output", tuple(model(inputs).shape))
print(".to(device) on a tensor already there returns it:", inputs.to(device) is inputs)

# %%
# Type constructors are now torch.tensor, torch.zeros and torch.empty
# -------------------------------------------------------------------
#
# Old code names the type in the constructor::
#
#     w = torch.FloatTensor(2, 3)          # 2 x 3, uninitialised
#     labels = torch.LongTensor([1, 0, 2])
#     h = torch.cuda.FloatTensor(4, 5)
#     x = x.type(torch.FloatTensor)
#
# Those constructors are ambiguous: ``torch.FloatTensor(3)`` is three
# uninitialised numbers, while ``torch.FloatTensor([3])`` is the single number
# 3. They also tie the dtype and the device together in one class name. Today
# the dtype and the device are arguments: ``torch.tensor(data)`` always copies
# data, ``torch.zeros`` and ``torch.ones`` fill, and ``torch.empty`` leaves the
# memory uninitialised on purpose, for when every entry will be overwritten.
# ``.to(dtype)`` converts.

empty = torch.empty(2, 3)  # whatever was in memory: print the shape, not the values
print("torch.empty(2, 3)", tuple(empty.shape), empty.dtype)
zeros = torch.zeros(2, 3, dtype=torch.float64)
print("torch.zeros(2, 3, dtype=torch.float64)", tuple(zeros.shape), zeros.dtype)
labels = torch.tensor([1, 0, 2])
print("torch.tensor([1, 0, 2])", labels.dtype, labels.tolist())
print("torch.tensor([3.0])", tuple(torch.tensor([3.0]).shape))
print("torch.tensor(3.0)", tuple(torch.tensor(3.0).shape))
print("labels.to(torch.float32)", labels.to(torch.float32).dtype, labels.to(torch.float32).tolist())

# %%
# Things PyTorch "cannot do" that it can
# --------------------------------------
#
# Some old articles say PyTorch has no FFT, no way to flip a tensor and no NaN
# test, and copy tensors to NumPy for these::
#
#     spectrum = np.fft.rfft(signal.numpy())
#     reversed_rows = torch.from_numpy(np.flip(m.numpy(), 1).copy())
#     has_nan = (x != x).any()
#
# All three exist in PyTorch today, run on any device and work with autograd.
#
# ``torch.fft`` follows ``numpy.fft`` function by function (``fft``,
# ``rfft``, ``rfftfreq``, ...). It replaced the older ``torch.rfft(x, 1)``
# function with a different signature, which was removed in PyTorch 1.8. The
# signal below is one second of 5 Hz and 12 Hz sines with amplitudes 1 and
# 0.5, sampled 64 times; its spectrum has peaks at exactly those frequencies,
# and the check against NumPy uses float64 on the CPU so that both compute at
# the same precision.

sample_rate = 64
t = torch.arange(sample_rate, dtype=torch.float64) / sample_rate
signal = torch.sin(2 * torch.pi * 5 * t) + 0.5 * torch.sin(2 * torch.pi * 12 * t)

spectrum = torch.fft.rfft(signal)
freqs = torch.fft.rfftfreq(sample_rate, d=1 / sample_rate)
print("rfft matches numpy.fft.rfft:", np.allclose(spectrum.numpy(), np.fft.rfft(signal.numpy())))
print("fft matches numpy.fft.fft:", np.allclose(torch.fft.fft(signal).numpy(), np.fft.fft(signal.numpy())))

amplitude = 2 * spectrum.abs() / sample_rate
peaks = torch.topk(amplitude, 2).indices.sort().values
print("peaks at (Hz)", freqs[peaks].tolist(), " amplitudes", [round(v, 6) for v in amplitude[peaks].tolist()])

# %%
# ``torch.flip`` reverses a tensor along the dimensions you name. Slicing
# with a negative step, ``m[:, ::-1]`` as in NumPy, is still an error, since a
# tensor's strides cannot be negative; ``flip`` copies the values in reverse
# order instead.

m = torch.arange(6).reshape(2, 3)
print("m", m.tolist())
print("torch.flip(m, dims=[1])", torch.flip(m, dims=[1]).tolist())
print("torch.flip(m, dims=[0, 1])", torch.flip(m, dims=[0, 1]).tolist())
try:
    m[:, ::-1]
except ValueError:
    print("m[:, ::-1] raises ValueError")

# %%
# ``torch.isnan`` and ``torch.isinf`` mark the entries that are NaN or
# infinite, ``torch.isfinite`` marks the ordinary ones, and
# ``torch.nan_to_num`` replaces the bad values with numbers you choose.

v = torch.tensor([1.0, float("nan"), float("inf"), -float("inf"), -2.0])
print("isnan", torch.isnan(v).tolist())
print("isinf", torch.isinf(v).tolist())
print("isfinite", torch.isfinite(v).tolist())
print("nan_to_num", torch.nan_to_num(v, nan=0.0, posinf=100.0, neginf=-100.0).tolist())

# %%
# The spectrum
# ------------
#
# The signal on the left, the amplitudes from ``torch.fft.rfft`` on the
# right: two peaks, at 5 Hz with amplitude 1 and at 12 Hz with amplitude 0.5.

fig, (ax_signal, ax_spectrum) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_signal.plot(t.numpy(), signal.numpy(), marker=".")
ax_signal.set_xlabel("time (s)")
ax_signal.set_ylabel("signal")
ax_spectrum.stem(freqs.numpy(), amplitude.numpy())
ax_spectrum.set_xlabel("frequency (Hz)")
ax_spectrum.set_ylabel("amplitude")
plt.show()

# %%
# Summary
# -------
#
# .. list-table::
#    :header-rows: 1
#
#    * - In old code
#      - Today
#    * - ``Variable(t, requires_grad=True)``
#      - ``torch.tensor(data, requires_grad=True)`` or ``t.requires_grad_()``
#    * - ``x.data``
#      - ``x.detach()``
#    * - ``loss.data[0]``
#      - ``loss.item()``
#    * - ``Variable(x, volatile=True)``
#      - ``with torch.no_grad():`` or ``with torch.inference_mode():``
#    * - ``.cuda()`` on every model and tensor
#      - choose ``device`` once, then ``.to(device)`` or ``device=device``
#    * - ``torch.FloatTensor(2, 3)``
#      - ``torch.empty(2, 3)`` or ``torch.zeros(2, 3)``
#    * - ``torch.LongTensor([1, 0, 2])``
#      - ``torch.tensor([1, 0, 2])`` (int64 inferred) or ``dtype=torch.long``
#    * - ``x.type(torch.FloatTensor)``
#      - ``x.to(torch.float32)`` or ``x.float()``
#    * - NumPy for FFTs, ``torch.rfft(x, 1)``
#      - ``torch.fft.rfft(x)``, ``torch.fft.fft(x)``
#    * - NumPy for flipping
#      - ``torch.flip(x, dims=[...])``
#    * - ``x != x`` to find NaNs
#      - ``torch.isnan(x)``, ``torch.isinf(x)``, ``torch.nan_to_num(x)``
