"""Structured text and the one number formatter."""

from __future__ import annotations

import math

import pytest

from analytics import fmt, i18n, texts
from analytics.texts import Lookup, Text


@pytest.fixture
def template(monkeypatch):
    monkeypatch.setitem(
        i18n.STRINGS,
        "test.sentence",
        {
            "zh": "{who}在{period}被{group}给出{mean}分（{p}），占比变化{d}",
            "en": "{group} gave {who} {mean} in {period} ({p}), share {d}",
        },
    )
    return "test.sentence"


def test_render_resolves_names_periods_groups_and_numbers(template):
    look = Lookup(cadres={"0501007": "张三"}, periods={"2026Q2": "2026年第二季度"})
    t = Text(
        template,
        {
            "who": texts.cadre("0501007"),
            "period": texts.period("2026Q2"),
            "group": texts.group("middle_manager"),
            "mean": texts.score(53.25),
            "p": texts.p(3e-7),
            "d": texts.pp(0.09),
        },
    )
    zh = texts.render(t, lang="zh", lookup=look)
    en = texts.render(t, lang="en", lookup=look)
    assert (
        zh
        == "张三（0501007）在2026年第二季度被中层干部给出53.2分（< 0.0001），占比变化+9.0个百分点"
    )
    assert en == "Middle managers gave 张三 (0501007) 53.2 in 2026Q2 (< 0.0001), share +9.0 pp"


def test_text_round_trips_through_json(monkeypatch):
    monkeypatch.setitem(i18n.STRINGS, "test.short", {"zh": "{who}：{mean}", "en": "{who}: {mean}"})
    t = Text("test.short", {"who": texts.cadre("x"), "mean": texts.score(float("nan"))})
    back = Text.from_json(t.to_json())
    assert back == Text("test.short", {"who": texts.cadre("x"), "mean": texts.score(None)})
    assert texts.render(back, lang="en") == "x: —"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), (math.nan, "—"), (2.2e-12, "< 0.0001"), (0.00312, "0.0031"), (0.214, "0.214")],
)
def test_one_p_value_format(value, shown):
    assert fmt.p(value) == shown


def test_shares_and_points():
    assert fmt.pct(0.125) == "12.5%"
    assert fmt.pp(0.9) == "+90.0 pp"
    assert fmt.pp(-0.05, "zh") == "-5.0个百分点"
    assert fmt.count(1234567) == "1,234,567"
    assert fmt.signed(-1.04) == "−1.0"
    assert fmt.text(None) == "—" and fmt.text("None") == "—" and fmt.text("本科") == "本科"
