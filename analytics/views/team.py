"""Read model of the Team health page (班子运行): one unit's team in one period.

Every function is ``fn(con, *args)`` on the read-model connection (snapshot + results as
``r``); the measures and the verdict come precomputed from ``r.team_health`` and
``r.team_health_reasons`` (:mod:`analytics.team_health` documents every column), scores
from ``r.scores`` and flags from ``r.flags``.  Only small frames are returned: one team,
its peers' distribution summarised in SQL, its members, its flags.
"""

from __future__ import annotations

from statistics import NormalDist

import duckdb
import numpy as np
import pandas as pd

from analytics import config, privacy

CHANNELS = ("democratic", "performance", "satisfaction", "superior")
VERDICT_RANK = "CASE verdict WHEN 'concern' THEN 0 WHEN 'watch' THEN 1 ELSE 2 END"
LEVEL_RANK = "CASE level WHEN 'concern' THEN 0 WHEN 'watch' THEN 1 ELSE 2 END"
# reason groups of analytics.team_health, in the order the page shows them
GROUPS = (
    "verdict",
    "cohesion",
    "climate",
    "satisfaction",
    "spread",
    "principal",
    "structure",
    "trend",
    "talks",
)
GROUP_RANK = (
    'CASE "group" '
    + " ".join(f"WHEN '{g}' THEN {i}" for i, g in enumerate(GROUPS))
    + " ELSE 99 END"
)
TOPICS = ("responsibility", "competence", "unity", "style", "integrity", "other")
STANCES = ("negative", "neutral", "positive")


def _min_peers() -> int:
    return int(config.get("team_health", "min_peers"))


def _weights() -> dict[str, float]:
    return {c: float(config.get("scores", f"weight_{c}")) for c in CHANNELS}


# ---- the list of teams (no unit chosen) ---------------------------------------------------
def teams_by_concern(
    con: duckdb.DuckDBPyConnection, period_id: str, area_id: str | None = None
) -> pd.DataFrame:
    """The teams of the period (of one area, or all) ranked by concern: verdict concern →
    watch → good, then lowest team composite first (no composite last).  Columns:
    unit_id, unit_name, unit_type, area_id, area_name, verdict, n_concern, n_watch,
    team_composite,
    team_ci_low, team_ci_high, team_rank, team_rank_low, team_rank_high, peer_size,
    rank_interval ("a–b"), ci ("lo–hi", one decimal), first_reason_en / first_reason_zh
    (the worst watch or concern reason, the verdict escalation left aside)."""
    return con.execute(
        f"""
        WITH first AS (
            SELECT unit_id, text_en AS first_reason_en, text_zh AS first_reason_zh
            FROM r.team_health_reasons
            WHERE period_id = $p AND level <> 'info' AND "group" <> 'verdict'
            QUALIFY row_number() OVER (PARTITION BY unit_id
                                       ORDER BY {LEVEL_RANK}, {GROUP_RANK}, code) = 1
        )
        SELECT h.unit_id, h.unit_name, h.unit_type, h.area_id, a.name AS area_name,
               h.verdict, h.n_concern, h.n_watch, h.team_composite, h.team_ci_low,
               h.team_ci_high, h.team_rank, h.team_rank_low, h.team_rank_high, h.peer_size,
               CASE WHEN h.team_rank_low IS NOT NULL
                    THEN h.team_rank_low || '–' || h.team_rank_high END AS rank_interval,
               printf('%.1f–%.1f', h.team_ci_low, h.team_ci_high) AS ci,
               f.first_reason_en, f.first_reason_zh
        FROM r.team_health h LEFT JOIN areas a USING (area_id)
        LEFT JOIN first f USING (unit_id)
        WHERE h.period_id = $p AND ($a IS NULL OR h.area_id = $a)
        ORDER BY {VERDICT_RANK.replace("verdict", "h.verdict")},
                 h.team_composite ASC NULLS LAST, h.unit_id""",
        {"p": period_id, "a": area_id},
    ).df()


def verdict_counts(
    con: duckdb.DuckDBPyConnection, period_id: str, area_id: str | None = None
) -> dict[str, int]:
    """{verdict: number of teams} for the period (one area, or all); every verdict present."""
    rows = con.execute(
        "SELECT verdict, count(*) FROM r.team_health WHERE period_id = ? "
        "AND (? IS NULL OR area_id = ?) GROUP BY verdict",
        [period_id, area_id, area_id],
    ).fetchall()
    out = {"concern": 0, "watch": 0, "good": 0}
    out.update({v: int(n) for v, n in rows})
    return out


# ---- one team --------------------------------------------------------------------------------
def team(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> dict | None:
    """The team's ``r.team_health`` row as a dict (every column; see analytics.team_health)
    plus ``area_name`` and ``period_label``; None when the unit has no row in the period."""
    df = con.execute(
        "SELECT h.*, a.name AS area_name, p.label AS period_label, "
        "pp.label AS prev_period_label FROM r.team_health h "
        "LEFT JOIN areas a USING (area_id) LEFT JOIN periods p ON p.period_id = h.period_id "
        "LEFT JOIN periods pp ON pp.period_id = h.prev_period_id "
        "WHERE h.period_id = ? AND h.unit_id = ?",
        [period_id, unit_id],
    ).df()
    if df.empty:
        return None
    row = df.iloc[0]
    return {k: (None if _isna(v) else v) for k, v in row.items()}


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def reasons(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """The team's reasons (``r.team_health_reasons``): code, group, level, value, reference,
    text_en, text_zh; ordered by group (the page's order, worst group first) then level."""
    return con.execute(
        f"""
        SELECT code, "group", level, value, reference, text_en, text_zh,
               min({LEVEL_RANK}) OVER (PARTITION BY "group") AS group_worst
        FROM r.team_health_reasons WHERE period_id = ? AND unit_id = ?
        ORDER BY group_worst, {GROUP_RANK}, {LEVEL_RANK}, code""",
        [period_id, unit_id],
    ).df()


def _peer_clause() -> str:
    """SQL of the comparison set of a team: its peer teams (same unit type, same period), or
    the city when fewer than ``min_peers`` peers exist (as analytics.team_health does)."""
    return """
        me AS (SELECT unit_type FROM units WHERE unit_id = $u),
        typed AS (SELECT count(*) AS n FROM r.team_health h, me
                  WHERE h.period_id = $p AND h.unit_type = me.unit_type),
        peers AS (
            SELECT h.* FROM r.team_health h, me, typed
            WHERE h.period_id = $p
              AND (h.unit_type = me.unit_type OR typed.n < $min_peers)
        )"""


def channels_vs_peers(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """The team's four channels against its peer group (``r.scores``, teams of the same
    peer group and period), one row per channel in the composite's order: channel, weight
    (configured, %), value (0–100), z (within the peer group), pct (mid-rank percentile
    among peers having the channel), peers (n), p_min, q1, median, q3, p_max."""
    unpiv = " UNION ALL ".join(
        f"SELECT subject_id, '{c}' AS channel, {i} AS k, {c} AS value, z_{c} AS z FROM grp"
        for i, c in enumerate(CHANNELS)
    )
    df = con.execute(
        f"""
        WITH grp AS (
            SELECT s.* FROM r.scores s
            WHERE s.period_id = $p AND s.subject_type = 'team'
              AND s.peer_group = (SELECT peer_group FROM r.scores WHERE period_id = $p
                                  AND subject_type = 'team' AND subject_id = $u)
        ), long AS ({unpiv}),
        ranked AS (
            SELECT *, (rank() OVER w + count(*) OVER (PARTITION BY channel, value) - 1
                       + rank() OVER w) / 2.0 AS midrank,
                   count(value) OVER (PARTITION BY channel) AS peers
            FROM long WHERE value IS NOT NULL WINDOW w AS (PARTITION BY channel ORDER BY value)
        ), dist AS (
            SELECT channel, min(value) AS p_min, quantile_cont(value, 0.25) AS q1,
                   median(value) AS median, quantile_cont(value, 0.75) AS q3,
                   max(value) AS p_max, count(*) AS peers
            FROM long WHERE value IS NOT NULL GROUP BY channel
        ), mine AS (
            SELECT l.channel, l.k, l.value, l.z,
                   (r.midrank - 0.5) / r.peers * 100 AS pct
            FROM long l LEFT JOIN ranked r USING (subject_id, channel)
            WHERE l.subject_id = $u
        )
        SELECT m.channel, m.value, m.z, m.pct, d.peers, d.p_min, d.q1, d.median, d.q3,
               d.p_max
        FROM mine m LEFT JOIN dist d USING (channel) ORDER BY m.k""",
        {"p": period_id, "u": unit_id},
    ).df()
    w = _weights()
    df.insert(1, "weight", [w[c] / sum(w.values()) * 100 for c in df["channel"]])
    return df


def _climate_dimensions(con: duckdb.DuckDBPyConnection) -> list[str]:
    cols = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_catalog = 'r' AND table_name = 'team_health' "
            "AND column_name LIKE 'climate\\_%' ESCAPE '\\' ORDER BY ordinal_position"
        ).fetchall()
    ]
    return [c.removeprefix("climate_") for c in cols if not c.endswith(("_z", "_pct"))]


def climate_vs_peers(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """Climate (team items, rater groups' leniency removed, 0–100) per dimension and the
    satisfaction channel against the comparison teams (peers, or the city with fewer than
    ``min_peers``), one row per measure: measure (dimension code or 'satisfaction'),
    label_zh, label_en (the team item's label), value, z, pct (from r.team_health),
    peers (n), p_min, q1, median, q3, p_max."""
    measures = [*[f"climate_{d}" for d in _climate_dimensions(con)], "satisfaction"]
    unpiv = " UNION ALL ".join(
        f"SELECT unit_id, {i} AS k, '{m.removeprefix('climate_')}' AS measure, "
        f'"{m}" AS value, "{m}_z" AS z, "{m}_pct" AS pct FROM peers'
        for i, m in enumerate(measures)
    )
    return con.execute(
        f"""
        WITH {_peer_clause()}, long AS ({unpiv}),
        dist AS (
            SELECT measure, min(value) AS p_min, quantile_cont(value, 0.25) AS q1,
                   median(value) AS median, quantile_cont(value, 0.75) AS q3,
                   max(value) AS p_max, count(value) AS peers
            FROM long GROUP BY measure
        ), labels AS (
            SELECT dimension AS measure, min(label_zh) AS label_zh, min(label_en) AS label_en
            FROM items WHERE subject_type = 'team' GROUP BY dimension
        )
        SELECT l.measure, lb.label_zh, lb.label_en, l.value, l.z, l.pct, d.peers, d.p_min,
               d.q1, d.median, d.q3, d.p_max
        FROM long l JOIN dist d USING (measure) LEFT JOIN labels lb USING (measure)
        WHERE l.unit_id = $u ORDER BY l.k""",
        {"p": period_id, "u": unit_id, "min_peers": _min_peers()},
    ).df()


def rater_groups(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """How each rater group rated the team (team items of the unit's own sheets, raw marks):
    rater_group, sheets, position (mean mark position 0–100), city_position (the same
    group's mean position on every team of the city in the period), difference,
    suppressed, hidden_by ('floor' | 'complement' | None).

    The anonymity floor k (``[privacy] min_group_sheets``): a group with fewer than k
    sheets has its values blanked (``hidden_by`` 'floor').  Because the page also shows
    pooled figures of the unit (e.g. the team members' view minus all other groups'), the
    blanked groups' pooled mean could be solved for from the visible ones; so when the
    blanked groups hold fewer than k sheets together, the smallest visible groups are
    blanked too until they do (secondary suppression, ``hidden_by`` 'complement'): no
    figure that can be derived rests on fewer than k sheets."""
    df = con.execute(
        """
        WITH marks AS (
            SELECT b.unit_id, b.rater_group, b.ballot_id,
                   (b.score - coalesce(i.scale_min, 1))
                   / (i.scale_max - coalesce(i.scale_min, 1)) * 100 AS pos
            FROM ballots b JOIN items i ON i.item_id = b.item_id
                 AND i.scale_max > coalesce(i.scale_min, 1)
            WHERE b.period_id = ? AND b.subject_type = 'team' AND b.subject_id = b.unit_id
        ), city AS (
            SELECT rater_group, avg(pos) AS city_position FROM marks GROUP BY rater_group
        ), mine AS (
            SELECT rater_group, count(DISTINCT ballot_id) AS sheets, avg(pos) AS position
            FROM marks WHERE unit_id = ? GROUP BY rater_group
        )
        SELECT m.rater_group, m.sheets, m.position, c.city_position,
               m.position - c.city_position AS difference
        FROM mine m LEFT JOIN city c USING (rater_group)
        ORDER BY m.sheets DESC, m.rater_group""",
        [period_id, unit_id],
    ).df()
    k = privacy.floor()
    values = ["position", "difference"]
    floor = privacy.suppress(df, "sheets", values, k)
    # the team members' own group last: their view against everyone else's is what a
    # pooled figure splits on
    out = privacy.suppress_pooled(
        floor, "sheets", values, k, last=("team_member",), flag_col="complement"
    )
    out["hidden_by"] = np.where(
        out["complement"], "complement", np.where(out["suppressed"], "floor", None)
    )
    return out.drop(columns="complement")


def trend(con: duckdb.DuckDBPyConnection, unit_id: str) -> pd.DataFrame:
    """The team across every analysed period, in time order: period_id, period_label,
    verdict, team_composite, team_ci_low, team_ci_high, team_rank, team_rank_low,
    team_rank_high, peer_size, ci ("lo–hi"), composite_change, change_z, change_clear,
    member_mean,
    members_change, members_change_clear."""
    return con.execute(
        """
        SELECT h.period_id, p.label AS period_label, h.verdict, h.team_composite,
               h.team_ci_low, h.team_ci_high, h.team_rank, h.team_rank_low,
               h.team_rank_high, h.peer_size,
               printf('%.1f–%.1f', h.team_ci_low, h.team_ci_high) AS ci,
               h.composite_change, h.change_z,
               h.change_clear, h.member_mean, h.members_change, h.members_change_clear
        FROM r.team_health h JOIN periods p USING (period_id)
        WHERE h.unit_id = ? ORDER BY p.start_date, h.period_id""",
        [unit_id],
    ).df()


def talk_topics(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """Mentions of the team or of a team member of the unit in the period's talks, by topic
    and stance (the same selection as analytics.team_health's talk signals): topic,
    negative, neutral, positive, total; most negative first.  Counts only: a mention is
    never attributed to an interviewee; and none when the unit held fewer than k talks in
    the period (the anonymity floor, as on the Talks page: the reader could tell who said
    it)."""
    return con.execute(
        """
        WITH m AS (
            SELECT m.topic, m.stance
            FROM talk_mentions m JOIN talks t USING (talk_id)
            LEFT JOIN cadres c ON m.subject_type = 'cadre' AND c.cadre_id = m.subject_id
                 AND c.tier = 'team'
            WHERE t.period_id = $p
              AND ((m.subject_type = 'team' AND m.subject_id = $u) OR c.unit_id = $u)
              AND (SELECT count(*) FROM talks WHERE period_id = $p AND unit_id = $u) >= $k
        )
        SELECT coalesce(topic, 'other') AS topic,
               count(*) FILTER (WHERE stance = 'negative') AS negative,
               count(*) FILTER (WHERE stance = 'neutral') AS neutral,
               count(*) FILTER (WHERE stance = 'positive') AS positive,
               count(*) AS total
        FROM m GROUP BY ALL ORDER BY negative DESC, total DESC, topic""",
        {"p": period_id, "u": unit_id, "k": privacy.floor()},
    ).df()


def members(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """The team members (tier team) of the unit with their scores of the period
    (``r.scores``) and their flags: cadre_id, name, position, role, composite, ci_low,
    ci_high, rank, rank_low, rank_high, peer_size, rank_interval ("a–b"), ci ("lo–hi"),
    the four channel
    values, missing_channels, flags_critical, flags_warning, flags_info (flags on the
    cadre in the period); principal first, then deputies, then members."""
    return con.execute(
        """
        WITH f AS (
            SELECT subject_id,
                   count(*) FILTER (WHERE severity = 'critical') AS flags_critical,
                   count(*) FILTER (WHERE severity = 'warning') AS flags_warning,
                   count(*) FILTER (WHERE severity = 'info') AS flags_info
            FROM r.flags WHERE subject_type = 'cadre' AND period_id = $p AND unit_id = $u
            GROUP BY subject_id
        )
        SELECT c.cadre_id, c.name, c.position, c.role, s.composite, s.ci_low, s.ci_high,
               s.rank, s.rank_low, s.rank_high, s.peer_size,
               CASE WHEN s.rank_low IS NOT NULL THEN s.rank_low || '–' || s.rank_high END
                   AS rank_interval,
               printf('%.1f–%.1f', s.ci_low, s.ci_high) AS ci,
               s.democratic, s.performance, s.satisfaction, s.superior, s.missing_channels,
               coalesce(f.flags_critical, 0) AS flags_critical,
               coalesce(f.flags_warning, 0) AS flags_warning,
               coalesce(f.flags_info, 0) AS flags_info
        FROM cadres c
        LEFT JOIN r.scores s ON s.subject_type = 'cadre' AND s.subject_id = c.cadre_id
             AND s.period_id = $p
        LEFT JOIN f ON f.subject_id = c.cadre_id
        WHERE c.unit_id = $u AND c.tier = 'team'
        ORDER BY CASE c.role WHEN 'principal' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END,
                 c.cadre_id""",
        {"p": period_id, "u": unit_id},
    ).df()


def flags(con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str) -> pd.DataFrame:
    """Flags concerning the unit in the period (its team, cadres, rater groups, sheets and
    the unit itself; flags pooling every period count too): flag_type, severity,
    subject_type, subject_id, subject_name (the cadre's name for cadre flags), rater_group,
    statistic, p_value, evidence (English), evidence_zh; most severe first."""
    return con.execute(
        """
        SELECT f.flag_type, f.severity, f.subject_type, f.subject_id,
               c.name AS subject_name, f.rater_group, f.statistic, f.p_value, f.evidence,
               f.evidence_zh
        FROM r.flags f
        LEFT JOIN cadres c ON f.subject_type = 'cadre' AND c.cadre_id = f.subject_id
        WHERE f.unit_id = ? AND (f.period_id = ? OR f.period_id IS NULL)
        ORDER BY f.severity_rank, f.flag_type,
                 f.subject_type, f.subject_id""",
        [unit_id, period_id],
    ).df()


def settings(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The configured values the page states beside its figures: k (anonymity floor),
    confidence and its two-sided normal quantile z_q, min_peers, watch_to_concern and the
    talk thresholds of ``[team_health]``."""
    level = float(config.get("scores", "confidence"))

    def th(key: str) -> float:
        return float(config.get("team_health", key))

    return {
        "k": privacy.floor(),
        "confidence": level,
        "z_q": NormalDist().inv_cdf(1 - (1 - level) / 2),
        "min_peers": _min_peers(),
        "watch_to_concern": th("watch_to_concern"),
        "talk_p_watch": th("talk_p_watch"),
        "talk_p_concern": th("talk_p_concern"),
        "talk_min_negative": th("talk_min_negative"),
        "long_tenure_years": th("long_tenure_years"),
    }
