"""Anomalies and bias (评价异常): the analysts' workbench.

Every flag in the shared scope, filterable by type, severity and subject type; the selected
flag's evidence (its test and numbers, the plain sentence, a comparison chart, links to the
subject); a unit × rater-group severity map; session reliability; the rater groups'
severities and the city-wide group-bias results.
"""

from __future__ import annotations

import streamlit as st

from analytics import privacy
from analytics import st_adapter as ui
from analytics.charts import SEVERITY_COLORS
from analytics.flags import FLAG_TYPES
from analytics.views import anomalies as va
from analytics.views import anomalies_charts as charts

TABS = ("flags", "map", "reliability", "bias")
BADGE = {"critical": "red", "warning": "orange", "info": "blue"}
TABLE_COLUMNS = [
    "severity_label",
    "type_label",
    "subject_name",
    "unit_name",
    "group_label",
    "statistic",
    "p_text",
    "period_label",
    "evidence",
    "link",
]


# ---- filters -----------------------------------------------------------------------------
def _page_filters() -> tuple[tuple, tuple, tuple]:
    """The page's own filters (empty = all): flag types, severities, subject types."""
    types = {t: ui.t(f"flag.{t}") for t in FLAG_TYPES}
    sevs = {s: ui.t(f"severity.{s}") for s in va.SEVERITY_ORDER}
    subjects = {s: ui.t(f"subject.{s}") for s in va.SUBJECT_TYPES}
    c1, c2, c3 = st.columns([3, 2, 2])
    placeholder = ui.t("anomalies.filter.all")
    chosen_types = c1.multiselect(
        ui.t("anomalies.filter.type"),
        list(types),
        format_func=types.get,
        key="anomalies_type",
        placeholder=placeholder,
    )
    chosen_sevs = c2.multiselect(
        ui.t("anomalies.filter.severity"),
        list(sevs),
        format_func=sevs.get,
        key="anomalies_severity",
        placeholder=placeholder,
    )
    chosen_subjects = c3.multiselect(
        ui.t("anomalies.filter.subject"),
        list(subjects),
        format_func=subjects.get,
        key="anomalies_subject",
        placeholder=placeholder,
    )
    return tuple(chosen_types), tuple(chosen_sevs), tuple(chosen_subjects)


def _metrics(counts: dict[str, int]) -> None:
    cols = st.columns(5)
    cols[0].metric(ui.t("anomalies.metric.total"), f"{counts['total']:,}")
    for col, sev in zip(cols[1:4], va.SEVERITY_ORDER, strict=True):
        col.metric(ui.t(f"severity.{sev}"), f"{counts[sev]:,}")
    cols[4].metric(ui.t("anomalies.metric.units"), f"{counts['units']:,}")


# ---- the flag table and the evidence panel ----------------------------------------------
def _link(row, period: str | None) -> str | None:
    if row["link_page"] == "portrait":
        return ui.page_url(
            "portrait",
            cadre=row["link_cadre"],
            unit=row["unit_id"],
            period=row["period_id"] or period,
        )
    if row["link_page"] == "team":
        return ui.page_url("team", unit=row["unit_id"], period=row["period_id"] or period)
    return None


def _flag_table(table, period: str | None) -> str | None:
    """The table with row selection and the synchronised fallback picker; the chosen id."""
    shown = table.assign(link=[_link(r, period) for _, r in table.iterrows()])
    event = st.dataframe(
        va.styled_flags(shown, SEVERITY_COLORS),
        key="anomalies_table",
        hide_index=True,
        width="stretch",
        height=420,
        on_select="rerun",
        selection_mode="single-row",
        column_order=TABLE_COLUMNS,
        column_config={
            "severity_label": st.column_config.TextColumn(ui.t("col.severity"), width="small"),
            "type_label": ui.t("col.flag_type"),
            "subject_name": ui.t("anomalies.col.subject"),
            "unit_name": ui.t("col.unit"),
            "group_label": ui.t("col.rater_group"),
            "statistic": st.column_config.NumberColumn(ui.t("col.effect"), format="%.2f"),
            "p_text": ui.t("col.p_value"),
            "period_label": ui.t("anomalies.col.period"),
            "evidence": st.column_config.TextColumn(ui.t("col.evidence"), width="large"),
            "link": st.column_config.LinkColumn(
                ui.t("anomalies.col.open"), display_text=ui.t("anomalies.open"), width="small"
            ),
        },
    )
    ids = list(table["flag_id"])
    options = dict(zip(ids, table["option"], strict=True))
    rows = tuple(event.selection.rows) if event is not None else ()
    # a new row selection in the table drives the picker; the picker alone keeps its value
    if rows != st.session_state.get("_anomalies_rows"):
        st.session_state["_anomalies_rows"] = rows
        if rows and rows[0] < len(ids):
            st.session_state["anomalies_flag"] = ids[rows[0]]
    # a link to one flag (?flag=<id>) opens it once; the shown flag is kept in the URL, which
    # also brings it back after another tab (lazy: the picker was not drawn) was open
    url = st.query_params.get("flag")
    fresh = url != st.session_state.get("_anomalies_url")
    if url in options and (fresh or "anomalies_flag" not in st.session_state):
        st.session_state["anomalies_flag"] = url
    if st.session_state.get("anomalies_flag") not in options:
        st.session_state["anomalies_flag"] = ids[0]
    chosen = st.selectbox(
        ui.t("anomalies.pick"),
        ids,
        format_func=options.get,
        key="anomalies_flag",
        help=ui.t("anomalies.pick_help"),
    )
    st.query_params["flag"] = chosen
    st.session_state["_anomalies_url"] = chosen
    return chosen


def _evidence(ev: dict, key: str, period: str | None) -> None:
    """One flag's evidence: badge, sentence, links, comparison chart(s), test and numbers."""
    flag = ev["flag"]
    st.badge(flag["severity_label"], color=BADGE[flag["severity"]], icon=":material/flag:")
    st.markdown(
        f"**{flag['type_label']} · {flag['subject_name']}**"
        + (
            f" · {flag['unit_name']}"
            if flag["unit_name"] and flag["unit_name"] != flag["subject_name"]
            else ""
        )
        + f" · {flag['period_label']}"
    )
    st.info(flag["evidence"])
    pid = flag["period_id"] or period
    if flag["subject_type"] == "cadre":
        ui.link(
            "portrait",
            ui.t("anomalies.ev.portrait", name=flag["subject_name"]),
            icon=":material/person:",
            cadre=flag["subject_id"],
            unit=flag["unit_id"],
            period=pid,
        )
    if flag["unit_id"]:
        ui.link(
            "team",
            ui.t("anomalies.ev.team", name=flag["unit_name"]),
            icon=":material/groups:",
            unit=flag["unit_id"],
            period=pid,
        )
    for i, spec in enumerate(ev["charts"]):
        ui.chart(charts.evidence_figure(spec), key=f"{key}_chart_{i}")
    if not ev["charts"]:
        st.caption(ui.t("anomalies.ev.no_chart"))
    for note in ev["notes"]:
        st.caption(":material/visibility_off: " + note)
    ui.privacy_note(ev["hidden"])
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{ui.t('anomalies.ev.test')}**")
        st.dataframe(
            ev["facts"],
            hide_index=True,
            width="stretch",
            key=f"{key}_facts",
            height=35 * (len(ev["facts"]) + 1) + 3,
        )
    with right:
        st.caption(ui.t("anomalies.ev.method", text=ev["method"]))
        st.caption(ui.t("anomalies.ev.statistic", text=ev["stat"]))
        for j, (title, frame) in enumerate(ev["tables"]):
            st.markdown(f"**{title}**")
            st.dataframe(
                va.styled_detail(frame), hide_index=True, width="stretch", key=f"{key}_table_{j}"
            )


def _flags_tab(args: tuple, scope: dict, lang: str) -> None:
    table = ui.query(va.flag_table, *args, lang)
    st.caption(ui.t("anomalies.table.caption") + " " + ui.t("anomalies.pooled_note"))
    if scope["area"] or scope["unit"]:
        st.caption(ui.t("anomalies.citywide_note"))
    if table.empty:
        st.info(ui.t("anomalies.table.empty"))
        return
    flag_id = _flag_table(table, scope["period"])
    ev = ui.query(va.evidence, flag_id, lang)
    if ev is not None:
        st.subheader(ui.t("anomalies.ev.title"))
        _evidence(ev, "anomalies_ev", scope["period"])


# ---- map, reliability, rater groups ------------------------------------------------------
def _map_tab(args: tuple, lang: str) -> None:
    m = ui.query(va.severity_map, *args, lang)
    st.caption(ui.t("anomalies.map.caption", k=m["k"]))
    if m["cells"].empty:
        st.info(ui.t("anomalies.map.empty"))
    else:
        labels = {
            "title": ui.t("anomalies.map.title"),
            "x": ui.t("anomalies.map.x"),
            "y": ui.t("anomalies.map.y"),
            "count": ui.t("anomalies.map.count"),
            "colorbar": ui.t("col.severity"),
            **{f"severity.{s}": ui.t(f"severity.{s}") for s in va.SEVERITY_ORDER},
        }
        ui.chart(charts.severity_heatmap(m["cells"], labels), key="anomalies_map")
    if m["units_without"] > 0:
        st.caption(ui.t("anomalies.map.units_without", n=m["units_without"]))
    ui.privacy_note(m["hidden"])


def _reliability_tab(scope: dict, lang: str) -> None:
    st.subheader(ui.t("anomalies.rel.title"))
    st.caption(ui.t("anomalies.rel.caption"))
    rel = ui.query(va.reliability, scope["period"], scope["area"], scope["unit"], lang)
    if rel["table"].empty:
        st.info(ui.t("anomalies.rel.empty"))
        return
    s = rel["summary"]
    cols = st.columns(4)
    cols[0].metric(ui.t("anomalies.rel.sessions"), f"{s['sessions']:,}")
    for col, name in zip(cols[1:], ("median_alpha", "median_icc1", "median_icck"), strict=True):
        col.metric(ui.t(f"anomalies.rel.{name}"), "—" if s[name] is None else f"{s[name]:.2f}")
    long = ui.query(va.reliability_long, scope["period"], scope["area"], scope["unit"], lang)
    labels = {
        "title": ui.t("anomalies.rel.chart"),
        "x": ui.t("anomalies.rel.x"),
        "y": ui.t("anomalies.rel.y"),
        "alpha": ui.t("anomalies.rel.alpha"),
        "icc_single": ui.t("anomalies.rel.icc1"),
        "icc_average": ui.t("anomalies.rel.icck"),
        **{f"band.{b}": ui.t(f"anomalies.band.{b}") for b in charts.BAND_COLORS},
    }
    ui.chart(charts.reliability_distribution(long, labels), key="anomalies_rel_chart")
    num = st.column_config.NumberColumn
    st.dataframe(
        rel["table"],
        hide_index=True,
        width="stretch",
        key="anomalies_rel_table",
        column_order=[
            "unit_name",
            "sheets",
            "alpha",
            "alpha_band_label",
            "icc_single",
            "icc_average",
            "icc_band_label",
            "icc_sheets",
        ],
        column_config={
            "unit_name": ui.t("col.unit"),
            "sheets": num(ui.t("col.sheets")),
            "alpha": num("Krippendorff α", format="%.3f"),
            "alpha_band_label": ui.t("anomalies.rel.col.alpha_band"),
            "icc_single": num("ICC(2,1)", format="%.3f"),
            "icc_average": num("ICC(2,k)", format="%.3f"),
            "icc_band_label": ui.t("anomalies.rel.col.icc_band"),
            "icc_sheets": num(ui.t("anomalies.rel.col.icc_sheets")),
        },
    )


def _bias_tab(scope: dict, lang: str) -> None:
    st.subheader(ui.t("anomalies.rg.title"))
    st.caption(ui.t("anomalies.rg.caption"))
    every = ui.query(va.rater_groups, None, lang)
    labels = {
        "title": ui.t("anomalies.rg.chart"),
        "x": ui.t("anomalies.rg.x"),
        "y": ui.t("anomalies.rg.y"),
        "legend": ui.t("anomalies.rg.legend"),
    }
    ui.chart(charts.rater_group_severity(every, labels), key="anomalies_rg_chart")
    ui.privacy_note(int(every["suppressed"].sum()))
    if every["complement"].any():
        note = ui.t("anomalies.rg.complement", k=privacy.floor())
        st.caption(":material/visibility_off: " + note)
    if scope["period"]:
        now = ui.query(va.rater_groups, scope["period"], lang)
        if not now.empty:
            st.markdown(f"**{ui.t('anomalies.rg.table', period=now['period'].iloc[0])}**")
        num = st.column_config.NumberColumn
        st.dataframe(
            now,
            hide_index=True,
            width="stretch",
            key="anomalies_rg_table",
            column_order=[
                "group_label",
                "severity",
                "severity_se",
                "infit",
                "outfit",
                "n_marks",
                "n_sheets",
            ],
            column_config={
                "group_label": ui.t("col.rater_group"),
                "severity": num(ui.t("anomalies.rg.col.severity"), format="%+.3f"),
                "severity_se": num(ui.t("anomalies.rg.col.se"), format="%.3f"),
                "infit": num(ui.t("anomalies.rg.col.infit"), format="%.2f"),
                "outfit": num(ui.t("anomalies.rg.col.outfit"), format="%.2f"),
                "n_marks": num(ui.t("anomalies.rg.col.marks"), format="localized"),
                "n_sheets": num(ui.t("col.sheets"), format="localized"),
            },
        )
    st.subheader(ui.t("anomalies.gb.title"))
    st.caption(ui.t("anomalies.gb.caption"))
    ids = ui.query(va.population_flags, lang)
    if not ids:
        st.info(ui.t("anomalies.gb.none"))
    for i, flag_id in enumerate(ids):
        ev = ui.query(va.evidence, flag_id, lang)
        if ev is not None:
            _evidence(ev, f"anomalies_gb_{i}", scope["period"])


# ---- the page ----------------------------------------------------------------------------
def render() -> None:
    lang = ui.current_lang()
    scope = ui.current_filters()
    st.title(ui.t("anomalies.title"))
    st.caption(ui.t("anomalies.caption"))
    types, sevs, subjects = _page_filters()
    args = (scope["period"], scope["area"], scope["unit"], types, sevs, subjects)
    _metrics(ui.query(va.severity_counts, *args))
    # lazy tabs: only the open tab runs (key anomalies_tab holds its label)
    tabs = st.tabs(
        [ui.t(f"anomalies.tab.{name}") for name in TABS], key="anomalies_tab", on_change="rerun"
    )
    draw = {
        "flags": lambda: _flags_tab(args, scope, lang),
        "map": lambda: _map_tab(args, lang),
        "reliability": lambda: _reliability_tab(scope, lang),
        "bias": lambda: _bias_tab(scope, lang),
    }
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open is not False:
            with tab:
                draw[name]()


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
