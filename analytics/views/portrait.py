"""Read model of the Cadre portrait page (干部画像): one cadre in one period.

Every function takes ``(con, cadre_id, period_id)`` and returns a small frame or dict; the
page only displays them.  Only team-tier cadres are rated by ballots and scored
(``r.scores`` subject_type ``cadre``); middle-level and subordinate-unit heads have facts,
portfolio indicators, talk mentions and flags when the data hold them, and the functions
return empty frames (or ``None``) for what is not assessed.

Conventions
-----------
* **Marks** are the ballots' raw marks on the item's own scale (1–4 on the cadre sheet); a
  cadre's mean per item is the mean over every mark given to that item in the period.
* **Peer group** is the cadre's ``r.scores.peer_group`` in the period (team members of the
  same unit type); the peer median includes the cadre, like the rank of N.
* **Rater groups** are shown only with at least k sheets (the anonymity floor,
  :func:`analytics.privacy.floor`).  Because the cadre's overall mean is shown too,
  one hidden group could be recovered by subtraction; so when the hidden groups together hold
  fewer than k sheets, the smallest visible groups are hidden as well (secondary
  suppression) until they do.
* **Talk mentions** are counted over the twelve months ending with the period (one round of
  talks a year), never attributed to an interviewee.
"""

from __future__ import annotations

import datetime
import json

import duckdb
import numpy as np
import pandas as pd

from analytics import config, privacy
from analytics.channels import STANDING

CHANNELS = ("democratic", "performance", "satisfaction", "superior")
# a rater group's standing differs notably from another's when their marks relative to their
# usual marks for peers differ by at least half a grade and by 2.58 standard errors (1 %)
DIVERGENCE_MARKS = 0.5
DIVERGENCE_Z = 2.58


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (None if _isnan(v) else v) for k, v in r.items()} for r in df.to_dict("records")]


def _isnan(v) -> bool:
    return isinstance(v, float) and np.isnan(v)


def _scalar(v):
    """A plain Python value (NaN and NA → None) for dicts that the summary reads."""
    if v is None or v is pd.NA or v is pd.NaT or _isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item"):
        return v.item()
    return v


# ---- facts -----------------------------------------------------------------------------------
def facts(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> dict | None:
    """Basic facts of a cadre as at the end of the period, or None if unknown.

    ``age`` is the period's end year minus the birth year; ``months_in_post`` counts whole
    months from ``in_post_since`` to the period's end (negative: appointed after it).
    ``scored`` says whether the cadre has a composite score in the period."""
    row = con.execute(
        """
        SELECT c.cadre_id, c.name, c.unit_id, c.position, c.role, c.tier, c.gender,
               c.birth_year, c.education, CAST(c.in_post_since AS DATE) AS in_post_since,
               u.name AS unit_name, u.unit_type, u.area_id, a.name AS area_name,
               p.period_id, p.label AS period_label, CAST(p.end_date AS DATE) AS end_date,
               year(p.end_date) - c.birth_year AS age,
               CASE WHEN c.in_post_since IS NOT NULL
                    THEN datediff('month', CAST(c.in_post_since AS DATE),
                                  CAST(p.end_date AS DATE)) END AS months_in_post,
               EXISTS (SELECT 1 FROM r.scores s WHERE s.subject_type = 'cadre'
                       AND s.subject_id = c.cadre_id AND s.period_id = p.period_id) AS scored,
               EXISTS (SELECT 1 FROM ballots b WHERE b.subject_type = 'cadre'
                       AND b.subject_id = c.cadre_id) AS ever_rated
        FROM cadres c
        JOIN units u USING (unit_id)
        LEFT JOIN areas a ON a.area_id = u.area_id
        JOIN periods p ON p.period_id = ?
        WHERE c.cadre_id = ?""",
        [period_id, cadre_id],
    ).df()
    if row.empty:
        return None
    return {k: _scalar(v) for k, v in row.iloc[0].items()}


# ---- standing in the peer group --------------------------------------------------------------
def standing(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> dict | None:
    """The cadre's composite score row of the period with its uncertainty, or None.

    Adds ``percentile`` (share of the other peers ranked below, 0–100) and its interval
    from the rank interval (``pct_low`` from ``rank_high``, ``pct_high`` from ``rank_low``),
    the peer median composite, the confidence level and ``missing`` (list of channels)."""
    row = con.execute(
        """
        SELECT s.*, (SELECT median(composite) FROM r.scores q
                     WHERE q.subject_type = 'cadre' AND q.period_id = s.period_id
                       AND q.peer_group = s.peer_group) AS peer_median
        FROM r.scores s
        WHERE s.subject_type = 'cadre' AND s.subject_id = ? AND s.period_id = ?""",
        [cadre_id, period_id],
    ).df()
    if row.empty:
        return None
    out = {k: _scalar(v) for k, v in row.iloc[0].items()}
    n = out["peer_size"]

    def pct(rank: int) -> float:
        return 100.0 * (n - rank) / (n - 1) if n > 1 else 50.0

    out["percentile"] = pct(out["rank"])
    out["pct_low"], out["pct_high"] = pct(out["rank_high"]), pct(out["rank_low"])
    out["missing"] = [c for c in (out["missing_channels"] or "").split(";") if c]
    out["level"] = float(config.get("scores", "confidence"))
    return out


def channels(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> pd.DataFrame:
    """The four channels of the composite: channel, value (0–100), z within the peer group,
    weight, missing, and what the value rests on (``basis`` count and ``basis_kind``:
    sheets, indicators, respondents, departments).  Empty if the cadre is not scored."""
    weights = {c: float(config.get("scores", f"weight_{c}")) for c in CHANNELS}
    df = con.execute(
        """
        WITH s AS (
            SELECT * FROM r.scores
            WHERE subject_type = 'cadre' AND subject_id = $c AND period_id = $p
        )
        SELECT ch.channel, ch.value, ch.z, ch.basis
        FROM s,
        LATERAL (VALUES
            ('democratic', s.democratic, s.z_democratic, s.n_sheets),
            ('performance', s.performance, s.z_performance, s.n_indicators),
            ('satisfaction', s.satisfaction, s.z_satisfaction, s.n_respondents),
            ('superior', s.superior, s.z_superior, s.n_departments)
        ) AS ch(channel, value, z, basis)""",
        {"c": cadre_id, "p": period_id},
    ).df()
    if df.empty:
        return df
    df["weight"] = [weights[c] for c in df["channel"]]
    df["missing"] = df["value"].isna().to_numpy()
    df["basis_kind"] = df["channel"].map(
        {
            "democratic": "sheets",
            "performance": "indicators",
            "satisfaction": "respondents",
            "superior": "departments",
        }
    )
    return df


# the cadre ``$c``'s peer group in period ``$p`` (me) and its cadres (peers), for a query's
# WITH clause
_PEERS = """
        WITH me AS (
            SELECT peer_group FROM r.scores
            WHERE subject_type = 'cadre' AND subject_id = $c AND period_id = $p
        ), peers AS (
            SELECT subject_id FROM r.scores, me
            WHERE subject_type = 'cadre' AND period_id = $p
              AND r.scores.peer_group = me.peer_group
        ),"""


# ---- dimensions and self-assessment ----------------------------------------------------------
def dimensions(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> pd.DataFrame:
    """Per cadre item (dimension): the cadre's mean mark and number of marks, the peer
    group's median (and quartiles) of the peers' mean marks, ``diff`` = mean − peer median,
    the self-assessment, ``gap`` = self − mean (others' marks), the peers' median gap, and
    ``largest_gap`` on the item with the largest gap.  Empty if the cadre has no marks."""
    df = con.execute(
        _PEERS
        + """
        m AS (
            SELECT subject_id, item_id, avg(score) AS mean, count(*) AS n_marks
            FROM ballots
            WHERE period_id = $p AND subject_type = 'cadre'
              AND (subject_id = $c OR subject_id IN (SELECT subject_id FROM peers))
            GROUP BY ALL
        ), sa AS (
            SELECT subject_id, item_id, score AS self FROM self_assessments
            WHERE period_id = $p AND subject_type = 'cadre'
              AND (subject_id = $c OR subject_id IN (SELECT subject_id FROM peers))
        ), peer AS (
            SELECT m.item_id, median(m.mean) AS peer_median,
                   quantile_cont(m.mean, 0.25) AS peer_q1,
                   quantile_cont(m.mean, 0.75) AS peer_q3,
                   count(*) AS n_peers, median(sa.self - m.mean) AS peer_gap
            FROM m LEFT JOIN sa USING (subject_id, item_id)
            WHERE m.subject_id IN (SELECT subject_id FROM peers)
            GROUP BY m.item_id
        )
        SELECT i.item_id, i.dimension, i.label_zh, i.label_en, i.scale_min, i.scale_max,
               m.mean, m.n_marks, peer.peer_median, peer.peer_q1, peer.peer_q3, peer.n_peers,
               m.mean - peer.peer_median AS diff, sa.self, sa.self - m.mean AS gap,
               peer.peer_gap
        FROM items i
        LEFT JOIN m ON m.item_id = i.item_id AND m.subject_id = $c
        LEFT JOIN sa ON sa.item_id = i.item_id AND sa.subject_id = $c
        LEFT JOIN peer ON peer.item_id = i.item_id
        WHERE i.subject_type = 'cadre' AND (m.n_marks > 0 OR sa.self IS NOT NULL)
        ORDER BY i.dimension = 'overall', i.rowid""",
        {"c": cadre_id, "p": period_id},
    ).df()
    if df.empty:
        return df
    gaps = df["gap"].astype("float64")
    df["largest_gap"] = (gaps == gaps.max()) & gaps.notna() if gaps.notna().any() else False
    return df


# ---- rater groups ----------------------------------------------------------------------------
def rater_groups(
    con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str, k: int | None = None
) -> pd.DataFrame:
    """Per rater group: sheets, mean mark (mean of the sheets' means over the cadre's
    items) with its standard error (sheet spread pooled over the visible groups), the
    group's ``usual`` mean for the peer group's cadres in the period (city-wide, so not
    sensitive) and ``relative`` = mean − usual.

    Groups with fewer than k sheets are blanked (``suppressed``); ``secondary`` marks groups
    blanked only so that the hidden groups together reach k sheets (otherwise one hidden
    group's mean would follow from the overall mean by subtraction).  Ordered by sheets."""
    k = privacy.floor() if k is None else k
    df = con.execute(
        _PEERS
        + """
        own AS (
            SELECT rater_group, ballot_id, avg(score) AS m FROM ballots
            WHERE period_id = $p AND subject_type = 'cadre' AND subject_id = $c
            GROUP BY ALL
        ), usual AS (
            SELECT rater_group, avg(score) AS usual FROM ballots
            WHERE period_id = $p AND subject_type = 'cadre'
              AND subject_id IN (SELECT subject_id FROM peers)
            GROUP BY ALL
        )
        SELECT own.rater_group, count(*) AS n_sheets, avg(own.m) AS mean,
               coalesce(var_samp(own.m), 0) AS var, any_value(usual.usual) AS usual
        FROM own LEFT JOIN usual USING (rater_group)
        GROUP BY own.rater_group
        ORDER BY n_sheets DESC, own.rater_group""",
        {"c": cadre_id, "p": period_id},
    ).df()
    if df.empty:
        return df.drop(columns="var").assign(
            se=pd.Series(dtype="float64"),
            relative=pd.Series(dtype="float64"),
            suppressed=pd.Series(dtype=bool),
            secondary=pd.Series(dtype=bool),
        )
    df["relative"] = df["mean"] - df["usual"]
    values = ["mean", "var", "relative"]
    out = privacy.suppress_pooled(
        privacy.suppress(df, "n_sheets", values, k=k), "n_sheets", values, k
    )
    # standard error from the spread of sheets pooled over the visible groups: a small group
    # whose sheets happen to agree would otherwise look infinitely precise
    vis = out[~out["suppressed"]]
    dof = vis["n_sheets"] - 1
    pooled = float((dof * vis["var"]).sum() / dof.sum()) if dof.sum() > 0 else np.nan
    out.insert(3, "se", np.sqrt(pooled / out["n_sheets"]).where(~out["suppressed"]))
    return out.drop(columns="var")


def group_divergence(groups: pd.DataFrame) -> dict | None:
    """The most and least favourable visible rater groups (relative to their usual marks)
    when they differ by at least ``DIVERGENCE_MARKS`` and ``DIVERGENCE_Z`` standard errors;
    None otherwise (or with fewer than two visible groups)."""
    vis = groups[~groups["suppressed"]].dropna(subset=["relative"]) if len(groups) else groups
    if len(vis) < 2:
        return None
    hi = vis.loc[vis["relative"].idxmax()]
    lo = vis.loc[vis["relative"].idxmin()]
    diff = float(hi["relative"] - lo["relative"])
    se = float(
        np.hypot(hi["se"] if pd.notna(hi["se"]) else 0.0, lo["se"] if pd.notna(lo["se"]) else 0.0)
    )
    z = diff / se if se > 0 else np.inf
    if diff < DIVERGENCE_MARKS or z < DIVERGENCE_Z:
        return None
    return {
        "high_group": hi["rater_group"],
        "high_relative": float(hi["relative"]),
        "high_mean": float(hi["mean"]),
        "low_group": lo["rater_group"],
        "low_relative": float(lo["relative"]),
        "low_mean": float(lo["mean"]),
        "difference": diff,
        "z": float(z),
    }


# ---- trend -----------------------------------------------------------------------------------
def trend(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> pd.DataFrame:
    """The composite of every period up to and including ``period_id`` (time order) with its
    interval, rank and rank interval, peer size, the peer median composite and the
    interval's confidence ``level``."""
    df = con.execute(
        """
        SELECT p.period_id, p.label, s.composite, s.ci_low, s.ci_high, s.rank, s.rank_low,
               s.rank_high, s.peer_size, s.missing_channels,
               s.composite_excl_flagged, s.ci_low_excl_flagged, s.ci_high_excl_flagged,
               s.flagged_sheets, c.change_state,
               (SELECT median(q.composite) FROM r.scores q WHERE q.subject_type = 'cadre'
                  AND q.period_id = s.period_id AND q.peer_group = s.peer_group)
                  AS peer_median
        FROM r.scores s JOIN periods p USING (period_id)
        LEFT JOIN r.changes c ON c.period_id = s.period_id
             AND c.subject_type = s.subject_type AND c.subject_id = s.subject_id
        WHERE s.subject_type = 'cadre' AND s.subject_id = ?
          AND p.start_date <= (SELECT start_date FROM periods WHERE period_id = ?)
        ORDER BY p.start_date""",
        [cadre_id, period_id],
    ).df()
    df["level"] = float(config.get("scores", "confidence"))
    return df


# ---- portfolio -------------------------------------------------------------------------------
def portfolio(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> dict:
    """The cadre's own performance indicators in the period (``rows``: indicator_id,
    indicator, score, max_score, weight, pct = score/max × 100) with the weighted
    attainment of the portfolio, of the unit's own indicators (``unit_pct``, the unit
    total) and the median portfolio attainment of the other cadres of the same unit
    type and tier (``peer_pct``; None without peers)."""
    rows = con.execute(
        """
        SELECT f.indicator_id, f.indicator, f.score, f.max_score,
               coalesce(f.weight, 1) AS weight, f.score / f.max_score * 100 AS pct
        FROM performance f
        WHERE f.period_id = ? AND f.cadre_id = ?
        ORDER BY f.indicator_id""",
        [period_id, cadre_id],
    ).df()
    agg = con.execute(
        """
        WITH att AS (
            SELECT f.unit_id, f.cadre_id,
                   sum(coalesce(f.weight, 1) * f.score / f.max_score)
                     / nullif(sum(coalesce(f.weight, 1)), 0) * 100 AS pct,
                   count(*) AS n
            FROM performance f WHERE f.period_id = $p GROUP BY ALL
        ), me AS (SELECT c.unit_id, c.tier, u.unit_type FROM cadres c JOIN units u USING (unit_id)
                  WHERE c.cadre_id = $c)
        SELECT
          (SELECT pct FROM att WHERE cadre_id = $c) AS portfolio_pct,
          (SELECT pct FROM att, me WHERE att.cadre_id IS NULL AND att.unit_id = me.unit_id)
              AS unit_pct,
          (SELECT n FROM att, me WHERE att.cadre_id IS NULL AND att.unit_id = me.unit_id)
              AS unit_indicators,
          (SELECT median(att.pct) FROM att
             JOIN cadres c ON c.cadre_id = att.cadre_id JOIN units u ON u.unit_id = c.unit_id,
             me
           WHERE c.tier = me.tier AND u.unit_type = me.unit_type AND c.cadre_id <> $c)
              AS peer_pct
        """,
        {"c": cadre_id, "p": period_id},
    ).df()
    out = {k: _scalar(v) for k, v in agg.iloc[0].items()}
    out["rows"] = rows
    return out


# ---- talks -----------------------------------------------------------------------------------
def talk_mentions(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> dict:
    """Mentions of the cadre in talks of the twelve months ending with the period.

    ``counts``: topic × stance → n (every combination that occurs); ``table``: the same as
    one row per topic (positive, neutral, negative, total; most mentioned first); ``notes``:
    the notes of
    the mentions with how often each was made (no talk, date or interviewee);
    ``n_mentions``, ``n_talks``, the window (``since`` … ``until``, both included) and the
    city-wide stance shares of mentions about team-tier cadres in the same window
    (``city_shares``: stance → share) for comparison.

    The anonymity floor, as on the Talks page: only talks of units holding at least k talks
    in the window count (with fewer, the reader could tell who said it); ``hidden_units``
    is the number of units whose talks mention the cadre but are left out."""
    params = {"c": cadre_id, "p": period_id, "k": privacy.floor()}
    window = """
        WITH w AS (SELECT CAST(CAST(end_date AS DATE) - INTERVAL 364 DAY AS DATE) AS since,
                          CAST(end_date AS DATE) AS until FROM periods WHERE period_id = $p),
        wt AS (SELECT talk_id, unit_id FROM talks, w
               WHERE talk_date >= w.since AND talk_date <= w.until),
        pool AS (SELECT unit_id, count(*) >= $k AS shown FROM wt GROUP BY ALL),
        t AS (SELECT talk_id FROM wt JOIN pool USING (unit_id) WHERE pool.shown),
        m AS (SELECT tm.* FROM talk_mentions tm JOIN t USING (talk_id)
              WHERE tm.subject_type = 'cadre')
    """
    counts = con.execute(
        window
        + """
        SELECT topic, stance, count(*) AS n FROM m WHERE subject_id = $c
        GROUP BY ALL ORDER BY topic, stance""",
        params,
    ).df()
    table = con.execute(
        window
        + """
        SELECT topic, count(*) FILTER (WHERE stance = 'positive') AS positive,
               count(*) FILTER (WHERE stance = 'neutral') AS neutral,
               count(*) FILTER (WHERE stance = 'negative') AS negative, count(*) AS total
        FROM m WHERE subject_id = $c
        GROUP BY topic ORDER BY total DESC, topic""",
        params,
    ).df()
    notes = con.execute(
        window
        + """
        SELECT topic, stance, note, count(*) AS n FROM m
        WHERE subject_id = $c AND nullif(trim(note), '') IS NOT NULL
        GROUP BY ALL ORDER BY n DESC, topic, stance, note""",
        params,
    ).df()
    head = con.execute(
        window
        + """
        SELECT (SELECT count(*) FROM m WHERE subject_id = $c) AS n_mentions,
               (SELECT count(DISTINCT talk_id) FROM m WHERE subject_id = $c) AS n_talks,
               (SELECT count(DISTINCT wt.unit_id) FROM talk_mentions tm
                JOIN wt USING (talk_id) JOIN pool USING (unit_id)
                WHERE NOT pool.shown AND tm.subject_type = 'cadre'
                  AND tm.subject_id = $c) AS hidden_units,
               (SELECT since FROM w) AS since,
               (SELECT until FROM w) AS until""",
        params,
    ).df()
    city = con.execute(
        window
        + """
        SELECT m.stance, count(*) AS n FROM m JOIN cadres c ON c.cadre_id = m.subject_id
        WHERE c.tier = (SELECT tier FROM cadres WHERE cadre_id = $c) GROUP BY ALL""",
        params,
    ).df()
    out = {k: _scalar(v) for k, v in head.iloc[0].items()}
    total = int(city["n"].sum())
    out["city_shares"] = (
        {s: float(n) / total for s, n in zip(city["stance"], city["n"], strict=True)}
        if total
        else {}
    )
    out["counts"] = counts
    out["table"] = table
    out["notes"] = notes
    return out


# ---- flags -----------------------------------------------------------------------------------
def flags(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> pd.DataFrame:
    """Flags about the cadre in every period up to and including ``period_id`` (and pooled
    flags without a period), newest first, then by severity: flag_type, period_id, label,
    rater_group, severity, statistic, p_value, evidence (en), evidence_zh, current (flag
    of the chosen period)."""
    df = con.execute(
        """
        SELECT f.flag_type, f.period_id, p.label, f.rater_group, f.severity, f.statistic,
               f.p_value, f.evidence, f.evidence_zh,
               coalesce(f.period_id = $p, true) AS current
        FROM r.flags f LEFT JOIN periods p USING (period_id)
        WHERE f.subject_type = 'cadre' AND f.subject_id = $c
          AND (f.period_id IS NULL OR p.start_date <=
               (SELECT start_date FROM periods WHERE period_id = $p))
        ORDER BY p.start_date DESC NULLS FIRST,
                 f.severity_rank,
                 f.flag_type""",
        {"c": cadre_id, "p": period_id},
    ).df()
    return df


# ---- the figures behind the summary ----------------------------------------------------------
def summary_figures(con: duckdb.DuckDBPyConnection, cadre_id: str, period_id: str) -> dict:
    """Every figure the plain-language summary (:mod:`analytics.views.portrait_summary`)
    reads, as plain Python values (no frames), so the summary is a pure function of it."""
    f = facts(con, cadre_id, period_id)
    if f is None:
        return {}
    fig: dict = {
        "name": f["name"],
        "position": f["position"],
        "unit_name": f["unit_name"],
        "unit_type": f["unit_type"],
        "tier": f["tier"],
        "role": f["role"],
        "age": f["age"],
        "months_in_post": f["months_in_post"],
        "period_id": period_id,
        "period_label": f["period_label"],
        "scored": bool(f["scored"]),
        "k": privacy.floor(),
    }
    st = standing(con, cadre_id, period_id)
    if st is not None:
        fig["standing"] = {
            k: st[k]
            for k in (
                *STANDING,
                "peer_group",
                "percentile",
                "pct_low",
                "pct_high",
                "missing",
                "level",
                "composite_excl_flagged",
                "ci_low_excl_flagged",
                "ci_high_excl_flagged",
                "flagged_sheets",
            )
            if k in st
        }
    dims = dimensions(con, cadre_id, period_id)
    rated = dims.dropna(subset=["diff"]) if len(dims) else dims
    # the overall grade is a summary of the others: strengths and weaknesses are dimensions
    rated = rated[rated["dimension"] != "overall"] if len(rated) > 2 else rated
    if len(rated) >= 2:
        best = rated.loc[rated["diff"].idxmax()]
        worst = rated.loc[rated["diff"].idxmin()]
        fig["dimensions"] = {
            **{
                which: {
                    "label_zh": row["label_zh"],
                    "label_en": row["label_en"],
                    "mean": float(row["mean"]),
                    "peer_median": float(row["peer_median"]),
                    "diff": float(row["diff"]),
                }
                for which, row in (("best", best), ("worst", worst))
            },
            "scale_min": int(best["scale_min"]),
            "scale_max": int(best["scale_max"]),
            "mean": float(dims["mean"].mean()),
        }
    selfs = dims.dropna(subset=["self", "mean"]) if len(dims) else dims
    if len(selfs):
        top = selfs.loc[selfs["gap"].idxmax()]
        fig["self"] = {
            "self_mean": float(selfs["self"].mean()),
            "others_mean": float(selfs["mean"].mean()),
            "gap": float(selfs["gap"].mean()),
            "peer_gap": _scalar(selfs["peer_gap"].median()),
            "top_label_zh": top["label_zh"],
            "top_label_en": top["label_en"],
            "top_gap": float(top["gap"]),
        }
    groups = rater_groups(con, cadre_id, period_id)
    if len(groups):
        fig["groups"] = {
            "n_visible": int((~groups["suppressed"]).sum()),
            "n_hidden": int(groups["suppressed"].sum()),
            "divergence": group_divergence(groups),
        }
    tr = trend(con, cadre_id, period_id)
    if len(tr) >= 2:
        prev, last = tr.iloc[-2], tr.iloc[-1]
        fig["trend"] = {
            "first_period_id": tr.iloc[0]["period_id"],
            "first_label": tr.iloc[0]["label"],
            "first": float(tr.iloc[0]["composite"]),
            "prev_period_id": prev["period_id"],
            "prev_label": prev["label"],
            "prev": float(prev["composite"]),
            "last": float(last["composite"]),
            "change": float(last["composite"] - prev["composite"]),
            # one definition (analytics.changes): clear beyond both intervals' uncertainty,
            # on the plain and on the flag-aware figures; "flagged" = clear only with the
            # sheets the product flags
            "clear": last["change_state"] == "clear",
            "flagged": last["change_state"] == "flagged",
            "flagged_sheets": int(last["flagged_sheets"] or 0),
            "last_excl": float(last["composite_excl_flagged"]),
            "prev_excl": float(prev["composite_excl_flagged"]),
            "n_periods": len(tr),
        }
    fl = flags(con, cadre_id, period_id)
    fig["flags"] = [
        {
            "flag_type": r["flag_type"],
            "severity": r["severity"],
            "period_id": r["period_id"],
            "label": r["label"],
            "current": bool(r["current"]),
        }
        for r in _records(fl)
    ]
    talks = talk_mentions(con, cadre_id, period_id)
    by_stance = (
        talks["counts"].groupby("stance")["n"].sum().to_dict() if len(talks["counts"]) else {}
    )
    fig["talks"] = {
        "n_mentions": int(talks["n_mentions"]),
        "n_talks": int(talks["n_talks"]),
        "positive": int(by_stance.get("positive", 0)),
        "neutral": int(by_stance.get("neutral", 0)),
        "negative": int(by_stance.get("negative", 0)),
        "city_negative": talks["city_shares"].get("negative"),
    }
    return json.loads(json.dumps(fig, default=_plain))


def _plain(o):
    v = _scalar(o)
    return v.isoformat() if isinstance(v, datetime.date) else v
