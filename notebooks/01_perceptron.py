# %% [markdown]
# # 01 · The perceptron
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/open-dl-course/deep-learning-course/blob/main/notebooks/01_perceptron.ipynb)
#
# Every deep network is built from one small part: a unit that takes a weighted sum of
# its inputs and passes it through an *activation function*. In 1957 Frank Rosenblatt
# built such a unit, the **perceptron**, and gave it a rule to learn its weights from
# examples. This notebook builds it from scratch in NumPy on real flower measurements,
# watches its decision boundary move as it learns, and swaps its hard step for a smooth
# sigmoid, which turns it into logistic regression. That brings the two ideas every later
# notebook rests on, a **cost function** and **gradient descent**, which we write by hand
# before Keras runs the same model. It ends with XOR, the four-point problem that no single
# unit can solve, which is why notebook 02 stacks them into layers.
#
# **You will learn**
# - the perceptron $\hat y = \text{step}(w \cdot x + b)$ and its learning rule, written in ten lines of NumPy
# - the activation functions step, sigmoid, tanh and ReLU, and their derivatives
# - why a sigmoid perceptron *is* logistic regression; its cross-entropy cost, and gradient descent by hand, with too small and too large learning rates
# - the same model in Keras (`Dense`, a loss, an optimizer, `fit`), checked against scikit-learn
# - why one layer cannot learn XOR
#
# **Prerequisites:** notebook 00; NumPy arrays and a dot product; the idea of a derivative.
#
# **Time:** smoke 15–24 s · cpu 16–28 s (measured on a 2-core CPU: TensorFlow, JAX, PyTorch) · gpu about 1 min on a T4 (estimated)

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
PERCEPTRON_LR = 1.0  # the perceptron's step size (section 2)
GD_LEARNING_RATES = [0.3, 8.0, 35.0]  # too small, good, too large (section 5)

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import course_utils as cu

run = cu.setup(PROFILE, seed=SEED)

# %% [markdown]
# ## 1. A neuron that draws a line
#
# Rosenblatt modelled his unit on a nerve cell. A biological neuron receives signals from
# thousands of others through *synapses*, connections of different strengths; its cell body
# adds the signals up, and when the total crosses a threshold the neuron *fires*, sending a
# spike down its *axon* to the next cells. The perceptron keeps that outline: inputs $x_i$,
# a strength $w_i$ for each connection, a sum, and a threshold. Learning, as the
# psychologist Donald Hebb proposed in 1949, means changing the strengths of the connections.
#
# The analogy stops there. Real neurons send trains of timed spikes, not one number each; a
# neuron's outgoing synapses are all excitatory or all inhibitory, while a weight can change
# its sign; brains are wired in loops with feedback everywhere; and nobody has found the
# brain running the gradient descent of section 5. Artificial neural networks were
# *inspired* by the brain; they are not models of it, and the rest of the course treats them
# as what they are: functions with adjustable numbers, fitted to data.
#
# A perceptron with inputs $x = (x_1, \dots, x_d)$ computes a weighted sum and
# thresholds it:
#
# $$\hat y = \text{step}(w \cdot x + b) = \begin{cases} 1 & \text{if } w_1 x_1 + \dots + w_d x_d + b \ge 0 \\ 0 & \text{otherwise.} \end{cases}$$
#
# The points where $w \cdot x + b = 0$ form a straight line in 2-D (a plane, a
# hyperplane in more dimensions): the **decision boundary**. Everything on one side is
# class 1, everything on the other class 0. So a perceptron can only solve problems where
# such a line exists: **linearly separable** data.
#
# Our data: Fisher's iris flowers (1936), bundled with scikit-learn. We keep two species,
# *setosa* and *versicolor*, and two measurements, sepal length and sepal width, and
# standardize each to mean 0 and standard deviation 1.

# %%
iris = load_iris()
keep = iris.target < 2                        # setosa (0) and versicolor (1)
X_iris = iris.data[keep][:, :2]               # sepal length, sepal width (cm)
y_iris = iris.target[keep]
X_iris = (X_iris - X_iris.mean(0)) / X_iris.std(0)
cu.datasets.announce("iris, setosa vs versicolor, sepal length and width",
                 "scikit-learn load_iris (bundled; Fisher 1936)")
IRIS_FEATURES = ("sepal length (standardized)", "sepal width (standardized)")
print(f"{len(X_iris)} flowers: {np.bincount(y_iris)[0]} setosa, {np.bincount(y_iris)[1]} versicolor")

# %% [markdown]
# Is it really separable? A linear *support-vector machine* (SVM), a classifier that looks
# for the line with the widest empty strip between the two classes, finds a separating
# line whenever one exists when we make mistakes prohibitively expensive for it (a "hard
# margin", here a penalty of a million per mistake):

# %%
svm = SVC(kernel="linear", C=1e6).fit(X_iris, y_iris)
print(f"a hard-margin linear SVM classifies {svm.score(X_iris, y_iris):.0%} of the flowers correctly")


# %% [markdown]
# If that says 100 %, a line exists, so the perceptron convergence theorem (Novikoff, 1962)
# promises that the learning rule below will find one in a finite number of mistakes.

# %% [markdown]
# ## 2. The perceptron learning rule
#
# Rosenblatt's rule visits the examples one by one and learns **only from mistakes**:
#
# $$w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad b \leftarrow b + \eta\,(y - \hat y).$$
#
# When the prediction is right, $y - \hat y = 0$ and nothing changes. When it missed a
# 1, the weights move *towards* $x$ (so $w \cdot x$ grows); when it missed a 0, they
# move away. $\eta$ is the learning rate. One pass over the data is an **epoch**.

# %%
def train_perceptron(X, y, lr=1.0, max_epochs=100, seed=0):
    """The perceptron rule; returns the weights, mistakes per epoch, and (w, b) after every update."""
    rng = np.random.default_rng(seed)
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes, snapshots = [], []
    for epoch in range(1, max_epochs + 1):
        errors = 0
        for i in rng.permutation(len(X)):          # a fresh random order every epoch
            y_hat = 1 if X[i] @ w + b >= 0 else 0
            if y_hat != y[i]:                       # learn from mistakes only
                w = w + lr * (y[i] - y_hat) * X[i]
                b = b + lr * (y[i] - y_hat)
                errors += 1
                snapshots.append((epoch, w.copy(), b))
        mistakes.append(errors)
        if errors == 0:                             # a whole epoch without a mistake: done
            break
    return w, b, mistakes, snapshots


def perceptron_predict(X, w, b):
    return (X @ w + b >= 0).astype(int)


w, b, mistakes, snapshots = train_perceptron(X_iris, y_iris, lr=PERCEPTRON_LR, seed=SEED)
train_acc = float(np.mean(perceptron_predict(X_iris, w, b) == y_iris))
print(f"{len(snapshots)} updates in {len(mistakes)} epochs; mistakes per epoch: {mistakes}")
print(f"w = {np.round(w, 3)}, b = {b:.3f}")
run.expect("perceptron_train_accuracy", train_acc, at_least=1.0,
           hint="the iris pair is separable, so the rule must reach 100 %");

# %% [markdown]
# Watch the line move. Each panel shows the boundary after one of the updates (shaded:
# what the perceptron predicts; points: the true species). Early lines are crude; each
# mistake nudges the line until no flower is on the wrong side.

# %%
shown = sorted({0, 1, 2, 4, len(snapshots) // 2, len(snapshots) - 1})
fig, axes = plt.subplots(2, 3, figsize=(12, 7.5))
for ax, k in zip(axes.flat, shown, strict=False):
    epoch, w_k, b_k = snapshots[k]
    acc_k = np.mean(perceptron_predict(X_iris, w_k, b_k) == y_iris)
    cu.plots.decision_boundary(lambda P, w_k=w_k, b_k=b_k: perceptron_predict(P, w_k, b_k),
                               X_iris, y_iris, ax=ax, feature_names=IRIS_FEATURES,
                               title=f"update {k + 1} (epoch {epoch}): {acc_k:.0%} right")
for ax in axes.flat[len(shown):]:
    ax.axis("off")
fig.suptitle("The perceptron's decision boundary as it learns (iris: 0 = setosa, 1 = versicolor)")
plt.show()

# %%
fig, ax = plt.subplots(figsize=(5.5, 3.2))
ax.bar(range(1, len(mistakes) + 1), mistakes, color="tab:blue")
ax.set_xlabel("epoch")
ax.set_ylabel("mistakes (= updates)")
ax.set_title("Perceptron mistakes per epoch")
ax.set_xticks(range(1, len(mistakes) + 1))
plt.show()

# %% [markdown]
# **Takeaway:** on separable data the perceptron rule stops making mistakes after a few
# epochs; the last epoch has zero mistakes, which is how we know it has converged. On data
# that is *not* separable it never stops (section 7).

# %% [markdown]
# ## 3. Activation functions
#
# The step function gives the perceptron a hard yes/no, but its derivative is 0
# everywhere (and undefined at 0). Gradient-based learning, the engine of every deep
# network, needs activations with useful derivatives:
#
# | name | $f(z)$ | $f'(z)$ | range |
# |---|---|---|---|
# | step | $1$ if $z \ge 0$ else $0$ | $0$ (almost everywhere) | $\{0, 1\}$ |
# | sigmoid | $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z))$ | $(0, 1)$ |
# | tanh | $\tanh z$ | $1 - \tanh^2 z$ | $(-1, 1)$ |
# | ReLU | $\max(0, z)$ | $1$ if $z > 0$ else $0$ | $[0, \infty)$ |

# %%
fig = cu.figures.nb01.activations(("step", "sigmoid", "tanh", "relu"), derivatives=True,
                          z=np.linspace(-3, 3, 601))
plt.show()

# %% [markdown]
# Read the dashed curves. The step's derivative is 0 everywhere except at $z = 0$, where
# the jump leaves it undefined (the plot cannot show that one point): nowhere is there a slope to
# follow. The sigmoid's slope is at most 0.25 and nearly 0 for large
# $|z|$ (a *saturated* unit learns slowly; notebook 05 meets this as vanishing
# gradients). tanh is a stretched, zero-centred sigmoid, $\tanh z = 2\sigma(2z) - 1$.
# ReLU's slope is exactly 1 for every positive input, which is why it is the default in
# hidden layers of deep networks (notebooks 02–06). The sigmoid stays the natural output
# for a yes/no question, because its output reads as a probability.

# %% [markdown]
# ## 4. A sigmoid perceptron and its cost function
#
# Replace the step by a sigmoid and the perceptron outputs a probability
# $p = \sigma(w \cdot x + b)$ instead of a hard 0/1. That model has an older name:
# **logistic regression**.
#
# A harder, real problem: the Wisconsin breast-cancer data (bundled with scikit-learn),
# tumours described by measurements of their cell nuclei. We keep two, the mean radius and
# the mean texture, so we can draw the boundary; the classes overlap, so no line is
# perfect. We split the tumours three ways: a quarter as the **test** set, looked at once,
# at the very end; of the rest, a fifth as the **validation** set, which watches training;
# and the remaining **training** set, the only data the models learn from. Each part keeps
# the two classes in the same proportions (`stratify`). Both inputs are standardized with
# the training set's mean and spread.

# %%
cancer = load_breast_cancer()
cols = [list(cancer.feature_names).index(n) for n in ("mean radius", "mean texture")]
X_rest, X_te, y_rest, y_te = train_test_split(cancer.data[:, cols], cancer.target, test_size=0.25,
                                              random_state=SEED, stratify=cancer.target)
X_tr, X_val, y_tr, y_val = train_test_split(X_rest, y_rest, test_size=0.2, random_state=SEED,
                                            stratify=y_rest)
scaler = StandardScaler().fit(X_tr)
X_tr, X_val, X_te = (scaler.transform(X).astype("float32") for X in (X_tr, X_val, X_te))
cu.datasets.announce("breast cancer Wisconsin (diagnostic), mean radius and mean texture",
                 "scikit-learn load_breast_cancer (bundled; UCI)")
CANCER_FEATURES = ("mean radius (standardized)", "mean texture (standardized)")
print(f"{len(cancer.target)} tumours: train {len(X_tr)}, validation {len(X_val)}, test {len(X_te)}; "
      f"classes: {cancer.target_names.tolist()} = 0, 1")

# %% [markdown]
# How good is a given $(w, b)$? The perceptron rule only reacted to mistakes. Logistic
# regression instead scores the probabilities over the whole training set with one
# number, the **cost function**. The usual one is the **binary cross-entropy** (or log loss):
#
# $$L(w, b) = -\frac{1}{n} \sum_{i=1}^{n} \Big[\, y_i \log p_i + (1 - y_i) \log (1 - p_i) \Big], \qquad p_i = \sigma(w \cdot x_i + b).$$
#
# For a tumour with $y_i = 1$ only the first term counts, $-\log p_i$: 0 when the model is
# sure and right ($p_i = 1$), growing without bound as it becomes sure and wrong
# ($p_i \to 0$). Training means finding the $(w, b)$ with the lowest cost. scikit-learn's
# `LogisticRegression` does exactly that. By default it adds a *regularization* penalty
# that keeps the weights small, one of the cures for overfitting (a model learning its
# training data too well to do well on new data) that notebook 02 treats; `C=np.inf`
# switches the penalty off, so its answer is the plain minimum of the cross-entropy, the
# one we will look for ourselves:

# %%
sk_model = LogisticRegression(C=np.inf).fit(X_tr, y_tr)
print(f"scikit-learn: w = {np.round(sk_model.coef_[0], 3)}, b = {sk_model.intercept_[0]:.3f}; accuracy "
      f"{sk_model.score(X_tr, y_tr):.3f} on the training set, {sk_model.score(X_val, y_val):.3f} on validation")

# %% [markdown]
# ## 5. Gradient descent and the learning rate
#
# How do we find the minimum ourselves? Thanks to $\sigma' = \sigma(1 - \sigma)$ the
# gradient of the cross-entropy is short:
#
# $$\nabla_w L = \frac{1}{n} \sum_i (p_i - y_i)\, x_i, \qquad \frac{\partial L}{\partial b} = \frac{1}{n} \sum_i (p_i - y_i).$$
#
# It points uphill, so **gradient descent** steps the other way, again and again:
# $w \leftarrow w - \eta\, \nabla_w L$. The learning rate $\eta$ is the size of each step.
# To see the landscape we hold the bias at scikit-learn's best value and draw the loss
# over the two weights.

# %%
b_star = float(sk_model.intercept_[0])


def cross_entropy(w1, w2):
    """Mean cross-entropy over the training set; w1 and w2 may be grids of weights."""
    z = np.multiply.outer(w1, X_tr[:, 0]) + np.multiply.outer(w2, X_tr[:, 1]) + b_star
    return np.mean(np.logaddexp(0, z) - y_tr * z, axis=-1)   # = -[y log p + (1-y) log(1-p)]


def gradient_descent(lr, steps=30, start=(0.0, 0.0)):
    w = np.array(start, dtype="float64")
    path = [w.copy()]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(X_tr @ w + b_star)))
        w = w - lr * X_tr.T @ (p - y_tr) / len(y_tr)       # one step downhill
        path.append(w.copy())
    return np.array(path)


best_loss = float(cross_entropy(*sk_model.coef_[0]))
paths = {f"η = {lr:g}": gradient_descent(lr) for lr in GD_LEARNING_RATES}
gaps, rises = {}, {}  # per learning rate: how far above the minimum at the end; steps that went up
for label, path in paths.items():
    path_losses = cross_entropy(path[:, 0], path[:, 1])
    gaps[label] = float(path_losses[-1] / best_loss - 1)
    rises[label] = (np.flatnonzero(np.diff(path_losses) > 0) + 1).tolist()
    went_up = (f"it went up at {len(rises[label])} of them, first at step {rises[label][0]}" if rises[label]
               else "it never went up")
    print(f"{label:>9}: loss {path_losses[0]:.3f} → {path_losses[-1]:.4f} after {len(path) - 1} steps, "
          f"{gaps[label]:.1%} above the minimum {best_loss:.4f}; {went_up}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.6), gridspec_kw={"width_ratios": [1.25, 1]})
cu.figures.nb01.loss_surface(cross_entropy, paths, xlim=(-9, 3), ylim=(-5, 3), ax=ax1,
                      title="Cross-entropy over two weights (b fixed)")
ax1.plot(*sk_model.coef_[0], "w*", ms=14, label="minimum")
for label, path in paths.items():
    ax2.plot(cross_entropy(path[:, 0], path[:, 1]), "o-", ms=3, label=label)
ax2.axhline(best_loss, color="k", ls=":", label="minimum")
ax2.set_yscale("log")
ax2.set_xlabel("gradient-descent step")
ax2.set_ylabel("cross-entropy")
ax2.set_title("Loss per step")
ax2.legend(fontsize=8)
plt.show()

# %%
too_small, good, too_large = (f"η = {lr:g}" for lr in GD_LEARNING_RATES)
run.expect("gd_good_lr_relative_loss_gap", gaps[good], at_most=0.01,
           hint="the 'good' learning rate should reach the minimum within 1 % in 30 steps")
run.expect("gd_small_lr_relative_loss_gap", gaps[too_small], at_least=0.05,
           hint="the 'too small' learning rate should still be well above the minimum after 30 steps")
run.expect("gd_large_lr_steps_that_went_up", len(rises[too_large]), at_least=1,
           hint="the 'too large' learning rate should overshoot: the loss should go up at some step");

# %% [markdown]
# Three behaviours, one rule (the three rates are `GD_LEARNING_RATES` in the parameters cell,
# and the lines printed above give their numbers):
# - **too small** (the first rate): every step is safe but tiny; after 30 steps the loss is
#   still well above the minimum;
# - **good** (the second): big steps while the slope is steep, and it settles at the
#   minimum (white star);
# - **too large** (the third): the first step overshoots far past the minimum (off the
#   window; the path is clipped at its edge) and the loss goes *up*. It struggles back, but
#   near the minimum every step jumps across the steep walls of the valley, so it cannot
#   settle and the loss climbs again.
#
# The long, flat valley is typical: the loss changes fast across it and slowly along it,
# so no single learning rate is ideal everywhere. Momentum and Adam (notebook 02) adapt
# the step for exactly this reason.

# %% [markdown]
# ## 6. Logistic regression in Keras
#
# In Keras the sigmoid perceptron is one layer, `Dense(1, activation="sigmoid")`; the
# cost function is `loss="binary_crossentropy"`; and gradient descent is the optimizer
# `keras.optimizers.SGD`. SGD stands for *stochastic gradient descent*: each step follows
# the gradient of a small random *mini-batch* of examples instead of the whole training
# set, which is cheaper per step and noisier (the "stochastic"), and is how every later
# notebook trains. Here we set `batch_size` to the whole training set, so there is nothing
# random about it: every step of `fit` computes the gradient over all training tumours,
# plain (full-batch) gradient descent exactly like our `gradient_descent`, except that the
# bias learns too and the backend works out the gradient for us. After every epoch (here:
# every step) `fit` also reports the loss on the validation set, which it never trains on.

# %%
EPOCHS = run.budget(smoke=30, cpu=60, gpu=60)
keras_model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
start_weights = np.concatenate([v.ravel() for v in keras_model.layers[-1].get_weights()])  # random
keras_model.compile(optimizer=keras.optimizers.SGD(learning_rate=GD_LEARNING_RATES[1]),
                    loss="binary_crossentropy", metrics=["accuracy"])
history = keras_model.fit(X_tr, y_tr, epochs=EPOCHS, batch_size=len(X_tr), validation_data=(X_val, y_val),
                          verbose=run.verbose, callbacks=[cu.LivePlot(title="Keras logistic regression")])


# %%
def keras_proba(P):
    return keras.ops.convert_to_numpy(keras_model(P.astype("float32")))[:, 0]


w_keras, b_keras = (v.ravel() for v in keras_model.layers[-1].get_weights())
print(f"Keras:        w = {np.round(w_keras, 3)}, b = {b_keras[0]:.3f}")
print(f"scikit-learn: w = {np.round(sk_model.coef_[0], 3)}, b = {sk_model.intercept_[0]:.3f}")
sk_weights = np.concatenate([sk_model.coef_[0], sk_model.intercept_])
weight_gap = float(np.max(np.abs(np.concatenate([w_keras, b_keras]) - sk_weights)))
distance_left = float(np.linalg.norm(np.concatenate([w_keras, b_keras]) - sk_weights)
                      / np.linalg.norm(start_weights - sk_weights))
print(f"largest difference between the two models' weights: {weight_gap:.4f}; Keras went "
      f"{1 - distance_left:.2%} of the way from its random start to scikit-learn's weights")
run.record("keras_sklearn_max_weight_difference", weight_gap, note=f"after {EPOCHS} full-batch steps")
run.expect("keras_sklearn_weight_distance_left", distance_left, at_most=0.02,
           hint="Keras's weights should end within 2 % of the way to scikit-learn's from where they started: "
                "gradient descent has not converged to the logistic-regression solution")
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
cu.plots.decision_boundary(keras_proba, X_val, y_val, ax=axes[0], feature_names=CANCER_FEATURES,
                           title="Keras Dense(1, sigmoid)")
cu.plots.decision_boundary(lambda P: sk_model.predict_proba(P)[:, 1], X_val, y_val, ax=axes[1],
                           feature_names=CANCER_FEATURES, title="scikit-learn LogisticRegression")
fig.suptitle("Validation tumours (0 = malignant, 1 = benign); shading = predicted P(benign), line = 0.5")
plt.show()

# %%
keras_losses = np.array(history.history["loss"])
settled = next(i for i in range(len(keras_losses))
               if np.all(np.abs(keras_losses[i:] / keras_losses[-1] - 1) <= 0.01))
print(f"the training loss stayed within 1 % of its final value from step {settled + 1} of {len(keras_losses)} on")
print(f"final loss: training {keras_losses[-1]:.3f}, validation {history.history['val_loss'][-1]:.3f}; "
      f"scikit-learn's line gets {sk_model.score(X_tr, y_tr):.0%} of the training tumours right "
      f"and {sk_model.score(X_val, y_val):.0%} of the {len(X_val)} validation ones")

# %% [markdown]
# The curves flatten within a few steps (the line above says when): gradient descent has
# reached the minimum, and Keras's weights are close to scikit-learn's (the numbers above).
# If the validation loss ends *below* the training loss, it is not that the model does
# better on data it never saw: compare scikit-learn's accuracy on the two sets above. With
# so few validation tumours, whether they happen to be easier or harder than the training
# ones decides which loss is lower. What matters is that the validation loss levels off
# instead of rising. The two models should make the same decisions. Only now, with training
# finished, do we look at the test set, once, for the number we would report.

# %%
keras_pred = (keras_proba(X_te) >= 0.5).astype(int)
sk_pred = sk_model.predict(X_te)
agreement = float(np.mean(keras_pred == sk_pred))
test_accuracy = float(np.mean(keras_pred == y_te))
print(f"Keras and scikit-learn agree on {agreement:.1%} of the {len(X_te)} test tumours; "
      f"Keras's test accuracy: {test_accuracy:.3f}")
run.expect("keras_sklearn_agreement", agreement, at_least=0.99,
           hint="the Keras model has not converged to the logistic-regression solution")
run.expect("keras_logistic_test_accuracy", test_accuracy, at_least=0.8);

# %% [markdown]
# **Takeaway:** nearly the same weights, the same decisions, two libraries. A single sigmoid unit
# trained on cross-entropy by gradient descent is logistic regression; a deep network is
# many of them stacked, trained the same way.

# %% [markdown]
# ## 7. XOR: the limit of one layer
#
# XOR ("exclusive or") is 1 when exactly one of its two inputs is 1. Four points, two
# classes on opposite corners of a square. The perceptron rule never stops making
# mistakes on it:

# %%
X_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # the four possible inputs
y_xor = np.array([0, 1, 1, 0])  # 1 when exactly one input is 1
_, _, xor_mistakes, _ = train_perceptron(X_xor, y_xor, max_epochs=20, seed=SEED)
print(f"perceptron on XOR, mistakes per epoch: {xor_mistakes}")
run.record("xor_perceptron_mistakes_last_epoch", xor_mistakes[-1], note="after 20 epochs");

# %% [markdown]
# Could a cleverer rule do better? A single unit's decision is always a line, whatever
# rule trains it, so we can search the lines directly: many random $(w_1, w_2, b)$,
# keeping the best accuracy on the four points.

# %%
N_LINES = run.budget(smoke=20_000, cpu=200_000, gpu=200_000)
W = np.random.default_rng(SEED).normal(size=(N_LINES, 3))           # w1, w2, b for each line
pred = (X_xor @ W[:, :2].T + W[:, 2] >= 0).astype(int)               # (4 points, N_LINES)
acc = (pred == y_xor[:, None]).mean(axis=0)
best = int(np.argmax(acc))
values, counts = np.unique(acc, return_counts=True)
print(f"best of {N_LINES:,} random lines: {acc[best]:.0%} of XOR right")
print("lines per accuracy:", dict(zip(values.tolist(), counts.tolist(), strict=True)))
run.expect("xor_best_line_accuracy", float(acc[best]), at_least=0.75,
           hint="the search should find lines that get 3 of the 4 points right; check how a line "
                "predicts (w · x + b ≥ 0, with the bias).");

# %%
w_best, b_best = W[best, :2], W[best, 2]
fig = cu.plots.decision_boundary(lambda P: perceptron_predict(P, w_best, b_best), X_xor, y_xor,
                                 title=f"The best line gets {acc[best]:.0%} of XOR right")
plt.show()


# %% [markdown]
# It is not bad luck. Suppose a line did separate XOR. Then $(0,0) \mapsto 0$ needs
# $b < 0$; $(0,1)$ and $(1,0) \mapsto 1$ need $w_2 + b \ge 0$ and $w_1 + b \ge 0$; adding
# those two gives $w_1 + w_2 + b \ge -b > 0$, so $(1,1)$ would be 1 too, but XOR says 0.
# Minsky and Papert's 1969 book made this limit famous and helped bring on the first
# "AI winter". The way out is to stack units: a hidden layer can build new features in
# which XOR *is* separable (exercise 4 finds one by hand; notebook 02 lets the network
# learn them).

# %% [markdown]
# ## Exercises
#
# Each exercise cell runs as it is and says "Not attempted yet"; replace the marked line,
# run the cell again, and the check tells you what is right or exactly what is wrong.

# %% [markdown]
# **1. Find the bug.** Someone wrote one step of the perceptron rule as a function: given
# weights `w`, bias `b`, one example `x` with its label `y` (0 or 1) and the learning rate
# `lr`, it returns the new `(w, b)`. Trained with it on the iris flowers of section 1, the
# perceptron never settles: run the cell and watch its accuracy after each epoch jump
# around instead of settling at 100 %. One line is wrong. Compare the function with the rule
# in section 2, fix it, and run the cell again.

# %%
def perceptron_update_to_fix(w, b, x, y, lr):
    y_hat = 1 if x @ w + b >= 0 else -1
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def accuracy_per_epoch(update, epochs=15):
    """Train a perceptron on the iris flowers with `update`; its accuracy after each epoch."""
    rng = np.random.default_rng(SEED)
    w_trained, b_trained, accuracies = np.zeros(2), 0.0, []
    for _ in range(epochs):
        for i in rng.permutation(len(X_iris)):
            w_trained, b_trained = update(w_trained, b_trained, X_iris[i], y_iris[i], PERCEPTRON_LR)
        accuracies.append(float(np.mean(perceptron_predict(X_iris, w_trained, b_trained) == y_iris)))
    return accuracies


print("accuracy after each epoch:", np.round(accuracy_per_epoch(perceptron_update_to_fix), 2))
cu.checks.perceptron_update(perceptron_update_to_fix);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def perceptron_update_to_fix(w, b, x, y, lr):
#     y_hat = 1 if x @ w + b >= 0 else 0
#     return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)
# ```
# The prediction used −1 for "no", but the labels are 0 and 1. For a flower of class 0
# that it classified correctly, $y - \hat y = 0 - (-1) = 1$, so the rule "learned" from a
# right answer and pushed the line the wrong way. Both conventions exist (many books write
# the perceptron with labels −1 and +1); the prediction and the labels must use the same one.
# </details>

# %% [markdown]
# **2. The sigmoid's derivative.** Return $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$
# elementwise for a NumPy array `z`. (Why is it at most 0.25?)

# %%
def sigmoid_derivative(z):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.sigmoid_derivative(sigmoid_derivative);

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def sigmoid_derivative(z):
#     s = 1 / (1 + np.exp(-z))
#     return s * (1 - s)
# ```
# $s(1 - s)$ is largest when $s = 0.5$, i.e. at $z = 0$: $0.5 \cdot 0.5 = 0.25$.
# </details>

# %% [markdown]
# **3. Pick a learning rate.** Choose `LEARNING_RATE` so that 30 steps of
# `gradient_descent` from section 5 bring the cross-entropy within 1 % of its minimum
# *without the loss ever going up*. Try a few values; the check says whether yours is too
# small or too large.

# %%
LEARNING_RATE = None  # YOUR CHOICE HERE, e.g. 1.0


def loss_per_step(lr):
    path = gradient_descent(lr, steps=30)
    return cross_entropy(path[:, 0], path[:, 1])


cu.checks.converging_learning_rate(LEARNING_RATE, loss_per_step, best_loss);


# %% [markdown]
# <details><summary>Solution</summary>
#
# Any value in the range the check prints when it passes works, for example
# `LEARNING_RATE = 8.0`, the "good" rate of section 5. Below that range the loss is still
# falling after 30 steps; above it a step overshoots and the loss rises. The largest safe
# rate depends on the curvature of the loss, which is why learning rates are tuned per
# problem (or adapted, as Adam does in notebook 02).
# </details>

# %% [markdown]
# **4. Make XOR separable.** Write `xor_feature(X)` that returns one new number per row
# of the XOR inputs `X` (shape (4, 2)); the check appends it as a third input and trains a
# perceptron. Find a feature that makes XOR linearly separable.

# %%
def xor_feature(X):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.xor_feature(xor_feature);

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def xor_feature(X):
#     return X[:, 0] * X[:, 1]     # 1 only at (1, 1)
# ```
# With $x_3 = x_1 x_2$ the plane $x_1 + x_2 - 2x_3 = 0.5$ separates the classes. A sum
# such as $x_1 + x_2$ does not help: it is a linear combination of the inputs, so the
# points still lie on a plane where no line separates them. A hidden layer learns
# non-linear features like $x_1 x_2$ by itself, which is the subject of notebook 02.
# </details>

# %% [markdown]
# ## Summary
#
# - A perceptron computes $\text{step}(w \cdot x + b)$: a straight decision boundary.
# - Its learning rule $w \leftarrow w + \eta (y - \hat y) x$ learns only from mistakes and reaches
#   100 % on linearly separable data (iris setosa vs versicolor, here in a few epochs).
# - Activation functions: step (no useful gradient), sigmoid and tanh (saturate), ReLU (slope 1 for $z > 0$).
# - With a sigmoid, the perceptron is logistic regression. Training minimizes a cost function, the
#   cross-entropy, by gradient descent; the learning rate decides between crawling, converging and
#   overshooting.
# - Keras's `Dense(1, activation="sigmoid")`, trained by `SGD` on the binary cross-entropy, found the same
#   boundary as scikit-learn's `LogisticRegression`; a validation set watched training, and the test set
#   was used once, at the end.
# - One unit draws one line, and no line solves XOR: the best is 3 of 4 points.
#
# **Next:** [02 · Multilayer networks](02_multilayer_networks.ipynb): stack units into
# layers, train them with backpropagation, and solve XOR and handwritten digits.
