"""Page run times: every page's script run, cold and warm, on a database (default: the demo).

    ./run.sh bench pages [--db PATH] [--repeat N]

The precomputed analysis is built first (it belongs to the data version, not to a page).
For each page view, Streamlit's caches are cleared and the page is run once (cold: a new
connection, every query computed), then run ``--repeat`` more times (warm: cached queries);
the median warm run is reported.  Runs use Streamlit's AppTest, which executes the same
script as the server (frame + page) without a browser.  Targets (issue 4): ≤ 1 s warm,
≤ 3 s cold on the city demo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# (label, page, URL parameters)
VIEWS = [
    ("overview · city", "overview", {}),
    ("overview · area", "overview", {"area": "03"}),
    ("overview · unit", "overview", {"unit": "0305"}),
    ("team · unit", "team", {"unit": "0305"}),
    ("portrait · cadre", "portrait", {"unit": "0305", "cadre": "0305001"}),
    ("anomalies · city", "anomalies", {}),
    ("anomalies · unit", "anomalies", {"unit": "0305"}),
    ("talks · city", "talks", {}),
    ("talks · unit", "talks", {"unit": "0305"}),
    ("data", "data", {}),
]
TARGET_WARM, TARGET_COLD = 1.0, 3.0


FRESH = """
import logging, sys, time
import streamlit  # the server has it loaded before any view
from tests.apptest import app_test
t0 = time.perf_counter()
import app, pages.overview, pages.team, pages.portrait, pages.anomalies, pages.talks
import pages.data
t1 = time.perf_counter()
logging.getLogger("streamlit").setLevel(logging.ERROR)
at = app_test("overview", sys.argv[1])
t2 = time.perf_counter()
at.run()
print(t1 - t0, time.perf_counter() - t2)
"""


def _fresh_process(db: str, lang: str) -> tuple[float, float]:
    """(seconds importing the app's modules, seconds of the first script run) in a new
    Python process: what the first visitor after a server start waits for."""
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", FRESH, lang],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "YANPAN_DB": db},
        check=True,
    )
    imports, run = out.stdout.split()[-2:]
    return float(imports), float(run)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(REPO / "data" / "demo"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args(argv)
    os.environ["YANPAN_DB"] = args.db

    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import streamlit as st

    from analytics import results
    from analytics.store import Store
    from tests.apptest import app_test

    store = Store(args.db)
    if not store.exists():
        from analytics.demo_build import build_demo_database

        print(f"building the demo database at {args.db}…", flush=True)
        build_demo_database(Path(args.db))
    t0 = time.perf_counter()
    results.ensure_results(store)
    print(f"analysis of {store.require().name}: ready in {time.perf_counter() - t0:.1f} s")
    fresh = _fresh_process(args.db, args.lang)
    print(
        f"first view after a server start (overview, fresh process): importing the app "
        f"{fresh[0]:.2f} s + the script run {fresh[1]:.2f} s = {sum(fresh):.2f} s"
    )
    # import the app's modules once (a server does this once, on its first view)
    app_test("data", args.lang).run()

    print(
        f"\n{'view':<22}{'cold s':>8}{'warm s':>8}  target ≤ {TARGET_COLD:.0f} / "
        f"≤ {TARGET_WARM:.0f}"
    )
    worst = 0
    for label, page, params in VIEWS:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = app_test(page, args.lang, **params)
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        if at.exception:
            print(f"{label:<22} EXCEPTION: {at.exception[0].message}")
            worst = 2
            continue
        warm_runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            at.run()
            warm_runs.append(time.perf_counter() - t0)
        warm = statistics.median(warm_runs)
        ok = cold <= TARGET_COLD and warm <= TARGET_WARM
        worst = max(worst, 0 if ok else 1)
        print(f"{label:<22}{cold:>8.2f}{warm:>8.2f}  {'ok' if ok else 'OVER TARGET'}")
    return worst


if __name__ == "__main__":
    sys.exit(main())
