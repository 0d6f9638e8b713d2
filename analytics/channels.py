"""Channel scores on 0–100 per subject (team or cadre) and period.

Each function returns one frame keyed by (period_id, subject_type, subject_id) with the
channel's value on a 0–100 scale (higher = better) and the sample it rests on, so the
composite (analytics.scores) can weight, standardise and bootstrap them.

* **democratic** — from the ballot sheets, adjusted for who rated: the many-facet Rasch
  "fair average" (analytics.rater_model: the expected mark from a rater group of average
  severity on an item of average difficulty), on 0–100 (0 = the scale minimum, 100 = the
  top).  ``adjusted`` is the simpler check beside it: the sheets' mean position after
  removing each rater group's city-wide offset (:func:`group_offsets`); the bootstrap uses
  its sampling variation.
* **performance** — marts/performance_attainment.sql: a unit's weighted indicator attainment
  Σ w·score/max ÷ Σ w × 100 over its unit indicators; a cadre's combines their portfolio
  indicators with the unit's (``scores.cadre_portfolio_share`` of the portfolio, default
  0.5; the unit's alone when the cadre has no portfolio indicator).  ``portfolio`` keeps
  the cadre's own part.
Scored subjects are teams and team members (tier ``team``); other cadres are not scored.

* **satisfaction** — marts/unit_satisfaction.sql: a unit's questionnaires (each
  respondent's mean answer on 0–100, then the mean over respondents; weight = respondents)
  and third-party results (weight = sample size), pooled by sample size.  Satisfaction is a
  property of the unit: its cadres carry their unit's value.
* **superior** — marts/superior.sql: superior departments' ratings on 0–100 from the
  schema's scale, averaged.
"""

from __future__ import annotations

import pandas as pd

from analytics import config
from analytics.context import Context

KEY = ["period_id", "subject_type", "subject_id"]
# a subject's standing among its peers (analytics.scores): the composite with its interval,
# the rank with its interval, and the size of the peer group
STANDING = ("composite", "ci_low", "ci_high", "rank", "rank_low", "rank_high", "peer_size")


def _memoised(fn):
    """Compute a channel once per context (key ("channel", name), shared by every user)."""

    def wrapper(ctx: Context) -> pd.DataFrame:
        return ctx.memo(("channel", fn.__name__), lambda: fn(ctx))

    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def group_offsets(ctx: Context) -> pd.DataFrame:
    """Each rater group's city-wide leniency per period: the mean difference between its
    sheets' position on a subject and the other groups' mean position on that subject,
    weighted by its sheets and averaged over the subjects it rates (0–1 scale units;
    positive = lenient)."""

    def build() -> pd.DataFrame:
        ss = ctx.sheet_subject
        by = (
            ss.groupby(["period_id", "subject_type", "subject_id", "rater_group"], observed=True)[
                "pos"
            ]
            .agg(["sum", "count"])
            .reset_index()
        )
        tot = by.groupby(KEY, observed=True)[["sum", "count"]].transform("sum")
        others_n = tot["count"] - by["count"]
        diff = by["sum"] / by["count"] - (tot["sum"] - by["sum"]) / others_n.where(others_n > 0)
        by = by.assign(wdiff=diff * by["count"], w=by["count"].where(diff.notna(), 0))
        agg = by.groupby(["period_id", "rater_group"], observed=True)[["wdiff", "w"]].sum()
        return (agg["wdiff"] / agg["w"]).rename("offset").reset_index()

    return ctx.memo("group_offsets", build)


def sheet_adjusted(ctx: Context) -> pd.DataFrame:
    """sheet_subject with ``adj`` = the sheet's position on the subject minus its rater
    group's city-wide offset, clipped to 0–1 (what the democratic channel averages)."""

    def build() -> pd.DataFrame:
        ss = ctx.sheet_subject.merge(
            group_offsets(ctx), on=["period_id", "rater_group"], how="left"
        )
        ss["adj"] = (ss["pos"] - ss["offset"].fillna(0)).clip(0, 1)
        return ss

    return ctx.memo("sheet_adjusted", build)


@_memoised
def democratic(ctx: Context) -> pd.DataFrame:
    """Democratic channel (0–100): the rater model's fair average (analytics.rater_model),
    with the raw mean position, the group-adjusted mean, sheets and rater groups counted."""
    from analytics import rater_model

    ss = sheet_adjusted(ctx)
    out = (
        ss.groupby(KEY, observed=True)
        .agg(
            adjusted=("adj", "mean"),
            raw=("pos", "mean"),
            n_sheets=("ballot_id", "nunique"),
            n_groups=("rater_group", "nunique"),
        )
        .reset_index()
    )
    out[["adjusted", "raw"]] *= 100
    fair = rater_model.fair_democratic(ctx).rename(columns={"fair_100": "democratic"})
    return out.merge(fair, on=KEY, how="left")


@_memoised
def performance(ctx: Context) -> pd.DataFrame:
    share = float(config.get("scores", "cadre_portfolio_share"))
    perf = ctx.mart("performance_attainment")
    unit = perf[perf["cadre_id"].isna()][["period_id", "unit_id", "attain", "n_indicators"]]
    teams = unit.rename(columns={"unit_id": "subject_id", "attain": "performance"})
    teams.insert(1, "subject_type", "team")
    port = perf[perf["cadre_id"].isin(ctx.members["cadre_id"])].rename(
        columns={"attain": "portfolio", "n_indicators": "n_port"}
    )
    cad = ctx.members[["cadre_id", "unit_id"]].merge(
        unit[["period_id", "unit_id", "attain", "n_indicators"]], on="unit_id"
    )
    cad = cad.merge(
        port[["period_id", "cadre_id", "portfolio", "n_port"]],
        on=["period_id", "cadre_id"],
        how="outer",
    )
    both = cad["portfolio"].notna() & cad["attain"].notna()
    cad["performance"] = cad["attain"].where(cad["portfolio"].isna(), cad["portfolio"])
    cad.loc[both, "performance"] = (
        share * cad.loc[both, "portfolio"] + (1 - share) * cad.loc[both, "attain"]
    )
    cad["n_indicators"] = cad["n_indicators"].fillna(0) + cad["n_port"].fillna(0)
    cadres = cad.rename(columns={"cadre_id": "subject_id"})[
        ["period_id", "subject_id", "performance", "n_indicators", "portfolio"]
    ]
    cadres.insert(1, "subject_type", "cadre")
    out = pd.concat([teams[KEY + ["performance", "n_indicators"]], cadres], ignore_index=True)
    return out.dropna(subset=["performance"])


@_memoised
def satisfaction(ctx: Context) -> pd.DataFrame:
    units = ctx.mart("unit_satisfaction")[
        ["period_id", "unit_id", "satisfaction", "n_pooled", "questionnaire", "third_party"]
    ].rename(columns={"n_pooled": "n_respondents"})
    teams = units.rename(columns={"unit_id": "subject_id"}).assign(subject_type="team")
    cadres = ctx.members[["cadre_id", "unit_id"]].merge(units, on="unit_id")
    cadres = cadres.rename(columns={"cadre_id": "subject_id"}).assign(subject_type="cadre")
    cols = KEY + ["satisfaction", "n_respondents", "questionnaire", "third_party"]
    return pd.concat([teams[cols], cadres[cols]], ignore_index=True)


@_memoised
def superior(ctx: Context) -> pd.DataFrame:
    return ctx.mart("superior")


@_memoised
def self_vs_others(ctx: Context) -> pd.DataFrame:
    """Per subject, period and item: the self-assessment and the mean of others' marks,
    both on the item's own scale, and the gap (self − others)."""
    return ctx.df("""
        WITH others AS (
            SELECT period_id, subject_type, subject_id, item_id, avg(score) AS others,
                   count(*) AS n_marks
            FROM ballots WHERE period_id IN {periods} GROUP BY ALL
        )
        SELECT s.period_id, s.subject_type, s.subject_id, s.item_id, i.dimension,
               s.score AS self, o.others, o.n_marks, s.score - o.others AS gap,
               i.scale_min, i.scale_max
        FROM self_assessments s
        JOIN items i ON i.item_id = s.item_id
        LEFT JOIN others o ON o.period_id = s.period_id AND o.subject_type = s.subject_type
            AND o.subject_id = s.subject_id AND o.item_id = s.item_id
        WHERE s.period_id IN {periods}""")
