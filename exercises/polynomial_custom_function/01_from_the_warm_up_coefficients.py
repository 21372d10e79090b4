"""
From the warm-up coefficients
=============================

Replace the lesson's starting weights with the warm-up's four random
coefficients, ``np.random.default_rng(seed=0).standard_normal(4)``, and
train for the same 2000 steps at the same learning rate. Where does the
loss end, compared with the lesson's run?

Then compute the eigenvalues of the loss's Hessian where this run stopped,
with ``torch.func.jacrev`` twice as the lesson does. What does
the smallest one say about the road ahead?
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import torch


# The lesson's LegendrePolynomial3 would do, but this exercise is about the
# starting point, not the Function: autograd differentiates P3 written with
# tensor operations just as well, and the solution stays short.
def P3(t):
    return 0.5 * (5 * t**3 - 3 * t)


x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)


# The lesson's loop from the given start; the losses and the final weights.
def train(start, learning_rate=5e-6, steps=2000):
    weights = [torch.tensor(float(v), requires_grad=True) for v in start]
    a, b, c, d = weights
    losses = torch.empty(steps)
    for step in range(steps):
        loss = (a + b * P3(c + d * x) - y).pow(2).sum()
        losses[step] = loss.detach()
        loss.backward()
        with torch.no_grad():
            for weight in weights:
                weight -= learning_rate * weight.grad
                weight.grad = None
    return losses, [weight.item() for weight in weights]


lesson_losses, _ = train([0.0, -1.0, 0.0, 0.3])
warm_up_start = np.random.default_rng(seed=0).standard_normal(4)
losses, weights = train(warm_up_start)
print(f"lesson's start: loss {lesson_losses[0]:9.4f} -> "
      f"{lesson_losses[-1]:.4f}")
print(f"warm-up start:  loss {losses[0]:9.4f} -> {losses[-1]:.4f}")
print("weights reached: " + " ".join(f"{w:+.4f}" for w in weights))

# The Hessian where the second run stopped, in float64.
x64 = x.double()


def loss_at(w):
    a, b, c, d = w
    return (a + b * P3(c + d * x64) - x64.sin()).pow(2).sum()


hessian = torch.func.jacrev(torch.func.jacrev(loss_at))(
    torch.tensor(weights, dtype=torch.float64)
)
eigenvalues = torch.linalg.eigvalsh(hessian)
print("Hessian eigenvalues: "
      + " ".join(f"{lam:.3e}" for lam in eigenvalues.tolist()))
smallest = eigenvalues[0].item()
print(f"each step shrinks the error along the flattest direction by "
      f"lr * λ_min = {5e-6 * smallest:.1e}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.semilogy(lesson_losses, label="start a=0, b=-1, c=0, d=0.3")
ax.semilogy(losses, label="warm-up's random start")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend()
plt.show()

# From the warm-up's start the loss stalls in the hundreds, far above the
# lesson's run. All eigenvalues are positive where it stopped, so it sits in
# a valley, but the smallest is tiny: along that direction each step
# removes only the printed fraction of the remaining error, so the run would
# need tens of thousands of steps to make headway. The model is not linear
# in c and d, so its loss has regions like this one that a quadratic bowl
# does not have; the lesson's start avoids them.
