"""Tables fit a 1440 px window: the widths their columns declare add up to no more than the
room the page gives them (issue 8: no column cut off at the right edge)."""

from __future__ import annotations

import json

import pytest

from analytics import i18n
from tests.apptest import app_test

# the main area of a 1440 px window beside the sidebar (wide layout): 1440 − 300 − 2 × 80
FULL = 980
GAP = 16  # between st.columns
ROW_MARKERS = 40  # the selection checkbox column of a table whose rows can be chosen
# tables placed in a column of the page (known by their first three columns: AppTest keeps
# no key of a table without selection), and the share of the width that column has
IN_COLUMN = {
    ("label", "value", "z"): 1 / 2,  # portrait channels
    ("indicator", "score", "max_score"): 1 / 2,  # portrait portfolio
    ("topic", "positive", "neutral"): 2 / 5,  # portrait talk mentions
    ("channel", "covered", "share"): 2 / 5,  # overview coverage by channel
    ("unit_name", "area_name", "missing"): 3 / 5,  # overview coverage gaps
}
PAGES = [
    ("overview", {}),
    ("overview", {"area": "02"}),
    ("overview", {"unit": "0202"}),
    ("team", {}),
    ("team", {"unit": "1005"}),
    ("portrait", {"cadre": "1005001", "unit": "1005"}),
    ("talks", {}),
    ("talks", {"unit": "0108"}),
    *(("anomalies", {"tab": tab}) for tab in ("flags", "reliability", "bias")),
]
NAMED = {"small": 75, "medium": 200, "large": 400}


def _widths(df) -> tuple[int, list[str]]:
    """(sum of the shown columns' declared widths, columns without a declared width)."""
    config = json.loads(df.proto.columns or "{}")
    order = list(df.proto.column_order) or list(config)
    total, missing = 0, []
    for name in order:
        width = (config.get(name) or {}).get("width")
        if width is None:
            missing.append(name)
            continue
        total += NAMED.get(width, width) if isinstance(width, str) else int(width)
    return total, missing


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[p + str(v) for p, v in PAGES])
def test_tables_fit_1440_px(app_on_demo, page, params):
    params = dict(params)
    tab = params.pop("tab", None)
    at = app_test(page, "en", period="2026Q1" if page == "team" else "2026Q3", **params)
    if tab:
        at.session_state["anomalies_tab"] = i18n.t(f"anomalies.tab.{tab}", "en")
    at.run()
    assert not at.exception
    declared = [d for d in at.dataframe if d.proto.column_order]  # the adaptor's tables
    assert declared
    too_wide = []
    for df in declared:
        total, missing = _widths(df)
        order = tuple(df.proto.column_order)
        share = IN_COLUMN.get(order[:3], 1)
        room = (FULL if share == 1 else (FULL - GAP) * share) - (
            ROW_MARKERS if df.proto.selection_mode else 0
        )
        if missing or total > room:
            too_wide.append((df.key or order[:3], total, int(room), missing))
    assert not too_wide, too_wide
