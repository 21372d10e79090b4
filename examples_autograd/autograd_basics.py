"""
PyTorch: Autograd basics
========================

Autograd is the part of PyTorch that computes derivatives for you. While a
calculation runs, PyTorch writes down which operations produced which
tensors; ``backward()`` then walks that record in reverse and applies the
chain rule. This lesson follows one small calculation from start to finish
and checks the answer with pencil-and-paper calculus.
"""

# %%
# Asking PyTorch to track a tensor
# --------------------------------
#
# ``requires_grad=True`` tells autograd that we will want derivatives with
# respect to this tensor. Tensors made this way by the user are called
# *leaves* of the graph: nothing recorded produced them, so their
# ``grad_fn`` is ``None``.

import math

import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.ones(2, 2).to(device).requires_grad_()
print(f"x:\n{x.detach().cpu()}")
print("x.requires_grad:", x.requires_grad, "| x is a leaf:", x.is_leaf,
      "| x.grad_fn:", x.grad_fn)

# %%
# Every result remembers how it was made
# --------------------------------------
#
# ``y = x + 2`` is computed from a tensor that requires gradients, so ``y``
# requires them too, and its ``grad_fn`` names the backward function of the
# addition. The flag spreads through the operations: a result of a
# differentiable operation needs gradients as soon as any of its inputs
# does. A tensor built only from untracked tensors stays untracked, which is
# why the training data of a model never collects gradients.

y = x + 2
print(f"y:\n{y.detach().cpu()}")
print("y.requires_grad:", y.requires_grad,
      "| y.grad_fn:", type(y.grad_fn).__name__)

c = torch.ones(2, 2).to(device)
print("(c + 2).requires_grad:", (c + 2).requires_grad)
print("(c + x).requires_grad:", (c + x).requires_grad)

# %%
# The exceptions are results that have no derivative at all: integer indices
# such as ``argmax``, and the booleans of a comparison. They never require
# gradients, even when their input does, and have no ``grad_fn``. (Steps
# such as ``round`` and ``sign`` are another matter: autograd treats them as
# differentiable, with a gradient of zero, so their results do require
# gradients.)

print("x.argmax().requires_grad:", x.argmax().requires_grad,
      "| (x > 0).requires_grad:", (x > 0).requires_grad,
      "| x.round().requires_grad:", x.round().requires_grad)

# %%
# Two more steps
# --------------
#
# Multiplying and averaging add three more nodes to the graph: ``3 * y * y``
# is two multiplications, ``(3 * y) * y``, and the mean is the third. Each
# node links to the nodes that produced its inputs, so the multiplication
# that made ``z`` points back to the first multiplication and to the
# addition that made ``y``. ``out`` is a single number, the kind of value a
# loss function returns.

z = 3 * y * y
out = z.mean()
print(f"z:\n{z.detach().cpu()}")
print(f"out = {out.item():.4f}")
print("z.grad_fn:", type(z.grad_fn).__name__,
      "| out.grad_fn:", type(out.grad_fn).__name__)
print("z.grad_fn links back to:",
      [type(node).__name__ for node, _ in z.grad_fn.next_functions])

# %%
# Backpropagation
# ---------------
#
# ``out.backward()`` computes the derivative of ``out`` with respect to every
# leaf that requires gradients and stores it in the leaf's ``.grad``. Because
# ``x`` has four elements, ``x.grad`` has four entries as well: one partial
# derivative per element.

out.backward()
print(f"x.grad:\n{x.grad.cpu()}")

# %%
# The same derivative by hand
# ---------------------------
#
# Write the calculation out. Each element of ``z`` depends on one element of
# ``x`` only, and ``out`` averages the four of them:
#
# .. math::
#
#    \mathrm{out} = \frac{1}{4} \sum_{i=1}^{4} z_i, \qquad
#    z_i = 3 y_i^2, \qquad y_i = x_i + 2.
#
# The chain rule gives, for each element,
#
# .. math::
#
#    \frac{\partial\, \mathrm{out}}{\partial x_i}
#    = \frac{1}{4} \cdot \frac{\partial z_i}{\partial y_i}
#    \cdot \frac{\partial y_i}{\partial x_i}
#    = \frac{1}{4} \cdot 6 y_i \cdot 1
#    = \frac{3}{2} (x_i + 2).
#
# At :math:`x_i = 1` this is :math:`\tfrac{3}{2} \cdot 3 = 4.5`, exactly the
# number autograd found. Autograd does nothing more mysterious than this: it
# multiplies the local derivatives of the recorded operations together.

by_hand = 1.5 * (x.detach() + 2)
print("autograd agrees with the hand derivative:",
      torch.allclose(x.grad, by_hand))

# %%
# Switching the recording off
# ---------------------------
#
# Recording costs memory and time, and some calculations must not become
# part of the graph at all: updating weights during training, or evaluating
# a trained model. Inside a ``with torch.no_grad():`` block nothing is
# recorded, so results do not require gradients. ``x.detach()`` is the
# per-tensor version: it returns a tensor with the same contents, sharing
# the same memory, but cut off from the graph.

with torch.no_grad():
    doubled = x * 2
print("inside torch.no_grad(), (x * 2).requires_grad:", doubled.requires_grad)

d = x.detach()
print("x.detach().requires_grad:", d.requires_grad)
print("x.detach() shares memory with x:", d.data_ptr() == x.data_ptr())

# %%
# ``torch.inference_mode()``, the stricter alternative
# ----------------------------------------------------
#
# ``torch.inference_mode()`` switches recording off too, and goes further:
# every tensor created inside it is an *inference tensor*, which skips the
# bookkeeping autograd does for ordinary tensors (a version counter that
# catches in-place changes, and the record of which tensor is a view of
# which). That makes pure inference a little faster. The price comes when
# an inference tensor later meets a tensor that requires gradients.
# Autograd refuses to *save* an inference tensor for a backward pass, and
# says so with a ``RuntimeError`` as soon as an operation tries: in
# ``scale * x`` the multiplication must keep ``scale``, because the
# derivative with respect to ``x`` is ``scale``. An operation that saves
# nothing accepts it: the derivative of ``scale + x`` with respect to ``x``
# is 1 whatever ``scale`` is, so the addition is recorded and ``backward()``
# works. A result computed under ``torch.no_grad()`` is an ordinary tensor
# and has no such restriction.
#
# This site uses ``torch.no_grad()`` everywhere: its lessons evaluate small
# models, where the difference in speed is invisible, and mix evaluation
# with training. ``torch.inference_mode()`` is the better choice for code
# that only serves predictions, such as a model behind a web service.

with torch.inference_mode():
    scale = torch.full((2, 2), 3.0).to(device)
print("made in inference_mode: is_inference", scale.is_inference(),
      "| requires_grad", scale.requires_grad)
try:
    (scale * x).sum().backward()
except RuntimeError as error:
    print("scale * x raised RuntimeError:", str(error).split(".")[0])
x.grad = None
(scale + x).sum().backward()
print(f"scale + x is recorded, backward works, x.grad =\n{x.grad.cpu()}")

with torch.no_grad():
    scale = torch.full((2, 2), 3.0).to(device)
x.grad = None
(scale * x).sum().backward()
print("made under no_grad: is_inference", scale.is_inference(),
      f"| backward works, x.grad =\n{x.grad.cpu()}")

# %%
# A new graph on every forward pass
# ---------------------------------
#
# In eager mode, the way PyTorch runs by default and the way every lesson
# on this site runs, no graph is compiled ahead of time. It is recorded
# while the Python code runs, so ordinary ``if`` statements and ``while``
# loops decide its shape, and the next call may record a different graph.
# (``torch.compile`` is PyTorch 2's opt-in compiler: it captures the
# operations of a function into graphs before running them and generates
# faster code for them. Where Python control flow depends on the values in
# a tensor, as below, it splits the graph and leaves that part to Python.
# Compiling takes time of its own, many seconds even for a small network
# on a CPU, which pays off only for code that runs many times.)
#
# ``shrink`` halves its input until it is at most 1 in size; how many
# halvings that takes depends on the data. After :math:`k` halvings the
# result is :math:`v / 2^k`, so its derivative is :math:`2^{-k}`, and the
# graph holds one division node per halving.


def shrink(v):
    halvings = 0
    while v.abs() > 1:
        v = v / 2
        halvings += 1
    return v, halvings


def graph_nodes(t):
    """Count the operations recorded behind t, back to the leaf."""
    count = 0
    node = t.grad_fn
    while node is not None and type(node).__name__ != "AccumulateGrad":
        count += 1
        node = node.next_functions[0][0]
    return count


for value in (3.0, 40.0, 1000.0):
    v = torch.tensor(value).to(device).requires_grad_()
    result, halvings = shrink(v)
    result.backward()
    print(f"input {value:7.1f}: {halvings:2d} halvings, "
          f"{graph_nodes(result):2d} nodes in the graph, "
          f"gradient {v.grad.item():.6f}")

# %%
# The graph is freed after ``backward()``
# ---------------------------------------
#
# To compute derivatives, some operations keep their inputs around: the
# derivative of :math:`a \cdot a` needs :math:`a`. Once ``backward()`` has
# used those saved tensors it frees them, because a training loop builds a
# fresh graph on the next step anyway and keeping every old graph would
# exhaust memory. A second ``backward()`` through the same graph therefore
# fails with a ``RuntimeError``.

a = torch.tensor([1.0, 2.0, 3.0]).to(device).requires_grad_()
q = (a * a).sum()
q.backward()
print(f"a = {a.tolist()}; after one backward(), a.grad = {a.grad.tolist()}")
try:
    q.backward()
except RuntimeError:
    print("a second backward() through the same graph raised a RuntimeError")

# %%
# Keeping the graph with ``retain_graph=True``
# --------------------------------------------
#
# If you really need to go backward twice, ask the first call to keep the
# saved tensors. Notice what happens to ``a.grad``: gradients *accumulate*,
# each ``backward()`` adds to what is already there. That is why training
# loops clear the gradients on every step.

a.grad = None
q = (a * a).sum()
q.backward(retain_graph=True)
q.backward()
print(f"after two backward() calls, a.grad = {a.grad.tolist()}")

# %%
# Autograd on a whole curve
# -------------------------
#
# ``backward()`` starts from a single number, so to differentiate
# :math:`\sin` at many points at once we sum the values first. Each term of
# the sum depends on one point only, so the gradient at point :math:`t_i` is
# just :math:`\cos t_i`, the derivative we know from calculus. A few of the
# 200 points, side by side:

t = torch.linspace(-2 * math.pi, 2 * math.pi, 200).to(device)
t.requires_grad_()
torch.sin(t).sum().backward()
for i in (0, 50, 100, 150, 199):
    print(f"t = {t[i].item():+.4f}: autograd {t.grad[i].item():+.6f}, "
          f"cos t {math.cos(t[i].item()):+.6f}")

t_np = t.detach().cpu().numpy()
fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
ax.plot(t_np, torch.sin(t.detach()).cpu().numpy(), label="sin(t)")
ax.plot(t_np, torch.cos(t.detach()).cpu().numpy(), linewidth=4, alpha=0.4,
        label="cos(t), by hand")
ax.plot(t_np[::5], t.grad.cpu().numpy()[::5], "o", markersize=4,
        label="derivative from autograd")
ax.set_xlabel("t")
fig.legend(loc="outside upper center", ncols=3)
plt.show()
