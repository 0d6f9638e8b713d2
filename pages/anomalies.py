"""anomalies page (being built)."""

from __future__ import annotations

import streamlit as st

from analytics import st_adapter as ui


def render() -> None:
    st.title(ui.t("nav.anomalies"))


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
