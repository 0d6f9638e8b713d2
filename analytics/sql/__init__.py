"""SQL files of the product, one concern per file (see the comment at the top of each).

* ``staging/`` — one view of each raw table: renamed, cast and put on 0–100 from each item's
  own scale.  Nothing else reads the raw tables for those quantities.
* ``marts/`` — one business table per concern (sheets, rater-group sessions, unit
  satisfaction, ...), each a chain of named CTEs with a header saying its grain, units and
  meaning.  Scores, detectors, team health and the views all read these.
* top level — the import-status queries (coverage, missing channels).

Templating is deliberately small: ``{{ ref('name') }}`` inlines another staging or mart
file as a subquery, ``{{ periods }}`` is the analysed periods (a ``$periods`` list
parameter), and ``{{ scale_min('table.column') }}`` / ``{{ scale_max(...) }}`` are the
bounds the import schema declares for a column, so a scale is written down once.  Values
always travel as parameters, never as text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent
PERIODS = "(SELECT unnest($periods::VARCHAR[]))"
_TAG = re.compile(r"\{\{\s*(\w+)(?:\(\s*'([\w.]+)'\s*\))?\s*\}\}")
MARTS = tuple(sorted(p.stem for p in (_DIR / "marts").glob("*.sql")))


@cache
def load_sql(name: str) -> str:
    """The text of ``analytics/sql/<name>.sql``."""
    return (_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _path(name: str) -> str:
    for sub in ("staging", "marts"):
        if (_DIR / sub / f"{name}.sql").exists():
            return f"{sub}/{name}"
    raise KeyError(f"no staging or mart SQL named {name!r}")


def _bound(which: str, spec: str) -> str:
    from analytics import schema

    table, column = spec.split(".")
    col = next(c for c in schema.TABLES[table].columns if c.name == column)
    value = col.lo if which == "scale_min" else col.hi
    if value is None:
        raise KeyError(f"{spec} declares no {which}")
    return repr(float(value))


@cache
def mart_sql(name: str) -> str:
    """The SQL of a staging or mart file with its references resolved (a query that takes
    ``$periods`` when it or what it references reads ``{{ periods }}``)."""

    def sub(m: re.Match) -> str:
        tag, arg = m.group(1), m.group(2)
        if tag == "ref":
            return f"(\n{mart_sql(arg)}\n) AS {arg}"
        if tag == "periods":
            return PERIODS
        if tag in ("scale_min", "scale_max"):
            return _bound(tag, arg)
        raise KeyError(f"unknown template tag {tag!r}")

    text = "\n".join(
        line for line in load_sql(_path(name)).splitlines() if not line.startswith("--")
    )
    return _TAG.sub(sub, text).strip()
