"""Precomputed analytics: everything the pages and the ``scores`` / ``flags`` commands need,
computed once per snapshot and configuration and kept in a sidecar DuckDB file.

``<db>/derived/<snapshot>-<config hash>.duckdb`` holds the tables ``scores``, ``flags``
(details as JSON; with each flag's registry facts: ``source``, ``config_section``,
``evidence_kind``), ``reliability``, ``team_health``, ``team_health_reasons``, the rater
model's ``rater_groups``, ``rater_items``, ``rater_subjects`` and ``sheet_fit``, the shared
marts of :data:`MATERIALISED_MARTS` (analytics/sql/marts), and ``timings``.  It is
written to a temporary file and renamed into place, so a reader sees either nothing or a
complete file; a lock keeps two processes from computing the same file at once.  A new
import (new snapshot) or a changed configuration (new hash) means a new file; stale files
are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import time
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from analytics import config
from analytics.store import Store, connect

RESULT_TABLES = (
    "scores",
    "changes",
    "flags",
    "reliability",
    "team_health",
    "team_health_reasons",
    "rater_groups",
    "rater_items",
    "rater_subjects",
    "sheet_fit",
)
# marts (analytics/sql/marts) every reader shares, materialised with the results so the
# views read the one definition instead of recomputing it (the sheet-level marts are large
# and only the analysis needs them)
MATERIALISED_MARTS = ("unit_satisfaction", "group_sessions")


@functools.cache
def _code_digest() -> str:
    """The analysis code itself: a new release recomputes results made by an older one."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    # the evidence templates are rendered into the results, so they count as analysis code
    files = [*root.glob("**/*.py"), *root.glob("sql/**/*.sql"), root / "locales" / "evidence.toml"]
    for f in sorted(files):
        if f.parts[-2] != "views" and f.name not in (
            "st_adapter.py",
            "bench.py",
            "cli.py",
            "i18n.py",
        ):
            h.update(str(f.relative_to(root)).encode() + f.read_bytes())
    return h.hexdigest()


def config_hash() -> str:
    """Configuration and analysis code, hashed: either changing means new results."""
    blob = json.dumps(config.settings(), sort_keys=True, default=str) + _code_digest()
    return hashlib.sha256(blob.encode()).hexdigest()[:10]


def results_path(store: Store) -> Path:
    snap = store.require()
    return store.root / "derived" / f"{snap.stem}-{config_hash()}.duckdb"


def compute(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every result frame for every period of the database, with timings."""
    # imported here: the dashboard only reads results (and computes them in a child
    # process), so it never pays for importing scipy's statistics
    from analytics import flags, rater_model, reliability, scores, scores_flagged, team_health
    from analytics.changes import change_table
    from analytics.context import Context

    ctx = Context(con)
    timings = {}
    t0 = time.perf_counter()
    sc = scores.compute_scores(ctx)
    ctx.memo("scores", lambda: sc)
    fit = rater_model.sheet_fit(ctx)
    timings["scores"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rel = reliability.session_reliability(con, ctx=ctx)
    timings["reliability"] = time.perf_counter() - t0
    # the big ballot marts have served the scores and the rater model; the detectors run
    # their own aggregations, so free them before the flags (province scale: ~1 GB)
    ctx.release("cells", "sheet_subject", "sheet_adjusted")
    t0 = time.perf_counter()
    fl = flags.run_all(ctx)
    timings["flags"] = time.perf_counter() - t0
    # the composite again without the sheets those flags set aside (analytics.scores_flagged)
    t0 = time.perf_counter()
    sc = scores_flagged.add_flag_aware(ctx, sc, fl)
    ctx.release("scores")
    ctx.memo("scores", lambda: sc)
    changes = change_table(sc, ctx.all_period_ids)
    timings["scores_flagged"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    health, reasons = team_health.team_health_with_reasons(ctx, scores=sc, flags=fl)
    timings["team_health"] = time.perf_counter() - t0
    # the registry's facts a reader needs beside each flag, so the pages (which never import
    # the detectors) reach the code, the settings and the evidence kind in one hop
    from analytics.flags.registry import SPECS

    fl = fl.assign(
        source=[SPECS[ft].source for ft in fl["flag_type"]],
        config_section=[SPECS[ft].config for ft in fl["flag_type"]],
        evidence_kind=[SPECS[ft].evidence for ft in fl["flag_type"]],
    )
    fl = fl.assign(
        details=[json.dumps(d, ensure_ascii=False, default=_json_default) for d in fl["details"]]
    )
    return {
        "scores": sc,
        "changes": changes,
        "flags": fl,
        "reliability": rel,
        "team_health": health,
        "team_health_reasons": reasons,
        "rater_groups": rater_model.groups(ctx),
        "rater_items": rater_model.items(ctx),
        "rater_subjects": rater_model.subjects(ctx),
        "sheet_fit": fit,
        **{name: ctx.mart(name) for name in MATERIALISED_MARTS},
        "timings": pd.DataFrame([timings]),
    }


def _json_default(o):
    if hasattr(o, "item"):
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    return str(o)


def ensure_results(store: Store) -> Path:
    """The results file of the current snapshot, computing it if needed."""
    path = results_path(store)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            if path.exists():
                return path
            # the analysis holds pandas frames besides DuckDB: give DuckDB less of the budget
            con = store.open_read(str(config.get("database", "analysis_memory_limit")))
            try:
                frames = compute(con)
            finally:
                con.close()
            tmp = path.with_name(f"tmp-{uuid.uuid4().hex[:8]}.duckdb")
            out = connect(tmp, read_only=False)
            try:
                for name, frame in frames.items():
                    out.register("_frame", frame)
                    out.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")
                    out.unregister("_frame")
                out.execute("CHECKPOINT")
            finally:
                out.close()
            tmp.replace(path)
            for old in path.parent.glob("*.duckdb"):
                if old != path:
                    with contextlib.suppress(OSError):
                        old.unlink()
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return path


def read(store: Store, table: str, period_id: str | None = None) -> pd.DataFrame:
    """One result table (optionally one period), computing the results if needed."""
    if table not in RESULT_TABLES + MATERIALISED_MARTS + ("timings",):
        raise ValueError(table)
    path = ensure_results(store)
    con = connect(path, read_only=True)
    try:
        if period_id is None:
            return con.execute(f"SELECT * FROM {table}").df()
        # flags that pool every period (period_id empty) concern the asked period too
        return con.execute(
            f"SELECT * FROM {table} WHERE period_id = ? OR period_id IS NULL", [period_id]
        ).df()
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m analytics.results DB``: compute the analysis of DB's current snapshot.

    The dashboard runs this in a child process, so the analysis has its own memory (it
    peaks at several GB for a province) and its own connection settings."""
    import sys

    from analytics.errors import YanpanError

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m analytics.results DB", file=sys.stderr)
        return 1
    try:
        print(ensure_results(Store(args[0])))
    except YanpanError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
