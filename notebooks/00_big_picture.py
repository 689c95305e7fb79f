# %% [markdown]
# # 00 · The big picture
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/open-dl-course/deep-learning-course/blob/main/notebooks/00_big_picture.ipynb)
#
# Before we build a single neuron, this notebook draws the map. *Machine learning* is
# writing programs whose behaviour comes from data instead of hand-written rules; *deep
# learning* is machine learning with many stacked layers of simple, trainable functions.
# You will run one tiny, real example of each of the three ways a machine can learn,
# walk through eighty years of history in one figure, measure why deep learning runs on
# GPUs, and look at the computational graph a deep-learning library builds from a single
# line of code. Keras, the library this course uses, does its arithmetic through one of
# three *backends* (TensorFlow, JAX or PyTorch); you will see how each of them records that
# graph. It ends with a map of the course.
#
# **You will learn**
# - the difference between supervised, unsupervised and reinforcement learning, with a working example of each
# - the milestones from the 1943 artificial neuron to today's deep networks, and the two "AI winters" between them
# - why a matrix multiply is the workload of deep learning, what it costs ($\approx 2n^3$ operations), why GPUs win at it, and what they trade for speed (TensorFloat-32)
# - what a computational graph is, by recording $f(XW + b)$ with the backend
# - how TensorFlow, JAX and PyTorch record that graph, and the map of the notebooks ahead
#
# **Prerequisites:** Python and a little NumPy. No machine learning yet.
#
# **Time:** smoke 16–26 s · cpu 18–24 s (measured on a 2-core CPU: TensorFlow, JAX, PyTorch) · gpu about 1 min on a T4 (estimated)

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
EPSILON = 0.1  # how often the bandit agent explores (section 1.3)

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score

import course_utils as cu

run = cu.setup(PROFILE, seed=SEED)

# %% [markdown]
# ## 1. Three ways to learn
#
# A learning algorithm improves at a task through experience. What that *experience*
# looks like splits machine learning into three families:
#
# | family | the data | it learns | examples |
# |---|---|---|---|
# | **supervised** | inputs $x$ **with** the right answers $y$ | a function $\hat y = f(x)$ that predicts $y$ | spam filters, image classifiers, translation |
# | **unsupervised** | inputs $x$ only | structure in $x$: groups, directions, a density | customer segments, compression, anomaly detection |
# | **reinforcement** | no answers, only a **reward** after acting | a policy: which action to take | games, robots, recommendation |
#
# Deep learning is a *toolbox* that serves all three: the networks of notebooks 02–05
# are supervised, the GANs of notebook 06 learn without labels, and AlphaGo combined
# deep networks with reinforcement learning. Here is one tiny, real example of each.
#
# ### 1.1 Supervised: a digit classifier
#
# scikit-learn ships a small set of handwritten digits, 8×8 pixels each, with their labels
# (the loader prints how many). They are small enough to learn in a second and to cluster
# in section 1.2 with the cluster centres still readable as digits, so they suit a first
# look; from notebook 02 on, the course reads the 28×28 digits of MNIST. We show a
# classifier three quarters of them *with* their labels and test it on the quarter it has
# never seen. Logistic regression is the simplest classifier; notebook 01 shows it is a
# single "sigmoid neuron".

# %%
digits = cu.datasets.load_digits(seed=SEED)
x_train = digits.x_train.reshape(len(digits.x_train), -1)  # 8×8 image → 64 numbers
x_test = digits.x_test.reshape(len(digits.x_test), -1)

clf = LogisticRegression(max_iter=2000)
clf.fit(x_train, digits.y_train)  # learn from (input, right answer) pairs
pred = clf.predict(x_test)
accuracy = float(np.mean(pred == digits.y_test))
run.expect("supervised_test_accuracy", accuracy, at_least=0.93,
           hint="logistic regression scores about 0.96 on this split (measured on a 2-core CPU); "
                "check the data and the fit.")
print(f"trained on {len(x_train)} labelled digits; {accuracy:.1%} right on {len(x_test)} unseen ones")

# %%
fig = cu.plots.image_grid(digits.x_test[:16], labels=digits.y_test[:16], predictions=pred[:16],
                          ncols=8, title="Supervised: predictions on unseen digits (wrong ones in red, true label in brackets)")
plt.show()

# %% [markdown]
# **Takeaway:** with labelled examples the model learns the mapping from input to answer,
# and we can *measure* how well it generalises on examples it has not seen.
#
# ### 1.2 Unsupervised: finding groups without labels
#
# Now throw the labels away. *k-means* looks for $k$ cluster centres $\mu_j$ that make
# every point close to its nearest centre, minimising
# $\sum_i \min_j \lVert x_i - \mu_j \rVert^2$. *PCA* (principal component analysis) finds
# the two directions along which the 64-pixel images vary most, so we can look at them as
# points on a page. Neither ever sees a label; we use the labels only afterwards, to
# *score* the grouping with the adjusted Rand index (1 = the clusters are exactly the
# digits, 0 = no better than chance).

# %%
x_all = np.concatenate([x_train, x_test])
y_all = np.concatenate([digits.y_train, digits.y_test])  # used only for scoring below

kmeans = KMeans(n_clusters=10, n_init=4, random_state=SEED).fit(x_all)
xy = PCA(n_components=2, random_state=SEED).fit_transform(x_all)
ari = adjusted_rand_score(y_all, kmeans.labels_)
run.expect("unsupervised_adjusted_rand", ari, at_least=0.5,
           hint="k-means agrees with the true digits at about 0.67 ARI here (measured on a 2-core CPU).")
print(f"k-means grouped {len(x_all)} digits into 10 clusters without labels; "
      f"agreement with the true digits (ARI): {ari:.2f}")

# %%
fig, ax = plt.subplots(figsize=(6.5, 4.5))
points = ax.scatter(xy[:, 0], xy[:, 1], c=kmeans.labels_, cmap="tab10", s=8)
ax.set(xlabel="first principal component", ylabel="second principal component",
       title=f"Unsupervised: {len(x_all):,} digits, coloured by k-means cluster")
fig.colorbar(points, ax=ax, label="cluster", ticks=range(10))
plt.show()
centres = kmeans.cluster_centers_.reshape(10, 8, 8)
fig = cu.plots.image_grid(centres, labels=[f"cluster {j}" for j in range(10)], ncols=10, size=1.2,
                          title="The 10 cluster centres: the 'average digit' k-means found in each group")
plt.show()

# %% [markdown]
# **Takeaway:** without a single label, the algorithm rediscovers most of the digits as
# groups (the centres look like digits), but it cannot *name* them, and some digits that
# are written in two styles get split or merged.
#
# ### 1.3 Reinforcement: a multi-armed bandit
#
# A gambler faces five slot machines ("one-armed bandits"). Machine $a$ pays 1 with an
# unknown probability $p_a$, else 0. Nobody tells the agent which machine is best; it
# only sees the reward of the arm it pulls. It keeps an estimate $Q_a$ of every arm's
# average reward, updated after each pull as a running mean:
#
# $$Q_a \leftarrow Q_a + \frac{1}{N_a}\,(r - Q_a)$$
#
# ($N_a$ counts the pulls of arm $a$ so far) and chooses with the **ε-greedy** rule: with
# probability $\varepsilon$ *explore* (a random arm), otherwise *exploit* (the arm with the
# largest $Q_a$). We run many independent agents side by side (one row each) to see the
# average behaviour.

# %%
P_WIN = np.array([0.25, 0.45, 0.70, 0.55, 0.35])  # hidden from the agent
STEPS = run.budget(smoke=300, cpu=2000, gpu=2000)
AGENTS = run.budget(smoke=200, cpu=1000, gpu=1000)


def play_bandit(epsilon, steps=STEPS, agents=AGENTS, seed=SEED):
    """ε-greedy agents on the bandit P_WIN; returns the estimates Q and the history."""
    rng = np.random.default_rng(seed)
    k, rows = len(P_WIN), np.arange(agents)
    Q, N = np.zeros((agents, k)), np.zeros((agents, k))
    rewards, chose_best = np.zeros((steps, agents)), np.zeros((steps, agents))
    for t in range(steps):
        greedy = np.argmax(Q + 1e-9 * rng.random(Q.shape), axis=1)  # ties broken at random
        explore = rng.random(agents) < epsilon
        arm = np.where(explore, rng.integers(k, size=agents), greedy)
        r = (rng.random(agents) < P_WIN[arm]).astype(float)  # the only feedback: a reward
        N[rows, arm] += 1
        Q[rows, arm] += (r - Q[rows, arm]) / N[rows, arm]  # running mean
        rewards[t], chose_best[t] = r, arm == np.argmax(P_WIN)
    return Q, rewards, chose_best


results = {eps: play_bandit(eps) for eps in (0.0, 0.01, EPSILON)}
print(f"{AGENTS} agents × {STEPS} pulls for each ε in {list(results)}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
window = max(1, STEPS // 50)
smooth = np.ones(window) / window
for eps, (_Q, rewards, chose_best) in results.items():
    label = "greedy (ε = 0)" if eps == 0 else f"ε = {eps}"
    ax1.plot(np.convolve(rewards.mean(axis=1), smooth, mode="valid"), label=label)
    ax2.plot(100 * np.convolve(chose_best.mean(axis=1), smooth, mode="valid"), label=label)
ax1.axhline(P_WIN.max(), color="0.4", ls=":", label=f"best arm ({P_WIN.max():.2f})")
ax1.axhline(P_WIN.mean(), color="0.6", ls="--", label=f"random arm ({P_WIN.mean():.2f})")
ax1.set(xlabel="pull", ylabel="average reward", title="Learning curve: reward per pull", ylim=(0.3, 0.75))
ax2.set(xlabel="pull", ylabel="% of agents pulling the best arm", title="Finding the best arm", ylim=(0, 100))
ax1.legend(fontsize=8, loc="lower right", ncol=2)
ax2.legend(fontsize=8, loc="upper left")
plt.show()

# %%
Q, rewards, chose_best = results[EPSILON]
found_best = float(np.mean(np.argmax(Q, axis=1) == np.argmax(P_WIN)))
late_reward = float(rewards[-STEPS // 10:].mean())
greedy_found_best = float(np.mean(np.argmax(results[0.0][0], axis=1) == np.argmax(P_WIN)))
print("true win probabilities:        ", P_WIN)
print("one agent's learned estimates Q:", Q[0].round(2))
print(f"greedy (ε = 0) agents that found the best arm: {greedy_found_best:.0%}")
run.expect("bandit_agents_finding_best_arm", found_best, at_least=run.budget(smoke=0.7, cpu=0.95, gpu=0.95),
           hint=f"with ε = {EPSILON} almost every agent should learn that arm {np.argmax(P_WIN)} is best.")
run.expect("bandit_late_reward", late_reward, at_least=run.budget(smoke=0.58, cpu=0.62, gpu=0.62),
           hint=f"a random arm pays {P_WIN.mean():.2f} on average, the best {P_WIN.max():.2f}; "
                "ε-greedy should come close to the best.")
print(f"ε = {EPSILON}: {found_best:.0%} of the agents learned that arm {np.argmax(P_WIN)} is best; "
      f"reward per pull over the last 10% of pulls: {late_reward:.3f} (the best arm pays {P_WIN.max():.2f})")

# %% [markdown]
# **Takeaway:** the agent learns from rewards alone, and must balance *exploring* (to
# find out) with *exploiting* (to earn). Pure greed often locks onto the first arm that
# happened to pay; a little exploration finds the best arm. This trade-off is at the
# heart of reinforcement learning.

# %% [markdown]
# ## 2. A short history, 1943 to today
#
# Neural networks are older than most people think. Their history runs in waves: bursts
# of excitement, then "AI winters" when promises outran results and funding dried up.
# Red events are the ones this course rebuilds, tagged with the notebook that does it.

# %%
EVENTS = [
    (1943, "McCulloch & Pitts: the artificial neuron"),
    (1950, "Turing: 'Computing Machinery and\nIntelligence' (can machines think?)"),
    (1957, "Rosenblatt: the perceptron", "01"),
    (1960, "Kelley: gradients through layered\nsystems (a root of backprop)"),
    (1965, "Ivakhnenko & Lapa: the first\ntrained deep networks"),
    (1969, "Minsky & Papert: 'Perceptrons' (XOR)"),
    (1980, "Fukushima: the Neocognitron", "03"),
    (1986, "Rumelhart, Hinton & Williams:\nbackpropagation popularised", "02"),
    (1989, "LeCun: a CNN reads zip codes"),
    (1997, "Hochreiter & Schmidhuber: LSTM", "05"),
    (1997.3, "IBM Deep Blue beats Kasparov"),
    (2007, "NVIDIA CUDA: GPUs programmable\nfor general arithmetic"),
    (2012, "AlexNet wins ImageNet,\ntrained on two GPUs"),
    (2014, "Goodfellow et al.: GANs", "06"),
    (2014.3, "Simonyan & Zisserman: VGG16", "04"),
    (2015, "Xu et al.: captions written\nwith attention", "07"),
    (2016, "AlphaGo beats Lee Sedol"),
    (2017, "Vaswani et al.: transformers,\nattention is all you need", "08"),
    (2022, "ChatGPT: large language models for everyone"),
]
AI_WINTERS = [(1974, 1980, "AI winter"), (1987, 1993, "AI winter")]
fig = cu.figures.nb00.timeline(EVENTS, spans=AI_WINTERS, title="Milestones of neural networks and AI")
plt.show()

# %% [markdown]
# In 1950 Alan Turing asked whether machines can think, and proposed to answer by a test of
# conversation rather than by definitions; he also suggested building a "child machine" that
# learns instead of programming an adult one. The ideas that followed (neurons, the
# perceptron, layered gradients, convolution, LSTMs) were mostly in place by 1997. What
# changed around **2012** was data (the 1.2 million labelled training images of the ImageNet challenge;
# Russakovsky et al. 2015) and compute:
# AlexNet trained on two gaming GPUs, programmed through NVIDIA's CUDA. That is the next
# section.
#
# **Takeaway:** deep learning is eighty years of ideas that became practical once data
# and parallel hardware caught up.

# %% [markdown]
# ## 3. Why GPUs?
#
# A dense layer computes $XW + b$: a matrix product. Multiplying an $n\times k$ matrix by a
# $k\times m$ matrix gives $n\cdot m$ numbers, each a sum of $k$ products, so it costs about
# $2nkm$ floating-point operations (FLOPs: a multiplication and an addition per term),
# **$2n^3$ for two $n\times n$ matrices**. Training a network is mostly a long series of
# such products, and every one of the $n^2$ output entries can be computed independently.
# A CPU has a few fast cores; a GPU (graphics processing unit) has thousands of simpler
# ones built for exactly this kind of parallel arithmetic. Since NVIDIA released CUDA in
# 2007, its GPUs can be programmed for any arithmetic, not only for graphics; the libraries
# built on CUDA (cuBLAS for matrix products, cuDNN for neural-network layers) are what
# TensorFlow, JAX and PyTorch call on an NVIDIA GPU. Google's TPUs (tensor processing
# units) are chips built for matrix products alone.
#
# We time the product for several sizes twice: with NumPy, which always runs on the CPU,
# and with `keras.ops.matmul`, which runs wherever the Keras backend keeps its *tensors*
# (its arrays, like NumPy's): on a GPU when it sees one, else on the CPU. Each timing is
# the best of a few repeats after a warm-up run (on a busy or shared machine single timings
# jump around; the best one is the most honest), and reading one number of the result back
# makes sure the device has finished.

# %%
SIZES = run.budget(smoke=[128, 256, 512], cpu=[128, 256, 512, 1024], gpu=[256, 512, 1024, 2048, 4096])
REPEATS = 3
MIN_SECONDS = run.budget(smoke=0.05, cpu=0.2, gpu=0.2)  # time each product for at least this long


def best_time(fn, *args, repeats=REPEATS, min_seconds=MIN_SECONDS):
    """The fastest call of fn(*args) in seconds: one warm-up call, then at least `repeats`
    calls, and more (up to 50) until `min_seconds` have been measured."""
    fn(*args)
    times = []
    while len(times) < repeats or (sum(times) < min_seconds and len(times) < 50):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def keras_matmul(a, b):
    # Reading one entry back waits until the device has finished the whole product.
    return keras.ops.convert_to_numpy(keras.ops.matmul(a, b)[0, 0])


rng = np.random.default_rng(SEED)
NUMPY, KERAS = "NumPy (CPU)", f"keras.ops.matmul ({run.backend} on {run.device})"
matrices = {n: (rng.standard_normal((n, n), dtype=np.float32), rng.standard_normal((n, n), dtype=np.float32))
            for n in SIZES}
seconds = {NUMPY: {}, KERAS: {}}
for n, (A, B) in matrices.items():  # NumPy first, so that the backend's threads cannot get in its way
    seconds[NUMPY][n] = best_time(np.matmul, A, B)
for n, (A, B) in matrices.items():
    A_device, B_device = keras.ops.convert_to_tensor(A), keras.ops.convert_to_tensor(B)  # onto the device
    seconds[KERAS][n] = best_time(keras_matmul, A_device, B_device)
for n in SIZES:
    print(f"n = {n:5d}: {2 * n**3 / 1e9:7.3f} GFLOP; " + "; ".join(
        f"{device.split(' (')[0]} {times[n] * 1e3:8.2f} ms = {2 * n**3 / times[n] / 1e9:6.1f} GFLOP/s"
        for device, times in seconds.items()))

# %%
n_largest = SIZES[-1]
cpu_gflops = 2 * n_largest**3 / seconds[NUMPY][n_largest] / 1e9
speedup = seconds[NUMPY][n_largest] / seconds[KERAS][n_largest]
run.record("cpu_matmul_gflops", cpu_gflops, note=f"n = {n_largest}, float32, NumPy on the CPU")
run.record("keras_matmul_speedup_over_numpy", speedup,
           note=f"NumPy time / keras.ops.matmul time at n = {n_largest} ({run.backend} on {run.device})")
T4_FLOAT32_GFLOPS = 8100  # NVIDIA's rating of the T4, Colab's free GPU, in float32 (T4 datasheet, 2018)
if run.accelerator:
    print(f"At n = {n_largest} the {run.backend} backend on {run.device} is {speedup:.1f}× as fast as "
          "NumPy on the CPU" + ("." if speedup >= 1 else ": too small a product to pay off."))
else:
    print(f"No GPU or TPU is visible to the {run.backend} backend on this machine, so both lines ran "
          f"on the CPU: {cpu_gflops:.0f} GFLOP/s for NumPy at n = {n_largest}, and {speedup:.2f}× that for "
          f"{run.backend}. Same hardware, so that gap is two math libraries and the noise of a busy "
          f"machine, not a GPU.\nNVIDIA rates a T4 GPU at {T4_FLOAT32_GFLOPS:,} GFLOP/s in float32, "
          f"{T4_FLOAT32_GFLOPS / cpu_gflops:.0f}× what NumPy reached here. On Colab choose Runtime → "
          "Change runtime type → GPU and run again.")
fig = cu.figures.nb00.matmul_scaling(seconds, title="Matrix multiply: time and throughput")
plt.show()

# %% [markdown]
# **Is the answer right?** Speed is worthless if the answer is wrong. Deep learning computes
# in **float32**: 32-bit numbers with a sign, 8 bits of exponent (the range) and 23 bits of
# *mantissa* (the digits after the leading 1), about 7 decimal digits. NumPy's default,
# float64, keeps 52 mantissa bits (about 16 digits), so a float64 product is our reference.
#
# GPUs bend that rule. Since the A100 (2020), NVIDIA's *tensor cores* (circuits that multiply
# small blocks of numbers in one step) multiply float32
# matrices in **TensorFloat-32 (TF32)**: each input keeps float32's exponent but only **10
# mantissa bits** (about 3 decimal digits, a relative rounding error of up to
# $2^{-11} \approx 5\cdot10^{-4}$ when rounding to nearest), and the products are summed
# in float32. NVIDIA rates an A100 at 19.5 TFLOP/s in float32 and 156 TFLOP/s in TF32
# (A100 datasheet, 2020): eight times the speed for a product whose entries are off by a few
# $10^{-4}$ instead of $10^{-7}$ (the table below measures both), which training hardly notices, since every gradient step
# is noisier than that. TensorFlow and JAX use TF32 by default for float32 matrix products
# on such GPUs (A100, L4, H100: Colab's and Kaggle's current cards); PyTorch does not, unless
# asked. Google's TPUs round the inputs of float32 products to **bfloat16** (7 mantissa bits)
# by default. To ask for full float32 instead:
#
# | backend | full float32 matrix products |
# |---|---|
# | TensorFlow | `tf.config.experimental.enable_tensor_float_32_execution(False)` |
# | JAX | `jax.config.update("jax_default_matmul_precision", "highest")` |
# | PyTorch | the default (`torch.backends.cuda.matmul.allow_tf32 = True` switches TF32 on) |
#
# On a CPU none of this happens, but we can see what it would do: round the inputs to 10
# (or 7) mantissa bits ourselves, multiply in float32, and compare each product with the
# float64 reference. The check then asks whether the backend's product is as right as TF32
# *promises*: every entry within the worst case of rounding each input to 10 bits and summing
# in float32 (its *allowance*; the formula is in `cu.checks.matmul_error_bound`). The table
# shows how much of that allowance each product uses: a wrong product (a matrix transposed
# by mistake, a row from the wrong input, NaN) uses far more than all of it.

# %%
N_CHECK = min(SIZES[-1], 1024)  # the float64 reference runs on the CPU: keep it quick
A = rng.standard_normal((N_CHECK, N_CHECK), dtype=np.float32)
B = rng.standard_normal((N_CHECK, N_CHECK), dtype=np.float32)
C_exact = A.astype(np.float64) @ B.astype(np.float64)  # float64: the reference


def relative_error(C):
    return float(np.linalg.norm(C - C_exact) / np.linalg.norm(C_exact))


A_tf32, B_tf32 = cu.checks.round_mantissa(A, bits=10), cu.checks.round_mantissa(B, bits=10)
A_bf16, B_bf16 = cu.checks.round_mantissa(A, bits=7), cu.checks.round_mantissa(B, bits=7)
C_backend = keras.ops.convert_to_numpy(keras.ops.matmul(keras.ops.convert_to_tensor(A),
                                                        keras.ops.convert_to_tensor(B)))
products = {
    "float32 (NumPy on the CPU)": A @ B,
    "inputs rounded to TF32 (10 bits), sums in float32": A_tf32 @ B_tf32,
    "inputs rounded to bfloat16 (7 bits), sums in float32": A_bf16 @ B_bf16,
    KERAS: C_backend,
}
print(f"a {N_CHECK}×{N_CHECK} product against float64: relative error · worst entry's share of TF32's allowance")
shares = {}  # the worst entry's error as a share of what TF32 allows
for what, C in products.items():
    shares[what] = cu.checks.matmul_error_ratio(C, A, B, mantissa_bits=10)
    print(f"  {what:<55s} {relative_error(C):8.1e} · {shares[what]:6.1%}")

# %%
backend_error = relative_error(C_backend)
run.record("matmul_relative_error", backend_error, note=f"{N_CHECK}×{N_CHECK}, {KERAS} vs float64")
run.expect("matmul_error_share_of_tf32_allowance", shares[KERAS], at_most=1.0,
           hint="the backend's product is further from the float64 reference than rounding its inputs to "
                "TensorFloat-32 could explain: the product is wrong, not merely rounded.")
precision = "full float32" if backend_error < 1e-5 else "rounded inputs, as TF32 (or bfloat16) does"
print(f"{KERAS}: relative error {backend_error:.1e}, which looks like {precision}.")


# %% [markdown]
# **Takeaway:** the time grows as $n^3$ (the dotted line), so doubling a layer's width
# makes its product eight times as expensive. Throughput (GFLOP/s) is what hardware sells,
# and a GPU delivers many times a CPU's (compare the T4's rating with your CPU's, printed
# above), partly by computing with fewer bits. (If one size looks oddly slow, other
# programs were competing for the cores: the multi-threaded products of the larger sizes
# suffer most. Run the timing cell again.)

# %% [markdown]
# ## 4. The computational graph of $f(XW + b)$
#
# A deep-learning library does not just *compute* $\sigma(XW + b)$; it can record the
# computation as a **graph**: nodes are operations (matrix multiply, add, sigmoid), edges
# carry tensors between them. With the graph in hand the backend can optimise it, run it
# on a GPU, and, most importantly, walk it backwards to compute gradients automatically
# (backpropagation, notebook 02).
#
# We write $f$ once with backend-neutral `keras.ops`. (The numbers are multiples of
# powers of two, which TF32 stores exactly, so a GPU's rounding cannot change them.)

# %%
def dense_layer(X, W, b):
    return keras.ops.sigmoid(keras.ops.add(keras.ops.matmul(X, W), b))  # σ(XW + b)


X = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]], dtype="float32")  # 2 examples, 3 features
W = np.array([[0.5, -0.25], [0.25, 0.125], [-0.25, 0.5]], dtype="float32")  # 3 inputs → 2 units
b = np.array([0.0, -0.5], dtype="float32")
print("f(XW + b) =\n", keras.ops.convert_to_numpy(dense_layer(X, W, b)).round(4))

# %% [markdown]
# How the graph is recorded is where the three Keras backends differ, so here is the same
# step on each, one complete block per backend; only the block of your backend runs. Each
# block ends with the same three results: `operations` (the graph's operations, in order),
# `graph_output` (what running the recorded graph gives) and `gradient_operations` (the
# operations of the graph that computes the gradients of the mean output with respect to
# $W$ and $b$), and draws the graph.
#
# **TensorFlow** *traces*: `tf.function` runs the Python function once with symbolic
# inputs, *placeholders* whose shapes are known and whose values come later (`None`: any
# number of examples), and keeps every operation it saw as a graph. `tf.GradientTape`
# records a computation so that `tape.gradient` can walk it backwards.

# %%
if keras.backend.backend() == "tensorflow":
    import tensorflow as tf

    input_specs = (tf.TensorSpec([None, 3], "float32", name="X"),  # None: any number of examples
                   tf.TensorSpec([3, 2], "float32", name="W"),
                   tf.TensorSpec([2], "float32", name="b"))
    traced = tf.function(dense_layer).get_concrete_function(*input_specs)
    operations = [op.type for op in traced.graph.get_operations()]
    graph_output = traced(X, W, b).numpy()  # run the traced graph on our numbers

    @tf.function
    def gradients_of_mean_output(X, W, b):
        with tf.GradientTape() as tape:  # records the forward pass ...
            tape.watch([W, b])
            mean_output = keras.ops.mean(dense_layer(X, W, b))
        return tape.gradient(mean_output, [W, b])  # ... and walks it backwards

    gradient_graph = gradients_of_mean_output.get_concrete_function(*input_specs).graph
    gradient_operations = [op.type for op in gradient_graph.get_operations()]
    fig = cu.figures.nb00.tensorflow_graph(traced.graph, title="The graph TensorFlow traced for σ(XW + b)")
    plt.show()

# %% [markdown]
# **JAX** traces too: `jax.make_jaxpr` turns the function into a *jaxpr*, a short program of
# primitive operations, printed below one line per operation. `jax.jit` hands that program
# to **XLA** (Accelerated Linear Algebra), the compiler JAX uses (and TensorFlow can use)
# to fuse operations into fast code for the CPU, a GPU or a TPU. `jax.grad` transforms a
# function into the function that computes its gradient.

# %%
if keras.backend.backend() == "jax":
    import jax

    jaxpr = jax.make_jaxpr(dense_layer)(X, W, b)  # trace: the function as a program of primitives
    print(jaxpr.pretty_print(use_color=False))
    operations = [equation.primitive.name for equation in jaxpr.jaxpr.eqns]
    graph_output = np.asarray(jax.jit(dense_layer)(X, W, b))  # compiled by XLA, then run

    def mean_output(X, W, b):
        return keras.ops.mean(dense_layer(X, W, b))

    gradient_jaxpr = jax.make_jaxpr(jax.grad(mean_output, argnums=(1, 2)))(X, W, b)  # d/dW, d/db
    gradient_operations = [equation.primitive.name for equation in gradient_jaxpr.jaxpr.eqns]
    fig = cu.figures.nb00.jax_graph(jaxpr, input_names="XWb", title="The graph JAX traced for σ(XW + b)")
    plt.show()

# %% [markdown]
# **PyTorch** records *while it computes* (define-by-run): every result that needs a
# gradient remembers, in `grad_fn`, the backward step of the operation that made it, and
# that step lists the steps before it in `next_functions`. That chain *is* the graph, and
# `backward()` runs it.

# %%
if keras.backend.backend() == "torch":
    X_torch = keras.ops.convert_to_tensor(X)
    W_torch = keras.ops.convert_to_tensor(W).requires_grad_()  # we want gradients for W and b ...
    b_torch = keras.ops.convert_to_tensor(b).requires_grad_()  # ... but not for X
    output = dense_layer(X_torch, W_torch, b_torch)  # computes and records at once
    print("the last step:", type(output.grad_fn).__name__)
    print("the steps before it:", [type(step).__name__ for step, _ in output.grad_fn.next_functions])

    def backward_steps(step):
        """The names of `step` and of every step before it (None: an input that needs no gradient)."""
        if step is None:
            return []
        return [type(step).__name__] + [name for parent, _ in step.next_functions
                                        for name in backward_steps(parent)]

    operations = backward_steps(output.grad_fn)
    graph_output = output.detach().cpu().numpy()
    output.mean().backward()  # runs the recorded steps: fills W_torch.grad and b_torch.grad
    gradient_operations = operations  # the recorded graph already is the recipe for the gradients
    fig = cu.figures.nb00.torch_graph(output, inputs={"W": W_torch, "b": b_torch},
                                      title="The graph PyTorch recorded for σ(XW + b)")
    plt.show()

# %% [markdown]
# Now the same checks for every backend: the graph holds a matrix product, an add and a
# sigmoid, and running it gives the numbers the plain Python function gives.

# %%
KIND = {"MatMul": "matmul", "dot_general": "matmul", "MmBackward0": "matmul", "AddV2": "add", "BiasAdd": "add",
        "add": "add", "AddBackward0": "add", "Sigmoid": "sigmoid", "logistic": "sigmoid",
        "SigmoidBackward0": "sigmoid"}
found = sorted({KIND[op] for op in operations if op in KIND})
print("operations in the graph:", operations)
run.expect("graph_has_matmul_add_sigmoid", len(found), at_least=3,
           hint=f"the graph should contain a matrix product, an add and a sigmoid; found {found}.")
difference = float(np.max(np.abs(graph_output - keras.ops.convert_to_numpy(dense_layer(X, W, b)))))
run.expect("graph_vs_python_max_difference", difference, at_most=1e-6,
           hint="running the graph should give the numbers the Python function gives.")
if keras.backend.backend() == "torch":
    print("PyTorch recorded the backward steps while it computed: the graph above already is the "
          "recipe for the gradients, and backward() ran it (W_torch.grad and b_torch.grad are now filled).")
else:
    print(f"forward graph: {len(operations)} operations; with the gradients of W and b: "
          f"{len(gradient_operations)} operations")
    print("kinds of operation the gradients added:", sorted(set(gradient_operations) - set(operations)))

# %% [markdown]
# Read the figure left to right: the inputs (blue) come in where they are first used, a
# matrix product computes $XW$ (`MatMul`, `dot_general` or `MmBackward0`), an add puts in
# the bias (TensorFlow's `BiasAdd`; JAX first *broadcasts* $b$, copying it to one row per
# example), a sigmoid squashes (`logistic` in JAX), and the result leaves on the right
# (green). On PyTorch the nodes are named after their *backward* steps, $W$ and $b$ end in
# `AccumulateGrad` (where `backward()` leaves their gradients, in `.grad`), and $X$ is
# missing: it needs no gradient, so PyTorch records nothing for it. Every Keras model,
# however deep, is a bigger graph of the same kind.
#
# The graph is also what makes *automatic differentiation* possible. Ask for the gradient
# of a loss with respect to $W$ and $b$ and the backend walks the graph backwards, adding
# backward operations: the sigmoid's slope $\sigma(1 - \sigma)$ (`SigmoidGrad` in
# TensorFlow, a `sub` and a `mul` in JAX), a second matrix product for $X^\top\delta$, and
# a sum over the batch for the bias, plus some bookkeeping (shapes, the mean's division).
# Notebook 02 derives these by hand.
#
# **Takeaway:** a network is a graph of simple tensor operations; the backend records it
# (by tracing, or while computing), runs it fast on any device and differentiates it for us.

# %% [markdown]
# ## 5. The road ahead
#
# Every notebook works the way this one did: a *bootstrap* cell (it installs the course's
# helper package on Colab and does nothing elsewhere), a *parameters* cell, one line saying
# the profile (how much work the notebook does: `smoke`, `cpu` or `gpu`, chosen for your
# machine), and ✓ lines where `run.expect(...)` checked that a result is real: if a change
# stops a notebook from learning, that check fails with a hint instead of quietly printing a
# bad number. The "Open in Colab" badge at the top runs a notebook in the browser; pick a
# GPU runtime there for the `gpu` profile. Data sets and pretrained weights are downloaded
# once into Keras's cache and checked against a published hash (a fingerprint of the file:
# SHA-256, or the MD5 that Keras publishes for its pretrained weights); without a network,
# a notebook says so and uses the stand-in it announces.
#
# This is the map: each notebook builds on the one before it.
#
# | notebook | you build | on |
# |---|---|---|
# | [01 · The perceptron](01_perceptron.ipynb) | Rosenblatt's perceptron from scratch, activation functions, logistic regression, the cost function and gradient descent, and why one layer cannot learn XOR | iris flowers, breast-cancer measurements |
# | [02 · Multilayer networks](02_multilayer_networks.ipynb) | a hidden layer, backpropagation from scratch checked against numerical gradients, a Keras MLP, saving a model, initialization, optimizers, overfitting and its cures | XOR, handwritten digits (MNIST) |
# | [03 · Convolutional networks](03_convolutional_networks.ipynb) | convolution and pooling, a CNN against a dense network, batch normalization, residual connections, data augmentation, feature maps, where the CNN looks | a photo, CIFAR-10 |
# | [04 · Transfer learning with VGG16](04_transfer_learning_vgg16.ipynb) | a pretrained convolutional base with a new head: feature extraction and fine-tuning | CIFAR-10 |
# | [05 · Recurrent networks and LSTMs](05_recurrent_networks_lstm.ipynb) | recurrent networks, vanishing gradients, LSTMs; forecasting against honest baselines; text generation | CO₂, stock indices, tweets |
# | [06 · Generative adversarial networks](06_generative_adversarial_networks.ipynb) | a generator and a discriminator trained against each other (DCGAN) | MNIST |
# | [07 · Captioning with attention](07_captioning_with_attention.ipynb) | a CNN encoder and an LSTM decoder that write captions, with attention shown word by word | generated scenes |
# | [08 · From attention to transformers](08_transformers.ipynb) | attention written by hand, the causal mask, a small decoder-only transformer measured against 05's LSTM | the tweets of 05 |

# %% [markdown]
# ## Exercises
#
# Edit the cells, run them, and read what the self-check says. Each exercise runs as is
# (it reports "Not attempted yet"); replace the starter to try it.
#
# **Exercise 1 · Which kind of learning?** Replace each `"?"` by `"supervised"`,
# `"unsupervised"` or `"reinforcement"`.

# %%
for key, (description, _kind, _why) in cu.checks.LEARNING_SCENARIOS.items():
    print(f"{key:13s} {description}")

my_answers = {
    "spam_filter": "?",
    "news_topics": "?",
    "robot_walk": "?",
    "house_prices": "?",
    "go_self_play": "?",
    "odd_payments": "?",
}
cu.checks.learning_kinds(my_answers);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# my_answers = {
#     "spam_filter": "supervised",      # every e-mail comes with its label
#     "news_topics": "unsupervised",    # no topic labels: find the groups
#     "robot_walk": "reinforcement",    # only a reward for what its actions achieve
#     "house_prices": "supervised",     # past sales are inputs with known answers
#     "go_self_play": "reinforcement",  # the only signal is winning or losing
#     "odd_payments": "unsupervised",   # no fraud labels: 'unusual' = far from the data
# }
# ```
# </details>
#
# **Exercise 2 · One ε-greedy choice.** Write the decision rule of section 1.3 for one
# agent: given its estimates `Q` (one number per arm), `epsilon` and a NumPy random
# generator `rng`, return the index of the arm to pull. Explore with probability
# `epsilon` (any arm, uniformly), exploit otherwise.

# %%
def choose_arm(Q, epsilon, rng):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.epsilon_greedy(choose_arm);

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def choose_arm(Q, epsilon, rng):
#     if rng.random() < epsilon:          # explore: any arm, the best one included
#         return int(rng.integers(len(Q)))
#     return int(np.argmax(Q))            # exploit: the best estimate so far
# ```
# </details>
#
# **Exercise 3 · Predict, then run: a layer twice as wide.** A layer twice as wide
# multiplies matrices twice as large. *Before* running the cell, write down how many times
# longer you expect a $1024\times1024$ product to take than a $512\times512$ one, as a
# number in `my_prediction`. Then run it: the cell times both products on your machine
# (only once you have predicted) and the check compares your prediction with the
# operation count and with the clock.

# %%
my_prediction = None  # YOUR PREDICTION HERE: how many times longer? (e.g. 3)

measured_ratio = None
if my_prediction is not None:  # measure only after predicting
    small, large = (keras.ops.convert_to_tensor(rng.standard_normal((size, size), dtype=np.float32))
                    for size in (512, 1024))
    measured_ratio = best_time(keras_matmul, large, large) / best_time(keras_matmul, small, small)
cu.checks.matmul_doubling_prediction(my_prediction, measured_ratio);

# %% [markdown]
# <details><summary>Solution</summary>
#
# About 8 times. Count the work: an $n\times n$ product has $n^2$ outputs, each a sum of
# $n$ products (a multiplication and an addition each), so $2n^3$ operations. Doubling $n$
# gives 4 times as many outputs, each twice as long a sum: $2^3 = 8$. The clock agrees best
# for large products; small ones leave cores idle, or on a GPU spend most of their time
# just starting, so they grow more slowly than the count says.
# </details>
#
# **Exercise 4 · Predict, then run: more exploration.** Section 1.3 ran ε-greedy agents with
# ε = 0.1. Predict the average reward per pull over the last 10 % of pulls for agents that
# explore three times as often, ε = 0.3, and write it into `my_late_reward`. Then run the
# cell: the agents play (only once you have predicted) and the check compares.

# %%
my_late_reward = None  # YOUR PREDICTION HERE: a reward per pull between 0 and 1

late_reward_more_exploring = None
if my_late_reward is not None:  # play only after predicting
    _, rewards_more_exploring, _ = play_bandit(0.3)
    late_reward_more_exploring = float(rewards_more_exploring[-STEPS // 10:].mean())
cu.checks.late_reward_prediction(my_late_reward, late_reward_more_exploring, epsilon=0.3, p_win=P_WIN);

# %% [markdown]
# <details><summary>Solution</summary>
#
# A little below $(1 - \varepsilon)\max_a p_a + \varepsilon\,\overline{p}$, with
# $\overline{p}$ the average of the arms' win probabilities: once an agent knows the best
# arm, it still spends a fraction ε of its pulls on random arms, which pay $\overline{p}$
# on average. With ε = 0.3 nearly every agent finds the best arm, yet it earns less in the
# end than with ε = 0.1: exploration buys knowledge and costs reward, and good agents
# explore less once they know enough.
# </details>

# %% [markdown]
# ## Summary
#
# - **Supervised** learning fits inputs to known answers (the digit classifier);
#   **unsupervised** learning finds structure without answers (k-means rediscovers the
#   digits); **reinforcement** learning improves actions from rewards (ε-greedy finds the
#   best slot machine by balancing exploration and exploitation).
# - Neural networks date back to 1943; after two AI winters, data and GPUs made deep
#   learning take off in 2012.
# - A dense layer is a matrix product costing about $2n^3$ operations; GPUs win because
#   those operations are independent and run in parallel, and many compute float32
#   products in TensorFloat-32 (10 mantissa bits), trading digits for speed.
# - Each backend records code such as $\sigma(XW + b)$ as a computational graph of tensor
#   operations (TensorFlow and JAX by tracing, PyTorch while it computes), which it can run
#   on any device and differentiate automatically.
# - Eight notebooks follow, from a single neuron to networks that generate images, write
#   captions and, in 08, a transformer; the ✓ lines in each check that its results are real.
#
# **Next:** [01 · The perceptron](01_perceptron.ipynb): build Rosenblatt's 1957 learning
# machine from scratch and watch its decision boundary move.
