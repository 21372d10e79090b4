"""
Polynomial regression with nn.Linear
====================================

Recover a hidden cubic, y = 0.9 + 0.5 x + 3 x² + 2.4 x³, from examples alone.
Every training step draws a fresh batch of 32 random x values, computes the
true y for them, and lets ``torch.optim.SGD`` nudge one ``nn.Linear(3, 1)``
layer towards the answer. Training stops on its own once the loss is small,
and we compare the learned weights with the hidden ones.
"""

# %%
# The hidden polynomial
# ---------------------
#
# The weights are stored with the same shape as the ``weight`` of
# ``nn.Linear(3, 1)``, one row of three numbers, so that the target is
# computed by exactly the formula the layer uses, ``features @ weight.T + bias``.
# The model never sees these numbers; it only sees pairs (x, y).

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

true_weight = torch.tensor([[0.5, 3.0, 2.4]], device=device)
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


def make_features(x):
    """Rows [x, x^2, x^3] for a 1-D tensor x."""
    x = x.unsqueeze(1)
    return torch.cat([x, x**2, x**3], dim=1)


def get_batch(batch_size=32):
    """A fresh batch: features of shape (batch_size, 3) and targets of shape (batch_size, 1)."""
    x = torch.randn(batch_size, device=device)
    features = make_features(x)
    y = features @ true_weight.T + true_bias
    return features, y


# %%
# Why standard normal x values?
# -----------------------------
#
# How fast gradient descent converges depends on where the x values lie. If
# they all sat in [-0.5, 0.5], the columns x and x³ would be almost
# proportional, and so would 1 and x²; the loss would barely change when one
# weight of such a pair went up and its partner went down, and plain SGD
# would crawl along that flat valley for millions of steps. If they were
# large, x³ and its gradients would be huge and a learning rate of 1e-3 would
# make training blow up. ``torch.randn`` puts most x values
# between -2 and 2, where the four columns differ enough and stay moderate,
# so SGD with learning rate 1e-3 needs only a couple of thousand steps. The
# target has no noise, so a perfect fit exists and the loss can fall as low
# as we like.

model = nn.Linear(3, 1).to(device)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)

# %%
# Train until the loss is small
# -----------------------------
#
# Instead of a fixed number of steps, we stop as soon as the mean squared
# error on the current batch drops below 1e-3, that is, when the predictions
# are off by about 0.03 on average. A cap on the number of steps makes sure
# a bad setting (too large a learning rate, say) ends with a clear error
# instead of looping forever.

tolerance = 1e-3
max_steps = 20_000
print_every = 250
losses = []
for t in range(1, max_steps + 1):
    features, y = get_batch()
    loss = loss_fn(model(features), y)

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    loss_value = loss.item()
    losses.append(loss_value)
    done = loss_value < tolerance
    if t % print_every == 0 or done:
        print(f"step {t:5d}  loss {loss_value:.6f}")
    if done:
        break
else:
    raise RuntimeError(f"the loss did not fall below {tolerance} in {max_steps} steps")

print(f"Stopped after {t} steps")

# %%
# Learned versus true coefficients
# --------------------------------
#
# The layer's ``weight`` holds the coefficients of x, x² and x³, and its
# ``bias`` the constant term. They should be close to the hidden values, but
# not equal: training stopped once the fit was good enough, not perfect.

w1, w2, w3 = model.weight[0].tolist()
b = model.bias.item()
rows = [("b", b, true_bias)] + list(zip(["w1", "w2", "w3"], [w1, w2, w3], true_weight[0].tolist()))
for name, learned, true in rows:
    print(f"{name:2s}  learned {learned:7.4f}  true {true:7.4f}")
print(f"Result: y = {b:+.4f} {w1:+.4f} x {w2:+.4f} x^2 {w3:+.4f} x^3")

# %%
# The two curves
# --------------
#
# On the range where the training x values fell, the learned cubic lies on
# top of the true one. The right panel shows the batch loss at every step:
# it is noisy, because every batch is different, but it falls steadily.

x_plot = torch.linspace(-3, 3, 200, device=device)
with torch.no_grad():
    features_plot = make_features(x_plot)
    y_true = (features_plot @ true_weight.T + true_bias).squeeze(1).cpu().numpy()
    y_learned = model(features_plot).squeeze(1).cpu().numpy()
x_plot = x_plot.cpu().numpy()

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_fit.plot(x_plot, y_true, linewidth=4, alpha=0.4, label="true polynomial")
ax_fit.plot(x_plot, y_learned, "--", label="learned polynomial")
ax_fit.set_xlabel("x")
ax_fit.set_ylabel("y")
ax_fit.legend()
ax_loss.semilogy(range(1, len(losses) + 1), losses)
ax_loss.axhline(tolerance, color="gray", linestyle=":", label="stopping threshold")
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("batch loss (log scale)")
ax_loss.legend()
plt.show()
