r"""
PyTorch: Defining new autograd functions
========================================

Teach autograd a new operation by subclassing ``torch.autograd.Function``.
Every primitive operation that autograd knows is a pair of functions: a
forward function that computes outputs from inputs, and a backward function
that turns the gradient of the loss with respect to the outputs into the
gradient with respect to the inputs; a new operation supplies both.

The model here is y = a + b P₃(c + d x), where P₃ is the Legendre
polynomial of degree three, P₃(t) = ½ (5t³ − 3t). It is still a cubic in x,
but its weights enter it differently from the earlier lessons'
a + b x + c x² + d x³, and it starts from its own weights with its own
learning rate, so its numbers are not the warm-up's.
"""

# %%
# The new function
# ----------------
#
# ``forward`` computes P₃ and nothing else: it receives only the input.
# ``setup_context`` runs right after it, with the inputs and the output,
# and keeps what ``backward`` will need with ``ctx.save_for_backward``, here
# the input t. ``backward`` receives the gradient of the loss with respect
# to P₃'s output and multiplies it by the derivative
# P₃'(t) = 3/2 (5t² − 1), the chain rule done by hand for this one step.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch


# P₃(t) = ½ (5t³ − 3t), with its derivative written by hand.
class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(t):
        return 0.5 * (5 * t**3 - 3 * t)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (t,) = inputs
        ctx.save_for_backward(t)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * t**2 - 1)


P3 = LegendrePolynomial3.apply

# %%
# The data and the starting weights
# ---------------------------------
#
# The earlier lessons started from four random coefficients. This one starts
# near a good answer instead, a = 0, b = -1, c = 0, d = 0.3, because c and d
# sit inside P₃: the loss is no longer a quadratic bowl with a single
# minimum. Since P₃ is odd, b P₃(c + d x) = (−b) P₃(−c − d x), so every fit
# has a mirror image with the same loss. From the warm-up's random start,
# 2000 steps get nowhere near a good fit (the first exercise below runs it).

dtype = torch.float32
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.tensor(0.0, device=device, dtype=dtype, requires_grad=True)
b = torch.tensor(-1.0, device=device, dtype=dtype, requires_grad=True)
c = torch.tensor(0.0, device=device, dtype=dtype, requires_grad=True)
d = torch.tensor(0.3, device=device, dtype=dtype, requires_grad=True)

# %%
# Training
# --------
#
# A ``Function`` is used through its ``apply`` method. Autograd calls our
# ``backward`` when ``loss.backward()`` reaches the P₃ node of the graph.
# The learning rate, 5e-6, is five times the earlier lessons'; the last
# section shows why this model can take it.
#
# ``weight.grad = None`` drops each gradient after the update rather than
# filling it with zeros: the next ``backward()`` then stores a fresh
# gradient instead of adding to a tensor of zeros. ``optimizer.zero_grad()``
# does the same by default (``set_to_none=True``).
#
# The losses stay on the device in a preallocated tensor and come to the CPU
# once, after the loop: each ``.item()`` (and each print of a tensor) makes
# the CPU wait until the GPU has finished all the work queued so far, which
# on every step would take away the GPU's head start.

learning_rate = 5e-6
steps = 2000
losses = torch.empty(steps, device=device)
for step in range(steps):
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    losses[step] = loss.detach()

    loss.backward()

    with torch.no_grad():
        for weight in (a, b, c, d):
            weight -= learning_rate * weight.grad
            weight.grad = None

losses = losses.tolist()
for step in range(99, steps, 100):
    print(f"step {step:5d}  loss {losses[step]:.4f}")

# round() then + 0.0 prints a weight of, say, -2e-10 as 0.000000 rather than
# -0.000000: rounding gives -0.0, and adding 0.0 turns it into 0.0.
a, b, c, d = (round(weight.item(), 6) + 0.0 for weight in (a, b, c, d))
print(f"Result: y = {a:.6f} {b:+.6f} * P3({c:.6f} {d:+.6f} x)")

# %%
# How good can it get?
# --------------------
#
# P₃(c + d x) expanded is itself a cubic in x, so this model cannot beat the
# least-squares cubic (dashed).

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
learned = (a + b * P3(c + d * x)).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned a + b P₃(c + d x)")
ax_fit.plot(
    x_np,
    np.polynomial.polynomial.polyval(x_np, best),
    "--",
    label="least-squares cubic",
)
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()

# %%
# Checking ``backward``
# ---------------------
#
# Autograd trusts a hand-written ``backward`` blindly, so check it, best
# before training with it. ``torch.autograd.gradcheck`` nudges each input
# by a small ``eps`` (1e-6), measures how the output moves, and compares
# these finite differences with what ``backward`` returns. It needs float64
# inputs: with float32 the rounding error of the finite differences is
# larger than its tolerance, and it warns and fails even on a correct
# ``backward``. It returns ``True``, or raises a ``GradcheckError`` showing
# the two Jacobians that disagree. To catch that error, import it with
# ``from torch.autograd.gradcheck import GradcheckError``: the name
# ``torch.autograd.gradcheck`` is the function itself, so
# ``torch.autograd.gradcheck.GradcheckError`` does not exist.

points = torch.linspace(-1.5, 1.5, 7, dtype=torch.float64)
points.requires_grad_()
print("gradcheck passed:", torch.autograd.gradcheck(P3, (points,)))

# %%
# Two ways to write a ``Function``
# --------------------------------
#
# Much existing code, and older versions of this lesson, write the same
# Function in an older style: ``forward(ctx, t)`` takes the context as its
# first argument and saves what it needs itself. That style is still
# supported, and for ``loss.backward()`` the two work alike.
#
# The newer style exists for the function transforms of ``torch.func``
# (``grad``, ``jacrev``, ``vmap`` and the others), which compose: a
# transform may run the Function's ``forward`` inside another transform
# and decides itself what to save for which pass. For that, computing the
# output must be separate from the bookkeeping, so ``torch.func`` accepts a
# Function only if it has a ``forward`` without ``ctx`` and a
# ``setup_context``. Given the older style, it refuses with a
# ``RuntimeError``, as the cell below shows. New code should use the newer
# style: it works everywhere the older one does, and with ``torch.func``
# too.


# The same P₃ in the older style, for comparison only.
class OldStyleP3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return 0.5 * (5 * t**3 - 3 * t)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * t**2 - 1)


t = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
OldStyleP3.apply(t).backward()
print(f"older style, backward(): dP3/dt at 0.5 = {t.grad.item():.4f}")
new_style = torch.func.grad(LegendrePolynomial3.apply)(t.detach())
print(f"newer style, torch.func.grad: dP3/dt at 0.5 = {new_style.item():.4f}")
try:
    torch.func.grad(OldStyleP3.apply)(t.detach())
except RuntimeError as error:
    print("older style, torch.func.grad raised RuntimeError:",
          str(error).split(" For more details")[0])

# %%
# Why a learning rate of 5e-6
# ---------------------------
#
# Plain gradient descent is stable while the learning rate stays below
# 2/λ, where λ is the largest eigenvalue of the loss's Hessian (its
# curvature). For the earlier lessons' cubic the Hessian is 2XᵀX with
# X = [1, x, x², x³], the same everywhere. Here it changes with the weights,
# so we compute it at the start and at the end of training, in float64 on
# the CPU, with ``torch.func.jacrev(torch.func.jacrev(loss_at))``: the
# Jacobian of the gradient. Both passes run in reverse mode, through our
# ``backward``; the outer one differentiates ``backward`` itself, which
# works because ``backward`` is written with ordinary tensor operations.
#
# ``torch.func.hessian`` would be the obvious name to call, but it computes
# forward-over-reverse: its outer pass runs in forward mode, which needs a
# ``jvp`` static method on the Function (the derivative pushed forward,
# from input to output) and a rule for ``vmap`` (``generate_vmap_rule =
# True`` lets PyTorch derive it). Our Function has neither, so it refuses,
# as the last cell shows. ``jacrev`` twice needs only the ``backward`` we
# have already checked with ``gradcheck``; for four weights, the cost of
# two reverse passes does not matter.
#
# .. going-deeper::
#
#    With d = 0.3 the cubic term is (0.3 x)³, much smaller than x³ at the ends
#    of the interval, so this model's curvature is lower and its limit higher:
#    5e-6 would make the earlier lessons' loss blow up, but it is about half of
#    this model's limit, at the start and still at the end.

x64 = x.cpu().double()
y64 = torch.sin(x64)


def loss_at(weights):
    """The sum of squared errors of a + b P3(c + d x), in float64."""
    a, b, c, d = weights
    return (a + b * P3(c + d * x64) - y64).pow(2).sum()


def largest_curvature(weights):
    """The largest eigenvalue of the loss's Hessian at these weights."""
    weights = torch.tensor(weights, dtype=torch.float64)
    hessian = torch.func.jacrev(torch.func.jacrev(loss_at))(weights)
    return torch.linalg.eigvalsh(hessian)[-1].item()


cubic = torch.stack([x64**0, x64, x64**2, x64**3], dim=1)
lambda_cubic = torch.linalg.eigvalsh(2 * cubic.T @ cubic)[-1].item()
print(f"the earlier lessons' cubic: λ = {lambda_cubic:.3e}, "
      f"limit 2/λ = {2 / lambda_cubic:.3e}")
for name, weights in (("start:", [0.0, -1.0, 0.0, 0.3]),
                      ("end:", [a, b, c, d])):
    lam = largest_curvature(weights)
    print(f"this model at its {name:<6}   λ = {lam:.3e}, "
          f"limit 2/λ = {2 / lam:.3e}")

start = torch.tensor([0.0, -1.0, 0.0, 0.3], dtype=torch.float64)
try:
    torch.func.hessian(loss_at)(start)
except RuntimeError as error:
    print("torch.func.hessian raised RuntimeError:",
          str(error).split(" Please")[0])
