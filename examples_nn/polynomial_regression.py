"""
Polynomial regression with nn.Linear
====================================

Recover a hidden cubic, y = 0.9 + 0.5 x + 3 x² + 2.4 x³, from examples alone.
Every training step draws a fresh batch of 32 random x values, computes the
true y for them, and lets ``torch.optim.SGD`` nudge one ``nn.Linear(3, 1)``
layer towards the answer. Training stops on its own once the error on a
fixed held-out batch is small, and we compare the learned weights with the
hidden ones.
"""

# %%
# The hidden polynomial
# ---------------------
#
# The weights are stored with the same shape as the ``weight`` of
# ``nn.Linear(3, 1)``, one row of three numbers, so that the target is
# computed by exactly the formula the layer uses,
# ``features @ weight.T + bias``. The model never sees these numbers; it
# only sees pairs (x, y).

import math

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

true_weight = torch.tensor([[0.5, 3.0, 2.4]]).to(device)
true_bias = 0.9

# %%
# Features from a batch of x values
# ---------------------------------
#
# A linear layer can only form weighted sums of its inputs, so we hand it the
# powers of x as separate inputs. ``x.unsqueeze(1)`` turns a vector of shape
# (32,) into a column of shape (32, 1), and ``torch.cat`` glues three such
# columns side by side into a (32, 3) matrix whose rows are [x, x², x³]. The
# cubic is not linear in x, but it is linear in these three features.
#
# The x values are drawn on the CPU, from the generator seeded above, and
# then moved to the device, so every machine trains on the same numbers.


def make_features(x):
    """Rows [x, x^2, x^3] for a 1-D tensor x."""
    x = x.unsqueeze(1)
    return torch.cat([x, x**2, x**3], dim=1)


def get_batch(batch_size=32):
    """Fresh features, shape (batch_size, 3), and targets (batch_size, 1)."""
    x = torch.randn(batch_size).to(device)
    features = make_features(x)
    y = features @ true_weight.T + true_bias
    return features, y


# %%
# Why standard normal x values?
# -----------------------------
#
# How fast gradient descent converges depends on where the x values lie.
# Write d for the errors of the four coefficients (bias, then the weights
# of x, x² and x³). The prediction is then off by d · (1, x, x², x³), and
# the mean squared error over all possible x is dᵀ G d, where the 4 × 4
# matrix G holds the averages E[xⁱ⁺ʲ] of the products of the features. Its
# gradient is 2 G d, so along each eigenvector of G with eigenvalue λ, one
# step of gradient descent with learning rate η multiplies the error by
# 1 − 2ηλ. Two numbers follow:
#
# * the largest stable learning rate, 1 / λ_max: above it the error along
#   the steepest direction grows at every step and training blows up;
# * the number of steps it takes to shrink the error along the flattest
#   direction by a factor e = 2.718..., about 1 / (2ηλ_min).
#
# The averages E[xⁱ⁺ʲ] have closed forms: for x uniform on [-a, a],
# E[xᵏ] = aᵏ / (k + 1) when k is even, and for x normal with standard
# deviation σ, E[xᵏ] = σᵏ (k − 1)(k − 3)···1; odd powers average to 0. The
# cell below compares three choices of x at our learning rate of 1e-3.

learning_rate = 1e-3


def feature_gram(moment):
    """G[i][j] = E[x^(i+j)] for the features 1, x, x^2, x^3."""
    return torch.tensor([[moment(i + j) for j in range(4)] for i in range(4)],
                        dtype=torch.float64)


def uniform_moment(a):
    return lambda k: a**k / (k + 1) if k % 2 == 0 else 0.0


def normal_moment(sigma):
    def moment(k):
        if k % 2:
            return 0.0
        return sigma**k * math.prod(range(k - 1, 0, -2))
    return moment


choices = [("uniform on [-0.5, 0.5]", uniform_moment(0.5)),
           ("standard normal", normal_moment(1.0)),
           ("normal, sd 3", normal_moment(3.0))]
print(f"{'x drawn from':<24}{'λ_min':>9}{'λ_max':>9}{'max stable lr':>15}"
      f"{'steps per e':>13}")
for name, moment in choices:
    eigenvalues = torch.linalg.eigvalsh(feature_gram(moment))
    smallest, largest = eigenvalues[0].item(), eigenvalues[-1].item()
    limit = 1 / largest
    if learning_rate < limit:
        steps = f"{1 / (2 * learning_rate * smallest):13.3g}"
    else:
        steps = f"{'diverges':>13}"
    print(f"{name:<24}{smallest:9.3g}{largest:9.3g}{limit:15.3g}{steps}")

# %%
# On [-0.5, 0.5] the powers of x are small and alike, G is nearly singular,
# and its flattest direction would need over a million steps per factor of
# e: plain SGD would crawl. With a standard deviation of 3, x³ and its
# gradients are so large that a learning rate of 1e-3 is above the stable
# limit. ``torch.randn`` draws from the standard normal, where about a
# thousand steps shrink even the slowest error by a factor of e, so
# training is over within a few thousand steps. (Each step sees only 32 x
# values, so the real steps are noisy versions of these averages, but the
# averages set the pace.) The target has no noise, so a perfect fit exists
# and the loss can fall as low as we like.

model = nn.Linear(3, 1).to(device)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

# %%
# Train until the held-out error is small
# ---------------------------------------
#
# Instead of a fixed number of steps, we stop as soon as the model is good
# enough. The loss of the current training batch is the wrong thing to
# test: it changes from batch to batch, and one lucky batch of 32 easy x
# values can fall below any threshold long before the model is good. So a
# *held-out* batch of 1000 x values is drawn once, before training, and
# never trained on; after every step we measure the mean squared error on
# it, and stop when it is below 1e-3, that is, when the predictions are off
# by about 0.03 on average. A cap on the number of steps makes sure a bad
# setting (too large a learning rate, say) ends with a clear error instead
# of looping forever.
#
# The batch losses are kept as tensors and stacked once at the end; only the
# held-out error, which decides whether to go on, is read as a number at
# every step.

held_out_features, held_out_y = get_batch(1000)

tolerance = 1e-3
max_steps = 20_000
print_every = 250
batch_losses, held_out_losses = [], []
for t in range(1, max_steps + 1):
    features, y = get_batch()
    loss = loss_fn(model(features), y)

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    with torch.no_grad():
        held_out = loss_fn(model(held_out_features), held_out_y).item()
    batch_losses.append(loss.detach())
    held_out_losses.append(held_out)
    done = held_out < tolerance
    if t % print_every == 0 or done:
        print(f"step {t:5d}  batch loss {loss.item():.6f}  "
              f"held-out loss {held_out:.6f}")
    if done:
        break
else:
    raise RuntimeError(
        f"the held-out loss did not fall below {tolerance} in {max_steps} "
        "steps")

batch_losses = torch.stack(batch_losses).cpu()
print(f"Stopped after {t} steps")

# %%
# Learned versus true coefficients
# --------------------------------
#
# The layer's ``weight`` holds the coefficients of x, x² and x³, and its
# ``bias`` the constant term. They are close to the hidden values but not
# equal: training stopped once the fit was good enough, not perfect. The
# last column is the difference.

w1, w2, w3 = model.weight[0].tolist()
b = model.bias.item()
names = ["b", "w1", "w2", "w3"]
learned = [b, w1, w2, w3]
true = [true_bias] + true_weight[0].tolist()
for name, value, target in zip(names, learned, true):
    print(f"{name:2s}  learned {value:7.4f}  true {target:7.4f}  "
          f"difference {value - target:+.4f}")
print(f"Result: y = {b:+.4f} {w1:+.4f} x {w2:+.4f} x^2 {w3:+.4f} x^3")

# %%
# The two curves
# --------------
#
# Coefficients a few hundredths off do not mean curves a few hundredths
# apart everywhere: the errors of the four coefficients partly cancel where
# the training x values lay, and add up where they did not. The largest gap
# between the learned and the true cubic, measured on a fine grid, shows
# it: small for :math:`|x| \le 2`, where most standard normal x values fall
# (the share is printed below), and several times larger out at
# :math:`|x| = 3`, where x³ multiplies the error of ``w3`` by 27 and
# training saw few examples.
# On the plot the two curves still look alike, because the gap is tiny next
# to the values of y there (the last line below).

x_plot = torch.linspace(-3, 3, 601).to(device)
with torch.no_grad():
    features_plot = make_features(x_plot)
    y_true = (features_plot @ true_weight.T + true_bias).squeeze(1).cpu()
    y_learned = model(features_plot).squeeze(1).cpu()
x_plot = x_plot.cpu()
gap = (y_learned - y_true).abs()
inside = x_plot.abs() <= 2
share = math.erf(2 / math.sqrt(2))
print(f"share of standard normal x with |x| <= 2: {share:.4f}")
print(f"largest gap for |x| <= 2: {gap[inside].max().item():.4f}")
print(f"largest gap for |x| <= 3: {gap.max().item():.4f}")
print(f"largest |y| for |x| <= 3: {y_true.abs().max().item():.4f}")

# %%
# The right panel shows both losses at every step. The batch loss is noisy,
# because every batch is different, and it dips below the threshold many
# times (counted below) before the held-out loss, which always measures the
# same 1000 points, gets there. Any of those dips would have stopped a rule
# that trusted the batch loss.

early = (batch_losses[:-1] < tolerance).sum().item()
print(f"batch losses below {tolerance} before the stop: {early}")

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6),
                                      layout="constrained")
ax_fit.plot(x_plot.numpy(), y_true.numpy(), linewidth=4, alpha=0.4,
            label="true polynomial")
ax_fit.plot(x_plot.numpy(), y_learned.numpy(), "--",
            label="learned polynomial")
ax_fit.set_xlabel("x")
ax_fit.set_ylabel("y")
ax_fit.legend()
steps = range(1, len(batch_losses) + 1)
ax_loss.semilogy(steps, batch_losses.numpy(), linewidth=0.6, alpha=0.6,
                 label="batch loss")
ax_loss.semilogy(steps, held_out_losses, label="held-out loss")
ax_loss.axhline(tolerance, color="gray", linestyle=":",
                label="stopping threshold")
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("mean squared error (log scale)")
ax_loss.legend()
plt.show()
