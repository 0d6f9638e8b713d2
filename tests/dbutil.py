"""Helpers for tests: tiny databases built by hand, and one detector run as a frame."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.flags import DETECTORS, flags_frame
from analytics.schema import create_current


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict] | pd.DataFrame) -> None:
    """Insert rows (dicts or a frame) into ``table`` by column name."""
    df = pd.DataFrame(rows)
    if df.empty:
        return
    con.register("_rows", df)
    con.execute(f"INSERT INTO {table} ({', '.join(df.columns)}) SELECT * FROM _rows")
    con.unregister("_rows")


def one_area_city(units, unit_type: str) -> duckdb.DuckDBPyConnection:
    """An in-memory database at the current schema with one area holding ``units`` (ids)."""
    con = duckdb.connect(":memory:")
    create_current(con)
    insert(con, "areas", [{"area_id": "01", "name": "第一考察责任区"}])
    where = {"unit_type": unit_type, "area_id": "01"}
    insert(con, "units", [{"unit_id": u, "name": f"单位{u}", **where} for u in units])
    return con


def run(ctx, flag_type: str) -> pd.DataFrame:
    """The flags of one type (its registered detectors only) as a flags frame."""
    from analytics.flags import registry  # noqa: F401  (registers every detector)

    flags = [f for fn in DETECTORS[flag_type] for f in fn(ctx) if f.flag_type == flag_type]
    return flags_frame(flags)
