"""Measure the gpu profile of notebooks 03 and 04 on a machine with an NVIDIA GPU, offline.

    python tools/measure_gpu.py [--out build/gpu-measure] [--profile gpu] [NOTEBOOK ...]

Offline, 03 trains on the CIFAR-10 stand-in (32×32×3: the same shapes, so the same FLOPs as
CIFAR-10) and 04 on its offline data; with the Keras cache prefetched both use the real data.
For each notebook it records the runner's seconds, the peak host memory of the kernel (the
largest child process's maximum resident set size) and the GPU's peak memory in use
(``nvidia-smi`` sampled every 0.5 s), prints a line each and writes ``measure.json``.
Budget: about 8 minutes for both on a T4-class GPU (``tools/estimate_gpu.py`` has the
estimate). ``--profile smoke`` checks the script itself on a CPU in about a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def gpu_memory_sampler(stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            out = subprocess.run(["nvidia-smi", "--query-gpu=memory.used",
                                  "--format=csv,noheader,nounits"], capture_output=True,
                                 text=True, timeout=5).stdout
            peak[0] = max([peak[0], *[int(x) for x in out.split() if x.isdigit()]])
        except (OSError, subprocess.SubprocessError):
            return
        stop.wait(0.5)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", default=["03", "04"])
    ap.add_argument("--out", default=str(ROOT / "build" / "gpu-measure"))
    ap.add_argument("--profile", default="gpu")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    out = Path(args.out)
    if args.one:   # child mode: run one notebook, print its exit code and children's peak RSS (kB)
        with open(out / f"run_{args.one}.log", "w") as log:
            rc = subprocess.run([sys.executable, "-m", "course_utils", "run", args.one,
                                 "--profile", args.profile, "--out", str(out / "build")],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT).returncode
        print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, COURSE_HEADLESS="1", PYTHONUNBUFFERED="1")
    env.setdefault("COURSE_OFFLINE", "1")
    has_smi = shutil.which("nvidia-smi") is not None
    if has_smi:
        info = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total,driver_version",
                               "--format=csv,noheader"], capture_output=True, text=True).stdout
        print("GPU:", info.strip())
    else:
        print("nvidia-smi not found: GPU memory will not be recorded")
    results = []
    for nb in args.notebooks:
        stop, peak = threading.Event(), [0]
        sampler = threading.Thread(target=gpu_memory_sampler, args=(stop, peak), daemon=True)
        if has_smi:
            sampler.start()
        t0 = time.perf_counter()
        # A fresh process per notebook, so its children's peak memory is this notebook's alone.
        probe = subprocess.run([sys.executable, __file__, "--one", nb, "--profile", args.profile,
                                "--out", str(out)], cwd=ROOT, env=env, capture_output=True,
                               text=True)
        secs = time.perf_counter() - t0
        stop.set()
        rc, rss_kb = (int(x) for x in probe.stdout.split()[-2:])
        row = {"notebook": nb, "profile": args.profile, "exit": rc, "seconds": round(secs, 1),
               "peak_host_gb": round(rss_kb / 2**20, 2),
               "peak_gpu_mib": peak[0] if has_smi else None}
        print(json.dumps(row), flush=True)
        results.append(row)
    (out / "measure.json").write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {out / 'measure.json'}")
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
