"""AppTest helpers: run the real frame (app.main) with any page as the page served at "/"."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def app_test(page: str = "overview", lang: str | None = None, **params: str) -> AppTest:
    """An AppTest of the full app opening ``page`` with URL parameters (not yet run)."""
    at = AppTest.from_string(f"import app\napp.main({page!r})\n", default_timeout=90)
    if lang:
        at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    return at


def run_page(page: str = "overview", lang: str | None = None, **params: str) -> AppTest:
    """Run ``page`` once and return the AppTest (check ``at.exception``)."""
    return app_test(page, lang, **params).run()


def plotly_specs(at: AppTest) -> list[dict]:
    """The plotly figures of the run, as dicts (layout.title.text, data, ...)."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def texts(at: AppTest) -> str:
    """All markdown, caption, title, header and subheader text of the run, joined."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
    ):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)
