"""
Sequence models: following the shapes
=====================================

Recurrent layers and the Transformer take a whole sequence at once, and most
first errors with them are shape errors. This lesson sends a small batch of
sequences through ``nn.RNN``, ``nn.LSTM`` and ``nn.Transformer``, prints the
shape of everything that comes out, and checks with numbers what each axis
means: which output is the final hidden state, and how a causal mask keeps a
position from looking at the positions after it.
"""

# %%
# A batch of sequences
# --------------------
#
# A sequence model reads, for every example in the batch, a list of time
# steps, and each time step is a vector of features. By default PyTorch's
# recurrent layers and ``nn.Transformer`` expect the time axis first:
# (seq_len, batch, features). With ``batch_first=True`` they expect
# (batch, seq_len, features) instead, the order most data loaders produce.
# The numbers are the same; only the order of the axes differs, so
# ``transpose(0, 1)`` turns one layout into the other. The random numbers are
# drawn on the CPU and then moved to the device, so that every machine
# prints the same ones.

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)

if torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

seq_len, batch, features, hidden = 5, 3, 4, 6

x = torch.randn(seq_len, batch, features).to(device)
x_batch_first = x.transpose(0, 1)
print("x (seq_len, batch, features)", tuple(x.shape))
print("x (batch, seq_len, features)", tuple(x_batch_first.shape))

# %%
# nn.RNN: the output and the final hidden state
# ---------------------------------------------
#
# An RNN returns two tensors. ``output`` holds the hidden state of the last
# layer at *every* time step, shaped (seq_len, batch, hidden). ``h_n`` holds
# the hidden state of *every* layer at the *last* time step, shaped
# (num_layers * num_directions, batch, hidden). With one layer and one
# direction the two overlap in exactly one place: the last time step of
# ``output`` is ``h_n[0]``. Checking that with numbers is a good way to be sure
# which axis is time.
#
# ``batch_first=True`` changes the layout of the input and of ``output`` but
# not of ``h_n``, which keeps the layers first. Below, a second RNN with the
# same weights but ``batch_first=True`` gives the same numbers, transposed.

rnn = nn.RNN(features, hidden).to(device).eval()
rnn_bf = nn.RNN(features, hidden, batch_first=True).to(device).eval()
rnn_bf.load_state_dict(rnn.state_dict())

with torch.no_grad():
    output, h_n = rnn(x)
    output_bf, h_n_bf = rnn_bf(x_batch_first)

print("RNN output", tuple(output.shape))
print("RNN h_n", tuple(h_n.shape))
print("RNN batch_first output", tuple(output_bf.shape))
print("RNN batch_first h_n", tuple(h_n_bf.shape))
print("last step of output equals h_n[0]:", torch.allclose(output[-1], h_n[0]))
print("batch_first gives the same numbers:",
      torch.allclose(output_bf.transpose(0, 1), output))

# %%
# Layers and directions
# ---------------------
#
# ``num_layers=2`` stacks a second RNN on the outputs of the first.
# ``bidirectional=True`` runs each layer twice, once from the first time step
# to the last and once backwards, and concatenates the two results along the
# feature axis. So ``output`` grows to 2 * hidden features, while ``h_n``
# gets one entry per layer and direction: num_layers * num_directions = 4.
#
# ``h_n.view(num_layers, num_directions, batch, hidden)`` separates the two.
# The forward direction finishes at the last time step and the backward
# direction finishes at the first one, so the final states of the top layer
# sit at the two ends of ``output``.

num_layers, num_directions = 2, 2
birnn = nn.RNN(features, hidden, num_layers=num_layers,
               bidirectional=True).to(device).eval()
with torch.no_grad():
    output, h_n = birnn(x)

print("bidirectional RNN output", tuple(output.shape))
print("bidirectional RNN h_n", tuple(h_n.shape))
top = h_n.view(num_layers, num_directions, batch, hidden)[-1]
print("forward half of the last step equals the top forward h_n:",
      torch.allclose(output[-1, :, :hidden], top[0]))
print("backward half of the first step equals the top backward h_n:",
      torch.allclose(output[0, :, hidden:], top[1]))

# %%
# nn.LSTM: a second state
# -----------------------
#
# An LSTM carries two states from step to step: the hidden state h, which is
# also its output, and the cell state c, its longer-term memory. It returns
# ``output`` and the pair ``(h_n, c_n)``, and ``c_n`` has the same shape as
# ``h_n``. Initial states, when given, have those same shapes too; here they
# are zeros, which is also what the LSTM uses when none are passed. This LSTM
# uses ``batch_first=True`` with two layers.

lstm = nn.LSTM(features, hidden, num_layers=num_layers,
               batch_first=True).to(device).eval()
h_0 = torch.zeros(num_layers, batch, hidden).to(device)
c_0 = torch.zeros(num_layers, batch, hidden).to(device)
with torch.no_grad():
    output, (h_n, c_n) = lstm(x_batch_first, (h_0, c_0))

print("LSTM output", tuple(output.shape))
print("LSTM h_n", tuple(h_n.shape))
print("LSTM c_n", tuple(c_n.shape))
print("last step of output equals h_n[-1]:",
      torch.allclose(output[:, -1], h_n[-1]))

# %%
# nn.Transformer: source, target and d_model
# ------------------------------------------
#
# A Transformer has no hidden state that runs along the sequence; every
# position looks at the others through attention. The encoder reads the
# source sequence ``src`` and the decoder produces one vector for each
# position of the target sequence ``tgt``, so the output has the target's
# length, not the source's. Every vector inside has ``d_model`` features,
# and attention splits them into ``nhead`` heads of d_model / nhead features
# each, so ``d_model`` must be divisible by ``nhead``.
#
# Tokens enter as whole numbers; ``nn.Embedding`` turns each into a vector of
# ``d_model`` features. A real model would also add positional information;
# it changes no shape, so it is left out here.

vocab, d_model, nhead = 10, 16, 4
src_len, tgt_len = 7, 5

embed = nn.Embedding(vocab, d_model).to(device)
transformer = nn.Transformer(
    d_model=d_model, nhead=nhead, num_encoder_layers=2, num_decoder_layers=2,
    dim_feedforward=32, batch_first=True,
).to(device)
# eval() turns dropout off, so the same input always gives the same output.
transformer.eval()

src_tokens = torch.randint(vocab, (batch, src_len)).to(device)
tgt_tokens = torch.randint(vocab, (batch, tgt_len)).to(device)

with torch.no_grad():
    src = embed(src_tokens)
    tgt = embed(tgt_tokens)
    memory = transformer.encoder(src)
    out = transformer(src, tgt)

print("src tokens", tuple(src_tokens.shape))
print("src", tuple(src.shape))
print("tgt", tuple(tgt.shape))
print("encoder memory", tuple(memory.shape))
print("Transformer output", tuple(out.shape))
print("features per head", d_model // nhead)

# %%
# A causal mask
# -------------
#
# When a decoder learns to predict the next token, position i must not see
# positions after i, or it could simply copy the answer.
# ``nn.Transformer.generate_square_subsequent_mask(n)`` builds an (n, n) mask
# that is added to the attention scores: 0 where attention is allowed and
# minus infinity where it is not. After the softmax, minus infinity becomes a
# weight of exactly zero.

mask = nn.Transformer.generate_square_subsequent_mask(tgt_len, device=device)
print("mask", tuple(mask.shape))
for i in range(tgt_len):
    visible = [j for j in range(tgt_len) if mask[i, j] == 0]
    print(f"position {i} attends to", visible)

# %%
# The mask at work
# ----------------
#
# Change one target token, at position 3, and run the decoder again. With the
# mask, the outputs at positions 0, 1 and 2 stay the same, because they never
# look at position 3; the output at position 3 changes. Without the mask,
# every position sees every other one, and even position 0 changes.

changed = 3
tgt_tokens_2 = tgt_tokens.clone()
tgt_tokens_2[:, changed] = (tgt_tokens_2[:, changed] + 1) % vocab

with torch.no_grad():
    tgt_2 = embed(tgt_tokens_2)
    masked_1 = transformer(src, tgt, tgt_mask=mask)
    masked_2 = transformer(src, tgt_2, tgt_mask=mask)
    open_1 = transformer(src, tgt)
    open_2 = transformer(src, tgt_2)

print("with the mask, earlier positions are unchanged:",
      torch.allclose(masked_1[:, :changed], masked_2[:, :changed],
                     rtol=0, atol=1e-5))
print("with the mask, the changed position differs:",
      bool((masked_1[:, changed] - masked_2[:, changed]).abs().max() > 1e-3))
print("without the mask, position 0 differs:",
      bool((open_1[:, 0] - open_2[:, 0]).abs().max() > 1e-3))

# %%
# Seeing the mask
# ---------------
#
# On the left, the mask: row i shows which positions position i may attend
# to. On the right, how much each output position moved when token 3
# changed, with and without the mask: the largest change of any of its
# features, over the three sequences of the batch.

masked_change = (masked_1 - masked_2).abs().amax(dim=(0, 2)).cpu().numpy()
open_change = (open_1 - open_2).abs().amax(dim=(0, 2)).cpu().numpy()
positions = np.arange(tgt_len)
print("largest change per position, with the mask:",
      [round(float(v), 4) for v in masked_change])
print("largest change per position, without mask: ",
      [round(float(v), 4) for v in open_change])

fig, (ax_mask, ax_change) = plt.subplots(1, 2, figsize=(9, 3.8),
                                         layout="constrained")
allowed = (mask == 0).cpu().numpy()
ax_mask.imshow(allowed, cmap="Blues", vmin=0, vmax=1.3)
for i in range(tgt_len):
    for j in range(tgt_len):
        ax_mask.text(j, i, "0" if allowed[i, j] else "-inf", ha="center",
                     va="center", fontsize=9,
                     color="white" if allowed[i, j] else "black")
ax_mask.set_xticks(positions)
ax_mask.set_yticks(positions)
ax_mask.set_xlabel("position attended to (key)")
ax_mask.set_ylabel("position attending (query)")
ax_mask.set_title("causal mask")

width = 0.38
ax_change.bar(positions - width / 2, masked_change, width,
              label="with causal mask")
ax_change.bar(positions + width / 2, open_change, width, label="without mask")
ax_change.axvline(changed, color="grey", linestyle=":", label="changed token")
ax_change.set_xticks(positions)
ax_change.set_xlabel("output position")
ax_change.set_ylabel("largest change in the output")
ax_change.legend(loc="upper left")
plt.show()
