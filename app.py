"""Yanpan dashboard: the frame only (page config, language, database, navigation).

Run with ``streamlit run app.py``.  Pages live in ``pages/``; each exposes ``render()``,
registered here with ``st.Page(callable, url_path=...)``.  When a fresh server answers a deep
link by running a page file directly (PITFALLS.md), that file calls :func:`main`, so the
frame is always drawn.
"""

from __future__ import annotations

import streamlit as st

from analytics import st_adapter as ui


def main() -> None:
    st.set_page_config(page_title="研判 Yanpan", page_icon=":material/insights:",
                       layout="wide")
    from pages import data

    pages = {
        ui.t("nav.section.manage"): [
            st.Page(data.render, title=ui.t("nav.data"), icon=":material/database:",
                    url_path="data", default=True),
        ],
    }
    nav = st.navigation(pages)
    # Widgets drawn after st.navigation keep their state across reruns of the same page.
    ui.language_switch()
    st.sidebar.caption(ui.t("app.title"))
    if not ui.open_data():
        return
    st.sidebar.caption(ui.t("app.database", name=st.session_state["_db_name"]) + " · "
                       + ui.t("app.snapshot", snapshot=st.session_state["_snapshot"].stem))
    nav.run()


if __name__ == "__main__":
    main()
