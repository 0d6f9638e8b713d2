"""Team health (班子运行状况): how each leadership team works, per unit and period.

``team_health(ctx)`` returns one row per team (unit) and analysed period with the measures
below, a verdict (good / watch / concern) and the reasons that produced it;
``team_health_reasons(ctx)`` the same reasons one per row (machine code, group, level,
value, reference, an English and a Chinese sentence); ``team_members(ctx, unit_id,
period_id)`` the team page's member list.  Scores come from
:func:`analytics.scores.compute_scores` (memoised as ``ctx.memo("scores")``) unless a
precomputed frame (e.g. the results sidecar's) is passed as ``scores``; the period before
the first analysed one is scored in its own context when the trend needs it.

Comparisons
-----------
A measure is compared either with the **city** (every team of the period) or with its
**peer teams** (same ``unit_type``, same period; the city is used instead when fewer than
``min_peers`` peers have the measure).  ``*_z`` = (x − mean) / SD of the comparison group
(0 when the SD is 0), ``*_pct`` = mid-rank percentile 100 × (rank − ½) / n (low = low
value).  Neither is computed when fewer than ``min_peers`` teams have the measure.

Columns (method of each)
------------------------
* Identity: ``period_id, unit_id, unit_name, unit_type, area_id, peer_group``.
* Verdict: ``verdict`` (good | watch | concern), ``n_concern``, ``n_watch``,
  ``reason_codes`` (";"-joined, worst first), ``reasons_en`` (" | "-joined),
  ``reasons_zh`` ("；"-joined); ``missing`` (";"-joined codes of what could not be
  assessed, see ``MISSING``), ``missing_en``, ``missing_zh``.
* Team standing (from scores): ``team_composite, team_ci_low, team_ci_high, team_rank,
  team_rank_low, team_rank_high, peer_size``.
* **Cohesion** (ballots; city comparison, because team members rate alike across unit
  types).  Computed only when at least ``[privacy] min_group_sheets`` team-member sheets
  rated the team (the anonymity floor), else missing ``team_member_sheets_below_floor``.

  - ``tm_sheets``: team-member sheets that rated the team.
  - ``rwg`` (``_z``, ``_pct``): within-team agreement rwg(J) (James, Demaree & Wolf 1984) of
    the team-member sheets on the team items: per item the variance s² of the members'
    marks over the uniform-null variance σ²_EU = (A² − 1) / 12 (A = scale points); with r̄
    the mean ratio over the J items, rwg(J) = J(1 − r̄) / (J(1 − r̄) + r̄), 0 when r̄ ≥ 1;
    1 = full agreement.  ``tm_item_sd``: the mean per-item SD of those marks (scale points).
  - ``own_unity`` (``_z``, ``_pct``): the team members' mean position (0–100, 0 = every mark
    at the scale minimum, 100 = at the maximum) on their own team's unity item(s)
    (dimension ``unity``).
  - ``own_view_gap`` (``_z``, ``_pct``): team members' mean position on all team items minus
    the other rater groups' (0–100 points); negative = the team sees itself worse than the
    rest of the unit sees it (team members are lenient everywhere, hence the city z).
  - ``colleague_gap`` (``_z``, ``_pct``): for each team member rated by both, the
    team-member sheets' mean position on that colleague minus the other groups' mean
    position on the same colleague, averaged over colleagues (0–100 points); low relative to
    the city = members rate one another harsher than the rest of the unit does.
* **Spread** (scores; peer comparison): ``n_members`` (team-tier cadres), ``n_scored``,
  ``member_mean``, ``member_sd`` (ddof 1; ``_z``, ``_pct``), ``member_range``,
  ``lowest_member``, ``lowest_composite``.
* **Principal vs deputies** (scores; role column): ``principal_name``,
  ``principal_composite``, ``n_deputies`` (scored), ``deputies_mean``, ``principal_gap`` =
  principal − deputies' mean (composite points), ``principal_gap_clear`` = the principal's
  ``ci_high`` is below the deputies' mean (``ci_low`` above it when the gap is positive).
* **Structure** (team-tier cadres as of the period's end; peer comparison): ``mean_age``
  (``age_z``), ``min_age``, ``max_age`` (end year − birth_year), ``n_female``,
  ``share_female`` (``_pct``), ``share_postgrad`` (``_pct``; education naming
  研究生/硕士/博士/master/doctor/PhD/postgrad/MBA), ``mean_tenure`` (``tenure_z``),
  ``max_tenure`` (years since ``in_post_since``), ``n_appointment_years`` (distinct
  appointment years), ``n_long_tenure`` (members ≥ ``long_tenure_years`` in post).
* **Climate** (all sheets; peer comparison): ``climate_<dimension>`` (``_z``, ``_pct``) for
  every team item dimension (political, leadership, unity, style, integrity, overall, then
  any other): the mean position (0–100) of all marks on the dimension's items after
  removing each rater group's city-wide offset on team items (the group's mean position
  minus the other groups' in the same session, weighted by marks, averaged over the city per
  period; as analytics.channels.group_offsets does for all subjects), so units with harsher
  audiences such as service recipients are not penalised.  ``satisfaction`` (``_z``,
  ``_pct``; questionnaires (mean − 1) / 4 × 100 and third party pooled by respondents, as
  in the satisfaction channel), ``questionnaire``, ``third_party``, ``source_gap`` =
  questionnaire − third party (``_z`` vs the city).
* **Trend** (scores): ``prev_period_id``, ``prev_composite``, ``composite_change`` = team
  composite − the previous period's (composites are T-scores within the peer group, so this
  is a change of standing among peers); se = (ci_high − ci_low) / (2 z_q), z_q the normal
  quantile of ``[scores] confidence``; ``change_z`` = Δ / √(se₁² + se₀²) and
  ``change_clear`` = |change_z| ≥ z_q (the change exceeds the bootstrap uncertainty).  The
  same for ``members_change`` / ``members_change_z`` / ``members_change_clear`` (the
  members' mean composite; se of a mean = √Σse² / n, members taken as independent).
* **Talk signals** (talks of the period; mentions of the team or of a team-tier cadre of the
  unit): ``n_talks`` (talks held in the unit), ``mentions``, ``mentions_positive``,
  ``mentions_neutral``, ``mentions_negative``, ``share_negative``,
  ``city_share_negative`` (the period's city base rate; the analysed periods pooled when the
  period has fewer than ``talk_base_min_mentions``), ``talk_p`` = one-sided binomial
  P(X ≥ negatives | mentions, base rate), ``mentions_by_topic``
  ("unity 4 (2 neg); style 3 (0 neg); …", most negative first).

Reasons and verdict (thresholds: ``[team_health]`` in config/yanpan.toml)
------------------------------------------------------------------------
=============================  ==========  ===================================================
code                           level       rule
=============================  ==========  ===================================================
own_unity_low                  watch/conc  own_unity z ≤ −z_watch (concern: z ≤ −z_concern or
                                           below ``floor_position``)
agreement_low                  watch       rwg z ≤ −z_watch
own_view_low                   watch       own_view_gap z ≤ −z_watch
colleague_ratings_low          watch       colleague_gap z ≤ −z_watch
climate_low_<dimension>        watch/conc  as own_unity_low, on climate_<dimension>
satisfaction_low               watch/conc  satisfaction z ≤ −z_watch (concern ≤ −z_concern)
satisfaction_sources_disagree  info        |source_gap z| ≥ source_gap_z
spread_high                    watch       member_sd z ≥ z_watch
principal_below_deputies       watch       principal_gap ≤ −principal_gap_watch and clear
principal_far_above_deputies   info        principal_gap ≥ 1.5 × principal_gap_watch, clear
no_woman, no_postgraduate,     info        structure gaps (all members' data known);
all_over_age, no_young_member,             older_than_peers: age_z ≥ z_watch; long_tenure:
older_than_peers,                          someone ≥ long_tenure_years in post
same_year_appointed, long_tenure
structure_unbalanced           watch       ≥ structure_gaps_watch structure notes at once
composite_decline              watch/conc  change_clear and Δ ≤ −trend_watch_points
                                           (concern: Δ ≤ −trend_concern_points)
members_decline                watch       members_change_clear, Δ ≤ −trend_watch_points
composite_rise                 info        change_clear and Δ ≥ trend_watch_points
talk_negative_high             watch/conc  talk_p ≤ talk_p_watch (concern ≤ talk_p_concern),
                                           ≥ talk_min_negative negatives, share > base rate
several_watch_signals          concern     watch reasons in ≥ watch_to_concern separate
                                           groups and no concern reason
=============================  ==========  ===================================================

The cohesion measures rest on 5–9 sheets and the spread on a handful of composites, so
alone they never go beyond *watch*.  Reasons belong to groups (cohesion, climate,
satisfaction, spread, principal, structure, trend, talks, verdict); ``concern`` when any
reason is a concern, ``watch`` when any is a watch, ``good`` otherwise (info reasons never
move the verdict, so "good" can still carry notes).  Every verdict is thus explained by its
reasons.

All ballot work is one DuckDB query (a single scan: marks on each unit's own team by rater
group × item and on its cadres by rater group × subject, aggregated further in the same
query); talks, structure and satisfaction are DuckDB queries too; the rest is vectorised
pandas over one row per team and period.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import stats

from analytics import channels, config, privacy
from analytics.context import Context

LEVELS = ("info", "watch", "concern")
VERDICTS = ("good", "watch", "concern")
TEAM_MEMBER = "team_member"
POSTGRAD_WORDS = ("研究生", "硕士", "博士", "master", "doctor", "phd", "postgrad", "mba")
# (plain words: they are placed in SQL LIKE patterns)
TOPICS = ("responsibility", "competence", "unity", "style", "integrity", "other")
STANCES = ("positive", "neutral", "negative")

TOPIC_ZH = {
    "responsibility": "担当作为",
    "competence": "能力",
    "unity": "团结",
    "style": "作风",
    "integrity": "廉洁",
    "other": "其他",
}
MISSING = {
    "no_team_composite": ("no team composite", "无班子综合得分"),
    "no_member_scores": ("fewer than two members scored", "成员得分不足两人"),
    "no_principal_score": ("no principal's score", "无主要负责人得分"),
    "no_deputy_scores": ("no deputies' scores", "无副职得分"),
    "no_team_ballots": ("no ballots on the team", "无班子测评票"),
    "team_member_sheets_below_floor": (
        "team-member sheets below the anonymity floor",
        "班子成员测评票少于匿名保护下限",
    ),
    "no_satisfaction": ("no questionnaire or third-party data", "无问卷和第三方满意度数据"),
    "no_questionnaire": ("no questionnaire", "无问卷调查"),
    "no_third_party": ("no third-party satisfaction", "无第三方满意度"),
    "no_previous_period": ("no previous period to compare", "无上一周期可比"),
    "no_talks": ("no talks this period", "本周期无个别谈话"),
    "structure_incomplete": ("personal data incomplete for some members", "部分成员个人信息不全"),
    "few_peers": (
        "fewer peer teams than the minimum: compared with the city",
        "同类班子过少，与全市比较",
    ),
}


def _cfg(key: str):
    """A ``[team_health]`` setting (config/yanpan.toml documents each; no fallback)."""
    return config.get("team_health", key)


def _pct_shown(p: float) -> int:
    """A percentile as shown: rounded, but never 0 or 100 (a mid-rank is strictly inside)."""
    return int(min(99, max(1, round(p))))


def _ordinal(p: float) -> str:
    n = _pct_shown(p)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---- comparisons --------------------------------------------------------------------------
def _group_stats(df: pd.DataFrame, cols: list[str], keys: list[str]):
    g = df.groupby(keys, observed=True, dropna=False)[cols]
    n = g.transform("count")
    mean = g.transform("mean")
    sd = g.transform("std")
    pct = (g.rank(method="average") - 0.5) / n * 100
    x = df[cols]
    flat = sd.gt(0)
    z = ((x - mean) / sd.where(flat)).mask(x.notna() & ~flat, 0.0)
    return z, pct, n


def _compare(df: pd.DataFrame, cols: list[str], scope: str, min_peers: int) -> pd.DataFrame:
    """``<col>_z``, ``<col>_pct`` and the internal ``x_<col>_basis`` (peers | city) of every
    column: vs the period's teams (city) or its peer teams (falling back to the city)."""
    z, pct, n = _group_stats(df, cols, ["period_id"])
    basis = pd.DataFrame("city", index=df.index, columns=cols)
    if scope == "peers":
        zp, pp, np_ = _group_stats(df, cols, ["period_id", "unit_type"])
        use = np_ >= min_peers
        z, pct, n = zp.where(use, z), pp.where(use, pct), np_.where(use, n)
        basis = basis.mask(use, "peers")
    ok = n >= min_peers
    z, pct = z.where(ok), pct.where(ok)
    return pd.concat(
        [z.add_suffix("_z"), pct.add_suffix("_pct"), basis.add_prefix("x_").add_suffix("_basis")],
        axis=1,
    )


# ---- data gathering -----------------------------------------------------------------------
def _scores(ctx: Context, scores: pd.DataFrame | None, periods: list[str]) -> pd.DataFrame:
    """Scores for ``periods``: the given frame, else ctx.memo("scores"); a period outside the
    analysed ones (the previous period of the first) is scored in its own context."""
    from analytics.scores import compute_scores

    sc = scores if scores is not None else ctx.memo("scores", lambda: compute_scores(ctx))
    have = set(sc["period_id"].unique())
    extra = []
    for p in periods:
        if p not in have:
            sub = Context(ctx.con, [p])
            extra.append(ctx.memo(("team_health_scores", p), lambda s=sub: compute_scores(s)))
    if extra:
        sc = pd.concat([sc, *extra], ignore_index=True)
    return sc[sc["period_id"].isin(periods)]


def _talks(ctx: Context) -> pd.DataFrame:
    """Talks and team-related mentions per unit and period (about the team, or about a
    team-tier cadre of the unit), by stance and topic, with the city base rate."""
    topic_zh = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in TOPIC_ZH.items())
    out = ctx.df(f"""
        WITH tk AS (
            SELECT period_id, unit_id, count(*) AS n_talks FROM talks
            WHERE period_id IN {{periods}} GROUP BY ALL
        ), m AS (
            SELECT t.period_id,
                   CASE WHEN m.subject_type = 'team' THEN m.subject_id ELSE c.unit_id END
                       AS unit_id, m.stance, m.topic
            FROM talk_mentions m JOIN talks t USING (talk_id)
            LEFT JOIN cadres c ON m.subject_type = 'cadre' AND c.cadre_id = m.subject_id
                 AND c.tier = 'team'
            WHERE t.period_id IN {{periods}}
              AND (m.subject_type = 'team' OR c.cadre_id IS NOT NULL)
        ), tp AS (
            SELECT period_id, unit_id, topic, count(*) AS n,
                   count(*) FILTER (WHERE stance = 'negative') AS neg
            FROM m GROUP BY ALL
        ), tops AS (
            SELECT period_id, unit_id,
                   string_agg(topic || ' ' || n || ' (' || neg || ' neg)', '; '
                              ORDER BY neg DESC, n DESC, topic) AS mentions_by_topic,
                   string_agg(CASE WHEN neg > 0 THEN topic || ' ' || neg END, ', '
                              ORDER BY neg DESC, n DESC, topic) AS x_neg_topics_en,
                   string_agg(CASE WHEN neg > 0 THEN (CASE topic {topic_zh} ELSE topic END)
                                   || ' ' || neg || ' 条' END, '，'
                              ORDER BY neg DESC, n DESC, topic) AS x_neg_topics_zh
            FROM tp GROUP BY ALL
        ), st AS (
            SELECT period_id, unit_id, count(*) AS mentions,
                   count(*) FILTER (WHERE stance = 'positive') AS mentions_positive,
                   count(*) FILTER (WHERE stance = 'neutral') AS mentions_neutral,
                   count(*) FILTER (WHERE stance = 'negative') AS mentions_negative
            FROM m GROUP BY ALL
        )
        SELECT * FROM tk FULL JOIN st USING (period_id, unit_id)
        LEFT JOIN tops USING (period_id, unit_id)""")
    per = out.groupby("period_id")[["mentions_negative", "mentions"]].sum()
    pooled = per["mentions_negative"].sum() / max(per["mentions"].sum(), 1)
    base = (per["mentions_negative"] / per["mentions"]).where(
        per["mentions"] >= int(_cfg("talk_base_min_mentions")), pooled
    )
    out["city_share_negative"] = out["period_id"].map(base) if len(per) else np.nan
    # the strings of the top two negative topics only
    for c in ("x_neg_topics_en", "x_neg_topics_zh"):
        sep = ", " if c.endswith("en") else "，"
        out[c] = out[c].fillna("").str.split(sep).str[:2].str.join(sep)
    return out


# ---- the measures -------------------------------------------------------------------------
KNOWN_DIMENSIONS = ("political", "leadership", "unity", "style", "integrity", "overall")


def _team_dimensions(ctx: Context) -> list[str]:
    dims = set(ctx.items.loc[ctx.items["subject_type"] == "team", "dimension"].dropna())
    return [d for d in KNOWN_DIMENSIONS if d in dims] + sorted(dims - set(KNOWN_DIMENSIONS))


def _ballot_measures(ctx: Context) -> tuple[pd.DataFrame, list[str]]:
    """Cohesion and climate per unit and period: one scan of the ballots in DuckDB (marks
    on each unit's own team by group × item, marks on its cadres by group × subject), the
    rest aggregated from those cells in the same query."""
    dims = _team_dimensions(ctx)
    params: dict = {"tm": TEAM_MEMBER}
    clim = []
    for k, d in enumerate(dims):
        params[f"d{k}"] = d
        clim.append(
            f"least(greatest(sum(t.spos - o.off * t.n) FILTER (WHERE t.dimension = $d{k})"
            f" / sum(t.n) FILTER (WHERE t.dimension = $d{k}), 0), 1) * 100 AS climate_{k}"
        )
    out = ctx.df(
        f"""
        WITH cells AS MATERIALIZED (
            SELECT b.period_id, b.unit_id, b.rater_group, b.subject_type,
                   CASE WHEN b.subject_type = 'team' THEN b.item_id END AS item_id,
                   CASE WHEN b.subject_type = 'cadre' THEN b.subject_id END AS subject_id,
                   count(*) AS n, sum(b.score) AS s1, sum(b.score * b.score) AS s2,
                   sum((b.score - coalesce(i.scale_min, 1))
                       / (i.scale_max - coalesce(i.scale_min, 1))) AS spos
            FROM ballots b JOIN items i ON i.item_id = b.item_id
                 AND i.scale_max > coalesce(i.scale_min, 1)
            WHERE b.period_id IN {{periods}}
              AND (b.subject_type = 'cadre' OR b.subject_id = b.unit_id)
            GROUP BY ALL
        ), team AS MATERIALIZED (
            SELECT c.period_id, c.unit_id, c.rater_group, c.n, c.s1, c.s2, c.spos,
                   i.dimension, i.scale_max - coalesce(i.scale_min, 1) + 1 AS k,
                   CASE WHEN c.n >= 2
                        THEN greatest((c.s2 - c.s1 * c.s1 / c.n) / (c.n - 1), 0) END AS var
            FROM cells c JOIN items i ON i.item_id = c.item_id
            WHERE c.subject_type = 'team'
        ), tm AS (
            SELECT period_id, unit_id, max(n) AS tm_sheets,
                   avg(var / ((k * k - 1) / 12.0)) AS r_bar, count(var) AS n_items,
                   avg(sqrt(var)) AS tm_item_sd, sum(spos) / sum(n) * 100 AS tm_view,
                   sum(spos) FILTER (WHERE dimension = 'unity')
                       / sum(n) FILTER (WHERE dimension = 'unity') * 100 AS own_unity
            FROM team WHERE rater_group = $tm GROUP BY ALL
        ), oth AS (
            SELECT period_id, unit_id, sum(spos) / sum(n) * 100 AS others_view
            FROM team WHERE rater_group <> $tm GROUP BY ALL
        ), col AS (
            SELECT c.period_id, c.unit_id, c.subject_id,
                   sum(c.spos) FILTER (WHERE c.rater_group = $tm)
                       / sum(c.n) FILTER (WHERE c.rater_group = $tm)
                   - sum(c.spos) FILTER (WHERE c.rater_group <> $tm)
                       / sum(c.n) FILTER (WHERE c.rater_group <> $tm) AS gap
            FROM cells c JOIN cadres m ON m.cadre_id = c.subject_id
                 AND m.unit_id = c.unit_id AND m.tier = 'team'
            WHERE c.subject_type = 'cadre' GROUP BY ALL
        ), colg AS (
            SELECT period_id, unit_id, avg(gap) * 100 AS colleague_gap
            FROM col GROUP BY ALL
        ), grp AS (
            SELECT period_id, unit_id, rater_group, sum(spos) AS sp, sum(n) AS n
            FROM team GROUP BY ALL
        ), dif AS (
            SELECT period_id, rater_group, n,
                   sp / n - (sum(sp) OVER w - sp) / nullif(sum(n) OVER w - n, 0) AS d
            FROM grp WINDOW w AS (PARTITION BY period_id, unit_id)
        ), off AS (
            SELECT period_id, rater_group,
                   coalesce(sum(d * n) / nullif(sum(n) FILTER (WHERE d IS NOT NULL), 0), 0)
                       AS off
            FROM dif GROUP BY ALL
        ), clim AS (
            SELECT t.period_id, t.unit_id{"".join(", " + c for c in clim)}
            FROM team t JOIN off o USING (period_id, rater_group) GROUP BY ALL
        )
        SELECT * FROM clim
        FULL JOIN tm USING (period_id, unit_id)
        FULL JOIN oth USING (period_id, unit_id)
        FULL JOIN colg USING (period_id, unit_id)""",
        **params,
    )
    out = out.rename(columns={f"climate_{k}": f"climate_{d}" for k, d in enumerate(dims)})
    j = out["n_items"].astype(float)
    r = out["r_bar"]
    rwg = (j * (1 - r)) / (j * (1 - r) + r)
    out["rwg"] = rwg.where(r < 1, 0.0).where(j > 0)
    out["own_view_gap"] = out["tm_view"] - out["others_view"]
    out["tm_sheets"] = out["tm_sheets"].fillna(0).astype(int)
    floor = privacy.floor()
    below = out["tm_sheets"] < floor
    out.loc[below, ["rwg", "tm_item_sd", "own_unity", "own_view_gap", "colleague_gap"]] = np.nan
    out["x_tm_below_floor"] = below & (out["tm_sheets"] > 0)
    keep = [
        "period_id",
        "unit_id",
        "tm_sheets",
        "rwg",
        "tm_item_sd",
        "own_unity",
        "own_view_gap",
        "colleague_gap",
        "x_tm_below_floor",
        *[f"climate_{d}" for d in dims],
    ]
    return out[keep], dims


def _members_block(ctx: Context, sc: pd.DataFrame, z_q: float) -> pd.DataFrame:
    key = ["period_id", "unit_id"]
    m = (
        sc[sc["subject_type"] == "cadre"]
        .drop(columns=["unit_id"], errors="ignore")
        .merge(
            ctx.members[["cadre_id", "unit_id", "name", "role"]],
            left_on="subject_id",
            right_on="cadre_id",
        )
    )
    m = m[m["composite"].notna()]
    m["se2"] = ((m["ci_high"] - m["ci_low"]) / (2 * z_q)) ** 2
    g = m.groupby(key, observed=True)
    out = g.agg(
        n_scored=("composite", "count"),
        member_mean=("composite", "mean"),
        member_sd=("composite", "std"),
        lo=("composite", "min"),
        hi=("composite", "max"),
        se2=("se2", "sum"),
    )
    out["member_range"] = out["hi"] - out["lo"]
    out["member_mean_se"] = np.sqrt(out["se2"]) / out["n_scored"]
    low = m.loc[g["composite"].idxmin(), key + ["name", "composite"]].set_index(key)
    out["lowest_member"] = low["name"]
    out["lowest_composite"] = low["composite"]
    pr = (
        m[m["role"] == "principal"]
        .groupby(key, observed=True)
        .agg(
            principal_composite=("composite", "mean"),
            principal_ci_low=("ci_low", "mean"),
            principal_ci_high=("ci_high", "mean"),
            principal_name=("name", "first"),
        )
    )
    dep = (
        m[m["role"] == "deputy"]
        .groupby(key, observed=True)
        .agg(deputies_mean=("composite", "mean"), n_deputies=("composite", "count"))
    )
    out = out.join(pr, how="outer").join(dep, how="outer")
    out.loc[out["n_scored"] < 2, ["member_sd", "member_range"]] = np.nan
    out["principal_gap"] = out["principal_composite"] - out["deputies_mean"]
    out["principal_gap_clear"] = (
        (out["principal_gap"] < 0) & (out["principal_ci_high"] < out["deputies_mean"])
    ) | ((out["principal_gap"] > 0) & (out["principal_ci_low"] > out["deputies_mean"]))
    return out.drop(columns=["lo", "hi", "se2"]).reset_index()


def _structure(ctx: Context) -> pd.DataFrame:
    """Team-tier cadres' age, gender, education and tenure as of each period's end."""
    old, young = int(_cfg("old_age")), int(_cfg("young_age"))
    long_years = float(_cfg("long_tenure_years"))
    pg = " OR ".join(f"lower(c.education) LIKE '%{w}%'" for w in POSTGRAD_WORDS)
    return ctx.df(f"""
        WITH m AS (
            SELECT p.period_id, c.unit_id, c.cadre_id, c.gender,
                   year(p.end_date) - c.birth_year AS age,
                   CASE WHEN c.in_post_since IS NOT NULL THEN greatest(
                       date_diff('day', c.in_post_since, p.end_date), 0) / 365.25 END
                       AS tenure,
                   year(c.in_post_since) AS appt_year,
                   CASE WHEN c.education IS NULL THEN NULL WHEN {pg} THEN 1.0 ELSE 0.0 END
                       AS postgrad
            FROM cadres c CROSS JOIN periods p
            WHERE c.tier = 'team' AND p.period_id IN {{periods}}
        )
        SELECT period_id, unit_id, count(*) AS n_members, avg(age) AS mean_age,
               min(age) AS min_age, max(age) AS max_age,
               count(*) FILTER (WHERE gender = 'F') AS n_female,
               avg(CASE gender WHEN 'F' THEN 1.0 WHEN 'M' THEN 0.0 END) AS share_female,
               avg(postgrad) AS share_postgrad, avg(tenure) AS mean_tenure,
               max(tenure) AS max_tenure, count(DISTINCT appt_year) AS n_appointment_years,
               count(*) FILTER (WHERE tenure >= {long_years}) AS n_long_tenure,
               count(*) FILTER (WHERE age >= {old}) AS n_old,
               count(*) FILTER (WHERE age < {young}) AS n_young,
               count(gender) AS x_n_gender, count(age) AS x_n_age,
               count(postgrad) AS x_n_edu, count(tenure) AS x_n_since,
               least(count(gender), count(age), count(postgrad), count(tenure)) < count(*)
                   AS x_incomplete
        FROM m GROUP BY ALL""")


def _satisfaction(ctx: Context) -> pd.DataFrame:
    """The unit's satisfaction channel (analytics.channels.satisfaction: questionnaires and
    third party pooled by sample size) with ``source_gap`` = questionnaire − third party."""
    sat = channels.satisfaction(ctx)
    sat = sat[sat["subject_type"] == "team"].rename(columns={"subject_id": "unit_id"})
    return sat.assign(source_gap=sat["questionnaire"] - sat["third_party"])[
        ["period_id", "unit_id", "satisfaction", "questionnaire", "third_party", "source_gap"]
    ]


# ---- assembly -----------------------------------------------------------------------------
def _frame(ctx: Context, scores: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    key = ["period_id", "unit_id"]
    min_peers = int(_cfg("min_peers"))
    level = float(config.get("scores", "confidence"))
    z_q = float(stats.norm.ppf(1 - (1 - level) / 2))
    order = ctx.all_period_ids
    prev = {p: (order[order.index(p) - 1] if order.index(p) > 0 else None) for p in ctx.period_ids}
    need = list(dict.fromkeys([*ctx.period_ids, *[q for q in prev.values() if q]]))
    sc = _scores(ctx, scores, need)

    base = pd.DataFrame({"period_id": ctx.period_ids}).merge(
        ctx.units[["unit_id", "name", "unit_type", "area_id"]].rename(
            columns={"name": "unit_name"}
        ),
        how="cross",
    )
    base["peer_group"] = base["unit_type"] + " teams"

    team = sc[sc["subject_type"] == "team"][
        [
            "period_id",
            "subject_id",
            "composite",
            "ci_low",
            "ci_high",
            "rank",
            "rank_low",
            "rank_high",
            "peer_size",
        ]
    ].rename(
        columns={
            "subject_id": "unit_id",
            "composite": "team_composite",
            "ci_low": "team_ci_low",
            "ci_high": "team_ci_high",
            "rank": "team_rank",
            "rank_low": "team_rank_low",
            "rank_high": "team_rank_high",
        }
    )
    members = _members_block(ctx, sc, z_q)
    ballots, dims = _ballot_measures(ctx)
    df = (
        base.merge(team, on=key, how="left")
        .merge(members[members["period_id"].isin(ctx.period_ids)], on=key, how="left")
        .merge(ballots, on=key, how="left")
        .merge(_structure(ctx), on=key, how="left")
        .merge(_satisfaction(ctx), on=key, how="left")
        .merge(_talks(ctx), on=key, how="left")
    )
    for c in (
        "n_talks",
        "mentions",
        "mentions_positive",
        "mentions_neutral",
        "mentions_negative",
        "n_members",
        "tm_sheets",
        "n_scored",
        "n_deputies",
    ):
        df[c] = df[c].fillna(0).astype(int)
    df["mentions_by_topic"] = df["mentions_by_topic"].fillna("")
    with np.errstate(invalid="ignore", divide="ignore"):
        df["share_negative"] = df["mentions_negative"] / df["mentions"].where(df["mentions"] > 0)
    df["talk_p"] = np.where(
        df["mentions"] > 0,
        stats.binom.sf(
            df["mentions_negative"] - 1, df["mentions"], df["city_share_negative"].fillna(0.5)
        ),
        np.nan,
    )

    # trend
    df = df.copy()
    df["prev_period_id"] = df["period_id"].map(prev)
    tprev = team.rename(
        columns={
            "period_id": "prev_period_id",
            "team_composite": "_pc",
            "team_ci_low": "_plo",
            "team_ci_high": "_phi",
        }
    )[["prev_period_id", "unit_id", "_pc", "_plo", "_phi"]]
    mprev = members.rename(
        columns={"period_id": "prev_period_id", "member_mean": "_pm", "member_mean_se": "_pmse"}
    )[["prev_period_id", "unit_id", "_pm", "_pmse"]]
    df = df.merge(tprev, on=["prev_period_id", "unit_id"], how="left").merge(
        mprev, on=["prev_period_id", "unit_id"], how="left"
    )
    df["prev_composite"] = df["_pc"]
    df["composite_change"] = df["team_composite"] - df["_pc"]
    se1 = (df["team_ci_high"] - df["team_ci_low"]) / (2 * z_q)
    se0 = (df["_phi"] - df["_plo"]) / (2 * z_q)
    se = np.sqrt(se1**2 + se0**2)
    df["change_z"] = (df["composite_change"] / se.where(se > 0)).where(
        ~((se == 0) & df["composite_change"].notna()), np.sign(df["composite_change"]) * np.inf
    )
    df["change_clear"] = df["change_z"].abs() >= z_q
    df["members_change"] = df["member_mean"] - df["_pm"]
    mse = np.sqrt(df["member_mean_se"] ** 2 + df["_pmse"] ** 2)
    df["members_change_z"] = df["members_change"] / mse.where(mse > 0)
    df["members_change_clear"] = df["members_change_z"].abs() >= z_q

    # comparisons
    city = ["rwg", "own_unity", "own_view_gap", "colleague_gap", "source_gap"]
    peers = [
        "member_sd",
        "mean_age",
        "share_female",
        "share_postgrad",
        "mean_tenure",
        "satisfaction",
        *[f"climate_{d}" for d in dims],
    ]
    df = pd.concat(
        [df, _compare(df, city, "city", min_peers), _compare(df, peers, "peers", min_peers)], axis=1
    )
    df = df.rename(columns={"mean_age_z": "age_z", "mean_tenure_z": "tenure_z"})
    return df, dims


# ---- reasons ------------------------------------------------------------------------------
def _basis_txt(basis: str, unit_type: str) -> tuple[str, str]:
    if basis == "peers":
        return f"peer teams ({unit_type})", "同类班子"
    return "teams across the city", "全市班子"


def _reasons(df: pd.DataFrame, dims: list[str], items: pd.DataFrame) -> pd.DataFrame:
    zw, zc = float(_cfg("z_watch")), float(_cfg("z_concern"))
    floor = float(_cfg("floor_position"))
    rows: list[dict] = []
    names = list(df.columns)
    values = df.to_numpy(dtype=object)
    row_cache: dict[int, SimpleNamespace] = {}

    def add(mask, code, group, level, value, ref, en, zh):
        for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool)):
            r = row_cache.get(i)
            if r is None:
                r = row_cache[i] = SimpleNamespace(**dict(zip(names, values[i], strict=True)))
            lv = level(r) if callable(level) else level
            rows.append(
                {
                    "period_id": r.period_id,
                    "unit_id": r.unit_id,
                    "code": code,
                    "group": group,
                    "level": lv,
                    "value": value(r),
                    "reference": ref(r),
                    "text_en": en(r),
                    "text_zh": zh(r),
                }
            )

    def low_z(col, code, group, name_en, name_zh, fmt="{:.1f}", floor_abs=None, can_concern=True):
        z = df[f"{col}_z"]
        mask = z <= -zw
        if floor_abs is not None:
            mask = mask | (df[col] < floor_abs)

        def level(r):
            zz = getattr(r, f"{col}_z")
            bad_abs = floor_abs is not None and getattr(r, col) < floor_abs
            deep = can_concern and pd.notna(zz) and zz <= -zc
            return "concern" if bad_abs or deep else "watch"

        def en(r):
            b_en, _ = _basis_txt(getattr(r, f"x_{col}_basis"), r.unit_type)
            pct = getattr(r, f"{col}_pct")
            v = fmt.format(getattr(r, col))
            if pd.isna(pct):
                return f"{name_en} {v} is below the absolute floor ({floor_abs:.0f} of 100)."
            extra = (
                f"; below the absolute floor ({floor_abs:.0f} of 100)"
                if floor_abs is not None and getattr(r, col) < floor_abs
                else ""
            )
            return (
                f"{name_en} {v} is low among {b_en} ({_ordinal(pct)} percentile, "
                f"z {getattr(r, f'{col}_z'):+.1f}){extra}."
            )

        def zh(r):
            _, b_zh = _basis_txt(getattr(r, f"x_{col}_basis"), r.unit_type)
            pct = getattr(r, f"{col}_pct")
            v = fmt.format(getattr(r, col))
            if pd.isna(pct):
                return f"{name_zh}{v}，低于绝对下限（{floor_abs:.0f}分，满分100）"
            extra = (
                f"，且低于绝对下限（{floor_abs:.0f}分，满分100）"
                if floor_abs is not None and getattr(r, col) < floor_abs
                else ""
            )
            return (
                f"{name_zh}{v}，低于{b_zh}（第{_pct_shown(pct)}百分位，标准分"
                f"{getattr(r, f'{col}_z'):+.1f}）{extra}"
            )

        add(
            mask,
            code,
            group,
            level,
            lambda r: getattr(r, col),
            lambda r: getattr(r, f"{col}_pct"),
            en,
            zh,
        )

    # cohesion
    low_z(
        "own_unity",
        "own_unity_low",
        "cohesion",
        "Team members' own rating of unity (0-100)",
        "班子成员对本班子团结协作的评价",
        "{:.0f}",
        floor_abs=floor,
    )
    low_z(
        "rwg",
        "agreement_low",
        "cohesion",
        "Agreement among team members on the team items (rwg)",
        "班子成员对班子测评项目的评价一致性（rwg）",
        "{:.2f}",
        can_concern=False,
    )
    low_z(
        "own_view_gap",
        "own_view_low",
        "cohesion",
        "How team members rate their team relative to other raters (gap, points)",
        "班子成员自评班子与其他测评主体评价之差（分）",
        "{:+.1f}",
        can_concern=False,
    )
    low_z(
        "colleague_gap",
        "colleague_ratings_low",
        "cohesion",
        "Team members' ratings of their colleagues relative to other raters (gap, points)",
        "班子成员互评与其他测评主体评价之差（分）",
        "{:+.1f}",
        can_concern=False,
    )
    # climate
    lab = items[items["subject_type"] == "team"].drop_duplicates("dimension").set_index("dimension")
    for d in dims:
        en_l = lab["label_en"].get(d, d) if len(lab) else d
        zh_l = lab["label_zh"].get(d, d) if len(lab) else d
        low_z(
            f"climate_{d}",
            f"climate_low_{d}",
            "climate",
            f"{en_l} score",
            f"{zh_l}得分",
            "{:.0f}",
            floor_abs=floor,
        )
    low_z(
        "satisfaction",
        "satisfaction_low",
        "satisfaction",
        "Satisfaction (questionnaires and third party)",
        "满意度（问卷和第三方）",
        "{:.1f}",
    )
    sg = float(_cfg("source_gap_z"))
    add(
        df["source_gap_z"].abs() >= sg,
        "satisfaction_sources_disagree",
        "satisfaction",
        "info",
        lambda r: r.source_gap,
        lambda r: r.source_gap_z,
        lambda r: (
            f"Questionnaires ({r.questionnaire:.1f}) and third-party satisfaction "
            f"({r.third_party:.1f}) disagree (z {r.source_gap_z:+.1f} vs the city)."
        ),
        lambda r: (
            f"问卷满意度（{r.questionnaire:.1f}）与第三方满意度（{r.third_party:.1f}）"
            f"差异明显（标准分{r.source_gap_z:+.1f}）"
        ),
    )
    # spread
    add(
        df["member_sd_z"] >= zw,
        "spread_high",
        "spread",
        "watch",
        lambda r: r.member_sd,
        lambda r: r.member_sd_pct,
        lambda r: (
            f"Members' composites are uneven: SD {r.member_sd:.1f}, range "
            f"{r.member_range:.1f} ({_ordinal(r.member_sd_pct)} percentile of "
            f"{_basis_txt(r.x_member_sd_basis, r.unit_type)[0]}); lowest "
            f"{r.lowest_member} {r.lowest_composite:.1f}."
        ),
        lambda r: (
            f"班子成员综合得分分化明显：标准差{r.member_sd:.1f}，极差"
            f"{r.member_range:.1f}（{_basis_txt(r.x_member_sd_basis, r.unit_type)[1]}"
            f"第{_pct_shown(r.member_sd_pct)}百分位）；最低为{r.lowest_member}"
            f"（{r.lowest_composite:.1f}）"
        ),
    )
    # principal vs deputies
    pg = float(_cfg("principal_gap_watch"))
    add(
        (df["principal_gap"] <= -pg) & df["principal_gap_clear"],
        "principal_below_deputies",
        "principal",
        "watch",
        lambda r: r.principal_gap,
        lambda r: r.deputies_mean,
        lambda r: (
            f"The principal ({r.principal_name}, {r.principal_composite:.1f}) scores "
            f"{-r.principal_gap:.1f} points below the deputies' mean "
            f"({r.deputies_mean:.1f}), beyond the score's uncertainty."
        ),
        lambda r: (
            f"主要负责人（{r.principal_name}，{r.principal_composite:.1f}）低于副职平均"
            f"（{r.deputies_mean:.1f}）{-r.principal_gap:.1f}分，超出得分不确定范围"
        ),
    )
    add(
        (df["principal_gap"] >= 1.5 * pg) & df["principal_gap_clear"],
        "principal_far_above_deputies",
        "principal",
        "info",
        lambda r: r.principal_gap,
        lambda r: r.deputies_mean,
        lambda r: (
            f"The principal ({r.principal_composite:.1f}) is {r.principal_gap:.1f} "
            f"points above the deputies' mean ({r.deputies_mean:.1f}): a thin "
            "deputy bench."
        ),
        lambda r: (
            f"主要负责人（{r.principal_composite:.1f}）高出副职平均"
            f"（{r.deputies_mean:.1f}）{r.principal_gap:.1f}分，副职力量偏弱"
        ),
    )
    # structure (info)
    old, young = int(_cfg("old_age")), int(_cfg("young_age"))
    ly = float(_cfg("long_tenure_years"))
    full = df["n_members"] > 0
    struct = [
        (
            full & (df["x_n_gender"] == df["n_members"]) & (df["n_female"] == 0),
            "no_woman",
            lambda r: 0,
            lambda r: r.share_female_pct,
            lambda r: "No woman on the team.",
            lambda r: "班子中无女性成员",
        ),
        (
            full & (df["x_n_edu"] == df["n_members"]) & (df["share_postgrad"] == 0),
            "no_postgraduate",
            lambda r: 0,
            lambda r: r.share_postgrad_pct,
            lambda r: "No member with a postgraduate degree.",
            lambda r: "班子中无研究生学历成员",
        ),
        (
            full & (df["x_n_age"] == df["n_members"]) & (df["min_age"] >= old),
            "all_over_age",
            lambda r: r.min_age,
            lambda r: old,
            lambda r: f"Every member is {old} or older (youngest {r.min_age:.0f}).",
            lambda r: f"班子成员均在{old}岁及以上（最小{r.min_age:.0f}岁）",
        ),
        (
            full
            & (df["x_n_age"] == df["n_members"])
            & (df["n_young"] == 0)
            & (df["min_age"] < old),
            "no_young_member",
            lambda r: r.min_age,
            lambda r: young,
            lambda r: f"No member under {young} (youngest {r.min_age:.0f}).",
            lambda r: f"班子中无{young}岁以下成员（最小{r.min_age:.0f}岁）",
        ),
        (
            df["age_z"] >= zw,
            "older_than_peers",
            lambda r: r.mean_age,
            lambda r: r.age_z,
            lambda r: (
                f"Mean age {r.mean_age:.1f} is high among "
                f"{_basis_txt(r.x_mean_age_basis, r.unit_type)[0]} (z {r.age_z:+.1f})."
            ),
            lambda r: (
                f"平均年龄{r.mean_age:.1f}岁，高于"
                f"{_basis_txt(r.x_mean_age_basis, r.unit_type)[1]}（标准分{r.age_z:+.1f}）"
            ),
        ),
        (
            full
            & (df["x_n_since"] == df["n_members"])
            & (df["n_members"] >= 3)
            & (df["n_appointment_years"] == 1),
            "same_year_appointed",
            lambda r: r.n_appointment_years,
            lambda r: np.nan,
            lambda r: "Every member took up the post in the same year.",
            lambda r: "班子成员均为同一年任职",
        ),
        (
            df["n_long_tenure"] > 0,
            "long_tenure",
            lambda r: r.n_long_tenure,
            lambda r: ly,
            lambda r: (
                f"{r.n_long_tenure:.0f} member(s) {ly:.0f} years or longer in the post "
                f"(longest {r.max_tenure:.1f})."
            ),
            lambda r: f"{r.n_long_tenure:.0f}名成员任现职满{ly:.0f}年（最长{r.max_tenure:.1f}年）",
        ),
    ]
    for mask, code, value, ref, en, zh in struct:
        add(mask, code, "structure", "info", value, ref, en, zh)
    # trend
    tw, tc = float(_cfg("trend_watch_points")), float(_cfg("trend_concern_points"))
    add(
        df["change_clear"] & (df["composite_change"] <= -tw),
        "composite_decline",
        "trend",
        lambda r: "concern" if r.composite_change <= -tc else "watch",
        lambda r: r.composite_change,
        lambda r: r.prev_composite,
        lambda r: (
            f"Team composite fell {-r.composite_change:.1f} points since "
            f"{r.prev_period_id} ({r.prev_composite:.1f} → {r.team_composite:.1f}), "
            f"beyond the bootstrap uncertainty (z {r.change_z:+.1f})."
        ),
        lambda r: (
            f"班子综合得分较{r.prev_period_id}下降{-r.composite_change:.1f}分"
            f"（{r.prev_composite:.1f}→{r.team_composite:.1f}），超出抽样不确定范围"
        ),
    )
    add(
        df["members_change_clear"] & (df["members_change"] <= -tw),
        "members_decline",
        "trend",
        "watch",
        lambda r: r.members_change,
        lambda r: r.members_change_z,
        lambda r: (
            f"Members' mean composite fell {-r.members_change:.1f} points since "
            f"{r.prev_period_id}, beyond the bootstrap uncertainty."
        ),
        lambda r: (
            f"班子成员平均得分较{r.prev_period_id}下降{-r.members_change:.1f}分，超出抽样不确定范围"
        ),
    )
    add(
        df["change_clear"] & (df["composite_change"] >= tw),
        "composite_rise",
        "trend",
        "info",
        lambda r: r.composite_change,
        lambda r: r.prev_composite,
        lambda r: (
            f"Team composite rose {r.composite_change:.1f} points since "
            f"{r.prev_period_id} ({r.prev_composite:.1f} → {r.team_composite:.1f})."
        ),
        lambda r: (
            f"班子综合得分较{r.prev_period_id}上升{r.composite_change:.1f}分"
            f"（{r.prev_composite:.1f}→{r.team_composite:.1f}）"
        ),
    )
    # talks
    pw, pc = float(_cfg("talk_p_watch")), float(_cfg("talk_p_concern"))
    mn = int(_cfg("talk_min_negative"))
    add(
        (df["talk_p"] <= pw)
        & (df["mentions_negative"] >= mn)
        & (df["share_negative"] > df["city_share_negative"]),
        "talk_negative_high",
        "talks",
        lambda r: "concern" if r.talk_p <= pc else "watch",
        lambda r: r.share_negative,
        lambda r: r.city_share_negative,
        lambda r: (
            f"Talks: {r.mentions_negative} of {r.mentions} mentions of the team and its "
            f"members negative ({r.share_negative:.0%} vs the city's "
            f"{r.city_share_negative:.0%}, p {r.talk_p:.2g}); mostly "
            f"{r.x_neg_topics_en}."
        ),
        lambda r: (
            f"个别谈话中涉及班子及成员的{r.mentions}条意见有{r.mentions_negative}条负面"
            f"（{r.share_negative:.0%}，全市为{r.city_share_negative:.0%}，"
            f"p = {r.talk_p:.2g}），主要涉及{r.x_neg_topics_zh}"
        ),
    )
    cols = [
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
    out = pd.DataFrame(rows, columns=cols)

    # escalations: structure gaps together, several watch signals
    sw = int(_cfg("structure_gaps_watch"))
    s = (
        out[out["group"] == "structure"]
        .groupby(["period_id", "unit_id"])
        .agg(n=("code", "size"), en=("text_en", " ".join), zh=("text_zh", "；".join))
    )
    s = s[s["n"] >= sw].reset_index()
    esc = [
        pd.DataFrame(
            {
                "period_id": s["period_id"],
                "unit_id": s["unit_id"],
                "code": "structure_unbalanced",
                "group": "structure",
                "level": "watch",
                "value": s["n"],
                "reference": sw,
                "text_en": s["n"].astype(str) + " structural gaps at once: " + s["en"],
                "text_zh": "班子结构存在" + s["n"].astype(str) + "项短板：" + s["zh"],
            }
        )
    ]
    out = pd.concat([out, *esc], ignore_index=True) if len(s) else out
    w2c = int(_cfg("watch_to_concern"))
    watch = out[out["level"] == "watch"]
    cnt = watch.groupby(["period_id", "unit_id"])["group"].nunique().rename("n").reset_index()
    worst = out[out["level"] == "concern"][["period_id", "unit_id"]].drop_duplicates()
    cnt = cnt.merge(worst.assign(has=True), on=["period_id", "unit_id"], how="left")
    sev = cnt[cnt["has"].isna() & (cnt["n"] >= w2c)]
    if len(sev):
        out = pd.concat(
            [
                out,
                pd.DataFrame(
                    {
                        "period_id": sev["period_id"],
                        "unit_id": sev["unit_id"],
                        "code": "several_watch_signals",
                        "group": "verdict",
                        "level": "concern",
                        "value": sev["n"],
                        "reference": w2c,
                        "text_en": "Watch signals in "
                        + sev["n"].astype(str)
                        + " separate areas at once "
                        "(threshold " + str(w2c) + ").",
                        "text_zh": "同时在"
                        + sev["n"].astype(str)
                        + "个方面出现需关注信号（阈值"
                        + str(w2c)
                        + "个）",
                    }
                ),
            ],
            ignore_index=True,
        )
    out["_rank"] = out["level"].map({"concern": 0, "watch": 1, "info": 2})
    out = out.sort_values(["period_id", "unit_id", "_rank", "group", "code"]).drop(columns="_rank")
    return out.reset_index(drop=True)


def _missing(df: pd.DataFrame) -> pd.Series:
    mp = int(_cfg("min_peers"))
    conds = {
        "no_team_composite": df["team_composite"].isna(),
        "no_member_scores": df["n_scored"] < 2,
        "no_principal_score": df["principal_composite"].isna(),
        "no_deputy_scores": df["deputies_mean"].isna(),
        "no_team_ballots": df["climate_overall"].isna()
        if "climate_overall" in df
        else pd.Series(True, index=df.index),
        "team_member_sheets_below_floor": df["x_tm_below_floor"].fillna(False).astype(bool),
        "no_satisfaction": df["satisfaction"].isna(),
        "no_questionnaire": df["questionnaire"].isna() & df["satisfaction"].notna(),
        "no_third_party": df["third_party"].isna() & df["satisfaction"].notna(),
        "no_previous_period": df["prev_composite"].isna(),
        "no_talks": df["n_talks"] == 0,
        "structure_incomplete": df["x_incomplete"].fillna(False).astype(bool),
        "few_peers": df.groupby(["period_id", "unit_type"])["unit_id"].transform("size") < mp,
    }
    if "climate_overall" not in df:
        clim = [
            c for c in df.columns if c.startswith("climate_") and not c.endswith(("_z", "_pct"))
        ]
        conds["no_team_ballots"] = (
            df[clim].isna().all(axis=1) if clim else pd.Series(True, index=df.index)
        )
    m = pd.DataFrame({k: v.fillna(False).astype(bool) for k, v in conds.items()})
    codes = list(m.columns)
    arr = m.to_numpy()
    return pd.Series(
        [";".join(c for c, f in zip(codes, row, strict=True) if f) for row in arr], index=df.index
    )


def _compute(ctx: Context, scores: pd.DataFrame | None):
    df, dims = _frame(ctx, scores)
    reasons = _reasons(df, dims, ctx.items)
    key = ["period_id", "unit_id"]
    g = reasons.groupby(key, sort=False)
    agg = pd.DataFrame(
        {
            "reason_codes": g["code"].agg(";".join),
            "reasons_en": g["text_en"].agg(" | ".join),
            "reasons_zh": g["text_zh"].agg("；".join),
            "n_concern": (reasons["level"] == "concern").groupby([reasons[k] for k in key]).sum(),
            "n_watch": (reasons["level"] == "watch").groupby([reasons[k] for k in key]).sum(),
        }
    ).reset_index()
    df = df.merge(agg, on=key, how="left").copy()
    df[["n_concern", "n_watch"]] = df[["n_concern", "n_watch"]].fillna(0).astype(int)
    df["verdict"] = np.where(
        df["n_concern"] > 0, "concern", np.where(df["n_watch"] > 0, "watch", "good")
    )
    for c in ("reason_codes", "reasons_en", "reasons_zh"):
        df[c] = df[c].fillna("")
    df["missing"] = _missing(df)
    lab = {k: v for k, v in MISSING.items()}
    split = df["missing"].str.split(";")
    df["missing_en"] = split.apply(lambda cs: "; ".join(lab[c][0] for c in cs if c))
    df["missing_zh"] = split.apply(lambda cs: "；".join(lab[c][1] for c in cs if c))
    clim = [f"climate_{d}{s}" for d in dims for s in ("", "_z", "_pct")]
    cols = [
        "period_id",
        "unit_id",
        "unit_name",
        "unit_type",
        "area_id",
        "peer_group",
        "verdict",
        "n_concern",
        "n_watch",
        "reason_codes",
        "reasons_en",
        "reasons_zh",
        "missing",
        "missing_en",
        "missing_zh",
        "team_composite",
        "team_ci_low",
        "team_ci_high",
        "team_rank",
        "team_rank_low",
        "team_rank_high",
        "peer_size",
        # cohesion
        "tm_sheets",
        "rwg",
        "rwg_z",
        "rwg_pct",
        "tm_item_sd",
        "own_unity",
        "own_unity_z",
        "own_unity_pct",
        "own_view_gap",
        "own_view_gap_z",
        "own_view_gap_pct",
        "colleague_gap",
        "colleague_gap_z",
        "colleague_gap_pct",
        # spread and principal
        "n_members",
        "n_scored",
        "member_mean",
        "member_sd",
        "member_sd_z",
        "member_sd_pct",
        "member_range",
        "lowest_member",
        "lowest_composite",
        "principal_name",
        "principal_composite",
        "n_deputies",
        "deputies_mean",
        "principal_gap",
        "principal_gap_clear",
        # structure
        "mean_age",
        "min_age",
        "max_age",
        "age_z",
        "n_female",
        "share_female",
        "share_female_pct",
        "share_postgrad",
        "share_postgrad_pct",
        "mean_tenure",
        "max_tenure",
        "tenure_z",
        "n_appointment_years",
        "n_long_tenure",
        # climate
        *clim,
        "satisfaction",
        "satisfaction_z",
        "satisfaction_pct",
        "questionnaire",
        "third_party",
        "source_gap",
        "source_gap_z",
        # trend
        "prev_period_id",
        "prev_composite",
        "composite_change",
        "change_z",
        "change_clear",
        "members_change",
        "members_change_z",
        "members_change_clear",
        # talks
        "n_talks",
        "mentions",
        "mentions_positive",
        "mentions_neutral",
        "mentions_negative",
        "share_negative",
        "city_share_negative",
        "talk_p",
        "mentions_by_topic",
    ]
    df = df[cols].sort_values(["period_id", "unit_id"]).reset_index(drop=True)
    df["principal_gap_clear"] = df["principal_gap_clear"].fillna(False).astype(bool)
    for c in ("change_clear", "members_change_clear"):
        df[c] = df[c].fillna(False).astype(bool)
    return df, reasons


def _cached(ctx: Context, scores: pd.DataFrame | None):
    if scores is not None:
        return _compute(ctx, scores)
    return ctx.memo("team_health", lambda: _compute(ctx, None))


def team_health(ctx: Context, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per team (unit) and analysed period: measures, verdict and reasons (see the
    module docstring for every column's method)."""
    return _cached(ctx, scores)[0]


def team_health_reasons(ctx: Context, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every reason, one per row: period_id, unit_id, code, group (cohesion, spread,
    principal, structure, climate, trend, talks, verdict), level (info | watch | concern),
    value (the measure), reference (its percentile, threshold or comparison value),
    text_en, text_zh.  Worst first within a team-period."""
    return _cached(ctx, scores)[1]


def team_members(
    ctx: Context, unit_id: str, period_id: str, scores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The team page's member list: every team member of the unit with name, position, role,
    composite, ci_low / ci_high, rank and rank interval among peers, peer group, the four
    channel values and the channels missing; principal first, then deputies, then members."""
    from analytics.scores import CHANNELS

    mem = ctx.members[ctx.members["unit_id"] == unit_id][
        [
            "cadre_id",
            "name",
            "position",
            "role",
            "gender",
            "birth_year",
            "education",
            "in_post_since",
        ]
    ]
    sc = _scores(ctx, scores, [period_id])
    sc = sc[(sc["subject_type"] == "cadre") & (sc["period_id"] == period_id)][
        [
            "subject_id",
            "peer_group",
            "composite",
            "ci_low",
            "ci_high",
            "rank",
            "rank_low",
            "rank_high",
            "peer_size",
            *CHANNELS,
            "missing_channels",
        ]
    ]
    out = mem.merge(sc, left_on="cadre_id", right_on="subject_id", how="left").drop(
        columns="subject_id"
    )
    out.insert(0, "period_id", period_id)
    out["_r"] = out["role"].map({"principal": 0, "deputy": 1, "member": 2}).fillna(3)
    return out.sort_values(["_r", "cadre_id"]).drop(columns="_r").reset_index(drop=True)
