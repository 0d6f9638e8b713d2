"""The display side of the Overview: the read models of :mod:`analytics.views.overview`
turned into what the page shows, in the reader's language — the tables' columns, the
headline and unit cards (``st.metric`` arguments as plain dicts), the scope sentence and the
reason and flag lines.  No database, no Streamlit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analytics import i18n, privacy
from analytics.views import with_rank_text
from analytics.views.columns import Col

C = Col
SEVERITIES = ("critical", "warning", "info")
VERDICTS = ("good", "watch", "concern")
CLEAR = C("check", "overview.col.clear", help="overview.col.clear_help")
RANK = C("text", "col.rank_of", help="col.rank_of_help", width=95)

# ---- the tables' columns ----------------------------------------------------------------
AREAS = {
    "area_name": C("name", "col.area", width=110, code="area"),
    "leader": C("name", "overview.col.leader", width=75),
    "units": C("int", "overview.col.units", width=50),
    "mean_composite": C("score", "overview.col.mean"),
    "median_composite": C("score", "overview.col.median"),
    **{v: C("int", f"verdict.{v}", width=80) for v in VERDICTS},
    "lacking": C("int", "overview.col.lacking"),
}
UNITS = {
    "unit_name": C("wrap", "col.unit", pinned=True, width=100),
    "verdict": C("text", "col.verdict", width=70),
    "composite": C("score", "col.composite", width=55),
    "ci": C("text", "score.ci", width=70),
    "rank_text": RANK,
    "change": C("signed", "col.change", width=55),
    "change_clear": CLEAR,
    **{s: C("int", f"severity.{s}", width=45) for s in SEVERITIES},
    "reasons": C("wrap", "overview.col.reasons", width=175, lines=4),
    "missing": C("wrap", "col.missing", width=75),
    "unit_type": C("text", "col.unit_type", width=60),
}
MEMBERS = {
    "name": C("name", "col.name", width=90),
    "position": C("wrap", "col.position", width=200, code="post"),
    "role": C("text", "overview.col.role", width=80),
    "composite": C("score", "col.composite"),
    "ci": C("text", "score.ci", width=90),
    "rank_text": RANK,
    "prev_composite": C("score", "overview.col.prev"),
    "change": C("signed", "col.change"),
    "change_clear": CLEAR,
}
_MOVED = {
    "prev_composite": C("score", "overview.col.prev"),
    "composite": C("score", "overview.col.now"),
    "change": C("signed", "col.change"),
    "change_clear": CLEAR,
}
MOVERS = {
    "teams": {
        "unit_name": C("name", "col.unit"),
        "area_name": C("name", "col.area", code="area"),
        **_MOVED,
    },
    "cadres": {
        "name": C("name", "col.name", width=90),
        "position": C("wrap", "col.position", width=200, code="post"),
        "unit_name": C("name", "col.unit"),
        **_MOVED,
    },
}
COVERAGE_CHANNELS = {
    "channel": C("name", "col.channel"),
    "covered": C("int", "overview.coverage.covered"),
    "share": C("progress", "overview.col.share"),
}
COVERAGE_GAPS = {
    "unit_name": C("name", "col.unit"),
    "area_name": C("name", "col.area", code="area"),
    "missing": C("wrap", "col.missing", width=240),
}


def area_columns(lang: str) -> dict[str, Col]:
    """The areas table: the flag counts' headers name the severity and say 'flags'."""
    flags = i18n.t("col.flags", lang)
    severities = {
        s: C("int", text=i18n.t(f"severity.{s}", lang) + " · " + flags, width=90)
        for s in SEVERITIES
    }
    cols = dict(AREAS)
    lacking = cols.pop("lacking")
    return {**cols, **severities, "lacking": lacking}


# ---- words --------------------------------------------------------------------------------
def verdict_word(v: Any, lang: str) -> str:
    if isinstance(v, str) and v:
        return i18n.t(f"verdict.{v}", lang)
    return i18n.t("overview.verdict_none", lang)


def channels_text(codes: Any, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(i18n.t(f"channel.{c}", lang) for c in codes)


def badge(level: str, text: str) -> str:
    """A coloured markdown badge for a verdict or severity level."""
    colour = {"concern": "red", "critical": "red", "watch": "orange", "warning": "orange"}
    return f":{colour.get(level, 'blue')}-badge[{text}]"


def members_shown(members: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The unit card's members with their role named and the rank as one cell."""
    shown = members.assign(role=[i18n.t(f"role.{r}", lang) for r in members["role"]])
    return with_rank_text(shown, lang)


ATTENTION = {
    "unit_name": C("wrap", "col.unit", pinned=True, width=100),
    "area_name": C("name", "col.area", width=80, code="area"),
    "composite": C("score", "col.composite", width=55),
    "rank_text": RANK,
    "critical": C("int", "severity.critical", width=45),
    "warning": C("int", "severity.warning", width=45),
    "reasons": C("wrap", "overview.col.reasons", width=330, lines=3),
}


def attention_tabs(df: pd.DataFrame, lang: str) -> list[tuple[str, str, pd.DataFrame]]:
    """(verdict, tab label "需重点关注 · 3", its teams) for each verdict other than good
    that :func:`~analytics.views.overview.attention_teams` lists, worst first."""
    out = []
    for v in ("concern", "watch"):
        sub = df[df["verdict"] == v].reset_index(drop=True)
        if len(sub):
            label = f"{i18n.t(f'verdict.{v}', lang)} · {len(sub)}"
            shown = with_rank_text(sub, lang).assign(
                reasons=sub["reasons_zh" if lang == "zh" else "reasons_en"]
            )
            out.append((v, label, shown))
    return out


def units_shown(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`~analytics.views.overview.unit_table` with codes named, reasons in ``lang``."""
    return with_rank_text(df, lang).assign(
        unit_type=[i18n.t(f"unit_type.{x}", lang) for x in df["unit_type"]],
        verdict=[verdict_word(v, lang) for v in df["verdict"]],
        missing=[channels_text(m, lang) for m in df["missing"]],
        reasons=df["reasons_zh" if lang == "zh" else "reasons_en"],
    )


def scope_text(
    h: dict, unit_row: Any, area: str | None, area_names: dict, leaders: pd.Series, lang: str
) -> tuple[str, str]:
    """(short scope name, scope sentence) for the page caption and chart titles."""
    if unit_row is not None:
        unit, area_name = unit_row["name"], i18n.code("area", unit_row["area_name"], lang)
        return unit, i18n.t("overview.scope.unit", lang, unit=unit, area=area_name)
    if area:
        leader = leaders.get(area, "")
        n = h["units"]
        text = i18n.t("overview.scope.area_units", lang, area=area_names[area], leader=leader, n=n)
        return area_names[area], text
    return i18n.t("overview.scope.city", lang), i18n.t(
        "overview.scope.city_units", lang, n=h["units"]
    )


# ---- metric cards -------------------------------------------------------------------------
def _delta(delta: dict, key: str, spec: str = "{:+d}") -> dict[str, Any]:
    """delta arguments of st.metric: none for the first period, flat when unchanged."""
    value = delta.get(key)
    if value is None:
        return {}
    if abs(value) < 0.05:
        return {"delta": "0", "delta_color": "off", "delta_arrow": "off"}
    return {"delta": spec.format(value)}


def headline_groups(h: dict, cov: dict, prev_label: str | None, lang: str) -> list[dict]:
    """Three boxes of cards (scope, verdicts, flags): each {caption, widths, cards}."""
    delta = h["delta"] or {}

    def caption(key: str) -> str:
        text = i18n.t(f"overview.group.{key}", lang)
        return text + (
            " · " + i18n.t("overview.metric.vs_prev", lang, prev=prev_label) if prev_label else ""
        )

    scope = [
        {
            "label": i18n.t("overview.metric.units", lang),
            "value": f"{h['units']}",
            "help": i18n.t("overview.metric.units_help", lang, scored=h["scored"]),
        },
        {
            "label": i18n.t("overview.metric.median", lang),
            "value": "—" if h["median"] is None else f"{h['median']:.1f}",
            "help": i18n.t("overview.metric.median_help", lang),
            **_delta(delta, "median", "{:+.1f}"),
        },
        {
            "label": i18n.t("overview.metric.coverage", lang),
            "value": "—" if cov["share"] is None else f"{cov['share']:.1%}",
            "help": i18n.t(
                "overview.metric.coverage_help", lang, complete=cov["complete"], units=cov["units"]
            ),
        },
    ]
    verdicts = [
        {
            "label": i18n.t(f"verdict.{v}", lang),
            "value": f"{h['verdicts'][v]}",
            "help": i18n.t("overview.metric.verdict_help", lang),
            "delta_color": "normal" if v == "good" else "inverse",
            **_delta(delta, v),
        }
        for v in VERDICTS
    ]
    flags = [
        {
            "label": i18n.t(f"severity.{s}", lang),
            "value": f"{h['flags'][s]}",
            "help": i18n.t("overview.metric.flags_help", lang),
            "delta_color": "inverse" if s != "info" else "off",
            **_delta(delta, s),
        }
        for s in SEVERITIES
    ]
    return [
        {"caption": caption("scope"), "widths": [0.8, 1, 1.4], "cards": scope},
        {"caption": caption("verdicts"), "widths": None, "cards": verdicts},
        {"caption": caption("flags"), "widths": None, "cards": flags},
    ]


def unit_cards(u: dict, sev: dict, labels: dict, period: str, lang: str) -> list[dict]:
    """The unit card's five cards: verdict, composite, rank, change, flags."""
    interval = (
        f"{u['rank_low']}"
        if u["rank_low"] == u["rank_high"]
        else f"{u['rank_low']}–{u['rank_high']}"
    )
    flat = {"delta_color": "off", "delta_arrow": "off"}
    if u["change"] is not None:
        change = {
            "value": f"{u['change']:+.1f}",
            "delta": i18n.t(
                "overview.card.clear" if u["change_clear"] else "overview.card.within", lang
            ),
            **flat,
            "help": i18n.t(
                "overview.card.change_help",
                lang,
                prev=labels.get(u["prev_period_id"], u["prev_period_id"]),
                before=u["prev_composite"],
                now=u["composite"],
            ),
        }
    else:
        change = {
            "value": "—",
            "help": i18n.t("overview.movers.first", lang, period=labels[period]),
        }
    peer = i18n.t(f"unit_type.{u['unit_type']}", lang)
    ci = f"{u['ci_low']:.1f}–{u['ci_high']:.1f}"
    return [
        {"label": i18n.t("overview.card.verdict", lang), "value": verdict_word(u["verdict"], lang)},
        {
            "label": i18n.t("overview.card.composite", lang),
            "value": f"{u['composite']:.1f}",
            "help": i18n.t("overview.card.composite_help", lang, ci=ci),
        },
        {
            "label": i18n.t("overview.card.rank", lang),
            "value": i18n.t("overview.card.rank_value", lang, rank=u["rank"], peers=u["peer_size"]),
            "help": i18n.t("overview.card.rank_help", lang, interval=interval, peer=peer),
        },
        {"label": i18n.t("overview.card.change", lang), **change},
        {
            "label": i18n.t("overview.card.flags", lang),
            "value": f"{sum(sev.values())}",
            "delta": i18n.t("overview.card.flags_by", lang, **sev),
            **flat,
            "help": i18n.t("overview.card.flags_help", lang),
        },
    ]


# ---- the unit card's lines ------------------------------------------------------------------
def reason_lines(reasons: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """(the verdict's reasons with their badges, the notes at information level)."""
    text = "text_zh" if lang == "zh" else "text_en"
    main = reasons[reasons["level"] != "info"]
    notes = reasons[reasons["level"] == "info"]
    lines = [
        f"{badge(level, i18n.t('verdict.' + level, lang))} {line}"
        for level, line in zip(main["level"], main[text], strict=True)
    ]
    return lines, list(notes[text])


def flag_lines(flags: pd.DataFrame, lang: str) -> list[str]:
    """One markdown line per flag of the unit: badge, type, subject, evidence (or why it is
    hidden)."""
    evidence = flags["evidence_zh" if lang == "zh" else "evidence"]
    hidden = ":material/visibility_off: " + i18n.t("privacy.cell", lang, k=privacy.floor())
    lines = []
    for row, ev in zip(flags.itertuples(), evidence, strict=True):
        who = (
            row.cadre_name
            if isinstance(row.cadre_name, str)
            else i18n.t(f"subject.{row.subject_type}", lang)
        )
        lines.append(
            f"{badge(row.severity, i18n.t('severity.' + row.severity, lang))} "
            f"**{i18n.t('flag.' + row.flag_type, lang)}** · {who}  \n"
            f"{hidden if row.suppressed else ev}"
        )
    return lines
