"""What the database holds: counts, channel coverage per period, import history.

Channels are the evidence sources of DOMAIN.md.  A unit "has" a channel in a period when at
least one row of that channel concerns it (for superior opinions and self-assessments, rows
about the team or about one of its cadres).
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from analytics.sql import load_sql

CHANNELS = (
    "ballots",
    "performance",
    "surveys",
    "third_party",
    "superior_opinions",
    "self_assessments",
    "verifications",
    "talks",
)


def overview_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Numbers of areas, units, cadres, periods and ballot sheets."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM areas), (SELECT count(*) FROM units), "
        "(SELECT count(*) FROM cadres), (SELECT count(*) FROM periods), "
        "(SELECT count(DISTINCT ballot_id) FROM ballots)"
    ).fetchone()
    return dict(zip(("areas", "units", "cadres", "periods", "sheets"), row, strict=True))


def channel_coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per period × channel: units covered, all units, coverage share, rows."""
    return con.execute(load_sql("unit_channels") + load_sql("coverage")).df()


def missing_channels(con: duckdb.DuckDBPyConnection, period_id: str) -> pd.DataFrame:
    """Units lacking at least one channel in a period, with the list of missing channels."""
    return con.execute(load_sql("unit_channels") + load_sql("missing_channels"), [period_id]).df()


def import_history(con: duckdb.DuckDBPyConnection, lang: str = "en") -> pd.DataFrame:
    """Every import, newest first, with rows per table (table names in Chinese when
    ``lang`` is zh) and warnings decoded."""
    from analytics.schema import TABLES

    def name(table: str) -> str:
        spec = TABLES.get(table)
        return spec.label_zh if lang == "zh" and spec is not None and spec.label_zh else table

    df = con.execute(
        "SELECT import_id, loaded_at, source, kind, tables, warnings FROM import_log "
        "ORDER BY import_id DESC"
    ).df()
    df["tables"] = [
        ", ".join(f"{name(k)} {v:,}" for k, v in json.loads(x).items()) for x in df["tables"]
    ]
    df["warnings"] = [len(json.loads(x)) for x in df["warnings"]]
    return df


def periods(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(period_id, label) in time order."""
    return con.execute(
        "SELECT period_id, label FROM periods ORDER BY start_date, period_id"
    ).fetchall()
