"""Root pytest configuration: every notebook runs headless, offline, in the smoke profile (or in
the gpu profile at smoke scale, with ``COURSE_SCALE=smoke``).

Set before any kernel starts, so nbval's kernels inherit it. KERAS_HOME points
at an empty folder, so a developer's own cache cannot make the tests pass
where CI would not. COURSE_STRICT_WARNINGS turns a deprecation raised by the
course's own code (a notebook cell, course_utils) into an error; library chatter
stays hidden (see runtime.quiet).
"""

import os
import tempfile

import pytest

# COURSE_SCALE=smoke (CI's "gpu profile at smoke scale" stages): the gpu profile's code paths with
# the smoke profile's budgets; otherwise the smoke profile.
os.environ["COURSE_PROFILE"] = "gpu" if os.environ.get("COURSE_SCALE") == "smoke" else "smoke"
os.environ["COURSE_HEADLESS"] = "1"
os.environ["COURSE_OFFLINE"] = "1"
os.environ["COURSE_STRICT_WARNINGS"] = "1"   # the course's own deprecations are errors here
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="course-keras-home-")

# pytest-xdist runs two workers side by side, each with its own kernels. PyTorch's CPU kernels
# (OpenMP) busy-wait for their threads, so two processes that each use every core slow each other
# down badly: in a fresh-clone CI run on 2 cores, one cell of 05 took 177 s on PyTorch (JAX: 9 s).
# Each worker's PyTorch gets its share of the cores instead (a learner's single kernel keeps all).
if (os.environ.get("KERAS_BACKEND") == "torch" and os.environ.get("PYTEST_XDIST_WORKER")
        and "OMP_NUM_THREADS" not in os.environ):
    _workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    os.environ["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // _workers))


#: Notebooks, longest smoke run first (seconds on TensorFlow, 2 cores). pytest-xdist hands whole
#: files to its two workers in collection order, so the long notebooks start first and the short
#: unit tests fill the gaps at the end instead of one long notebook finishing alone.
SMOKE_ORDER = ["06", "03", "05", "02", "07", "04", "01", "00"]


def pytest_collection_modifyitems(config, items):
    """Notebooks first, longest first; tests marked ``slow`` run only with COURSE_SLOW_TESTS=1.

    They would add minutes to ``make test`` (200-245 s in the last two fresh-clone CI runs, over
    its 150 s goal); CI runs them in a stage of their own (``.ci/run``: ``COURSE_SLOW_TESTS=1
    python -m course_utils test -- -m slow tests``).
    """
    def rank(item):  # a stable sort: the cells of a notebook keep their order
        if item.path.suffix != ".ipynb":
            return len(SMOKE_ORDER)
        prefix = item.path.name[:2]
        return SMOKE_ORDER.index(prefix) if prefix in SMOKE_ORDER else len(SMOKE_ORDER) - 1

    items.sort(key=rank)
    if os.environ.get("COURSE_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set COURSE_SLOW_TESTS=1 (CI runs it in its slow stage)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
