"""
Warm-up: numpy
==============

Fit y = sin(x) on [-π, π] with a third-order polynomial, using nothing but
numpy. numpy has no idea what a computational graph or a gradient is, so the
forward pass, the loss and the backward pass are all written out by hand.
"""

# %%
# The data and the model
# ----------------------
#
# The inputs are 2000 evenly spaced points between -π and π, the targets their
# sines. The model is the polynomial y = a + b x + c x² + d x³; its four
# weights start at random values drawn from a seeded generator, so every run
# prints the same numbers.
#
# Three later lessons, "PyTorch: Tensors", "PyTorch: Tensors and autograd"
# and "PyTorch: Custom nn Modules", start from these same four numbers, drawn
# the same way, so their printed losses and results can be compared with the
# ones below line by line. numpy computes in float64, its default; those
# lessons compute in float32, the usual dtype for training, and agree with
# this page to float32's precision of about seven significant digits: the
# last printed digit of a loss may differ. Doing this page in float32 as well
# would not make the digits identical, because numpy and PyTorch add up the
# 2000 terms of a sum in different orders.

import math

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(seed=0)

x = np.linspace(-math.pi, math.pi, 2000)
y = np.sin(x)

start = rng.standard_normal(4)
a, b, c, d = start

# %%
# Training by gradient descent
# ----------------------------
#
# Each step has three parts. The forward pass computes the prediction and the
# loss, here the sum of squared errors (the squared Euclidean distance between
# prediction and truth). The backward pass applies the chain rule by hand:
# the loss is a sum of ``(y_pred - y)²`` terms, so its gradient with respect
# to ``y_pred`` is ``2 (y_pred - y)``, and each weight's gradient is that
# times the power of x the weight multiplies. Finally every weight takes a
# small step against its gradient.

learning_rate = 1e-6
losses = []
for t in range(2000):
    # Forward pass: predict y and measure the error.
    y_pred = a + b * x + c * x**2 + d * x**3
    loss = np.square(y_pred - y).sum()
    losses.append(loss)
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss:.4f}")

    # Backward pass: gradients of the loss with respect to a, b, c and d.
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

print(f"Result: y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3")

# %%
# How good can a cubic be?
# ------------------------
#
# Gradient descent only creeps towards the best cubic. Least squares solves
# for that best cubic directly, which shows how far 2000 small steps got. The
# right-hand plot shows the loss falling quickly at first, then levelling off.

best = np.polynomial.polynomial.polyfit(x, y, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x, y, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x, a + b * x + c * x**2 + d * x**3, label="learned cubic")
ax_fit.plot(
    x, np.polynomial.polynomial.polyval(x, best), "--",
    label="least-squares cubic",
)
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()

# %%
# Why a learning rate of 1e-6?
# ----------------------------
#
# .. going-deeper::
#
#    Put the powers of x side by side as the columns of a 2000 × 4 matrix ``X =
#    [1, x, x², x³]``. Then ``X @ w``, with ``w = (a, b, c, d)``, is the
#    prediction, and the loss ``|X w − y|²`` is a quadratic function of ``w``.
#    Its matrix of second derivatives, the Hessian, is ``H = 2 XᵀX``, the same
#    at every ``w``.
#
#    The gradient of the loss is ``H (w − w_best)``, where ``w_best`` is the
#    least-squares cubic, so a step ``w ← w − lr H (w − w_best)`` multiplies
#    the error ``w − w_best`` along each eigenvector of ``H`` by ``1 − lr λ``,
#    where ``λ`` is that eigenvector's eigenvalue. The error shrinks only where
#    ``|1 − lr λ| < 1``, that is where ``lr < 2 / λ``, so the largest
#    eigenvalue sets the limit, and the lesson's 1e-6 is a round value safely
#    below it. Each entry of ``XᵀX`` is a sum over the 2000 points: the loss is
#    a sum, not a mean, so its curvature grows with the number of points, and
#    the limit on the learning rate shrinks.

X = np.stack([x**0, x, x**2, x**3], axis=1)
eigenvalues = np.linalg.eigvalsh(2 * X.T @ X)
limit = 2 / eigenvalues[-1]
print("eigenvalues of the Hessian:", np.array2string(
    eigenvalues, precision=1, floatmode="fixed"
))
print(f"largest eigenvalue {eigenvalues[-1]:.4g}, limit 2 / λ = {limit:.4g}")
print(f"lr = {learning_rate:g} is {limit / learning_rate:.2f} times below it")

# %%
# Just below and just above the limit
# -----------------------------------
#
# Two runs from the same start, at 5 % below and 5 % above the limit. Just
# below it, the error along the steepest direction flips sign at every step
# but still shrinks by a factor 0.9; just above, it flips and grows by a
# factor 1.1, and the loss explodes. Here ``X @ w`` is the lesson's
# ``a + b x + c x² + d x³`` and ``2 Xᵀ(X w − y)`` its four gradients at
# once.


def losses_at(lr, steps=300):
    w = start.copy()
    history = []
    for _ in range(steps):
        residual = X @ w - y
        history.append(residual @ residual)
        w -= lr * 2 * X.T @ residual
    return history


fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for factor in (0.95, 1.05):
    history = losses_at(factor * limit)
    print(f"lr = {factor:.2f} * limit: loss at step 299 {history[-1]:.4g}")
    ax.semilogy(history, label=f"lr = {factor:.2f} × limit")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend()
plt.show()
