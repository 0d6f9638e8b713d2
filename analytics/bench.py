"""Benchmarks that print figures (run them; timed tests would be noise on a shared machine).

``python -m analytics.bench import [--scale city|province] [--keep DIR]``
``python -m analytics.bench detect [--seed N]`` — recall and false positives per flag type
``python -m analytics.bench analytics --db PATH`` — scores and flags, cold and warm
``python -m analytics.bench real`` — the detectors on the Eurovision national juries

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
        proc = subprocess.Popen([sys.executable, "-m", *args], stdout=out, stderr=err, text=True)
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
        s, rss, _ = _run(["analytics", "demo", "--db", str(demo_db), "--scale", scale, "--quiet"])
        print(f"demo generation + load : {s:7.1f} s   peak RSS {rss:5.2f} GB")
        s, rss, _ = _run(["analytics", "export-bundle", "--db", str(demo_db), "--out", str(bundle)])
        size = sum(p.stat().st_size for p in bundle.iterdir()) / 1e6
        print(
            f"export-bundle          : {s:7.1f} s   peak RSS {rss:5.2f} GB   bundle {size:,.0f} MB"
        )
        s, rss, out = _run(["analytics.bench", "_import_once", str(bundle), str(db)])
        info = json.loads(out.strip().splitlines()[-1])
        rows = sum(info["counts"].values())
        split = info["seconds"]
        print(
            f"import (whole process) : {s:7.1f} s   peak RSS {rss:5.2f} GB   "
            f"{rows:,} rows, {rows / s:,.0f} rows/s"
        )
        print(f"  read CSV → staging   : {split['read']:7.1f} s")
        print(
            f"  validate (all rules) : {split['validate']:7.1f} s   "
            f"{rows / max(split['validate'], 1e-9):,.0f} rows/s"
        )
        print(f"  load (upsert)        : {split['load']:7.1f} s")
        print(f"  ballots              : {info['counts'].get('ballots', 0):,} rows")
        print(f"targets: {TARGETS[scale]}")
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def evaluate(flags_df, key) -> list[dict]:
    """Recall (planted items flagged at warning/critical) and alarms outside the key, per
    flag type.  A planted item matches a flag with the same type, period, subject type and
    subject id (and rater group where the key names one)."""
    alarms = flags_df[flags_df["severity"].isin(["warning", "critical"])]
    rows = []
    types = sorted(set(key["flag_type"]) | set(alarms["flag_type"]))
    for ft in types:
        k = key[key["flag_type"] == ft]
        a = alarms[alarms["flag_type"] == ft]
        a_keys = set(
            zip(a["period_id"].fillna(""), a["subject_type"], a["subject_id"], strict=True)
        )
        found = sum(
            (p, st, s) in a_keys
            for p, st, s in zip(k["period_id"], k["subject_type"], k["subject_id"], strict=True)
        )
        k_keys = set(zip(k["period_id"], k["subject_type"], k["subject_id"], strict=True))
        outside = sum(x not in k_keys for x in a_keys)
        rows.append(
            {
                "flag_type": ft,
                "planted": len(k),
                "found": found,
                "recall": found / len(k) if len(k) else float("nan"),
                "alarms": len(a),
                "outside_key": outside,
            }
        )
    return rows


def candidates(con) -> dict[str, int]:
    """How many things each flag type judges (the denominators of false-positive rates)."""
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    sheets = q("SELECT count(DISTINCT period_id || '|' || ballot_id) FROM ballots")
    groups = q(
        "SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id, rater_group FROM ballots)"
    )
    sessions = q("SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id FROM ballots)")
    subj = q(
        "SELECT count(*) FROM (SELECT DISTINCT period_id, subject_type, subject_id FROM ballots)"
    )
    subj_group = q(
        "SELECT count(*) FROM (SELECT DISTINCT period_id, subject_id, rater_group "
        "FROM ballots WHERE subject_type = 'cadre')"
    )
    unit_periods = q("SELECT count(*) FROM units, periods")
    talk_rounds = q("SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id FROM talks)")
    return {
        "straight_lining": sheets,
        "misfit_ballot": sheets,
        "duplicate_ballots": sessions,
        "rater_leniency": groups,
        "rater_severity": groups,
        "halo": groups,
        "central_tendency": groups,
        "favoritism": subj_group,
        "targeted_rating": subj,
        "source_divergence": subj,
        "self_inflation": subj,
        "survey_anomaly": unit_periods,
        "satisfaction_gap": unit_periods,
        "group_bias": 3,
        "talk_coverage_gap": max(talk_rounds, 1),
        "talk_vote_conflict": subj,
        "verification_refuted": unit_periods,
    }


def bench_detect(seed: int, keep: Path | None) -> None:
    """Build the planted and the clean city, run scores + flags, print recall and false
    positives per flag type and the time taken."""
    import pandas as pd

    from analytics.context import Context
    from analytics.demo_build import build_demo_database
    from analytics.flags import FLAG_TYPES, run_all
    from analytics.scores import compute_scores
    from analytics.store import Store

    work = Path(keep or tempfile.mkdtemp(prefix="yanpan-detect-"))
    try:
        results = {}
        for variant, clean in (("planted", False), ("clean", True)):
            db = work / variant
            shutil.rmtree(db, ignore_errors=True)
            build_demo_database(db, seed=seed, clean=clean)
            con = Store(db).open_read()
            ctx = Context(con)
            t0 = time.perf_counter()
            sc = compute_scores(ctx)
            ctx.memo("scores", lambda sc=sc: sc)
            t1 = time.perf_counter()
            fl = run_all(ctx)
            t2 = time.perf_counter()
            key = pd.read_csv(db / "demo_answer_key.csv", dtype=str, keep_default_na=False)
            results[variant] = (evaluate(fl, key), candidates(con), t1 - t0, t2 - t1)
            con.close()
        planted, _, ts, tf = results["planted"]
        clean_rows, n_clean, cs, cf = results["clean"]
        clean_by = {r["flag_type"]: r for r in clean_rows}
        print(f"detection benchmark, city demo seed {seed}")
        print(
            f"{'flag type':<22}{'planted':>8}{'found':>7}{'recall':>8}"
            f"{'outside key':>13}{'clean alarms':>14}{'candidates':>12}{'clean FP %':>11}"
        )
        by = {r["flag_type"]: r for r in planted}
        for ft in FLAG_TYPES:
            r = by.get(ft, {"planted": 0, "found": 0, "recall": float("nan"), "outside_key": 0})
            c = clean_by.get(ft, {"alarms": 0})
            rate = 100 * c["alarms"] / max(n_clean[ft], 1)
            print(
                f"{ft:<22}{r['planted']:>8}{r['found']:>7}{r['recall']:>8.0%}"
                f"{r['outside_key']:>13}{c['alarms']:>14}{n_clean[ft]:>12}{rate:>10.2f}%"
            )
        print(
            f"time planted: scores {ts:.1f} s, flags {tf:.1f} s; "
            f"clean: scores {cs:.1f} s, flags {cf:.1f} s"
        )
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def bench_analytics(db: Path) -> None:
    """Time `scores` then `flags` on a database, each in its own process, cold (no
    precomputed results), with peak memory."""
    shutil.rmtree(db / "derived", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        s, rss, _ = _run(["analytics", "scores", "--db", str(db), "--out", f"{tmp}/s.csv"])
        print(f"scores (cold, computes all results): {s:6.1f} s   peak RSS {rss:5.2f} GB")
        shutil.rmtree(db / "derived", ignore_errors=True)
        s, rss, _ = _run(["analytics", "flags", "--db", str(db), "--out", f"{tmp}/f.csv"])
        print(f"flags  (cold, computes all results): {s:6.1f} s   peak RSS {rss:5.2f} GB")
        s, rss, _ = _run(["analytics", "flags", "--db", str(db), "--out", f"{tmp}/f.csv"])
        print(f"flags  (warm, precomputed)         : {s:6.1f} s   peak RSS {rss:5.2f} GB")


def bench_real(keep: Path | None) -> None:
    """Run every detector on the Eurovision national juries (../shared/real/eurovision) and
    print what they find, for comparison with the literature in its SOURCE.md."""
    import pandas as pd

    from analytics.context import Context
    from analytics.flags import run_all
    from analytics.ingest import import_bundle
    from analytics.real_data import eurovision_bundle
    from analytics.store import Store

    work = Path(keep or tempfile.mkdtemp(prefix="yanpan-real-"))
    try:
        shutil.rmtree(work / "db", ignore_errors=True)
        bundle = eurovision_bundle(work / "bundle")
        import_bundle(bundle, work / "db")
        con = Store(work / "db").open_read()
        t0 = time.perf_counter()
        flags = run_all(Context(con))
        seconds = time.perf_counter() - t0
        con.close()
        alarms = flags[flags["severity"].isin(["warning", "critical"])]
        print(
            f"Eurovision juries 2016–2022: {len(flags)} flags ({len(alarms)} warning or "
            f"critical) in {seconds:.1f} s"
        )
        print(alarms.groupby("flag_type").size().to_string())
        pd.set_option("display.width", 200)
        pd.set_option("display.max_colwidth", 120)
        for ft, g in alarms.groupby("flag_type"):
            print(f"\n== {ft} ==")
            g = g.sort_values("statistic", key=lambda x: -x.abs())
            print(
                g[
                    [
                        "period_id",
                        "subject_id",
                        "unit_id",
                        "rater_group",
                        "severity",
                        "statistic",
                        "p_value",
                        "evidence",
                    ]
                ]
                .head(15)
                .to_string(index=False)
            )
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
    sp = sub.add_parser("detect", help="recall and false positives of every detector")
    sp.add_argument("--seed", type=int, default=7)
    sp.add_argument("--keep", type=Path, help="keep the work folder here")
    sp = sub.add_parser("real", help="the detectors on the Eurovision juries")
    sp.add_argument("--keep", type=Path, help="keep the work folder here")
    sp = sub.add_parser("analytics", help="time scores and flags on a database")
    sp.add_argument("--db", type=Path, required=True)
    args = p.parse_args(argv)
    if args.what == "import":
        bench_import(args.scale, args.keep)
    elif args.what == "detect":
        bench_detect(args.seed, args.keep)
    elif args.what == "real":
        bench_real(args.keep)
    else:
        bench_analytics(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
