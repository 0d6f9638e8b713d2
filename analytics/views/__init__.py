"""Read models of the dashboard: the queries behind every page, as plain functions.

A page never holds SQL or statistics; it calls ``fn(con, *args)`` from a module here
(through ``st_adapter.query``, which caches the result per data version).  ``con`` is a
read-only connection on the current snapshot with the precomputed results of
:mod:`analytics.results` attached as schema ``r`` (``r.scores``, ``r.flags``, ...), so one
query can join the raw tables with the analysis.  Values are always bound as parameters.

Outside Streamlit (tests, benchmarks) open the same connection with :func:`connect_views`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics import results
from analytics.status import periods  # noqa: F401  (the period filter's choices)
from analytics.store import Store, connect


def connect_views(store: Store) -> duckdb.DuckDBPyConnection:
    """The snapshot read-only, with the results of this snapshot attached as ``r``."""
    path = results.ensure_results(store)
    return attach_results(connect(store.require(), read_only=True), path)


def attach_results(con: duckdb.DuckDBPyConnection, path) -> duckdb.DuckDBPyConnection:
    """Attach the results file as ``r``.  DuckDB shares one database instance per file in a
    process, so another connection to the same snapshot may have attached ``r`` already:
    keep it when it is this file, swap it when it is an older analysis."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'r'").fetchone()
    if row is not None and Path(row[0]).resolve() == Path(path).resolve():
        return con
    if row is not None:
        con.execute("DETACH r")
    con.execute("ATTACH ? AS r (READ_ONLY)", [str(path)])
    return con


def period_label(period_id: str, label: str | None, lang: str) -> str:
    """The period's label in Chinese; its code (e.g. 2026Q3) in English."""
    return (label or period_id) if lang == "zh" else period_id


def page_link(page: str, name: str | None = None, **params: str | None) -> dict[str, Any]:
    """A link to another page as plain data, for a link column of a table (the adaptor turns
    it into a URL carrying the shared filters): ``page``, the ``name`` the cell shows, and
    the filters it sets (``unit=``, ``cadre=``, ``period=``)."""
    return {"page": page, "name": name, **params}


def rank_text(rank: Any, peers: Any, interval: Any, lang: str) -> str | None:
    """'21/22 (18–22)': rank among the peers and the rank interval, one table cell."""
    from analytics import fmt, i18n

    if fmt.missing(rank):
        return None
    n = fmt.text(int(peers) if not fmt.missing(peers) else None)
    values = {"rank": int(rank), "n": n, "interval": fmt.text(interval)}
    return i18n.t("score.rank_of_value", lang, **values)


def with_rank_text(df: pd.DataFrame, lang: str, rank: str = "rank") -> pd.DataFrame:
    """``df`` with ``rank_text`` from its ``rank`` (or the named column), ``peer_size`` and
    ``rank_interval``."""
    cells = zip(df[rank], df["peer_size"], df["rank_interval"], strict=True)
    return df.assign(rank_text=[rank_text(r, n, i, lang) for r, n, i in cells])


# ---- the filter choices ----------------------------------------------------------------
def areas(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(area_id, name) in id order."""
    return con.execute("SELECT area_id, name FROM areas ORDER BY area_id").fetchall()


def units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every unit: unit_id, name, unit_type, area_id, area_name."""
    return con.execute(
        "SELECT u.unit_id, u.name, u.unit_type, u.area_id, a.name AS area_name "
        "FROM units u LEFT JOIN areas a USING (area_id) ORDER BY u.unit_id"
    ).df()


def cadres(con: duckdb.DuckDBPyConnection, unit_id: str | None = None) -> pd.DataFrame:
    """Cadres (of one unit, or all): cadre_id, name, unit_id, unit_name, position, role,
    tier; principal first, then deputies, then members, then other tiers."""
    return con.execute(
        "SELECT c.cadre_id, c.name, c.unit_id, u.name AS unit_name, c.position, c.role, "
        "c.tier FROM cadres c LEFT JOIN units u USING (unit_id) "
        "WHERE ? IS NULL OR c.unit_id = ? "
        "ORDER BY c.unit_id, c.tier = 'team' DESC, "
        "CASE c.role WHEN 'principal' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, c.cadre_id",
        [unit_id, unit_id],
    ).df()
