"""The real app in headless Chromium: first start builds the demo, pages render, language
switches.  Screenshots are kept as artifacts."""

from __future__ import annotations

import pytest

from tests.browser import (
    REPO,
    screenshot,
    streamlit_server,
    wait_ready,
)

pytestmark = pytest.mark.browser


def test_first_start_builds_the_demo_then_opens(page, tmp_path):
    """README command 1 on a fresh machine: no database configured → demo built, shown."""
    demo = tmp_path / "demo"
    env = {"YANPAN_DEMO_DB": str(demo), "YANPAN_DB": ""}
    with streamlit_server(env, REPO / "artifacts" / "first-start.log") as url:
        page.goto(url)
        page.get_by_text("首次启动").first.wait_for(timeout=60_000)
        screenshot(page, "first-start-building")
        wait_ready(page, timeout_ms=240_000)
        assert page.get_by_test_id("stException").count() == 0
        assert page.locator("h1").first.inner_text() == "总览"  # the overview, in Chinese
        screenshot(page, "first-start-done")
        page.get_by_test_id("stSidebarNavLink").filter(has_text="数据").click()
        wait_ready(page)
        assert page.locator("h1").first.inner_text() == "数据状态"
        metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
        assert metrics[:2] == ["12", "103"]
    assert (demo / "CURRENT").exists() and (demo / "demo_answer_key.csv").exists()


def test_data_page_and_language_switch(page, sample_db):
    with streamlit_server(
        {"YANPAN_DB": str(sample_db)}, REPO / "artifacts" / "data-page.log"
    ) as url:
        page.goto(f"{url}/data")
        wait_ready(page)
        assert page.get_by_test_id("stException").count() == 0
        assert page.locator("h1").first.inner_text() == "数据状态"
        page.get_by_test_id("stMetricValue").first.wait_for()
        assert page.get_by_test_id("stMetricValue").all_inner_texts() == ["2", "3", "15", "2", "36"]
        screenshot(page, "data-zh")
        page.get_by_test_id("stSidebar").get_by_text("English").click()
        page.wait_for_function(
            "() => document.querySelector('h1')?.innerText === 'Data status'", timeout=30_000
        )
        wait_ready(page)
        assert "lang=en" in page.url
        screenshot(page, "data-en")
        # a bookmarked English URL opens in English on a new session
        page.goto(f"{url}/data?lang=en")
        wait_ready(page)
        assert page.locator("h1").first.inner_text() == "Data status"
