"""The display side of Team health: the read models of :mod:`analytics.views.team` turned
into what the page shows, in the reader's language — the tables' columns and frames, the
metric cards (``st.metric`` arguments as dicts), the badges and the sentences.  No
database, no Streamlit.

Every badge carries an icon and its word besides the colour (never colour alone).
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from analytics import i18n
from analytics.charts import SEVERITY_COLORS, VERDICT_COLORS
from analytics.views import page_link, period_label, with_rank_text
from analytics.views.columns import Col

C = Col
BADGE_COLORS = {**VERDICT_COLORS, **SEVERITY_COLORS}
ICONS = {"concern": "✖", "watch": "▲", "good": "✔", "info": "ℹ", "critical": "✖", "warning": "▲"}
DASH = "—"
SEVERITIES = ("critical", "warning", "info")

# ---- the tables' columns ----------------------------------------------------------------
RANK = C("text", "col.rank_of", help="col.rank_of_help", width=95)
LIST = {
    "verdict": C("text", "col.verdict", width=90),
    "unit_name": C("wrap", "col.unit", width=100),
    "open": C("link", "team.col.open", display="team.open_team", width=60),
    "reason": C("wrap", "team.col.first_reason", width=190),
    "team_composite": C("score", "col.composite", width=55),
    "ci": C("text", "score.ci", width=80),
    "rank_text": RANK,
    "n_concern": C("int", "team.col.n_concern", width=55),
    "n_watch": C("int", "team.col.n_watch", width=55),
    "unit_type": C("text", "col.unit_type", width=70),
    "area_name": C("wrap", "col.area", width=90, code="area"),
}
CHANNELS = {
    "label": C("name", "col.channel"),
    "weight": C("number", "team.col.weight", format="%.0f%%"),
    "value": C("score", "team.col.value"),
    "z": C("effect", "team.col.z"),
    "pct": C("int", "team.col.pct_peers"),
    "median": C("score", "team.col.median"),
    "iqr": C("text", "team.col.iqr"),
    "peers": C("int", "col.peer_size"),
}
COHESION = {
    "measure": C("name", "team.col.measure", width=180),
    "value": C("text", "team.col.value", width=80),
    "pct": C("int", "team.col.pct_city"),
    "z": C("effect", "team.col.z"),
    "meaning": C("wrap", "team.col.meaning", width=420),
}
CLIMATE = {
    "label": C("name", "team.climate.y", width=180),
    "value": C("score", "team.col.value"),
    "z": C("effect", "team.col.z"),
    "pct": C("int", "team.col.pct_peers"),
    "median": C("score", "team.col.median"),
}
GROUPS = {
    "rater_group": C("name", "col.rater_group"),
    "sheets": C("int", "col.sheets"),
    "position": C("score", "team.col.position"),
    "city_position": C("score", "team.col.city_position"),
    "difference": C("signed", "team.col.difference"),
    "note": C("wrap", "team.col.privacy", width=260),
}
TREND = {
    "period": C("text", "col.period"),
    "verdict_word": C("text", "col.verdict", width=110),
    "team_composite": C("score", "col.composite"),
    "ci": C("text", "score.ci", width=90),
    "team_rank": C("int", "col.rank"),
    "peer_size": C("int", "col.peer_size"),
    "composite_change": C("signed", "col.change"),
    "change_z": C("number", "team.col.change_z", format="%+.1f"),
    "clear": C("text", "team.col.change_clear"),
    "member_mean": C("score", "team.col.member_mean"),
}


def member_columns(lang: str) -> dict[str, Col]:
    """The members table; the flag counts' headers carry the severity's icon and word."""
    flags = {
        f"flags_{s}": C(
            "int", text=word("severity", s, lang), help="team.members.flags_help", width=55
        )
        for s in SEVERITIES
    }
    return {
        "name": C("name", "col.name", width=80),
        "portrait": C("link", "team.col.portrait", display="team.members.open", width=60),
        "position": C("wrap", "col.position", width=170, code="post"),
        "role": C("text", "team.col.role", width=70),
        "composite": C("score", "col.composite", width=55),
        "ci": C("text", "score.ci", width=80),
        "rank_text": RANK,
        **flags,
        "missing_channels": C("wrap", "team.col.missing_channels", width=110),
    }


# ---- words and numbers ----------------------------------------------------------------------
def has(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def tr(prefix: str, code: Any, lang: str) -> str:
    """The translation of a code (``prefix.code``), or the code itself when unknown."""
    if not has(code):
        return ""
    key = f"{prefix}.{code}"
    return i18n.t(key, lang) if key in i18n.STRINGS else str(code)


def num(v: Any, spec: str = "{:.1f}") -> str:
    return spec.format(v) if has(v) else DASH


def pct_shown(p: Any) -> int | None:
    """A mid-rank percentile as shown: rounded, never 0 or 100 (None when absent)."""
    return int(min(99, max(1, round(p)))) if has(p) else None


def pct_text(p: Any, lang: str) -> str:
    shown = pct_shown(p)
    return DASH if shown is None else i18n.t("team.pct", lang, p=shown)


def period_text(pid: str | None, label: str | None, lang: str) -> str:
    return period_label(pid, label, lang) if pid else DASH


def badge(word_: str, level: str) -> str:
    """An HTML badge: colour, icon and word."""
    colour = BADGE_COLORS.get(level, "#999999")
    return (
        f'<span style="background:{colour};color:#000;padding:0.1em 0.55em;'
        f'border-radius:0.4em;font-weight:600;white-space:nowrap">'
        f"{ICONS.get(level, '')} {html.escape(word_, quote=False)}</span>"
    )


def word(prefix: str, code: str, lang: str) -> str:
    """Icon and word of a verdict / severity for table cells."""
    return f"{ICONS.get(code, '')} {tr(prefix, code, lang)}"


# ---- the list of teams ----------------------------------------------------------------------
def list_shown(df: pd.DataFrame, period: str, lang: str) -> pd.DataFrame:
    return with_rank_text(df, lang, "team_rank").assign(
        verdict=[word("verdict", v, lang) for v in df["verdict"]],
        unit_type=[tr("unit_type", t, lang) for t in df["unit_type"]],
        reason=df["first_reason_zh" if lang == "zh" else "first_reason_en"],
        open=[page_link("team", unit=u, period=period) for u in df["unit_id"]],
    )


# ---- header and reasons -----------------------------------------------------------------------
def header_caption(row: dict, lang: str) -> str:
    return i18n.t(
        "team.header",
        lang,
        type=tr("unit_type", row["unit_type"], lang),
        area=i18n.code("area", row["area_name"], lang) if row.get("area_name") else row["area_id"],
        period=period_text(row["period_id"], row.get("period_label"), lang),
        peers=num(row.get("peer_size"), "{:.0f}"),
    )


def verdict_markdown(row: dict, lang: str) -> str:
    v = row["verdict"]
    counts = i18n.t("team.verdict.counts", lang, concern=row["n_concern"], watch=row["n_watch"])
    label = i18n.t("team.verdict.label", lang)
    return f"**{label}** &nbsp; {badge(i18n.t(f'verdict.{v}', lang), v)} &nbsp; {counts}"


def reasons_markdown(reasons: pd.DataFrame, lang: str) -> str:
    """The reasons by group, each with its level's badge (HTML)."""
    text = "text_zh" if lang == "zh" else "text_en"
    blocks = []
    for group, part in reasons.groupby("group", sort=False):
        items = [
            f"- {badge(i18n.t(f'team.level.{lv}', lang), lv)} {html.escape(t, quote=False)}"
            for lv, t in zip(part["level"], part[text], strict=True)
        ]
        blocks.append(f"**{tr('team.group', group, lang)}**\n\n" + "\n".join(items))
    return "\n\n".join(blocks)


# ---- standing ---------------------------------------------------------------------------------
def standing_metrics(row: dict, lang: str) -> list[dict[str, Any]]:
    change = row.get("composite_change")
    prev = period_text(row.get("prev_period_id"), row.get("prev_period_label"), lang)
    since = i18n.t("team.metric.change", lang, prev=prev)
    rank = num(row.get("team_rank"), "{:.0f}")
    n = num(row.get("peer_size"), "{:.0f}")
    lo, hi = num(row.get("team_rank_low"), "{:.0f}"), num(row.get("team_rank_high"), "{:.0f}")
    return [
        {
            "label": i18n.t("team.metric.composite", lang),
            "value": num(row.get("team_composite")),
            "delta": f"{change:+.1f} {since}" if has(change) else None,
        },
        {
            "label": i18n.t("score.ci", lang),
            "value": f"{num(row.get('team_ci_low'))}–{num(row.get('team_ci_high'))}",
        },
        {
            "label": i18n.t("team.metric.rank", lang),
            "value": i18n.t("team.rank_value", lang, rank=rank, n=n),
        },
        {"label": i18n.t("team.metric.rank_interval", lang), "value": f"{lo}–{hi}"},
    ]


def channels_shown(ch: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str]:
    """The channels against the peers (label, shown percentile, IQR) and the weights text."""
    sep = "、" if lang == "zh" else ", "
    weights = sep.join(
        i18n.t("team.weight_item", lang, w=w, channel=i18n.t(f"score.{c}", lang))
        for c, w in zip(ch["channel"], ch["weight"], strict=True)
    )
    shown = ch.assign(
        label=[i18n.t(f"score.{c}", lang) for c in ch["channel"]],
        pct=[pct_shown(p) for p in ch["pct"]],
        iqr=[
            f"{num(a)}–{num(b)}" if has(a) else None
            for a, b in zip(ch["q1"], ch["q3"], strict=True)
        ],
    )
    return shown, weights


# ---- members ------------------------------------------------------------------------------
def members_shown(df: pd.DataFrame, unit: str, period: str, lang: str) -> pd.DataFrame:
    """Members with role named, the chart label, missing channels and portrait links."""
    roles = [tr("role", r, lang) for r in df["role"]]
    return with_rank_text(df, lang).assign(
        role=roles,
        label=[f"{n} · {r}" for n, r in zip(df["name"], roles, strict=True)],
        missing_channels=[
            ", ".join(i18n.t(f"score.{c}", lang) for c in m.split(";") if c)
            if isinstance(m, str)
            else ""
            for m in df["missing_channels"]
        ],
        portrait=[page_link("portrait", cadre=c, unit=unit, period=period) for c in df["cadre_id"]],
    )


# ---- cohesion and structure ---------------------------------------------------------------
_COHESION_FORMATS = {
    "rwg": "{:.2f}",
    "tm_item_sd": "{:.2f}",
    "own_unity": "{:.1f}",
    "own_view_gap": "{:+.1f}",
    "colleague_gap": "{:+.1f}",
}


def cohesion_frame(row: dict, lang: str) -> pd.DataFrame:
    """One row per cohesion measure: value, city percentile, z and what it means."""
    return pd.DataFrame(
        [
            {
                "measure": i18n.t(f"team.m.{c}", lang),
                "value": num(row.get(c), spec),
                "pct": pct_shown(row.get(f"{c}_pct")),
                "z": row.get(f"{c}_z"),
                "meaning": i18n.t(f"team.mean.{c}", lang),
            }
            for c, spec in _COHESION_FORMATS.items()
        ]
    )


def structure_metrics(row: dict, cfg: dict, lang: str) -> list[dict[str, Any]]:
    age, tenure = row.get("mean_age"), row.get("mean_tenure")
    return [
        {
            "label": i18n.t("team.s.members", lang),
            "value": i18n.t("team.s.members_value", lang, n=row.get("n_members") or 0),
            "help": i18n.t("team.s.scored_help", lang, n=row.get("n_scored") or 0),
        },
        {
            "label": i18n.t("team.s.age", lang),
            "value": i18n.t("team.s.age_value", lang, v=age) if has(age) else DASH,
            "help": i18n.t(
                "team.s.age_help",
                lang,
                lo=num(row.get("min_age"), "{:.0f}"),
                hi=num(row.get("max_age"), "{:.0f}"),
                z=num(row.get("age_z"), "{:+.1f}"),
            ),
        },
        {
            "label": i18n.t("team.s.female", lang),
            "value": num(row.get("share_female"), "{:.0%}"),
            "help": i18n.t(
                "team.s.female_help",
                lang,
                n=row.get("n_female") or 0,
                pct=pct_text(row.get("share_female_pct"), lang),
            ),
        },
        {
            "label": i18n.t("team.s.postgrad", lang),
            "value": num(row.get("share_postgrad"), "{:.0%}"),
            "help": i18n.t(
                "team.s.pct_help", lang, pct=pct_text(row.get("share_postgrad_pct"), lang)
            ),
        },
        {
            "label": i18n.t("team.s.tenure", lang),
            "value": i18n.t("team.s.tenure_value", lang, v=tenure) if has(tenure) else DASH,
            "help": i18n.t(
                "team.s.tenure_help",
                lang,
                max=num(row.get("max_tenure")),
                n=row.get("n_long_tenure") or 0,
                years=cfg["long_tenure_years"],
                y=row.get("n_appointment_years") or 0,
                z=num(row.get("tenure_z"), "{:+.1f}"),
            ),
        },
    ]


def structure_sentences(row: dict, lang: str) -> list[str]:
    """The principal against the deputies, and the spread of the members' composites."""
    out = []
    if has(row.get("principal_composite")) and has(row.get("deputies_mean")):
        clear = "team.s.gap_clear" if row.get("principal_gap_clear") else "team.s.gap_unclear"
        out.append(
            i18n.t(
                "team.s.principal",
                lang,
                name=row.get("principal_name"),
                p=row["principal_composite"],
                n=row.get("n_deputies"),
                d=row["deputies_mean"],
                gap=row["principal_gap"],
                clear=i18n.t(clear, lang),
            )
        )
    if has(row.get("member_sd")):
        out.append(
            i18n.t(
                "team.s.spread",
                lang,
                n=row.get("n_scored"),
                sd=row["member_sd"],
                pct=pct_text(row.get("member_sd_pct"), lang),
                range=num(row.get("member_range")),
                low_name=row.get("lowest_member") or DASH,
                low=num(row.get("lowest_composite")),
                mean=num(row.get("member_mean")),
            )
        )
    return out


# ---- climate --------------------------------------------------------------------------------
def climate_shown(cl: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The climate dimensions (satisfaction apart) with labels and shown percentiles."""
    dims = cl[cl["measure"] != "satisfaction"]
    names = dims["label_zh" if lang == "zh" else "label_en"]
    return dims.assign(
        label=[n if isinstance(n, str) else m for n, m in zip(names, dims["measure"], strict=True)],
        pct=[pct_shown(p) for p in dims["pct"]],
    )


def satisfaction_sentence(row: dict, lang: str) -> str:
    if not has(row.get("satisfaction")):
        return i18n.t("team.satisfaction.none", lang)
    return i18n.t(
        "team.satisfaction.text",
        lang,
        sat=num(row["satisfaction"]),
        pct=pct_text(row.get("satisfaction_pct"), lang),
        q=num(row.get("questionnaire")),
        t=num(row.get("third_party")),
        gap=num(row.get("source_gap"), "{:+.1f}"),
        z=num(row.get("source_gap_z"), "{:+.1f}"),
    )


def groups_shown(groups: pd.DataFrame, k: int, lang: str) -> pd.DataFrame:
    """Rater groups named; a hidden group says why (the floor, or the complement rule)."""
    notes = {
        "floor": i18n.t("privacy.cell", lang, k=k),
        "complement": i18n.t("team.groups.complement", lang),
    }
    return groups.assign(
        rater_group=[tr("group", g, lang) for g in groups["rater_group"]],
        note=[notes.get(h, "") if isinstance(h, str) else "" for h in groups["hidden_by"]],
    )


# ---- trend ------------------------------------------------------------------------------------
def trend_shown(tr_: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The periods for chart and table: labels, verdict words, whether the change is clear."""
    x = [
        period_text(p, lb, lang)
        for p, lb in zip(tr_["period_id"], tr_["period_label"], strict=True)
    ]
    yes, no = i18n.t("team.yes", lang), i18n.t("team.no", lang)
    return tr_.assign(
        x=x,
        period=x,
        composite=tr_["team_composite"],
        ci_low=tr_["team_ci_low"],
        ci_high=tr_["team_ci_high"],
        verdict_word=[word("verdict", v, lang) for v in tr_["verdict"]],
        clear=[
            (yes if c else no) if has(d) else None
            for c, d in zip(tr_["change_clear"], tr_["composite_change"], strict=True)
        ],
    )


def trend_sentence(row: dict, lang: str) -> str:
    if not has(row.get("composite_change")):
        return i18n.t("team.trend.first", lang)

    def clear(flag: Any) -> str:
        return i18n.t("team.trend.clear" if flag else "team.trend.unclear", lang)

    return i18n.t(
        "team.trend.now",
        lang,
        prev=period_text(row["prev_period_id"], row.get("prev_period_label"), lang),
        change=row["composite_change"],
        z=row.get("change_z") or 0,
        clear=clear(row.get("change_clear")),
        mchange=num(row.get("members_change"), "{:+.1f}"),
        mclear=clear(row.get("members_change_clear")),
    )


# ---- talks and flags ----------------------------------------------------------------------------
def talk_metrics(row: dict, lang: str) -> list[dict[str, Any]]:
    city = row.get("city_share_negative")
    return [
        {"label": i18n.t("team.talks.n_talks", lang), "value": int(row.get("n_talks") or 0)},
        {"label": i18n.t("team.talks.mentions", lang), "value": int(row.get("mentions") or 0)},
        {
            "label": i18n.t("team.talks.negative", lang),
            "value": num(row.get("share_negative"), "{:.0%}"),
            "delta": i18n.t("team.talks.city", lang, city=city) if has(city) else None,
            "delta_color": "off",
            "delta_arrow": "off",
        },
        {"label": i18n.t("team.talks.p", lang), "value": num(row.get("talk_p"), "{:.2g}")},
    ]


def _subject(kind: str, sid: str, name: Any, group: Any, lang: str) -> str:
    if kind == "cadre" and isinstance(name, str):
        return name
    if kind == "rater_group":
        return tr("group", group if isinstance(group, str) else sid, lang)
    if kind == "ballot":
        return f"{i18n.t('subject.ballot', lang)} {sid}"
    return tr("subject", kind, lang)


def flags_markdown(fl: pd.DataFrame, lang: str) -> str:
    """The unit's flags as a list (HTML badges): severity, type, subject and evidence."""
    evidence = fl["evidence_zh" if lang == "zh" else "evidence"]
    colon = "：" if lang == "zh" else ": "
    lines = [
        f"- {badge(tr('severity', sev, lang), sev)} **{html.escape(tr('flag', kind, lang))}** · "
        f"{html.escape(_subject(sk, sid, name, grp, lang))}{colon}{html.escape(ev, quote=False)}"
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
    return "\n".join(lines)
