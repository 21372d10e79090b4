"""
Scaled features
===============

A polynomial of order five fits sin(x) far better than a cubic, but with
the features x, …, x⁵ gradient descent needs a tiny learning rate, because
x⁵ is large at the ends of the interval. Scale the input first: use the
powers of s = x/π, which stay within [−1, 1].

Fit ``a + w₁ s + … + w₅ s⁵`` with ``nn.Linear(5, 1)``, starting from zero
weights (``nn.init.zeros_``). For the powers of x and for the powers of s,
compute the eigenvalues of the Hessian 2XᵀX (X with a column of ones for
the bias), train 2000 steps at ``lr = 1 / λ_max`` (half the limit), and
compare the two losses with the least-squares fit of order five
(``torch.linalg.lstsq``). Which number tells you in advance which run gets
closer?
"""

import math

import matplotlib.pyplot as plt
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
p = torch.arange(1, 6)


# The lesson's loop for nn.Linear(5, 1) from zero weights; the losses.
def train(features, learning_rate, steps=2000):
    model = nn.Sequential(nn.Linear(5, 1), nn.Flatten(0, 1))
    nn.init.zeros_(model[0].weight)
    nn.init.zeros_(model[0].bias)
    loss_fn = nn.MSELoss(reduction="sum")
    losses = torch.empty(steps)
    for step in range(steps):
        loss = loss_fn(model(features), y)
        losses[step] = loss.detach()
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    return losses, model[0]


fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for name, scale in (("x", 1.0), ("x/π", 1 / math.pi)):
    features = (x * scale).unsqueeze(-1).pow(p)
    # The Hessian in float64: a column of ones for the bias, then features.
    design = torch.cat([torch.ones(2000, 1), features], dim=1).double()
    eigenvalues = torch.linalg.eigvalsh(2 * design.T @ design)
    lam_min, lam_max = eigenvalues[0].item(), eigenvalues[-1].item()
    losses, linear = train(features, learning_rate=1 / lam_max)
    print(f"powers of {name:<3}: λ_max {lam_max:.3e}, "
          f"λ_max/λ_min {lam_max / lam_min:.3e}, lr {1 / lam_max:.3e}, "
          f"loss at step 1999 {losses[-1]:.4f}")
    ax.semilogy(losses, label=f"powers of {name}")

# The best fits of order three and five, whatever the scaling.
target = y.double().unsqueeze(-1)
for order in (3, 5):
    columns = design[:, : order + 1]
    solution = torch.linalg.lstsq(columns, target).solution
    best_loss = (columns @ solution - target).pow(2).sum()
    print(f"least squares, order {order}: loss {best_loss.item():.4f}")

# The scaled run's weights as coefficients of x: w_k s^k = (w_k / π^k) x^k.
weights = torch.cat([linear.bias, linear.weight[0]]).detach().double()
in_x = weights / math.pi ** torch.arange(6)
best_in_x = solution[:, 0] / math.pi ** torch.arange(6)
print("learned, in powers of x: "
      + " ".join(f"{round(v, 5) + 0.0:+.5f}" for v in in_x.tolist()))
print("least squares:           "
      + " ".join(f"{round(v, 5) + 0.0:+.5f}" for v in best_in_x.tolist()))

ax.axhline(best_loss.item(), color="gray", linestyle="--",
           label="least squares, order five")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend()
plt.show()

# With the powers of x the stiffest direction (mostly x⁵) forces a tiny
# learning rate, and along the flattest direction each step then removes
# only about λ_min/λ_max of the error: 2000 steps barely start, and the loss
# stays far above even the best cubic's. With the powers of x/π the
# condition number λ_max/λ_min is about thirty times smaller, so the same
# 2000 steps go about thirty times as far along the flat directions: the
# loss falls below the best cubic's, though still well above the best
# quintic's. The condition number tells in advance how many steps gradient
# descent needs: about λ_max/λ_min of them for each factor e by which the
# error along the flattest direction shrinks.
