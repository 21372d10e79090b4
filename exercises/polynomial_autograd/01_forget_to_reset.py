"""
Forget to reset the gradients
=============================

Delete the line ``weight.grad = None`` from the lesson's loop, so that every
``backward()`` adds its gradients to the ones already there. Run 2000
steps again. What happens to the loss, and why?
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import torch

dtype = torch.float32
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)
start = np.random.default_rng(seed=0).standard_normal(4)


# The lesson's loop, with or without resetting the gradients; its losses.
def losses_of_run(reset, learning_rate=1e-6):
    weights = [
        torch.tensor(value, dtype=dtype, device=device, requires_grad=True)
        for value in start
    ]
    a, b, c, d = weights
    losses = []
    for _ in range(2000):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.detach())
        loss.backward()
        with torch.no_grad():
            for weight in weights:
                weight -= learning_rate * weight.grad
                if reset:
                    weight.grad = None
    return torch.stack(losses).cpu()


with_reset = losses_of_run(reset=True)
without_reset = losses_of_run(reset=False)
print("step   loss with reset   loss without")
for t in range(199, 2000, 200):
    print(f"{t:4d}   {with_reset[t]:15.4f}   {without_reset[t]:12.4f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.semilogy(with_reset, label="grad set to None after each step")
ax.semilogy(without_reset, label="gradients accumulating")
ax.set_xlabel("step")
ax.set_ylabel("loss (log scale)")
ax.legend(loc="lower left")
plt.show()

# Without the reset, .grad holds the sum of every gradient so far, and each
# step moves the weights by the learning rate times that sum. The weights
# act like a ball rolling without friction: they overshoot the minimum,
# come back, overshoot again, and the loss swings up and down instead of
# settling.
