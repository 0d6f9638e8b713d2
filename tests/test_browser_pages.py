"""Every page in headless Chromium on the planted city demo: by the sidebar, by deep link on
a freshly started server (the frame must be drawn: PITFALLS.md), and a presenter's walk
overview → unit → team → cadre portrait.  Screenshots are kept as artifacts."""

from __future__ import annotations

import pytest

import app
from tests.browser import (
    REPO,
    screenshot,
    streamlit_server,
    wait_ready,
)

pytestmark = pytest.mark.browser
LOGS = REPO / "artifacts"


def assert_page_ok(page) -> None:
    """No Python exception shown, no error box, a title, the sidebar frame present."""
    assert page.get_by_test_id("stException").count() == 0, page.url
    assert page.locator("h1").count() >= 1, page.url
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("中文").count() + sidebar.get_by_text("English").count() >= 2
    assert page.get_by_test_id("stSidebarNavLink").count() == len(app.PAGES)
    assert not page.js_errors, page.js_errors


def wait_charts(page) -> None:
    """Plotly draws about 2 s after the script finishes."""
    charts = page.get_by_test_id("stPlotlyChart")
    if charts.count():
        page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=30_000)


def test_every_page_by_the_sidebar_in_both_languages(page, demo_db):
    with streamlit_server({"YANPAN_DB": str(demo_db)}, LOGS / "pages-sidebar.log") as url:
        page.goto(f"{url}/?unit=0107")
        wait_ready(page, timeout_ms=120_000)
        for lang in ("zh", "en"):
            if lang == "en":
                page.get_by_test_id("stSidebar").get_by_text("English").click()
                page.wait_for_function("() => location.search.includes('lang=en')", timeout=30_000)
                wait_ready(page)
            links = page.get_by_test_id("stSidebarNavLink")
            for i in range(links.count()):
                links.nth(i).click()
                wait_ready(page)
                wait_charts(page)
                assert_page_ok(page)
                # the shared filter survives the page change and is in the URL
                assert "unit=0107" in page.url, page.url
                screenshot(page, f"page-{i}-{lang}")


@pytest.mark.parametrize("path", list(app.PAGES))
def test_deep_link_on_a_fresh_server_draws_the_frame(page, demo_db, path):
    with streamlit_server({"YANPAN_DB": str(demo_db)}, LOGS / f"deep-{path}.log") as url:
        page.goto(f"{url}/{path}?lang=en&period=2026Q2&unit=0203")
        wait_ready(page, timeout_ms=120_000)
        wait_charts(page)
        assert_page_ok(page)
        # the page asked for is the page shown, in English, with the filters of the URL
        active = page.locator("[data-testid=stSidebarNavLink][aria-current=page]")
        assert active.count() == 1
        href = active.get_attribute("href") or ""
        # the default page (overview) is served at "/"
        assert href.endswith("/") if path == next(iter(app.PAGES)) else f"/{path}" in href
        screenshot(page, f"deep-{path}")
        sidebar = page.get_by_test_id("stSidebar")
        period_box = sidebar.get_by_test_id("stSelectbox").first
        assert "2026Q2" in (
            period_box.inner_text() + str(period_box.locator("input").first.input_value())
        ), period_box.inner_text()
        assert "lang=en" in page.url and "unit=0203" in page.url
        screenshot(page, f"deep-{path}")


def click_first_row(page, key: str) -> None:
    """Select the first row of the st.dataframe with ``key`` (its row-marker column)."""
    grid = page.locator(f".st-key-{key} [data-testid=stDataFrame]")
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # header 35 px, row 35 px


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar selectbox labelled ``label``."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label)
    box.locator("input").first.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_a_presenter_walks_from_the_city_to_a_cadre(page, demo_db):
    """Overview (city) → an area chosen in the sidebar → a unit row → its team health →
    a member row → that member's portrait, every step on the same filters."""
    with streamlit_server({"YANPAN_DB": str(demo_db)}, LOGS / "walk.log") as url:
        page.goto(url)
        wait_ready(page, timeout_ms=120_000)
        wait_charts(page)
        assert_page_ok(page)
        assert page.locator("h1").first.inner_text() == "总览"
        screenshot(page, "walk-1-city")
        choose(page, "考察责任区", "第二考察责任区")
        wait_ready(page)
        wait_charts(page)
        assert "area=02" in page.url
        screenshot(page, "walk-2-area")
        click_first_row(page, "overview_units")
        page.wait_for_url("**/team?**", timeout=30_000)
        wait_ready(page)
        wait_charts(page)
        assert_page_ok(page)
        title = page.locator("h1").first.inner_text()
        assert title.startswith("班子运行 · ")
        unit = page.url.split("unit=")[1].split("&")[0]
        assert unit.startswith("02")
        screenshot(page, "walk-3-team")
        click_first_row(page, "team_members")
        page.wait_for_url("**/portrait?**", timeout=30_000)
        wait_ready(page)
        wait_charts(page)
        assert_page_ok(page)
        assert f"unit={unit}" in page.url and f"cadre={unit}" in page.url
        screenshot(page, "walk-4-portrait")
