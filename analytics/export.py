"""Export: write the database back out as an import bundle (one CSV per table).

Rows are ordered by key so the same content always gives the same bytes; dates are ISO
8601, timestamps ISO 8601 with their offset in the database's time zone (Asia/Shanghai),
numbers in DuckDB's shortest round-trip form, empty cells for missing values.  Importing
the bundle into an empty database gives identical content, and exporting that gives
identical files.
"""

from __future__ import annotations

from pathlib import Path

from analytics import csvsafe
from analytics.errors import UsageError
from analytics.schema import TABLE_ORDER, TABLES
from analytics.store import Store


def _column_sql(name: str, type_: str) -> str:
    if type_ == "timestamp":
        return (
            f"regexp_replace(strftime({name}, '%Y-%m-%dT%H:%M:%S') || CASE WHEN "
            f"microsecond({name}) % 1000000 <> 0 THEN strftime({name}, '.%f') ELSE '' END "
            f"|| strftime({name}, '%z'), '([+-][0-9]{{2}})$', '\\1:00') AS {name}"
        )
    if type_ == "text":
        return f"{csvsafe.sql_neutralise(name)} AS {name}"
    return name


def export_bundle(db: Path | str, out: Path | str) -> dict[str, int]:
    """Write every table of ``db`` to ``out/<table>.csv``; return rows per table."""
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: this is a file; give a folder for the bundle")
    store = Store(db)
    con = store.open_read()
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    try:
        for name in TABLE_ORDER:
            t = TABLES[name]
            cols = ", ".join(_column_sql(c.name, c.type) for c in t.columns)
            order = ", ".join(t.key or t.column_names)
            target = str(out / f"{name}.csv").replace("'", "''")
            con.execute(
                f"COPY (SELECT {cols} FROM {name} ORDER BY {order}) TO '{target}' "
                "(HEADER, DELIMITER ',', QUOTE '\"', ESCAPE '\"')"
            )
            counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    finally:
        con.close()
    return counts
