"""The one thin adaptor between the analytics library and Streamlit.

* Which database the dashboard reads: ``YANPAN_DB`` (environment), else ``db_path`` in
  ``.streamlit/secrets.toml``, else the embedded demo database ``data/demo`` (moved by
  ``YANPAN_DEMO_DB``) — built on first start with a progress display.
* ``st.cache_resource`` holds one read-only DuckDB connection per snapshot file; every query
  takes its own cursor (a shared connection is not thread-safe).
* ``query(fn, *args)`` runs an analytics function through ``st.cache_data`` keyed by the
  snapshot name, so an import (which publishes a new snapshot) invalidates every cached
  result without a restart.
* The language of the session (``lang``), kept in session state and in the URL.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import streamlit as st

from analytics import config, i18n
from analytics.errors import YanpanError
from analytics.store import Store, connect

T = TypeVar("T")
_BUILD_LOCK = threading.Lock()


def db_path() -> tuple[Path, bool]:
    """(database folder, whether it is the default demo database)."""
    env = os.environ.get("YANPAN_DB")
    if env:
        return Path(env).expanduser(), False
    try:
        configured = st.secrets.get("db_path")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        configured = None
    if configured:
        return Path(str(configured)).expanduser(), False
    return config.default_db(), True


def ensure_database() -> Store | None:
    """The store to read; builds the demo database on first start.  None if it is empty."""
    path, is_default = db_path()
    store = Store(path)
    if store.exists():
        return store
    if not is_default:
        return None
    with _BUILD_LOCK:  # one session builds; the others wait, then find it built
        if store.exists():
            return store
        from analytics.demo_build import build_demo_database

        lang = current_lang()
        t0 = time.perf_counter()
        with st.status(i18n.t("app.building_demo", lang), expanded=True) as box:
            bar = st.progress(0.0)

            def show(fraction: float, message: str) -> None:
                bar.progress(min(max(fraction, 0.0), 1.0), text=message)

            build_demo_database(path, progress=show)
            box.update(label=i18n.t("app.demo_built", lang,
                                    seconds=time.perf_counter() - t0), state="complete")
    return store


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(snapshot: str) -> duckdb.DuckDBPyConnection:
    return connect(snapshot, read_only=True)


def snapshot(store: Store) -> Path:
    """The current snapshot, upgraded first if it has an older schema."""
    con = store.open_read()  # upgrades an older schema by publishing a new snapshot
    con.close()
    return store.require()


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the current snapshot (for one query)."""
    return _connection(str(st.session_state["_snapshot"])).cursor()


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached(snapshot_path: str, fn_path: str, args: tuple) -> Any:
    module, name = fn_path.rsplit(":", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(_connection(snapshot_path).cursor(), *args)


def query(fn: Callable[..., T], *args: Any) -> T:
    """``fn(cursor, *args)`` cached per snapshot; never mutate what it returns."""
    return _cached(str(st.session_state["_snapshot"]), f"{fn.__module__}:{fn.__qualname__}",
                   args)


def open_data() -> bool:
    """Resolve the database for this run; False (with a message shown) if there is none."""
    try:
        store = ensure_database()
        if store is None:
            path, _ = db_path()
            st.info(t("app.no_database", path=path))
            return False
        st.session_state["_snapshot"] = snapshot(store)
        st.session_state["_db_name"] = store.root.name
    except YanpanError as e:
        st.error(t("app.db_error", error=e))
        return False
    return True


# ---- language --------------------------------------------------------------------------
def current_lang() -> str:
    lang = st.session_state.get("lang")
    if lang not in i18n.LANGS:
        lang = st.query_params.get("lang", i18n.DEFAULT_LANG)
        lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        st.session_state["lang"] = lang
    return lang


def t(key: str, **values: Any) -> str:
    """Translate ``key`` into the session's language."""
    return i18n.t(key, current_lang(), **values)


def language_switch() -> None:
    """The sidebar language switch; the choice is kept in the URL (``?lang=en``)."""
    lang = current_lang()
    choice = st.sidebar.segmented_control(
        i18n.t("app.language", lang), options=list(i18n.LANGS), default=lang,
        format_func=lambda v: {"zh": "中文", "en": "English"}[v], key="lang_switch",
        required=True)
    if choice and choice != lang:
        st.session_state["lang"] = choice
        st.rerun()
    if lang == i18n.DEFAULT_LANG:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
