"""
Leave ``nn.Flatten(0, 1)`` out, so that the prediction has shape
``(2000, 1)`` while ``y`` has shape ``(2000,)``. What shape does
``y_pred - y`` have, and how many squared differences would the loss add
up?

----

Broadcasting pairs every prediction with every target: ``(2000, 2000)``,
four million differences. The code still runs, but it fits the wrong loss,
which is why ``nn.MSELoss`` warns when the two shapes differ.
"""

import torch

y_pred = torch.zeros(2000, 1)
y = torch.zeros(2000)
difference = y_pred - y
print("y_pred - y:", tuple(difference.shape))
print("squared differences:", difference.numel())
