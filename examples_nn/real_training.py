"""
PyTorch: Minibatches, Validation and Early Stopping
===================================================

Train the cubic the way real training code trains a network: a mean loss,
shuffled minibatches from a ``DataLoader``, Adam, and a validation set that
decides when to stop. The earlier lessons took one gradient step on all
2000 points at a time and ran for a fixed number of steps. Real datasets are
too large for that, and a fixed number of steps either stops too early or
wastes time, so real code shuffles the data into small batches, holds some
of it back to measure the model on points it never trained on, and stops
when that measure no longer improves.
"""

# %%
# The data, split once
# --------------------
#
# The points and the features x, x², x³ are those of the ``nn`` lessons.
# A seeded ``torch.Generator`` shuffles the indices once: the first 400
# become the validation set, the other 1600 the training set. The model
# never trains on the validation points, so its loss there estimates how
# well it does on points it has not seen. The data stays on the CPU, as a
# dataset read from disk would; each minibatch moves to the device when the
# loop needs it.

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))

shuffled = torch.randperm(2000, generator=torch.Generator().manual_seed(0))
validation_index, train_index = shuffled[:400], shuffled[400:]
train_set = TensorDataset(xx[train_index], y[train_index])
x_val = xx[validation_index].to(device)
y_val = y[validation_index].to(device)
print(f"training points {len(train_set)}, validation points {len(y_val)}")

# %%
# Minibatches
# -----------
#
# ``TensorDataset`` pairs the i-th row of each tensor it holds, and a
# ``DataLoader`` deals the pairs out in batches of 64. With
# ``shuffle=True`` it draws a new order at the start of every epoch (one
# pass over the training set) from the generator it is given; seeding that
# generator makes every run see the same batches. 1600 points make 25
# batches an epoch.

batch_size = 64
loader = DataLoader(
    train_set,
    batch_size=batch_size,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
)
print(f"batches per epoch: {len(loader)}")

# %%
# The model, the mean loss and Adam
# ---------------------------------
#
# The model is the ``nn`` lessons' ``Linear(3, 1)``, started from the
# warm-up's four coefficients. ``nn.MSELoss()`` with its default
# ``reduction="mean"`` averages the squared errors instead of summing them:
# a batch of 64 and the whole set give losses of the same size, so one
# learning rate suits every batch size. Adam, a common first choice of
# optimizer, takes lr = 1e-3 here, the value it uses unless told
# otherwise.

start = np.random.default_rng(seed=0).standard_normal(4)  # a, b, c, d


def cubic_model():
    """nn.Linear(3, 1) holding a as its bias and b, c, d as its weight."""
    linear = nn.Linear(3, 1)
    with torch.no_grad():
        linear.bias.copy_(torch.from_numpy(start[:1]))
        linear.weight.copy_(torch.from_numpy(start[1:]).unsqueeze(0))
    return nn.Sequential(linear, nn.Flatten(0, 1)).to(device)


model = cubic_model()
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

# %%
# Training with early stopping
# ----------------------------
#
# Each epoch trains on every batch, then measures the loss on the
# validation set. ``model.train()`` and ``model.eval()`` switch layers such
# as dropout and batch normalisation between their training and their
# evaluation behaviour. This model has none, so they change nothing here,
# but real code calls them every epoch so that adding such a layer breaks
# nothing. The validation loss is computed under ``torch.no_grad()``: no
# gradient is needed, so no graph is recorded.
#
# Whenever the validation loss reaches a new low, a copy of the weights is
# kept. When it has not improved for ``patience`` epochs in a row, training
# stops and the best weights are put back. The losses stay on the device
# until the end; only the validation loss comes to the CPU each epoch,
# because the decision to stop needs it there.

patience = 20
max_epochs = 1000
best_loss = math.inf
best_epoch = 0
train_losses, val_losses = [], []
for epoch in range(1, max_epochs + 1):
    model.train()
    epoch_loss = torch.zeros((), device=device)
    for x_batch, y_batch in loader:
        x_batch, y_batch = x_batch.to(device), y_batch.to(device)
        loss = loss_fn(model(x_batch), y_batch)
        epoch_loss += loss.detach() * len(y_batch)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    train_losses.append(epoch_loss / len(train_set))

    model.eval()
    with torch.no_grad():
        val_loss = loss_fn(model(x_val), y_val).item()
    val_losses.append(val_loss)

    if val_loss < best_loss:
        best_loss, best_epoch = val_loss, epoch
        best_state = {k: v.clone() for k, v in model.state_dict().items()}
    elif epoch - best_epoch == patience:
        break

model.load_state_dict(best_state)
train_losses = torch.stack(train_losses).tolist()
for shown in range(25, epoch + 1, 25):
    print(f"epoch {shown:4d}  training loss {train_losses[shown - 1]:.6f}"
          f"  validation loss {val_losses[shown - 1]:.6f}")
print(f"stopped after epoch {epoch}: best validation loss "
      f"{best_loss:.6f} at epoch {best_epoch}")

linear = model[0]
weights = torch.cat([linear.bias, linear.weight[0]]).tolist()
# round() then + 0.0 prints -2e-10 as 0.000000, not as -0.000000.
a, b, c, d = (round(w, 6) + 0.0 for w in weights)
print(f"Result: y = {a:.6f} {b:+.6f} x {c:+.6f} x^2 {d:+.6f} x^3")

# %%
# The fit and the learning curves
# -------------------------------
#
# On the left, the restored model against the sine and the least-squares
# cubic; on the right, the two losses of every epoch. They fall together
# and then flatten: the validation loss stops improving, and training stops
# ``patience`` epochs after its best (dotted line).

x_np = x.numpy()
y_np = y.numpy()
best = np.polynomial.polynomial.polyfit(x_np, y_np, deg=3)
with torch.no_grad():
    learned = model(xx.to(device)).cpu().numpy()

fig, (ax_fit, ax_loss) = plt.subplots(
    1, 2, figsize=(9, 3.6), layout="constrained"
)
ax_fit.plot(x_np, y_np, linewidth=4, alpha=0.4, label="sin(x)")
ax_fit.plot(x_np, learned, label="learned cubic")
ax_fit.plot(x_np, np.polynomial.polynomial.polyval(x_np, best), "--",
            label="least-squares cubic")
ax_fit.set_xlabel("x")
ax_fit.legend()
epochs = range(1, epoch + 1)
ax_loss.semilogy(epochs, train_losses, label="training loss")
ax_loss.semilogy(epochs, val_losses, label="validation loss")
ax_loss.axvline(best_epoch, color="gray", linestyle=":", label="best epoch")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("mean loss (log scale)")
ax_loss.legend()
plt.show()

# %%
# The mean loss's stable limit
# ----------------------------
#
# The earlier lessons summed the squared errors, and plain gradient descent
# on that sum is stable only for lr < 2/λ, where λ is the largest
# eigenvalue of the loss's Hessian with respect to the four coefficients.
# Every point adds its own term to the sum, so λ grows with the number of
# points N and the limit shrinks: twice the points, half the learning rate.
# The mean divides the loss, and so its Hessian, by N. Below, the Hessians
# are computed by ``torch.func.hessian`` in float64 on the CPU, for N
# points spread evenly over [−π, π]: the sum's limit halves each time N
# doubles, while the mean's barely moves. It settles near the value for
# the whole interval, because a mean over more and more points tends to an
# average over [−π, π].


def limits(points, weight_of_each):
    """2/λ of the loss weight_of_each · Σ (cubic(x) − sin x)² at a, b, c, d."""
    x64 = torch.linspace(-math.pi, math.pi, points, dtype=torch.float64)
    powers = torch.stack([x64**k for k in range(4)], dim=1)

    def loss(coefficients):
        return weight_of_each * ((powers @ coefficients - x64.sin())**2).sum()

    hessian = torch.func.hessian(loss)(torch.zeros(4, dtype=torch.float64))
    return 2 / torch.linalg.eigvalsh(hessian)[-1].item()


print(f"{'points':<7}  {'sum: 2/λ':>9}  {'mean: 2/λ':>9}")
for points in (500, 1000, 2000, 4000, 8000):
    print(f"{points:<7d}  {limits(points, 1.0):9.3e}  "
          f"{limits(points, 1 / points):9.3e}")

# %%
# Minibatches against full batches
# --------------------------------
#
# For 2000 points the sum's limit is about 3.6e-6, above the 1e-6 the
# earlier lessons used. The same step on the mean loss is lr = 2000 × 1e-6
# = 2e-3, again under its limit. The limit does not constrain Adam in the
# same way, since Adam divides each step by the size of recent gradients, but
# it does constrain plain gradient descent, which this section compares with
# Adam.
#
# How much work does each way of training take to bring the loss on the
# 1600 training points below 0.01? Full-batch gradient descent, as in the
# earlier lessons, runs on the mean loss of all 1600 points at lr 2e-3 (the
# earlier lessons' step) and at 6e-3, just under the limit. Adam runs the
# program's minibatches again, from the same start and the same shuffling
# seed, with the training loss measured on all 1600 points after each step.
# Each full-batch step processes 1600 points, each minibatch step 64.

target = 0.01
x_train = xx[train_index].to(device)
y_train = y[train_index].to(device)


def train_loss(model):
    with torch.no_grad():
        return loss_fn(model(x_train), y_train).item()


def full_batch_steps(lr, max_steps=5000):
    """Gradient descent on all training points; its losses, until target."""
    model = cubic_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = [train_loss(model)]
    while losses[-1] >= target and len(losses) <= max_steps:
        optimizer.zero_grad()
        loss_fn(model(x_train), y_train).backward()
        optimizer.step()
        losses.append(train_loss(model))
    return losses


def minibatch_steps(max_epochs=200):
    """Adam on the lesson's minibatches; its losses, until target."""
    model = cubic_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                         generator=torch.Generator().manual_seed(0))
    losses = [train_loss(model)]
    for _ in range(max_epochs):
        for x_batch, y_batch in batches:
            x_batch, y_batch = x_batch.to(device), y_batch.to(device)
            optimizer.zero_grad()
            loss_fn(model(x_batch), y_batch).backward()
            optimizer.step()
            losses.append(train_loss(model))
            if losses[-1] < target:
                return losses
    return losses


runs = {
    "gradient descent, lr 2e-3": (full_batch_steps(2e-3), len(train_set)),
    "gradient descent, lr 6e-3": (full_batch_steps(6e-3), len(train_set)),
    "Adam, batches of 64": (minibatch_steps(), batch_size),
}
print(f"to bring the training loss below {target}:")
for name, (losses, per_step) in runs.items():
    steps = len(losses) - 1
    print(f"{name:<26} {steps:5d} steps {steps * per_step:9d} samples")

# %%
# Adam on minibatches takes more steps than either run of gradient descent,
# but each of its steps looks at 64 points instead of 1600, so it gets
# there after seeing far fewer samples. How that turns into time depends on
# the machine: on a GPU a step on 1600 points can cost little more than
# one on 64, and a ``DataLoader`` adds its own overhead for every batch,
# which on a problem as small as this one can outweigh the samples saved.
# Times would differ from build to build, so the page shows none; the
# project's benchmark measures them. For the datasets of real training,
# millions of samples, a full batch no longer fits in memory, and
# minibatches are the only practical way.

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for name, (losses, per_step) in runs.items():
    ax.semilogy(np.arange(len(losses)) * per_step, losses, label=name)
ax.axhline(target, color="gray", linestyle="--", label="target")
ax.set_xscale("log")
ax.set_xlabel("samples processed (log scale)")
ax.set_ylabel("training loss (log scale)")
ax.legend()
plt.show()
