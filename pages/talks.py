"""Talks (谈话): coverage of the talk mandate by area and tier, durations, what the talks
said about each unit and cadre (by subject, never by interviewee), and the talk flags."""

from __future__ import annotations

import streamlit as st

from analytics import privacy, views
from analytics import st_adapter as ui
from analytics.views import period_label
from analytics.views import talks as v
from analytics.views import talks_charts as charts

C = ui.Col
HIDDEN = ":material/visibility_off: "
UNIT_LINK = C("link", "col.unit", display="name", width=150, help="talks.gaps.drill")
COUNTS = {
    "required": C("int", "talks.col.required"),
    "covered": C("int", "talks.col.covered"),
    "share": C("pct", "col.coverage"),
}
FLAG_COLUMNS = {
    "severity": C("text", "col.severity", width=60),
    "flag_type": C("text", "col.flag_type", width=120),
    "period": C("text", "col.period", width=100),
    "unit_link": C("link", "col.unit", display="name", width=130),
    "cadre_link": C("link", "col.cadre", display="name", width=90),
    "statistic": C("effect", "col.effect", width=70),
    "p_text": C("text", "col.p_value", width=80),
    "text": C("wrap", "col.evidence", width=330, lines=4),
}


def render() -> None:
    st.title(ui.t("talks.title"))
    period, area, unit = (ui.current_filters()[k] for k in ("period", "area", "unit"))
    if period is None:
        st.info(ui.t("talks.no_periods"))
        return
    win = ui.query(v.talk_window, period)
    lang = ui.current_lang()
    heading = v.scope_heading(ui.query(views.units), area, unit, ui.current_lang())
    if heading:
        st.markdown(heading)
    label = period_label(period, win["label"], lang)
    st.caption(ui.t("talks.caption", period=label, first=win["first_day"], last=win["last_day"]))
    if win["talks_ever"] == 0:
        st.info(ui.t("talks.no_talks"))
        return
    if win["partial"]:
        st.warning(ui.t("talks.partial", first=win["first_day"], loaded=win["data_from"]))
    tiers = {t: ui.t(f"tier.{t}") for t in v.TIERS}
    _coverage(period, area, unit, tiers)
    _flags(period, area, unit, lang)
    _durations(period, area, unit, tiers)
    _mentions(period, area, unit)


# ---- coverage ------------------------------------------------------------------------------
def _coverage(period: str, area: str | None, unit: str | None, tiers: dict[str, str]) -> None:
    st.subheader(ui.t("talks.coverage.title"))
    required = ui.t("talks.list_sep").join(tiers[t] for t in v.required_tiers())
    st.caption(ui.t("talks.coverage.caption", tiers=required))
    cov = ui.query(v.coverage, period, area, unit)
    tot = cov["totals"]
    share = "–" if tot["share"] is None else f"{tot['share']:.1%}"
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ui.t("talks.metric.covered"), share, help=ui.t("talks.metric.covered_help"))
    c1.caption(ui.t("talks.metric.covered_of", covered=tot["covered"], required=tot["required"]))
    c2.metric(ui.t("talks.metric.units_full"), f"{tot['units_full']} / {tot['units_with_mandate']}")
    c3.metric(ui.t("talks.metric.units_gap"), f"{tot['units_gap']}")
    if tot["units_no_talk"]:
        c3.caption(ui.t("talks.metric.units_no_talk", n=tot["units_no_talk"]))
    c4.metric(ui.t("talks.metric.talks"), f"{tot['talks']:,}")
    if tot["anon_used"]:
        st.caption(ui.t("talks.coverage.anon", n=tot["anon_used"]))
    if unit is not None:
        by_tier = cov["by_tier"].assign(tier=[tiers[t] for t in cov["by_tier"]["tier"]])
        ui.table(by_tier, "talks_coverage_table", {"tier": C("text", "talks.col.tier"), **COUNTS})
        _uncovered(period, unit, tiers)
        return
    if not cov["by_area_tier"].empty:
        labels = ui.texts("talks.chart.coverage", "talks.axis.tier", "col.area", "col.coverage")
        fig = charts.coverage_heatmap(cov["by_area_tier"], tiers, *labels)
        ui.chart(fig, key="talks_coverage_chart")
    by_area = cov["by_area"]
    shares = [t for t in v.required_tiers() if f"share_{t}" in by_area]
    columns = {
        "area_name": C("name", "col.area", code="area"),
        **COUNTS,
        **{f"share_{t}": C("pct", text=tiers[t]) for t in shares},
        "missing": C("int", "talks.col.missing"),
    }
    ui.table(by_area, "talks_coverage_table", columns)
    st.markdown("**" + ui.t("talks.gaps.title") + "**")
    gaps = cov["gaps"]
    if gaps.empty:
        st.success(ui.t("talks.gaps.none"))
        return
    columns = {
        "link": UNIT_LINK,
        "area_name": C("name", "col.area", code="area"),
        **{f"missing_{t}": C("int", text=tiers[t]) for t in v.required_tiers()},
        "missing": C("int", "talks.col.missing"),
        "talks": C("int", "talks.col.talks"),
        "last_talk": C("date", "talks.col.last_talk"),
    }
    ui.table(gaps.assign(link=v.unit_links(gaps, period)), "talks_gaps", columns)
    st.caption(ui.t("talks.gaps.caption"))


def _uncovered(period: str, unit: str, tiers: dict[str, str]) -> None:
    st.markdown("**" + ui.t("talks.uncovered.title") + "**")
    people = ui.query(v.uncovered_cadres, period, unit)
    if people.empty:
        st.success(ui.t("talks.uncovered.none"))
        return
    shown = v.uncovered_shown(people, unit, period, ui.current_lang())
    columns = {
        "link": C("link", "col.name", display="name"),
        "position": C("name", "col.position"),
        "tier": C("text", "talks.col.tier"),
        "role": C("text", "talks.col.role"),
        "in_post_since": C("date", "talks.col.in_post_since"),
        "anon_tier": C("int", "talks.col.anon_tier"),
    }
    ui.table(shown, "talks_uncovered", columns)


# ---- flags ---------------------------------------------------------------------------------
def _flags(period: str, area: str | None, unit: str | None, lang: str) -> None:
    st.subheader(ui.t("talks.flags.title"))
    flags = ui.query(v.talk_flags, period, area, unit)
    if flags.empty:
        st.success(ui.t("talks.flags.none"))
        return
    shown = v.flags_shown(flags, lang)
    ui.table(shown, "talks_flags", FLAG_COLUMNS)
    st.caption(ui.t("talks.flags.caption"))


# ---- durations -----------------------------------------------------------------------------
def _durations(period: str, area: str | None, unit: str | None, tiers: dict[str, str]) -> None:
    st.subheader(ui.t("talks.durations.title"))
    d = ui.query(v.durations, period, area, unit)
    tot = d["totals"]
    if tot["talks"] == 0:
        st.info(ui.t("talks.durations.none"))
        return
    low = tot["min_minutes"]
    ui.metrics(
        (ui.t("talks.metric.median"), ui.t("talks.minutes", n=tot["median"])),
        (ui.t("talks.metric.short", m=low), f"{tot['short']:,}"),
        (ui.t("talks.metric.short_share", m=low), f"{tot['share']:.1%}"),
    )
    labels = ui.texts("talks.chart.durations", "talks.axis.tier", "talks.axis.minutes")
    threshold = ui.t("talks.chart.threshold", m=low)
    fig = charts.duration_boxes(d["by_tier"], tiers, low, *labels, threshold)
    ui.chart(fig, key="talks_duration_chart")
    st.caption(ui.t("talks.durations.box_caption"))
    short = {
        "short": C("int", text=ui.t("talks.col.short", m=low)),
        "short_share": C("pct", "talks.col.short_share"),
    }
    columns = {
        "tier": C("text", "talks.col.interviewee_tier"),
        "talks": C("int", "talks.col.talks"),
        "median": C("number", "talks.col.median", format="%.0f", help="talks.axis.minutes"),
        **{q: C("number", f"talks.col.{q}", format="%.0f") for q in ("q1", "q3", "min", "max")},
        **short,
    }
    by_tier = d["by_tier"].assign(tier=[tiers.get(t, t) for t in d["by_tier"]["tier"]])
    ui.table(by_tier, "talks_duration_table", columns)
    rushed = d["rushed"]
    if not rushed.empty:
        st.markdown("**" + ui.t("talks.rushed.title", m=low) + "**")
        columns = {
            "link": C("link", "col.unit", display="name", width=150),
            "area_name": C("name", "col.area", code="area"),
            "talks": C("int", "talks.col.talks"),
            "median": C("number", "talks.col.median", format="%.1f"),
        }
        shown = rushed.assign(link=v.unit_links(rushed, period))
        ui.table(shown, "talks_rushed", {**columns, **short})


# ---- mentions ------------------------------------------------------------------------------
def _mentions(period: str, area: str | None, unit: str | None) -> None:
    st.subheader(ui.t("talks.mentions.title"))
    st.caption(ui.t("talks.mentions.caption", k=privacy.floor()))
    stances = {s: ui.t(f"stance.{s}") for s in v.STANCES}
    topics = {t: ui.t(f"topic.{t}") for t in v.TOPICS}
    counts = {
        "mentions": C("int", "talks.col.mentions"),
        **{s: C("int", text=label) for s, label in stances.items()},
        "negative_share": C("pct", "talks.col.negative_share"),
    }
    if unit is None:
        m = ui.query(v.mentions, period, area, unit)
        if m["hidden_units"]:
            st.caption(HIDDEN + ui.t("talks.mentions.hidden", n=m["hidden_units"], k=m["k"]))
        empty = m["topics"].empty
    else:
        m = ui.query(v.subject_mentions, period, unit)
        if m["talks"] and m["suppressed"]:
            st.info(HIDDEN + ui.t("talks.mentions.unit_hidden", n=m["talks"], k=m["k"]))
            return
        empty = m["talks"] == 0 or m["subjects"].empty
    if empty:
        st.info(ui.t("talks.mentions.none"))
        return
    title = ui.t("talks.chart.topics" if unit is None else "talks.chart.unit_topics")
    labels = [title, *ui.texts("talks.axis.topic", "talks.axis.mentions")]
    fig = charts.topic_stance_bars(m["topics"], topics, stances, *labels)
    ui.chart(fig, key="talks_topic_chart")
    if unit is None:
        units = m["units"]
        top = units.head(20)
        key = "talks.chart.units_top" if len(units) > len(top) else "talks.chart.units"
        labels = [ui.t(key, n=len(top)), *ui.texts("talks.axis.share", "col.unit")]
        fig = charts.stance_bars(top, "unit_name", stances, *labels, share=True)
        ui.chart(fig, key="talks_unit_chart")
        columns = {
            "link": UNIT_LINK,
            "area_name": C("name", "col.area", code="area"),
            "talks": C("int", "talks.col.talks"),
            **counts,
            "team": C("int", "talks.col.team_mentions"),
        }
        ui.table(units.assign(link=v.unit_links(units, period)), "talks_unit_mentions", columns)
        return
    shown = v.subjects_shown(m["subjects"], unit, period, ui.current_lang())
    labels = ui.texts("talks.chart.subjects", "talks.axis.mentions", "talks.axis.subject")
    fig = charts.stance_bars(shown, "label", stances, *labels)
    ui.chart(fig, key="talks_subject_chart")
    columns = {
        "link": C("link", "talks.col.subject", display="name", help="talks.mentions.link_help"),
        "position": C("name", "col.position"),
        "tier": C("text", "talks.col.tier"),
        **counts,
        "negative_topics": C("wrap", "talks.col.negative_topics", width=170),
        "positive_topics": C("wrap", "talks.col.positive_topics", width=170),
    }
    ui.table(shown, "talks_subject_mentions", columns)


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
