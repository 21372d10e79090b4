"""
PyTorch: optim
==============

Let ``torch.optim`` update the weights, here with RMSprop. Updating the
weights by hand under ``torch.no_grad()`` is fine for plain gradient descent,
but optimizers such as AdaGrad, RMSprop or Adam keep state for every
parameter. ``torch.optim`` implements them. This example fits the same
``nn`` model as before, from the warm-up's start, with RMSprop: only the
optimizer differs, so every difference from the warm-up's numbers is
RMSprop's doing.
"""

# %%
# The model, as before
# --------------------
#
# ``cubic_model()`` builds the ``nn`` model of the previous lesson with the
# warm-up's four coefficients in it (drawn on the CPU by numpy), so that
# plain gradient descent and RMSprop can each start from the same point.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device)
y = torch.sin(x)

p = torch.tensor([1, 2, 3], device=device)
xx = x.unsqueeze(-1).pow(p)

start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d


def cubic_model():
    """nn.Linear(3, 1) holding a as its bias and b, c, d as its weight."""
    linear = nn.Linear(3, 1)
    with torch.no_grad():
        linear.bias.copy_(torch.from_numpy(start[:1]))
        linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    return nn.Sequential(linear, nn.Flatten(0, 1)).to(device)


def coefficients(model):
    """The model's a, b, c, d as one vector."""
    linear = model[0]
    return torch.cat([linear.bias, linear.weight[0]]).detach()


loss_fn = nn.MSELoss(reduction="sum")

# %%
# Training with an optimizer
# --------------------------
#
# The optimizer is given the parameters it updates and a learning rate. Each
# step is three calls: ``zero_grad()``, ``backward()`` and ``step()``.
# RMSprop scales each parameter's step by the root of a running average of
# that parameter's squared gradients, so it takes a learning rate of 1e-3
# where plain gradient descent needed 1e-6; the sections after the program
# work out what that means.
#
# ``train`` keeps the loss and the coefficients of every step on the device
# and brings them to the CPU once at the end: each ``.item()`` would make the
# CPU wait for the GPU.


def train(optimizer_class, lr, steps=2000):
    """Train a fresh cubic_model(); its losses and coefficients per step."""
    model = cubic_model()
    optimizer = optimizer_class(model.parameters(), lr=lr)
    losses = torch.empty(steps, device=device)
    history = torch.empty(steps + 1, 4, device=device)
    history[0] = coefficients(model)
    for step in range(steps):
        loss = loss_fn(model(xx), y)
        losses[step] = loss.detach()

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history[step + 1] = coefficients(model)
    return losses.cpu().numpy(), history.cpu().numpy()


losses, history = train(torch.optim.RMSprop, lr=1e-3)
for step in range(99, 2000, 100):
    print(f"step {step:5d}  loss {losses[step]:.4f}")

# round() then + 0.0 prints -2e-10 as 0.000000, not as -0.000000.
a, b, c, d = (round(float(v), 6) + 0.0 for v in history[-1])
print(f"Result: y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3")

# %%
# What RMSprop does
# -----------------
#
# Plain gradient descent moves each parameter by lr times its gradient, so
# one learning rate must suit every parameter, and the stiffest direction
# of this loss holds it at 1e-6.
#
# .. going-deeper::
#
#    RMSprop keeps, for each parameter, a running average v of its squared
#    gradient g², and divides the step by its root:
#
#    .. math::
#
#       v \leftarrow \alpha v + (1 - \alpha) g^2, \qquad
#       w \leftarrow w - \mathrm{lr}\,\frac{g}{\sqrt{v} + \varepsilon}
#
#    with v starting at 0, and α = 0.99 and ε = 1e-8 unless you choose
#    otherwise. Scale every gradient by 1000 and √v grows by 1000 too: the step
#    no longer depends on the gradient's scale. While the gradient keeps its
#    size, a step is about lr, so lr is now a distance per step: 1e-3 suits
#    weights of order 1. The first steps are larger: after one step v = (1 − α)
#    g², and the step is lr / √(1 − α) = 10 lr.
#
# Below, a fresh model and optimizer take two steps from the start, worked
# out by hand from the gradients and compared with what
# ``optimizer.step()`` did, next to the first step of plain gradient
# descent (lr 1e-6) from the same start.

model = cubic_model()
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
lr = optimizer.defaults["lr"]
alpha = optimizer.defaults["alpha"]
eps = optimizer.defaults["eps"]
print(f"RMSprop's defaults: alpha = {alpha}, eps = {eps}")


def show(label, values):
    print(f"{label:<30}" + " ".join(f"{v:+.3e}" for v in values.tolist()))


square_avg = torch.zeros(4, device=device)
for name in ("first", "second"):
    before = coefficients(model)
    optimizer.zero_grad()
    loss_fn(model(xx), y).backward()
    linear = model[0]
    grad = torch.cat([linear.bias.grad, linear.weight.grad[0]])
    square_avg = alpha * square_avg + (1 - alpha) * grad**2
    by_hand = -lr * grad / (square_avg.sqrt() + eps)
    optimizer.step()
    show(f"{name} gradient", grad)
    show(f"{name} move, by hand", by_hand)
    show(f"{name} move, RMSprop", coefficients(model) - before)
    if name == "first":
        show("first move, gradient descent", -1e-6 * grad)

# %%
# Slower at first, closer in the end
# ----------------------------------
#
# The same model trained by plain gradient descent (``torch.optim.SGD``) at
# lr 1e-6 takes the warm-up's steps. At the start its steps along c and d
# are several times RMSprop's (printed in the previous section), because
# the gradients there are large, so its loss falls much faster. RMSprop
# moves every coefficient by up to about lr a step however small its
# gradient, which pays off later along the flat directions, where gradient
# descent crawls: RMSprop's loss drops below gradient descent's only after
# about a thousand steps.

sgd_losses, _ = train(torch.optim.SGD, lr=1e-6)
shown = (0, 9, 99, 999, 1999)
print(f"{'loss at step':<16}" + "".join(f"{step:10d}" for step in shown))
for name, run in (("gradient descent", sgd_losses), ("RMSprop", losses)):
    print(f"{name:<16}" + "".join(f"{run[step]:10.2f}" for step in shown))
overtakes = int(np.argmax(losses < sgd_losses))
print(f"RMSprop's loss first drops below gradient descent's at step "
      f"{overtakes}")

# %%
# Around the minimum
# ------------------
#
# RMSprop ends closer to the least-squares cubic (dashed) than gradient
# descent, but it does not settle on it. Near the minimum the gradient
# shrinks, and so does its running average, so the step stays about lr.
# Over the last 100 steps b and d, the coefficients that carry the fit,
# still move by about lr every step (the mean move divided by lr is printed
# below): b jumps back and forth across its least-squares value, and the
# loss stays a little above the least-squares loss. Decaying the learning
# rate (the third exercise) lets RMSprop settle.

x_np = x.cpu().numpy()
y_np = y.cpu().numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)
best_loss = np.sum((np.polynomial.polynomial.polyval(x_np, best) - y_np) ** 2)
moves = np.abs(np.diff(history[-101:], axis=0)).mean(axis=0) / 1e-3
print(f"last 100 steps, mean move / lr: b {moves[1]:.2f}, d {moves[3]:.2f}")
print(f"b after the last two steps: {history[-2, 1]:.6f}, "
      f"{history[-1, 1]:.6f}; least squares: {best[1]:.6f}")
print(f"loss: least squares {best_loss:.4f}, RMSprop's last {losses[-1]:.4f}")

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, np.polynomial.polynomial.polyval(x_np, [a, b, c, d]),
            label="learned cubic (RMSprop)")
ax_fit.plot(
    x_np,
    np.polynomial.polynomial.polyval(x_np, best),
    "--",
    label="least-squares cubic",
)
ax_fit.set_xlabel("x")
ax_fit.legend()
ax_loss.semilogy(sgd_losses, label="gradient descent, lr 1e-6")
ax_loss.semilogy(losses, label="RMSprop, lr 1e-3")
ax_loss.axhline(best_loss, color="gray", linestyle="--",
                label="least squares")
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (log scale)")
ax_loss.legend()
plt.show()
