"""Import: stage a bundle, validate it, and upsert it into a new snapshot, all or nothing.

The staging tables live in a scratch DuckDB file attached as ``stage`` (deleted afterwards),
so a rejected bundle never touches the snapshot and a loaded one leaves no staging bloat.

A rejection's reasons are structured (:class:`analytics.reasons.Reason`: a reason code and
its values, English as text): the validation rules build them so, and the reader's problems
(a file that cannot be read, a header without a required column ...) get their codes here.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from analytics import reasons, validate
from analytics.bundle import Staged, stage_bundle, stage_frames
from analytics.problems import Rejection
from analytics.schema import TABLE_ORDER, TABLES, Table
from analytics.store import Store, log_import

Progress = Callable[[float, str], None]


@dataclass
class ImportResult:
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    snapshot: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def _typed(table: Table, present: list[str]) -> str:
    casts = {"int": "BIGINT", "float": "DOUBLE", "date": "DATE", "timestamp": "TIMESTAMPTZ"}
    exprs = []
    for c in table.columns:
        raw = c.name if c.name in present else "NULL"
        if c.default is not None:
            raw = f"coalesce({raw}, '{c.default}')"
        exprs.append(f"CAST({raw} AS {casts[c.type]})" if c.type in casts else raw)
    return ", ".join(exprs)


def load(con: duckdb.DuckDBPyConnection, staged: Staged) -> dict[str, int]:
    """Upsert every staged table into the main tables (inside one transaction)."""
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for name in TABLE_ORDER:
            src = staged.sources.get(name)
            if src is None:
                continue
            table = TABLES[name]
            key = table.upsert_key
            if con.execute(f"SELECT EXISTS (SELECT 1 FROM main.{name})").fetchone()[0]:
                on = " AND ".join(f"t.{k} = k.{k}" for k in key)
                con.execute(
                    f"DELETE FROM main.{name} AS t USING (SELECT DISTINCT "
                    f"{', '.join(key)} FROM stage.{name}) AS k WHERE {on}"
                )
            con.execute(
                f"INSERT INTO main.{name} SELECT {_typed(table, src.columns)} FROM stage.{name}"
            )
            counts[name] = src.n_rows
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def structured(rejection: Rejection) -> Rejection:
    """The same rejection with every reason structured (the reader writes English text)."""
    problems = [replace(p, reason=reasons.structure(p.rule, p.reason)) for p in rejection.problems]
    return Rejection(problems, rejection.warnings, rejection.totals)


def _attach_stage(con: duckdb.DuckDBPyConnection, scratch: Path) -> None:
    path = str(scratch / "stage.duckdb").replace("'", "''")
    con.execute(f"ATTACH '{path}' AS stage")


def _run(
    db: Path | str,
    kind: str,
    source: str,
    stage: Callable[[duckdb.DuckDBPyConnection, Path], Staged],
    progress: Progress | None,
    fresh: bool = False,
) -> ImportResult:
    store = Store(db)
    existed = store.root.exists()
    note = progress or (lambda f, m: None)
    seconds: dict[str, float] = {}
    try:
        store.root.mkdir(parents=True, exist_ok=True)
        (store.root / "tmp").mkdir(exist_ok=True)
        with (
            tempfile.TemporaryDirectory(dir=store.root / "tmp") as scratch_dir,
            store.write(kind, source, fresh=fresh) as con,
        ):
            scratch = Path(scratch_dir)
            _attach_stage(con, scratch)
            t0 = time.perf_counter()
            note(0.05, "reading")
            try:
                staged = stage(con, scratch)
            except Rejection as r:
                raise structured(r) from None
            t1 = time.perf_counter()
            note(0.5, "validating")
            validate.validate(con, staged)
            t2 = time.perf_counter()
            note(0.7, "loading")
            counts = load(con, staged)
            log_import(con, kind, source, counts, staged.warnings)
            con.execute("DETACH stage")
            t3 = time.perf_counter()
            seconds = {"read": t1 - t0, "validate": t2 - t1, "load": t3 - t2}
        note(1.0, "done")
    except BaseException:
        if not existed:
            shutil.rmtree(store.root, ignore_errors=True)
        raise
    return ImportResult(counts, staged.warnings, store.require().name, seconds)


def import_bundle(
    bundle: Path | str, db: Path | str, progress: Progress | None = None
) -> ImportResult:
    """Validate and load a bundle into ``db``; raise Rejection (database unchanged) if bad."""
    bundle = Path(bundle).expanduser()
    return _run(
        db, "import", bundle.name, lambda con, scratch: stage_bundle(con, bundle, scratch), progress
    )


def import_frames(
    frames: Iterable[tuple[str, pd.DataFrame]],
    db: Path | str,
    kind: str,
    source: str,
    progress: Progress | None = None,
    fresh: bool = False,
) -> ImportResult:
    """Load in-memory frames (e.g. the demo generator's chunks) through the same checks;
    ``fresh`` replaces the database's content instead of upserting into it."""

    def stage(con: duckdb.DuckDBPyConnection, scratch: Path) -> Staged:
        staged = Staged()
        for table, frame in frames:
            stage_frames(con, staged, table, frame, f"{source}:{table}")
        return staged

    return _run(db, kind, source, stage, progress, fresh)
