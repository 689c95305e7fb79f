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
# line of code on each of Keras's three backends. It ends with a map of the course.
#
# **You will learn**
# - the difference between supervised, unsupervised and reinforcement learning, with a working example of each
# - the milestones from the 1943 artificial neuron to today's deep networks, and the two "AI winters" between them
# - why a matrix multiply is the workload of deep learning, what it costs ($\approx 2n^3$ operations) and why GPUs win at it
# - what a computational graph is, by recording $f(XW + b)$ with the backend
# - how TensorFlow, JAX and PyTorch record that graph, and the map of the notebooks ahead
#
# **Prerequisites:** Python and a little NumPy. No machine learning yet.
#
# **Time:** smoke 12 s · cpu 13 s (measured on a 2-core CPU, TensorFlow) · gpu about 1 min on a T4 (estimated)

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
# scikit-learn ships 1,797 handwritten digits, 8×8 pixels each, with their labels. They
# are small enough to learn in a second and to cluster in section 1.2 with the cluster
# centres still readable as digits, so they suit a first look; from notebook 02 on, the
# course reads the 28×28 digits of MNIST. We show a classifier three quarters of them
# *with* their labels and test it on the quarter it has never seen. Logistic regression is the simplest classifier; notebook
# 01 shows it is a single "sigmoid neuron".

# %%
digits = cu.data.load_digits(seed=SEED)
x_train = digits.x_train.reshape(len(digits.x_train), -1)  # 8×8 image → 64 numbers
x_test = digits.x_test.reshape(len(digits.x_test), -1)

clf = LogisticRegression(max_iter=2000)
clf.fit(x_train, digits.y_train)  # learn from (input, right answer) pairs
pred = clf.predict(x_test)
accuracy = float(np.mean(pred == digits.y_test))
run.expect("supervised_test_accuracy", accuracy, at_least=0.93,
           hint="logistic regression reaches about 0.96 on the digits; check the data and the fit.")
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
# $\sum_i \min_j \lVert x_i - \mu_j \rVert^2$. *PCA* finds the two directions along which
# the 64-pixel images vary most, so we can look at them as points on a page. Neither
# ever sees a label; we use the labels only afterwards, to *score* the grouping with the
# adjusted Rand index (1 = the clusters are exactly the digits, 0 = no better than chance).

# %%
x_all = np.concatenate([x_train, x_test])
y_all = np.concatenate([digits.y_train, digits.y_test])  # used only for scoring below

kmeans = KMeans(n_clusters=10, n_init=4, random_state=SEED).fit(x_all)
xy = PCA(n_components=2, random_state=SEED).fit_transform(x_all)
ari = adjusted_rand_score(y_all, kmeans.labels_)
run.expect("unsupervised_adjusted_rand", ari, at_least=0.5,
           hint="k-means on the digits agrees with the true digits at about 0.67 ARI.")
print(f"k-means grouped {len(x_all)} digits into 10 clusters without labels; "
      f"agreement with the true digits (ARI): {ari:.2f}")

# %%
fig, ax = plt.subplots(figsize=(6.5, 4.5))
points = ax.scatter(xy[:, 0], xy[:, 1], c=kmeans.labels_, cmap="tab10", s=8)
ax.set(xlabel="first principal component", ylabel="second principal component",
       title="Unsupervised: 1,797 digits, coloured by k-means cluster")
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
# and chooses with the **ε-greedy** rule: with probability $\varepsilon$ *explore*
# (a random arm), otherwise *exploit* (the arm with the largest $Q_a$). We run many
# independent agents side by side (one row each) to see the average behaviour.

# %%
P_WIN = np.array([0.25, 0.45, 0.70, 0.55, 0.35])  # hidden from the agent
STEPS = run.pick(smoke=300, cpu=2000, gpu=2000)
AGENTS = run.pick(smoke=200, cpu=1000, gpu=1000)


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
ax1.axhline(P_WIN.max(), color="0.4", ls=":", label="best arm (0.70)")
ax1.axhline(P_WIN.mean(), color="0.6", ls="--", label="random arm (0.46)")
ax1.set(xlabel="pull", ylabel="average reward", title="Learning curve: reward per pull", ylim=(0.3, 0.75))
ax2.set(xlabel="pull", ylabel="% of agents pulling the best arm", title="Finding the best arm", ylim=(0, 100))
ax1.legend(fontsize=8, loc="lower right", ncol=2)
ax2.legend(fontsize=8, loc="upper left")
plt.show()

# %%
Q, rewards, chose_best = results[EPSILON]
found_best = float(np.mean(np.argmax(Q, axis=1) == np.argmax(P_WIN)))
late_reward = float(rewards[-STEPS // 10:].mean())
print("true win probabilities:        ", P_WIN)
print("one agent's learned estimates Q:", Q[0].round(2))
print(f"greedy (ε = 0) agents that found the best arm: {np.mean(np.argmax(results[0.0][0], 1) == np.argmax(P_WIN)):.0%}")
run.expect("bandit_agents_finding_best_arm", found_best, at_least=run.pick(smoke=0.7, cpu=0.95, gpu=0.95),
           hint="with ε = 0.1 almost every agent should learn that arm 2 is best.")
run.expect("bandit_late_reward", late_reward, at_least=run.pick(smoke=0.58, cpu=0.62, gpu=0.62),
           hint="a random arm pays 0.46 on average, the best 0.70; ε-greedy should be close to the best.")
print(f"ε = {EPSILON}: {found_best:.0%} of the agents learned that arm {np.argmax(P_WIN)} is best; "
      f"reward per pull over the last 10% of pulls: {late_reward:.3f} (best possible 0.70)")

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
    (1957, "Rosenblatt: the perceptron", "01"),
    (1960, "Kelley: gradients through layered\nsystems (a root of backprop)"),
    (1965, "Ivakhnenko & Lapa: the first\ntrained deep networks"),
    (1969, "Minsky & Papert: 'Perceptrons' (XOR)"),
    (1980, "Fukushima: the Neocognitron", "03"),
    (1986, "Rumelhart, Hinton & Williams:\nbackpropagation popularised", "02"),
    (1989, "LeCun: a CNN reads zip codes"),
    (1997, "Hochreiter & Schmidhuber: LSTM", "05"),
    (1997.3, "IBM Deep Blue beats Kasparov"),
    (2012, "AlexNet wins ImageNet,\ntrained on two GPUs"),
    (2014, "Goodfellow et al.: GANs", "06"),
    (2014.3, "Simonyan & Zisserman: VGG16", "04"),
    (2015, "Xu et al.: captions written\nwith attention", "07"),
    (2016, "AlphaGo beats Lee Sedol"),
    (2017, "Transformers: attention is all you need"),
    (2022, "ChatGPT: large language models for everyone"),
]
AI_WINTERS = [(1974, 1980, "AI winter"), (1987, 1993, "AI winter")]
fig = cu.plots.timeline(EVENTS, spans=AI_WINTERS, title="Milestones of neural networks and AI")
plt.show()

# %% [markdown]
# The ideas (neurons, the perceptron, layered gradients, convolution, LSTMs) were mostly
# in place by 1997. What changed around **2012** was data (ImageNet's 1.2 million
# labelled images) and compute: AlexNet trained on two gaming GPUs. That is the next section.
#
# **Takeaway:** deep learning is eighty years of ideas that became practical once data
# and parallel hardware caught up.

# %% [markdown]
# ## 3. Why GPUs?
#
# A dense layer computes $XW + b$: a matrix product. Multiplying an $n\times k$ matrix by a
# $k\times m$ matrix gives $n\cdot m$ numbers, each a sum of $k$ products, so it costs about
# $2nkm$ floating-point operations (FLOPs), **$2n^3$ for two $n\times n$ matrices**. Training
# a network is mostly a long series of such products, and every one of the $n^2$ output
# entries can be computed independently. A CPU has a few fast cores; a GPU has thousands of
# simpler ones built for exactly this kind of parallel arithmetic.
#
# We time the product for several sizes twice: with NumPy, which always runs on the CPU,
# and with `keras.ops.matmul`, which runs wherever the Keras backend keeps its tensors
# (a GPU when it sees one, else the CPU). Each timing is the best of a few repeats after a
# warm-up run (on a busy or shared machine single timings jump around; the best one is the
# most honest), and reading one number of the result back makes sure the device has finished.

# %%
SIZES = run.pick(smoke=[128, 256, 512], cpu=[128, 256, 512, 1024], gpu=[256, 512, 1024, 2048, 4096])
REPEATS = 3


def best_time(fn, *args, repeats=REPEATS, min_seconds=0.2):
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
seconds = {NUMPY: {}, KERAS: {}}
for n in SIZES:
    A = rng.standard_normal((n, n), dtype=np.float32)
    B = rng.standard_normal((n, n), dtype=np.float32)
    seconds[NUMPY][n] = best_time(np.matmul, A, B)
    A_dev, B_dev = keras.ops.convert_to_tensor(A), keras.ops.convert_to_tensor(B)  # onto the device
    seconds[KERAS][n] = best_time(keras_matmul, A_dev, B_dev)
    print(f"n = {n:5d}: {2 * n**3 / 1e9:7.3f} GFLOP; " + "; ".join(
        f"{dev.split(' (')[0]} {s[n] * 1e3:8.2f} ms = {2 * n**3 / s[n] / 1e9:6.1f} GFLOP/s"
        for dev, s in seconds.items()))

# %%
n = SIZES[-1]
cpu_gflops = 2 * n**3 / seconds[NUMPY][n] / 1e9
ratio = seconds[NUMPY][n] / seconds[KERAS][n]
run.record("cpu_matmul_gflops", cpu_gflops, note=f"n = {n}, float32, NumPy on the CPU")
run.record("keras_matmul_speedup_over_numpy", ratio,
           note=f"NumPy time / keras.ops.matmul time at n = {n} ({run.backend} on {run.device})")
if run.accelerator:
    print(f"At n = {n} the {run.backend} backend on {run.device} is {ratio:.1f}× as fast as NumPy "
          "on the CPU" + ("." if ratio >= 1 else ": too small a product to pay off."))
else:
    print(f"No GPU or TPU is visible to the {run.backend} backend on this machine, so both lines ran "
          f"on the CPU: {cpu_gflops:.0f} GFLOP/s for NumPy at n = {n}, and {ratio:.2f}× that for "
          f"{run.backend}. Same hardware, so that gap is two math libraries and the noise of a busy "
          "machine, not a GPU.\nOn Colab choose Runtime → Change runtime type → GPU and run again: a T4 GPU "
          "reaches several thousand GFLOP/s on this product.")
fig = cu.plots.matmul_scaling(seconds, title="Matrix multiply: time and throughput")
plt.show()

# %% [markdown]
# Speed is worthless if the answer is wrong, so we check the backend's float32 product
# against a float64 reference, and count the operations the way the plot does.

# %%
C = keras.ops.convert_to_numpy(keras.ops.matmul(A_dev, B_dev))  # the largest matrices above
C_ref = A.astype(np.float64) @ B.astype(np.float64)
rel_error = float(np.linalg.norm(C - C_ref) / np.linalg.norm(C_ref))
run.record("matmul_flops_largest", 2 * n**3, note=f"2·n³ for n = {n}")
run.expect("matmul_relative_error", rel_error, at_most=1e-5,
           hint="float32 products agree with float64 to about 1e-7; a larger error means a wrong "
                "product (some GPUs use TensorFloat-32 by default, about 1e-3).")
print(f"n = {n}: {2 * n**3:,} floating-point operations; float32 vs float64 relative error {rel_error:.1e}")


# %% [markdown]
# **Takeaway:** the time grows as $n^3$ (the dotted line), so doubling a layer's width
# makes its product eight times as expensive. Throughput (GFLOP/s) is what hardware sells,
# and a GPU delivers one to two orders of magnitude more of it than a laptop CPU. (If one
# size looks oddly slow, other programs were competing for the cores: the multi-threaded
# products of the larger sizes suffer most. Run the timing cell again.)

# %% [markdown]
# ## 4. The computational graph of $f(XW + b)$
#
# A deep-learning library does not just *compute* $\sigma(XW + b)$; it can record the
# computation as a **graph**: nodes are operations (matrix multiply, add, sigmoid), edges
# carry tensors between them. With the graph in hand the backend can optimise it, run it
# on a GPU, and, most importantly, walk it backwards to compute gradients automatically
# (backpropagation, notebook 02).
#
# We write $f$ once with backend-neutral `keras.ops`:

# %%
def dense_layer(X, W, b):
    return keras.ops.sigmoid(keras.ops.add(keras.ops.matmul(X, W), b))  # σ(XW + b)


X = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]], dtype="float32")  # 2 examples, 3 features
W = np.full((3, 2), 0.1, dtype="float32")  # 3 inputs → 2 units
b = np.array([0.0, -0.5], dtype="float32")
print("f(XW + b) =\n", keras.ops.convert_to_numpy(dense_layer(X, W, b)).round(4))


# %% [markdown]
# How the graph is recorded is where the three Keras backends differ, so here is the same
# step for each. Each function returns the graph's edges (which operation feeds which),
# a label for every node, the values the graph computes, and the operations that
# computing gradients adds. Only the cell for your backend runs below.
#
# - **TensorFlow** *traces*: `tf.function` runs the Python function once with symbolic
#   placeholders and keeps the operations it saw as a graph.
# - **JAX** traces too: `jax.make_jaxpr` turns the function into a *jaxpr*, a short program
#   of primitive operations; `jax.grad` transforms that program into its gradient.
# - **PyTorch** records *while it computes* (define-by-run): every result that needs a
#   gradient remembers, in `grad_fn`, the backward step of the operation that made it,
#   linked through `next_functions` to the steps before. That chain *is* the graph.
#
# **TensorFlow**

# %%
def graph_tensorflow(f, X, W, b):
    import tensorflow as tf

    traced = tf.function(f).get_concrete_function(
        tf.TensorSpec([None, 3], "float32", name="X"),  # None: any batch size
        tf.TensorSpec([3, 2], "float32", name="W"), tf.TensorSpec([2], "float32", name="b"))
    ops = traced.graph.get_operations()
    edges = [(t.op.name, op.name) for op in ops for t in op.inputs]
    labels = {op.name: (op.name if op.name == op.type else f"{op.name}\n{op.type}")
              + f"\n{tuple(op.outputs[0].shape)}" for op in ops}

    @tf.function
    def gradients(X, W, b):  # GradientTape records the forward pass for the backward one
        with tf.GradientTape() as tape:
            tape.watch([W, b])
            loss = keras.ops.mean(f(X, W, b))
        return tape.gradient(loss, [W, b])

    grad_ops = gradients.get_concrete_function(*traced.structured_input_signature[0]).graph.get_operations()
    return {"edges": edges, "labels": labels, "ops": [op.type for op in ops],
            "value": traced(X, W, b).numpy(), "with_gradients": [op.type for op in grad_ops]}


# %% [markdown]
# **JAX**

# %%
def graph_jax(f, X, W, b):
    import jax

    jaxpr = jax.make_jaxpr(f)(X, W, b).jaxpr
    print(jaxpr.pretty_print(use_color=False))  # the program JAX traced: a line per operation
    made_by = dict(zip(jaxpr.invars, "XWb", strict=True))  # variable → the node that makes it
    edges, labels = [], {name: f"{name}\n{np.shape(v)}" for name, v in zip("XWb", (X, W, b), strict=True)}
    for i, eqn in enumerate(jaxpr.eqns):
        node = f"{i}"
        labels[node] = f"{eqn.primitive.name}\n{tuple(eqn.outvars[0].aval.shape)}"
        edges += [(made_by[v], node) for v in eqn.invars if not hasattr(v, "val")]  # skip constants
        made_by.update(dict.fromkeys(eqn.outvars, node))

    def loss(X, W, b):
        return keras.ops.mean(f(X, W, b))

    with_grads = jax.make_jaxpr(jax.grad(loss, argnums=(1, 2)))(X, W, b).jaxpr
    return {"edges": edges, "labels": labels, "ops": [e.primitive.name for e in jaxpr.eqns],
            "value": np.asarray(jax.jit(f)(X, W, b)),  # the compiled graph's numbers
            "with_gradients": [e.primitive.name for e in with_grads.eqns]}


# %% [markdown]
# **PyTorch**

# %%
def graph_torch(f, X, W, b):
    import torch

    W_t = torch.tensor(W, requires_grad=True)  # we want gradients for W and b, not for X
    b_t = torch.tensor(b, requires_grad=True)
    out = f(torch.tensor(X), W_t, b_t)
    leaf = {id(W_t): "W", id(b_t): "b"}
    edges, labels, ops, todo = [], {}, [], [out.grad_fn]
    while todo:  # walk from the output back to the inputs
        fn = todo.pop()
        node = str(id(fn))
        name = type(fn).__name__  # e.g. MmBackward0; AccumulateGrad for W and b
        labels[node] = f"{leaf[id(fn.variable)]}\n({name})" if hasattr(fn, "variable") else name
        ops.append(name)
        for parent, _ in fn.next_functions:
            if parent is not None:  # None: an input that needs no gradient (X)
                edges.append((str(id(parent)), node))  # drawn in the forward direction
                todo.append(parent)
    out.mean().backward()  # runs the recorded backward steps; fills W_t.grad and b_t.grad
    return {"edges": edges, "labels": labels, "ops": ops, "value": out.detach().cpu().numpy(),
            "with_gradients": ops}


# %% [markdown]
# Now the cell that picks the function for the active backend, runs it and draws its graph:

# %%
graph_of = {"tensorflow": graph_tensorflow, "jax": graph_jax, "torch": graph_torch}[keras.backend.backend()]
print(f"The active backend is {keras.backend.backend()}: running {graph_of.__name__}.\n")
graph = graph_of(dense_layer, X, W, b)
outputs = {to for _, to in graph["edges"]} - {frm for frm, _ in graph["edges"]}  # feed nothing
fig = cu.plots.computational_graph(graph["edges"], labels=graph["labels"], kinds=dict.fromkeys(outputs, "output"),
                                   title=f"The graph {keras.backend.backend()} recorded for sigmoid(XW + b)")
plt.show()
KIND = {"MatMul": "matmul", "dot_general": "matmul", "MmBackward0": "matmul", "AddV2": "add", "BiasAdd": "add",
        "add": "add", "AddBackward0": "add", "Sigmoid": "sigmoid", "logistic": "sigmoid",
        "SigmoidBackward0": "sigmoid"}
found = sorted({KIND[op] for op in graph["ops"] if op in KIND})
print("operations in the graph:", graph["ops"])
run.expect("graph_has_matmul_add_sigmoid", len(found), at_least=3,
           hint=f"the graph should contain a matrix product, an add and a sigmoid; found {found}.")
same = float(np.max(np.abs(graph["value"] - keras.ops.convert_to_numpy(dense_layer(X, W, b)))))
run.expect("graph_vs_python_max_difference", same, at_most=1e-6,
           hint="running the graph should give the numbers the Python function gives.");

# %% [markdown]
# Read the figure left to right: the inputs (blue) come in where they are first used
# (TensorFlow calls them *placeholders*: shapes known, values supplied later; `None` means
# any batch size), a matrix product computes $XW$ (`MatMul`, `dot_general` or
# `MmBackward0`), an add puts in the bias (TensorFlow's `BiasAdd`; JAX first *broadcasts*
# $b$ to one row per example), a sigmoid squashes (`logistic` in JAX), and the result
# leaves on the right (green). On PyTorch the nodes are named after their *backward*
# steps, $W$ and $b$ end in `AccumulateGrad` (where `backward()` leaves their gradients,
# in `W.grad` and `b.grad`), and $X$ is missing: it needs no gradient, so PyTorch records
# nothing for it. Every Keras model, however deep, is a bigger graph of the same kind.
#
# The graph is also what makes *automatic differentiation* possible. Ask for the gradient
# of a loss with respect to $W$ and $b$ and the backend walks the graph backwards, adding
# backward operations: the sigmoid's slope $\sigma(1 - \sigma)$ (`SigmoidGrad` in
# TensorFlow, a `sub` and a `mul` in JAX), a second matrix product for $X^\top\delta$, and
# a sum over the batch for the bias, plus some bookkeeping (shapes, the mean's division).
# Notebook 02 derives these by hand.

# %%
if keras.backend.backend() == "torch":
    print("PyTorch recorded the backward steps while it computed: the graph above already is the "
          "recipe for the gradients, and backward() ran it (W.grad and b.grad are now filled).")
else:
    print(f"forward graph: {len(graph['ops'])} operations; with the gradients of W and b: "
          f"{len(graph['with_gradients'])} operations")
    print("kinds of operation the gradients added:", sorted(set(graph["with_gradients"]) - set(graph["ops"])))

# %% [markdown]
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
# once into Keras's cache and checked against a published hash (SHA-256, or the MD5 that
# Keras publishes for its pretrained weights); without a network, a notebook says so and
# uses the stand-in it announces.
#
# This is the map: each notebook builds on the one before it.
#
# | notebook | you build | on |
# |---|---|---|
# | [01 · The perceptron](01_perceptron.ipynb) | Rosenblatt's perceptron from scratch, activation functions, logistic regression, the cost function and gradient descent, and why one layer cannot learn XOR | iris flowers, breast-cancer measurements |
# | [02 · Multilayer networks](02_multilayer_networks.ipynb) | a hidden layer, backpropagation from scratch checked against numerical gradients, a Keras MLP, optimizers, overfitting and its cures | XOR, handwritten digits (MNIST) |
# | [03 · Convolutional networks](03_convolutional_networks.ipynb) | convolution and pooling, a CNN against a dense network, data augmentation, feature maps | a photo, CIFAR-10 |
# | [04 · Transfer learning with VGG16](04_transfer_learning_vgg16.ipynb) | a pretrained convolutional base with a new head: feature extraction and fine-tuning | CIFAR-10 |
# | [05 · Recurrent networks and LSTMs](05_recurrent_networks_lstm.ipynb) | recurrent networks, vanishing gradients, LSTMs; forecasting against honest baselines; text generation | CO₂, stock indices, tweets |
# | [06 · Generative adversarial networks](06_generative_adversarial_networks.ipynb) | a generator and a discriminator trained against each other (DCGAN) | MNIST |
# | [07 · Captioning with attention](07_captioning_with_attention.ipynb) | a CNN encoder and an LSTM decoder that write captions, with attention shown word by word | generated scenes |

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
# **Exercise 3 · Count the work.** Return the number of floating-point operations of the
# product of an $(n\times k)$ matrix with a $(k\times m)$ matrix. Then use it: how many
# seconds would your CPU need for one $4096\times4096$ product at the GFLOP/s measured above?

# %%
def matmul_flops(n, k, m):
    # YOUR CODE HERE (replace the line below)
    return None


if cu.checks.matmul_flops(matmul_flops):
    print(f"estimated CPU time for n = 4096: {matmul_flops(4096, 4096, 4096) / (cpu_gflops * 1e9):.1f} s")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def matmul_flops(n, k, m):
#     return 2 * n * k * m    # n·m outputs, each k multiplications and (k − 1) additions
# ```
#
# $2\cdot4096^3 \approx 137$ GFLOP, so at 50 GFLOP/s about 3 s on the CPU, and a few
# milliseconds on a modern GPU.
# </details>
#
# **Exercise 4 (open) · Explore more or less.** Set `EPSILON = 0.3` in the parameters cell
# and re-run section 1.3. Which curve ends higher, and why does more exploration find the
# best arm more often yet earn less in the end?
#
# <details><summary>Solution</summary>
#
# With ε = 0.3 nearly every agent identifies the best arm, but it keeps spending 30% of
# its pulls on random arms (worth 0.46 on average), so its late reward settles near
# $0.7\cdot0.70 + 0.3\cdot0.46 \approx 0.63$, below the ≈ 0.67 of ε = 0.1. Exploration
# buys knowledge and costs reward; good agents explore less once they know enough.
# </details>

# %% [markdown]
# ## Summary
#
# - **Supervised** learning fits inputs to known answers (digits: about 96% test accuracy);
#   **unsupervised** learning finds structure without answers (k-means rediscovers the
#   digits); **reinforcement** learning improves actions from rewards (ε-greedy finds the
#   best slot machine by balancing exploration and exploitation).
# - Neural networks date back to 1943; after two AI winters, data and GPUs made deep
#   learning take off in 2012.
# - A dense layer is a matrix product costing about $2n^3$ operations; GPUs win because
#   those operations are independent and run in parallel.
# - Each backend records code such as $\sigma(XW + b)$ as a computational graph of tensor
#   operations (TensorFlow and JAX by tracing, PyTorch while it computes), which it can run
#   on any device and differentiate automatically.
# - Seven notebooks follow, from a single neuron to networks that generate images and write
#   captions; the ✓ lines in each check that its results are real.
#
# **Next:** [01 · The perceptron](01_perceptron.ipynb): build Rosenblatt's 1957 learning
# machine from scratch and watch its decision boundary move.
