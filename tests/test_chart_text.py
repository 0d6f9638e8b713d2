"""Every chart text on every page is at least 12 px (readable on a projector)."""

from __future__ import annotations

import pytest

from analytics import i18n
from tests.apptest import app_test, plotly_specs

MIN_PX = 12
PAGES = [
    ("overview", {}),
    ("overview", {"unit": "0202"}),
    ("team", {"unit": "1005"}),
    ("portrait", {"cadre": "1005001", "unit": "1005"}),
    ("talks", {}),
    *(("anomalies", {"tab": tab}) for tab in ("flags", "map", "reliability", "bias")),
]


def _sizes(spec: dict) -> list[tuple[str, float]]:
    """(where, size) of every font size a figure sets, and 'auto' text without one."""
    layout = spec.get("layout", {})
    found = [("layout.font", layout.get("font", {}).get("size", MIN_PX))]
    uniform = layout.get("uniformtext", {}).get("minsize")
    for i, trace in enumerate(spec.get("data", [])):
        size = (trace.get("textfont") or {}).get("size")
        if isinstance(size, list):
            found += [(f"trace {i} textfont", s) for s in size]
        elif size is not None:
            found.append((f"trace {i} textfont", size))
        elif trace.get("type") == "heatmap" and trace.get("texttemplate"):
            found.append((f"trace {i} heatmap text (auto size)", 0))
        elif trace.get("type") == "bar" and (trace.get("text") or trace.get("texttemplate")):
            found.append((f"trace {i} bar text (uniformtext)", uniform or 0))
    for j, note in enumerate(layout.get("annotations", [])):
        found.append((f"annotation {j}", (note.get("font") or {}).get("size", MIN_PX)))
    return found


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[p + str(v) for p, v in PAGES])
def test_chart_text_is_at_least_12_px(app_on_demo, page, params):
    params = dict(params)
    tab = params.pop("tab", None)
    at = app_test(page, "zh", period="2026Q1" if page == "team" else "2026Q3", **params)
    if tab:  # the Anomalies tabs are lazy: open one
        at.session_state["anomalies_tab"] = i18n.t(f"anomalies.tab.{tab}", "zh")
    at.run()
    assert not at.exception
    specs = plotly_specs(at)
    assert specs
    small = [
        (s["layout"]["title"]["text"], where, size)
        for s in specs
        for where, size in _sizes(s)
        if size < MIN_PX
    ]
    assert not small, small
