"""``python -m analytics <command>``: the command-line interface of CONTRACT.md §2.

Every user mistake ends in one clear message and a non-zero exit, never a traceback
(set ``YANPAN_DEBUG=1`` to see the traceback of an unexpected internal error).
Exit codes: 0 success, 1 bad arguments / unreadable database, 2 bundle rejected,
3 unexpected internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

from analytics.errors import UsageError, YanpanError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage dump
        self.exit(1, f"error: {message} (see `{self.prog} --help`)\n")


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None

    def show(fraction: float, message: str) -> None:
        print(f"\r{fraction:4.0%} {message:<40}", end="", file=sys.stderr, flush=True)
        if fraction >= 1:
            print(file=sys.stderr)

    return show


def cmd_import(args) -> int:
    from analytics.ingest import import_bundle

    t0 = time.perf_counter()
    result = import_bundle(args.bundle, args.db, progress=_progress(args.quiet))
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"imported {Path(args.bundle).name} into {args.db} in {time.perf_counter() - t0:.1f} s:")
    for table, n in result.counts.items():
        print(f"  {table:<18} {n:>10,} rows")
    return 0


def cmd_export(args) -> int:
    from analytics.export import export_bundle

    counts = export_bundle(args.db, args.out)
    print(f"exported {sum(counts.values()):,} rows in {len(counts)} tables to {args.out}")
    return 0


def cmd_demo(args) -> int:
    from analytics.demo_build import build_demo_database

    t0 = time.perf_counter()
    info = build_demo_database(
        args.db, seed=args.seed, scale=args.scale, clean=args.clean, progress=_progress(args.quiet)
    )
    print(
        f"built the {'clean ' if args.clean else ''}{args.scale} demo (seed {args.seed}) "
        f"in {args.db} in {time.perf_counter() - t0:.1f} s:"
    )
    for table, n in info.counts.items():
        print(f"  {table:<18} {n:>10,} rows")
    print(f"answer key: {info.answer_key_path} ({info.planted} planted effects)")
    return 0


def _check_period(store, period: str | None) -> None:
    if period is None:
        return
    con = store.open_read()
    try:
        known = [
            r[0]
            for r in con.execute("SELECT period_id FROM periods ORDER BY start_date").fetchall()
        ]
    finally:
        con.close()
    if period not in known:
        raise UsageError(
            f"--period {period}: no such period (the database has: {', '.join(known) or 'none'})"
        )


def _write_csv(frame, out: Path) -> None:
    out = Path(out).expanduser()
    if out.is_dir():
        raise UsageError(f"--out {out}: this is a folder; give a file name such as scores.csv")
    if not out.parent.exists():
        raise UsageError(f"--out {out}: the folder {out.parent} does not exist")
    from analytics import csvsafe

    csvsafe.frame(frame).to_csv(out, index=False, encoding="utf-8", float_format="%.6g")


def _results(args, table: str):
    """The precomputed result table for ``--db`` (and ``--period``), computing if needed."""
    from analytics import results
    from analytics.store import Store

    store = Store(args.db)
    store.require()
    _check_period(store, args.period)
    return results.read(store, table, args.period)


def cmd_scores(args) -> int:
    from analytics.scores import BASIS_COLUMNS, EXTRA_COLUMNS, SCORE_COLUMNS
    from analytics.scores_flagged import OUTPUT_COLUMNS

    t0 = time.perf_counter()
    df = _results(args, "scores")
    cols = (
        SCORE_COLUMNS
        + [c for c in EXTRA_COLUMNS if not c.startswith("z_") and c not in BASIS_COLUMNS]
        + [c for c in OUTPUT_COLUMNS if c in df.columns]
    )
    _write_csv(df[cols], args.out)
    print(f"wrote {len(df):,} scores to {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


def cmd_flags(args) -> int:
    from analytics.flags import FLAG_COLUMNS

    t0 = time.perf_counter()
    df = _results(args, "flags")
    _write_csv(df[FLAG_COLUMNS + ["evidence_zh"]], args.out)
    counts = df["severity"].value_counts().to_dict()
    print(
        f"wrote {len(df):,} flags to {args.out} in {time.perf_counter() - t0:.1f} s "
        f"(critical {counts.get('critical', 0)}, warning {counts.get('warning', 0)}, "
        f"info {counts.get('info', 0)})"
    )
    return 0


def cmd_teams(args) -> int:
    from analytics.teams import teams_frame

    t0 = time.perf_counter()
    df = teams_frame(
        _results(args, "team_health"), _results(args, "scores"), _results(args, "flags")
    )
    _write_csv(df, args.out)
    counts = df["verdict"].value_counts().to_dict()
    print(
        f"wrote {len(df):,} team verdicts to {args.out} in {time.perf_counter() - t0:.1f} s "
        f"(concern {counts.get('concern', 0)}, watch {counts.get('watch', 0)}, "
        f"good {counts.get('good', 0)})"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m analytics", description="Yanpan data commands (see docs/CONTRACT.md)."
    )
    sub = p.add_subparsers(
        dest="command",
        required=True,
        parser_class=_Parser,
        metavar="{demo,import,export-bundle,scores,flags,teams}",
    )

    def db_arg(sp):
        sp.add_argument(
            "--db", required=True, type=Path, help="database folder (created by import or demo)"
        )
        sp.add_argument("--quiet", action="store_true", help="no progress display")

    sp = sub.add_parser("import", help="validate and load a bundle, all or nothing")
    sp.add_argument("bundle", type=Path, help="folder of CSV files, .zip or .xlsx")
    db_arg(sp)
    sp.set_defaults(func=cmd_import)

    sp = sub.add_parser("export-bundle", help="write the database out as a bundle")
    db_arg(sp)
    sp.add_argument("--out", required=True, type=Path, help="folder to write CSV files to")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("demo", help="build a realistic demo database (replaces its content)")
    db_arg(sp)
    sp.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    sp.add_argument("--scale", choices=("city", "province"), default="city")
    sp.add_argument("--clean", action="store_true", help="plant no anomalies (empty answer key)")
    sp.set_defaults(func=cmd_demo)

    for name, func, what in (
        ("scores", cmd_scores, "composite scores, one row per subject and period"),
        ("flags", cmd_flags, "every anomaly and bias flag"),
        ("teams", cmd_teams, "team verdicts with their reasons, flags and standing"),
    ):
        sp = sub.add_parser(name, help=what)
        db_arg(sp)
        sp.add_argument("--period", help="one period_id (default: every period)")
        sp.add_argument("--out", required=True, type=Path, help="CSV file to write")
        sp.set_defaults(func=func)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help, or a bad argument already reported in one line
        return int(e.code or 0)
    try:
        return args.func(args)
    except YanpanError as e:
        print(f"error: {e}" if e.exit_code != 2 else str(e), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interrupted; the database is unchanged", file=sys.stderr)
        return 130
    except Exception as e:  # an internal error: one line unless debugging
        if os.environ.get("YANPAN_DEBUG"):
            traceback.print_exc()
        else:
            print(
                f"internal error: {type(e).__name__}: {e} (set YANPAN_DEBUG=1 for the traceback)",
                file=sys.stderr,
            )
        return 3
