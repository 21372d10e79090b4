"""
PyTorch: Tensor basics
======================

A tensor is an n-dimensional array of numbers, much like a numpy array, that
can also live on an accelerator and take part in automatic differentiation.
This lesson is a tour of the everyday operations: making tensors, asking for
their shape, adding them, changing them in place, reshaping them, trading
them with numpy and moving them between devices.
"""

# %%
# An uninitialised tensor
# -----------------------
#
# ``torch.empty`` only reserves memory; it does not write anything into it.
# The numbers you would see are whatever bytes happened to be there before,
# so they can change from run to run and mean nothing. That is why we print
# only the shape and the data type. Use ``empty`` when every element is about
# to be overwritten anyway, for example as the ``out=`` target of an
# operation.

import matplotlib.pyplot as plt
import numpy as np
import torch

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.empty(2, 3)
print("empty:", x.shape, x.dtype)

# %%
# Random numbers, zeros and your own data
# ---------------------------------------
#
# ``torch.rand`` draws uniformly from [0, 1). Because the random generator was
# seeded with ``torch.manual_seed(0)`` above, the same numbers come out on
# every run, which makes results reproducible. ``torch.zeros`` accepts a
# ``dtype``; ``torch.long`` is a 64-bit integer, the type PyTorch uses for
# indices and class labels. ``torch.tensor`` copies existing Python data and
# infers the type from it: floats give ``torch.float32``.

x = torch.rand(2, 3)
print(f"rand:\n{x}")

x = torch.zeros(2, 3, dtype=torch.long)
print(f"zeros:\n{x}")

x = torch.tensor([5.5, 3.0])
print("from data:", x)

# %%
# New tensors shaped like old ones
# --------------------------------
#
# ``x.new_ones(2, 3)`` builds a tensor of the shape you give it and inherits
# the dtype and device of ``x`` unless you say otherwise, which is handy
# inside functions that should work wherever their input lives. Functions
# whose name ends in ``_like`` copy even more: ``torch.randn_like(x)`` takes
# the shape, the dtype and the device of ``x`` and fills the new tensor with
# samples from a standard normal distribution. Any of these can be
# overridden by name; below, the first ``randn_like`` keeps everything and
# the second asks for ``torch.float32`` instead.

x = x.new_ones(2, 3, dtype=torch.float64)
print(f"new_ones:\n{x}")

same = torch.randn_like(x)
print("randn_like(x) keeps shape, dtype and device:",
      same.shape == x.shape, same.dtype, same.device == x.device)

x = torch.randn_like(x, dtype=torch.float32)
print(f"randn_like:\n{x}")

# %%
# The size is a tuple
# -------------------
#
# ``x.size()`` (or the attribute ``x.shape``) returns a ``torch.Size``. It is
# a subclass of Python's ``tuple``, so everything you know about tuples works:
# indexing, ``len`` and unpacking into names.

size = x.size()
print("size:", size)
print("is a tuple:", isinstance(size, tuple))
rows, cols = size
print(f"rows = {rows}, cols = {cols}, elements = {x.numel()}")

# %%
# Three ways to add
# -----------------
#
# The ``+`` operator and ``torch.add`` are the same operation and return a
# new tensor. The third form writes into a tensor you provide through
# ``out=``; it saves an allocation when the same buffer is reused many
# times. All three must agree.

x = torch.rand(2, 3)
y = torch.rand(2, 3)
print(f"x:\n{x}")
print(f"y:\n{y}")

print(f"x + y:\n{x + y}")
print(f"torch.add(x, y):\n{torch.add(x, y)}")

result = torch.empty(2, 3)
torch.add(x, y, out=result)
print(f"out=result:\n{result}")

# %%
# In-place operations end in an underscore
# ----------------------------------------
#
# A method whose name ends in ``_`` changes its tensor instead of returning a
# new one: ``y.add_(x)`` overwrites ``y`` with ``y + x``. This saves memory,
# but the old value of ``y`` is gone, so use it only when nothing else still
# needs that value. (Autograd, in the next lessons, refuses to go backward
# when a value it saved for that purpose has been overwritten in place.)

y.add_(x)
print(f"y after y.add_(x):\n{y}")

# %%
# Indexing and reshaping
# ----------------------
#
# Tensors take numpy-style indexing: ``x[:, 1]`` is the second column.
# ``view`` reinterprets the same numbers with a new shape; the elements are
# read row by row, so the order never changes. One dimension may be ``-1``
# and PyTorch works it out from the others. A tensor with a single element
# turns into a Python number with ``item()``.

print("second column of x:", x[:, 1])

t = torch.arange(12)
grid = t.view(3, 4)
wide = t.view(-1, 6)
print(f"view(3, 4):\n{grid}")
print("view(-1, 6) has shape", tuple(wide.shape))
print("grid[2, 3].item() =", grid[2, 3].item())

# %%
# NumPy shares the memory
# -----------------------
#
# ``tensor.numpy()`` and ``torch.from_numpy(array)`` do not copy anything:
# the tensor and the array are two views of one block of memory. Change one
# and the other changes too. This makes the conversion free, but it can
# surprise you if you expected an independent copy (use ``.clone()`` or
# ``np.copy`` for that). Only tensors on the CPU can be shared this way.

a = torch.ones(5)
b = a.numpy()
a.add_(1)
print("tensor after a.add_(1):", a)
print("numpy array b:", b)

n = np.zeros(3)
t = torch.from_numpy(n)
n[1] = 7.0
print("numpy array n:", n)
print("tensor t:", t)

# %%
# Moving to a device
# ------------------
#
# ``device`` was chosen at the top: an accelerator (a CUDA GPU, Apple's MPS
# and so on) when PyTorch finds one, the CPU otherwise. ``.to(device)``
# returns a copy on that device, or the tensor itself when it is already
# there. Both operands of an operation must be on the same device, so a new
# tensor is created there directly with ``device=device``. To print a result
# or hand it to numpy, bring it back with ``.to("cpu")``. The printed facts
# below are the same whichever device this page was built on.
#
# Random tensors are the exception on this site: they are drawn on the CPU
# and then moved with ``.to(device)``, as ``x`` is here. The CPU generator
# seeded with ``torch.manual_seed(0)`` gives the same numbers on every
# machine, while each kind of accelerator has a generator of its own and
# would draw different ones.

x_dev = x.to(device)
ones = torch.ones(2, 3, device=device)
s = x_dev + ones
print("sum is on the chosen device:", s.device.type == device.type)

back = s.to("cpu")
print("back on the CPU:", back.device.type == "cpu")
print(f"x + 1 computed on the device:\n{back}")

# %%
# What ``view`` does to the order of elements
# -------------------------------------------
#
# The same twelve numbers seen through three shapes. Reading each picture row
# by row always gives 0, 1, 2, ..., 11: ``view`` changes how the memory is
# indexed, never what is in it.

shapes = [(1, 12), (3, 4), (4, 3)]
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), layout="constrained",
                         gridspec_kw={"width_ratios": [3, 1.2, 1]})
for ax, shape in zip(axes, shapes):
    values = torch.arange(12).view(shape).numpy()
    ax.imshow(values, cmap="viridis", vmin=0, vmax=11)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, str(v), ha="center", va="center",
                color="white" if v < 6 else "black")
    ax.set_title(f"view{shape}")
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("torch.arange(12) seen through three shapes")
plt.show()
