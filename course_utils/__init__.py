"""course_utils: the small shared package behind the deep learning course notebooks.

    import course_utils as cu
    run = cu.setup(PROFILE, seed=SEED)

Modules: ``runtime`` (profiles, seeding), ``report`` (expect/record),
``data`` (loaders, asset cache), ``plots``, ``callbacks`` (live training plot),
``checks`` (exercise self-checks), ``cli`` (``python -m course_utils``), and the
helpers of single notebooks: ``shapes`` (03's CIFAR-10 stand-in), ``weights`` (04's
pretrained weights), ``series`` and ``text`` (05), ``scores`` (06), ``captions`` (07).
"""

import os as _os

# Before anything imports TensorFlow: keep its C++ start-up logs out of the notebooks.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from . import captions, checks, data, plots, report, runtime, scores, series, shapes, text, weights  # noqa: E402
from .callbacks import LivePlot  # noqa: E402
from .data import Dataset  # noqa: E402
from .report import ExpectationError  # noqa: E402
from .runtime import ProfileError, Run, setup  # noqa: E402

__version__ = "0.1.0"
__all__ = ["setup", "Run", "Dataset", "LivePlot", "ExpectationError", "ProfileError",
           "captions", "checks", "data", "plots", "report", "runtime", "scores", "series", "shapes", "text",
           "weights"]
