"""Exercise self-checks: each says what is right, or exactly what is wrong.

A check returns ``True`` and prints a ✓ line when the answer is right, and
raises :class:`CheckFailed` with a hint otherwise, so a learner sees at once
what to fix. One module per notebook; everything is re-exported here:
``cu.checks.perceptron_update(fn)``.
"""

from ._base import CheckFailed, check_close, not_attempted, passed
from .nb00 import *  # noqa: F403
from .nb01 import *  # noqa: F403
from .nb02 import *  # noqa: F403
from .nb03 import *  # noqa: F403
from .nb04 import *  # noqa: F403
from .nb05 import *  # noqa: F403
from .nb06 import *  # noqa: F403
from .nb07 import *  # noqa: F403
from .nb08 import *  # noqa: F403

__all__ = ["CheckFailed", "check_close", "not_attempted", "passed"]
