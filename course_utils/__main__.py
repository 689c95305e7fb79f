"""``python -m course_utils run | prefetch | doctor`` (see course_utils.cli)."""

import sys

from .cli import main

sys.exit(main())
