"""``python -m course_utils setup | lab | run | test | prefetch | doctor``: the arguments, and
which module does the work. The same commands on Linux, macOS and Windows, from any Python
3.10–3.13 in a fresh clone:

setup     a virtual environment per backend from its lock (:mod:`.workspace`)
lab       JupyterLab on the notebooks, in that environment
run       execute notebooks headless (:mod:`.runner`) and build the site of the executed course
          (:mod:`.site`); exit non-zero naming the notebook and cell that failed
test      the test suite (pytest: unit tests and every notebook in the smoke profile)
prefetch  download every remote asset into a Keras-cache layout (:mod:`.assets`; for workshops)
doctor    versions, backends, GPU, profile, cached assets, network (:mod:`.doctor`)

``lab``, ``run`` and ``test`` run inside the backend's environment (set up on first use) when
they are called from another Python. Importing this module imports no Keras and no notebook
tooling, so ``doctor`` works in an environment without a backend.

Taught with: 00 · The big picture ("How to use this course").
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import assets, runtime


def _elsewhere(args: argparse.Namespace, argv: list[str]) -> int | None:
    """Run ``run`` in the backend's environment when this Python cannot (None: run it here).

    This Python runs it when it has the runner and the backend installed (a course
    environment, Colab, a learner's own); otherwise the backend's environment is set up from its
    lock and the same command runs there.
    """
    from importlib.util import find_spec

    from . import workspace

    if args.here or (find_spec("papermill") is not None and find_spec(args.backend) is not None):
        os.environ["KERAS_BACKEND"] = args.backend
        return None
    return workspace.run_inside(args.backend, ["-m", "course_utils", *argv, "--here"], gpu=args.gpu)


def cmd_setup(args: argparse.Namespace) -> int:
    from . import workspace

    workspace.setup(args.backend, gpu=args.gpu, newest=args.newest, force=args.force)
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from . import workspace

    return workspace.run_inside(args.backend, ["-m", "jupyter", "lab", "notebooks/"], gpu=args.gpu)


def cmd_test(args: argparse.Namespace) -> int:
    from . import workspace

    return workspace.run_inside(args.backend, ["-m", "pytest", *args.pytest_args], gpu=args.gpu)


def cmd_run(args: argparse.Namespace) -> int:
    from . import runner

    if args.profile is not None:
        try:
            runtime.check_profile(args.profile)
        except runtime.ProfileError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    notebooks = runner.find_notebooks(args.notebooks)
    out = Path(args.out)
    results = runner.run_course(notebooks, out, args.profile, args.timeout, args.fail_fast,
                                progress=sys.stderr.isatty() and not args.quiet)
    if not args.no_site:
        from . import site

        try:
            print(f"Site: {site.build(out)}")
        except site.SiteError as e:  # no Sphinx here, or no report: the run itself still counts
            print(f"error: the site was not built: {e}", file=sys.stderr)
            return 1
    failed = [r for r in results if r.status != "ok"]
    if failed:
        print(f"{len(failed)} notebook(s) failed:", file=sys.stderr)
        for r in failed:
            print(f"  {runner.failure_line(r)}", file=sys.stderr)
        return 1
    print(f"All {len(results)} notebook(s) passed.")
    return 0


def cmd_prefetch(args: argparse.Namespace) -> int:
    manifest = assets.load_manifest()
    unknown = [n for n in args.assets if n not in manifest]
    if unknown:
        print(f"error: unknown asset(s) {', '.join(unknown)}; known: {', '.join(sorted(manifest))}",
              file=sys.stderr)
        return 2
    names = args.assets or sorted(manifest)
    home = Path(args.to).expanduser() if args.to else assets.keras_home()
    size = assets.human_size
    print(f"{len(names)} asset(s), {size(sum(manifest[n].size for n in names))} in all, into {home}")
    if args.dry_run:
        for asset, status in assets.prefetch(names, home, dry_run=True, manifest=manifest):
            print(f"  {asset.name:<22} {size(asset.size):>10}  {status:<26} {asset.path}")
        return 0
    need = sum(manifest[n].size for n in names if assets.cache_status(manifest[n], home) != "ok")
    if need > assets.disk_free(home):
        print(f"error: {size(need)} needed but only {size(assets.disk_free(home))} free at {home}",
              file=sys.stderr)
        return 1
    failed = 0
    for n in names:
        try:
            (asset, status), = assets.prefetch([n], home, manifest=manifest)
            print(f"  {asset.name:<22} {size(asset.size):>10}  {status}")
        except assets.AssetError as e:
            failed += 1
            print(f"  {n:<22} FAILED: {e}", file=sys.stderr)
    if failed:
        print(f"{failed} of {len(names)} asset(s) could not be fetched; run the same command again "
              "once the network is back (finished files are kept, partial ones resume).", file=sys.stderr)
        return 1
    if args.to:
        print(f"Copy {home} to each machine and set KERAS_HOME={home} there (or copy it to ~/.keras).")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from . import doctor

    return doctor.report()


def build_parser() -> argparse.ArgumentParser:
    from .workspace import BACKENDS, default_backend

    p = argparse.ArgumentParser(prog="python -m course_utils", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    env = argparse.ArgumentParser(add_help=False)
    env.add_argument("--backend", choices=BACKENDS, default=default_backend(),
                     help="Keras backend and its environment (default: $KERAS_BACKEND or tensorflow)")
    env.add_argument("--gpu", action="store_true",
                     help="the GPU variant: NVIDIA's CUDA wheels on Linux, tensorflow-metal on a Mac")
    s = sub.add_parser("setup", parents=[env], help="create the backend's environment from its lock")
    s.add_argument("--newest", action="store_true", help="the newest releases instead of the lock")
    s.add_argument("--force", action="store_true", help="install again even when up to date")
    s.set_defaults(func=cmd_setup)
    lab = sub.add_parser("lab", parents=[env], help="open JupyterLab on the notebooks")
    lab.set_defaults(func=cmd_lab)
    t = sub.add_parser("test", parents=[env], help="run the tests (arguments after -- go to pytest)")
    t.add_argument("pytest_args", nargs=argparse.REMAINDER, help="e.g. -- tests/test_runtime.py")
    t.set_defaults(func=cmd_test)
    r = sub.add_parser("run", parents=[env], help="execute notebooks headless, write report.json and the site")
    r.add_argument("notebooks", nargs="*", help="notebook paths, names or numbers (default: all)")
    r.add_argument("--profile", default=None,
                   help=f"one of {', '.join(runtime.valid_profiles())} (default: auto)")
    r.add_argument("--out", default="build", help="output folder (default: build)")
    r.add_argument("--timeout", type=int, default=None, help="seconds allowed per cell")
    r.add_argument("--fail-fast", action="store_true", help="stop at the first failing notebook")
    r.add_argument("--quiet", action="store_true", help="no per-cell progress bar")
    r.add_argument("--no-site", action="store_true", help="skip building the site (report.json only)")
    r.add_argument("--here", action="store_true",
                   help="run in this Python, not in the backend's environment")
    r.set_defaults(func=cmd_run)
    f = sub.add_parser("prefetch", help="download every asset into a Keras cache (for workshops)")
    f.add_argument("assets", nargs="*", help="asset names (default: all)")
    f.add_argument("--to", default=None, help="cache folder (default: $KERAS_HOME or ~/.keras)")
    f.add_argument("--dry-run", action="store_true", help="list assets, sizes and cache status only")
    f.set_defaults(func=cmd_prefetch)
    d = sub.add_parser("doctor", help="versions, backend, device, cached assets, network")
    d.set_defaults(func=cmd_doctor)
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    if args.command == "test" and args.pytest_args[:1] == ["--"]:
        args.pytest_args = args.pytest_args[1:]
    if args.command == "run":
        delegated = _elsewhere(args, argv)
        if delegated is not None:
            return delegated
    return args.func(args)
