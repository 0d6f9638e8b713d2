"""Helpers for tests that build tiny databases by hand."""

from __future__ import annotations

import duckdb
import pandas as pd


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict] | pd.DataFrame) -> None:
    """Insert rows (dicts or a frame) into ``table`` by column name."""
    df = pd.DataFrame(rows)
    if df.empty:
        return
    con.register("_rows", df)
    con.execute(f"INSERT INTO {table} ({', '.join(df.columns)}) SELECT * FROM _rows")
    con.unregister("_rows")
