"""One number formatter for every page, evidence sentence, summary and export.

Each function takes the value and the language and returns display text; a missing value
(None, NaN, ±inf) is the dash ``—`` everywhere (never ``None`` or ``nan``).  The rules:

* **p-values** ``p``: ``< 0.0001`` below 1e-4 (never scientific notation), four decimals
  below 0.01, else three (0.0312, 0.214).
* **shares** ``pct``: a fraction 0–1 shown as a percentage with one decimal (``12.5%``).
* **differences of shares** ``pp``: percentage points, signed (``+9.0 pp`` / ``+9.0个百分点``),
  never ``%``: a share rising from 10 % to 19 % rose by 9 points, not by 90 %.
* **counts** ``count``: integers with thousands separators (``1,234``).
* **scores** ``score``: 0–100 composites and channels with one decimal; ``signed`` adds the
  sign for changes and gaps.
* **effects** ``effect``: an effect size with two significant decimals, signed.
* **small** ``small``: an expected count or probability in a sentence, two significant
  digits, ``< 0.0001`` rather than scientific notation.

Chinese and English share the digits; only the unit words differ.
"""

from __future__ import annotations

import math
from typing import Any

DASH = "—"


def missing(x: Any) -> bool:
    """True for None, NaN, ±inf and pandas' NA."""
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


def p(x: Any, lang: str = "en") -> str:
    """A p-value: '< 0.0001', four decimals below 0.01, else three; '—' without a test."""
    if missing(x):
        return DASH
    x = float(x)
    if x < 1e-4:
        return "< 0.0001"
    return f"{x:.4f}" if x < 0.01 else f"{x:.3f}"


def p_rel(x: Any, lang: str = "en") -> str:
    """A p-value after the letter p: '= 0.0123' or '< 0.0001'."""
    text = p(x, lang)
    return text if text.startswith("<") or text == DASH else f"= {text}"


def p_phrase(x: Any, lang: str = "en", adjusted: bool = True) -> str:
    """'adjusted p < 0.0001' / '校正后p<0.0001' for a sentence."""
    text = p(x, lang)
    if lang == "zh":
        head = "校正后p" if adjusted else "p"
        return f"{head}{text.replace(' ', '')}" if text.startswith("<") else f"{head}={text}"
    head = "adjusted p" if adjusted else "p"
    return f"{head} {text}" if text.startswith("<") else f"{head} = {text}"


def pct(x: Any, lang: str = "en", digits: int = 1) -> str:
    """A share 0–1 as a percentage: 0.125 → '12.5%'."""
    if missing(x):
        return DASH
    return f"{float(x) * 100:.{digits}f}%"


def pp(x: Any, lang: str = "en", digits: int = 1, signed: bool = True) -> str:
    """A difference of two shares (fractions) in percentage points, signed unless the
    sentence gives the direction itself (``signed=False``)."""
    if missing(x):
        return DASH
    v = float(x) * 100
    unit = "个百分点" if lang == "zh" else " pp"
    return f"{v:+.{digits}f}{unit}" if signed else f"{abs(v):.{digits}f}{unit}"


def count(x: Any, lang: str = "en") -> str:
    """An integer count with thousands separators."""
    if missing(x):
        return DASH
    return f"{round(float(x)):,}"


def score(x: Any, lang: str = "en", digits: int = 1) -> str:
    """A 0–100 score (composite, channel) with one decimal."""
    if missing(x):
        return DASH
    return f"{float(x):.{digits}f}"


def signed(x: Any, lang: str = "en", digits: int = 1) -> str:
    """A change or gap in score points, signed: '+3.2', '−1.0' (a true minus sign)."""
    if missing(x):
        return DASH
    text = f"{float(x):+.{digits}f}"
    return text.replace("-", "−")


def effect(x: Any, lang: str = "en") -> str:
    """An effect size, signed, two decimals."""
    if missing(x):
        return DASH
    return f"{float(x):+.2f}".replace("-", "−")


def small(x: Any, lang: str = "en") -> str:
    """An expected count or probability in a sentence: two significant digits."""
    if missing(x):
        return DASH
    x = float(x)
    return "< 0.0001" if 0 <= x < 1e-4 else f"{x:.2g}"


def number(x: Any, lang: str = "en", digits: int = 2) -> str:
    """Any other number: integers with separators, else ``digits`` decimals; tiny values as
    '< 0.0001' (a display never shows scientific notation)."""
    if missing(x):
        return DASH
    if isinstance(x, bool):
        return str(x)
    v = float(x)
    if float(v).is_integer() and abs(v) < 1e15 and not isinstance(x, float):
        return f"{int(v):,}"
    if v != 0 and abs(v) < 10 ** (-digits) / 2:
        return "< 0.0001" if abs(v) < 1e-4 else f"{v:.4f}"
    return f"{v:,.{digits}f}"


def text(x: Any) -> str:
    """A value shown as text: '—' for missing, never 'None' or 'nan'."""
    if x is None:
        return DASH
    if isinstance(x, float) and math.isnan(x):
        return DASH
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return DASH
    except ImportError:  # pragma: no cover
        pass
    s = str(x)
    return DASH if s in ("", "None", "nan", "NaN", "<NA>") else s


# printf-style formats for st.column_config.NumberColumn, matching the functions above
# (``pct`` and ``pp`` columns hold percentage points: a table helper multiplies the fractions)
COLUMN_FORMATS = {
    "score": "%.1f",
    "signed": "%+.1f",
    "count": "localized",
    "int": "%d",
    "effect": "%+.2f",
    "pct": "%.1f%%",
    "pp": "%+.1f pp",
}
