"""Cadre portrait (干部画像): one cadre in the chosen period, ready for a briefing.

Widgets → :mod:`analytics.views.portrait` (queries) → :mod:`analytics.views.portrait_charts`
(figures) and :mod:`analytics.views.portrait_summary` (the spoken summary) → render.
"""

from __future__ import annotations

import streamlit as st

from analytics import i18n, privacy
from analytics import st_adapter as ui
from analytics.views import period_label
from analytics.views import portrait as pv
from analytics.views import portrait_charts as charts
from analytics.views import portrait_summary as summary

SEVERITY_BADGE = {"critical": "red", "warning": "orange", "info": "blue"}
NUM2 = st.column_config.NumberColumn
STANCES = ("positive", "neutral", "negative")


def _name(prefix: str, code: str | None) -> str:
    """A code's label (``group.staff`` …), the code itself if the data use an unknown one."""
    if code is None:
        return ""
    key = f"{prefix}.{code}"
    return ui.t(key) if key in i18n.STRINGS else str(code)


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
    if cadre is None:
        st.info(ui.t("portrait.no_cadres"))
        return
    lang = ui.current_lang()
    facts = ui.query(pv.facts, cadre, period)
    if facts is None:
        st.info(ui.t("portrait.no_cadres"))
        return
    period_name = period_label(period, facts["period_label"], lang)
    score = ui.query(pv.standing, cadre, period)
    trend = ui.query(pv.trend, cadre, period)

    _facts(facts, period_name)
    _summary(cadre, period, lang)
    if score is None:
        st.info(
            ui.t("portrait.not_team", tier=_name("tier", facts["tier"]))
            if facts["tier"] != "team"
            else ui.t("portrait.not_scored", period=period_name)
        )
    else:
        _standing(cadre, period, score, lang)
    if facts["ever_rated"] or score is not None:
        _dimensions(cadre, period, lang)
        _groups(cadre, period)
        if len(trend):
            _trend(trend, lang)
    _portfolio(cadre, period, scored=score is not None)
    _talks(cadre, period)
    _flags(cadre, period, facts, lang)


# ---- sections -------------------------------------------------------------------------------
def _facts(facts: dict, period_name: str) -> None:
    st.header(facts["name"])
    with st.container(horizontal=True):
        st.badge(_name("tier", facts["tier"]), color="gray")
        if facts["tier"] == "team":
            st.badge(_name("role", facts["role"]), color="blue")
        st.badge(
            ui.t(
                "portrait.fact.area",
                area=facts["area_name"] or facts["area_id"],
                unit_type=_name("unit_type", facts["unit_type"]),
            ),
            color="gray",
        )
    unknown = ui.t("portrait.fact.unknown")
    lang = ui.current_lang()
    items = [
        ("position", facts["position"], None),
        ("unit", facts["unit_name"], None),
        (
            "gender",
            ui.t(f"portrait.gender.{facts['gender']}") if facts["gender"] else unknown,
            None,
        ),
        (
            "age",
            ui.t("portrait.fact.age_value", age=facts["age"])
            if facts["age"] is not None
            else unknown,
            ui.t("portrait.fact.age_help", period=period_name, end=facts["end_date"]),
        ),
        (
            "tenure",
            summary.tenure(facts["months_in_post"], lang),
            ui.t("portrait.fact.tenure_help", since=facts["in_post_since"], period=period_name)
            if facts["in_post_since"]
            else None,
        ),
        ("education", facts["education"] or unknown, None),
    ]
    with st.container(border=True, key="portrait_facts"):
        cols = st.columns([3, 3, 1, 1.2, 2, 1.6])
        for col, (key, value, help_text) in zip(cols, items, strict=True):
            col.caption(ui.t(f"portrait.fact.{key}"), help=help_text)
            col.markdown(f"**{value}**")
        ui.link(
            "team",
            ui.t("portrait.team_link", unit=facts["unit_name"]),
            icon=":material/groups:",
            unit=facts["unit_id"],
            period=facts["period_id"],
        )


def _summary(cadre: str, period: str, lang: str) -> None:
    figures = ui.query(pv.summary_figures, cadre, period)
    sentences = summary.summarize(figures, lang)
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
    level = f"{s['level'] * 100:.0f}"
    cols = st.columns(4)
    cols[0].metric(
        ui.t("portrait.metric.composite"),
        f"{s['composite']:.1f}",
        help=ui.t(
            "portrait.metric.composite_help",
            level=level,
            lo=f"{s['ci_low']:.1f}",
            hi=f"{s['ci_high']:.1f}",
            median=f"{s['peer_median']:.1f}",
        ),
        border=True,
    )
    cols[1].metric(
        ui.t("portrait.metric.interval", level=level),
        f"{s['ci_low']:.1f}–{s['ci_high']:.1f}",
        border=True,
    )
    cols[2].metric(
        ui.t("portrait.metric.rank_interval"),
        ui.t(
            "portrait.metric.rank_interval_value",
            lo=s["rank_low"],
            hi=s["rank_high"],
            n=s["peer_size"],
        ),
        help=ui.t("portrait.metric.rank_value", rank=s["rank"], n=s["peer_size"]),
        border=True,
    )
    cols[3].metric(
        ui.t("portrait.metric.percentile"),
        ui.t(
            "portrait.metric.percentile_value",
            p=f"{s['percentile']:.0f}",
            lo=f"{s['pct_low']:.0f}",
            hi=f"{s['pct_high']:.0f}",
        ),
        border=True,
    )
    st.caption(
        ui.t(
            "portrait.standing.caption",
            peer=summary.peer_label(s["peer_group"], lang),
            n=s["peer_size"],
        )
    )

    ch = ui.query(pv.channels, cadre, period)
    if ch.empty:
        return
    st.markdown(f"**{ui.t('portrait.channels.title')}**")
    shown = ch.assign(
        label=[ui.t(f"score.{c}") for c in ch["channel"]],
        basis_text=[
            ui.t(f"portrait.basis.{k}" + ("_one" if n == 1 else ""), n=f"{int(n):,}")
            for k, n in zip(ch["basis_kind"], ch["basis"], strict=True)
        ],
    )
    left, right = st.columns([1, 1])
    with left:
        ui.chart(
            charts.channels(
                shown,
                ui.t("portrait.channels.chart"),
                ui.t("portrait.channels.x"),
                ui.t("portrait.channels.y"),
            ),
            key="portrait_channels_chart",
        )
    with right:
        st.dataframe(
            shown[["label", "value", "z", "weight", "basis_text"]],
            hide_index=True,
            width="stretch",
            key="portrait_channels",
            column_config={
                "label": ui.t("col.channel"),
                "value": NUM2(ui.t("portrait.col.value"), format="%.1f"),
                "z": NUM2(ui.t("portrait.col.z"), format="%+.2f"),
                "weight": NUM2(ui.t("portrait.col.weight"), format="%.0f"),
                "basis_text": ui.t("portrait.col.basis"),
            },
        )
        if s["missing"]:
            names = ("、" if lang == "zh" else ", ").join(ui.t(f"score.{c}") for c in s["missing"])
            st.caption(":material/info: " + ui.t("portrait.channels.missing", channels=names))
        else:
            st.caption(ui.t("portrait.channels.complete"))


def _dimensions(cadre: str, period: str, lang: str) -> None:
    dims = ui.query(pv.dimensions, cadre, period)
    st.subheader(ui.t("portrait.dims.title"))
    rated = dims.dropna(subset=["mean"]) if len(dims) else dims
    if rated.empty:
        st.info(ui.t("portrait.dims.none"))
        return
    lo, hi = int(rated["scale_min"].min()), int(rated["scale_max"].max())
    shown = rated.assign(label=rated[f"label_{lang}"])
    left, right = st.columns(2)
    with left:
        ui.chart(
            charts.radar(
                shown,
                ui.t("portrait.dims.chart"),
                ui.t("portrait.dims.me"),
                ui.t("portrait.dims.peer"),
                ui.t("portrait.dims.axis", lo=lo, hi=hi),
                (lo, hi),
            ),
            key="portrait_radar",
        )
    selfs = shown.dropna(subset=["self"])
    with right:
        st.markdown(f"**{ui.t('portrait.self.title')}**")
        if selfs.empty:
            st.info(ui.t("portrait.self.none"))
        else:
            ui.chart(
                charts.self_vs_others(
                    selfs.rename(columns={"mean": "others"}),
                    ui.t("portrait.self.chart"),
                    ui.t("portrait.dims.axis", lo=lo, hi=hi),
                    ui.t("portrait.col.dimension"),
                    ui.t("portrait.self.self"),
                    ui.t("portrait.self.others"),
                    (lo, hi),
                ),
                key="portrait_self_chart",
            )
            # the peers' usual self-minus-others gap, as the summary states it
            figures = ui.query(pv.summary_figures, cadre, period)
            peer_gap = figures.get("self", {}).get("peer_gap")
            shown_gap = f"{peer_gap:+.2f}" if peer_gap is not None else "—"
            st.caption(ui.t("portrait.self.caption", pg=shown_gap))
    st.caption(
        ui.t(
            "portrait.dims.scale",
            lo=lo,
            hi=hi,
            n=int(rated["n_peers"].max()) if rated["n_peers"].notna().any() else 0,
        )
    )
    table = shown.assign(
        note=[ui.t("portrait.self.largest") if g else "" for g in shown["largest_gap"]]
    )
    st.dataframe(
        table[["label", "mean", "n_marks", "peer_median", "diff", "self", "gap", "note"]],
        hide_index=True,
        width="stretch",
        key="portrait_dimensions",
        column_config={
            "label": ui.t("portrait.col.dimension"),
            "mean": NUM2(ui.t("portrait.col.others"), format="%.2f"),
            "n_marks": NUM2(ui.t("portrait.col.n_marks"), format="%d"),
            "peer_median": NUM2(ui.t("portrait.col.peer_median"), format="%.2f"),
            "diff": NUM2(ui.t("portrait.col.diff"), format="%+.2f"),
            "self": NUM2(ui.t("portrait.col.self"), format="%.2f"),
            "gap": NUM2(ui.t("portrait.col.gap"), format="%+.2f"),
            "note": ui.t("portrait.col.note"),
        },
    )


def _groups(cadre: str, period: str) -> None:
    st.subheader(ui.t("portrait.groups.title"))
    groups = ui.query(pv.rater_groups, cadre, period)
    if groups.empty:
        st.info(ui.t("portrait.groups.none"))
        return
    k = privacy.floor()
    hidden = [
        ui.t("portrait.groups.secondary_cell") if sec else ui.t("privacy.cell", k=k)
        for sec in groups["secondary"]
    ]

    def cells(col: str, fmt: str) -> list[str]:
        """Formatted values, or why the value is hidden (anonymity floor)."""
        return [
            h if sup else format(v, fmt)
            for v, sup, h in zip(groups[col], groups["suppressed"], hidden, strict=True)
        ]

    shown = groups.assign(
        label=[_name("group", g) for g in groups["rater_group"]],
        mean_text=cells("mean", ".2f"),
        relative_text=cells("relative", "+.2f"),
    )
    visible = shown[~shown["suppressed"]]
    if visible.empty:
        st.info(ui.t("portrait.groups.all_hidden"))
    else:
        dims = ui.query(pv.dimensions, cadre, period)
        scale = (float(dims["scale_min"].min()), float(dims["scale_max"].max()))
        ui.chart(
            charts.rater_groups(
                visible,
                ui.t("portrait.groups.chart"),
                ui.t("portrait.dims.axis", lo=int(scale[0]), hi=int(scale[1])),
                ui.t("col.rater_group"),
                ui.t("portrait.groups.me"),
                ui.t("portrait.groups.usual"),
                scale,
            ),
            key="portrait_groups_chart",
        )
    st.dataframe(
        shown[["label", "n_sheets", "mean_text", "usual", "relative_text"]],
        hide_index=True,
        width="stretch",
        key="portrait_groups",
        column_config={
            "label": ui.t("col.rater_group"),
            "n_sheets": NUM2(ui.t("col.sheets"), format="%d"),
            "mean_text": st.column_config.TextColumn(ui.t("portrait.col.mean")),
            "usual": NUM2(ui.t("portrait.col.usual"), format="%.2f"),
            "relative_text": st.column_config.TextColumn(ui.t("portrait.col.relative")),
        },
    )
    st.caption(ui.t("portrait.groups.caption"))
    ui.privacy_note(int(groups["suppressed"].sum()))
    secondary = int(groups["secondary"].sum())
    if secondary:
        key = "portrait.groups.secondary_one" if secondary == 1 else "portrait.groups.secondary"
        st.caption(":material/visibility_off: " + ui.t(key, n=secondary))


def _trend(trend, lang: str) -> None:
    st.subheader(ui.t("portrait.trend.title"))
    level = f"{trend['level'].iloc[-1] * 100:.0f}"
    shown = trend.assign(
        label=[
            period_label(p, lb, lang)
            for p, lb in zip(trend["period_id"], trend["label"], strict=True)
        ],
        rank_text=[
            ui.t("portrait.metric.rank_interval_value", lo=a, hi=b, n=n)
            for a, b, n in zip(
                trend["rank_low"], trend["rank_high"], trend["peer_size"], strict=True
            )
        ],
    )
    ui.chart(
        charts.trend(
            shown,
            ui.t("portrait.trend.chart", level=level),
            ui.t("portrait.trend.x"),
            ui.t("portrait.trend.y"),
            ui.t("portrait.trend.composite"),
            ui.t("portrait.trend.peer"),
        ),
        key="portrait_trend_chart",
    )
    st.dataframe(
        shown[["label", "composite", "ci_low", "ci_high", "rank", "rank_text", "peer_median"]],
        hide_index=True,
        width="stretch",
        key="portrait_trend",
        column_config={
            "label": ui.t("col.period"),
            "composite": NUM2(ui.t("col.composite"), format="%.1f"),
            "ci_low": NUM2(ui.t("portrait.col.ci_low"), format="%.1f"),
            "ci_high": NUM2(ui.t("portrait.col.ci_high"), format="%.1f"),
            "rank": NUM2(ui.t("col.rank"), format="%d"),
            "rank_text": ui.t("portrait.col.rank_interval"),
            "peer_median": NUM2(ui.t("portrait.trend.peer"), format="%.1f"),
        },
    )
    st.caption(ui.t("portrait.trend.caption"))


def _portfolio(cadre: str, period: str, scored: bool) -> None:
    st.subheader(ui.t("portrait.portfolio.title"))
    pf = ui.query(pv.portfolio, cadre, period)
    rows = pf["rows"]
    cols = st.columns(3)

    def pct(v):
        return "—" if v is None else f"{v:.1f}%"

    cols[0].metric(ui.t("portrait.portfolio.own"), pct(pf["portfolio_pct"]), border=True)
    cols[1].metric(
        ui.t("portrait.portfolio.unit"),
        pct(pf["unit_pct"]),
        border=True,
        help=ui.t("portrait.portfolio.unit_help", n=int(pf["unit_indicators"] or 0)),
    )
    cols[2].metric(ui.t("portrait.portfolio.peer"), pct(pf["peer_pct"]), border=True)
    if rows.empty:
        st.info(ui.t("portrait.portfolio.none" if scored else "portrait.portfolio.none_other"))
        return
    left, right = st.columns([1, 1])
    with left:
        ui.chart(
            charts.portfolio(
                rows,
                pf["unit_pct"],
                ui.t("portrait.portfolio.chart"),
                ui.t("portrait.portfolio.x"),
                ui.t("portrait.portfolio.y"),
                ui.t("portrait.portfolio.unit_line", v=pct(pf["unit_pct"])),
            ),
            key="portrait_portfolio_chart",
        )
    with right:
        st.dataframe(
            rows[["indicator", "score", "max_score", "weight", "pct"]],
            hide_index=True,
            width="stretch",
            key="portrait_portfolio",
            column_config={
                "indicator": ui.t("portrait.col.indicator"),
                "score": NUM2(ui.t("portrait.col.score"), format="%.1f"),
                "max_score": NUM2(ui.t("portrait.col.max_score"), format="%.0f"),
                "weight": NUM2(ui.t("portrait.col.weight"), format="%.3g"),
                "pct": NUM2(ui.t("portrait.col.pct"), format="%.1f"),
            },
        )


def _talks(cadre: str, period: str) -> None:
    st.subheader(ui.t("portrait.talks.title"))
    tk = ui.query(pv.talk_mentions, cadre, period)
    window = {"since": tk["since"], "until": tk["until"]}
    if tk["hidden_units"]:  # the anonymity floor left some units' talks out
        note = ui.t("talks.mentions.hidden", n=tk["hidden_units"], k=privacy.floor())
        st.caption(":material/visibility_off: " + note)
    if not tk["n_mentions"]:
        st.info(ui.t("portrait.talks.none", **window))
        return
    counts = tk["counts"]
    shown = counts.assign(topic_label=[_name("topic", t) for t in counts["topic"]])
    left, right = st.columns([3, 2])
    with left:
        ui.chart(
            charts.talks(
                shown,
                {s: ui.t(f"stance.{s}") for s in STANCES},
                ui.t("portrait.talks.chart"),
                ui.t("portrait.talks.x"),
                ui.t("portrait.talks.y"),
            ),
            key="portrait_talks_chart",
        )
    with right:
        table = tk["table"]
        st.dataframe(
            table.assign(topic=[_name("topic", t) for t in table["topic"]]),
            hide_index=True,
            width="stretch",
            key="portrait_talks",
            column_config={
                "topic": ui.t("portrait.col.topic"),
                **{s: NUM2(ui.t(f"stance.{s}"), format="%d") for s in STANCES},
                "total": NUM2(ui.t("portrait.col.total"), format="%d"),
            },
        )
    st.caption(ui.t("portrait.talks.caption", n=tk["n_mentions"], t=tk["n_talks"], **window))
    notes = tk["notes"]
    if len(notes):
        with st.expander(ui.t("portrait.talks.notes"), icon=":material/format_quote:"):
            st.dataframe(
                notes.assign(
                    topic=[_name("topic", t) for t in notes["topic"]],
                    stance=[_name("stance", s) for s in notes["stance"]],
                ),
                hide_index=True,
                width="stretch",
                key="portrait_talk_notes",
                column_config={
                    "topic": ui.t("portrait.col.topic"),
                    "stance": ui.t("portrait.col.stance"),
                    "note": ui.t("portrait.col.point"),
                    "n": NUM2(ui.t("portrait.col.count"), format="%d"),
                },
            )


def _flags(cadre: str, period: str, facts: dict, lang: str) -> None:
    st.subheader(ui.t("portrait.flags.title"))
    fl = ui.query(pv.flags, cadre, period)
    if fl.empty:
        st.success(ui.t("portrait.flags.none"))
    else:
        st.caption(ui.t("portrait.flags.caption"))
        for i, f in enumerate(fl.to_dict("records")):
            with st.container(border=True, key=f"portrait_flag_{i}"):
                with st.container(horizontal=True, vertical_alignment="center"):
                    st.badge(
                        ui.t(f"severity.{f['severity']}"),
                        color=SEVERITY_BADGE.get(f["severity"], "gray"),
                    )
                    st.markdown(f"**{_name('flag', f['flag_type'])}**")
                    when = (
                        period_label(f["period_id"], f["label"], lang)
                        if f["period_id"]
                        else ui.t("portrait.flags.all_periods")
                    )
                    if f["rater_group"]:
                        when += " · " + ui.t(
                            "portrait.flags.group", group=_name("group", f["rater_group"])
                        )
                    st.caption(when)
                st.markdown(
                    f["evidence_zh"] if lang == "zh" and f["evidence_zh"] else f["evidence"]
                )
                p = f["p_value"]
                st.caption(
                    ui.t(
                        "portrait.flags.stat",
                        stat=f"{f['statistic']:+.2f}",
                        p="< 0.0001" if p < 1e-4 else f"{p:.2g}",
                    )
                    if p == p and p is not None
                    else ui.t("portrait.flags.stat_only", stat=f"{f['statistic']:+.2f}")
                )
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
