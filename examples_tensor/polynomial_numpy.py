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
# weights start at random values. The generator is seeded, so every run
# prints the same numbers.

import math

import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(seed=0)

x = np.linspace(-math.pi, math.pi, 2000)
y = np.sin(x)

a, b, c, d = rng.standard_normal(4)

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
# Gradient descent only creeps towards the best cubic. Least squares finds
# that best cubic in one step, which shows how far 2000 small steps got. The
# right-hand plot shows the loss falling quickly at first, then levelling off.

best = np.polynomial.polynomial.polyfit(x, y, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_fit.plot(x, y, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x, a + b * x + c * x**2 + d * x**3, label="learned cubic")
ax_fit.plot(x, np.polynomial.polynomial.polyval(x, best), "--", label="least-squares cubic")
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()
