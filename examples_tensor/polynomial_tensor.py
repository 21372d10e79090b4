"""
PyTorch: Tensors
================

The same cubic fit as the numpy warm-up, written with PyTorch tensors. A
tensor is an n-dimensional array, much like a numpy array, but it can live on
a GPU: choose the device and every operation on the tensor runs there.
Gradients are still computed by hand.
"""

# %%
# Choosing a device
# -----------------
#
# ``torch.accelerator`` reports the accelerator when there is one (a CUDA or
# ROCm GPU, Apple's MPS, Intel's XPU, ...). Without one, the program runs on
# the CPU, unchanged.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

dtype = torch.float32
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")
print(f"Running on: {device}")

# %%
# The data and the model
# ----------------------
#
# ``x`` and ``y`` are created directly on the chosen device. The four
# weights of y = a + b x + c x² + d x³ start where the numpy warm-up's do:
# the same seeded numpy generator draws them on the CPU, and
# ``torch.tensor(..., device=device)`` copies them to the device.
# ``torch.randn`` would draw other numbers, and a GPU's generator differs from
# the CPU's, so drawing on the CPU is what lets every lesson of this tutorial
# start from one point and print the same numbers on any machine.

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

start = np.random.default_rng(seed=0).standard_normal(4)
a, b, c, d = (
    torch.tensor(value, dtype=dtype, device=device) for value in start
)

# %%
# Training by gradient descent
# ----------------------------
#
# The loop is the numpy one, with tensor operations in place of array
# operations, and one change. It keeps each loss as a tensor and converts
# them all to Python numbers once, after the loop. On a GPU, operations are
# queued and run while Python carries on; ``loss.item()`` inside the loop
# would copy a number back to the CPU and so wait, at every step, until the
# GPU has finished all the work queued so far.
#
# The printed numbers are those of the numpy warm-up, to float32 precision.

learning_rate = 1e-6
losses = []
for t in range(2000):
    # Forward pass: predict y and measure the error.
    y_pred = a + b * x + c * x**2 + d * x**3
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss)

    # Backward pass by hand: gradients of the loss with respect to a, b, c, d.
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x**2).sum()
    grad_d = (grad_y_pred * x**3).sum()

    # Update: step each weight against its gradient.
    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d

# One copy to the CPU for all 2000 losses, then the lines numpy printed.
losses = torch.stack(losses).cpu()
for t in range(99, 2000, 100):
    print(f"step {t:5d}  loss {losses[t]:.4f}")
print(
    f"Result: y = {a.item():.6f} {b.item():+.6f} x"
    f" {c.item():+.6f} x^2 {d.item():+.6f} x^3"
)

# %%
# How good can a cubic be?
# ------------------------
#
# To plot, the tensors come back to the CPU as numpy arrays. The dashed
# curve is the least-squares cubic, the best any set of four weights can do.

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
learned = (a + b * x + c * x**2 + d * x**3).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned cubic")
ax_fit.plot(
    x_np, np.polynomial.polynomial.polyval(x_np, best), "--",
    label="least-squares cubic",
)
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()

# %%
# Why the learned cubic still lags
# --------------------------------
#
# .. going-deeper::
#
#    The numpy warm-up showed that each step multiplies the error along each
#    eigenvector of the Hessian ``H = 2 XᵀX`` by ``1 − lr λ``. That same factor
#    explains the gap left after 2000 steps. The two large eigenvalues make
#    their directions converge within a few hundred steps; along the two
#    smallest, near 2000, the error shrinks by only about 0.2 % a step, and
#    after 2000 steps a few percent of it is left. That remainder is the gap
#    between the learned and the least-squares curves in the plot above.
#
# The analysis runs on the CPU in float64. ``torch.linalg.eigh`` returns the
# eigenvalues in ascending order and the eigenvectors as columns.

x64 = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
X = torch.stack([x64**0, x64, x64**2, x64**3], dim=1)
eigenvalues, eigenvectors = torch.linalg.eigh(2 * X.T @ X)
for lam in eigenvalues.tolist():
    shrink = learning_rate * lam
    left = (1 - shrink) ** 2000
    print(f"λ = {lam:9.1f}  shrinks {100 * shrink:5.2f} % a step,"
          f" {100 * left:4.1f} % left after 2000 steps")

# %%
# .. going-deeper::
#
#    The same numbers predict the learned weights. Starting from ``start``, the
#    error ``w − w_best`` after 2000 steps is ``(I − lr H)²⁰⁰⁰`` times the
#    starting error. In the eigenvector basis that matrix power is just each
#    ``1 − lr λ`` raised to the power 2000. The prediction, in float64, and the
#    weights learned above, in float32, are the same distance from the
#    least-squares cubic.

w_best = torch.linalg.lstsq(X, torch.sin(x64).unsqueeze(1)).solution[:, 0]
factors = (1 - learning_rate * eigenvalues) ** 2000
start_error = torch.tensor(start) - w_best
predicted = eigenvectors @ (factors * (eigenvectors.T @ start_error))
learned = torch.stack([a, b, c, d]).cpu().double() - w_best
print("gap to least squares      a          b          c          d")
print("predicted          ", " ".join(f"{v:+.6f}" for v in predicted))
print("learned            ", " ".join(f"{v:+.6f}" for v in learned))
