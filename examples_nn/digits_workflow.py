"""
A complete workflow: handwritten digits
=======================================

Train a small network to read handwritten digits, from loading the data to
saving the trained weights. The images are the 8×8 digits that ship inside
scikit-learn, so nothing is downloaded. Along the way we meet the pieces
that almost every PyTorch training script has: a ``Dataset``, a
``DataLoader``, weight initialisation, dropout, weight decay, a learning-rate
schedule, separate training and evaluation modes, and ``state_dict``.
"""

# %%
# The data
# --------
#
# ``load_digits`` returns 1797 grayscale images of 8×8 pixels, already
# flattened into rows of 64 numbers, and the digit (0 to 9) each one shows.
# Pixel values are whole numbers from 0 (white) to 16 (black).

import os
import tempfile

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

digits = load_digits()
images = torch.tensor(digits.data, dtype=torch.float32)
labels = torch.tensor(digits.target, dtype=torch.long)

# %%
# A Dataset class
# ---------------
#
# A ``Dataset`` answers two questions: how many examples are there
# (``__len__``) and what is example number ``i`` (``__getitem__``). The
# ``DataLoader`` below only ever asks these two questions, so the same
# training loop works whether the examples live in memory, as here, or are
# read from disk one by one.
#
# The dataset also scales the pixels from 0..16 to 0..1. The initialisation
# used below is designed to keep signals at the size they enter with, so
# inputs of order one give hidden values of order one; with raw values up
# to 16 every pre-activation of the first layer (its biases start at zero)
# would be 16 times larger, and so would the gradients of its weights.


class DigitsDataset(Dataset):
    def __init__(self, images, labels):
        self.images = images / 16.0
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


# %%
# A fixed train/test split
# ------------------------
#
# We hold back a fifth of the images and never train on them: accuracy on
# images the network has already seen says little about how well it reads
# new handwriting. The shuffle that decides the split uses its own seeded
# generator, so the split is the same on every run and on every machine.

test_fraction = 0.2
n_test = int(len(labels) * test_fraction)
order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(0))
test_indices, train_indices = order[:n_test], order[n_test:]

train_set = DigitsDataset(images[train_indices], labels[train_indices])
test_set = DigitsDataset(images[test_indices], labels[test_indices])
print(f"{len(labels)} images: {len(train_set)} for training, "
      f"{len(test_set)} for testing")

# %%
# DataLoaders
# -----------
#
# The training loader cuts the training set into batches of 32 and shuffles
# it anew at the start of every epoch, so that consecutive steps do not see
# the same images in the same order. Its generator is seeded too, which makes
# the whole run repeatable. The test loader needs no shuffling: the order in
# which we score the test images does not change the accuracy.

train_loader = DataLoader(train_set, batch_size=32, shuffle=True,
                          num_workers=0,
                          generator=torch.Generator().manual_seed(0))
test_loader = DataLoader(test_set, batch_size=256, shuffle=False,
                         num_workers=0)

# %%
# The model and its initial weights
# ---------------------------------
#
# A multilayer perceptron: 64 pixels in, two hidden layers with ReLU, and 10
# outputs, one score per digit. ``nn.Dropout(0.2)`` sets each hidden value
# to zero with probability 0.2 at every training step and multiplies the
# others by 1 / (1 - 0.2) = 1.25, so that their expected sum is unchanged;
# the network cannot rely on any single hidden unit, which guards against
# memorising the 1438 training images. In evaluation mode dropout passes
# every value through unchanged.
#
# The model is built on the CPU, where the seeded generator draws its
# initial weights, and then moved to the device. Dropout is the exception
# to drawing on the CPU: it draws its masks during training, on the device
# the model runs on, and a GPU's generator draws other masks than the CPU's
# from the same seed. On a GPU the loss lines below therefore come out a
# little different from the ones printed here.
#
# ``model.apply(fn)`` calls ``fn`` on every submodule. We use it to give each
# linear layer zero biases and Xavier-uniform weights, drawn uniformly from
# :math:`\pm\sqrt{6 / (n_\text{in} + n_\text{out})}` for a layer with
# :math:`n_\text{in}` inputs and :math:`n_\text{out}` outputs: the range
# shrinks as the layer widens, so that signals keep roughly the same size
# from layer to layer.
#
# Xavier (Glorot) initialisation was derived for activations that keep
# both signs, such as ``tanh``. A ReLU zeroes about half of its inputs,
# which halves the mean square of the signal at every layer, so for ReLU
# networks the usual choice is Kaiming (He) initialisation,
# ``nn.init.kaiming_uniform_(weight, nonlinearity="relu")`` or its normal
# twin, whose weights have variance :math:`2 / n_\text{in}` to make up for
# the half that is lost. This lesson keeps Xavier: its point is how to set
# an initialisation of your choice with ``model.apply``, and with only two
# hidden layers the signal that Xavier lets the ReLUs take away does not
# hold training back, as the accuracy below shows. In a deep ReLU network
# the loss compounds from layer to layer, and Kaiming is the one to use.


def make_model():
    return nn.Sequential(
        nn.Linear(64, 128),
        nn.ReLU(),
        nn.Dropout(0.2),
        nn.Linear(128, 64),
        nn.ReLU(),
        nn.Dropout(0.2),
        nn.Linear(64, 10),
    )


def init_weights(module):
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)


model = make_model()
model.apply(init_weights)
model = model.to(device)


# %%
# Loss, optimizer and learning-rate schedule
# ------------------------------------------
#
# ``nn.CrossEntropyLoss`` takes the raw scores (no softmax needed) and the
# correct class index. ``weight_decay`` adds ``1e-4`` times each weight to
# its gradient, which pulls every weight slightly towards zero at each step,
# another guard against overfitting. ``StepLR`` halves the learning rate
# every 5 epochs: large steps early to make fast progress, smaller ones
# later to settle.
#
# SGD with momentum does not step along the latest gradient alone. It keeps
# a buffer :math:`b`, a *decaying sum* of the gradients so far, and steps
# along that:
#
# .. math::
#
#    b \leftarrow \mu\, b + g, \qquad w \leftarrow w - \eta\, b,
#
# with momentum :math:`\mu = 0.9` and learning rate :math:`\eta`. Noise
# in the gradients of small batches partly cancels in the sum. The sum is
# not an average: while the gradient stays the same, :math:`b` grows
# towards :math:`g / (1 - \mu)`, ten times :math:`g`, so the steps grow
# towards :math:`\eta / (1 - \mu)` times the gradient. A learning rate of
# 0.05 with momentum 0.9 moves as far as plain SGD would with 0.5.

loss_fn = nn.CrossEntropyLoss()
learning_rate, momentum = 0.05, 0.9
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate,
                            momentum=momentum, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5,
                                            gamma=0.5)
print(f"effective learning rate lr / (1 - momentum) = "
      f"{learning_rate / (1 - momentum):.2f}")

# %%
# To see the growth, give SGD one weight whose gradient is always 1 and
# record how far each step moves it. The first step moves it by the
# learning rate, and after a few dozen steps each step is almost ten times
# that.

w = torch.zeros(1, requires_grad=True)
demo = torch.optim.SGD([w], lr=learning_rate, momentum=momentum)
moves = []
for _ in range(60):
    before = w.item()
    demo.zero_grad()
    w.sum().backward()  # the gradient of w with respect to itself: 1
    demo.step()
    moves.append(before - w.item())
for k in (1, 2, 10, 60):
    print(f"step {k:2d} moves the weight by {moves[k - 1]:.4f}")

# %%
# Training and evaluation
# -----------------------
#
# ``model.train()`` switches dropout on; ``model.eval()`` switches it off, so
# that the network uses all its units when we measure it. Evaluation runs
# under ``torch.no_grad()``: no gradients are needed, so PyTorch does not
# record the operations, which saves time and memory. The scheduler steps
# once per epoch, after the optimizer.
#
# The training loss of an epoch is the mean over its batches, added up as a
# tensor on the device and read once per epoch, so that the loop never
# waits for the device to hand over a number. It is measured with dropout
# on and while the weights are still changing, so it wobbles from epoch to
# epoch. Each line also shows the learning rate the epoch used.


def evaluate(model, loader):
    """Predicted labels for every image in loader, and the true labels."""
    model.eval()
    predictions, truths = [], []
    with torch.no_grad():
        for x, y in loader:
            scores = model(x.to(device))
            predictions.append(scores.argmax(dim=1).cpu())
            truths.append(y)
    return torch.cat(predictions), torch.cat(truths)


epochs = 20
train_losses, test_accuracies, learning_rates = [], [], []
for epoch in range(1, epochs + 1):
    model.train()
    learning_rates.append(scheduler.get_last_lr()[0])
    total_loss = torch.zeros((), device=device)
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = loss_fn(model(x), y)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.detach() * len(y)
    scheduler.step()

    predicted, truth = evaluate(model, test_loader)
    accuracy = (predicted == truth).float().mean().item()
    train_losses.append(total_loss.item() / len(train_set))
    test_accuracies.append(accuracy)
    print(f"epoch {epoch:2d}  lr {learning_rates[-1]:.5f}  "
          f"train loss {train_losses[-1]:.4f}  test accuracy {accuracy:.4f}")

correct = int((predicted == truth).sum())
print(f"Test accuracy: {correct / len(truth):.4f} ({correct} of {len(truth)})")

# %%
# Saving and loading the weights
# ------------------------------
#
# ``model.state_dict()`` is a dictionary from parameter names to tensors:
# all that training produced, and nothing else. The file holds no code and
# no class, so it cannot rebuild the network by itself: to use the weights
# we build a fresh model of the same architecture, here with
# ``make_model()``, and load them into it. A model of another shape does not
# fit them, and ``load_state_dict`` raises a ``RuntimeError`` that lists
# the names and shapes that do not match. (Saving the whole model object
# with ``torch.save(model, ...)`` does not remove the need for the class
# either: the file refers to the class by its module and name, so loading
# it still needs the code that defines it, and it means unpickling
# arbitrary Python objects, which ``weights_only=True`` refuses.)
#
# ``weights_only=True`` tells ``torch.load`` to accept only tensors and
# plain containers, never arbitrary Python objects. It has been the default
# since PyTorch 2.6; writing it out makes the code say what it relies on,
# and keeps it safe on older versions. A temporary directory keeps this
# example from leaving files behind.

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "digits_mlp.pt")
    torch.save(model.state_dict(), path)
    state = torch.load(path, map_location=device, weights_only=True)

for name, tensor in state.items():
    print(f"{name:<8} {type(tensor).__name__} {tuple(tensor.shape)}")

reloaded = make_model().to(device)
reloaded.load_state_dict(state)
reloaded_predicted, _ = evaluate(reloaded, test_loader)
reloaded_correct = int((reloaded_predicted == truth).sum())
print(f"reloaded model: test accuracy {reloaded_correct / len(truth):.4f} "
      f"({reloaded_correct} of {len(truth)})")

try:
    nn.Sequential(nn.Linear(64, 10)).load_state_dict(state)
except RuntimeError as error:
    print("a one-layer model refused the weights:")
    for line in str(error).splitlines()[1:]:
        print("   ", line.strip())

# %%
# Learning curves
# ---------------
#
# The test accuracy levels off after a few epochs, while the training loss
# goes on falling, unevenly. The dotted lines mark the halvings of the
# learning rate. After the first one (epoch 6) the loss drops clearly, by
# much more than in the two epochs before. The later halvings do not show
# as steps: the drop after the second (epoch 11) is smaller than the one at
# epoch 8, when nothing changed, and after the third (epoch 16) the loss
# even goes up. With the learning rate already small, halving it changes
# little, and the noise of dropout and shuffled batches decides where a
# single epoch lands.

epoch_numbers = range(1, epochs + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.6),
                                      layout="constrained")
ax_loss.plot(epoch_numbers, train_losses, marker="o")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("training loss")
for epoch in range(2, epochs + 1):
    if learning_rates[epoch - 1] < learning_rates[epoch - 2]:
        ax_loss.axvline(epoch - 0.5, color="gray", linestyle=":")
ax_acc.plot(epoch_numbers, test_accuracies, marker="o", color="tab:green")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("test accuracy")
plt.show()

# %%
# A few test digits
# -----------------
#
# The first eight test images with the network's answers; a wrong answer
# would be shown in red.

fig, axes = plt.subplots(1, 8, figsize=(9, 1.8), layout="constrained")
for ax, image, guess, answer in zip(axes, test_set.images, predicted, truth):
    ax.imshow(image.reshape(8, 8).numpy(), cmap="gray_r")
    ax.set_title(f"predicted {guess.item()}", fontsize=9,
                 color="black" if guess == answer else "red")
    ax.axis("off")
plt.show()
