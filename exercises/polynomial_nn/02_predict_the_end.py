"""
Predict the end of training
===========================

On this quadratic loss, plain gradient descent is a linear map. Write the
weights as w = (a, b, c, d) and the least-squares cubic as w*. Each step
multiplies the error w − w* along each eigenvector of the Hessian
H = 2XᵀX by 1 − lr λ, λ its eigenvalue, and the loss is the least-squares
loss plus (w − w*)ᵀ (H/2) (w − w*).

Delete the lines that copy the warm-up's start, so that ``nn.Linear`` keeps
its own random start. Before training, predict the loss after 2000 steps
from that start and from the warm-up's. Then train from both and compare.
Which start ends lower, and which eigenvectors decide it?
"""

import math

import numpy as np
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))

# The prediction, in float64 numpy: eigenvectors of H and the least squares.
x64 = x.double().numpy()
design = np.stack([x64**0, x64, x64**2, x64**3], axis=1)
best, (best_loss,), *_ = np.linalg.lstsq(design, np.sin(x64), rcond=None)
eigenvalues, eigenvectors = np.linalg.eigh(2 * design.T @ design)


def predicted_loss(start, learning_rate=1e-6, steps=2000):
    error = eigenvectors.T @ (start - best)  # along each eigenvector
    error = error * (1 - learning_rate * eigenvalues) ** steps
    return best_loss + error @ (eigenvalues / 2 * error), error


# The lesson's training from the layer's own start or from a given one.
def trained_loss(start=None, learning_rate=1e-6, steps=2000):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    linear = model[0]
    if start is not None:
        with torch.no_grad():
            linear.bias.copy_(torch.from_numpy(start[:1]))
            linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    own = np.array([linear.bias.item(), *linear.weight[0].tolist()])
    loss_fn = nn.MSELoss(reduction="sum")
    for _ in range(steps):
        loss = loss_fn(model(xx), y)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    with torch.no_grad():
        return loss_fn(model(xx), y).item(), own


own_loss, own_start = trained_loss()
warm_up_start = np.random.default_rng(seed=0).standard_normal(4)
warm_up_loss, _ = trained_loss(warm_up_start)

kept = (1 - 1e-6 * eigenvalues) ** 2000
print(f"{'eigenvalues of H:':<30}"
      + " ".join(f"{lam:.2e}" for lam in eigenvalues))
print(f"{'share of the error kept:':<30}"
      + " ".join(f"{k:.2e}" for k in kept))
for name, start, loss in (("nn.Linear's own start", own_start, own_loss),
                          ("warm-up's start", warm_up_start, warm_up_loss)):
    prediction, error = predicted_loss(start)
    print(f"{name}: predicted {prediction:.4f}, trained {loss:.4f}")
    print(f"{'  error left per eigenvector:':<30}"
          + " ".join(f"{abs(e):.2e}" for e in error))

# The predictions match the trained losses to the printed digits: training
# is nothing more than this linear map. After 2000 steps the two stiff
# eigenvectors keep nothing of their error, and the two flat ones, almost
# exactly the even coefficients (a, c) and the odd ones (b, d), keep the
# printed shares. What is left is the start's error along the flat
# eigenvectors times those shares. The warm-up's start happened to have
# almost no error along the flattest one, so it ends lower.
