"""Formula neutralisation (CONTRACT.md §3): every CSV and XLSX the product writes prefixes a
text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return with an
apostrophe, so a spreadsheet shows it as text instead of running it as a formula (OWASP,
"CSV injection").  Numbers are untouched (only text columns are rewritten).  ``import``
reads such a cell back without the apostrophe, so an export round-trips exactly.
"""

from __future__ import annotations

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# DuckDB regular expressions: a text cell that would start a formula, and the same cell
# with the apostrophe an export added
_SQL_TRIGGER = "^[=+@\\t\\r-]"
_SQL_RESTORE = "^''([=+@\\t\\r-])"  # '' is one quote inside a SQL literal


def cell(value):
    """One value as it is written: text that would start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell neutralised (numeric columns untouched)."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            out[c] = col.map(cell, na_action="ignore")
    return out


def sql_neutralise(expr: str) -> str:
    """SQL of a text expression as an export writes it."""
    return f"CASE WHEN regexp_matches({expr}, '{_SQL_TRIGGER}') THEN '''' || {expr} ELSE {expr} END"


def sql_restore(expr: str) -> str:
    """SQL of an imported text cell with an export's apostrophe removed."""
    return f"regexp_replace({expr}, '{_SQL_RESTORE}', '\\1')"
