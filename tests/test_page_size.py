"""Pages stay thin: layout only, the rest lives in analytics (issue 8, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

MAX_LINES = 250
PAGES = sorted((Path(__file__).resolve().parents[1] / "pages").glob("*.py"))


def test_there_are_pages():
    assert len(PAGES) >= 6


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_page_file_is_at_most_250_lines(page):
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{page.name} has {lines} lines (at most {MAX_LINES})"
