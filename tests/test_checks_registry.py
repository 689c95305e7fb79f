"""Every notebook's self-checks share the `cu.checks` namespace, so their names must not collide."""

import importlib
from collections import Counter

import course_utils.checks as checks

MODULES = [f"course_utils.checks.nb{n:02d}" for n in range(8)]


def test_check_names_are_unique_across_notebooks():
    names = Counter()
    for mod in MODULES:
        names.update(getattr(importlib.import_module(mod), "__all__", []))
    clashes = sorted(n for n, k in names.items() if k > 1)
    assert not clashes, f"check names defined by more than one notebook module: {clashes}"


def test_every_exported_check_is_reachable_as_cu_checks_name():
    for mod in MODULES:
        m = importlib.import_module(mod)
        for name in getattr(m, "__all__", []):
            assert getattr(checks, name) is getattr(m, name), f"cu.checks.{name} is not {mod}.{name}"
