# %% [markdown]
# # 04 · Transfer learning with VGG16
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/open-dl-course/deep-learning-course/blob/main/notebooks/04_transfer_learning_vgg16.ipynb)
#
# In notebook 03 a small CNN learned CIFAR-10 from scratch. Finding a good architecture is hard,
# and training a large network from scratch takes millions of images and days of GPU time.
# **Transfer learning** skips both: take a network someone trained on ImageNet (1.2 million
# photos, 1,000 classes), keep its convolutional layers, which have learned edges, textures and
# object parts, and train only a small new classifier on top. In this notebook you build VGG16
# with a new head, then improve it step by step, measuring what each step buys, including the
# most important comparison: against the same network trained from scratch.
#
# **You will learn**
# - what the Keras pretrained models cost (size, parameters, depth) and what a pretrained classifier sees in a photo
# - how to freeze a convolutional base and train a new head on it, and to count what is trainable
# - feature extraction (run the frozen base once) versus end-to-end training, and fine-tuning with a small learning rate
# - why `preprocess_input`, the input resolution, augmentation and global average pooling matter
#
# **Prerequisites:** 03 · Convolutional networks (convolution, pooling, CIFAR-10), 02 ·
# Multilayer networks (Dense layers, Adam, overfitting).
#
# **Time:** smoke 26–43 s · cpu 56–91 s (measured on a 2-core CPU: TensorFlow, JAX, PyTorch) · gpu about 5–9 min on a T4 (estimated)
#
# **Pretrained weights.** VGG16's ImageNet weights are downloaded once (56 MB for the
# convolutional base, 528 MB with the classifier), checked against their published hash and
# cached in `~/.keras/models` (`$KERAS_HOME`). For a machine without a network, prefetch them on
# one with a network: `python -m course_utils prefetch vgg16_notop vgg16 imagenet_class_index`.
# Without them (and in the smoke and cpu profiles offline) the notebook uses **another real
# ImageNet network that ships with the course**: EfficientNet-Lite0 (Tan & Le 2019), 4.7 million
# parameters, its ImageNet weights converted to Keras once and checked against a pinned hash
# (`cu.imagenet`): it classifies the photos of section 3. The transfer sections then run on a
# **stand-in that ships with the course**: a small VGG-style base pretrained on the handwritten
# digits 0–4, transferred to the digits 5–9 (section 5 says why). The notebook says so every
# time, and the report marks the results as stand-in results.

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
PHOTO = None  # the path of your own JPEG or PNG photo, e.g. "my_dog.jpg", for section 3
BASE = "auto"  # "auto": VGG16 with its ImageNet weights when they can be had; "offline": EfficientNet-Lite0 and the stand-in

# %%
import gc
import time
from functools import partial

import keras
import numpy as np
import pandas as pd
from keras import layers

import course_utils as cu

run = cu.setup(PROFILE, seed=SEED)

# %% [markdown]
# Budgets per profile. VGG16 is heavy for a CPU: one 32×32 image costs about 0.3 billion
# multiply-adds, a 64×64 one four times as much. So the cpu profile uses 2,000 CIFAR-10 images;
# only the gpu profile uses all 50,000 (offline, the stand-in of section 5 replaces them).
# `BATCH` and `EVAL_BATCH` divide every image count, so that every batch has the same shape and
# the compiled model is reused instead of rebuilt for a short last batch.

# %%
N_TRAIN = run.budget(smoke=250, cpu=2000, gpu=50_000)  # CIFAR-10 training images (VGG16 only)
N_TEST = run.budget(smoke=250, cpu=500, gpu=10_000)  # CIFAR-10 test images (VGG16 only)
SIZE = run.pick(smoke=64, cpu=64, gpu=96)  # the larger input resolution of section 9 (VGG16 only)
BATCH = 250  # batch size for VGG16 training
EVAL_BATCH = 250  # batch size for predict and evaluate; divides every test set here (250, 500, 10,000)
N_PER_CLASS = 2  # labelled images per class in the offline stand-in task: "a few"
ALL_MODELS = ["Xception", "VGG16", "VGG19", "ResNet50", "InceptionV3", "MobileNetV2", "DenseNet121"]
# Build the seven models of section 2 to measure them? Under JAX on a CPU, creating their 370 million
# random weights took minutes against under one on TensorFlow, so there the cpu profile
# shows the documentation's numbers only.
MEASURE_TABLE = run.budget(smoke=False, cpu=keras.backend.backend() != "jax", gpu=True)
# Several training steps in one compiled call (much faster on a GPU); PyTorch allows only 1.
STEPS_PER_EXECUTION = 1 if keras.backend.backend() == "torch" else run.pick(smoke=1, cpu=1, gpu=20)
if run.profile == "gpu":  # float16 arithmetic: much faster on a GPU; the weights stay float32
    keras.mixed_precision.set_global_policy("mixed_float16")

# %% [markdown]
# ## 1. Why transfer learning
#
# A dense network reached 45.2% on CIFAR-10 with 8.4 million parameters, the CNN of notebook 03
# did better, but both started from random weights and saw only CIFAR-10's 50,000 tiny images.
# A network trained on ImageNet has already learned, in its convolutional layers, a general
# vocabulary of images: the first layers detect edges and colours, the middle ones textures and
# patterns, the last ones parts of objects. Those features are useful for almost any photo.
# Transfer learning keeps them and learns only the new task:
#
# $$\underbrace{x \xrightarrow{\ \text{pretrained conv base (frozen)}\ } \phi(x)}_{\text{reused}}
# \xrightarrow{\ \text{new head (trained)}\ } \hat y .$$
#
# Two ways to use the base: **feature extraction** (freeze it, train only the head) and
# **fine-tuning** (afterwards, also adapt its last layers, with a small learning rate).
#
# *Takeaway: reuse what a network learned on a big data set; train only what is new.*

# %% [markdown]
# ## 2. The pretrained models table
#
# Keras ships a dozen ImageNet networks in `keras.applications`. We build each one with
# `weights=None` (nothing is downloaded) and measure it; beside the measurements are the
# numbers from the Keras documentation's table of 2018–2020. "Depth" has two definitions: the
# old table counted layers, the current one counts layers with weights (convolutions, dense and
# batch-normalisation layers). The smoke profile (and the cpu profile under JAX, see the budget cell)
# builds none of them and shows only the documentation's numbers.

# %%
table = cu.weights.applications_table(ALL_MODELS, measure=MEASURE_TABLE)
if "parameters" in table:  # measured: does each model have the documented number of parameters?
    differ = table.index[table["parameters"] != table["quoted parameters"]].tolist()
    assert not differ, f"measured parameter counts differ from the documentation for {differ}"
    print(f"All {len(table)} measured parameter counts equal the documentation's.")
else:
    print("Not measured in this run (see the budget cell): the numbers are the documentation's.")
table

# %% [markdown]
# Where the table was measured, the cell above checked every parameter count against the
# documentation; size ≈ 4 bytes × parameters (one float32 each). VGG16 and
# VGG19 (138 and 144 million parameters) are 5–6 times bigger than ResNet50, Xception or
# InceptionV3 (23–26 million) and 40 times bigger than MobileNetV2, because of their three dense
# layers: VGG16's first one alone has $7 \cdot 7 \cdot 512 \cdot 4096 \approx 103$ million
# weights. Its convolutional base is only 14.7 million parameters, and that is the part we reuse.
#
# *Takeaway: accuracy grew since VGG16 (2014) while models shrank; VGG16's conv base is still the
# classic for teaching transfer learning: plain, sequential, easy to cut.*

# %% [markdown]
# ## 3. What a pretrained network sees
#
# `keras.applications.VGG16(weights="imagenet")` downloads VGG16's weights on first use and
# keeps them in `~/.keras/models`. The course first looks for a copy there whose hash it can
# check (`cu.weights.resolve_weights`, which also downloads it when the profile allows) and
# passes its path as `weights=`: the same call, but it never stops on a missing network.
#
# With its classifier (`include_top=True`) VGG16 expects 224×224 photos preprocessed exactly as
# in its training: `keras.applications.vgg16.preprocess_input` converts RGB to BGR and subtracts
# the mean ImageNet pixel (it does **not** scale to [0, 1]); `decode_predictions` turns the 1,000
# probabilities into class names.
#
# Without VGG16's classifier, the course's EfficientNet-Lite0 answers instead: a real ImageNet
# network too (75.1% top-1 on ImageNet's validation images, as its release reports: Google's
# `tensorflow/tpu` repository, 2020),
# 30 times smaller than VGG16, with the same three calls in `cu.imagenet`: the builder,
# `preprocess_input` (its own: $(x - 127) / 128$, pixel values to about $[-1, 1]$) and
# `decode_predictions`. Both take the photo at 224×224 pixels, the size they were trained on.

# %%
top_info = cu.weights.resolve_weights("vgg16")  # the 528 MB file with the classifier
names_info = cu.weights.resolve_weights("imagenet_class_index")  # read by decode_predictions
photo_names = ["chelsea", "coffee", "astronaut"] + ([PHOTO] if PHOTO is not None else [])
photos = np.stack([cu.images.load_photo(p, size=(224, 224)) for p in photo_names])  # uint8 RGB
if BASE == "auto" and top_info.found and names_info.found:
    classifier = keras.applications.VGG16(include_top=True, weights=str(top_info.path))
    preprocess, decode = keras.applications.vgg16.preprocess_input, keras.applications.vgg16.decode_predictions
else:
    why = top_info.reason or names_info.reason or f"BASE = {BASE!r}"
    print(f"VGG16's ImageNet classifier is not used ({why}); EfficientNet-Lite0 answers instead.")
    cu.datasets.announce("ImageNet classifier", cu.imagenet.SOURCE)
    classifier = cu.imagenet.efficientnet_lite0()  # with its classifier: 1,000 ImageNet classes
    preprocess, decode = cu.imagenet.preprocess_input, cu.imagenet.decode_predictions
probabilities = classifier.predict(preprocess(photos.astype("float32")), verbose=0)
top5 = decode(np.asarray(probabilities, dtype="float32"), top=5)  # per photo: (id, class, probability)
print(pd.DataFrame({name: [f"{label} {p:.1%}" for _, label, p in top]
                    for name, top in zip(photo_names, top5, strict=True)}, index=range(1, 6)))
if PHOTO is None:
    print("Your own photo: set PHOTO in the parameters cell to a JPEG or PNG file and run again.")

# %%
fig = cu.figures.nb04.top5_predictions(photos, top5, names=photo_names,
                                       title=f"What {classifier.name} sees: its top 5 of 1,000 ImageNet classes")

# %% [markdown]
# Look for cat classes (tabby, tiger cat, Egyptian cat) for Chelsea, espresso or cup for the
# coffee. The astronaut has no class of her own among the 1,000 (ImageNet has no "person" class):
# the network can only name the nearest classes it knows, things that share her helmet or her
# suit, with much less confidence; the bars show which. Your own photo, likewise, gets the nearest
# of ImageNet's classes.
#
# A check a broken network fails: ImageNet has five domestic cat classes; together they should
# hold most of the probability for Chelsea. A network with random weights spreads its probability
# over all 1,000 classes, about 0.5% for any five. The threshold, 0.5, was measured with
# EfficientNet-Lite0 on TensorFlow, JAX and PyTorch; VGG16's classifier has never run here,
# so for it the check is relative: ten times what chance gives five classes, 0.05.

# %%
CATS = {"tabby", "tiger_cat", "Persian_cat", "Siamese_cat", "Egyptian_cat"}  # ImageNet's cat classes
cat_probability = sum(p for _, label, p in top5[0] if label in CATS)  # top5[0]: Chelsea's top 5
print(f"Chelsea's cat classes in the top 5: {cat_probability:.1%} of the probability")
run.expect("cat_photo_cat_probability", cat_probability,
           at_least=0.5 if classifier.name.startswith("efficientnet") else 0.05,
           hint="the photo of Chelsea should be a cat to an ImageNet network: are the weights "
                "loaded, and did the photo go through the network's own preprocess_input?")
del classifier, probabilities
gc.collect()

# %% [markdown]
# *Takeaway: the right `preprocess_input` and the right input size are part of the model.*

# %% [markdown]
# ## 4. VGG16 with a new head, as a 2020 course built it
#
# A 2020 introductory course (Heumann, Aßenmacher, Schalk) put a new head on VGG16's
# convolutional base, at CIFAR-10's own 32×32 resolution, with the base frozen, and reached
# 61.75% on CIFAR-10:
#
# VGG16 conv base (`include_top=False`, 32×32×3, frozen) → Flatten → Dense(256, relu) →
# Dense(10, softmax).
#
# After five 2×2 poolings a 32×32 image becomes a 1×1×512 feature map, so Flatten gives 512
# numbers, and the head has $512 \cdot 256 + 256 + 256 \cdot 10 + 10 = 133{,}898$ parameters,
# the only trainable ones; with the base's 14,714,688 that makes 14,848,586. Building it needs no
# download: it is built with the ImageNet weights for the base when they are here, else without.

# %%
vgg_info = cu.weights.resolve_weights("vgg16_notop")
vgg_base = keras.applications.VGG16(include_top=False, input_shape=(32, 32, 3),
                                    weights=str(vgg_info.path) if vgg_info.found else None)
vgg_base.trainable = False  # freeze every convolution of the base

vgg_model = keras.Sequential([
    keras.Input((32, 32, 3)),
    vgg_base,
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax", dtype="float32"),
], name="vgg16_new_head")
vgg_model.summary()

# %%
n_params = vgg_model.count_params()
n_trainable = sum(int(np.prod(w.shape)) for w in vgg_model.trainable_weights)
assert n_params == 14_848_586, f"expected 14,848,586 parameters, got {n_params:,}"
assert n_trainable == 133_898, f"expected 133,898 trainable parameters, got {n_trainable:,}"
print(f"{n_params:,} parameters, of which {n_trainable:,} trainable: the new head. "
      f"The base's weights: {vgg_info.describe()}")

# %% [markdown]
# *Takeaway: 133,898 trainable parameters on top of a frozen 14.7-million-parameter base.*
#
# ## 5. The pretrained base and the new task this run uses
#
# Transfer needs a base that learned something. With VGG16's ImageNet weights and the real
# CIFAR-10, sections 6–9 transfer VGG16 to CIFAR-10, as the 2020 course did.
#
# Without them (offline, in CI, in a workshop without the downloads) a VGG16 with random weights
# would transfer nothing, so the course ships a **stand-in that plays VGG16's role**: a mini VGG
# (three blocks of two 3×3 convolutions and a max pooling) pretrained on the real MNIST digits
# **0–4**. Its new task: the digits **5–9**, which it has never seen, from only two labelled
# images a class.
#
# Why this pair: the new classes are truly new (the base never saw a 7), but they are written
# with the same strokes, loops and corners the base learned to detect, just as CIFAR-10's trucks
# are made of the edges and textures VGG16 learned on ImageNet. And with two labels a class a
# network cannot learn good features by itself, which is exactly when transfer pays.
#
# Why not EfficientNet-Lite0, the real ImageNet network of section 3? When the course added it,
# its frozen base was tried on the digits (TensorFlow, ten labels a digit, the digits enlarged to
# 64×64, the head of section 6): a small CNN trained from scratch on the same hundred digits did
# better. Photos and handwritten strokes are far apart, and features from a distant source help
# little; the stand-in's source, other digits, is close. To try it yourself, the base is
# `cu.imagenet.efficientnet_lite0(include_top=False, input_shape=(64, 64, 3))`, its input a digit
# repeated to three channels, scaled to 0–255, passed through `cu.imagenet.preprocess_input` and
# enlarged by `layers.Resizing(64, 64)`.

# %%
USE_VGG16 = BASE == "auto" and vgg_info.found and run.profile != "smoke"
if USE_VGG16:
    data = cu.datasets.load_cifar10().subset(N_TRAIN, N_TEST)
    USE_VGG16 = not data.standin  # the CIFAR-10 stand-in is no task for VGG16's ImageNet features
if USE_VGG16:  # VGG16, ImageNet → CIFAR-10
    x_train, y_train, x_test, y_test = data.x_train, data.y_train, data.x_test, data.y_test
    class_names = data.class_names
    del data  # keep one copy of the images in memory, not two
else:  # the stand-in, digits 0–4 → digits 5–9
    if BASE == "auto" and not vgg_info.found:
        print(f"No ImageNet weights for VGG16 ({vgg_info.reason}).")
    cu.datasets.announce("pretrained base", f"STAND-IN for VGG16: {cu.weights.STANDIN_SOURCE}", standin=True)
    run.standin("04 ran on the course's stand-in base (digits 0–4 → 5–9), not VGG16 on CIFAR-10")
    digits = cu.datasets.load_mnist_subset()
    cu.datasets.announce("digits 5–9", digits.source, kind="subset")
    few = np.concatenate([np.flatnonzero(digits.y_train == c)[:N_PER_CLASS] for c in range(5, 10)])
    x_train, y_train = digits.x_train[few, ..., None], digits.y_train[few] - 5
    new = digits.y_test >= 5
    x_test, y_test = digits.x_test[new, ..., None], digits.y_test[new] - 5
    class_names = [str(c) for c in range(5, 10)]
    del digits
n_classes = len(class_names)
print(f"{n_classes} classes; {len(x_train):,} labelled training images {x_train.shape[1:]}, "
      f"{len(x_test):,} test images")

# %% [markdown]
# The base for each case, frozen, and what the rest of the notebook needs to know about it:
# which base to use for a model trained **from scratch** (section 8), the augmentation that
# suits the images (section 9), where fine-tuning starts and at which learning rate, and the
# training budgets.

# %%
if USE_VGG16:
    base = vgg_base  # built in section 4, ImageNet weights, frozen
    make_scratch_base = partial(keras.applications.VGG16, include_top=False, input_shape=(32, 32, 3),
                                weights=None)  # the same architecture, random weights
    REPEATS = 1  # thousands of labels: one run is a fair measurement
    augment = [layers.RandomFlip("horizontal"), layers.RandomTranslation(0.1, 0.1)]
    FINE_TUNE_FROM, FINE_TUNE_LR = "block5_conv1", 1e-5
    EPOCHS = run.budget(smoke=1, cpu=2, gpu=2)  # end-to-end epochs, frozen base + new head
    HEAD_EPOCHS = run.budget(smoke=10, cpu=30, gpu=8)  # epochs of a head on cached features
    SCRATCH_EPOCHS = run.budget(smoke=1, cpu=4, gpu=4)  # the same model from random weights
    AUG_EPOCHS, FT_EPOCHS = run.budget(smoke=1, cpu=1, gpu=1), run.budget(smoke=1, cpu=1, gpu=2)
    STEPS_PER_EPOCH = None  # one pass over the images an epoch
else:
    del vgg_base, vgg_model
    base = cu.weights.standin_base()  # pretrained, hash-checked, the weights ship with the course
    base.trainable = False  # freeze every layer of the base
    make_scratch_base = partial(cu.weights.standin_base, pretrained=False)  # same architecture, random weights
    # With two labels a class one run is noisy: section 8 averages three (one in smoke: training
    # from scratch is the slowest step on PyTorch's CPU)
    REPEATS = run.budget(smoke=1, cpu=3, gpu=3)
    augment = [layers.RandomRotation(0.05), layers.RandomTranslation(0.1, 0.1)]  # a flipped digit is no digit
    FINE_TUNE_FROM, FINE_TUNE_LR = "block3_conv1", 1e-4
    # Ten images make one batch; an epoch of one step would cost more in overhead than in
    # arithmetic (most on PyTorch), so here an epoch is STEPS_PER_EPOCH steps on that batch.
    BATCH, STEPS_PER_EPOCH = len(x_train), 5
    EPOCHS, HEAD_EPOCHS, SCRATCH_EPOCHS = 2, 6, 6
    AUG_EPOCHS, FT_EPOCHS = run.budget(smoke=2, cpu=6, gpu=6), run.budget(smoke=2, cpu=4, gpu=4)
print(f"Transfer: {base.name} ({base.count_params():,} parameters, frozen) → {n_classes} new classes")

# %% [markdown]
# The model of section 6: the frozen base and a **new head**, Flatten → Dense(256, relu) →
# Dense(one unit per class, softmax). With VGG16 this is exactly section 4's `vgg_model`.

# %%
if USE_VGG16:
    model = vgg_model
else:
    model = keras.Sequential([
        keras.Input(x_train.shape[1:]),
        base,
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(n_classes, activation="softmax", dtype="float32"),
    ], name="standin_new_head")
model.summary()


# %% [markdown]
# ## 6. Frozen base + new head, end to end
#
# The plain way: every epoch, every training image goes through the whole (frozen) base and the
# new head; only the head learns. `Batches` (below) hands `fit` the images in shuffled batches of
# one size; section 7 says why. (For VGG16 the pixels are fed as they come, scaled to [0, 1], as
# the 2020 course did; section 9 measures what that costs. The stand-in was trained on exactly
# such digits.)

# %%
class Batches(keras.utils.PyDataset):
    """(x, y) in shuffled batches of one size (the remainder dropped), as stored; `steps` an epoch."""

    def __init__(self, x, y, batch_size, steps=None, seed=SEED):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size
        self.n_batches = max(1, len(x) // batch_size)
        self.steps = steps or self.n_batches
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(len(x))

    def __len__(self):
        return self.steps

    def __getitem__(self, i):
        i = i % self.n_batches
        idx = np.sort(self.order[i * self.batch_size:(i + 1) * self.batch_size])
        return self.x[idx], self.y[idx]

    def on_epoch_end(self):
        self.order = self.rng.permutation(len(self.x))


model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"], steps_per_execution=STEPS_PER_EXECUTION)
t0 = time.perf_counter()
model.fit(Batches(x_train, y_train, BATCH, STEPS_PER_EPOCH), epochs=EPOCHS, verbose=run.verbose,
          callbacks=[cu.LivePlot(title="Frozen base + new head, end to end")])
seconds_end = time.perf_counter() - t0
p_end = model.predict(x_test, batch_size=EVAL_BATCH, verbose=0)
acc_end = float(np.mean(p_end.argmax(1) == y_test))
print(f"frozen base + new head: test accuracy {acc_end:.3f} after {EPOCHS} epochs, "
      f"{seconds_end:.1f} s of training")

# %% [markdown]
# ## 7. Fast feature extraction
#
# While the base is frozen and the images do not change, the base computes **the same features
# for an image in every epoch**. So run it once over the data, keep its outputs $\phi(x)$, and
# train the head on them: each head epoch then costs almost nothing. Same model, same result, a
# fraction of the time.
#
# Two details keep this fast on a GPU too: one extractor per (base, input size), built once and
# reused, and `Batches`, a `keras.utils.PyDataset` that hands arrays to `fit` in shuffled batches
# of one size (no short last batch to compile for) as they are stored: float16 features on a GPU
# stay float16 until the head casts each batch. (From here on every `fit` takes its batches from it.)

# %%
extractors = {}


def extract(base, x, size=None):
    """Run the frozen base once over images x (resized to size×size first): its feature maps."""
    key = (id(base), size)
    if key not in extractors:  # build (and compile) each extractor once
        resize = [layers.Resizing(size, size)] if size else []
        extractors[key] = keras.Sequential([keras.Input(x.shape[1:]), *resize, base])
    return extractors[key].predict(x, batch_size=EVAL_BATCH, verbose=0)


def make_head(input_shape, pooling="flatten"):
    """The new classifier: Flatten (or global average pooling) → Dense(256, relu) → Dense(classes)."""
    return keras.Sequential([
        keras.Input(input_shape),
        layers.GlobalAveragePooling2D() if pooling == "gap" else layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(n_classes, activation="softmax", dtype="float32"),
    ])


def train_head(f_train, f_test, pooling="flatten", epochs=HEAD_EPOCHS):
    """Train a new head on cached features; return (head, test accuracy, seconds)."""
    head = make_head(f_train.shape[1:], pooling)
    head.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                 metrics=["accuracy"], steps_per_execution=STEPS_PER_EXECUTION)
    t0 = time.perf_counter()
    head.fit(Batches(f_train, y_train, BATCH, STEPS_PER_EPOCH), epochs=epochs, verbose=0)
    acc = float(np.mean(head.predict(f_test, batch_size=EVAL_BATCH, verbose=0).argmax(1) == y_test))
    return head, acc, time.perf_counter() - t0


t0 = time.perf_counter()
f_train, f_test = extract(base, x_train), extract(base, x_test)
seconds_extract = time.perf_counter() - t0
print(f"features: {f_train.shape} for training, {f_test.shape} for testing, in {seconds_extract:.1f} s")
_, acc_fx, seconds_fx = train_head(f_train, f_test, epochs=EPOCHS)
print(f"head on cached features, {EPOCHS} epochs: accuracy {acc_fx:.3f}, "
      f"{seconds_extract + seconds_fx:.1f} s in all (end to end: {seconds_end:.1f} s)")

# %% [markdown]
# Is it really the same model? Copy the trained head of section 6 onto the cached features: its
# predictions must be those of the end-to-end model, to rounding.

# %%
copy = make_head(f_test.shape[1:])
for src, dst in zip(model.layers[-3:], copy.layers, strict=True):
    dst.set_weights(src.get_weights())
cache_error = float(np.max(np.abs(copy.predict(f_test, batch_size=EVAL_BATCH, verbose=0) - p_end)))
run.expect("feature_cache_max_error", cache_error, at_most=1e-3,
           hint="the cached features differ from what the base computes inside the model: "
                "check that extract() gets the same images and the same base.")
pd.DataFrame({"test accuracy": [acc_end, acc_fx],
              "seconds": [seconds_end, seconds_extract + seconds_fx]},
             index=[f"end to end, {EPOCHS} epochs", f"cached features, {EPOCHS} epochs"]).round(3)

# %% [markdown]
# The two accuracies differ only by the random start of the two heads. The saving grows with the
# number of epochs and images: end to end pays for the base every epoch, feature extraction once.
# The catch: no data augmentation (a shifted image has other features) and no fine-tuning (the
# base must stay fixed). For those we go back to end-to-end training.
#
# Now, cheaply, train the head for longer on the cached features:

# %%
head, acc_head, seconds_head = train_head(f_train, f_test)
print(f"head on cached features, {HEAD_EPOCHS} epochs: test accuracy {acc_head:.3f} "
      f"in {seconds_head:.1f} s")

# %% [markdown]
# *Takeaway: with a frozen base, compute its features once; then experiment on the head freely.*
#
# ## 8. What did the pretrained weights buy?
#
# The honest comparison: **the same architecture**, base and head, trained from random weights
# on the same labelled images (for the stand-in: for as many steps as the head), every layer
# trainable. Whatever the transferred model does better comes from what its base learned on the
# source task. With ten labelled images one training run says little (another random start moves
# the test accuracy by several points), so the stand-in's comparison is the mean of three runs
# each way (one in the smoke profile). The threshold, a gain of 0.10 (0.05 in the smoke profile),
# was measured with the stand-in on TensorFlow, JAX and PyTorch; with VGG16 on CIFAR-10 it has
# never been measured.

# %%
runs = []
for r in range(REPEATS):
    keras.utils.set_random_seed(SEED + r)  # another random start for each run
    scratch = keras.Sequential([keras.Input(x_train.shape[1:]), make_scratch_base(), layers.Flatten(),
                                layers.Dense(256, activation="relu"),
                                layers.Dense(n_classes, activation="softmax", dtype="float32")],
                               name="from_scratch")
    scratch.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"], steps_per_execution=STEPS_PER_EXECUTION)
    scratch.fit(Batches(x_train, y_train, BATCH, STEPS_PER_EPOCH), epochs=SCRATCH_EPOCHS, verbose=0)
    acc = float(np.mean(scratch.predict(x_test, batch_size=EVAL_BATCH, verbose=0).argmax(1) == y_test))
    transferred = acc_head if r == 0 else train_head(f_train, f_test)[1]  # a new head, same base
    runs.append({"from scratch": acc, "transferred (frozen base)": transferred})
runs = pd.DataFrame(runs)
acc_scratch, acc_transfer = runs.mean()
print(f"test accuracy, mean of {REPEATS} run(s): from scratch {acc_scratch:.3f}, transferred "
      f"{acc_transfer:.3f}; chance {1 / n_classes:.3f}")
gain = run.expect("transfer_gain_over_scratch", acc_transfer - acc_scratch,
                  at_least=run.budget(smoke=0.05, cpu=0.10, gpu=0.10),
                  hint="the pretrained base should beat the same network trained from random weights "
                       "on so few labels: are its pretrained weights loaded, and is it frozen?")
del scratch
gc.collect()
runs.round(3)

# %% [markdown]
# *Takeaway: with few labels, a network cannot learn good features by itself; a pretrained base
# brings them.*
#
# ## 9. Better, one measured step at a time
#
# Each step keeps the previous ones. The first ones run on cached features and cost one pass of
# the base; augmentation and fine-tuning train end to end.
#
# - **VGG16 only: `preprocess_input`**, easy to forget and costly to skip: VGG16 was trained on BGR
#   pixels in 0–255 minus the ImageNet mean pixel (about 104, 117, 124), not on [0, 1]. Fed [0, 1],
#   then preprocessed, every pixel ends up within one unit of minus the mean: a flat, mean-grey
#   image with almost no contrast, where the filters expect differences of tens or hundreds.
# - **VGG16 only: a larger input**: upsampled to `SIZE`×`SIZE` (64×64 in the cpu profile, 96×96
#   in the gpu one), the objects come closer to the size VGG16 learned to recognise, and the last
#   feature map keeps some layout (2×2 at 64×64, 3×3 at 96×96, instead of 1×1).
# - **VGG16 only: global average pooling** instead of Flatten: one number per channel, fewer
#   parameters, less overfitting, and a head that does not depend on the input size.
# - **Augmentation**: random shifts (and, for photos, mirror images; a mirrored digit is no
#   digit, so the digits get small rotations instead): the head never sees the same image twice.
# - **Fine-tuning** the last convolutional block (`FINE_TUNE_FROM`) with a learning rate 10 to 100
#   times smaller, so the pretrained filters are adjusted to the new task, not overwritten.
#
# The stand-in needs no preprocessing or size fix: it was trained on digits exactly like these.

# %%
mean = f" (mean of {REPEATS})" if REPEATS > 1 else ""
steps = {"from scratch" + mean: acc_scratch, "frozen base + head": acc_end,
         f"+ {HEAD_EPOCHS} head epochs" + mean: acc_transfer}
if USE_VGG16:
    preprocess = keras.applications.vgg16.preprocess_input
    x_train_in, x_test_in = preprocess(255.0 * x_train), preprocess(255.0 * x_test)
    fp_train, fp_test = extract(base, x_train_in), extract(base, x_test_in)
    _, steps["+ preprocess_input"], _ = train_head(fp_train, fp_test)
    del fp_train, fp_test
    big_base = keras.applications.VGG16(include_top=False, input_shape=(SIZE, SIZE, 3),
                                        weights=str(vgg_info.path))
    big_base.trainable = False
    resize = [layers.Resizing(SIZE, SIZE)]
    t0 = time.perf_counter()
    fb_train, fb_test = extract(big_base, x_train_in, SIZE), extract(big_base, x_test_in, SIZE)
    print(f"features at {SIZE}×{SIZE}: {fb_train.shape[1:]} per image, "
          f"{time.perf_counter() - t0:.0f} s to extract")
    _, steps[f"+ input {SIZE}×{SIZE}"], _ = train_head(fb_train, fb_test)
    gap_head, steps["+ global average pooling"], _ = train_head(fb_train, fb_test, pooling="gap")
    del fb_train, fb_test, x_train, x_test  # about 3 GB in the gpu profile
else:
    big_base, resize, x_train_in, x_test_in = base, [], x_train, x_test
del f_train, f_test
gc.collect()
pd.Series(steps, name="test accuracy").round(3)

# %% [markdown]
# Now end to end: the augmentation layers (and, for VGG16, the resizing to `SIZE`) and the frozen
# base go in front of the best head trained so far, which starts from
# what it learned, so a few epochs suffice: with VGG16 the global-average-pooling head just
# trained, offline the head trained for `HEAD_EPOCHS` epochs in section 7. Augmentation layers are
# active only in `fit`, not in `predict`.

# %%
final_head = gap_head if USE_VGG16 else head
full = keras.Sequential([keras.Input(x_train_in.shape[1:]), *augment, *resize, big_base, final_head],
                        name="transfer")
full.compile(optimizer=keras.optimizers.Adam(3e-4), loss="sparse_categorical_crossentropy",
             metrics=["accuracy"], steps_per_execution=STEPS_PER_EXECUTION)
full.fit(Batches(x_train_in, y_train, BATCH, STEPS_PER_EPOCH), epochs=AUG_EPOCHS, verbose=0)
steps["+ augmentation"] = full.evaluate(x_test_in, y_test, batch_size=EVAL_BATCH, verbose=0)[1]
print(f"+ augmentation, {AUG_EPOCHS} epochs: test accuracy {steps['+ augmentation']:.3f}")

# %% [markdown]
# Fine-tuning: unfreeze `FINE_TUNE_FROM` and the layers after it (the base's last block), keep the
# rest frozen, and recompile (trainable flags take effect at `compile`) with a small learning rate.
# A base with batch-normalisation layers (EfficientNet, ResNet; not VGG16 or the stand-in) keeps
# them frozen, as the Keras guide to transfer learning advises: a frozen one normalises with the
# statistics it learned on ImageNet, while a trainable one would switch to the statistics of each
# small batch and shift every feature the head learned on. The loop below does so.

# %%
big_base.trainable = True
unfrozen = False
for layer in big_base.layers:
    unfrozen = unfrozen or layer.name == FINE_TUNE_FROM
    layer.trainable = unfrozen and not isinstance(layer, layers.BatchNormalization)
n_trainable = sum(int(np.prod(w.shape)) for w in full.trainable_weights)
print(f"fine-tuning {n_trainable:,} parameters: the head and "
      f"{[layer.name for layer in big_base.layers if layer.trainable and layer.weights]}")
full.compile(optimizer=keras.optimizers.Adam(FINE_TUNE_LR), loss="sparse_categorical_crossentropy",
             metrics=["accuracy"], steps_per_execution=STEPS_PER_EXECUTION)
full.fit(Batches(x_train_in, y_train, BATCH, STEPS_PER_EPOCH), epochs=FT_EPOCHS, verbose=0)
steps["+ fine-tuning"] = full.evaluate(x_test_in, y_test, batch_size=EVAL_BATCH, verbose=0)[1]
print(f"+ fine-tuning from {FINE_TUNE_FROM} at {FINE_TUNE_LR:g}, {FT_EPOCHS} epochs: "
      f"test accuracy {steps['+ fine-tuning']:.3f}")

# %% [markdown]
# The figure puts the steps side by side. With VGG16 the run also checks that the steps VGG16
# needs pay off: `preprocess_input`, the larger input and fine-tuning each must not lose accuracy,
# and the gpu profile must reach 0.88 on CIFAR-10, well past the 2020 course's 61.75%.

# %%
for name, value in steps.items():
    run.record("step: " + name, value)
if USE_VGG16:
    run.expect("preprocess_input_gain", steps["+ preprocess_input"] - acc_transfer,
               at_least=run.pick(smoke=0.0, cpu=0.0, gpu=0.02))
    run.expect("larger_input_gain", steps[f"+ input {SIZE}×{SIZE}"] - steps["+ preprocess_input"],
               at_least=run.pick(smoke=0.0, cpu=0.02, gpu=0.05))
    run.expect("fine_tuning_gain", steps["+ fine-tuning"] - steps["+ augmentation"],
               at_least=run.pick(smoke=-0.02, cpu=-0.02, gpu=0.0))
    run.expect("fine_tuned_accuracy", steps["+ fine-tuning"], at_least=run.pick(smoke=0.3, cpu=0.6, gpu=0.88))
    reference = {"2020 course: 61.75%": 0.6175}
else:
    reference = {f"chance: {1 / n_classes:.2f}": 1 / n_classes}
fig = cu.plots.bar_compare(steps, reference=reference, ylabel="test accuracy",
                           title=f"Step by step: {base.name}, {len(x_train_in):,} labelled images"
                           + ("" if USE_VGG16 else " (STAND-IN for VGG16)"))
fig.axes[0].tick_params(axis="x", labelrotation=20)
best = max(steps, key=steps.get)
print(f"Transfer beat training from scratch by {gain:+.3f}; the best step: '{best}' "
      f"({steps[best]:.3f}); fine-tuning changed the accuracy by "
      f"{steps['+ fine-tuning'] - steps['+ augmentation']:+.3f}.")

# %% [markdown]
# Read the bars with the printed line under them. The first gap, from scratch to the frozen
# pretrained base, is what transfer buys; section 8 checked it. What the later steps add, the
# bars say for this run: with the stand-in's ten labelled images, augmentation and fine-tuning
# move the accuracy by a few points, and by other amounts on another backend or seed (its
# random start differs). With VGG16 on thousands of CIFAR-10 images the run checks that
# `preprocess_input`, the larger input and fine-tuning pay; mind the cost too: the larger input
# costs $(64/32)^2 = 4$ times as much per image at 64×64 and 9 times at 96×96.
#
# *Takeaway: every step is cheap to try, and measuring tells which ones earn their cost.*

# %% [markdown]
# ## Exercises
#
# **1. Flatten or pool?** At 64×64 input the last VGG16 feature map is 2×2×512. How many
# trainable parameters has the Flatten head (Flatten → Dense(256) → Dense(10)), and how many
# the GAP head?

# %%
flatten_params = None  # YOUR ANSWER: a number
gap_params = None  # YOUR ANSWER: a number
cu.checks.head_parameters(flatten_params, gap_params, size=64);


# %% [markdown]
# <details><summary>Solution</summary>
#
# Flatten gives 2·2·512 = 2,048 numbers: 2,048·256 + 256 = 524,544 weights in Dense(256), plus
# 256·10 + 10 = 2,570 in Dense(10): **527,114**. GAP gives 512 numbers whatever the input size:
# 512·256 + 256 + 2,570 = **133,898**, the same as the head of section 4 at 32×32.
#
# ```python
# flatten_params = 2 * 2 * 512 * 256 + 256 + 256 * 10 + 10
# gap_params = 512 * 256 + 256 + 256 * 10 + 10
# ```
# </details>

# %% [markdown]
# **2. Freeze the right layers.** Write `unfreeze_from(base, first_trainable)`: the layer named
# `first_trainable` and every later layer become trainable, the earlier ones stay frozen. The
# check runs it on a frozen VGG16 base for `"block5_conv1"` and `"block4_conv1"` and counts the
# trainable parameters.

# %%
def unfreeze_from(base, first_trainable):
    """Unfreeze `first_trainable` and the layers after it; keep the earlier ones frozen."""
    # YOUR CODE HERE: set the trainable flags, then `return base`
    return None


cu.checks.unfreeze_from(unfreeze_from);

# %% [markdown]
# <details><summary>Solution</summary>
#
# A frozen model freezes all its layers, whatever their own flags say, so unfreeze the base first:
#
# ```python
# def unfreeze_from(base, first_trainable):
#     base.trainable = True
#     names = [layer.name for layer in base.layers]
#     start = names.index(first_trainable)
#     for i, layer in enumerate(base.layers):
#         layer.trainable = i >= start
#     return base
# ```
# Block 5 alone has 7,079,424 parameters; blocks 4 and 5 together 12,979,200. Remember to
# `compile` again after changing trainable flags.
# </details>

# %% [markdown]
# **3. A learning rate for fine-tuning.** Sections 6 and 7 trained the new head with Adam at $10^{-3}$.
# Which learning rate would you use to fine-tune the pretrained block, and why? (Your answer
# has a name of its own, `my_fine_tune_lr`: section 9's `FINE_TUNE_LR` stays as it is, so you can
# re-run section 9 with it afterwards.)

# %%
my_fine_tune_lr = None  # YOUR ANSWER: a number
cu.checks.fine_tune_learning_rate(my_fine_tune_lr);

# %% [markdown]
# <details><summary>Solution</summary>
#
# Something between $10^{-6}$ and a few times $10^{-4}$, typically $10^{-5}$ (section 9 uses it
# for VGG16; the small stand-in, whose filters are fewer and less precious, takes $10^{-4}$). Adam moves every
# weight by about the learning rate each step, whatever the size of its gradient. At $10^{-3}$,
# after a few hundred steps each pretrained weight would have moved by more than the typical size of
# a filter weight, and in the directions a new, still almost random head asks for, which are
# mostly noise: the pretrained filters would be rewritten, and the model would lose what it
# transferred. A small rate keeps each step, and their sum, small beside the weights.
#
# ```python
# my_fine_tune_lr = 1e-5
# ```
# </details>

# %% [markdown]
# ## Summary
#
# - Pretrained networks differ by orders of magnitude in size; VGG16's 138 million parameters are
#   mostly its dense classifier, its convolutional base is 14.7 million.
# - A pretrained classifier needs its own `preprocess_input` and input size.
# - VGG16's base with a new head: 14,848,586 parameters, 133,898 of them trainable.
# - With a frozen base, extract the features once and train heads on them in seconds.
# - With few labels, a pretrained base beats the same network trained from scratch by far: that
#   gap is what transfer buys, and this notebook measures it every run.
# - `preprocess_input`, a larger input, GAP, augmentation and fine-tuning with a small learning
#   rate take VGG16 on CIFAR-10 far past 61.75%; the gpu profile targets 0.88.
# - Offline, EfficientNet-Lite0, a real ImageNet network that ships with the course, names what is
#   in the photos; a small base pretrained on the digits 0–4 plays VGG16's role in the transfer
#   sections, announced as a stand-in.
#
# **Going further: neural style transfer.** The same pretrained features can paint. Gatys, Ecker
# and Bethge (2016, "Image style transfer using convolutional neural networks") keep the *content*
# of one photo (VGG's deep feature maps) and take the *style* of a painting (the correlations
# between feature maps, their Gram matrices, at several depths), and optimise the pixels of a new
# image until both match. It needs VGG's weights and a few hundred gradient steps on the image
# itself, more than a CPU notebook's budget; Keras's example "Neural style transfer"
# (keras.io/examples/generative/neural_style_transfer) builds it on VGG19 in about 200 lines.
#
# **Next:** 05 · Recurrent networks and LSTMs, for sequences: text and time series.
