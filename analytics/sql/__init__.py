"""SQL files of the product, one concern per file (see the comment at the top of each).

* ``staging/`` — one view of each raw table: renamed, cast and put on 0–100 from each item's
  own scale.  Nothing else reads the raw tables for those quantities.
* ``marts/`` — one business table per concern (sheets, rater-group sessions, unit
  satisfaction, ...), each a chain of named CTEs with a header saying its grain, units and
  meaning.  Scores, detectors, team health and the views all read these.
* top level — the import-status queries (coverage, missing channels).

Templating is deliberately small: ``{{ ref('name') }}`` inlines another staging or mart
file as a subquery, ``{{ periods }}`` is the analysed periods (a ``$periods`` list
parameter), ``{{ scale_min('table.column') }}`` / ``{{ scale_max(...) }}`` are the
bounds the import schema declares for a column, so a scale is written down once, and
``{{ set_aside }}`` (in stg_ballots only) is empty, or, for the flag-aware scores, a filter
that leaves out the sheets listed in the registered frame ``_set_aside_sheets`` (period_id,
ballot_id).  Values always travel as parameters or registered frames, never as text.
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


SET_ASIDE_TABLE = "_set_aside_sheets"
SET_ASIDE = (
    f"AND NOT EXISTS (SELECT 1 FROM {SET_ASIDE_TABLE} x "
    "WHERE x.period_id = b.period_id AND x.ballot_id = b.ballot_id)"
)


@cache
def mart_sql(name: str, set_aside: bool = False) -> str:
    """The SQL of a staging or mart file with its references resolved (a query that takes
    ``$periods`` when it or what it references reads ``{{ periods }}``).  With
    ``set_aside`` the ballots read leave out the sheets of ``_set_aside_sheets``."""

    def sub(m: re.Match) -> str:
        tag, arg = m.group(1), m.group(2)
        if tag == "ref":
            return f"(\n{mart_sql(arg, set_aside)}\n) AS {arg}"
        if tag == "periods":
            return PERIODS
        if tag == "set_aside":
            return SET_ASIDE if set_aside else ""
        if tag in ("scale_min", "scale_max"):
            return _bound(tag, arg)
        raise KeyError(f"unknown template tag {tag!r}")

    text = "\n".join(
        line for line in load_sql(_path(name)).splitlines() if not line.startswith("--")
    )
    return _TAG.sub(sub, text).strip()
