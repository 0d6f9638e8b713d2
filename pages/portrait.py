"""Cadre portrait (干部画像): one cadre in the chosen period, ready for a briefing.

Widgets → :mod:`analytics.views.portrait` (queries) → :mod:`analytics.views.portrait_charts`
(figures), :mod:`analytics.views.portrait_summary` (the spoken summary) and
:mod:`analytics.views.portrait_frames` (what the tables and cards show) → render.
"""

from __future__ import annotations

import streamlit as st

from analytics import privacy
from analytics import st_adapter as ui
from analytics.views import period_label
from analytics.views import portrait as pv
from analytics.views import portrait_charts as charts
from analytics.views import portrait_frames as pf
from analytics.views import portrait_summary as summary


def render() -> None:
    st.title(ui.t("portrait.title"))
    st.caption(ui.t("portrait.caption"))
    filters = ui.current_filters()
    period = filters["period"]
    if period is None:
        st.info(ui.t("portrait.no_period"))
        return
    cadre = ui.cadre_picker(filters["unit"])
    if filters["unit"] is None:
        st.caption(":material/search: " + ui.t("portrait.pick_all"))
    facts = ui.query(pv.facts, cadre, period) if cadre is not None else None
    if facts is None:
        st.info(ui.t("portrait.no_cadres"))
        return
    lang = ui.current_lang()
    period_name = period_label(period, facts["period_label"], lang)
    score = ui.query(pv.standing, cadre, period)
    trend = ui.query(pv.trend, cadre, period)
    _facts(facts, period_name, lang)
    _summary(cadre, period, lang)
    if score is None:
        st.info(pf.not_scored(facts, period_name, lang))
    else:
        _standing(cadre, period, score, lang)
    if facts["ever_rated"] or score is not None:
        _dimensions(cadre, period, lang)
        _groups(cadre, period, lang)
        if len(trend):
            _trend(pf.trend_shown(trend, lang))
    _portfolio(cadre, period, scored=score is not None)
    _talks(cadre, period, lang)
    _flags(cadre, period, facts, lang)


# ---- sections -------------------------------------------------------------------------------
def _facts(facts: dict, period_name: str, lang: str) -> None:
    st.header(facts["name"])
    with st.container(horizontal=True):
        for text, color in pf.badges(facts, lang):
            st.badge(text, color=color)
    with st.container(border=True, key="portrait_facts"):
        cols = st.columns([3, 3, 1, 1.2, 2, 1.6])
        for col, (label, value, help_text) in zip(
            cols, pf.fact_items(facts, period_name, lang), strict=True
        ):
            col.caption(label, help=help_text)
            col.markdown(f"**{value}**")
        ui.link(
            "team",
            ui.t("portrait.team_link", unit=facts["unit_name"]),
            icon=":material/groups:",
            unit=facts["unit_id"],
            period=facts["period_id"],
        )


def _summary(cadre: str, period: str, lang: str) -> None:
    sentences = summary.summarize(ui.query(pv.summary_figures, cadre, period), lang)
    if not sentences:
        return
    text = summary.as_text(sentences, lang)
    with st.container(border=True, key="portrait_summary"):
        st.subheader(":material/record_voice_over: " + ui.t("portrait.summary.title"))
        st.markdown(text)
        st.caption(ui.t("portrait.summary.caption"))
        with st.expander(ui.t("portrait.summary.copy"), icon=":material/content_copy:"):
            st.code(text, language=None, wrap_lines=True)


def _standing(cadre: str, period: str, s: dict, lang: str) -> None:
    st.subheader(ui.t("portrait.standing.title"))
    ui.metrics(*pf.standing_metrics(s, lang), border=True)
    peer = summary.peer_label(s["peer_group"], lang)
    st.caption(ui.t("portrait.standing.caption", peer=peer, n=s["peer_size"]))
    ch = ui.query(pv.channels, cadre, period)
    if ch.empty:
        return
    st.markdown(f"**{ui.t('portrait.channels.title')}**")
    shown = pf.channels_shown(ch, lang)
    labels = ui.texts("portrait.channels.chart", "portrait.channels.x", "portrait.channels.y")
    fig = charts.channels(shown, *labels)
    right, _ = ui.chart_and_table(
        fig, "portrait_channels_chart", shown, "portrait_channels", pf.CHANNELS
    )
    if s["missing"]:
        names = pf.missing_channels(s["missing"], lang)
        right.caption(":material/info: " + ui.t("portrait.channels.missing", channels=names))
    else:
        right.caption(ui.t("portrait.channels.complete"))


def _dimensions(cadre: str, period: str, lang: str) -> None:
    dims = ui.query(pv.dimensions, cadre, period)
    st.subheader(ui.t("portrait.dims.title"))
    rated = dims.dropna(subset=["mean"]) if len(dims) else dims
    if rated.empty:
        st.info(ui.t("portrait.dims.none"))
        return
    lo, hi = int(rated["scale_min"].min()), int(rated["scale_max"].max())
    axis = ui.t("portrait.dims.axis", lo=lo, hi=hi)
    shown = pf.dimensions_shown(rated, lang)
    left, right = st.columns(2)
    with left:
        labels = ui.texts("portrait.dims.chart", "portrait.dims.me", "portrait.dims.peer")
        ui.chart(charts.radar(shown, *labels, axis, (lo, hi)), key="portrait_radar")
    selfs = shown.dropna(subset=["self"]).rename(columns={"mean": "others"})
    with right:
        st.markdown(f"**{ui.t('portrait.self.title')}**")
        if selfs.empty:
            st.info(ui.t("portrait.self.none"))
        else:
            names = ui.texts("portrait.col.dimension", "portrait.self.self", "portrait.self.others")
            fig = charts.self_vs_others(selfs, ui.t("portrait.self.chart"), axis, *names, (lo, hi))
            ui.chart(fig, key="portrait_self_chart")
            # the peers' usual self-minus-others gap, as the summary states it
            peer_gap = ui.query(pv.summary_figures, cadre, period).get("self", {}).get("peer_gap")
            shown_gap = f"{peer_gap:+.2f}" if peer_gap is not None else "—"
            st.caption(ui.t("portrait.self.caption", pg=shown_gap))
    n = int(rated["n_peers"].max()) if rated["n_peers"].notna().any() else 0
    st.caption(ui.t("portrait.dims.scale", lo=lo, hi=hi, n=n))
    ui.table(shown, "portrait_dimensions", pf.DIMENSIONS)


def _groups(cadre: str, period: str, lang: str) -> None:
    st.subheader(ui.t("portrait.groups.title"))
    groups = ui.query(pv.rater_groups, cadre, period)
    if groups.empty:
        st.info(ui.t("portrait.groups.none"))
        return
    shown = pf.groups_shown(groups, lang)
    visible = shown[~shown["suppressed"]]
    if visible.empty:
        st.info(ui.t("portrait.groups.all_hidden"))
    else:
        dims = ui.query(pv.dimensions, cadre, period)
        scale = (float(dims["scale_min"].min()), float(dims["scale_max"].max()))
        axis = ui.t("portrait.dims.axis", lo=int(scale[0]), hi=int(scale[1]))
        labels = ui.texts("col.rater_group", "portrait.groups.me", "portrait.groups.usual")
        fig = charts.rater_groups(visible, ui.t("portrait.groups.chart"), axis, *labels, scale)
        ui.chart(fig, key="portrait_groups_chart")
    ui.table(shown, "portrait_groups", pf.GROUPS)
    st.caption(ui.t("portrait.groups.caption"))
    ui.privacy_note(int(groups["suppressed"].sum()))
    secondary = int(groups["secondary"].sum())
    if secondary:
        key = "portrait.groups.secondary_one" if secondary == 1 else "portrait.groups.secondary"
        st.caption(":material/visibility_off: " + ui.t(key, n=secondary))


def _trend(shown) -> None:
    st.subheader(ui.t("portrait.trend.title"))
    level = f"{shown['level'].iloc[-1] * 100:.0f}"
    axes = ui.texts("portrait.trend.x", "portrait.trend.y")
    names = ui.texts("portrait.trend.composite", "portrait.trend.peer")
    fig = charts.trend(shown, ui.t("portrait.trend.chart", level=level), *axes, *names)
    ui.chart(fig, key="portrait_trend_chart")
    ui.table(shown, "portrait_trend", pf.TREND)
    st.caption(ui.t("portrait.trend.caption"))


def _portfolio(cadre: str, period: str, scored: bool) -> None:
    st.subheader(ui.t("portrait.portfolio.title"))
    pf_ = ui.query(pv.portfolio, cadre, period)
    rows = pf_["rows"]
    ui.metrics(*pf.portfolio_metrics(pf_, ui.current_lang()), border=True)
    if rows.empty:
        st.info(ui.t("portrait.portfolio.none" if scored else "portrait.portfolio.none_other"))
        return
    labels = ui.texts("portrait.portfolio.chart", "portrait.portfolio.x", "portrait.portfolio.y")
    line = ui.t("portrait.portfolio.unit_line", v=pf.share_text(pf_["unit_pct"]))
    fig = charts.portfolio(rows, pf_["unit_pct"], *labels, line)
    ui.chart_and_table(fig, "portrait_portfolio_chart", rows, "portrait_portfolio", pf.PORTFOLIO)


def _talks(cadre: str, period: str, lang: str) -> None:
    st.subheader(ui.t("portrait.talks.title"))
    tk = ui.query(pv.talk_mentions, cadre, period)
    window = {"since": tk["since"], "until": tk["until"]}
    if tk["hidden_units"]:  # the anonymity floor left some units' talks out
        note = ui.t("talks.mentions.hidden", n=tk["hidden_units"], k=privacy.floor())
        st.caption(":material/visibility_off: " + note)
    if not tk["n_mentions"]:
        st.info(ui.t("portrait.talks.none", **window))
        return
    shown = pf.talks_shown(tk, lang)
    stances = {s: ui.t(f"stance.{s}") for s in pf.STANCES}
    labels = ui.texts("portrait.talks.chart", "portrait.talks.x", "portrait.talks.y")
    fig = charts.talks(shown["counts"], stances, *labels)
    columns = pf.talk_columns(lang)
    table = shown["table"]
    ui.chart_and_table(fig, "portrait_talks_chart", table, "portrait_talks", columns, ratio=(3, 2))
    st.caption(ui.t("portrait.talks.caption", n=tk["n_mentions"], t=tk["n_talks"], **window))
    if len(shown["notes"]):
        with st.expander(ui.t("portrait.talks.notes"), icon=":material/format_quote:"):
            ui.table(shown["notes"], "portrait_talk_notes", pf.NOTES)


def _flags(cadre: str, period: str, facts: dict, lang: str) -> None:
    st.subheader(ui.t("portrait.flags.title"))
    fl = ui.query(pv.flags, cadre, period)
    if fl.empty:
        st.success(ui.t("portrait.flags.none"))
    else:
        st.caption(ui.t("portrait.flags.caption"))
    for i, card in enumerate(pf.flag_cards(fl, lang)):
        with st.container(border=True, key=f"portrait_flag_{i}"):
            with st.container(horizontal=True, vertical_alignment="center"):
                st.badge(card["severity"], color=card["color"])
                st.markdown(f"**{card['type']}**")
                st.caption(card["when"])
            st.markdown(card["evidence"])
            st.caption(card["stat"])
    ui.link(
        "anomalies",
        ui.t("portrait.flags.open"),
        icon=":material/troubleshoot:",
        unit=facts["unit_id"],
        period=period,
    )


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
