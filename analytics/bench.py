"""Benchmarks that print figures (run them; timed tests would be noise on a shared machine).

``python -m analytics.bench import [--scale city|province] [--keep DIR]``

1. builds the demo database (``demo``), timed;
2. exports it as a CSV bundle (``export-bundle``);
3. imports that bundle into an empty database (``import``), timed, with the split into
   reading (CSV → staging), validation and loading, rows/s and peak memory.

Each step runs in its own process so its peak resident memory (``wait4``'s ru_maxrss) is
its own.  Targets (issue 2): city import ≤ 15 s; province import ≤ 4 min with peak memory
≤ 4 GB; city demo generation ≤ 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"city": {"import_s": 15, "demo_s": 30}, "province": {"import_s": 240, "rss_gb": 4}}


def _run(args: list[str]) -> tuple[float, float, str]:
    """Run ``python -m <args>``; return (seconds, its own peak RSS in GB, stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", *args], stdout=out, stderr=err,
                                text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(args)} failed:\n{err.read()}")
        return seconds, usage.ru_maxrss / 1e6, out.read()


def _import_once(bundle: str, db: str) -> None:
    """Child process: import and print the timing split as JSON."""
    from analytics.ingest import import_bundle

    result = import_bundle(bundle, db)
    print(json.dumps({"seconds": result.seconds, "counts": result.counts}))


def bench_import(scale: str, keep: Path | None) -> None:
    work = Path(keep or tempfile.mkdtemp(prefix="yanpan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    demo_db, bundle, db = work / "demo", work / "bundle", work / "imported"
    for p in (demo_db, bundle, db):
        shutil.rmtree(p, ignore_errors=True)
    print(f"benchmark: {scale} scale, work folder {work}")
    try:
        s, rss, _ = _run(["analytics", "demo", "--db", str(demo_db), "--scale", scale,
                          "--quiet"])
        print(f"demo generation + load : {s:7.1f} s   peak RSS {rss:5.2f} GB")
        s, rss, _ = _run(["analytics", "export-bundle", "--db", str(demo_db),
                          "--out", str(bundle)])
        size = sum(p.stat().st_size for p in bundle.iterdir()) / 1e6
        print(f"export-bundle          : {s:7.1f} s   peak RSS {rss:5.2f} GB   "
              f"bundle {size:,.0f} MB")
        s, rss, out = _run(["analytics.bench", "_import_once", str(bundle), str(db)])
        info = json.loads(out.strip().splitlines()[-1])
        rows = sum(info["counts"].values())
        split = info["seconds"]
        print(f"import (whole process) : {s:7.1f} s   peak RSS {rss:5.2f} GB   "
              f"{rows:,} rows, {rows / s:,.0f} rows/s")
        print(f"  read CSV → staging   : {split['read']:7.1f} s")
        print(f"  validate (all rules) : {split['validate']:7.1f} s   "
              f"{rows / max(split['validate'], 1e-9):,.0f} rows/s")
        print(f"  load (upsert)        : {split['load']:7.1f} s")
        print(f"  ballots              : {info['counts'].get('ballots', 0):,} rows")
        print(f"targets: {TARGETS[scale]}")
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_import_once"]:
        _import_once(*argv[1:3])
        return 0
    p = argparse.ArgumentParser(prog="python -m analytics.bench")
    sub = p.add_subparsers(dest="what", required=True)
    sp = sub.add_parser("import", help="demo generation, export and import timings")
    sp.add_argument("--scale", choices=("city", "province"), default="city")
    sp.add_argument("--keep", type=Path, help="keep the work folder here")
    args = p.parse_args(argv)
    if args.what == "import":
        bench_import(args.scale, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
