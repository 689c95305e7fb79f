"""Compile the locks in requirements/lock/ from pyproject.toml, one per backend (and GPU variant).

    python tools/lock.py                 # every lock (needs uv: pip install uv)
    python tools/lock.py tensorflow jax  # some of them
    python tools/lock.py --check         # exit 1 when a lock no longer matches pyproject.toml

Each lock is a universal requirements file (Linux, macOS, Windows; Python 3.10–3.13, with
environment markers where they differ) with exact versions and sha256 hashes, and no
package-index URL: it installs the same from PyPI or a mirror. Made by uv's resolver
(`uv pip compile --universal --generate-hashes`), from the project's dependencies plus the
backend's extra, the runner, JupyterLab, the site and the test tools. ``lock-constraints.txt``
beside the locks holds the resolver's preferences (why each is there is written in it).

Install one (what ``python -m course_utils setup`` does):
    uv pip install --require-hashes -r requirements/lock/jax.txt && uv pip install --no-deps -e .
    pip install --require-hashes --no-deps -r requirements/lock/jax.txt && pip install --no-deps -e .
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements" / "lock"
CONSTRAINTS = LOCKS / "lock-constraints.txt"
#: lock name → the pyproject extras it adds to the project's dependencies
VARIANTS: dict[str, tuple[str, ...]] = {
    "tensorflow": ("tensorflow",),
    "jax": ("jax",),
    "torch": ("torch",),
    "tensorflow-cuda": ("tensorflow-cuda",),
    "jax-cuda": ("jax", "jax-cuda"),
}
ALWAYS = ("runner", "lab", "site")
GROUPS = ("test",)


def uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    try:  # installed as a Python package but not on PATH
        from uv import find_uv_bin
    except ImportError:
        raise SystemExit("error: the locks are compiled by uv: `pip install uv`, then run this again") from None
    return find_uv_bin()


def compile_command(name: str, output: Path) -> list[str]:
    cmd = [uv(), "pip", "compile", "pyproject.toml", "--universal", "--python-version", "3.10",
           "--generate-hashes", "--no-emit-index-url", "--quiet", "--constraint",
           str(CONSTRAINTS.relative_to(ROOT)), "--custom-compile-command", f"python tools/lock.py {name}",
           "-o", str(output)]
    for extra in (*VARIANTS[name], *ALWAYS):
        cmd += ["--extra", extra]
    for group in GROUPS:
        cmd += ["--group", group]
    return cmd


def lock(name: str, output: Path | None = None, upgrade: bool = True) -> Path:
    output = output or LOCKS / f"{name}.txt"
    cmd = compile_command(name, output)
    if upgrade:
        cmd.append("--upgrade")
    subprocess.run(cmd, cwd=ROOT, check=True)
    return output


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*", help=f"locks to compile: {', '.join(VARIANTS)} (default: all)")
    p.add_argument("--check", action="store_true",
                   help="recompile each lock from itself (no upgrades) and compare: stale after a "
                        "change to pyproject.toml")
    args = p.parse_args(argv)
    unknown = [n for n in args.names if n not in VARIANTS]
    if unknown:
        p.error(f"unknown lock(s) {unknown}; choose from {', '.join(VARIANTS)}")
    names = args.names or list(VARIANTS)
    LOCKS.mkdir(parents=True, exist_ok=True)
    stale = []
    for name in names:
        if args.check:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:  # the lock itself is the resolver's preference
                fresh = Path(tmp) / f"{name}.txt"
                shutil.copyfile(LOCKS / f"{name}.txt", fresh)
                lock(name, fresh, upgrade=False)
                if fresh.read_text() != (LOCKS / f"{name}.txt").read_text():
                    stale.append(name)
            continue
        print(f"{name}: {lock(name).relative_to(ROOT)}")
    if stale:
        print(f"stale: {', '.join(stale)} (run: python tools/lock.py {' '.join(stale)})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
