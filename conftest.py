"""Root pytest configuration: every notebook runs headless, offline, in the smoke profile.

Set before any kernel starts, so nbval's kernels inherit it. KERAS_HOME points
at an empty folder, so a developer's own cache cannot make the tests pass
where CI would not.
"""

import os
import tempfile

os.environ["COURSE_PROFILE"] = "smoke"
os.environ["COURSE_HEADLESS"] = "1"
os.environ["COURSE_OFFLINE"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="course-keras-home-")
