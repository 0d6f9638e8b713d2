"""The statistics behind the rater-group detectors (analytics.flags.groups): their shared
settings, the DerSimonian-Laird baseline of each group type, the grading of session-groups,
a cumulative probit with city-wide thresholds (each group-session located on the latent
scale), and the candidate searches of targeted rating, favouritism and halo on the packed
ballot blocks.
"""

# ruff: noqa: N803, N806  (mathematical names: S sheets, K categories, C counts)

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special, stats

from analytics import privacy
from analytics.flags import bh, grade, setting
from analytics.flags.ballot_model import (
    BallotData,
)

COMMON = {
    "min_sheets": 5,  # sheets a group needs to be a candidate (never below the privacy floor)
    "min_other_sheets": 3,  # sheets the other groups need (never below the privacy floor)
    "trim_z": 3.5,  # |z| beyond which a session-group is left out of the baseline fit
    "warn_p": 0.01,  # BH-adjusted p for a warning
    "crit_p": 0.001,  # … for a critical flag
}


def _s(flag_type: str, key: str):
    return setting(flag_type, key)


def _min_sheets(flag_type: str) -> int:
    return privacy.min_sheets(_s(flag_type, "min_sheets"))


def _min_other(flag_type: str) -> int:
    """The other groups' sheets a comparison needs: never below the anonymity floor, since
    the flag states the others' pooled figure."""
    return privacy.min_sheets(_s(flag_type, "min_other_sheets"))


# ---- random effects ----------------------------------------------------------------------------
def dersimonian_laird(
    y: np.ndarray, v: np.ndarray, gtype: np.ndarray, trim_z: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row usual value μ and between-session variance τ² of the row's group type."""
    mu = np.zeros(len(y))
    tau2 = np.full(len(y), np.nan)
    ok_all = np.isfinite(y) & np.isfinite(v) & (v > 0)
    fitted = {}
    for g in np.unique(gtype):
        idx = np.flatnonzero((gtype == g) & ok_all)
        if len(idx) < 3:
            continue
        use = np.ones(len(idx), bool)
        for _ in range(4):
            yy, vv = y[idx][use], v[idx][use]
            w = 1 / vv
            m0 = np.sum(w * yy) / np.sum(w)
            q = np.sum(w * (yy - m0) ** 2)
            c = np.sum(w) - np.sum(w**2) / np.sum(w)
            t2 = max(0.0, (q - (len(yy) - 1)) / c) if c > 0 else 0.0
            ws = 1 / (vv + t2)
            m = np.sum(ws * yy) / np.sum(ws)
            z = (y[idx] - m) / np.sqrt(v[idx] + t2)
            new = np.abs(z) <= trim_z
            if new.sum() < 3 or (new == use).all():
                break
            use = new
        fitted[g] = (m, t2)
    default_t2 = float(np.median([t for _, t in fitted.values()])) if fitted else 0.0
    for g in np.unique(gtype):
        m, t2 = fitted.get(g, (0.0, default_t2))
        sel = gtype == g
        mu[sel], tau2[sel] = m, t2
    return mu, tau2


def _z(y, v, mu, tau2):
    return (y - mu) / np.sqrt(np.maximum(v + tau2, 1e-12))


def _moderated(var: np.ndarray, n: np.ndarray, gtype: np.ndarray, n0: float = 4.0) -> np.ndarray:
    """Within-session variance shrunk towards its group type's median (Smyth 2004):
    ((n − 1)·s² + n0·s0²) / (n − 1 + n0); groups of one sheet get s0² alone."""
    var = np.asarray(var, float)
    n = np.asarray(n, float)
    out = np.empty(len(var))
    ok = np.isfinite(var) & (n > 1)
    pooled_all = float(np.nanmedian(var[ok])) if ok.any() else 1.0
    for g in np.unique(gtype):
        sel = gtype == g
        s0 = float(np.nanmedian(var[sel & ok])) if (sel & ok).any() else pooled_all
        v = np.where(ok[sel], var[sel], 0.0)
        df = np.where(ok[sel], n[sel] - 1, 0.0)
        out[sel] = (df * v + n0 * s0) / (df + n0)
    return out


def _judge(
    df: pd.DataFrame,
    flag_type: str,
    direction: int,
    *,
    warn_key: str,
    crit_key: str,
    gcol: str = "g",
    fit: bool = True,
) -> pd.DataFrame:
    """Random-effects baseline per group type, one-sided z, BH, severity."""
    df = df.copy()
    y, v = df["y"].to_numpy(float), df["v"].to_numpy(float)
    if fit or "mu" not in df:
        mu, tau2 = dersimonian_laird(y, v, df[gcol].to_numpy(), float(_s(flag_type, "trim_z")))
        df["mu"], df["tau2"] = mu, tau2
    z = _z(y, v, df["mu"].to_numpy(), df["tau2"].to_numpy())
    df["z"] = z
    p = stats.norm.sf(z) if direction > 0 else stats.norm.cdf(z)
    df["p"] = np.where(np.isfinite(z), p, np.nan)
    df["p_adj"] = bh(df["p"].to_numpy())
    df["effect"] = y - df["mu"].to_numpy()
    warn_e, crit_e = float(_s(flag_type, warn_key)), float(_s(flag_type, crit_key))
    warn_p, crit_p = float(_s(flag_type, "warn_p")), float(_s(flag_type, "crit_p"))
    sev = np.full(len(df), None, dtype=object)
    pa_, e_ = df["p_adj"].to_numpy(float), df["effect"].to_numpy(float)
    # grade() gives None above p 0.05, so only those rows need it
    for i in np.flatnonzero(np.isfinite(pa_) & (pa_ <= 0.05) & (e_ * direction > 0)):
        sev[i] = grade(
            pa_[i], e_[i], warn_effect=warn_e, crit_effect=crit_e, warn_p=warn_p, crit_p=crit_p
        )
    df["severity"] = sev
    return df


# ---- cumulative probit with city-wide thresholds -------------------------------------------
# P(x ≤ k) = Φ(τ_k − μ), k = 0 … K−2 (marks relative to the scale minimum).  τ is shared by
# the whole city (a rating-scale model, Andrich 1978, on the probit link); μ is a location on
# a latent scale whose unit is the spread of marks in one session-subject cell (sheets'
# leniency included), so a shift of 1 means the same thing in a ceiling unit and in a unit
# whose marks have room.  Locations solve "Σ observed = Σ expected marks" (moment equations).
CAP = 6.0
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
PRIOR_PREC = 1.0  # δ of one group on one subject ~ N(the group's overall δ, 1): the data
#                    decide unless the group's marks on the subject are all at one end


def _expected(tau: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected mark and its derivative in μ per row, for locations ``mu``."""
    u = tau[None, :] - mu[:, None]
    return special.ndtr(-u).sum(1), (np.exp(-0.5 * u * u) * _INV_SQRT_2PI).sum(1)


def locate(counts: np.ndarray, tau: np.ndarray, iters: int = 40) -> np.ndarray:
    """Location per row of category counts (rows × K) given thresholds."""
    K = counts.shape[1]
    n = counts.sum(1)
    mean = np.where(n > 0, counts @ np.arange(K, dtype=float) / np.maximum(n, 1), np.nan)
    lo, hi = tau[0] - CAP, tau[-1] + CAP
    mu = np.zeros(len(n))
    live = (n > 0) & (mean > 0) & (mean < K - 1)
    mu[(n > 0) & (mean <= 0)] = lo
    mu[(n > 0) & (mean >= K - 1)] = hi
    mu[n == 0] = np.nan
    for _ in range(iters):
        if not live.any():
            break
        E, D = _expected(tau, mu[live])
        step = np.clip((mean[live] - E) / np.maximum(D, 1e-9), -1.5, 1.5)
        mu[live] = np.clip(mu[live] + step, lo, hi)
        done = np.abs(step) < 1e-7
        idx = np.flatnonzero(live)
        live[idx[done]] = False
    return mu


def fit_thresholds(counts: np.ndarray, iters: int = 25) -> np.ndarray:
    """City-wide thresholds from cell counts (cells × K): alternate cell locations and the
    threshold moment equations Σ_c n_c Φ(τ_k − μ_c) = #(x ≤ k); the mean location is 0."""
    K = counts.shape[1]
    n = counts.sum(1)
    cum = np.cumsum(counts, 1)[:, :-1].sum(0)
    tot = n.sum()
    tau = stats.norm.ppf(np.clip(cum / max(tot, 1), 1e-4, 1 - 1e-4))
    tau = np.maximum.accumulate(tau + np.arange(K - 1) * 1e-3)
    inner = counts.max(1) < n  # cells with more than one category inform the spacing
    for _ in range(iters):
        before = tau.copy()
        mu = locate(counts, tau)
        ok = inner & np.isfinite(mu)
        if not ok.any():
            break
        for _k in range(8):
            u = tau[None, :] - mu[ok][:, None]
            F = (n[ok][:, None] * special.ndtr(u)).sum(0)
            f = (n[ok][:, None] * np.exp(-0.5 * u * u) * _INV_SQRT_2PI).sum(0)
            target = np.cumsum(counts[ok], 1)[:, :-1].sum(0)
            tau = tau + np.clip((target - F) / np.maximum(f, 1e-9), -1, 1)
        tau = np.maximum.accumulate(tau + np.arange(K - 1) * 1e-6)
        m = float(np.average(mu[ok], weights=n[ok]))
        tau = tau - m
        if np.abs(tau - before).max() < 1e-5:
            break
    return tau


def shift(
    tau: np.ndarray,
    mu_b: np.ndarray,
    C: np.ndarray,
    idx: np.ndarray,
    n_el: int,
    iters: int = 40,
    prior_mean: np.ndarray | None = None,
    prior_prec: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shift δ per element (blocks → elements by ``idx``) of blocks with counts ``C`` against
    the locations ``mu_b``; returns δ, the blocks' expected sums and their derivatives.
    With ``prior_prec`` > 0 the estimate is the posterior mode under δ ~ N(prior_mean,
    1/prior_prec): an element whose marks are all at one end then stays finite."""
    K = C.shape[1]
    n = C.sum(1)
    xs = C @ np.arange(K, dtype=float)
    obs = _seg(idx, xs, n_el)
    pm = np.zeros(n_el) if prior_mean is None else np.nan_to_num(prior_mean)
    delta = pm.copy()
    fin = np.isfinite(mu_b)
    mu = np.where(fin, mu_b, 0.0)
    rows = np.arange(len(n))
    live = np.ones(n_el, bool)
    for _ in range(iters):
        r = rows[live[idx]]
        if not len(r):
            break
        E, D = _expected(tau, mu[r] + delta[idx[r]])
        Es = _seg(idx[r], np.where(fin[r], n[r] * E, xs[r]), n_el)
        Ds = _seg(idx[r], np.where(fin[r], n[r] * D, 0.0), n_el)
        step = np.clip(
            (obs - Es + prior_prec * (pm - delta)) / np.maximum(Ds + prior_prec, 1e-9), -1.5, 1.5
        )
        new = np.where(live, np.clip(delta + step, -2 * CAP, 2 * CAP), delta)
        live &= np.abs(new - delta) >= 1e-7
        delta = new
    E, D = _expected(tau, mu + delta[idx])
    return delta, np.where(fin, n * E, np.nan), np.where(fin, n * D, 0.0)


def _seg(idx, w, n):
    return np.bincount(idx, w, n)


def _latent_round(
    d,
    C,
    grp,
    ssj_of,
    tau,
    sgj,
    sgj_u,
    sg_b,
    sg_s,
    sess_s,
    live_blocks,
    excluded,
    base,
    top_b,
    nJ,
    extremes=False,
):
    """Every session-group's latent shift against the other groups on the same subjects
    (``excluded`` session-groups left out of every reference), its sheet-clustered variance,
    and (``extremes``) the observed vs expected marks at the scale ends at that shift.
    ``grp`` holds the category counts of the used blocks per session-group-subject."""
    S, K = len(d.sheets), C.shape[1]
    n_ssj = int(ssj_of.max()) + 1 if len(ssj_of) else 0
    kk = np.arange(K, dtype=float)
    sg_j = sgj_u // nJ
    ex_mask = np.zeros(int(max(sg_s.max(), sg_j.max(initial=0))) + 1, bool)
    ex_mask[list(excluded)] = True
    own_ex = ex_mask[sg_j]
    tot = np.stack([np.bincount(ssj_of, grp[:, k], n_ssj) for k in range(K)], 1)
    exc = np.stack([np.bincount(ssj_of, grp[:, k] * own_ex, n_ssj) for k in range(K)], 1)
    # others = all − own group − excluded groups (an excluded group is not subtracted twice)
    oth = tot[ssj_of] - exc[ssj_of] - np.where(own_ex[:, None], 0, grp)
    mu_oth = locate(oth, tau)  # per (session-group, subject)
    n_oth_j = oth.sum(1)
    # Newton on the group × subject sums (all blocks of one group on one subject share the
    # reference location), then the block-level expectations once
    live_j = (n_oth_j > 0) & (grp.sum(1) > 0) & np.isfinite(mu_oth)
    sg_u, sgi_j = np.unique(sg_j[live_j], return_inverse=True)
    delta, _, _ = shift(tau, mu_oth[live_j], grp[live_j], sgi_j, len(sg_u))
    live_b = live_blocks & live_j[sgj]
    Cb = C[live_b]
    sgi = np.searchsorted(sg_u, sg_b[live_b])
    mu_b = mu_oth[sgj[live_b]] + delta[sgi]
    E1, D1 = _expected(tau, mu_b)
    nbl = Cb.sum(1)
    x_b = Cb @ kk
    sheet = d.sheet[live_b]
    U = np.bincount(sheet, x_b - nbl * E1, S)
    Dsg = np.bincount(sgi, nbl * D1, len(sg_u))
    mean_oth = (oth @ kk) / np.maximum(n_oth_j, 1)
    cols = {"xs": x_b, "rx": mean_oth[sgj[live_b]] * nbl, "ne": nbl}
    if extremes:
        tb = np.clip(top_b[live_b], 1, K - 1)
        upper = tau[np.minimum(tb - 1, K - 2)]
        mu0 = mu_oth[sgj[live_b]]
        rows = np.arange(len(tb))
        cols["oe"] = Cb[:, 0] + Cb[rows, tb]
        cols["ee"] = nbl * (special.ndtr(tau[0] - mu_b) + special.ndtr(mu_b - upper))
        cols["re"] = nbl * (special.ndtr(tau[0] - mu0) + special.ndtr(mu0 - upper))
    sums = {k: np.bincount(sheet, v, S) for k, v in cols.items()}
    live_s = sums["ne"] > 0
    sg_sheet = sg_s[live_s]
    pos = np.searchsorted(sg_u, sg_sheet)
    k_sg = np.bincount(pos, minlength=len(sg_u))
    r = U[live_s] / np.maximum(Dsg[pos], 1e-9) * k_sg[pos]  # sheet pseudo-values
    df = pd.DataFrame({"sg": sg_sheet, "r": r, **{k: v[live_s] for k, v in sums.items()}})
    spec = dict(
        k=("r", "size"),
        var=("r", "var"),
        marks=("ne", "sum"),
        xsum=("xs", "sum"),
        rsum=("rx", "sum"),
    )
    if extremes:
        df["ce"] = (df["oe"] - df["ee"]) / df["ne"]
        spec.update(
            ce=("ce", "mean"),
            ce_var=("ce", "var"),
            obs=("oe", "sum"),
            exp=("ee", "sum"),
            others=("re", "sum"),
        )
    agg = df.groupby("sg").agg(**spec)
    agg["y"] = pd.Series(delta, index=sg_u).reindex(agg.index)
    agg = agg.join(base[["sess", "g", "n", "n_other", "smin"]])
    # reference sheets: the session's sheets outside the group and outside ``excluded``
    ref_s = ~ex_mask[sg_s]
    n_ref_sess = np.bincount(
        sess_s[ref_s & (np.bincount(d.sheet, minlength=S) > 0)], minlength=int(sess_s.max()) + 1
    )
    own_in = ~agg.index.isin(list(excluded))
    agg["n_ref"] = n_ref_sess[agg["sess"].to_numpy()] - np.where(own_in, agg["n"], 0)
    agg["var_mod"] = _moderated(agg["var"].to_numpy(), agg["k"].to_numpy(), agg["g"].to_numpy())
    pooled = agg.assign(w=agg["var_mod"] * agg["k"]).groupby("sess")[["w", "k"]].sum()
    s0 = (pooled["w"] / pooled["k"]).reindex(agg["sess"]).to_numpy()
    agg["v"] = agg["var_mod"] / agg["k"] + s0 / agg["n_ref"].where(agg["n_ref"] > 0)
    if extremes:
        agg["ce_var_mod"] = _moderated(
            agg["ce_var"].to_numpy(), agg["k"].to_numpy(), agg["g"].to_numpy()
        )
    # observed mean marks of the group and of the reference on the group's subjects
    agg["group_mean"] = agg["xsum"] / agg["marks"] + agg["smin"]
    agg["ref_mean"] = agg["rsum"] / agg["marks"] + agg["smin"]
    return agg.reset_index()


def _candidates(df: pd.DataFrame, flag_type: str) -> np.ndarray:
    return (
        (df["n"] >= _min_sheets(flag_type)) & (df["n_other"] >= _min_other(flag_type))
    ).to_numpy()


def _targeted(d: BallotData, m_b, n_b, keep_b, const, ssj, n_ssj):
    """All-minimum blocks on one subject from non-constant sheets, per session × subject."""
    S, nb = len(d.sheets), d.n_blocks
    okb = keep_b & ~const[d.sheet]
    present = d.M >= 0
    mx = np.where(present, d.M, -1).max(1)
    mn = np.where(present, d.M, 10_000).min(1)
    allmin = okb & (mx == 0)
    # a sheet that gives one mark per subject throughout (every rating below the top is
    # flat) is halo's, not evidence of singling one subject out
    top_b = d.scale_max - d.scale_min
    inf_other = okb & ~allmin & (mn < top_b) & (present.sum(1) >= 2)
    n_inf = np.bincount(d.sheet, inf_other.astype(float), S)
    n_flat = np.bincount(d.sheet, (inf_other & (mx == mn)).astype(float), S)
    halo_like = (n_inf > 0) & (n_flat == n_inf)
    allmin &= ~halo_like[d.sheet]
    if not allmin.any():
        return pd.DataFrame(), np.zeros(nb, bool)
    # the sheet's leniency on its other subjects, against the session's subject medians
    med = pd.Series(m_b[okb]).groupby(ssj[okb]).median().reindex(range(n_ssj)).to_numpy()
    dev = np.where(okb, m_b - med[ssj], 0.0)
    ds = np.bincount(d.sheet, dev, S)
    cs = np.bincount(d.sheet, okb.astype(float), S)
    c_own = cs[d.sheet] - okb
    L_minus = np.where(c_own > 0, (ds[d.sheet] - dev) / np.maximum(c_own, 1), 0.0)
    a = m_b - L_minus
    sa = pd.Series(a[okb])
    key = ssj[okb]
    nu = sa.groupby(key).median().reindex(range(n_ssj)).to_numpy()
    mad = ((sa - nu[key]).abs().groupby(key).median() * 1.4826).reindex(range(n_ssj)).to_numpy()
    cnt = np.bincount(key, minlength=n_ssj)
    big = cnt >= 10
    city_sd = float(np.nanmedian(mad[big])) if big.any() else 0.5
    n0 = 10.0
    sd = np.sqrt((cnt * np.nan_to_num(mad) ** 2 + n0 * city_sd**2) / (cnt + n0))
    thr = 0.5 / np.maximum(n_b, 1)
    p_s = np.where(okb, stats.norm.cdf((thr - L_minus - nu[ssj]) / sd[ssj]), 0.0)
    lam = np.bincount(ssj, p_s, n_ssj)
    k = np.bincount(ssj[allmin], minlength=n_ssj)
    rated = np.bincount(ssj[okb], minlength=n_ssj)
    min_cluster = int(setting("targeted_rating", "min_cluster"))
    tested = np.flatnonzero(k >= min_cluster)
    p_full = np.ones(int((rated > 0).sum()))  # the family: every rated subject × session
    pv = stats.poisson.sf(k[tested] - 1, lam[tested])
    p_full[: len(tested)] = pv
    p_adj = bh(p_full)[: len(tested)]
    warn_e = float(setting("targeted_rating", "warn_marks"))
    crit_e = float(setting("targeted_rating", "crit_marks"))
    warn_p = float(setting("targeted_rating", "warn_p"))
    crit_p = float(setting("targeted_rating", "crit_p"))
    rows, mask = [], np.zeros(nb, bool)
    order = np.argsort(ssj, kind="stable")
    bounds = np.searchsorted(ssj[order], np.arange(n_ssj + 1))
    for t, c in enumerate(tested):
        blocks = order[bounds[c] : bounds[c + 1]]
        mine = blocks[allmin[blocks]]
        rest = blocks[okb[blocks] & ~allmin[blocks]]
        sheets = d.sheet[mine]
        smin = int(d.scale_min[mine[0]])
        other_mean = float(m_b[rest].mean()) + smin if len(rest) else float("nan")
        effect = smin - other_mean if len(rest) else float("nan")
        sev = grade(
            p_adj[t],
            effect if np.isfinite(effect) else 0.0,
            warn_effect=warn_e,
            crit_effect=crit_e,
            warn_p=warn_p,
            crit_p=crit_p,
        )
        if sev is None:
            continue
        lo_, hi_ = np.searchsorted(d.sheet, sheets), np.searchsorted(d.sheet, sheets, "right")
        own_blocks = np.concatenate([np.arange(x, y) for x, y in zip(lo_, hi_, strict=True)])
        own_blocks = own_blocks[okb[own_blocks] & ~allmin[own_blocks]]
        rows.append(
            {
                "sess": int(d.sess[mine[0]]),
                "subj": int(d.subj[mine[0]]),
                "k": int(k[c]),
                "expected": float(lam[c]),
                "p": float(pv[t]),
                "p_adj": float(p_adj[t]),
                "effect": effect,
                "severity": sev,
                "sheets": sheets,
                "n_rated": int(rated[c]),
                "other_mean": other_mean,
                "min_mark": smin,
                "cluster_elsewhere": float(m_b[own_blocks].mean()) + smin
                if len(own_blocks)
                else float("nan"),
                "typical": float(nu[c]) + smin,
                "spread": float(sd[c]),
            }
        )
        if sev in ("warning", "critical"):
            mask[mine] = True
    return pd.DataFrame(rows), mask


def _favoritism(d, dev, has_ref, raw_oth, ref_var, n_oth, m_b, sgj, sgj_u, base, nJ):
    """Group × subject interaction in marks: (group − other groups on the subject) minus the
    same difference averaged over the sheet's other subjects, per sheet."""
    S = len(d.sheets)
    sd_ = np.bincount(d.sheet[has_ref], dev[has_ref], S)
    sc_ = np.bincount(d.sheet[has_ref], minlength=S).astype(float)
    c_own = sc_[d.sheet] - 1
    other = np.where(c_own > 0, (sd_[d.sheet] - dev) / np.maximum(c_own, 1), np.nan)
    c = dev - other
    use = has_ref & np.isfinite(c)
    if not use.any():
        return pd.DataFrame()
    df = pd.DataFrame(
        {
            "sgj": sgj_u[sgj[use]],
            "c": c[use],
            "m": m_b[use] + d.scale_min[use],
            "ref": raw_oth[use] + d.scale_min[use],
            "dev": dev[use],
            "other": other[use],
            "rv": ref_var[use],
            "n_oth_j": n_oth[use],
        }
    )
    agg = (
        df.groupby("sgj")
        .agg(
            y=("c", "mean"),
            var=("c", "var"),
            k=("c", "size"),
            mean=("m", "mean"),
            ref=("ref", "first"),
            dev_subject=("dev", "mean"),
            other=("other", "mean"),
            rv=("rv", "first"),
            n_oth_j=("n_oth_j", "first"),
        )
        .reset_index()
    )
    agg["sg"] = agg["sgj"] // nJ
    agg["subj"] = agg["sgj"] % nJ
    agg = agg.join(base[["sess", "g", "n", "n_other"]], on="sg")
    agg["var_mod"] = _moderated(agg["var"].to_numpy(), agg["k"].to_numpy(), agg["g"].to_numpy())
    rv = _moderated(agg["rv"].to_numpy(), agg["n_oth_j"].to_numpy(), agg["g"].to_numpy())
    agg["v"] = agg["var_mod"] / agg["k"] + rv / agg["n_oth_j"].clip(lower=1)
    cand = (
        (agg["k"] >= _min_sheets("favoritism"))
        & (agg["n_oth_j"] >= _min_other("favoritism"))
        & agg["y"].notna()
    )
    agg = agg[cand.to_numpy()]
    if agg.empty:
        return agg
    return _judge(agg, "favoritism", +1, warn_key="warn_marks", crit_key="crit_marks")


def _flat_probability(
    C: np.ndarray, ssj: np.ndarray, n_ssj: int, n_b: np.ndarray, keep: np.ndarray
) -> np.ndarray:
    """P(every item of the block has the same mark | the block's total), per block, when the
    marks of a subject are independent draws from the session's distribution for that subject
    given the rater's level (an exponential tilt, which cancels given the total) — the
    level-adjusted chance of a one-mark block without halo."""
    K = C.shape[1]
    f = np.stack([np.bincount(ssj, C[:, k] * keep, n_ssj) for k in range(K)], 1) + 0.5
    f /= f.sum(1, keepdims=True)
    n_i = n_b.astype(np.int64)
    key = ssj * 1000 + n_i
    u, inv = np.unique(key, return_inverse=True)
    rows_f = f[u // 1000]
    rows_n = u % 1000
    nmax = int(rows_n.max()) if len(u) else 0
    P = np.zeros((len(u), nmax * (K - 1) + 1))
    P[:, 0] = 1.0
    for step in range(nmax):
        grow = rows_n > step
        new = np.zeros_like(P)
        for k in range(K):
            new[:, k:] += P[:, : P.shape[1] - k] * rows_f[:, k : k + 1]
        P[grow] = new[grow]
    T = (C @ np.arange(K, dtype=float)).astype(np.int64)
    level = np.where(n_i > 0, T // np.maximum(n_i, 1), 0)
    divisible = (n_i > 0) & (T % np.maximum(n_i, 1) == 0) & (level < K)
    num = np.where(divisible, rows_f[inv, np.clip(level, 0, K - 1)] ** n_i, 0.0)
    den = P[inv, np.clip(T, 0, P.shape[1] - 1)]
    return np.where(den > 0, num / np.maximum(den, 1e-300), 0.0)


def _halo(d, keep, ok, n_b, top_b, sg_s, sess_s, C, ssj, n_ssj):
    S = len(d.sheets)
    mx = np.where(ok, d.M, -1).max(1)
    mn = np.where(ok, d.M, 10_000).min(1)
    informative = keep & (n_b >= 2) & (mn < top_b)
    flat = informative & (mx == mn)
    expected = np.where(informative, _flat_probability(C, ssj, n_ssj, n_b, keep), 0.0)
    ni = np.bincount(d.sheet, informative.astype(float), S)
    nf = np.bincount(d.sheet, flat.astype(float), S)
    ne = np.bincount(d.sheet, expected, S)
    live = ni > 0
    if not live.any():
        return pd.DataFrame()
    h = (nf[live] - ne[live]) / ni[live]  # excess share of one-mark blocks
    df = pd.DataFrame(
        {
            "sg": sg_s[live],
            "sess": sess_s[live],
            "h": h,
            "h2": h * h,
            "ni": ni[live],
            "nf": nf[live],
            "ne": ne[live],
        }
    )
    agg = df.groupby("sg").agg(
        sess=("sess", "first"),
        H=("h", "mean"),
        var=("h", "var"),
        k=("h", "size"),
        hs=("h", "sum"),
        hq=("h2", "sum"),
        blocks=("ni", "sum"),
        flat=("nf", "sum"),
        expf=("ne", "sum"),
    )
    tot = df.groupby("sess").agg(
        ts=("h", "sum"), tq=("h2", "sum"), tn=("h", "size"), tb=("ni", "sum"), tf=("nf", "sum")
    )
    agg = agg.join(tot, on="sess")
    agg["n_oth"] = agg["tn"] - agg["k"]
    no = agg["n_oth"].where(agg["n_oth"] > 0)
    agg["H_oth"] = (agg["ts"] - agg["hs"]) / no
    agg["var_oth"] = (
        ((agg["tq"] - agg["hq"]) / no - agg["H_oth"] ** 2)
        * agg["n_oth"]
        / (agg["n_oth"] - 1).where(agg["n_oth"] > 1)
    )
    agg["blocks_oth"] = agg["tb"] - agg["blocks"]
    agg["flat_oth"] = agg["tf"] - agg["flat"]
    return agg.reset_index()
