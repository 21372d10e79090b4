"""
PyTorch: A two-layer network with autograd
==========================================

A small fully connected network, trained by plain gradient descent to map
random inputs to random targets. There is no ``torch.nn`` here and no
optimizer: the weights are ordinary tensors, autograd supplies their
gradients, and we update them ourselves. Seeing every piece once makes the
shortcuts of the later lessons easy to follow.
"""

# %%
# Random data and random weights
# ------------------------------
#
# ``N`` is the batch size, ``D_in`` the number of input features, ``H`` the
# width of the hidden layer and ``D_out`` the number of outputs. The targets
# are random too, so there is nothing to *understand* in the data; with 64
# examples and 101,000 weights the network can simply memorise them, which
# makes this a clean test of the training loop itself.
#
# The random numbers are drawn on the CPU and then moved with
# ``.to(device)``: the seeded CPU generator gives the same numbers on every
# machine, while an accelerator has generators of its own. Only the weights
# get ``requires_grad_()``; the data stays untracked.

import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

w1 = torch.randn(D_in, H).to(device).requires_grad_()
w2 = torch.randn(H, D_out).to(device).requires_grad_()
print(f"{w1.numel() + w2.numel()} weights to fit {y.numel()} target numbers")

# %%
# The forward pass
# ----------------
#
# The hidden layer is ``x @ w1`` followed by a ReLU, which keeps positive
# numbers and replaces negative ones with zero; ``clamp(min=0)`` does exactly
# that. Without such a non-linearity the two layers would collapse into a
# single matrix product. The loss is the sum of squared differences between
# prediction and target.


def forward(x):
    return x.mm(w1).clamp(min=0).mm(w2)


with torch.no_grad():
    start_loss = (forward(x) - y).pow(2).sum().item()
print(f"loss before training {start_loss:.4f}")

# %%
# Why the loss starts so high
# ---------------------------
#
# The loss starts in the tens of millions. That it is a sum over 640
# numbers explains only part of it: the mean squared error, the sum divided
# by 640, still starts in the tens of thousands. Most of it comes from the
# weights. ``torch.randn`` draws them with variance 1 whatever the layer's
# size, so each hidden value ``x @ w1`` is a sum of 1000 products and has
# variance 1000. The ReLU zeroes about half of them, which leaves a mean
# square of 1000 / 2 = 500, and each prediction sums 100 of those times
# weights of variance 1: its variance is 100 × 500 = 50,000. The targets add
# their own variance of 1, so a mean loss near 50,001 is what to expect,
# and one random draw lands near it, as the first line below shows.
#
# Dividing each weight matrix by the square root of its number of inputs
# keeps every layer's outputs near the size of its inputs, and the same
# network then starts with a mean loss near 1.5 (a prediction variance of
# 1/2 plus the targets' 1). Real networks start that way: ``nn.Linear``,
# for one, draws its initial weights uniformly between ±1/√(inputs). This
# lesson keeps the unscaled weights and a summed loss, and pays for them
# with a tiny learning rate.

print(f"mean loss before training {start_loss / y.numel():.1f}, "
      f"expected from the weights' variance {D_in * H / 2 + 1:.0f}")
with torch.no_grad():
    scaled_prediction = (x.mm(w1 / D_in**0.5).clamp(min=0)
                         .mm(w2 / H**0.5))
    scaled_loss = (scaled_prediction - y).pow(2).mean().item()
print(f"mean loss with weights scaled by 1/sqrt(inputs) {scaled_loss:.4f}")

# %%
# Training
# --------
#
# Each step records a new graph during the forward pass, and
# ``loss.backward()`` fills ``w1.grad`` and ``w2.grad``. The update
# ``w -= learning_rate * w.grad`` must not itself be recorded, so it runs
# under ``torch.no_grad()``; it also changes the weights in place, which
# autograd only allows for leaves outside of recording. Afterwards the
# gradients are reset to ``None``: ``backward()`` adds to whatever is in
# ``.grad``, and last step's gradient must not leak into the next one.
#
# The learning rate is tiny because the loss starts in the tens of
# millions, so its gradients are large.
#
# Every step's loss is kept as a detached tensor, and the list is turned
# into numbers once, after training. Reading a number with ``.item()``
# makes Python wait until the device has finished all the work queued so
# far. A GPU otherwise runs behind Python, working on one step while
# Python already queues the next; waiting at every step would keep the two
# from working at the same time. Only the five printed lines wait.

learning_rate = 1e-6
losses = []
for t in range(500):
    loss = (forward(x) - y).pow(2).sum()
    losses.append(loss.detach())
    if t % 100 == 99:
        print(f"step {t:5d}  loss {loss.item():.4f}")

    loss.backward()

    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad = None
        w2.grad = None

with torch.no_grad():
    final_loss = (forward(x) - y).pow(2).sum().item()
losses = torch.stack(losses).cpu()
print(f"Result: loss {start_loss:.1f} before training, "
      f"{final_loss:.6f} after {len(losses)} steps")

# %%
# The loss curve
# --------------
#
# On a logarithmic axis the loss falls by many orders of magnitude: the
# network ends up reproducing its 64 random targets almost exactly.

fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
ax.semilogy(losses.numpy())
ax.set_xlabel("step")
ax.set_ylabel("sum of squared errors (log scale)")
ax.set_title("Training a two-layer network with autograd")
plt.show()
