"""Anomalies and bias (评价异常), the analysts' workbench: every flag in scope and its evidence;
the unit × rater-group severity map; session reliability; rater groups and city-wide bias."""

from __future__ import annotations

import streamlit as st

from analytics import privacy
from analytics import st_adapter as ui
from analytics.charts import SEVERITY_COLORS
from analytics.flags import FLAG_TYPES
from analytics.views import anomalies as va
from analytics.views import anomalies_bias as vb
from analytics.views import anomalies_charts as charts
from analytics.views import anomalies_evidence as ve

TABS = ("flags", "map", "reliability", "bias")
BADGE = {"critical": "red", "warning": "orange", "info": "blue"}
C = ui.Col
FLAG_COLUMNS = {
    "severity_label": C("text", "col.severity", width=60),
    "type_label": C("text", "col.flag_type", width=90),
    "subject_name": C("name", "anomalies.col.subject", width=100),
    "unit_name": C("wrap", "col.unit", width=110),
    "group_label": C("text", "col.rater_group", width=80),
    "statistic": C("effect", "col.effect", width=60),
    "p_text": C("text", "col.p_value", width=70),
    "period_label": C("text", "anomalies.col.period", width=80),
    "evidence": C("wrap", "col.evidence", width=235, lines=4),
    "link": C("link", "anomalies.col.open", display="anomalies.open", width=55),
}
RELIABILITY_COLUMNS = {
    "unit_name": C("name", "col.unit"),
    "sheets": C("count", "col.sheets"),
    "alpha": C("number", text="Krippendorff α", format="%.3f", width=110),
    "alpha_band_label": C("text", "anomalies.rel.col.alpha_band"),
    "icc_single": C("number", text="ICC(2,1)", format="%.3f"),
    "icc_average": C("number", text="ICC(2,k)", format="%.3f"),
    "icc_band_label": C("text", "anomalies.rel.col.icc_band"),
    "icc_sheets": C("count", "anomalies.rel.col.icc_sheets"),
}
GROUP_COLUMNS = {
    "group_label": C("name", "col.rater_group"),
    "severity": C("number", "anomalies.rg.col.severity", format="%+.3f", width=100),
    "severity_se": C("number", "anomalies.rg.col.se", format="%.3f"),
    "infit": C("number", "anomalies.rg.col.infit", format="%.2f"),
    "outfit": C("number", "anomalies.rg.col.outfit", format="%.2f"),
    "n_marks": C("count", "anomalies.rg.col.marks"),
    "n_sheets": C("count", "col.sheets"),
}


# ---- filters -----------------------------------------------------------------------------
def _page_filters() -> tuple[tuple, tuple, tuple]:
    """The page's own filters (empty = all): flag types, severities, subject types."""
    choices = {
        "type": {t: ui.t(f"flag.{t}") for t in FLAG_TYPES},
        "severity": {s: ui.t(f"severity.{s}") for s in va.SEVERITY_ORDER},
        "subject": {s: ui.t(f"subject.{s}") for s in va.SUBJECT_TYPES},
    }
    chosen = [
        col.multiselect(
            ui.t(f"anomalies.filter.{name}"),
            list(options),
            format_func=options.get,
            key=f"anomalies_{name}",
            placeholder=ui.t("anomalies.filter.all"),
        )
        for col, (name, options) in zip(st.columns([3, 2, 2]), choices.items(), strict=True)
    ]
    return tuple(chosen[0]), tuple(chosen[1]), tuple(chosen[2])


# ---- the flag table and the evidence panel ----------------------------------------------
def _link(row, period: str | None) -> str | None:
    pid = row["period_id"] or period
    if row["link_page"] == "portrait":
        return ui.page_url("portrait", cadre=row["link_cadre"], unit=row["unit_id"], period=pid)
    return ui.page_url("team", unit=row["unit_id"], period=pid) if row["link_page"] else None


def _flag_table(table, period: str | None) -> str | None:
    """The table with row selection and the synchronised fallback picker; the chosen id."""
    shown = table.assign(link=[_link(r, period) for _, r in table.iterrows()])
    row = ui.table(
        shown,
        "anomalies_table",
        FLAG_COLUMNS,
        select=True,
        height=420,
        keep=True,
        style=lambda frame: va.styled_flags(frame, SEVERITY_COLORS),
    )
    ids = list(table["flag_id"])
    options = dict(zip(ids, table["option"], strict=True))
    picked = None if row is None else row["flag_id"]
    return ui.synced_pick(
        ids,
        options,
        picked,
        "anomalies_flag",
        "flag",
        ui.t("anomalies.pick"),
        "anomalies.pick_help",
    )


def _evidence(ev: dict, key: str, period: str | None) -> None:
    """One flag's evidence: badge, sentence, links, comparison chart(s), test and numbers."""
    flag = ev["flag"]
    st.badge(flag["severity_label"], color=BADGE[flag["severity"]], icon=":material/flag:")
    unit = flag["unit_name"] if flag["unit_name"] != flag["subject_name"] else None
    head = [f"**{flag['type_label']} · {flag['subject_name']}**", unit, flag["period_label"]]
    st.markdown(" · ".join(x for x in head if x))
    st.info(flag["evidence"])
    pid, sid, uid = flag["period_id"] or period, flag["subject_id"], flag["unit_id"]
    with st.container(horizontal=True):
        if flag["subject_type"] == "cadre":
            name = ui.t("anomalies.ev.portrait", name=flag["subject_name"])
            ui.link("portrait", name, ":material/person:", cadre=sid, unit=uid, period=pid)
        if uid:
            name = ui.t("anomalies.ev.team", name=flag["unit_name"])
            ui.link("team", name, ":material/groups:", unit=uid, period=pid)
    for i, spec in enumerate(ev["charts"]):
        ui.chart(charts.evidence_figure(spec), key=f"{key}_chart_{i}")
    if not ev["charts"]:
        st.caption(ui.t("anomalies.ev.no_chart"))
    for note in ev["notes"]:
        st.caption(":material/visibility_off: " + note)
    ui.privacy_note(ev["hidden"])
    left, right = st.columns([2, 3])
    left.markdown(f"**{ui.t('anomalies.ev.test')}**")
    left.dataframe(ev["facts"], hide_index=True, key=f"{key}_facts", height="content")
    right.caption(ui.t("anomalies.ev.method", text=ev["method"]))
    right.caption(ui.t("anomalies.ev.statistic", text=ev["stat"]))
    for j, (title, frame) in enumerate(ev["tables"]):
        right.markdown(f"**{title}**")
        right.dataframe(va.styled_detail(frame), hide_index=True, key=f"{key}_table_{j}")


def _flags_tab(args: tuple, scope: dict, lang: str) -> None:
    table = ui.query(va.flag_table, *args, lang)
    st.caption(ui.t("anomalies.table.caption") + " " + ui.t("anomalies.pooled_note"))
    if scope["area"] or scope["unit"]:
        st.caption(ui.t("anomalies.citywide_note"))
    if table.empty:
        st.info(ui.t("anomalies.table.empty"))
        return
    flag_id = _flag_table(table, scope["period"])
    ev = ui.query(ve.evidence, flag_id, lang)
    if ev is not None:
        st.subheader(ui.t("anomalies.ev.title"))
        _evidence(ev, "anomalies_ev", scope["period"])


# ---- map, reliability, rater groups ------------------------------------------------------
def _map_tab(args: tuple, scope: dict, lang: str) -> None:
    m = ui.query(vb.severity_map, *args, lang)
    st.caption(ui.t("anomalies.map.caption", k=m["k"]))
    if m["cells"].empty:
        st.info(ui.t("anomalies.map.empty"))
    else:
        labels = charts.chart_labels("map", lang)
        ui.chart(charts.severity_heatmap(m["cells"], labels), key="anomalies_map")
    if m["units_without"] > 0:
        st.caption(ui.t("anomalies.map.units_without", n=m["units_without"]))
    ui.privacy_note(m["hidden"])


def _reliability_tab(args: tuple, scope: dict, lang: str) -> None:
    st.subheader(ui.t("anomalies.rel.title"))
    st.caption(ui.t("anomalies.rel.caption"))
    rel = ui.query(vb.reliability, scope["period"], scope["area"], scope["unit"], lang)
    if rel["table"].empty:
        st.info(ui.t("anomalies.rel.empty"))
        return
    s = rel["summary"]
    ui.metrics(
        (ui.t("anomalies.rel.sessions"), f"{s['sessions']:,}"),
        *(
            (ui.t(f"anomalies.rel.{name}"), "—" if s[name] is None else f"{s[name]:.2f}")
            for name in ("median_alpha", "median_icc1", "median_icck")
        ),
    )
    long = ui.query(vb.reliability_long, scope["period"], scope["area"], scope["unit"], lang)
    labels = charts.chart_labels("reliability", lang)
    ui.chart(charts.reliability_distribution(long, labels), key="anomalies_rel_chart")
    ui.table(rel["table"], "anomalies_rel_table", RELIABILITY_COLUMNS)


def _bias_tab(args: tuple, scope: dict, lang: str) -> None:
    st.subheader(ui.t("anomalies.rg.title"))
    st.caption(ui.t("anomalies.rg.caption"))
    every = ui.query(vb.rater_groups, None, lang)
    labels = charts.chart_labels("groups", lang)
    ui.chart(charts.rater_group_severity(every, labels), key="anomalies_rg_chart")
    ui.privacy_note(int(every["suppressed"].sum()))
    if every["complement"].any():
        note = ui.t("anomalies.rg.complement", k=privacy.floor())
        st.caption(":material/visibility_off: " + note)
    if scope["period"]:
        now = ui.query(vb.rater_groups, scope["period"], lang)
        if not now.empty:
            st.markdown(f"**{ui.t('anomalies.rg.table', period=now['period'].iloc[0])}**")
        ui.table(now, "anomalies_rg_table", GROUP_COLUMNS)
    st.subheader(ui.t("anomalies.gb.title"))
    st.caption(ui.t("anomalies.gb.caption"))
    ids = ui.query(vb.population_flags, lang)
    if not ids:
        st.info(ui.t("anomalies.gb.none"))
    for i, flag_id in enumerate(ids):
        ev = ui.query(ve.evidence, flag_id, lang)
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
    counts = ui.query(va.severity_counts, *args)
    ui.metrics(
        (ui.t("anomalies.metric.total"), f"{counts['total']:,}"),
        *((ui.t(f"severity.{sev}"), f"{counts[sev]:,}") for sev in va.SEVERITY_ORDER),
        (ui.t("anomalies.metric.units"), f"{counts['units']:,}"),
    )
    # lazy tabs: only the open tab runs (key anomalies_tab holds its label)
    tabs = st.tabs(
        [ui.t(f"anomalies.tab.{name}") for name in TABS], key="anomalies_tab", on_change="rerun"
    )
    draw = {
        "flags": _flags_tab,
        "map": _map_tab,
        "reliability": _reliability_tab,
        "bias": _bias_tab,
    }
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open is not False:
            with tab:
                draw[name](args, scope, lang)


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
