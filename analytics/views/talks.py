"""Read model of the Talks page (谈话): coverage of the mandate, durations, mentions, flags.

**The window.**  A unit holds one round of individual talks a year, so every figure here
counts the talks held in the twelve months ending with the chosen period
(``end_date − 365 days < talk_date ≤ end_date``), as the Data page does
(``analytics/sql/unit_channels.sql``).

**The mandate** (DOMAIN.md): every cadre of a required tier (``[flags.talk_coverage_gap]
required_tiers``: team members, middle-level heads, subordinate-unit heads) in post by the
window's end (``in_post_since`` empty or not later) must have been talked to.  A cadre is
*heard* when a talk in the window names them as ``interviewee_id`` (wherever the talk was
held).  Talks recorded without an ``interviewee_id`` cover their tier by count, as the
talk_coverage_gap detector counts them: a unit-tier's *covered* = heard + min(anonymous talks
of that tier in the unit, required − heard).

**Mentions are never attributed to an interviewee.**  They are counted by subject (a cadre or
the team) only, never by talk or interviewee, and the notes are never shown.  A breakdown is
shown only when it pools the talks of a unit (or scope) with at least k talks in the window
(k = the anonymity floor, ``[privacy] min_group_sheets``): with fewer, the reader could tell
who said it.

Durations: a talk shorter than ``[flags.talk_coverage_gap] min_minutes`` (default 20) is
*short*; a unit whose talks have a median below it, or ``short_share`` or more short talks,
had a *rushed* round (the detector's rule, applied to the window).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics import fmt, i18n, privacy
from analytics.flags import setting
from analytics.views import page_link, period_label

TOPICS = ("responsibility", "competence", "unity", "style", "integrity", "other")
STANCES = ("positive", "neutral", "negative")
TIERS = ("team", "middle", "subordinate_head", "staff", "other")
FLAG_TYPES = ("talk_coverage_gap", "talk_vote_conflict")


def required_tiers() -> list[str]:
    """The tiers every talk round must cover (configurable)."""
    return [str(t) for t in setting("talk_coverage_gap", "required_tiers")]


def min_minutes() -> float:
    """The shortest acceptable talk (minutes)."""
    return float(setting("talk_coverage_gap", "min_minutes"))


# The talks of the window and the units of the scope, shared by every query below.
_WINDOW = """
WITH win AS (
    SELECT end_date - INTERVAL 365 DAY AS lo, end_date AS hi
    FROM periods WHERE period_id = $period
),
scope AS (
    SELECT u.unit_id, u.name AS unit_name, u.area_id, a.name AS area_name
    FROM units u LEFT JOIN areas a USING (area_id)
    WHERE ($area IS NULL OR u.area_id = $area) AND ($unit IS NULL OR u.unit_id = $unit)
),
wt AS (  -- talks of the window held in a unit of the scope
    SELECT t.* FROM talks t JOIN scope USING (unit_id), win
    WHERE t.talk_date > win.lo AND t.talk_date <= win.hi
)
"""


def _params(
    period_id: str, area_id: str | None, unit_id: str | None, **extra: Any
) -> dict[str, Any]:
    return {"period": period_id, "area": area_id, "unit": unit_id, **extra}


def talk_window(con: duckdb.DuckDBPyConnection, period_id: str) -> dict[str, Any] | None:
    """The window of a period: first and last day, the talks it holds city-wide and ever,
    the first loaded day and whether the window reaches before it (``partial``: a unit
    whose round fell before the loaded data looks uncovered)."""
    row = con.execute(
        "SELECT p.label, CAST(p.end_date - INTERVAL 364 DAY AS DATE), p.end_date, "
        "(SELECT count(*) FROM talks t WHERE t.talk_date > p.end_date - INTERVAL 365 DAY "
        " AND t.talk_date <= p.end_date), (SELECT count(*) FROM talks), "
        "(SELECT min(start_date) FROM periods) "
        "FROM periods p WHERE p.period_id = ?",
        [period_id],
    ).fetchone()
    if row is None:
        return None
    return {
        "period_id": period_id,
        "label": row[0],
        "first_day": row[1],
        "last_day": row[2],
        "talks": int(row[3]),
        "talks_ever": int(row[4]),
        "data_from": row[5],
        "partial": row[5] > row[1],
    }


# ---- coverage of the mandate ------------------------------------------------------------
def coverage_by_unit_tier(
    con: duckdb.DuckDBPyConnection,
    period_id: str,
    area_id: str | None = None,
    unit_id: str | None = None,
) -> pd.DataFrame:
    """One row per unit of the scope × required tier that has cadres: required, heard
    (named in a talk of the window), anonymous talks of the tier, covered, talks of the
    unit in the window and the last talk's date."""
    return con.execute(
        _WINDOW
        + """,
    req AS (
        SELECT c.cadre_id, c.unit_id, c.tier,
               EXISTS (SELECT 1 FROM talks t, win WHERE t.interviewee_id = c.cadre_id
                       AND t.talk_date > win.lo AND t.talk_date <= win.hi) AS heard
        FROM cadres c JOIN scope USING (unit_id), win
        WHERE list_contains($tiers, c.tier)
          AND (c.in_post_since IS NULL OR c.in_post_since <= win.hi)
    ),
    anon AS (
        SELECT unit_id, interviewee_tier AS tier, count(*) AS anon
        FROM wt WHERE interviewee_id IS NULL GROUP BY ALL
    ),
    unit_talks AS (
        SELECT unit_id, count(*) AS talks, max(talk_date) AS last_talk FROM wt GROUP BY ALL
    ),
    cell AS (
        SELECT unit_id, tier, count(*) AS required, count(*) FILTER (WHERE heard) AS heard
        FROM req GROUP BY ALL
    )
    SELECT s.unit_id, s.unit_name, s.area_id, s.area_name, c.tier, c.required, c.heard,
           coalesce(a.anon, 0) AS anon,
           c.heard + least(coalesce(a.anon, 0), c.required - c.heard) AS covered,
           coalesce(ut.talks, 0) AS talks, ut.last_talk
    FROM cell c JOIN scope s USING (unit_id)
    LEFT JOIN anon a USING (unit_id, tier)
    LEFT JOIN unit_talks ut USING (unit_id)
    ORDER BY s.unit_id, list_position($tiers, c.tier)
    """,
        _params(period_id, area_id, unit_id, tiers=required_tiers()),
    ).df()


def coverage(
    con: duckdb.DuckDBPyConnection,
    period_id: str,
    area_id: str | None = None,
    unit_id: str | None = None,
) -> dict[str, Any]:
    """Coverage of the mandate in the scope.

    ``totals``: required, covered, share, units, units fully covered, units with a gap,
    units without any talk, talks in the window (all tiers), anonymous talks used.
    ``by_tier``: tier, required, covered, share.  ``by_area_tier``: area × tier, the same.
    ``by_area``: one row per area: required, covered, share, missing, ``share_<tier>``.
    ``gaps``: units with a gap: the uncovered count per tier (columns ``missing_<tier>``),
    in total, the unit's talks in the window and its last talk's date."""
    cells = coverage_by_unit_tier(con, period_id, area_id, unit_id)
    tiers = required_tiers()
    n_units, no_talk, n_talks = con.execute(
        _WINDOW + "SELECT count(*), count(*) FILTER (WHERE unit_id NOT IN "
        "(SELECT unit_id FROM wt)), (SELECT count(*) FROM wt) FROM scope",
        _params(period_id, area_id, unit_id),
    ).fetchone()
    cells["missing"] = cells["required"] - cells["covered"]
    per_unit = (
        cells.groupby("unit_id", sort=True)
        .agg(
            unit_name=("unit_name", "first"),
            area_name=("area_name", "first"),
            required=("required", "sum"),
            covered=("covered", "sum"),
            missing=("missing", "sum"),
            talks=("talks", "first"),
            last_talk=("last_talk", "first"),
        )
        .reset_index()
    )

    def shares(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        out["share"] = out["covered"] / out["required"].where(out["required"] > 0)
        return out

    by_tier = shares(
        cells.groupby("tier", sort=False)[["required", "covered"]]
        .sum()
        .reindex([t for t in tiers if t in set(cells["tier"])])
        .reset_index()
    )
    by_area = (
        cells.groupby(["area_id", "area_name", "tier"], sort=False)[["required", "covered"]]
        .sum()
        .reset_index()
    )
    by_area["order"] = by_area["tier"].map({t: i for i, t in enumerate(tiers)})
    by_area = shares(
        by_area.sort_values(["area_id", "order"]).drop(columns="order").reset_index(drop=True)
    )
    area_table = by_area.pivot_table(
        index=["area_id", "area_name"], columns="tier", values="share", aggfunc="first"
    )
    area_table.columns = [f"share_{t}" for t in area_table.columns]
    area_sum = by_area.groupby(["area_id", "area_name"])[["required", "covered"]].sum()
    area_table = shares(area_sum.join(area_table).reset_index())
    area_table["missing"] = area_table["required"] - area_table["covered"]
    gap_units = per_unit[per_unit["missing"] > 0]
    wide = cells[cells["unit_id"].isin(gap_units["unit_id"])].pivot_table(
        index="unit_id", columns="tier", values="missing", aggfunc="sum", fill_value=0
    )
    gaps = gap_units.copy()
    for t in tiers:
        col = wide[t] if t in wide.columns else pd.Series(dtype="int64")
        gaps[f"missing_{t}"] = gaps["unit_id"].map(col).fillna(0).astype("int64")
    gaps = gaps.sort_values(["missing", "unit_id"], ascending=[False, True])
    required = int(cells["required"].sum())
    covered = int(cells["covered"].sum())
    totals = {
        "required": required,
        "covered": covered,
        "share": covered / required if required else None,
        "units": int(n_units),
        "units_with_mandate": len(per_unit),
        "units_full": int((per_unit["missing"] == 0).sum()),
        "units_gap": len(gap_units),
        "units_no_talk": int(no_talk),
        "talks": int(n_talks),
        "anon_used": int((cells["covered"] - cells["heard"]).sum()),
    }
    return {
        "totals": totals,
        "by_tier": by_tier,
        "by_area_tier": by_area,
        "by_area": area_table,
        "gaps": gaps.reset_index(drop=True),
    }


def uncovered_cadres(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """The required cadres of one unit not named in any talk of the window: cadre_id, name,
    position, tier, role, in_post_since, and the anonymous talks of their tier in the unit
    (which may cover them by count)."""
    return con.execute(
        _WINDOW
        + """,
    anon AS (
        SELECT interviewee_tier AS tier, count(*) AS anon_tier
        FROM wt WHERE interviewee_id IS NULL GROUP BY ALL
    )
    SELECT c.cadre_id, c.name, c.position, c.tier, c.role, c.in_post_since,
           coalesce(a.anon_tier, 0) AS anon_tier
    FROM cadres c CROSS JOIN win LEFT JOIN anon a ON a.tier = c.tier
    WHERE c.unit_id = $unit AND list_contains($tiers, c.tier)
      AND (c.in_post_since IS NULL OR c.in_post_since <= win.hi)
      AND NOT EXISTS (SELECT 1 FROM talks t WHERE t.interviewee_id = c.cadre_id
                      AND t.talk_date > win.lo AND t.talk_date <= win.hi)
    ORDER BY list_position($tiers, c.tier),
             CASE c.role WHEN 'principal' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, c.cadre_id
    """,
        _params(period_id, None, unit_id, tiers=required_tiers()),
    ).df()


# ---- durations ----------------------------------------------------------------------------
def durations(
    con: duckdb.DuckDBPyConnection,
    period_id: str,
    area_id: str | None = None,
    unit_id: str | None = None,
) -> dict[str, Any]:
    """Talk durations (minutes) in the window and scope.

    ``by_tier``: interviewee tier, talks, min, q1, median, q3, max, mean, short talks and
    their share (quartiles interpolated).  ``totals``: talks, median, short, share, the
    minimum.  ``rushed``: units whose talks have a median below the minimum or a share of
    short talks at or above ``short_share``: talks, median, short, share."""
    low = min_minutes()
    p = _params(period_id, area_id, unit_id, low=low)
    by_tier = con.execute(
        _WINDOW
        + """
    SELECT interviewee_tier AS tier, count(*) AS talks, min(duration_min) AS min,
           quantile_cont(duration_min, 0.25) AS q1, median(duration_min) AS median,
           quantile_cont(duration_min, 0.75) AS q3, max(duration_min) AS max,
           avg(duration_min) AS mean, count(*) FILTER (WHERE duration_min < $low) AS short
    FROM wt GROUP BY interviewee_tier
    ORDER BY list_position(['team', 'middle', 'subordinate_head', 'staff', 'other'], tier),
             tier
    """,
        p,
    ).df()
    by_tier["short_share"] = by_tier["short"] / by_tier["talks"]
    row = con.execute(
        _WINDOW
        + """
    SELECT count(*), median(duration_min), count(*) FILTER (WHERE duration_min < $low)
    FROM wt""",
        p,
    ).fetchone()
    n = int(row[0])
    totals = {
        "talks": n,
        "median": None if row[1] is None else float(row[1]),
        "short": int(row[2]),
        "share": row[2] / n if n else None,
        "min_minutes": low,
    }
    rushed = con.execute(
        _WINDOW
        + """
    SELECT s.unit_id, s.unit_name, s.area_name, count(*) AS talks,
           median(duration_min) AS median,
           count(*) FILTER (WHERE duration_min < $low) AS short,
           count(*) FILTER (WHERE duration_min < $low) / count(*) AS short_share
    FROM wt JOIN scope s USING (unit_id)
    GROUP BY ALL
    HAVING median(duration_min) < $low OR short_share >= $share
    ORDER BY short_share DESC, s.unit_id
    """,
        {**p, "share": float(setting("talk_coverage_gap", "short_share"))},
    ).df()
    return {"by_tier": by_tier, "totals": totals, "rushed": rushed}


# ---- mentions ------------------------------------------------------------------------------
_MENTIONS = """,
unit_pool AS (SELECT unit_id, count(*) AS talks FROM wt GROUP BY ALL),
m AS (  -- mentions of the window's talks, by subject only (never by talk or interviewee)
    SELECT wt.unit_id, m.subject_type, m.subject_id, m.stance, m.topic
    FROM talk_mentions m JOIN wt USING (talk_id)
)
"""


def mentions(
    con: duckdb.DuckDBPyConnection,
    period_id: str,
    area_id: str | None = None,
    unit_id: str | None = None,
) -> dict[str, Any]:
    """Mentions in the window's talks of the scope, by topic × stance and by unit.

    Units whose window holds fewer than k talks are left out of every breakdown (the
    anonymity floor) and counted in ``hidden_units``; ``topics`` is empty when the pooled
    talks of the shown units are fewer than k.  ``topics``: topic, stance, mentions.
    ``units``: unit_id, unit_name, area_name, talks, mentions, positive, neutral, negative,
    negative_share, team (mentions of the team as a whole), sorted by negative share."""
    k = privacy.floor()
    p = _params(period_id, area_id, unit_id)
    units = con.execute(
        _WINDOW
        + _MENTIONS
        + """
    SELECT s.unit_id, s.unit_name, s.area_name, up.talks, count(m.stance) AS mentions,
           count(*) FILTER (WHERE m.stance = 'positive') AS positive,
           count(*) FILTER (WHERE m.stance = 'neutral') AS neutral,
           count(*) FILTER (WHERE m.stance = 'negative') AS negative,
           count(*) FILTER (WHERE m.subject_type = 'team') AS team
    FROM unit_pool up JOIN scope s USING (unit_id) LEFT JOIN m USING (unit_id)
    GROUP BY ALL
    """,
        p,
    ).df()
    shown = units[units["talks"] >= k].copy()
    hidden = int((units["talks"] < k).sum())
    shown["negative_share"] = shown["negative"] / shown["mentions"].where(shown["mentions"] > 0)
    shown = shown.sort_values(
        ["negative_share", "mentions", "unit_id"],
        ascending=[False, False, True],
        na_position="last",
    )
    topics = con.execute(
        _WINDOW
        + _MENTIONS
        + """
    SELECT m.topic, m.stance, count(*) AS mentions
    FROM m JOIN unit_pool up USING (unit_id)
    WHERE up.talks >= $k
    GROUP BY ALL
    """,
        {**p, "k": k},
    ).df()
    if shown["talks"].sum() < k:
        topics = topics.iloc[0:0]
    return {
        "topics": _ordered_topics(topics),
        "units": shown.reset_index(drop=True),
        "hidden_units": hidden,
        "k": k,
    }


def _ordered_topics(df: pd.DataFrame) -> pd.DataFrame:
    order = {t: i for i, t in enumerate(TOPICS)}
    so = {s: i for i, s in enumerate(STANCES)}
    return (
        df.assign(
            _t=df["topic"].map(order).fillna(len(order)), _s=df["stance"].map(so).fillna(len(so))
        )
        .sort_values(["_t", "topic", "_s"])
        .drop(columns=["_t", "_s"])
        .reset_index(drop=True)
    )


def subject_mentions(
    con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str
) -> dict[str, Any]:
    """Mentions in one unit's talks of the window, per subject (the team, then its cadres).

    ``subjects``: subject_type, subject_id, name, position, tier, mentions, positive,
    neutral, negative, negative_share, negative_topics / positive_topics (dicts topic →
    mentions).  ``topics``: topic × stance mentions of the unit.  Both are empty and
    ``suppressed`` is True when the unit's window holds fewer than k talks."""
    k = privacy.floor()
    p = _params(period_id, None, unit_id)
    n_talks = con.execute(_WINDOW + "SELECT count(*) FROM wt", p).fetchone()[0]
    rows = con.execute(
        _WINDOW
        + _MENTIONS
        + """
    SELECT m.subject_type, m.subject_id,
           CASE WHEN m.subject_type = 'team' THEN u.name ELSE c.name END AS name,
           coalesce(c.position, '') AS position, c.tier, c.role, m.topic, m.stance,
           count(*) AS n
    FROM m LEFT JOIN cadres c ON m.subject_type = 'cadre' AND c.cadre_id = m.subject_id
    LEFT JOIN units u ON m.subject_type = 'team' AND u.unit_id = m.subject_id
    GROUP BY ALL
    """,
        p,
    ).df()
    suppressed = n_talks < k
    empty_subjects = pd.DataFrame(
        columns=[
            "subject_type",
            "subject_id",
            "name",
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
    )
    if suppressed or rows.empty:
        return {
            "subjects": empty_subjects,
            "topics": _ordered_topics(pd.DataFrame(columns=["topic", "stance", "mentions"])),
            "suppressed": suppressed,
            "talks": int(n_talks),
            "k": k,
        }
    keys = ["subject_type", "subject_id"]
    wide = rows.pivot_table(index=keys, columns="stance", values="n", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(STANCES), fill_value=0).astype("int64")
    info = rows.drop_duplicates(keys).set_index(keys)[["name", "position", "tier", "role"]]
    subj = info.join(wide).reset_index()
    subj["mentions"] = subj[list(STANCES)].sum(axis=1)
    subj["negative_share"] = subj["negative"] / subj["mentions"]

    def topic_counts(stance: str) -> dict[tuple[str, str], dict[str, int]]:
        sel = rows[rows["stance"] == stance]
        return {
            key: dict(
                sorted(
                    zip(g["topic"], g["n"].astype(int), strict=True),
                    key=lambda kv: (-kv[1], TOPICS.index(kv[0]) if kv[0] in TOPICS else 99),
                )
            )
            for key, g in sel.groupby(keys)
        }

    neg, pos = topic_counts("negative"), topic_counts("positive")
    ids = list(zip(subj["subject_type"], subj["subject_id"], strict=True))
    subj["negative_topics"] = [neg.get(i, {}) for i in ids]
    subj["positive_topics"] = [pos.get(i, {}) for i in ids]
    role = {"principal": 0, "deputy": 1}
    tier_order = {t: i for i, t in enumerate(TIERS)}
    subj["_o"] = [
        (0, 0, 0) if st == "team" else (1, tier_order.get(t, 9), role.get(r, 2))
        for st, t, r in zip(subj["subject_type"], subj["tier"], subj["role"], strict=True)
    ]
    subj = subj.sort_values(["_o", "subject_id"]).drop(columns=["_o", "role"])
    topics = (
        rows.groupby(["topic", "stance"], as_index=False)["n"]
        .sum()
        .rename(columns={"n": "mentions"})
    )
    return {
        "subjects": subj[list(empty_subjects.columns)].reset_index(drop=True),
        "topics": _ordered_topics(topics),
        "suppressed": False,
        "talks": int(n_talks),
        "k": k,
    }


# ---- flags -------------------------------------------------------------------------------
def talk_flags(
    con: duckdb.DuckDBPyConnection,
    period_id: str,
    area_id: str | None = None,
    unit_id: str | None = None,
) -> pd.DataFrame:
    """talk_coverage_gap and talk_vote_conflict flags of the periods ending in the window,
    in the scope: flag_type, period_id, period_label, severity, unit_id, unit_name,
    subject_type, subject_id, cadre_name, statistic, p_value, evidence, evidence_zh;
    most severe first, then newest."""
    out = con.execute(
        """
    WITH win AS (
        SELECT end_date - INTERVAL 365 DAY AS lo, end_date AS hi
        FROM periods WHERE period_id = $period
    )
    SELECT f.flag_type, f.period_id, p.label AS period_label, f.severity, f.unit_id,
           u.name AS unit_name, f.subject_type, f.subject_id, c.name AS cadre_name,
           f.statistic, f.p_value, f.evidence, f.evidence_zh
    FROM r.flags f
    JOIN periods p USING (period_id)
    JOIN units u ON u.unit_id = f.unit_id
    CROSS JOIN win
    LEFT JOIN cadres c ON f.subject_type = 'cadre' AND c.cadre_id = f.subject_id
    WHERE list_contains($types, f.flag_type)
      AND p.end_date > win.lo AND p.end_date <= win.hi
      AND ($area IS NULL OR u.area_id = $area) AND ($unit IS NULL OR f.unit_id = $unit)
    ORDER BY f.severity_rank,
             p.end_date DESC, f.flag_type, f.unit_id, f.subject_id
    """,
        _params(period_id, area_id, unit_id, types=list(FLAG_TYPES)),
    ).df()
    out["p_text"] = [fmt.p(x) for x in out["p_value"]]
    return out


# ---- display frames (labels in the reader's language, links as data) ----------------------
def topic_text(counts: dict[str, int], lang: str) -> str:
    """Mentions per topic as one line, e.g. '团结 3 · 作风 1'."""
    return " · ".join(f"{_code('topic', t, lang)} {n}" for t, n in counts.items())


def _code(prefix: str, code: Any, lang: str) -> str:
    """A code's name (``tier.staff`` …); the code itself when the data use an unknown one."""
    if not isinstance(code, str):
        return ""
    key = f"{prefix}.{code}"
    return i18n.t(key, lang) if key in i18n.STRINGS else code


def scope_heading(
    units: pd.DataFrame, area_id: str | None, unit_id: str | None, lang: str = "zh"
) -> str | None:
    """The scope above the page (markdown): '**unit** · area', '**area**', or None for the
    whole city (``units``: :func:`analytics.views.units`; the area in ``lang``)."""
    from analytics import i18n

    if unit_id:
        row = units[units["unit_id"] == unit_id]
        if not len(row):
            return None
        return f"**{row['name'].iloc[0]}** · {i18n.code('area', row['area_name'].iloc[0], lang)}"
    row = units[units["area_id"] == area_id] if area_id else units.iloc[:0]
    return f"**{i18n.code('area', row['area_name'].iloc[0], lang)}**" if len(row) else None


def unit_links(df: pd.DataFrame, period_id: str) -> list[dict]:
    """This page's drill-down into each unit of ``df`` (unit_id, unit_name)."""
    return [
        page_link("talks", n, unit=u, period=period_id)
        for u, n in zip(df["unit_id"], df["unit_name"], strict=True)
    ]


def flags_shown(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`talk_flags` for the table: severity, type and period named, the evidence in
    ``lang``, links to the unit's team and the cadre's portrait."""
    rows = flags.to_dict("records")
    return flags.assign(
        severity=[_code("severity", s, lang) for s in flags["severity"]],
        flag_type=[_code("flag", t, lang) for t in flags["flag_type"]],
        period=[period_label(r["period_id"], r["period_label"], lang) for r in rows],
        unit_link=[
            page_link("team", r["unit_name"], unit=r["unit_id"], period=r["period_id"])
            for r in rows
        ],
        cadre_link=[
            page_link(
                "portrait",
                r["cadre_name"],
                cadre=r["subject_id"],
                unit=r["unit_id"],
                period=r["period_id"],
            )
            if isinstance(r["cadre_name"], str)
            else None
            for r in rows
        ],
        text=flags["evidence_zh" if lang == "zh" else "evidence"],
    )


def uncovered_shown(people: pd.DataFrame, unit_id: str, period_id: str, lang: str) -> pd.DataFrame:
    """:func:`uncovered_cadres` for the table: portrait links, tier and role named."""
    return people.assign(
        link=[
            page_link("portrait", n, cadre=c, unit=unit_id, period=period_id)
            for c, n in zip(people["cadre_id"], people["name"], strict=True)
        ],
        tier=[_code("tier", t, lang) or t for t in people["tier"]],
        role=[_code("role", r, lang) for r in people["role"]],
    )


def subjects_shown(subj: pd.DataFrame, unit_id: str, period_id: str, lang: str) -> pd.DataFrame:
    """:func:`subject_mentions`' subjects for the chart and table: a label (the team, or the
    cadre's name), a link (the team page, or the portrait), the tier named and the topics
    of the negative and positive mentions as text."""
    team = i18n.t("subject.team", lang)
    rows = subj.to_dict("records")
    return subj.assign(
        label=[team if r["subject_type"] == "team" else r["name"] for r in rows],
        link=[
            page_link("team", team, unit=unit_id, period=period_id)
            if r["subject_type"] == "team"
            else page_link(
                "portrait", r["name"], cadre=r["subject_id"], unit=unit_id, period=period_id
            )
            for r in rows
        ],
        tier=[_code("tier", t, lang) for t in subj["tier"]],
        negative_topics=[topic_text(d, lang) for d in subj["negative_topics"]],
        positive_topics=[topic_text(d, lang) for d in subj["positive_topics"]],
    )
