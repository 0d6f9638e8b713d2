"""SQL files of the product, one concern per file (see the comment at the top of each)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent


@cache
def load_sql(name: str) -> str:
    """The text of ``analytics/sql/<name>.sql``."""
    return (_DIR / f"{name}.sql").read_text(encoding="utf-8")
