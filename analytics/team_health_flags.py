"""The verdict takes account of the product's own evidence: the flags on a unit, its team
and its members, and the team's standing at the bottom of its peer group.

Rules (settings in ``[team_health]``; codes in the reasons table of
:mod:`analytics.team_health`):

``critical_flags`` (concern) / ``warning_flags`` (watch)
    Flags at that severity whose ``unit_id`` is the unit — on the unit, its team, its
    members, its rater groups or its sheets — of the period (pooled flags, whose period is
    empty, count in every period), except the two kinds below.
``flags_discounted`` (info) / ``flagged_sheets_decisive`` (watch)
    Flags of the types in ``flags_discountable`` describe raters, not the team (sheets that
    are straight-lined, reversed or copied, a rater group's leniency or halo).  The score
    already answers them: the flagged sheets are set aside in the flag-aware composite
    (:mod:`analytics.scores_flagged`) and a group's level is adjusted by the rater model.
    They are discounted — and the reason says so — when the flag-aware composite of the team
    and of each member stays inside the plain interval; when it leaves the interval for
    anyone, the conclusion rests on flagged sheets and the reason is a watch naming who.
    A ``good`` verdict beside a critical flag therefore always carries ``flags_discounted``.
``process_flags`` (watch)
    Flags of the types in ``flags_process`` (talks that did not reach enough people) show
    that the evidence is incomplete, not that the team is weak: a watch at most.
``rank_bottom`` (watch)
    The team's whole rank interval lies in the bottom ``bottom_share`` of its peer group
    (its best plausible rank rank_low is itself among the last ⌈bottom_share × peers⌉), with
    at least ``min_peers`` peers: the team is at the bottom beyond the uncertainty.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analytics import i18n
from analytics.team_health_measures import _cfg

REASON_COLUMNS = [
    "period_id",
    "unit_id",
    "code",
    "group",
    "level",
    "value",
    "reference",
    "text_en",
    "text_zh",
]
SEVERE = ("warning", "critical")


def _label(flag_type: str, lang: str) -> str:
    return i18n.t(f"flag.{flag_type}", lang)


def _summary(fl: pd.DataFrame, names: dict[str, str], lang: str) -> str:
    """'Targeted rating (Li Si), Favoritism ×2' — type labels with the cadres concerned."""
    parts = []
    for ft, g in fl.groupby("flag_type", sort=False):
        who = sorted({names[s] for s in g["subject_id"].astype(str) if s in names})
        label = _label(ft, lang)
        if len(g) > 1:
            label += f" ×{len(g)}"
        if who:
            sep = "、" if lang == "zh" else ", "
            label += f"（{sep.join(who)}）" if lang == "zh" else f" ({sep.join(who)})"
        parts.append(label)
    return ("、" if lang == "zh" else "; ").join(parts)


def _outside(sc: pd.DataFrame) -> pd.Series:
    """Rows whose flag-aware composite leaves the plain interval."""
    if "composite_excl_flagged" not in sc:
        return pd.Series(False, index=sc.index)
    x = sc["composite_excl_flagged"]
    return (sc["flagged_sheets"] > 0) & ((x < sc["ci_low"]) | (x > sc["ci_high"]))


def flag_reasons(
    health: pd.DataFrame, flags: pd.DataFrame | None, scores: pd.DataFrame | None, names
) -> pd.DataFrame:
    """Reason rows (the columns of team_health_reasons) for the flags and the standing."""
    rows: list[dict] = []
    teams = health[["period_id", "unit_id"]].astype(str)
    if flags is not None and len(flags):
        fl = flags[flags["severity"].isin(SEVERE) & flags["unit_id"].notna()].copy()
        fl["unit_id"] = fl["unit_id"].astype(str)
        fl["period_id"] = fl["period_id"].fillna("").astype(str)
        pooled = fl[fl["period_id"] == ""]
        if len(pooled):  # a pooled flag counts in every period of its unit
            fl = pd.concat(
                [
                    fl[fl["period_id"] != ""],
                    pooled.drop(columns="period_id").merge(teams, on="unit_id"),
                ],
                ignore_index=True,
            )
        rows += _flag_rows(fl.merge(teams, on=["period_id", "unit_id"]), scores, names)
    if scores is not None and len(scores):
        rows += _bottom_rows(scores, teams)
    return pd.DataFrame(rows, columns=REASON_COLUMNS)


def _flag_rows(fl: pd.DataFrame, scores: pd.DataFrame | None, names) -> list[dict]:
    discountable = set(_cfg("flags_discountable"))
    process = set(_cfg("flags_process"))
    outside = pd.DataFrame(columns=["period_id", "unit_id", "subject_type", "subject_id"])
    if scores is not None and len(scores):
        sc = scores[_outside(scores)]
        outside = sc[["period_id", "unit_id", "subject_type", "subject_id", "composite"]].assign(
            excl=sc["composite_excl_flagged"], n=sc["flagged_sheets"]
        )
        outside = outside.astype({"period_id": str, "unit_id": str})
    out: list[dict] = []
    for (period, unit), g in fl.groupby(["period_id", "unit_id"], sort=True):
        kind = np.where(
            g["flag_type"].isin(discountable),
            "discount",
            np.where(g["flag_type"].isin(process), "process", "substantive"),
        )
        sub = g[kind == "substantive"]
        crit = sub[sub["severity"] == "critical"]
        warn = sub[sub["severity"] == "warning"]

        def add(code, level, value, ref, en, zh, period=period, unit=unit):
            out.append(
                dict(
                    period_id=period,
                    unit_id=unit,
                    code=code,
                    group="flags",
                    level=level,
                    value=value,
                    reference=ref,
                    text_en=en,
                    text_zh=zh,
                )
            )

        if len(crit):
            add(
                "critical_flags",
                "concern",
                len(crit),
                0,
                f"{len(crit)} critical flag(s) on the team and its members: "
                f"{_summary(crit, names, 'en')}.",
                f"班子及成员有{len(crit)}项严重级别的评价异常：{_summary(crit, names, 'zh')}",
            )
        if len(warn):
            add(
                "warning_flags",
                "watch",
                len(warn),
                0,
                f"{len(warn)} warning flag(s) on the team and its members: "
                f"{_summary(warn, names, 'en')}.",
                f"班子及成员有{len(warn)}项警告级别的评价异常：{_summary(warn, names, 'zh')}",
            )
        proc = g[kind == "process"]
        if len(proc):
            add(
                "process_flags",
                "watch",
                len(proc),
                0,
                f"The evidence is incomplete: {_summary(proc, names, 'en')}.",
                f"研判依据不完整：{_summary(proc, names, 'zh')}",
            )
        disc = g[kind == "discount"]
        if len(disc):
            moved = outside[(outside["period_id"] == period) & (outside["unit_id"] == unit)]
            what_en, what_zh = _summary(disc, names, "en"), _summary(disc, names, "zh")
            if len(moved):
                who = [
                    names.get(str(r.subject_id), str(r.subject_id))
                    if r.subject_type == "cadre"
                    else ("the team", "班子")
                    for r in moved.itertuples(index=False)
                ]
                en = "; ".join(
                    f"{w[0] if isinstance(w, tuple) else w} {r.composite:.1f} → {r.excl:.1f}"
                    for w, r in zip(who, moved.itertuples(index=False), strict=True)
                )
                zh = "；".join(
                    f"{w[1] if isinstance(w, tuple) else w} {r.composite:.1f}→{r.excl:.1f}"
                    for w, r in zip(who, moved.itertuples(index=False), strict=True)
                )
                add(
                    "flagged_sheets_decisive",
                    "watch",
                    len(moved),
                    len(disc),
                    f"Flagged sheets decide the result ({what_en}): without them the composite "
                    f"leaves its interval — {en}.",
                    f"评价结果受异常测评票左右（{what_zh}）：剔除后综合得分超出区间——{zh}",
                )
            else:
                add(
                    "flags_discounted",
                    "info",
                    len(disc),
                    0,
                    f"Flags on raters, not on the team ({what_en}): the flagged sheets are set "
                    "aside in the flag-aware score and a group's level is adjusted by the "
                    "rater model; without them every composite stays within its interval.",
                    f"异常涉及评价者而非班子（{what_zh}）：异常测评票已在剔除后得分中剔除，"
                    "评价群体的宽严已由评价者模型校正；剔除后各综合得分均在区间之内",
                )
    return out


def _bottom_rows(scores: pd.DataFrame, teams: pd.DataFrame) -> list[dict]:
    share = float(_cfg("bottom_share"))
    min_peers = int(_cfg("min_peers"))
    t = scores[scores["subject_type"] == "team"].astype({"period_id": str, "subject_id": str})
    t = t.merge(teams.rename(columns={"unit_id": "subject_id"}), on=["period_id", "subject_id"])
    out = []
    for r in t.itertuples(index=False):
        n = int(r.peer_size)
        k = max(1, math.ceil(share * n))
        if n < min_peers or r.rank_low < n - k + 1:
            continue
        out.append(
            dict(
                period_id=r.period_id,
                unit_id=r.subject_id,
                code="rank_bottom",
                group="standing",
                level="watch",
                value=int(r.rank_low),
                reference=n - k + 1,
                text_en=f"Rank {int(r.rank)} of {n} peer teams, and even the best plausible "
                f"rank ({int(r.rank_low)}) is among the last {k}.",
                text_zh=f"在{n}个同类班子中排第{int(r.rank)}位，排名区间的最好位次"
                f"（第{int(r.rank_low)}位）也在末{k}位之内",
            )
        )
    return out
