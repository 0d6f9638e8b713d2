"""The one thin adaptor between the analytics library and Streamlit.

* Which database the dashboard reads: ``YANPAN_DB`` (environment), else ``db_path`` in
  ``.streamlit/secrets.toml``, else the embedded demo database ``data/demo`` (moved by
  ``YANPAN_DEMO_DB``) — built on first start with a progress display.
* The precomputed analysis of the snapshot (:mod:`analytics.results`) is computed once per
  data version and configuration, with a progress display, before any page runs.
* ``st.cache_resource`` holds one read-only DuckDB connection per snapshot file, with the
  results attached as schema ``r``; every query takes its own cursor (a shared connection is
  not thread-safe).
* ``query(fn, *args)`` runs a read-model function (:mod:`analytics.views`) through
  ``st.cache_data`` keyed by the snapshot and results files, so an import (which publishes a
  new snapshot) or a changed configuration invalidates every cached result without a restart.
* The language of the session (``lang``) and the shared filters (period, area, unit, cadre),
  kept in session state and in the URL so that a view can be bookmarked and shared.
* Page registry and links between pages (``register_pages``, ``link``, ``goto``).
* Display: the one declarative table (``table`` with ``Col``), a chart beside its table
  (``chart_and_table``), a row of metrics (``metrics``), charts and privacy notes.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from analytics import config, fmt, i18n, privacy, results, views
from analytics.errors import YanpanError
from analytics.store import Store, connect
from analytics.views import columns as colspec

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
            box.update(
                label=i18n.t("app.demo_built", lang, seconds=time.perf_counter() - t0),
                state="complete",
            )
    return store


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(snapshot: str, results_path: str) -> duckdb.DuckDBPyConnection:
    return views.attach_results(connect(snapshot, read_only=True), results_path)


_CHECKED: set[Path] = set()  # snapshots whose schema this process has checked


def snapshot(store: Store) -> Path:
    """The current snapshot, upgraded first if it has an older schema.  The check opens the
    file, so it runs once per snapshot, not on every page run."""
    current = store.require()
    if current not in _CHECKED:
        con = store.open_read()  # upgrades an older schema by publishing a new snapshot
        con.close()
        current = store.require()
        _CHECKED.add(current)
    return current


def ensure_results(store: Store) -> Path:
    """The analysis of the current snapshot; computed (with progress) the first time.

    It runs in a child process: the analysis peaks at several GB on a province, which the
    server should not keep, and it opens the snapshot with its own memory settings (DuckDB
    refuses a second configuration for a file this process already has open)."""
    path = results.results_path(store)
    if path.exists():
        return path
    with _BUILD_LOCK:
        if path.exists():
            return path
        t0 = time.perf_counter()
        with st.status(t("app.computing"), expanded=False) as box:
            proc = subprocess.run(
                [sys.executable, "-m", "analytics.results", str(store.root)],
                capture_output=True,
                text=True,
                cwd=config.REPO_ROOT,
                check=False,
            )
            if proc.returncode != 0 or not path.exists():
                box.update(state="error")
                lines = (proc.stderr or proc.stdout or "").strip().splitlines()
                raise AnalysisError(lines[-1] if lines else f"exit {proc.returncode}")
            box.update(label=t("app.computed", seconds=time.perf_counter() - t0), state="complete")
    return path


class AnalysisError(YanpanError):
    """The analysis of a data version could not be computed."""


def _key() -> tuple[str, str]:
    return str(st.session_state["_snapshot"]), str(st.session_state["_results"])


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the current snapshot with the results attached (for one query)."""
    return _connection(*_key()).cursor()


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def _cached(snapshot_path: str, results_path: str, fn_path: str, args: tuple) -> Any:
    module, name = fn_path.rsplit(":", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(_connection(snapshot_path, results_path).cursor(), *args)


def query(fn: Callable[..., T], *args: Any) -> T:
    """``fn(cursor, *args)`` cached per data version; never mutate what it returns."""
    return _cached(*_key(), f"{fn.__module__}:{fn.__qualname__}", args)


def open_data() -> bool:
    """Resolve the database and its analysis for this run; False (with a message shown)
    if there is none."""
    try:
        st.session_state["_store"] = str(db_path()[0])
        store = ensure_database()
        if store is None:
            path, _ = db_path()
            st.info(t("app.no_database", path=path))
            return False
        st.session_state["_snapshot"] = snapshot(store)
        st.session_state["_db_name"] = store.root.name
        st.session_state["_store"] = str(store.root)
        st.session_state["_results"] = ensure_results(store)
    except AnalysisError as e:
        st.error(t("app.analysis_error", error=e))
        return False
    except YanpanError as e:
        st.error(t("app.db_error", error=e))
        return False
    return True


def has_store() -> bool:
    return "_store" in st.session_state


def store() -> Store:
    """The database folder of this session (for the Data page's import and export)."""
    return Store(st.session_state["_store"])


# ---- language --------------------------------------------------------------------------
_LAST_LANG = [i18n.DEFAULT_LANG]


def current_lang() -> str:
    """The session's language.  Outside a script run (AppTest formats widget options after
    the run) the language of the last run is used."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return _LAST_LANG[0]
    lang = st.session_state.get("lang")
    if lang not in i18n.LANGS:
        lang = st.query_params.get("lang", i18n.DEFAULT_LANG)
        lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        st.session_state["lang"] = lang
    _LAST_LANG[0] = lang
    return lang


def t(key: str, **values: Any) -> str:
    """Translate ``key`` into the session's language."""
    return i18n.t(key, current_lang(), **values)


def texts(*keys: str, **values: Any) -> list[str]:
    """Several translations at once (e.g. a chart's title and axis titles, in order)."""
    return [t(key, **values) for key in keys]


def code(kind: str, value: Any) -> str:
    """A code or free Chinese text of the data in the session's language (i18n.code)."""
    return i18n.code(kind, value, current_lang())


def areas() -> dict[str, str]:
    """Area id → the area's name in the session's language."""
    return {a: code("area", name) for a, name in query(views.areas)}


def language_switch() -> None:
    """The sidebar language switch; the choice is kept in the URL (``?lang=en``)."""
    lang = current_lang()
    choice = st.sidebar.segmented_control(
        i18n.t("app.language", lang),
        options=list(i18n.LANGS),
        default=lang,
        format_func=lambda v: {"zh": "中文", "en": "English"}[v],
        key="lang_switch",
        required=True,
    )
    if choice and choice != lang:
        st.session_state["lang"] = choice
        st.rerun()
    if lang == i18n.DEFAULT_LANG:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang


# ---- shared filters ----------------------------------------------------------------------
ALL = ""  # the "all areas" / "all units" choice
# filter name -> widget key; the URL parameter has the filter's name
FILTERS = {"period": "f_period", "area": "f_area", "unit": "f_unit", "cadre": "f_cadre"}


def _from_url(name: str, valid: list[str], default: str) -> None:
    """Seed the widget state of filter ``name``.  The URL wins when it carries a valid value
    (a bookmark, a link, ``goto``; a widget change writes the URL in its callback, before
    this runs); else the session's value stays; else ``default``."""
    key = FILTERS[name]
    url = st.query_params.get(name)
    if url is not None and url in valid:
        st.session_state[key] = url
    elif st.session_state.get(key) not in valid:
        st.session_state[key] = default


def _to_url(name: str, value: str | None) -> None:
    if value:
        st.query_params[name] = value
    else:
        st.query_params.pop(name, None)


def _select(box: Any, name: str, ids: list[str], label: Callable, default: str) -> str:
    """The selectbox of filter ``name`` in ``box`` (the page or its sidebar) over ``ids``,
    shown by ``label(id)``: seeded from the URL (:func:`_from_url`), writing the URL on
    change; its current value."""
    _from_url(name, ids, default)
    key = FILTERS[name]
    box.selectbox(
        t(f"filter.{name}"), ids, format_func=label, key=key, on_change=_sync, args=(name,)
    )
    return st.session_state[key]


def _sync(name: str) -> None:
    """Widget callback: the new choice goes to the URL at once."""
    _to_url(name, st.session_state.get(FILTERS[name]))


def set_filters(**values: str | None) -> None:
    """Change shared filters from a widget callback (``on_click``/``on_change``), e.g. a
    breadcrumb back to the whole city: ``set_filters(area=None, unit=None)``."""
    for name, value in values.items():
        st.session_state[FILTERS[name]] = value or ALL
        _to_url(name, value)


def filters() -> dict[str, str | None]:
    """Draw the shared filters in the sidebar; return {period, area, unit} (None = all).

    Drawn by the frame on every page, so a choice follows the user from page to page."""
    lang = current_lang()
    plist = query(views.periods)
    if not plist:
        return {"period": None, "area": None, "unit": None}
    labels = {pid: views.period_label(pid, label, lang) for pid, label in plist}
    _select(st.sidebar, "period", list(labels), labels.get, list(labels)[-1])

    area_names = areas()
    all_areas = t("filter.all_areas")
    _from_url("area", [ALL, *area_names], ALL)
    units = query(views.units)
    # a unit asked for by the URL brings its area along
    url_unit = st.query_params.get("unit")
    match = units.loc[units["unit_id"] == url_unit, "area_id"]
    if url_unit and len(match) and st.session_state["f_area"] not in (ALL, match.iloc[0]):
        st.session_state["f_area"] = match.iloc[0]
    st.sidebar.selectbox(
        t("filter.area"),
        [ALL, *area_names],
        key="f_area",
        format_func=lambda a: area_names.get(a) or all_areas,
        on_change=_sync,
        args=("area",),
    )
    area = st.session_state["f_area"] or None
    shown = units if area is None else units[units["area_id"] == area]
    unit_names = dict(zip(shown["unit_id"], shown["name"], strict=True))
    all_units = t("filter.all_units")
    _select(
        st.sidebar, "unit", [ALL, *unit_names], lambda u: unit_names[u] if u else all_units, ALL
    )
    chosen = {
        "period": st.session_state["f_period"],
        "area": area,
        "unit": st.session_state["f_unit"] or None,
    }
    for name, value in chosen.items():
        _to_url(name, value)
    st.session_state["_filters"] = chosen
    return chosen


def current_filters() -> dict[str, str | None]:
    """The shared filters of this run: {period, area, unit} (None = all)."""
    return dict(st.session_state.get("_filters") or {"period": None, "area": None, "unit": None})


def cadre_picker(unit_id: str | None) -> str | None:
    """A cadre chooser (in the page) for one unit, or every cadre when no unit is chosen;
    kept in the URL as ``cadre``."""
    people = query(views.cadres, unit_id)
    if people.empty:
        return None
    label = people["name"] + " · " + people["position"].map(lambda p: code("post", p))
    if unit_id is None:  # the whole city: say which unit, many posts look alike
        label = label + " · " + people["unit_name"].fillna("")
    names = dict(zip(people["cadre_id"], label, strict=True))
    value = _select(st, "cadre", list(names), names.get, next(iter(names)))
    _to_url("cadre", value)
    return value


# ---- pages and links ---------------------------------------------------------------------
_PAGES: dict[str, Any] = {}


def register_pages(pages: dict[str, Any]) -> None:
    """The frame tells the adaptor its st.Page objects, by url_path."""
    _PAGES.clear()
    _PAGES.update(pages)


def _params(**params: str | None) -> dict[str, str]:
    """The URL parameters of a link: the current period/area/unit, then ``params`` over them
    (a value of None or "" means "all")."""
    merged = {**current_filters(), **params}
    if params.get("unit") and "area" not in params:
        merged["area"] = None  # the unit brings its own area along
    out = {k: v for k, v in merged.items() if v}
    if current_lang() != i18n.DEFAULT_LANG:
        out["lang"] = current_lang()
    return out


def link(page: str, label: str, icon: str | None = None, **params: str | None) -> None:
    """A link to another page carrying filters (e.g. ``link("portrait", name, cadre=id)``)."""
    st.page_link(_PAGES[page], label=label, icon=icon, query_params=_params(**params))


def goto(page: str, **params: str | None) -> None:
    """Switch to another page now, with filters (e.g. a row selected in a table)."""
    st.switch_page(_PAGES[page], query_params=_params(**params))


def page_url(page: str, **params: str | None) -> str:
    """A relative URL of a page with filters, for link columns in tables."""
    from urllib.parse import urlencode

    return f"./{page}?{urlencode(_params(**params))}"


NAME_FROM_URL = "#(.+)$"  # display_text of a link column showing the name ``named_url`` carries


def named_url(page: str, name: str, **params: str | None) -> str:
    """``page_url`` whose fragment carries the name a link column shows (``NAME_FROM_URL``)."""
    from urllib.parse import quote

    return page_url(page, **params) + "#" + quote(str(name))


# ---- common display helpers ---------------------------------------------------------------
def chart(fig: Any, key: str) -> None:
    """A plotly figure, full width, without the plotly logo."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def privacy_note(hidden: int) -> None:
    """Say why cells are blank when the anonymity floor hid some."""
    if hidden:
        st.caption(":material/visibility_off: " + t("privacy.suppressed", k=privacy.floor()))


def metrics(*items: tuple | dict | None, border: bool = False, widths: list | None = None) -> None:
    """A row of ``st.metric`` cards, one column each: ``(label, value)``, ``(label, value,
    kwargs)`` or a dict of ``st.metric`` arguments; None leaves its column empty."""
    shown = list(items)
    for col, item in zip(st.columns(widths or len(shown)), shown, strict=True):
        if item is None:
            continue
        if isinstance(item, dict):
            col.metric(**{"border": border, **item})
        else:
            label, value, *extra = item
            col.metric(label, value, **{"border": border, **(extra[0] if extra else {})})


def synced_pick(
    ids: list[str],
    options: dict[str, str],
    selected: str | None,
    key: str,
    param: str,
    label: str,
    help_key: str | None = None,
) -> str:
    """A chooser of one of ``ids`` kept in step with a table's row selection and the URL.

    A new row selection in the table (``selected``) drives the chooser; the chooser alone
    keeps its value.  A link carrying ``?param=<id>`` opens that item once; the shown item is
    kept in the URL, which also brings it back after a lazy tab (that did not draw the
    chooser) was open.  Returns the chosen id."""
    rows_key, url_key = f"_{key}_rows", f"_{key}_url"
    if selected != st.session_state.get(rows_key):
        st.session_state[rows_key] = selected
        if selected in options:
            st.session_state[key] = selected
    url = st.query_params.get(param)
    fresh = url != st.session_state.get(url_key)
    if url in options and (fresh or key not in st.session_state):
        st.session_state[key] = url
    if st.session_state.get(key) not in options:
        st.session_state[key] = ids[0]
    chosen = st.selectbox(
        label, ids, format_func=options.get, key=key, help=t(help_key) if help_key else None
    )
    st.query_params[param] = chosen
    st.session_state[url_key] = chosen
    return chosen


# ---- the one declarative table ------------------------------------------------------------
Col = colspec.Col  # pages and views declare their tables with it (analytics.views.columns)
LINE_PX, ROW_PAD_PX = 21, 15  # a wrapped text line, and the cell's padding
# Streamlit wraps text cells only when rows are taller than 64 px: rows of a table with a
# ``wrap`` column hold that column's ``lines`` (three by default)


def _column_config(c: Col) -> Any:
    """The ``st.column_config`` entry of a declared column."""
    cc = st.column_config
    kw: dict[str, Any] = {
        "width": c.shown_width(),
        "help": t(c.help) if c.help else None,
        "pinned": c.pinned or None,
    }
    label = c.text if c.text is not None else t(c.label)
    if c.kind in colspec.NUMBER_KINDS:
        return cc.NumberColumn(label, format=c.format or fmt.COLUMN_FORMATS[c.kind], **kw)
    if c.kind == "link":
        shown = NAME_FROM_URL if c.display == "name" else c.display
        return cc.LinkColumn(
            label, display_text=t(shown) if c.display not in (None, "name") else shown, **kw
        )
    if c.kind == "date":
        return cc.DateColumn(label, format=c.format or "YYYY-MM-DD", **kw)
    if c.kind == "check":
        return cc.CheckboxColumn(label, **kw)
    if c.kind == "progress":
        return cc.ProgressColumn(label, format="%.1f%%", min_value=0, max_value=100, **kw)
    return cc.TextColumn(label, **kw)


def _url(link: Any) -> Any:
    """A link column's cell: a :func:`analytics.views.page_link` becomes its URL (carrying
    the name to show when it has one); a URL or an empty cell stays as it is."""
    if not isinstance(link, dict):
        return link
    params = {k: v for k, v in link.items() if k not in ("page", "name")}
    if link.get("name") is None:
        return page_url(link["page"], **params)
    return named_url(link["page"], link["name"], **params)


def _display_frame(
    df: pd.DataFrame, columns: dict[str, Col], keep: bool | list[str]
) -> pd.DataFrame:
    """The declared columns (in order), then the ``keep`` ones (all others if True; hidden by
    ``column_order``, e.g. the ids behind a row); shares as percentage points and p-values as
    text."""
    rest = [c for c in df.columns if c not in columns] if keep is True else list(keep or [])
    shown = df[[*columns, *rest]]
    changes = {}
    for name, c in columns.items():
        if c.kind in ("pct", "pp", "progress"):
            changes[name] = pd.to_numeric(shown[name], errors="coerce") * 100
        elif c.kind == "p":
            changes[name] = [fmt.p(x, current_lang()) for x in shown[name]]
        elif c.kind == "link":
            changes[name] = [_url(x) for x in shown[name]]
        elif c.code:
            changes[name] = [i18n.code(c.code, x, current_lang()) for x in shown[name]]
    return shown.assign(**changes) if changes else shown


def table(
    df: pd.DataFrame,
    key: str,
    columns: dict[str, Col],
    *,
    select: bool = False,
    height: int | str | None = None,
    style: Callable[[pd.DataFrame], Any] | None = None,
    placeholder: str = fmt.DASH,
    keep: bool | list[str] = False,
) -> pd.Series | None:
    """Show ``df`` with the declared ``columns`` (labels translated, formats from
    :mod:`analytics.fmt`, long text wrapped, widths that fit the window).

    ``select``: one row can be chosen (the page reruns); returns that row of ``df`` (all its
    columns, declared or not), else None.  ``height``: default the whole table up to 25
    rows, a scrolling one beyond.  ``style``: a function giving a pandas Styler of the shown
    frame (e.g. severity colours).  ``keep``: further columns of ``df`` carried, hidden, in
    the shown frame (True: all)."""
    shown = _display_frame(df, columns, keep)
    lines = max((c.lines for c in columns.values() if c.kind == "wrap"), default=0)
    if height is None:
        height = "content" if len(df) <= 25 else "auto"
    event = st.dataframe(
        style(shown) if style else shown,
        key=key,
        hide_index=True,
        width="stretch",
        height=height,
        placeholder=placeholder,
        row_height=ROW_PAD_PX + LINE_PX * lines if lines else None,
        column_order=list(columns),
        column_config={name: _column_config(c) for name, c in columns.items()},
        **({"on_select": "rerun", "selection_mode": "single-row"} if select else {}),
    )
    rows = event.selection.rows if select and event is not None else []
    return df.iloc[rows[0]] if rows and rows[0] < len(df) else None


def chart_and_table(
    fig: Any,
    chart_key: str,
    df: pd.DataFrame,
    key: str,
    columns: dict[str, Col],
    *,
    ratio: tuple[float, float] = (1, 1),
    **table_kw: Any,
) -> tuple[Any, pd.Series | None]:
    """A chart (left) beside its table (right); returns the right column (for notes under
    the table) and the selected row (see :func:`table`).  ``fig`` None shows the table
    alone, full width."""
    if fig is None:
        return st.container(), table(df, key, columns, **table_kw)
    left, right = st.columns(list(ratio))
    with left:
        chart(fig, chart_key)
    with right:
        chosen = table(df, key, columns, **table_kw)
    return right, chosen
