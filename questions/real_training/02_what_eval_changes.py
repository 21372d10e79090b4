"""
The lesson calls ``model.eval()`` before it measures the validation loss.
Does that change what its model, ``nn.Linear(3, 1)`` and ``nn.Flatten(0,
1)``, computes? And for a model with an ``nn.Dropout`` layer?

----

``eval()`` only sets each module's ``training`` flag to ``False``. The
lesson's two layers ignore that flag, so its model computes the same in
both modes. ``nn.Dropout`` reads it: in training mode it zeroes each value
with probability ``p`` and scales the others by ``1 / (1 - p)``, and in
evaluation mode it passes them through. The lesson switches modes anyway,
as real code does, so that adding such a layer later changes nothing else.
"""

import torch
from torch import nn

torch.manual_seed(0)
features = torch.randn(5, 3)
lessons_model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
with_dropout = nn.Sequential(nn.Linear(3, 1), nn.Dropout(p=0.5),
                             nn.Flatten(0, 1))
for model in (lessons_model, with_dropout):
    model.train()
    training = model(features)
    model.eval()
    evaluation = model(features)
    layers = ", ".join(type(layer).__name__ for layer in model)
    same = torch.equal(training, evaluation)
    print(f"{layers}: the same in both modes: {same}")
