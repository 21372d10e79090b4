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
# The dataset also scales the pixels from 0..16 to 0..1. Inputs of order one
# suit the initialisation used below, which assumes inputs of roughly unit
# size; raw values up to 16 would make the first layer's outputs, and its
# gradients, about ten times larger.


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
print(f"{len(labels)} images: {len(train_set)} for training, {len(test_set)} for testing")

# %%
# DataLoaders
# -----------
#
# The training loader cuts the training set into batches of 32 and shuffles
# it anew at the start of every epoch, so that consecutive steps do not see
# the same images in the same order. Its generator is seeded too, which makes
# the whole run repeatable. The test loader needs no shuffling: the order in
# which we score the test images does not change the accuracy.

train_loader = DataLoader(
    train_set, batch_size=32, shuffle=True, num_workers=0, generator=torch.Generator().manual_seed(0)
)
test_loader = DataLoader(test_set, batch_size=256, shuffle=False, num_workers=0)

# %%
# The model and its initial weights
# ---------------------------------
#
# A multilayer perceptron: 64 pixels in, two hidden layers with ReLU, and 10
# outputs, one score per digit. ``nn.Dropout(0.2)`` sets each hidden value to
# zero with probability 0.2 at every training step (and scales up the rest), so
# the network cannot rely on any single hidden unit; this is a guard against
# memorising the 1438 training images.
#
# ``model.apply(fn)`` calls ``fn`` on every submodule. We use it to give each
# linear layer Xavier-uniform weights, whose range depends on the layer's
# width so that signals keep roughly the same size from layer to layer, and
# zero biases.


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
# correct class index. SGD with momentum keeps a running average of recent
# gradients, which smooths the noise of small batches. ``weight_decay``
# pulls every weight slightly towards zero at each step, another guard
# against overfitting. ``StepLR`` halves the learning rate every 5 epochs:
# large steps early to make fast progress, smaller ones later to settle.

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)

# %%
# Training and evaluation
# -----------------------
#
# ``model.train()`` switches dropout on; ``model.eval()`` switches it off, so
# that the network uses all its units when we measure it. Evaluation runs
# under ``torch.no_grad()``: no gradients are needed, so PyTorch does not
# record the operations, which saves time and memory. The scheduler steps
# once per epoch, after the optimizer.


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
train_losses, test_accuracies = [], []
for epoch in range(1, epochs + 1):
    model.train()
    total_loss = 0.0
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = loss_fn(model(x), y)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
    scheduler.step()

    predicted, truth = evaluate(model, test_loader)
    accuracy = (predicted == truth).float().mean().item()
    train_losses.append(total_loss / len(train_set))
    test_accuracies.append(accuracy)
    print(f"epoch {epoch:2d}  train loss {train_losses[-1]:.4f}  test accuracy {accuracy:.4f}")

correct = int((predicted == truth).sum())
print(f"Test accuracy: {correct / len(truth):.4f} ({correct} of {len(truth)})")

# %%
# Saving and loading the weights
# ------------------------------
#
# ``model.state_dict()`` is a dictionary from parameter names to tensors: all
# that training produced. Saving it, rather than the model object, keeps the
# file independent of the code that defined the class. To use the weights we
# build a fresh model with the same architecture and load them into it;
# ``weights_only=True`` tells ``torch.load`` to accept only tensors and plain
# containers, never arbitrary Python objects. A temporary directory keeps
# this example from leaving files behind.

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "digits_mlp.pt")
    torch.save(model.state_dict(), path)
    reloaded = make_model().to(device)
    reloaded.load_state_dict(torch.load(path, map_location=device, weights_only=True))

reloaded_predicted, _ = evaluate(reloaded, test_loader)
agrees = torch.equal(reloaded_predicted, predicted)
print(f"reloaded model agrees on all {len(truth)} test images: {agrees}")

# %%
# Learning curves
# ---------------
#
# The training loss keeps falling while the test accuracy levels off after a
# few epochs. The drops in the learning rate every 5 epochs show as small
# steps in the loss.

epoch_numbers = range(1, epochs + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
ax_loss.plot(epoch_numbers, train_losses, marker="o")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("training loss")
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
    ax.set_title(f"predicted {guess.item()}", fontsize=9, color="black" if guess == answer else "red")
    ax.axis("off")
plt.show()
