import platform

import torch

print(f"Python {platform.python_version()}")
print(f"PyTorch {torch.__version__}")
# The CUDA version the build was made for; None for a build without CUDA.
print(f"CUDA build: {torch.version.cuda}")
# is_built(): this build of PyTorch supports Apple's GPU, which it calls
# "mps". is_available(): there is also such a GPU here that it can use.
print(f"Apple MPS support built in: {torch.backends.mps.is_built()}")
print(f"Apple GPU usable (MPS available): "
      f"{torch.backends.mps.is_available()}")

# The device every lesson of this site chooses: the accelerator if there
# is one, else the CPU.
if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")
print(f"The lessons run on: {device}")

# A first computation there: a 2 x 3 tensor of ones, doubled and summed.
x = torch.ones(2, 3).to(device)
print(f"2 * ones(2, 3) sums to {(2 * x).sum().item()}")
