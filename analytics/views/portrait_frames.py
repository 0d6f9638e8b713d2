"""The display side of the cadre portrait: the read models of :mod:`analytics.views.portrait`
turned into what the page shows, in the reader's language — the facts strip, the tables'
label columns, the privacy cells of the rater groups and the flag cards.  No database, no
Streamlit: pure functions of the frames and dicts the read models return."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analytics import fmt, i18n, privacy
from analytics.views import period_label
from analytics.views import portrait_summary as summary
from analytics.views.columns import Col

C = Col

SEVERITY_BADGE = {"critical": "red", "warning": "orange", "info": "blue"}
STANCES = ("positive", "neutral", "negative")

# ---- the tables' columns ----------------------------------------------------------------
TWO = "%.2f"
CHANNELS = {
    "label": C("name", "col.channel", width=110),
    "value": C("score", "portrait.col.value"),
    "z": C("effect", "portrait.col.z"),
    "weight": C("number", "portrait.col.weight", format="%.0f"),
    "basis_text": C("wrap", "portrait.col.basis", width=160),
}
DIMENSIONS = {
    "label": C("name", "portrait.col.dimension", width=160),
    "mean": C("number", "portrait.col.others", format=TWO),
    "n_marks": C("int", "portrait.col.n_marks"),
    "peer_median": C("number", "portrait.col.peer_median", format=TWO),
    "diff": C("effect", "portrait.col.diff"),
    "self": C("number", "portrait.col.self", format=TWO),
    "gap": C("effect", "portrait.col.gap"),
    "note": C("text", "portrait.col.note", width=160),
}
GROUPS = {
    "label": C("name", "col.rater_group"),
    "n_sheets": C("int", "col.sheets"),
    "mean_text": C("text", "portrait.col.mean", width=160),
    "usual": C("number", "portrait.col.usual", format=TWO),
    "relative_text": C("text", "portrait.col.relative", width=160),
}
TREND = {
    "label": C("text", "col.period"),
    "composite": C("score", "col.composite"),
    "ci_low": C("score", "portrait.col.ci_low"),
    "ci_high": C("score", "portrait.col.ci_high"),
    "rank": C("int", "col.rank"),
    "rank_text": C("text", "portrait.col.rank_interval", width=150),
    "peer_median": C("score", "portrait.trend.peer"),
}
PORTFOLIO = {
    "indicator": C("wrap", "portrait.col.indicator", width=180),
    "score": C("score", "portrait.col.score"),
    "max_score": C("number", "portrait.col.max_score", format="%.0f"),
    "weight": C("number", "portrait.col.weight", format="%.3g"),
    "pct": C("score", "portrait.col.pct"),
}
NOTES = {
    "topic": C("text", "portrait.col.topic"),
    "stance": C("text", "portrait.col.stance"),
    "note": C("wrap", "portrait.col.point", width=400),
    "n": C("int", "portrait.col.count"),
}


def code_name(prefix: str, code: Any, lang: str) -> str:
    """A code's label (``group.staff`` …), the code itself if the data use an unknown one,
    '' for none."""
    if code is None or (isinstance(code, float) and code != code):
        return ""
    key = f"{prefix}.{code}"
    return i18n.t(key, lang) if key in i18n.STRINGS else str(code)


def fact_items(facts: dict, period_name: str, lang: str) -> list[tuple[str, str, str | None]]:
    """The facts strip: (label, value, help) for post, unit, gender, age, tenure, education."""
    unknown = i18n.t("portrait.fact.unknown", lang)
    gender = facts["gender"]
    age = facts["age"]
    since = facts["in_post_since"]
    items = [
        ("position", i18n.code("post", facts["position"], lang), None),
        ("unit", facts["unit_name"], None),
        ("gender", i18n.t(f"portrait.gender.{gender}", lang) if gender else unknown, None),
        (
            "age",
            i18n.t("portrait.fact.age_value", lang, age=age) if age is not None else unknown,
            i18n.t("portrait.fact.age_help", lang, period=period_name, end=facts["end_date"]),
        ),
        (
            "tenure",
            summary.tenure(facts["months_in_post"], lang),
            i18n.t("portrait.fact.tenure_help", lang, since=since, period=period_name)
            if since
            else None,
        ),
        (
            "education",
            i18n.code("education", facts["education"], lang) if facts["education"] else unknown,
            None,
        ),
    ]
    return [(i18n.t(f"portrait.fact.{k}", lang), v, h) for k, v, h in items]


def channels_shown(ch: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The evidence channels with their names and what each rests on (marks, sheets, …)."""
    return ch.assign(
        label=[i18n.t(f"score.{c}", lang) for c in ch["channel"]],
        basis_text=[
            i18n.t(f"portrait.basis.{k}" + ("_one" if n == 1 else ""), lang, n=f"{int(n):,}")
            for k, n in zip(ch["basis_kind"], ch["basis"], strict=True)
        ],
    )


def missing_channels(missing: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(i18n.t(f"score.{c}", lang) for c in missing)


def dimensions_shown(rated: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rated dimensions with their label and a note on the largest self-vs-others gap."""
    largest = i18n.t("portrait.self.largest", lang)
    return rated.assign(
        label=rated[f"label_{lang}"], note=[largest if g else "" for g in rated["largest_gap"]]
    )


def groups_shown(groups: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rater groups with their names; a hidden group's mean and relative position say
    why they are hidden (the anonymity floor, or secondary suppression)."""
    hidden = [
        i18n.t("portrait.groups.secondary_cell", lang)
        if sec
        else i18n.t("privacy.cell", lang, k=privacy.floor())
        for sec in groups["secondary"]
    ]

    def cells(col: str, spec: str) -> list[str]:
        return [
            h if sup else format(v, spec)
            for v, sup, h in zip(groups[col], groups["suppressed"], hidden, strict=True)
        ]

    return groups.assign(
        label=[code_name("group", g, lang) for g in groups["rater_group"]],
        mean_text=cells("mean", ".2f"),
        relative_text=cells("relative", "+.2f"),
    )


def trend_shown(trend: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The periods with their labels and the rank interval as text."""
    return trend.assign(
        label=[
            period_label(p, lb, lang)
            for p, lb in zip(trend["period_id"], trend["label"], strict=True)
        ],
        rank_text=[
            i18n.t("portrait.metric.rank_interval_value", lang, lo=a, hi=b, n=n)
            for a, b, n in zip(
                trend["rank_low"], trend["rank_high"], trend["peer_size"], strict=True
            )
        ],
    )


def talks_shown(tk: dict, lang: str) -> dict[str, pd.DataFrame]:
    """The talk mentions' chart counts, table and points with topics and stances named."""
    counts, table, notes = tk["counts"], tk["table"], tk["notes"]
    return {
        "counts": counts.assign(topic_label=[code_name("topic", t, lang) for t in counts["topic"]]),
        "table": table.assign(topic=[code_name("topic", t, lang) for t in table["topic"]]),
        "notes": notes.assign(
            topic=[code_name("topic", t, lang) for t in notes["topic"]],
            stance=[code_name("stance", s, lang) for s in notes["stance"]],
        ),
    }


def flag_cards(fl: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """One card per flag: severity word and badge colour, type, when (and which rater group),
    the evidence sentence and the test's statistic and p-value."""
    cards = []
    for f in fl.to_dict("records"):
        when = (
            period_label(f["period_id"], f["label"], lang)
            if f["period_id"]
            else i18n.t("portrait.flags.all_periods", lang)
        )
        if f["rater_group"]:
            group = code_name("group", f["rater_group"], lang)
            when += " · " + i18n.t("portrait.flags.group", lang, group=group)
        stat = fmt.effect(f["statistic"], lang)
        p = f["p_value"]
        cards.append(
            {
                "severity": i18n.t(f"severity.{f['severity']}", lang),
                "color": SEVERITY_BADGE.get(f["severity"], "gray"),
                "type": code_name("flag", f["flag_type"], lang),
                "when": when,
                "evidence": f["evidence_zh"]
                if lang == "zh" and f["evidence_zh"]
                else f["evidence"],
                "stat": i18n.t("portrait.flags.stat_only", lang, stat=stat)
                if fmt.missing(p)
                else i18n.t("portrait.flags.stat", lang, stat=stat, p=fmt.p(p, lang)),
            }
        )
    return cards


def badges(facts: dict, lang: str) -> list[tuple[str, str]]:
    """(text, colour) of the badges under the name: tier, role (team members), area."""
    out = [(code_name("tier", facts["tier"], lang), "gray")]
    if facts["tier"] == "team":
        out.append((code_name("role", facts["role"], lang), "blue"))
    area = i18n.code("area", facts["area_name"], lang) if facts["area_name"] else facts["area_id"]
    unit_type = code_name("unit_type", facts["unit_type"], lang)
    out.append((i18n.t("portrait.fact.area", lang, area=area, unit_type=unit_type), "gray"))
    return out


def not_scored(facts: dict, period_name: str, lang: str) -> str:
    """Why a cadre has no composite: not a team member, or not scored this period."""
    if facts["tier"] != "team":
        return i18n.t("portrait.not_team", lang, tier=code_name("tier", facts["tier"], lang))
    return i18n.t("portrait.not_scored", lang, period=period_name)


def standing_metrics(s: dict, lang: str) -> list[dict[str, Any]]:
    """The four standing cards (``st.metric`` arguments): composite, its interval, the rank
    interval and the percentile interval."""
    level = f"{s['level'] * 100:.0f}"
    lo, hi, median = (f"{s[k]:.1f}" for k in ("ci_low", "ci_high", "peer_median"))
    n = s["peer_size"]
    pct = {"p": f"{s['percentile']:.0f}", "lo": f"{s['pct_low']:.0f}", "hi": f"{s['pct_high']:.0f}"}
    return [
        {
            "label": i18n.t("portrait.metric.composite", lang),
            "value": f"{s['composite']:.1f}",
            "help": i18n.t(
                "portrait.metric.composite_help", lang, level=level, lo=lo, hi=hi, median=median
            ),
        },
        {"label": i18n.t("portrait.metric.interval", lang, level=level), "value": f"{lo}–{hi}"},
        {
            "label": i18n.t("portrait.metric.rank_interval", lang),
            "value": i18n.t(
                "portrait.metric.rank_interval_value",
                lang,
                lo=s["rank_low"],
                hi=s["rank_high"],
                n=n,
            ),
            "help": i18n.t("portrait.metric.rank_value", lang, rank=s["rank"], n=n),
        },
        {
            "label": i18n.t("portrait.metric.percentile", lang),
            "value": i18n.t("portrait.metric.percentile_value", lang, **pct),
        },
    ]


def share_text(v: float | None) -> str:
    """A portfolio share already in percent: '82.5%', '—'."""
    return fmt.DASH if v is None else f"{v:.1f}%"


def portfolio_metrics(pf: dict, lang: str) -> list[dict[str, Any]]:
    """The three portfolio cards: own, the unit's, the peers'."""
    unit_help = i18n.t("portrait.portfolio.unit_help", lang, n=int(pf["unit_indicators"] or 0))
    return [
        {"label": i18n.t("portrait.portfolio.own", lang), "value": share_text(pf["portfolio_pct"])},
        {
            "label": i18n.t("portrait.portfolio.unit", lang),
            "value": share_text(pf["unit_pct"]),
            "help": unit_help,
        },
        {"label": i18n.t("portrait.portfolio.peer", lang), "value": share_text(pf["peer_pct"])},
    ]


def talk_columns(lang: str) -> dict[str, Col]:
    """The columns of the talk mentions table (topic, one per stance, total)."""
    stances = {s: C("int", text=i18n.t(f"stance.{s}", lang)) for s in STANCES}
    return {
        "topic": C("text", "portrait.col.topic"),
        **stances,
        "total": C("int", "portrait.col.total"),
    }
