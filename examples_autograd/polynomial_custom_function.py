r"""
PyTorch: Defining new autograd functions
========================================

Teach autograd a new operation by subclassing ``torch.autograd.Function``.
Every primitive operation that autograd knows is a pair of functions: a
forward function that computes outputs from inputs, and a backward function
that turns the gradient of the loss with respect to the outputs into the
gradient with respect to the inputs; a new operation supplies both.

The model here is y = a + b P₃(c + d x), where P₃ is the Legendre polynomial
of degree three, P₃(t) = ½ (5t³ − 3t).
"""

# %%
# The new function
# ----------------
#
# ``forward`` computes P₃ and keeps its input for later with
# ``ctx.save_for_backward``. ``backward`` receives the gradient of the loss
# with respect to P₃'s output and multiplies it by the derivative
# P₃'(t) = 3/2 (5t² − 1), the chain rule done by hand for this one step.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch


# P₃(t) = ½ (5t³ − 3t), with its derivative written by hand.
class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return 0.5 * (5 * t**3 - 3 * t)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * t**2 - 1)


# %%
# The data and the weights
# ------------------------
#
# The weights start close to a good answer (a = 0, b = -1, c = 0, d = 0.3):
# far from it, this model converges slowly or not at all.

dtype = torch.float32
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)

# %%
# Training
# --------
#
# A ``Function`` is used through its ``apply`` method. Autograd calls our
# ``backward`` when ``loss.backward()`` reaches the P₃ node of the graph.

P3 = LegendrePolynomial3.apply

learning_rate = 5e-6
losses = []
for t in range(2000):
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss.item():.4f}")

    loss.backward()

    with torch.no_grad():
        for weight in (a, b, c, d):
            weight -= learning_rate * weight.grad
            weight.grad = None

print(f"Result: y = {a.item():.6f} {b.item():+.6f} * P3({c.item():.6f} {d.item():+.6f} x)")

# %%
# How good can it get?
# --------------------
#
# P₃(c + d x) expanded is itself a cubic in x, so this model cannot beat the
# least-squares cubic (dashed).

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
with torch.no_grad():
    learned = (a + b * P3(c + d * x)).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned a + b P₃(c + d x)")
ax_fit.plot(x_np, np.polynomial.polynomial.polyval(x_np, best), "--", label="least-squares cubic")
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()
