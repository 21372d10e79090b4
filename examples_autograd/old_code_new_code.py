"""
Old code, new code
==================

PyTorch has changed a great deal since its first releases, and the web is
full of articles written for those early versions. Their ideas are usually
still right, but their code often looks strange today; some of it no longer
runs, and some of it still runs but no longer does what it says. This page
takes the old idioms you are most likely to meet, one at a time: the old
form, what changed and why, and the form to write today, run with its
output. Where the old form still runs, it is run too, so that you can see
what it does now. A table at the end sums them up.
"""

# %%
# Variable is no longer needed: tensors track gradients themselves
# -----------------------------------------------------------------
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
# ``requires_grad`` flag and its own ``.grad``. The name ``Variable`` was
# kept so that old code keeps running, and it is still there in PyTorch
# 2.13, but calling it only returns a plain ``torch.Tensor`` with
# ``requires_grad`` set as asked, as the first lines below show. New code
# does not use it: ask for gradients when you create the tensor, or later
# with ``x.requires_grad_()``.
#
# Here y = Σ 3x², so ∂y/∂x = 6x, which is 6 at every entry of a tensor of
# ones.

import warnings

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.autograd import Variable

torch.manual_seed(0)

old_style = Variable(torch.ones(2, 2), requires_grad=True)
print("Variable(...) returns a", type(old_style).__name__,
      "with requires_grad", old_style.requires_grad)

x = torch.ones(2, 2, requires_grad=True)
y = (3 * x**2).sum()
y.backward()
print("x.grad", x.grad.tolist())

# %%
# x.data is now x.detach() or torch.no_grad()
# -------------------------------------------
#
# Old code reaches for ``x.data`` to get at a tensor's values without
# autograd watching. What replaces it depends on what the code does with
# them: to read them, ``x.detach()``; to change a tensor in place, such as
# a weight during training, ``with torch.no_grad():`` (the next section).
# First, reading::
#
#     a = Variable(torch.tensor([1.0, 2.0, 3.0]), requires_grad=True)
#     out = a.sigmoid()
#     out.data.zero_()
#     out.sum().backward()
#
# ``.data`` still exists, and this still runs, which is the problem: autograd
# does not see changes made through ``.data``. The backward pass of sigmoid
# computes its derivative from its output, which was just overwritten with
# zeros, so the gradient comes out as zeros and nothing complains. The first
# cell below runs the old code as it is.

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
out.data.zero_()
out.sum().backward()
print("through .data, a.grad is silently", a.grad.tolist())

# %%
# ``x.detach()`` gives the same values, sharing the same memory, also
# without gradient tracking, but autograd keeps count of in-place changes to
# that memory. If a value it needs has changed, ``backward`` stops with a
# ``RuntimeError`` instead of returning a wrong answer. The right gradient,
# σ(a)(1 − σ(a)), is printed last.

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
sigma = torch.sigmoid(a.detach())
right = sigma * (1 - sigma)
print("the right gradient", [round(v, 4) for v in right.tolist()])

# %%
# w.data -= lr * w.grad is now torch.no_grad()
# --------------------------------------------
#
# Older versions of this very tutorial updated the weights, and cleared
# their gradients, through ``.data``::
#
#     w.data -= learning_rate * w.grad.data
#     w.grad.data.zero_()
#
# Both lines still run and, in a plain training loop, update the weights
# correctly. The danger is the one above: the change goes unseen. Today the
# update runs under ``with torch.no_grad():``, which stops it from being
# recorded while autograd still counts the change, and the gradient is
# dropped with ``w.grad = None`` (what ``optimizer.zero_grad()`` does by
# default), so that the next ``backward()`` stores a fresh one. So the
# replacement of ``.data`` in an update is ``torch.no_grad()``, not
# ``w.detach()``: the update is a step that no graph should record, and
# ``no_grad`` says so for the whole block, every weight and all the
# arithmetic of the update.
#
# Below, one step each way from the same weight and gradient gives the same
# weight. Then the difference: a loss whose graph saved ``w`` is
# differentiated *after* the update. Through ``.data`` backward silently uses
# the new values of ``w`` and returns a gradient that belongs to neither
# the old nor the new weight's loss; under ``torch.no_grad()`` it stops with
# a ``RuntimeError`` instead.

learning_rate = 0.1
old_w = torch.tensor([1.0, 2.0], requires_grad=True)
(old_w * old_w).sum().backward()
old_w.data -= learning_rate * old_w.grad.data
old_w.grad.data.zero_()
print("old update:", [round(v, 4) for v in old_w.tolist()],
      "| grad afterwards", old_w.grad.tolist())

new_w = torch.tensor([1.0, 2.0], requires_grad=True)
(new_w * new_w).sum().backward()
with torch.no_grad():
    new_w -= learning_rate * new_w.grad
new_w.grad = None
print("new update:", [round(v, 4) for v in new_w.tolist()],
      "| grad afterwards", new_w.grad)

w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w * w * w).sum()  # saves w; d loss / dw = 3 w²
w.data -= 0.5
loss.backward()
print("after a .data update, backward gives", w.grad.tolist(),
      "| 3 w² is [3.0, 12.0] at the old w,",
      (3 * w.detach() ** 2).tolist(), "at the new")
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w * w * w).sum()
with torch.no_grad():
    w -= 0.5
try:
    loss.backward()
except RuntimeError:
    print("after a no_grad update, backward refused: "
          "a value it needed was changed in place")

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
# and a 0-dimensional tensor has nothing to index: ``loss[0]`` (and so
# ``loss.data[0]``) raises an ``IndexError``. ``loss.item()`` returns the
# value as a plain Python number.

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
# The obvious fix, ``running_loss += loss``, has a cost of its own. When the
# loss comes from parameters that require gradients, the sum is a tensor
# that requires gradients too: its ``grad_fn`` links it to every step's
# graph, and all those graphs stay in memory for as long as the running
# total does. Adding ``loss.item()`` adds plain numbers instead. (Where
# reading a number on every step would slow down a GPU, keep the losses as
# detached tensors, ``loss.detach()``, and convert once at the end.)

scale = torch.tensor(1.0, requires_grad=True)
running_tensor, running_number = 0.0, 0.0
for _ in range(3):
    loss = nn.functional.mse_loss(scale * prediction, target)
    running_tensor += loss
    running_number += loss.item()
print("sum of tensors:", type(running_tensor).__name__, "with grad_fn",
      type(running_tensor.grad_fn).__name__)
print("sum of numbers:", type(running_number).__name__, running_number)

# %%
# size_average= and reduce= are now reduction=
# ---------------------------------------------
#
# Old code chooses between a summed and an averaged loss with two flags,
# which older versions of this tutorial also used::
#
#     loss_fn = torch.nn.MSELoss(size_average=False)
#
# Today one argument, ``reduction``, says it: ``"mean"`` (the default),
# ``"sum"``, or ``"none"`` for the loss of every element. The old
# flags are still accepted: they warn, and are translated into
# ``reduction``, as the cell below shows.

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    old_loss_fn = nn.MSELoss(size_average=False)
    per_element = nn.functional.mse_loss(prediction, target, reduce=False)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")
print("MSELoss(size_average=False).reduction:", repr(old_loss_fn.reduction),
      "| loss", old_loss_fn(prediction, target).item())
print("mse_loss(..., reduce=False):", per_element.tolist())
print("MSELoss(reduction='sum'):",
      nn.MSELoss(reduction="sum")(prediction, target).item())

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
# This one deserves care, because it still runs. The flag lost its meaning
# in PyTorch 0.4, but the argument was never removed: ``Variable`` accepts
# it, warns that it has no effect, and ignores it. The model's parameters
# still require gradients, so the forward pass records a graph exactly as
# it does in training, and the output gets a ``grad_fn``. The numbers are
# right, but autograd keeps every tensor that a backward pass would need, in
# memory, for as long as the output lives.
#
# Below, the old code runs on a batch of 64 inputs. We catch the warning to
# print it, and we count the numbers autograd saves for the backward pass
# with ``torch.autograd.graph.saved_tensors_hooks``, which calls its first
# function on every tensor autograd saves.

model = nn.Sequential(nn.Linear(100, 200), nn.ReLU(), nn.Linear(200, 10))
images = torch.randn(64, 100)


def forward_counting_saved(model, inputs):
    """model(inputs), and how many numbers autograd saved for backward."""
    sizes = []

    def pack(saved):
        sizes.append(saved.numel())
        return saved

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda saved: saved):
        outputs = model(inputs)
    return outputs, sum(sizes)


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    old_input = Variable(images, volatile=True)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")

outputs, saved = forward_counting_saved(model, old_input)
print("old_input.requires_grad:", old_input.requires_grad)
print("volatile: output grad_fn", type(outputs.grad_fn).__name__,
      f"| {saved} numbers saved for backward")

# %%
# Today a block of code runs without gradient tracking inside
# ``with torch.no_grad():``, or a whole function with ``@torch.no_grad()``
# above it. Nothing is recorded, nothing is saved, and the output has no
# ``grad_fn``. (``torch.inference_mode()`` is a stricter alternative; the
# lesson on autograd basics explains when to choose it. This site uses
# ``torch.no_grad()`` throughout.)
#
# Neither of them switches dropout or batch norm to evaluation behaviour;
# that is what ``model.eval()`` is for. Evaluation code usually needs both.

with torch.no_grad():
    outputs, saved = forward_counting_saved(model, images)
print("no_grad: output grad_fn", outputs.grad_fn,
      f"| {saved} numbers saved for backward")

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
# top, and everything goes there with ``.to(device)``. On a machine with no
# accelerator the same code runs on the CPU. ``.to(device)`` returns the
# tensor itself when it is already on that device, so calling it costs
# nothing.
#
# Random numbers are best drawn on the CPU and then moved: the seeded CPU
# generator gives the same numbers on every machine, while each accelerator
# has a generator of its own.

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

model = nn.Linear(3, 1).to(device)
inputs = torch.randn(4, 3).to(device)
print("model and inputs on the same device:",
      next(model.parameters()).device == inputs.device)
print("output", tuple(model(inputs).shape))
print(".to(device) on a tensor already there returns it:",
      inputs.to(device) is inputs)

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
# Those constructors still run (on a machine without CUDA the third line
# raises a ``TypeError``), but they are ambiguous:
# ``torch.FloatTensor(3)`` is three uninitialised numbers, while
# ``torch.FloatTensor([3])`` is the single number 3. They also tie the dtype
# and the device together in one class name. Today the dtype and the device
# are arguments: ``torch.tensor(data)`` always copies data, ``torch.zeros``
# and ``torch.ones`` fill, and ``torch.empty`` leaves the memory
# uninitialised on purpose, for when every entry will be overwritten.
# ``.to(dtype)`` converts.

# torch.empty holds whatever was in memory: print the shape, not the values.
empty = torch.empty(2, 3)
print("torch.empty(2, 3)", tuple(empty.shape), empty.dtype)
zeros = torch.zeros(2, 3, dtype=torch.float64)
print("torch.zeros(2, 3, dtype=torch.float64)", tuple(zeros.shape),
      zeros.dtype)
labels = torch.tensor([1, 0, 2])
print("torch.tensor([1, 0, 2])", labels.dtype, labels.tolist())
print("torch.tensor([3.0])", tuple(torch.tensor([3.0]).shape))
print("torch.tensor(3.0)", tuple(torch.tensor(3.0).shape))
as_float = labels.to(torch.float32)
print("labels.to(torch.float32)", as_float.dtype, as_float.tolist())

# %%
# A Function with forward(self, ...) now has static methods
# ---------------------------------------------------------
#
# In early PyTorch code, older versions of this tutorial among it, a new
# autograd operation was a ``Function`` with ordinary methods, used through
# an instance::
#
#     class MyReLU(torch.autograd.Function):
#         def forward(self, input):
#             self.save_for_backward(input)
#             return input.clamp(min=0)
#
#         def backward(self, grad_output):
#             (input,) = self.saved_tensors
#             return grad_output * (input > 0)
#
#     y = MyReLU()(x)
#
# PyTorch 2.13 refuses this: making the instance warns that a Function
# should not be instantiated, and calling it raises a ``RuntimeError``, as
# the cell below shows. Today ``forward`` and ``backward`` are static
# methods and the operation is used through the class, ``MyReLU.apply(x)``;
# the lesson on defining new autograd functions shows the current style,
# with ``setup_context``.


class MyReLU(torch.autograd.Function):
    def forward(self, input):
        self.save_for_backward(input)
        return input.clamp(min=0)

    def backward(self, grad_output):
        (input,) = self.saved_tensors
        return grad_output * (input > 0)


signed = torch.tensor([-1.0, 2.0], requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    relu = MyReLU()
for warning in caught:
    # The message starts with the class's full name: keep what it says.
    message = str(warning.message)
    print(f"making an instance: {warning.category.__name__}: MyReLU",
          message[message.index("should"):].split(". ")[0])
try:
    relu(signed)
except RuntimeError as error:
    print("calling it: RuntimeError:", str(error).split(". ")[0])

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
# All three exist in PyTorch today and run on accelerators as well as on the
# CPU, without a trip through NumPy. The FFTs and ``flip`` are also
# differentiable, which a detour through NumPy never is: autograd cannot
# follow a tensor into NumPy and back.
#
# ``torch.fft`` follows ``numpy.fft`` function by function (``fft``,
# ``rfft``, ``rfftfreq``, ...). It replaced the older ``torch.rfft(x, 1)``
# function with a different signature, which was removed in PyTorch 1.8. The
# signal below is one second of 5 Hz and 12 Hz sines with amplitudes 1 and
# 0.5, sampled 64 times; its spectrum has peaks at exactly those
# frequencies, and the check against NumPy uses float64 on the CPU so that
# both compute at the same precision.

sample_rate = 64
t = torch.arange(sample_rate, dtype=torch.float64) / sample_rate
signal = (torch.sin(2 * torch.pi * 5 * t)
          + 0.5 * torch.sin(2 * torch.pi * 12 * t))

spectrum = torch.fft.rfft(signal)
freqs = torch.fft.rfftfreq(sample_rate, d=1 / sample_rate)
print("rfft matches numpy.fft.rfft:",
      np.allclose(spectrum.numpy(), np.fft.rfft(signal.numpy())))
print("fft matches numpy.fft.fft:",
      np.allclose(torch.fft.fft(signal).numpy(),
                  np.fft.fft(signal.numpy())))

amplitude = 2 * spectrum.abs() / sample_rate
peaks = torch.topk(amplitude, 2).indices.sort().values
print("peaks at (Hz)", freqs[peaks].tolist(), " amplitudes",
      [round(v, 6) for v in amplitude[peaks].tolist()])

# %%
# Gradients flow through the FFT. By Parseval's theorem the energy of the
# spectrum :math:`X = \mathrm{fft}(s)` of :math:`n` samples is :math:`n`
# times the energy of the samples,
#
# .. math::
#
#    \sum_k \lvert X_k \rvert^2 = n \sum_i s_i^2,
#
# so the derivative of the spectrum's energy with respect to each sample is
# :math:`2 n s_i`. Dividing the gradient by the samples must give
# :math:`2n = 16` everywhere for :math:`n = 8`.

samples = torch.randn(8, dtype=torch.float64, requires_grad=True)
energy = torch.fft.fft(samples).abs().pow(2).sum()
energy.backward()
ratio = samples.grad / samples.detach()
print("gradient / samples", [round(v, 6) for v in ratio.tolist()])

# %%
# ``torch.flip`` reverses a tensor along the dimensions you name. Slicing
# with a negative step, ``m[:, ::-1]`` as in NumPy, is still an error, since
# a tensor's strides cannot be negative; ``flip`` copies the values in
# reverse order instead.

m = torch.arange(6).reshape(2, 3)
print("m", m.tolist())
print("torch.flip(m, dims=[1])", torch.flip(m, dims=[1]).tolist())
print("torch.flip(m, dims=[0, 1])", torch.flip(m, dims=[0, 1]).tolist())
try:
    m[:, ::-1]
except ValueError:
    print("m[:, ::-1] raises ValueError")

# %%
# ``flip`` is differentiable too: it only moves values, so its backward pass
# moves the incoming gradient back the other way. The gradient of
# Σᵢ wᵢ · flip(u)ᵢ with respect to ``u`` is ``w`` reversed.

u = torch.zeros(5, requires_grad=True)
weights = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
(weights * torch.flip(u, dims=[0])).sum().backward()
print("weights", weights.tolist(), " gradient for u", u.grad.tolist())

# %%
# ``torch.isnan`` and ``torch.isinf`` mark the entries that are NaN or
# infinite, ``torch.isfinite`` marks the ordinary ones, and
# ``torch.nan_to_num`` replaces the bad values with numbers you choose.

v = torch.tensor([1.0, float("nan"), float("inf"), -float("inf"), -2.0])
print("isnan", torch.isnan(v).tolist())
print("isinf", torch.isinf(v).tolist())
print("isfinite", torch.isfinite(v).tolist())
print("nan_to_num",
      torch.nan_to_num(v, nan=0.0, posinf=100.0, neginf=-100.0).tolist())

# %%
# The tests themselves are not differentiable: their result is a tensor of
# booleans, which has no gradient, so it never requires one, even when its
# input does. It is used to *select* values, for example with
# ``torch.where``, and gradients flow through the values selected: 1 for
# every entry kept, 0 where a NaN was replaced.

w = torch.tensor([1.0, float("nan"), 2.0], requires_grad=True)
is_nan = torch.isnan(w)
print("torch.isnan(w):", is_nan.dtype, "requires_grad", is_nan.requires_grad)
torch.where(is_nan, 0.0, w).sum().backward()
print("gradient through torch.where", w.grad.tolist())

# %%
# The spectrum
# ------------
#
# The signal on the left, the amplitudes from ``torch.fft.rfft`` on the
# right: two peaks, at 5 Hz with amplitude 1 and at 12 Hz with amplitude 0.5.

fig, (ax_signal, ax_spectrum) = plt.subplots(1, 2, figsize=(9, 3.6),
                                             layout="constrained")
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
#    * - ``x.data`` to read values
#      - ``x.detach()``
#    * - ``w.data -= lr * w.grad``, ``w.grad.data.zero_()``
#      - ``with torch.no_grad(): w -= lr * w.grad``, then ``w.grad = None``
#    * - ``loss.data[0]``
#      - ``loss.item()``
#    * - ``nn.MSELoss(size_average=False)``, ``reduce=False``
#      - ``reduction="sum"``, ``reduction="none"``
#    * - ``Variable(x, volatile=True)`` (still runs, records the graph)
#      - ``with torch.no_grad():``, plus ``model.eval()``
#    * - ``.cuda()`` on every model and tensor
#      - choose ``device`` once, then ``.to(device)``
#    * - ``torch.FloatTensor(2, 3)``
#      - ``torch.empty(2, 3)`` or ``torch.zeros(2, 3)``
#    * - ``torch.LongTensor([1, 0, 2])``
#      - ``torch.tensor([1, 0, 2])`` (int64 inferred)
#    * - ``x.type(torch.FloatTensor)``
#      - ``x.to(torch.float32)`` or ``x.float()``
#    * - ``Function`` with ``forward(self, ...)``, called as ``MyReLU()(x)``
#      - static ``forward``, ``setup_context`` and ``backward``,
#        called as ``MyReLU.apply(x)``
#    * - NumPy for FFTs, ``torch.rfft(x, 1)``
#      - ``torch.fft.rfft(x)``, ``torch.fft.fft(x)`` (differentiable)
#    * - NumPy for flipping
#      - ``torch.flip(x, dims=[...])`` (differentiable)
#    * - ``x != x`` to find NaNs
#      - ``torch.isnan(x)``, ``torch.isinf(x)``, ``torch.nan_to_num(x)``
