"""Yanpan dashboard: the frame only (page config, language, database, filters, navigation).

Run with ``streamlit run app.py``.  Pages live in ``pages/``; each exposes ``render()``,
registered here with ``st.Page(callable, url_path=<file stem>)``.  When a fresh server
answers a deep link by running a page file directly (PITFALLS.md), that file calls
:func:`main`, so the frame is always drawn.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics import st_adapter as ui

ICON = Path(__file__).resolve().parent / "static" / "favicon.png"

# url_path (= file stem in pages/) -> (section, title key, icon); the first is the default
PAGES = {
    "overview": ("nav.section.judge", "nav.overview", ":material/dashboard:"),
    "team": ("nav.section.judge", "nav.team", ":material/groups:"),
    "portrait": ("nav.section.judge", "nav.portrait", ":material/person:"),
    "anomalies": ("nav.section.analyse", "nav.anomalies", ":material/troubleshoot:"),
    "talks": ("nav.section.analyse", "nav.talks", ":material/forum:"),
    "data": ("nav.section.manage", "nav.data", ":material/database:"),
}


# the page whose import section the frame draws when the database is empty or unusable
IMPORT_PAGE = "data"


def main(default: str = "overview") -> None:
    """Draw the frame and run the chosen page (``default`` is the page served at ``/``)."""
    # a local icon: a :material/ icon would be fetched from Google Fonts, unreachable offline
    st.set_page_config(page_title="研判 Yanpan", page_icon=str(ICON), layout="wide")
    import importlib

    sections: dict[str, list] = {}
    registry = {}
    modules = {}
    for url_path, (section, title, icon) in PAGES.items():
        module = modules[url_path] = importlib.import_module(f"pages.{url_path}")
        page = st.Page(
            module.render,
            title=ui.t(title),
            icon=icon,
            url_path=url_path,
            default=url_path == default,
        )
        sections.setdefault(ui.t(section), []).append(page)
        registry[url_path] = page
    nav = st.navigation(sections)
    ui.register_pages(registry)
    # Widgets drawn after st.navigation keep their state across reruns of the same page.
    ui.language_switch()
    st.sidebar.caption(ui.t("app.title"))
    if not ui.open_data():
        if ui.has_store():  # an empty or unusable database: the Data page's import section
            modules[IMPORT_PAGE].import_section()
        return
    ui.filters()
    st.sidebar.caption(
        ui.t("app.database", name=st.session_state["_db_name"])
        + " · "
        + ui.t("app.snapshot", snapshot=st.session_state["_snapshot"].stem)
    )
    nav.run()


if __name__ == "__main__":
    main()
