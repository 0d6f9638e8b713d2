"""Codes are shown in the session's language: in English, areas, posts and education never
stay Chinese; proper names (units, people) stay as they are."""

from __future__ import annotations

import pytest

from analytics import i18n
from tests.apptest import app_test, texts


def _shown(at) -> str:
    """Every text of the run, the visible columns of tables and metric cards included."""
    parts = [texts(at)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for d in at.dataframe:
        order = list(d.proto.column_order) or list(d.value.columns)  # hidden ids left out
        parts.append(d.value[[c for c in order if c in d.value.columns]].to_csv(index=False))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def cadre(demo_views):
    return demo_views.execute(
        "SELECT c.cadre_id, c.unit_id, c.position, c.education, a.name AS area "
        "FROM cadres c JOIN units u USING (unit_id) JOIN areas a USING (area_id) "
        "WHERE c.tier = 'team' AND c.education IS NOT NULL ORDER BY c.cadre_id LIMIT 1"
    ).fetchone()


def test_portrait_in_english_translates_post_education_and_area(app_on_demo, cadre):
    cid, unit, post, education, area = cadre
    at = app_test("portrait", "en", cadre=cid, unit=unit, period="2026Q2").run()
    assert not at.exception
    body = _shown(at)
    for kind, value in (("post", post), ("education", education), ("area", area)):
        english = i18n.code(kind, value, "en")
        assert english != value, (kind, value)  # the demo's codes all have an English form
        assert english in body, (kind, english)
    assert education not in body and area not in body
    # Chinese keeps them as they are
    body_zh = _shown(app_test("portrait", "zh", cadre=cid, unit=unit, period="2026Q2").run())
    assert post in body_zh and education in body_zh


@pytest.mark.parametrize("page", ["overview", "team", "talks"])
def test_pages_name_the_area_in_english(app_on_demo, cadre, page):
    _, unit, _, _, area = cadre
    at = app_test(page, "en", unit=unit, period="2026Q2").run()
    assert not at.exception
    body = _shown(at)
    assert area not in body, page
    assert i18n.code("area", area, "en") in body, page
