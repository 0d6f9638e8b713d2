"""Talks (谈话): coverage of the talk mandate by area and tier, durations, what the talks
said about each unit and cadre (by subject, never by interviewee), and the talk flags."""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from analytics import privacy, views
from analytics import st_adapter as ui
from analytics.views import period_label
from analytics.views import talks as v
from analytics.views import talks_charts as charts

_COL = st.column_config


def _pct(label: str) -> _COL.NumberColumn:
    """A share column; the frame passes through ``v.percent_points`` (values ×100)."""
    return _COL.NumberColumn(label, format="%.1f%%")


def _int(label: str) -> _COL.NumberColumn:
    return _COL.NumberColumn(label, format="%d")


def _named_link(page: str, name: str, **params: str | None) -> str:
    """A page URL whose fragment carries the name a LinkColumn shows (``_NAME_TEXT``)."""
    return ui.page_url(page, **params) + "#" + quote(str(name))


_NAME_TEXT = "#(.+)$"


def _height(df) -> str:
    """Show short tables whole, scroll long ones."""
    return "content" if len(df) <= 25 else "auto"


def render() -> None:
    st.title(ui.t("talks.title"))
    f = ui.current_filters()
    period, area, unit = f["period"], f["area"], f["unit"]
    if period is None:
        st.info(ui.t("talks.no_periods"))
        return
    win = ui.query(v.talk_window, period)
    lang = ui.current_lang()
    if unit or area:
        units = ui.query(views.units)
        row = units[units["unit_id"] == unit] if unit else units[units["area_id"] == area]
        if len(row):
            st.markdown(
                f"**{row['name'].iloc[0]}** · {row['area_name'].iloc[0]}"
                if unit
                else f"**{row['area_name'].iloc[0]}**"
            )
    st.caption(
        ui.t(
            "talks.caption",
            period=period_label(period, win["label"], lang),
            first=win["first_day"],
            last=win["last_day"],
        )
    )
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
    st.caption(
        ui.t(
            "talks.coverage.caption",
            tiers=ui.t("talks.list_sep").join(tiers[t] for t in v.required_tiers()),
        )
    )
    cov = ui.query(v.coverage, period, area, unit)
    tot = cov["totals"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        ui.t("talks.metric.covered"),
        "–" if tot["share"] is None else f"{tot['share']:.1%}",
        help=ui.t("talks.metric.covered_help"),
    )
    c1.caption(ui.t("talks.metric.covered_of", covered=tot["covered"], required=tot["required"]))
    c2.metric(ui.t("talks.metric.units_full"), f"{tot['units_full']} / {tot['units_with_mandate']}")
    c3.metric(ui.t("talks.metric.units_gap"), f"{tot['units_gap']}")
    if tot["units_no_talk"]:
        c3.caption(ui.t("talks.metric.units_no_talk", n=tot["units_no_talk"]))
    c4.metric(ui.t("talks.metric.talks"), f"{tot['talks']:,}")
    if tot["anon_used"]:
        st.caption(ui.t("talks.coverage.anon", n=tot["anon_used"]))

    if unit is None:
        if not cov["by_area_tier"].empty:
            ui.chart(
                charts.coverage_heatmap(
                    cov["by_area_tier"],
                    tiers,
                    ui.t("talks.chart.coverage"),
                    ui.t("talks.axis.tier"),
                    ui.t("col.area"),
                    ui.t("col.coverage"),
                ),
                key="talks_coverage_chart",
            )
        by_area = cov["by_area"]
        share_cols = [f"share_{t}" for t in v.required_tiers() if f"share_{t}" in by_area]
        st.dataframe(
            v.percent_points(
                by_area[["area_name", "required", "covered", "share", *share_cols, "missing"]]
            ),
            hide_index=True,
            width="stretch",
            key="talks_coverage_table",
            height=_height(by_area),
            column_config={
                "area_name": ui.t("col.area"),
                "required": _int(ui.t("talks.col.required")),
                "covered": _int(ui.t("talks.col.covered")),
                "share": _pct(ui.t("col.coverage")),
                **{c: _pct(tiers[c.removeprefix("share_")]) for c in share_cols},
                "missing": _int(ui.t("talks.col.missing")),
            },
        )
        _gap_units(cov["gaps"], period, tiers)
    else:
        by_tier = cov["by_tier"].assign(tier=[tiers[t] for t in cov["by_tier"]["tier"]])
        st.dataframe(
            v.percent_points(by_tier),
            hide_index=True,
            width="stretch",
            key="talks_coverage_table",
            column_config={
                "tier": ui.t("talks.col.tier"),
                "required": _int(ui.t("talks.col.required")),
                "covered": _int(ui.t("talks.col.covered")),
                "share": _pct(ui.t("col.coverage")),
            },
        )
        _uncovered(period, unit, tiers)


def _gap_units(gaps, period: str, tiers: dict[str, str]) -> None:
    st.markdown("**" + ui.t("talks.gaps.title") + "**")
    if gaps.empty:
        st.success(ui.t("talks.gaps.none"))
        return
    shown = gaps.assign(
        link=[
            _named_link("talks", n, unit=u, period=period)
            for u, n in zip(gaps["unit_id"], gaps["unit_name"], strict=True)
        ]
    )
    miss = [f"missing_{t}" for t in v.required_tiers()]
    st.dataframe(
        shown[["link", "area_name", *miss, "missing", "talks", "last_talk"]],
        hide_index=True,
        width="stretch",
        key="talks_gaps",
        height=_height(shown),
        column_config={
            "link": _COL.LinkColumn(
                ui.t("col.unit"), display_text=_NAME_TEXT, help=ui.t("talks.gaps.drill")
            ),
            "area_name": ui.t("col.area"),
            **{c: _int(tiers[c.removeprefix("missing_")]) for c in miss},
            "missing": _int(ui.t("talks.col.missing")),
            "talks": _int(ui.t("talks.col.talks")),
            "last_talk": _COL.DateColumn(ui.t("talks.col.last_talk"), format="YYYY-MM-DD"),
        },
    )
    st.caption(ui.t("talks.gaps.caption"))


def _uncovered(period: str, unit: str, tiers: dict[str, str]) -> None:
    st.markdown("**" + ui.t("talks.uncovered.title") + "**")
    people = ui.query(v.uncovered_cadres, period, unit)
    if people.empty:
        st.success(ui.t("talks.uncovered.none"))
        return
    shown = people.assign(
        link=[
            _named_link("portrait", n, cadre=c, unit=unit, period=period)
            for c, n in zip(people["cadre_id"], people["name"], strict=True)
        ],
        tier=[tiers.get(t, t) for t in people["tier"]],
        role=[ui.t(f"role.{r}") for r in people["role"]],
    )
    st.dataframe(
        shown[["link", "position", "tier", "role", "in_post_since", "anon_tier"]],
        hide_index=True,
        width="stretch",
        key="talks_uncovered",
        column_config={
            "link": _COL.LinkColumn(ui.t("col.name"), display_text=_NAME_TEXT),
            "position": ui.t("col.position"),
            "tier": ui.t("talks.col.tier"),
            "role": ui.t("talks.col.role"),
            "in_post_since": _COL.DateColumn(ui.t("talks.col.in_post_since"), format="YYYY-MM-DD"),
            "anon_tier": _int(ui.t("talks.col.anon_tier")),
        },
    )


# ---- flags ---------------------------------------------------------------------------------
def _flags(period: str, area: str | None, unit: str | None, lang: str) -> None:
    st.subheader(ui.t("talks.flags.title"))
    flags = ui.query(v.talk_flags, period, area, unit)
    if flags.empty:
        st.success(ui.t("talks.flags.none"))
        return
    shown = flags.assign(
        severity=[ui.t(f"severity.{s}") for s in flags["severity"]],
        flag_type=[ui.t(f"flag.{t}") for t in flags["flag_type"]],
        period=[
            period_label(p, lab, lang)
            for p, lab in zip(flags["period_id"], flags["period_label"], strict=True)
        ],
        unit_link=[
            _named_link("team", n, unit=u, period=p)
            for u, n, p in zip(
                flags["unit_id"], flags["unit_name"], flags["period_id"], strict=True
            )
        ],
        cadre_link=[
            _named_link("portrait", n, cadre=c, unit=u, period=p) if isinstance(n, str) else ""
            for c, n, u, p in zip(
                flags["subject_id"],
                flags["cadre_name"],
                flags["unit_id"],
                flags["period_id"],
                strict=True,
            )
        ],
        text=flags["evidence_zh" if lang == "zh" else "evidence"],
    )
    st.dataframe(
        shown[
            [
                "severity",
                "flag_type",
                "period",
                "unit_link",
                "cadre_link",
                "statistic",
                "p_text",
                "text",
            ]
        ],
        hide_index=True,
        width="stretch",
        key="talks_flags",
        placeholder="–",
        height=_height(shown),
        column_config={
            "severity": ui.t("col.severity"),
            "flag_type": ui.t("col.flag_type"),
            "period": ui.t("col.period"),
            "unit_link": _COL.LinkColumn(ui.t("col.unit"), display_text=_NAME_TEXT),
            "cadre_link": _COL.LinkColumn(ui.t("col.cadre"), display_text=_NAME_TEXT),
            "text": _COL.TextColumn(ui.t("col.evidence"), width="large"),
            "statistic": _COL.NumberColumn(ui.t("col.effect"), format="%.2f"),
            "p_text": _COL.TextColumn(ui.t("col.p_value")),
        },
    )
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
    c1, c2, c3 = st.columns(3)
    c1.metric(ui.t("talks.metric.median"), ui.t("talks.minutes", n=tot["median"]))
    c2.metric(ui.t("talks.metric.short", m=low), f"{tot['short']:,}")
    c3.metric(ui.t("talks.metric.short_share", m=low), f"{tot['share']:.1%}")
    ui.chart(
        charts.duration_boxes(
            d["by_tier"],
            tiers,
            low,
            ui.t("talks.chart.durations"),
            ui.t("talks.axis.tier"),
            ui.t("talks.axis.minutes"),
            ui.t("talks.chart.threshold", m=low),
        ),
        key="talks_duration_chart",
    )
    st.caption(ui.t("talks.durations.box_caption"))
    by_tier = d["by_tier"].assign(tier=[tiers.get(t, t) for t in d["by_tier"]["tier"]])
    minutes = ui.t("talks.axis.minutes")
    st.dataframe(
        v.percent_points(
            by_tier[["tier", "talks", "median", "q1", "q3", "min", "max", "short", "short_share"]]
        ),
        hide_index=True,
        width="stretch",
        key="talks_duration_table",
        column_config={
            "tier": ui.t("talks.col.interviewee_tier"),
            "talks": _int(ui.t("talks.col.talks")),
            "median": _COL.NumberColumn(ui.t("talks.col.median"), format="%.0f", help=minutes),
            "q1": _COL.NumberColumn(ui.t("talks.col.q1"), format="%.0f"),
            "q3": _COL.NumberColumn(ui.t("talks.col.q3"), format="%.0f"),
            "min": _int(ui.t("talks.col.min")),
            "max": _int(ui.t("talks.col.max")),
            "short": _int(ui.t("talks.col.short", m=low)),
            "short_share": _pct(ui.t("talks.col.short_share")),
        },
    )
    rushed = d["rushed"]
    if not rushed.empty:
        st.markdown("**" + ui.t("talks.rushed.title", m=low) + "**")
        st.dataframe(
            v.percent_points(rushed).assign(
                link=[
                    _named_link("talks", n, unit=u, period=period)
                    for u, n in zip(rushed["unit_id"], rushed["unit_name"], strict=True)
                ]
            )[["link", "area_name", "talks", "median", "short", "short_share"]],
            hide_index=True,
            width="stretch",
            key="talks_rushed",
            column_config={
                "link": _COL.LinkColumn(ui.t("col.unit"), display_text=_NAME_TEXT),
                "area_name": ui.t("col.area"),
                "talks": _int(ui.t("talks.col.talks")),
                "median": _COL.NumberColumn(ui.t("talks.col.median"), format="%.1f"),
                "short": _int(ui.t("talks.col.short", m=low)),
                "short_share": _pct(ui.t("talks.col.short_share")),
            },
        )


# ---- mentions ------------------------------------------------------------------------------
def _mentions(period: str, area: str | None, unit: str | None) -> None:
    st.subheader(ui.t("talks.mentions.title"))
    st.caption(ui.t("talks.mentions.caption", k=privacy.floor()))
    stances = {s: ui.t(f"stance.{s}") for s in v.STANCES}
    topics = {t: ui.t(f"topic.{t}") for t in v.TOPICS}
    if unit is None:
        m = ui.query(v.mentions, period, area, unit)
        if m["hidden_units"]:
            st.caption(
                ":material/visibility_off: "
                + ui.t("talks.mentions.hidden", n=m["hidden_units"], k=m["k"])
            )
        if m["topics"].empty:
            st.info(ui.t("talks.mentions.none"))
            return
        ui.chart(
            charts.topic_stance_bars(
                m["topics"],
                topics,
                stances,
                ui.t("talks.chart.topics"),
                ui.t("talks.axis.topic"),
                ui.t("talks.axis.mentions"),
            ),
            key="talks_topic_chart",
        )
        units = m["units"]
        top = units.head(20)
        ui.chart(
            charts.stance_bars(
                top,
                "unit_name",
                stances,
                ui.t(
                    "talks.chart.units_top" if len(units) > len(top) else "talks.chart.units",
                    n=len(top),
                ),
                ui.t("talks.axis.share"),
                ui.t("col.unit"),
                share=True,
            ),
            key="talks_unit_chart",
        )
        st.dataframe(
            v.percent_points(units).assign(
                link=[
                    _named_link("talks", n, unit=u, period=period)
                    for u, n in zip(units["unit_id"], units["unit_name"], strict=True)
                ]
            )[
                [
                    "link",
                    "area_name",
                    "talks",
                    "mentions",
                    "positive",
                    "neutral",
                    "negative",
                    "negative_share",
                    "team",
                ]
            ],
            hide_index=True,
            width="stretch",
            key="talks_unit_mentions",
            column_config={
                "link": _COL.LinkColumn(
                    ui.t("col.unit"), display_text=_NAME_TEXT, help=ui.t("talks.gaps.drill")
                ),
                "area_name": ui.t("col.area"),
                "talks": _int(ui.t("talks.col.talks")),
                "mentions": _int(ui.t("talks.col.mentions")),
                **{s: _int(lab) for s, lab in stances.items()},
                "negative_share": _pct(ui.t("talks.col.negative_share")),
                "team": _int(ui.t("talks.col.team_mentions")),
            },
        )
        return

    m = ui.query(v.subject_mentions, period, unit)
    if m["talks"] == 0:
        st.info(ui.t("talks.mentions.none"))
        return
    if m["suppressed"]:
        st.info(
            ":material/visibility_off: "
            + ui.t("talks.mentions.unit_hidden", n=m["talks"], k=m["k"])
        )
        return
    subj = m["subjects"]
    if subj.empty:
        st.info(ui.t("talks.mentions.none"))
        return
    ui.chart(
        charts.topic_stance_bars(
            m["topics"],
            topics,
            stances,
            ui.t("talks.chart.unit_topics"),
            ui.t("talks.axis.topic"),
            ui.t("talks.axis.mentions"),
        ),
        key="talks_topic_chart",
    )
    team_label = ui.t("subject.team")
    shown = subj.assign(
        label=[
            team_label if st_ == "team" else n
            for st_, n in zip(subj["subject_type"], subj["name"], strict=True)
        ],
        link=[
            _named_link("team", team_label, unit=unit, period=period)
            if st_ == "team"
            else _named_link("portrait", n, cadre=sid, unit=unit, period=period)
            for st_, sid, n in zip(
                subj["subject_type"], subj["subject_id"], subj["name"], strict=True
            )
        ],
        tier=["" if not isinstance(t, str) else ui.t(f"tier.{t}") for t in subj["tier"]],
        negative_topics=[_topic_text(d, topics) for d in subj["negative_topics"]],
        positive_topics=[_topic_text(d, topics) for d in subj["positive_topics"]],
    )
    ui.chart(
        charts.stance_bars(
            shown,
            "label",
            stances,
            ui.t("talks.chart.subjects"),
            ui.t("talks.axis.mentions"),
            ui.t("talks.axis.subject"),
        ),
        key="talks_subject_chart",
    )
    st.dataframe(
        v.percent_points(shown)[
            [
                "link",
                "position",
                "tier",
                "mentions",
                "positive",
                "neutral",
                "negative",
                "negative_share",
                "negative_topics",
                "positive_topics",
            ]
        ],
        hide_index=True,
        width="stretch",
        key="talks_subject_mentions",
        column_config={
            "link": _COL.LinkColumn(
                ui.t("talks.col.subject"),
                display_text=_NAME_TEXT,
                help=ui.t("talks.mentions.link_help"),
            ),
            "position": ui.t("col.position"),
            "tier": ui.t("talks.col.tier"),
            "mentions": _int(ui.t("talks.col.mentions")),
            **{s: _int(lab) for s, lab in stances.items()},
            "negative_share": _pct(ui.t("talks.col.negative_share")),
            "negative_topics": ui.t("talks.col.negative_topics"),
            "positive_topics": ui.t("talks.col.positive_topics"),
        },
    )


def _topic_text(counts: dict[str, int], topics: dict[str, str]) -> str:
    return " · ".join(f"{topics.get(t, t)} {n}" for t, n in counts.items())


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
