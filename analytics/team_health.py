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
change_driven_by_flags         info        |Δ| ≥ trend_watch_points, clear only with the
                                           flagged sheets (analytics.changes: "flagged")
critical_flags, warning_flags  concern/    flags on the unit, team, members, rater groups,
flags_discounted,              watch/info  sheets; see analytics.team_health_flags
flagged_sheets_decisive,
process_flags, rank_bottom
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

Modules: this one holds the interface and the verdict; the measures are computed in
``team_health_measures``, the reasons and the missing-data codes in ``team_health_rules``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.context import Context
from analytics.team_health_flags import flag_reasons
from analytics.team_health_measures import _frame, _scores
from analytics.team_health_rules import _missing, _reasons

LEVELS = ("info", "watch", "concern")
VERDICTS = ("good", "watch", "concern")
TOPICS = ("responsibility", "competence", "unity", "style", "integrity", "other")
STANCES = ("positive", "neutral", "negative")

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


def _compute(ctx: Context, scores: pd.DataFrame | None, flags: pd.DataFrame | None = None):
    if flags is None:
        from analytics.flags import run_all

        flags = ctx.memo("flags", lambda: run_all(ctx))
    if scores is None:
        from analytics.scores import compute_scores

        scores = ctx.memo("scores", lambda: compute_scores(ctx))
    if "composite_excl_flagged" not in scores:  # not from the results: add the flag-aware
        from analytics.scores_flagged import add_flag_aware

        scores = add_flag_aware(ctx, scores, flags)
    sc = scores
    df, dims = _frame(ctx, sc)
    names = dict(zip(ctx.cadres["cadre_id"].astype(str), ctx.cadres["name"], strict=True))
    reasons = pd.concat(
        [_reasons(df, dims, ctx.items), flag_reasons(df, flags, sc, names)], ignore_index=True
    )
    rank = reasons["level"].map({"concern": 0, "watch": 1, "info": 2})
    reasons = (
        reasons.assign(_rank=rank)
        .sort_values(["period_id", "unit_id", "_rank", "group", "code"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
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
        "change_flagged",
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
    for c in ("change_clear", "change_flagged", "members_change_clear"):
        df[c] = df[c].fillna(False).astype(bool)
    return df, reasons


def _cached(ctx: Context, scores: pd.DataFrame | None, flags: pd.DataFrame | None = None):
    if scores is not None or flags is not None:
        return _compute(ctx, scores, flags)
    return ctx.memo("team_health", lambda: _compute(ctx, None))


def team_health_with_reasons(
    ctx: Context, scores: pd.DataFrame | None = None, flags: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables at once (what the results compute: one pass)."""
    return _cached(ctx, scores, flags)


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
    from analytics.channels import STANDING
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
            *STANDING,
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
