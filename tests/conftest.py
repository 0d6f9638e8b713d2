from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from analytics.export import export_bundle
from analytics.ingest import import_bundle
from tests.sample import write_sample_bundle


def content_digest(db: Path, tmp: Path) -> dict[str, str]:
    """A digest of every table of a database (via export: sorted, canonical text)."""
    out = tmp / f"digest-{len(list(tmp.glob('digest-*')))}"
    export_bundle(db, out)
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}
    shutil.rmtree(out)
    return digest


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("sample")
    bundle = write_sample_bundle(base / "bundle")
    db = base / "db"
    import_bundle(bundle, db)
    return db


@pytest.fixture
def sample_db(sample_db_template, tmp_path) -> Path:
    """A database holding the whole sample bundle (a private copy per test)."""
    db = tmp_path / "db"
    shutil.copytree(sample_db_template, db)
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The city demo (seed 7) with planted effects; its answer key is demo_answer_key.csv."""
    from analytics.demo_build import build_demo_database

    db = tmp_path_factory.mktemp("demo") / "db"
    build_demo_database(db, seed=7)
    return db


@pytest.fixture(scope="session")
def clean_db(tmp_path_factory) -> Path:
    """The clean city demo (seed 7): natural texture, nothing planted."""
    from analytics.demo_build import build_demo_database

    db = tmp_path_factory.mktemp("clean") / "db"
    build_demo_database(db, seed=7, clean=True)
    return db


@pytest.fixture
def clear_st_caches():
    """Streamlit caches persist across AppTests in one process: start each test clean."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_on_demo(demo_db, monkeypatch, clear_st_caches) -> Path:
    """The dashboard reads the planted city demo (seed 7)."""
    monkeypatch.setenv("YANPAN_DB", str(demo_db))
    return demo_db


@pytest.fixture
def app_on_sample(sample_db, monkeypatch, clear_st_caches) -> Path:
    """The dashboard reads a private copy of the small sample database."""
    monkeypatch.setenv("YANPAN_DB", str(sample_db))
    return sample_db


@pytest.fixture(scope="session")
def demo_views(demo_db):
    """A read-model connection (snapshot + results as ``r``) on the planted city demo."""
    from analytics.store import Store
    from analytics.views import connect_views

    con = connect_views(Store(demo_db))
    yield con
    con.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (skips without it, except in CI)."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context in Chinese; JavaScript errors collect in ``page.js_errors``."""
    ctx = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    yield pg
    ctx.close()


_SLOW_FIXTURES = {"demo_db", "clean_db", "demo_views", "app_on_demo"}


def pytest_collection_modifyitems(items):
    """Tests that need a full demo city (built once per session, about 30 s) are marked
    ``slow``, so ``-m "not slow"`` is the quick loop while editing."""
    for item in items:
        if _SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
