"""Team health (班子运行): one unit's leadership team in one period, for presenters briefing
the city party secretary unit by unit: verdict and reasons, standing and channels against
the peer teams, members, cohesion, structure, climate, trend, talk signals and flags.
Without a unit, the teams in scope ranked by concern."""

from __future__ import annotations

import html
import math

import pandas as pd
import streamlit as st

from analytics import i18n, views
from analytics import st_adapter as ui
from analytics.charts import SEVERITY_COLORS, VERDICT_COLORS
from analytics.views import team as tv
from analytics.views import team_charts as tc

# every badge carries an icon and its word besides the colour (never colour alone)
BADGE_COLORS = {**VERDICT_COLORS, **SEVERITY_COLORS}
ICONS = {"concern": "✖", "watch": "▲", "good": "✔", "info": "ℹ", "critical": "✖", "warning": "▲"}
DASH = "—"


# ---- small display helpers ----------------------------------------------------------------
def _has(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def _tr(prefix: str, code) -> str:
    """The translation of a code (``prefix.code``), or the code itself when unknown."""
    if not _has(code):
        return ""
    key = f"{prefix}.{code}"
    return ui.t(key) if key in i18n.STRINGS else str(code)


def _num(v, fmt: str = "{:.1f}") -> str:
    return fmt.format(v) if _has(v) else DASH


def _pct_shown(p):
    """A mid-rank percentile as shown: rounded, never 0 or 100 (None when absent)."""
    return int(min(99, max(1, round(p)))) if _has(p) else None


def _pct(p) -> str:
    shown = _pct_shown(p)
    return DASH if shown is None else ui.t("team.pct", p=shown)


def _badge(word: str, level: str) -> str:
    colour = BADGE_COLORS.get(level, "#999999")
    return (
        f'<span style="background:{colour};color:#000;padding:0.1em 0.55em;'
        f'border-radius:0.4em;font-weight:600;white-space:nowrap">'
        f"{ICONS.get(level, '')} {html.escape(word, quote=False)}</span>"
    )


def _word(prefix: str, code: str) -> str:
    """Icon and word of a verdict / severity for table cells."""
    return f"{ICONS.get(code, '')} {_tr(prefix, code)}"


def _zh() -> bool:
    return ui.current_lang() == "zh"


def _period(pid: str | None, label: str | None) -> str:
    return views.period_label(pid, label, ui.current_lang()) if pid else DASH


def _table(df: pd.DataFrame, key: str, config: dict, **kw):
    return st.dataframe(
        df[list(config)],
        hide_index=True,
        width="stretch",
        key=key,
        column_config=config,
        placeholder=kw.pop("placeholder", DASH),
        **kw,
    )


def _n(label: str, fmt: str = "%.1f", **kw):
    return st.column_config.NumberColumn(label, format=fmt, **kw)


# ---- page ---------------------------------------------------------------------------------
def render() -> None:
    f = ui.current_filters()
    period, unit = f.get("period"), f.get("unit")
    if not period:
        st.title(ui.t("team.title"))
        st.info(ui.t("team.list.empty"))
        return
    if not unit:
        _team_list(period, f.get("area"))
        return
    row = ui.query(tv.team, period, unit)
    if row is None:
        st.title(ui.t("team.title"))
        st.info(ui.t("team.no_data"))
        return
    cfg = ui.query(tv.settings)
    _header(row, cfg)
    _standing(row, period, unit)
    _members(row, period, unit)
    _cohesion(row, cfg)
    _structure(row, cfg)
    _climate(row, period, unit, cfg)
    _trend(row, unit, cfg)
    _talks(row, period, unit, cfg)
    _flags(period, unit)


def _team_list(period: str, area: str | None) -> None:
    st.title(ui.t("team.title"))
    st.caption(ui.t("team.caption"))
    st.info(ui.t("filter.pick_unit"))
    label = dict(ui.query(views.periods)).get(period)
    st.subheader(ui.t("team.list.title", period=_period(period, label)))
    counts = ui.query(tv.verdict_counts, period, area)
    for col, v in zip(st.columns(3), ("concern", "watch", "good"), strict=True):
        col.metric(_word("verdict", v), counts[v])
    df = ui.query(tv.teams_by_concern, period, area)
    if df.empty:
        st.info(ui.t("team.list.empty"))
        return
    st.caption(ui.t("team.list.caption"))
    shown = df.assign(
        verdict=[_word("verdict", v) for v in df["verdict"]],
        unit_type=[_tr("unit_type", t) for t in df["unit_type"]],
        reason=df["first_reason_zh" if _zh() else "first_reason_en"],
        open=[ui.page_url("team", unit=u, period=period) for u in df["unit_id"]],
    )
    event = _table(
        shown,
        "team_list",
        {
            "verdict": ui.t("col.verdict"),
            "unit_name": ui.t("col.unit"),
            "open": st.column_config.LinkColumn(
                ui.t("team.col.open"), display_text=ui.t("team.open_team")
            ),
            "reason": st.column_config.TextColumn(ui.t("team.col.first_reason"), width="large"),
            "team_composite": _n(ui.t("col.composite")),
            "ci": ui.t("score.ci"),
            "team_rank": _n(ui.t("col.rank"), "%d"),
            "rank_interval": ui.t("score.rank_interval"),
            "peer_size": _n(ui.t("col.peer_size"), "%d"),
            "n_concern": _n(ui.t("team.col.n_concern"), "%d"),
            "n_watch": _n(ui.t("team.col.n_watch"), "%d"),
            "unit_type": ui.t("col.unit_type"),
            "area_name": ui.t("col.area"),
        },
        on_select="rerun",
        selection_mode="single-row",
        placeholder="",
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        ui.goto("team", unit=df["unit_id"].iloc[rows[0]], period=period)


def _header(row: dict, cfg: dict) -> None:
    st.title(ui.t("team.title_unit", unit=row["unit_name"]))
    st.caption(
        ui.t(
            "team.header",
            type=_tr("unit_type", row["unit_type"]),
            area=row.get("area_name") or row["area_id"],
            period=_period(row["period_id"], row.get("period_label")),
            peers=_num(row.get("peer_size"), "{:.0f}"),
        )
    )
    v = row["verdict"]
    counts = ui.t("team.verdict.counts", concern=row["n_concern"], watch=row["n_watch"])
    st.markdown(
        f"**{ui.t('team.verdict.label')}** &nbsp; "
        f"{_badge(ui.t(f'verdict.{v}'), v)} &nbsp; {counts}",
        unsafe_allow_html=True,
    )
    reasons = ui.query(tv.reasons, row["period_id"], row["unit_id"])
    st.subheader(ui.t("team.reasons.title"))
    if reasons.empty:
        st.success(ui.t("team.reasons.none"))
    else:
        text = "text_zh" if _zh() else "text_en"
        blocks = []
        for group, part in reasons.groupby("group", sort=False):
            items = [
                f"- {_badge(ui.t(f'team.level.{lv}'), lv)} {html.escape(t, quote=False)}"
                for lv, t in zip(part["level"], part[text], strict=True)
            ]
            blocks.append(f"**{_tr('team.group', group)}**\n\n" + "\n".join(items))
        st.markdown("\n\n".join(blocks), unsafe_allow_html=True)
    st.caption(ui.t("team.reasons.rule", n=int(cfg["watch_to_concern"])))
    missing = row.get("missing_zh" if _zh() else "missing_en")
    if missing:
        st.caption(":material/help: " + ui.t("team.missing", items=missing))


def _standing(row: dict, period: str, unit: str) -> None:
    st.subheader(ui.t("team.standing.title"))
    change = row.get("composite_change")
    since = ui.t(
        "team.metric.change", prev=_period(row.get("prev_period_id"), row.get("prev_period_label"))
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        ui.t("team.metric.composite"),
        _num(row.get("team_composite")),
        delta=f"{change:+.1f} {since}" if _has(change) else None,
    )
    c2.metric(ui.t("score.ci"), f"{_num(row.get('team_ci_low'))}–{_num(row.get('team_ci_high'))}")
    c3.metric(
        ui.t("team.metric.rank"),
        ui.t(
            "team.rank_value",
            rank=_num(row.get("team_rank"), "{:.0f}"),
            n=_num(row.get("peer_size"), "{:.0f}"),
        ),
    )
    c4.metric(
        ui.t("team.metric.rank_interval"),
        f"{_num(row.get('team_rank_low'), '{:.0f}')}–{_num(row.get('team_rank_high'), '{:.0f}')}",
    )
    ch = ui.query(tv.channels_vs_peers, period, unit)
    sep = "、" if _zh() else ", "
    weights = sep.join(
        ui.t("team.weight_item", w=w, channel=ui.t(f"score.{c}"))
        for c, w in zip(ch["channel"], ch["weight"], strict=True)
    )
    st.caption(
        ui.t("team.standing.method", type=_tr("unit_type", row["unit_type"]), weights=weights)
    )
    ch = ch.assign(
        label=[ui.t(f"score.{c}") for c in ch["channel"]],
        pct=[_pct_shown(p) for p in ch["pct"]],
        iqr=[
            f"{_num(a)}–{_num(b)}" if _has(a) else None
            for a, b in zip(ch["q1"], ch["q3"], strict=True)
        ],
    )
    have = ch.dropna(subset=["value", "median"])
    if not have.empty:
        ui.chart(
            tc.peer_boxes(
                have,
                ui.t("team.channels.chart"),
                ui.t("team.channels.x"),
                ui.t("team.channels.y"),
                row["unit_name"],
                ui.t("team.peers_box"),
                ui.t("team.hover_value"),
            ),
            key="team_channels_chart",
        )
    _table(
        ch,
        "team_channels",
        {
            "label": ui.t("col.channel"),
            "weight": _n(ui.t("team.col.weight"), "%.0f%%"),
            "value": _n(ui.t("team.col.value")),
            "z": _n(ui.t("team.col.z"), "%+.2f"),
            "pct": _n(ui.t("team.col.pct_peers"), "%d"),
            "median": _n(ui.t("team.col.median")),
            "iqr": ui.t("team.col.iqr"),
            "peers": _n(ui.t("col.peer_size"), "%d"),
        },
    )
    st.caption(ui.t("team.channels.caption"))


def _members(row: dict, period: str, unit: str) -> None:
    st.subheader(ui.t("team.members.title"))
    df = ui.query(tv.members, period, unit)
    if df.empty:
        st.info(ui.t("team.members.none"))
        return
    st.caption(ui.t("team.members.caption", type=_tr("unit_type", row["unit_type"])))
    roles = [_tr("role", r) for r in df["role"]]
    if df["composite"].notna().any():
        labels = [f"{n} · {r}" for n, r in zip(df["name"], roles, strict=True)]
        ui.chart(
            tc.members_chart(
                df.assign(label=labels),
                ui.t("team.members.chart"),
                ui.t("team.members.x"),
                ui.t("team.members.y"),
                ui.t("team.ref_peer_mean"),
                ui.t("col.composite"),
            ),
            key="team_members_chart",
        )
    shown = df.assign(
        role=roles,
        missing_channels=[
            ", ".join(ui.t(f"score.{c}") for c in m.split(";") if c) if isinstance(m, str) else ""
            for m in df["missing_channels"]
        ],
        portrait=[
            ui.page_url("portrait", cadre=c, unit=unit, period=period) for c in df["cadre_id"]
        ],
    )
    flags_help = ui.t("team.members.flags_help")
    event = _table(
        shown,
        "team_members",
        {
            "name": ui.t("col.name"),
            "portrait": st.column_config.LinkColumn(
                ui.t("team.col.portrait"), display_text=ui.t("team.members.open")
            ),
            "position": ui.t("col.position"),
            "role": ui.t("team.col.role"),
            "composite": _n(ui.t("col.composite")),
            "ci": ui.t("score.ci"),
            "rank": _n(ui.t("col.rank"), "%d"),
            "rank_interval": ui.t("score.rank_interval"),
            "peer_size": _n(ui.t("col.peer_size"), "%d"),
            "flags_critical": _n(_word("severity", "critical"), "%d", help=flags_help),
            "flags_warning": _n(_word("severity", "warning"), "%d", help=flags_help),
            "flags_info": _n(_word("severity", "info"), "%d", help=flags_help),
            "missing_channels": ui.t("team.col.missing_channels"),
        },
        on_select="rerun",
        selection_mode="single-row",
        placeholder="",
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        ui.goto("portrait", cadre=df["cadre_id"].iloc[rows[0]], unit=unit, period=period)


def _cohesion(row: dict, cfg: dict) -> None:
    st.subheader(ui.t("team.cohesion.title"))
    n, k = int(row.get("tm_sheets") or 0), int(cfg["k"])
    if n == 0:
        st.info(ui.t("team.cohesion.none"))
        return
    if n < k:
        st.info(":material/visibility_off: " + ui.t("team.cohesion.floor", n=n, k=k))
        return
    fmts = {
        "rwg": "{:.2f}",
        "tm_item_sd": "{:.2f}",
        "own_unity": "{:.1f}",
        "own_view_gap": "{:+.1f}",
        "colleague_gap": "{:+.1f}",
    }
    recs = [
        {
            "measure": ui.t(f"team.m.{c}"),
            "value": _num(row.get(c), fmt),
            "pct": _pct_shown(row.get(f"{c}_pct")),
            "z": row.get(f"{c}_z"),
            "meaning": ui.t(f"team.mean.{c}"),
        }
        for c, fmt in fmts.items()
    ]
    _table(
        pd.DataFrame(recs),
        "team_cohesion",
        {
            "measure": ui.t("team.col.measure"),
            "value": ui.t("team.col.value"),
            "pct": _n(ui.t("team.col.pct_city"), "%d"),
            "z": _n(ui.t("team.col.z"), "%+.2f"),
            "meaning": st.column_config.TextColumn(ui.t("team.col.meaning"), width="large"),
        },
    )
    st.caption(ui.t("team.cohesion.caption", n=n))


def _structure(row: dict, cfg: dict) -> None:
    st.subheader(ui.t("team.structure.title"))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(
        ui.t("team.s.members"),
        ui.t("team.s.members_value", n=row.get("n_members") or 0),
        help=ui.t("team.s.scored_help", n=row.get("n_scored") or 0),
    )
    age = row.get("mean_age")
    c2.metric(
        ui.t("team.s.age"),
        ui.t("team.s.age_value", v=age) if _has(age) else DASH,
        help=ui.t(
            "team.s.age_help",
            lo=_num(row.get("min_age"), "{:.0f}"),
            hi=_num(row.get("max_age"), "{:.0f}"),
            z=_num(row.get("age_z"), "{:+.1f}"),
        ),
    )
    c3.metric(
        ui.t("team.s.female"),
        _num(row.get("share_female"), "{:.0%}"),
        help=ui.t(
            "team.s.female_help", n=row.get("n_female") or 0, pct=_pct(row.get("share_female_pct"))
        ),
    )
    c4.metric(
        ui.t("team.s.postgrad"),
        _num(row.get("share_postgrad"), "{:.0%}"),
        help=ui.t("team.s.pct_help", pct=_pct(row.get("share_postgrad_pct"))),
    )
    tenure = row.get("mean_tenure")
    c5.metric(
        ui.t("team.s.tenure"),
        ui.t("team.s.tenure_value", v=tenure) if _has(tenure) else DASH,
        help=ui.t(
            "team.s.tenure_help",
            max=_num(row.get("max_tenure")),
            n=row.get("n_long_tenure") or 0,
            years=cfg["long_tenure_years"],
            y=row.get("n_appointment_years") or 0,
            z=_num(row.get("tenure_z"), "{:+.1f}"),
        ),
    )
    st.caption(ui.t("team.structure.caption"))
    if _has(row.get("principal_composite")) and _has(row.get("deputies_mean")):
        st.markdown(
            ui.t(
                "team.s.principal",
                name=row.get("principal_name"),
                p=row["principal_composite"],
                n=row.get("n_deputies"),
                d=row["deputies_mean"],
                gap=row["principal_gap"],
                clear=ui.t(
                    "team.s.gap_clear" if row.get("principal_gap_clear") else "team.s.gap_unclear"
                ),
            )
        )
    if _has(row.get("member_sd")):
        st.markdown(
            ui.t(
                "team.s.spread",
                n=row.get("n_scored"),
                sd=row["member_sd"],
                pct=_pct(row.get("member_sd_pct")),
                range=_num(row.get("member_range")),
                low_name=row.get("lowest_member") or DASH,
                low=_num(row.get("lowest_composite")),
                mean=_num(row.get("member_mean")),
            )
        )


def _climate(row: dict, period: str, unit: str, cfg: dict) -> None:
    st.subheader(ui.t("team.climate.title"))
    cl = ui.query(tv.climate_vs_peers, period, unit)
    dims = cl[cl["measure"] != "satisfaction"]
    names = dims["label_zh" if _zh() else "label_en"]
    dims = dims.assign(
        label=[n if isinstance(n, str) else m for n, m in zip(names, dims["measure"], strict=True)],
        pct=[_pct_shown(p) for p in dims["pct"]],
    )
    if dims["value"].notna().any():
        have = dims.dropna(subset=["value", "median"])
        ui.chart(
            tc.peer_boxes(
                have,
                ui.t("team.climate.chart"),
                ui.t("team.climate.x"),
                ui.t("team.climate.y"),
                row["unit_name"],
                ui.t("team.peers_box"),
                ui.t("team.hover_value"),
            ),
            key="team_climate_chart",
        )
        _table(
            dims,
            "team_climate",
            {
                "label": ui.t("team.climate.y"),
                "value": _n(ui.t("team.col.value")),
                "z": _n(ui.t("team.col.z"), "%+.2f"),
                "pct": _n(ui.t("team.col.pct_peers"), "%d"),
                "median": _n(ui.t("team.col.median")),
            },
        )
        st.caption(ui.t("team.climate.caption", m=int(cfg["min_peers"])))
    else:
        st.info(ui.t("team.climate.none"))
    if _has(row.get("satisfaction")):
        st.markdown(
            ui.t(
                "team.satisfaction.text",
                sat=_num(row["satisfaction"]),
                pct=_pct(row.get("satisfaction_pct")),
                q=_num(row.get("questionnaire")),
                t=_num(row.get("third_party")),
                gap=_num(row.get("source_gap"), "{:+.1f}"),
                z=_num(row.get("source_gap_z"), "{:+.1f}"),
            )
        )
    else:
        st.markdown(ui.t("team.satisfaction.none"))

    groups = ui.query(tv.rater_groups, period, unit)
    if groups.empty:
        return
    k = int(cfg["k"])
    st.markdown(f"**{ui.t('team.groups.title')}**")
    notes = {"floor": ui.t("privacy.cell", k=k), "complement": ui.t("team.groups.complement")}
    shown = groups.assign(
        rater_group=[_tr("group", g) for g in groups["rater_group"]],
        note=[notes.get(h, "") if isinstance(h, str) else "" for h in groups["hidden_by"]],
    )
    _table(
        shown,
        "team_groups",
        {
            "rater_group": ui.t("col.rater_group"),
            "sheets": _n(ui.t("col.sheets"), "%d"),
            "position": _n(ui.t("team.col.position")),
            "city_position": _n(ui.t("team.col.city_position")),
            "difference": _n(ui.t("team.col.difference"), "%+.1f"),
            "note": ui.t("team.col.privacy"),
        },
    )
    st.caption(ui.t("team.groups.caption", k=k))
    ui.privacy_note(int(groups["suppressed"].sum()))
    if (groups["hidden_by"] == "complement").any():
        st.caption(":material/visibility_off: " + ui.t("team.groups.complement_note", k=k))


def _trend(row: dict, unit: str, cfg: dict) -> None:
    st.subheader(ui.t("team.trend.title"))
    tr = ui.query(tv.trend, unit)
    x = [_period(p, lb) for p, lb in zip(tr["period_id"], tr["period_label"], strict=True)]
    tr = tr.assign(
        x=x,
        period=x,
        composite=tr["team_composite"],
        ci_low=tr["team_ci_low"],
        ci_high=tr["team_ci_high"],
    )
    if tr["composite"].notna().any():
        ui.chart(
            tc.trend_chart(
                tr.dropna(subset=["composite"]),
                ui.t("team.trend.chart"),
                ui.t("team.trend.x"),
                ui.t("team.trend.y"),
                {v: ui.t(f"verdict.{v}") for v in ("concern", "watch", "good")},
                ui.t("team.ref_peer_mean"),
                ui.t("team.trend.line"),
                current=_period(row["period_id"], row.get("period_label")),
                current_name=ui.t("team.trend.current"),
            ),
            key="team_trend_chart",
        )
    if _has(row.get("composite_change")):
        st.markdown(
            ui.t(
                "team.trend.now",
                prev=_period(row["prev_period_id"], row.get("prev_period_label")),
                change=row["composite_change"],
                z=row.get("change_z") or 0,
                clear=ui.t("team.trend.clear" if row.get("change_clear") else "team.trend.unclear"),
                mchange=_num(row.get("members_change"), "{:+.1f}"),
                mclear=ui.t(
                    "team.trend.clear" if row.get("members_change_clear") else "team.trend.unclear"
                ),
            )
        )
    else:
        st.markdown(ui.t("team.trend.first"))
    yes, no = ui.t("team.yes"), ui.t("team.no")
    shown = tr.assign(
        verdict=[_word("verdict", v) for v in tr["verdict"]],
        clear=[
            (yes if c else no) if _has(d) else None
            for c, d in zip(tr["change_clear"], tr["composite_change"], strict=True)
        ],
    )
    _table(
        shown,
        "team_trend",
        {
            "period": ui.t("col.period"),
            "verdict": ui.t("col.verdict"),
            "team_composite": _n(ui.t("col.composite")),
            "ci": ui.t("score.ci"),
            "team_rank": _n(ui.t("col.rank"), "%d"),
            "peer_size": _n(ui.t("col.peer_size"), "%d"),
            "composite_change": _n(ui.t("col.change"), "%+.1f"),
            "change_z": _n(ui.t("team.col.change_z"), "%+.1f"),
            "clear": ui.t("team.col.change_clear"),
            "member_mean": _n(ui.t("team.col.member_mean")),
        },
    )
    st.caption(ui.t("team.trend.caption", zq=cfg["z_q"]))


def _talks(row: dict, period: str, unit: str, cfg: dict) -> None:
    st.subheader(ui.t("team.talks.title"))
    n_talks, mentions = int(row.get("n_talks") or 0), int(row.get("mentions") or 0)
    if n_talks == 0 and mentions == 0:
        st.info(ui.t("team.talks.none"))
        return
    if n_talks < int(cfg["k"]):  # the anonymity floor: the reader could tell who said it
        hidden = ui.t("team.talks.hidden", n=n_talks, k=int(cfg["k"]))
        st.info(":material/visibility_off: " + hidden)
        return
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ui.t("team.talks.n_talks"), n_talks)
    c2.metric(ui.t("team.talks.mentions"), mentions)
    city = row.get("city_share_negative")
    c3.metric(
        ui.t("team.talks.negative"),
        _num(row.get("share_negative"), "{:.0%}"),
        delta=ui.t("team.talks.city", city=city) if _has(city) else None,
        delta_color="off",
        delta_arrow="off",
    )
    c4.metric(ui.t("team.talks.p"), _num(row.get("talk_p"), "{:.2g}"))
    topics = ui.query(tv.talk_topics, period, unit)
    if topics.empty:
        st.info(ui.t("team.talks.no_mentions"))
    else:
        ui.chart(
            tc.talk_topics_chart(
                topics.assign(label=[_tr("topic", t) for t in topics["topic"]]),
                ui.t("team.talks.chart"),
                ui.t("team.talks.x"),
                ui.t("team.talks.y"),
                {s: ui.t(f"stance.{s}") for s in ("negative", "neutral", "positive")},
            ),
            key="team_talks_chart",
        )
    st.caption(
        ui.t(
            "team.talks.caption",
            pw=f"{cfg['talk_p_watch']:g}",
            pc=f"{cfg['talk_p_concern']:g}",
            mn=int(cfg["talk_min_negative"]),
        )
    )


def _subject(kind: str, sid: str, name, group) -> str:
    if kind == "cadre" and isinstance(name, str):
        return name
    if kind == "rater_group":
        return _tr("group", group if isinstance(group, str) else sid)
    if kind == "ballot":
        return f"{ui.t('subject.ballot')} {sid}"
    return _tr("subject", kind)


def _flags(period: str, unit: str) -> None:
    st.subheader(ui.t("team.flags.title"))
    fl = ui.query(tv.flags, period, unit)
    if fl.empty:
        st.success(ui.t("team.flags.none"))
    else:
        st.caption(ui.t("team.flags.caption"))
        evidence = fl["evidence_zh" if _zh() else "evidence"]
        colon = "：" if _zh() else ": "
        lines = [
            f"- {_badge(_tr('severity', sev), sev)} **{html.escape(_tr('flag', kind))}** · "
            f"{html.escape(_subject(sk, sid, name, grp))}{colon}{html.escape(ev, quote=False)}"
            for sev, kind, sk, sid, name, grp, ev in zip(
                fl["severity"],
                fl["flag_type"],
                fl["subject_type"],
                fl["subject_id"],
                fl["subject_name"],
                fl["rater_group"],
                evidence,
                strict=True,
            )
        ]
        st.markdown("\n".join(lines), unsafe_allow_html=True)
    ui.link(
        "anomalies",
        ui.t("team.flags.link"),
        icon=":material/troubleshoot:",
        unit=unit,
        period=period,
    )


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
