"""No analytics module over 700 lines: modules are split by concern (the demo's name lists,
pure data, are exempt)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 700
EXEMPT = {"analytics/demo_names.py"}  # name lists: data, may grow


def _sizes() -> dict[str, int]:
    return {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in sorted(ROOT.glob("analytics/**/*.py"))
    }


def test_no_analytics_module_over_the_limit():
    over = {f: n for f, n in _sizes().items() if n > MAX_LINES and f not in EXEMPT}
    assert not over, f"analytics modules over {MAX_LINES} lines (split them by concern): {over}"
