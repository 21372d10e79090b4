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
# ``torch.accelerator`` reports the GPU (CUDA, ROCm or Apple's MPS) when there
# is one. Without one, the program runs on the CPU, unchanged.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

torch.manual_seed(0)

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
# The tensors are created directly on the chosen device. The four weights
# of y = a + b x + c x² + d x³ start at random values.

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.randn((), device=device, dtype=dtype)
b = torch.randn((), device=device, dtype=dtype)
c = torch.randn((), device=device, dtype=dtype)
d = torch.randn((), device=device, dtype=dtype)

# %%
# Training by gradient descent
# ----------------------------
#
# The loop is the numpy one, line for line: tensor operations replace array
# operations, and ``.item()`` turns a one-element tensor into a Python number
# for printing.

learning_rate = 1e-6
losses = []
for t in range(2000):
    # Forward pass: predict y and measure the error.
    y_pred = a + b * x + c * x**2 + d * x**3
    loss = (y_pred - y).pow(2).sum().item()
    losses.append(loss)
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss:.4f}")

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

print(f"Result: y = {a.item():.6f} {b.item():+.6f} x {c.item():+.6f} x^2 {d.item():+.6f} x^3")

# %%
# How good can a cubic be?
# ------------------------
#
# To plot, the tensors come back to the CPU as numpy arrays. The dashed curve
# is the least-squares cubic, the best any set of four weights can do.

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
learned = (a + b * x + c * x**2 + d * x**3).cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned cubic")
ax_fit.plot(x_np, np.polynomial.polynomial.polyval(x_np, best), "--", label="least-squares cubic")
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(losses)
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
plt.show()
