"""Reliability of each democratic-evaluation session (one unit, one period).

* **Krippendorff's alpha, ordinal** (Krippendorff 2004, *Content Analysis*, ch. 11): the
  units of analysis are the (subject, item) cells of the session, the "coders" the sheets;
  computed from the count of each category per cell (``value_counts``), so missing cells
  (no one rates themselves) need no special handling.  Implementation: the ``krippendorff``
  package.  Bands (Krippendorff): α ≥ 0.800 reliable; 0.667 ≤ α < 0.800 tentative
  conclusions only; below 0.667 unreliable.
* **ICC(2,1) and ICC(2,k)** (Shrout & Fleiss 1979; McGraw & Wong 1996), two-way random
  effects, absolute agreement, on the subjects × sheets matrix of each sheet's mean mark per
  subject.  Only sheets that rate every subject of the session enter (a complete design);
  team members' own sheets miss themselves and are left out.  Needs ≥ 3 subjects and ≥ 3
  such sheets, else NULL.  Bands for single measures (Koo & Li 2016): < 0.50 poor,
  0.50–0.75 moderate, 0.75–0.90 good, > 0.90 excellent.

Caveat printed with every reading: ratings crowd the top of the scale, which restricts their
variance and depresses both coefficients even when raters agree (the "kappa paradox"), so
low values in a session where nearly every mark is 好 say more about the scale than about
the raters.
"""

from __future__ import annotations

import duckdb
import krippendorff
import numpy as np
import pandas as pd


def alpha_band(alpha: float | None) -> str | None:
    if alpha is None or not np.isfinite(alpha):
        return None
    return "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "unreliable"


def icc_band(icc: float | None) -> str | None:
    if icc is None or not np.isfinite(icc):
        return None
    return (
        "excellent"
        if icc > 0.9
        else "good"
        if icc >= 0.75
        else "moderate"
        if icc >= 0.5
        else "poor"
    )


def icc_two_way(matrix: np.ndarray) -> tuple[float, float]:
    """ICC(2,1) and ICC(2,k) of a complete targets × raters matrix (absolute agreement)."""
    n, k = matrix.shape
    grand = matrix.mean()
    ss_rows = k * ((matrix.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((matrix.mean(axis=0) - grand) ** 2).sum()
    ss_err = ((matrix - grand) ** 2).sum() - ss_rows - ss_cols
    msr, msc = ss_rows / (n - 1), ss_cols / (k - 1)
    mse = ss_err / ((n - 1) * (k - 1))
    denom1 = msr + (k - 1) * mse + k * (msc - mse) / n
    denom_k = msr + (msc - mse) / n
    icc1 = (msr - mse) / denom1 if denom1 > 0 else np.nan
    icck = (msr - mse) / denom_k if denom_k > 0 else np.nan
    return float(icc1), float(icck)


def session_reliability(
    con: duckdb.DuckDBPyConnection, period_id: str | None = None, ctx=None
) -> pd.DataFrame:
    """One row per session: sheets, alpha (ordinal) with band, ICC(2,1)/(2,k) with band.

    With an analysis context (``ctx``), the counts and sheet means come from its marts
    (``cells``, ``sheet_subject``) instead of two more scans of the ballots."""
    where, params = ("WHERE period_id = ?", [period_id]) if period_id else ("", [])
    counts_src, means_src = "ballots", "ballots"
    count_expr, mean_expr = "count(*)", "avg(score)"
    if ctx is not None:
        con.register("_rel_cells", ctx.cells)
        con.register("_rel_means", ctx.sheet_subject)
        counts_src, means_src, count_expr, mean_expr = (
            "_rel_cells",
            "_rel_means",
            "sum(n)",
            "any_value(mean)",
        )
    # cell × category counts, cells ordered by session (dense integer codes from DuckDB)
    counts = con.execute(
        f"""
        SELECT dense_rank() OVER (ORDER BY period_id, unit_id) - 1 AS sess,
               dense_rank() OVER (ORDER BY period_id, unit_id, subject_type, subject_id,
                                  item_id) - 1 AS cell,
               score, {count_expr} AS n
        FROM {counts_src} {where} GROUP BY period_id, unit_id, subject_type, subject_id,
                                      item_id, score""",
        params,
    ).fetchnumpy()
    sheets = con.execute(
        f"""
        SELECT dense_rank() OVER (ORDER BY period_id, unit_id) - 1 AS sess,
               dense_rank() OVER (PARTITION BY period_id, unit_id
                                  ORDER BY subject_type, subject_id) - 1 AS subj,
               dense_rank() OVER (PARTITION BY period_id, unit_id ORDER BY ballot_id) - 1
                   AS sheet,
               {mean_expr} AS m
        FROM {means_src} {where} GROUP BY period_id, unit_id, subject_type, subject_id,
                                      ballot_id""",
        params,
    ).fetchnumpy()
    sessions = con.execute(
        f"""
        SELECT DISTINCT period_id, unit_id FROM {counts_src} {where}
        ORDER BY period_id, unit_id""",
        params,
    ).df()
    if ctx is not None:
        con.unregister("_rel_cells")
        con.unregister("_rel_means")
    values = np.unique(counts["score"])
    vcol = np.searchsorted(values, counts["score"])
    n_cells = int(counts["cell"].max()) + 1 if len(counts["cell"]) else 0
    table = np.bincount(
        counts["cell"] * len(values) + vcol, weights=counts["n"], minlength=n_cells * len(values)
    ).reshape(n_cells, len(values))
    cell_sess = np.zeros(n_cells, dtype=int)
    cell_sess[counts["cell"]] = counts["sess"]
    cell_bounds = np.searchsorted(cell_sess, np.arange(len(sessions) + 1))
    order = np.argsort(sheets["sess"], kind="stable")
    s_sess, s_subj = sheets["sess"][order], sheets["subj"][order]
    s_sheet, s_m = sheets["sheet"][order], sheets["m"][order]
    sheet_bounds = np.searchsorted(s_sess, np.arange(len(sessions) + 1))
    out = []
    for k, (pid, uid) in enumerate(zip(sessions["period_id"], sessions["unit_id"], strict=True)):
        t = table[cell_bounds[k] : cell_bounds[k + 1]]
        used = t.sum(axis=0) > 0
        t = t[:, used]
        alpha = np.nan
        if t.shape[1] > 1 and (t.sum(axis=1) >= 2).sum() >= 2:
            alpha = krippendorff.alpha(
                value_counts=t, value_domain=list(values[used]), level_of_measurement="ordinal"
            )
        lo, hi = sheet_bounds[k], sheet_bounds[k + 1]
        wide = np.full((s_subj[lo:hi].max() + 1, s_sheet[lo:hi].max() + 1), np.nan)
        wide[s_subj[lo:hi], s_sheet[lo:hi]] = s_m[lo:hi]
        complete = wide[:, ~np.isnan(wide).any(axis=0)]
        icc1 = icck = np.nan
        if complete.shape[0] >= 3 and complete.shape[1] >= 3:
            icc1, icck = icc_two_way(complete)
        out.append(
            {
                "period_id": pid,
                "unit_id": uid,
                "sheets": int(wide.shape[1]),
                "alpha": float(alpha),
                "alpha_band": alpha_band(alpha),
                "icc_single": icc1,
                "icc_average": icck,
                "icc_band": icc_band(icc1),
                "icc_sheets": int(complete.shape[1]),
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "period_id",
            "unit_id",
            "sheets",
            "alpha",
            "alpha_band",
            "icc_single",
            "icc_average",
            "icc_band",
            "icc_sheets",
        ],
    )
