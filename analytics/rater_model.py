"""The rater-effect model of the democratic channel: a many-facet Rasch rating-scale model
(analytics.rasch) fitted per period and per rating scale.

Facets: subject (every team and team member rated that period) × rater group (city-wide
elements: staff, middle_manager, …) × item.  Rater groups are city-wide elements so that
every unit is linked to every other through the groups (one connected design): the model
estimates each group's natural severity (its "usual offset") jointly with the subjects'
measures and the items' difficulty, and the **fair average** of a subject is the expected
mark from a rater of average severity on an item of average difficulty — a score adjusted
for who rated.  A group's departure from its usual severity *within one unit* is not part of
this model; that is what the rater_leniency / rater_severity flags test.

Input is aggregated in DuckDB to counts of (subject, group, item, mark), a few hundred
thousand rows per period at most, and fitted by weighted JMLE.  Items with different scales
(min, max) are fitted as separate models, since a rating-scale model shares one set of
thresholds.

Outputs (all per period): subject measures with SE and fair averages (``subjects``), group
severities with SE and infit/outfit mean squares (``groups``), item difficulties
(``items``), and each sheet's infit/outfit (``sheet_fit``).  Caveats: JMLE estimates are
spread by about L/(L − 1) (not corrected; L ≈ 60 marks per subject here, so ~2%); subjects
with every mark at the top are extreme and placed 0.3 score points inside the extreme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.context import Context
from analytics.rasch import RaschFit, fit_rating_scale


@dataclass
class PeriodModel:
    period_id: str
    scale: tuple[int, int]
    fit: RaschFit
    subjects: pd.DataFrame  # subject_type, subject_id (row = subject index)
    groups: list[str]
    items: list[str]


def _fit_period(ctx: Context, period_id: str) -> list[PeriodModel]:
    cells = ctx.cells[ctx.cells["period_id"] == period_id].merge(
        ctx.items[["item_id", "scale_min", "scale_max"]], on="item_id"
    )
    models = []
    for (lo, hi), c in cells.groupby(["scale_min", "scale_max"], observed=True):
        subj_codes, subj_uniques = pd.factorize(
            pd.MultiIndex.from_frame(c[["subject_type", "subject_id"]]), sort=True
        )
        group_codes, groups = pd.factorize(c["rater_group"], sort=True)
        item_codes, items = pd.factorize(c["item_id"], sort=True)
        fit = fit_rating_scale(
            subj_codes,
            group_codes,
            item_codes,
            (c["score"] - lo).to_numpy(dtype=int),
            n_subjects=len(subj_uniques),
            n_raters=len(groups),
            n_items=len(items),
            n_categories=int(hi - lo + 1),
            weight=c["n"].to_numpy(dtype=float),
        )
        models.append(
            PeriodModel(
                period_id,
                (int(lo), int(hi)),
                fit,
                pd.DataFrame(list(subj_uniques), columns=["subject_type", "subject_id"]),
                [str(g) for g in groups],
                [str(i) for i in items],
            )
        )
    return models


def models(ctx: Context) -> list[PeriodModel]:
    """Every fitted model of the analysed periods (memoised on the context)."""
    return ctx.memo(
        "rater_models", lambda: [m for p in ctx.period_ids for m in _fit_period(ctx, p)]
    )


def subjects(ctx: Context) -> pd.DataFrame:
    """Per period and subject: measure (logits) with SE, fair average on the item scale and
    on 0–100, whether the subject is extreme (all marks at one end), and the fit."""
    rows = []
    for m in models(ctx):
        lo, hi = m.scale
        fair = m.fit.fair_score()
        df = m.subjects.assign(
            period_id=m.period_id,
            theta=m.fit.theta,
            theta_se=m.fit.theta_se,
            fair=fair + lo,
            fair_100=fair / (hi - lo) * 100,
            extreme=m.fit.extreme_subjects,
            infit=m.fit.subject_infit,
            outfit=m.fit.subject_outfit,
            n_marks=m.fit.subject_count,
            scale=f"{lo}-{hi}",
        )
        rows.append(df)
    if not rows:
        return pd.DataFrame(
            columns=[
                "period_id",
                "subject_type",
                "subject_id",
                "theta",
                "theta_se",
                "fair",
                "fair_100",
                "extreme",
                "infit",
                "outfit",
                "n_marks",
                "scale",
            ]
        )
    out = pd.concat(rows, ignore_index=True)
    # a subject rated on items of several scales: average its fair scores (0–100)
    return out.groupby(["period_id", "subject_type", "subject_id"], as_index=False).agg(
        theta=("theta", "mean"),
        theta_se=("theta_se", "mean"),
        fair=("fair", "mean"),
        fair_100=("fair_100", "mean"),
        extreme=("extreme", "any"),
        infit=("infit", "mean"),
        outfit=("outfit", "mean"),
        n_marks=("n_marks", "sum"),
        scale=("scale", "first"),
    )


def groups(ctx: Context) -> pd.DataFrame:
    """Per period and rater group: severity (logits, higher = harsher) with SE and its
    infit/outfit mean squares; ``leniency`` = −severity."""
    rows = []
    for m in models(ctx):
        rows.append(
            pd.DataFrame(
                {
                    "period_id": m.period_id,
                    "rater_group": m.groups,
                    "severity": m.fit.alpha,
                    "severity_se": m.fit.alpha_se,
                    "leniency": -m.fit.alpha,
                    "infit": m.fit.rater_infit,
                    "outfit": m.fit.rater_outfit,
                    "n_marks": m.fit.rater_count,
                    "scale": f"{m.scale[0]}-{m.scale[1]}",
                }
            )
        )
    numbers = ("severity", "severity_se", "leniency", "infit", "outfit", "n_marks")
    columns = {"period_id": object, "rater_group": object, **dict.fromkeys(numbers, float)}
    return _frame(rows, {**columns, "scale": object})


def items(ctx: Context) -> pd.DataFrame:
    rows = []
    for m in models(ctx):
        rows.append(
            pd.DataFrame(
                {
                    "period_id": m.period_id,
                    "item_id": m.items,
                    "difficulty": m.fit.delta,
                    "difficulty_se": m.fit.delta_se,
                    "infit": m.fit.item_infit,
                    "outfit": m.fit.item_outfit,
                }
            )
        )
    numbers = ("difficulty", "difficulty_se", "infit", "outfit")
    return _frame(rows, {"period_id": object, "item_id": object, **dict.fromkeys(numbers, float)})


def _frame(rows: list[pd.DataFrame], columns: dict[str, type]) -> pd.DataFrame:
    """The rows, or an empty frame with the columns when no period has ballots."""
    if rows:
        return pd.concat(rows, ignore_index=True)
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def sheet_fit(ctx: Context) -> pd.DataFrame:
    """Each sheet's infit and outfit mean squares against the fitted model.

    The model's expected mark E and variance W are computed once per (subject, group,
    item) cell in Python and joined to the ballots in DuckDB, which aggregates the
    residuals per sheet: infit = Σ(x − E)² / ΣW, outfit = mean((x − E)² / W).  Marks of
    extreme subjects, groups or items are left out (they fit trivially)."""

    def build() -> pd.DataFrame:
        cells = []
        for m in models(ctx):
            c = ctx.cells[(ctx.cells["period_id"] == m.period_id)][
                ["period_id", "rater_group", "subject_type", "subject_id", "item_id"]
            ].drop_duplicates()
            c = c[c["item_id"].isin(m.items)]
            s = pd.MultiIndex.from_frame(m.subjects).get_indexer(
                pd.MultiIndex.from_frame(c[["subject_type", "subject_id"]])
            )
            r = pd.Index(m.groups).get_indexer(c["rater_group"])
            i = pd.Index(m.items).get_indexer(c["item_id"])
            expected, variance = m.fit.expected(s, r, i)
            keep = ~(m.fit.extreme_subjects[s] | m.fit.extreme_raters[r] | m.fit.extreme_items[i])
            cells.append(c.assign(E=expected + m.scale[0], W=variance)[keep])
        if not cells:
            return pd.DataFrame(columns=["period_id", "ballot_id", "infit", "outfit", "n_fit"])
        table = pd.concat(cells, ignore_index=True)
        ctx.con.register("_rasch_cells", table)
        try:
            return ctx.df("""
                SELECT b.period_id, b.ballot_id,
                       sum((b.score - c.E) ^ 2) / sum(c.W) AS infit,
                       avg((b.score - c.E) ^ 2 / c.W) AS outfit, count(*) AS n_fit
                FROM ballots b
                JOIN _rasch_cells c USING (period_id, rater_group, subject_type, subject_id,
                                           item_id)
                WHERE b.period_id IN {periods} AND c.W > 0
                GROUP BY b.period_id, b.ballot_id""")
        finally:
            ctx.con.unregister("_rasch_cells")

    return ctx.memo("sheet_fit", build)


def fair_democratic(ctx: Context) -> pd.DataFrame:
    """The democratic channel value: fair average on 0–100 per subject and period."""
    return subjects(ctx)[
        ["period_id", "subject_type", "subject_id", "fair_100", "theta", "theta_se", "extreme"]
    ]
