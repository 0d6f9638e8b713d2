"""Composite scores with their uncertainty (CONTRACT.md §2, scores.csv).

Method
------
1. **Channels** (analytics.channels): democratic, performance, satisfaction, superior, each
   on 0–100 per subject and period.  Self-assessment is never a channel of the composite.
2. **Peer groups**: teams are compared with the teams of units of the same type; cadres with
   team members of units of the same type ("a regulator is not punished for being a
   regulator").
3. **Standardise** each channel within peer group and period: z = (x − mean) / SD over the
   peers that have the channel (z = 0 when fewer than 3 peers or SD = 0).
4. **Composite** = 50 + 10 × Σ w_c z_c / Σ w_c over the channels the subject has (a T-score:
   peer mean 50, one SD of the weighted channel mean = 10), clipped to 0–100.  Weights from
   ``[scores]`` in the config (performance 40, democratic 30, satisfaction 20, superior 10).
   A missing channel re-weights the others and is listed in ``missing_channels``; it is never
   counted as zero.
5. **Uncertainty**: a Bayesian bootstrap (Rubin 1981: each sheet / respondent weighted by an
   independent Exp(1) draw, i.e. Dirichlet weights, the smooth counterpart of resampling
   and ten times cheaper to draw than Poisson counts at province scale) over ballot sheets
   within each session and questionnaire respondents within each unit; third-party results
   vary parametrically by their binomial sampling error; performance indicators and
   superior opinions have no sampling model and are held fixed (so the interval is a lower
   bound of the true uncertainty).  Peer means and SDs are held at their point estimates.
   ``ci_low`` / ``ci_high`` are percentile limits at ``[scores] confidence`` (default 90%), and
   ``rank_low`` / ``rank_high`` the same limits of the subject's rank among its peers, so a
   presenter can see when two people cannot be told apart (overlapping rank intervals).
6. ``rank`` is within peer group and period, 1 = best; ties share the better rank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from analytics import channels, config
from analytics.context import Context

KEY = channels.KEY
CHANNELS = ("performance", "democratic", "satisfaction", "superior")
SCORE_COLUMNS = [
    "period_id",
    "subject_type",
    "subject_id",
    "peer_group",
    "composite",
    "ci_low",
    "ci_high",
    "rank",
    "democratic",
    "performance",
    "satisfaction",
    "superior",
]
EXTRA_COLUMNS = [
    "rank_low",
    "rank_high",
    "peer_size",
    "missing_channels",
    "unit_id",
    "z_democratic",
    "z_performance",
    "z_satisfaction",
    "z_superior",
    *(BASIS_COLUMNS := ["n_sheets", "n_indicators", "n_respondents", "n_departments"]),
]
TEXT_COLUMNS = {
    "period_id",
    "subject_type",
    "subject_id",
    "peer_group",
    "missing_channels",
    "unit_id",
}


def weights() -> dict[str, float]:
    return {c: float(config.get("scores", f"weight_{c}")) for c in CHANNELS}


def subjects(ctx: Context) -> pd.DataFrame:
    """Scored subjects per analysed period: every team and every team member."""
    teams = ctx.units[["unit_id", "unit_type"]].assign(
        subject_type="team", subject_id=ctx.units["unit_id"]
    )
    members = (
        ctx.members[["cadre_id", "unit_id", "unit_type"]]
        .rename(columns={"cadre_id": "subject_id"})
        .assign(subject_type="cadre")
    )
    subs = pd.concat([teams, members], ignore_index=True)
    subs["peer_group"] = np.where(
        subs["subject_type"] == "team",
        subs["unit_type"] + " teams",
        subs["unit_type"] + " team members",
    )
    periods = pd.DataFrame({"period_id": ctx.period_ids})
    return periods.merge(subs, how="cross")


def channel_table(ctx: Context) -> pd.DataFrame:
    """Subjects × periods with the four channel values (NaN where absent)."""

    def build():
        tab = subjects(ctx)
        for frame in (
            channels.democratic(ctx),
            channels.performance(ctx),
            channels.satisfaction(ctx),
            channels.superior(ctx),
        ):
            tab = tab.merge(frame, on=KEY, how="left")
        # a subject with no channel at all in a period is not scored
        return tab[tab[list(CHANNELS)].notna().any(axis=1)].reset_index(drop=True)

    return ctx.memo("channel_table", build)


def _peer_stats(tab: pd.DataFrame) -> pd.DataFrame:
    g = tab.groupby(["period_id", "peer_group"], observed=True)
    out = {}
    for c in CHANNELS:
        out[f"{c}_mean"] = g[c].transform("mean")
        sd = g[c].transform("std")
        n = g[c].transform("count")
        out[f"{c}_sd"] = sd.where((n >= 3) & (sd > 0))
    return pd.DataFrame(out)


def _composite(
    values: dict[str, np.ndarray], stats: pd.DataFrame, w: dict[str, float]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    num = 0.0
    den = 0.0
    zs = {}
    for c in CHANNELS:
        x = values[c]
        z = (x - stats[f"{c}_mean"].to_numpy()) / stats[f"{c}_sd"].to_numpy()
        z = np.where(np.isfinite(x) & ~np.isfinite(z), 0.0, z)  # peers too few: neutral
        zs[c] = z
        has = np.isfinite(z)
        num = num + np.where(has, w[c] * z, 0.0)
        den = den + np.where(has, w[c], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = np.clip(50 + 10 * num / den, 0, 100)
    return comp, zs


def _ranks(values: np.ndarray, group_index: list[np.ndarray]) -> np.ndarray:
    """Ranks within groups for every row of ``values`` (reps, n): 1 = best, ties share the
    better rank (1 + the number of peers strictly higher).  Sort-based: O(m log m) per
    group and replicate, so peer groups of thousands (a province) stay cheap."""
    out = np.empty(values.shape)
    for idx in group_index:
        v = values[:, idx]
        ordered = np.sort(v, axis=1)
        for b in range(v.shape[0]):
            out[b, idx] = v.shape[1] - np.searchsorted(ordered[b], v[b], side="right") + 1
    return out


def _poisson_means(
    row: np.ndarray,
    unit: np.ndarray,
    value: np.ndarray,
    weight: np.ndarray,
    n_rows: int,
    reps: int,
    rng: np.random.Generator,
    chunk: int = 25,
) -> np.ndarray:
    """(reps, n_rows) bootstrap weighted means: each resampling unit (a sheet, a respondent)
    gets an independent Exp(1) weight (Rubin's Bayesian bootstrap: normalised, the weights
    are Dirichlet(1, …, 1), the smooth version of resampling counts); row r averages its
    observations under those weights."""
    n_units = int(unit.max()) + 1 if len(unit) else 0
    num = sparse.csr_matrix((value * weight, (unit, row)), shape=(n_units, n_rows))
    den = sparse.csr_matrix((weight, (unit, row)), shape=(n_units, n_rows))
    out = np.empty((reps, n_rows))
    for start in range(0, reps, chunk):
        k = min(chunk, reps - start)
        w = rng.standard_exponential((k, n_units))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start : start + k] = (num.T @ w.T).T / (den.T @ w.T).T
    return out


def _bootstrap_democratic(
    ctx: Context, tab: pd.DataFrame, reps: int, rng: np.random.Generator
) -> np.ndarray:
    """(reps, n) replicate democratic scores: the fair average plus the bootstrap deviation
    of the group-adjusted sheet mean (sheets resampled within their session).  Refitting the
    Rasch model 200 times would cost minutes; the adjusted mean moves with the same sheets,
    and near the middle of the scale the fair average moves one-for-one with it (near the
    ceiling the fair average is steeper, so the interval is slightly narrow there)."""
    ss = channels.sheet_adjusted(ctx)
    row = pd.MultiIndex.from_frame(tab[KEY]).get_indexer(pd.MultiIndex.from_frame(ss[KEY]))
    keep = row >= 0
    sheet = pd.factorize(ss["period_id"].astype(str) + "|" + ss["ballot_id"].astype(str))[0]
    adj = ss["adj"].to_numpy() * 100
    row, sheet, adj = row[keep], sheet[keep], adj[keep]
    rep = _poisson_means(row, sheet, adj, np.ones(len(row)), len(tab), reps, rng)
    with np.errstate(invalid="ignore", divide="ignore"):
        base = np.bincount(row, adj, minlength=len(tab)) / np.bincount(row, minlength=len(tab))
    dev = np.where(np.isfinite(rep), rep - base, 0.0)
    return tab["democratic"].to_numpy(dtype=float) + dev


def _bootstrap_satisfaction(
    ctx: Context, tab: pd.DataFrame, reps: int, rng: np.random.Generator
) -> np.ndarray:
    """(reps, n) replicate satisfaction: respondents resampled within unit, third-party
    results drawn from their binomial sampling error, pooled by sample size."""
    resp = ctx.mart("survey_respondents").rename(columns={"value_100": "value"})
    tp = ctx.mart("unit_satisfaction").rename(
        columns={"third_party": "sat", "n_third_party": "size"}
    )
    tp = tp[tp["sat"].notna()]
    units = pd.MultiIndex.from_frame(tab[["period_id", "unit_id"]]).drop_duplicates()
    r_idx = units.get_indexer(pd.MultiIndex.from_frame(resp[["period_id", "unit_id"]]))
    keep = r_idx >= 0
    q = _poisson_means(
        r_idx[keep],
        np.arange(keep.sum()),
        resp["value"].to_numpy()[keep],
        np.ones(keep.sum()),
        len(units),
        reps,
        rng,
    )
    n_resp = np.bincount(r_idx[keep], minlength=len(units)).astype(float)
    t_idx = units.get_indexer(pd.MultiIndex.from_frame(tp[["period_id", "unit_id"]]))
    tk = t_idx >= 0
    sat = np.full(len(units), np.nan)
    size = np.zeros(len(units))
    var = np.full(len(units), np.nan)
    sat[t_idx[tk]] = tp["sat"].to_numpy()[tk]
    size[t_idx[tk]] = tp["size"].to_numpy(dtype=float)[tk]
    var[t_idx[tk]] = tp["var_third_party"].to_numpy(dtype=float)[tk]
    with np.errstate(invalid="ignore", divide="ignore"):
        # the mart's binomial variance, floored at p(1 − p) = 0.01 so a result of 0 or 100
        # still varies
        se = np.sqrt(np.maximum(var, 100 / size))
    tpv = np.clip(sat + rng.normal(0, 1, (reps, len(units))) * se, 0, 100)
    num = np.where(np.isfinite(q), q * n_resp, 0.0) + np.where(np.isfinite(tpv), tpv * size, 0)
    den = np.where(np.isfinite(q), n_resp, 0.0) + np.where(np.isfinite(tpv), size, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = num / den
    row_unit = units.get_indexer(pd.MultiIndex.from_frame(tab[["period_id", "unit_id"]]))
    out = pooled[:, row_unit]
    return np.where(np.isfinite(tab["satisfaction"].to_numpy(dtype=float)), out, np.nan)


def compute_scores(ctx: Context, reps: int | None = None, seed: int = 20261125) -> pd.DataFrame:
    """scores.csv rows (plus extra columns) for every scored subject and analysed period."""
    tab = channel_table(ctx).copy()
    if tab.empty:  # nothing scored yet (e.g. only reference tables and talks loaded)
        return pd.DataFrame(
            {
                c: pd.Series(dtype=object if c in TEXT_COLUMNS else "float64")
                for c in SCORE_COLUMNS + EXTRA_COLUMNS
            }
        )
    reps = int(config.get("scores", "bootstrap_replicates") if reps is None else reps)
    level = float(config.get("scores", "confidence"))
    w = weights()
    stats = _peer_stats(tab)
    comp, zs = _composite({c: tab[c].to_numpy(dtype=float) for c in CHANNELS}, stats, w)
    codes = pd.factorize(tab["period_id"].astype(str) + "|" + tab["peer_group"].astype(str))[0]
    group_index = [np.flatnonzero(codes == g) for g in range(codes.max() + 1)]
    tab["composite"] = comp
    tab["rank"] = _ranks(comp[None, :], group_index)[0].astype(int)
    for c in CHANNELS:
        tab[f"z_{c}"] = zs[c]
    tab["peer_size"] = tab.groupby(["period_id", "peer_group"])["subject_id"].transform("size")
    tab["missing_channels"] = [
        ";".join(c for c, v in zip(CHANNELS, vals, strict=True) if not np.isfinite(v))
        for vals in zip(*(tab[c].to_numpy(dtype=float) for c in CHANNELS), strict=True)
    ]
    if reps > 0 and len(tab):
        rng = np.random.default_rng(seed)
        dem = _bootstrap_democratic(ctx, tab, reps, rng)
        sat = _bootstrap_satisfaction(ctx, tab, reps, rng)
        perf = tab["performance"].to_numpy(dtype=float)
        sup = tab["superior"].to_numpy(dtype=float)
        boot, _ = _composite(
            {
                "democratic": dem,
                "satisfaction": sat,
                "performance": perf[None, :],
                "superior": sup[None, :],
            },
            stats,
            w,
        )
        ranks = _ranks(boot, group_index)
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        tab["ci_low"] = np.minimum(np.quantile(boot, lo, axis=0), comp)
        tab["ci_high"] = np.maximum(np.quantile(boot, hi, axis=0), comp)
        tab["rank_low"] = np.minimum(np.floor(np.quantile(ranks, lo, axis=0)), tab["rank"])
        tab["rank_high"] = np.maximum(np.ceil(np.quantile(ranks, hi, axis=0)), tab["rank"])
    else:
        tab["ci_low"] = tab["ci_high"] = comp
        tab["rank_low"] = tab["rank_high"] = tab["rank"]
    tab[["rank_low", "rank_high"]] = tab[["rank_low", "rank_high"]].astype(int)
    # what each channel rests on (sheets, indicators, respondents, departments), 0 if absent
    tab[BASIS_COLUMNS] = tab[BASIS_COLUMNS].fillna(0).astype("int64")
    out = tab[SCORE_COLUMNS + EXTRA_COLUMNS].sort_values(
        ["period_id", "subject_type", "peer_group", "rank", "subject_id"]
    )
    return out.reset_index(drop=True)
