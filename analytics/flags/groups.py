"""Rater-group detectors: rater_leniency, rater_severity, halo, central_tendency, favoritism,
targeted_rating.

A rater group (测评主体类别) in a unit and period — e.g. the 40 staff sheets of one session —
is compared with **the other groups of the same session on the same subjects**, and that
difference is then judged against **the group type's usual behaviour across the city**:
staff usually rate their own leaders more generously than service recipients do, and that is
not an anomaly.  The usual value μ and the natural unit-to-unit spread τ² of every statistic
are estimated per group type with a random-effects model (DerSimonian & Laird 1986): for
session-groups i with estimate y_i and within-session variance v_i,
τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)) with w = 1/v, and μ = Σ y_i/(v_i + τ²) /
Σ 1/(v_i + τ²); session-groups with |z| > ``trim_z`` are left out of that fit (never out of
the test) and it is repeated, so a few anomalies do not inflate the spread they are judged
against.  Test: z = (y − μ) / √(v + τ²), one-sided in the flag's direction, normal p-value;
Benjamini–Hochberg over the candidates of the flag type; severity from ``grade`` on the
adjusted p and the effect y − μ (the flag's ``statistic``).  Group types seen in fewer than
3 sessions get μ = 0 and the median τ² of the others.  All periods analysed are pooled for μ
and τ².  Within-session variances come from the spread between the group's sheets (the sheet
is the independent unit), moderated towards the group type's median
((n−1)s² + 4 s0²)/(n − 1 + 4) (Smyth 2004) so that a group of two sheets that happen to
agree does not look infinitely precise.

Data: the shared sheet × subject blocks of :mod:`analytics.flags.ballots` (every mark,
relative to the scale minimum).  Left out of every group statistic: sheets flagged as
misfit_ballot at warning level (they contradict their session) and all but one copy of a
duplicate_ballots cluster at warning level or above (a bloc counts once); constant sheets are
also left out of halo and central_tendency (they are straight_lining's), and the blocks of a
targeted_rating cluster out of the references.  Candidates are session-groups with at least
``min_sheets`` sheets — never fewer than the anonymity floor ``[privacy] min_group_sheets``:
smaller groups are neither flagged nor described — and with at least ``min_other_sheets``
sheets of other groups to compare with.  A subject that a group does not rate (a team member
never rates themselves) simply has no block; every mean runs over the blocks that exist.

Latent scale (rater_leniency, rater_severity, central_tendency)
    Marks crowd the ceiling, so a difference of 0.2 marks means much more in a unit where
    everybody gives 好 than in one whose marks have room.  These detectors therefore work on
    a cumulative-probit rating-scale model: P(mark ≤ k) = Φ(τ_k − μ), with thresholds τ
    shared by the whole city (fitted by alternating moment equations) and a location μ per
    session × subject.  The unit of the latent scale is the spread of marks within a
    session-subject cell, the same everywhere.  A group's *shift* δ is the location change
    that makes its expected marks on its subjects equal its observed marks, against the other
    groups' location on each subject (moment equation, Newton).  Its variance is the
    sheet-clustered sandwich (pseudo-value per sheet = its residual score / information).

rater_leniency / rater_severity (candidates: session-group)
    y = δ (latent SD units); statistic = δ − μ_g, the departure from the group type's usual
    shift.  The other groups are the reference, so when one large group deviates (say 70
    severe staff sheets), every small group would look lenient against it: the detector
    therefore works greedily — in each round the most significant deviant group of each
    session leaves the reference of the others, and everything is re-judged, until nothing
    changes (details: ``reference_excludes``).  With only two groups, the stronger evidence
    wins and the other has no reference left.  A subject singled out by a favoritism flag is
    left out so that one subject does not make a group "lenient".  A group also flagged for
    central_tendency is not called severe as well (its low level is the crowding itself):
    that severity flag is kept as info.
central_tendency (candidates: session-group)
    The other groups' location on each subject is shifted by the group's own δ (so a merely
    severe or lenient group is matched), and the share of the group's marks at either end of
    the scale is compared with the share the model implies there.  y = observed − expected
    share (negative = crowding the middle); variance from the sheets' own shortfalls;
    one-sided (lower).
favoritism (candidates: subject × group × period)
    In marks: each block's departure from the other groups' mean on the same subject (the
    groups' usual city-wide offsets β removed; β from an additive two-way fit of block means
    on session × subject and group type), minus the same sheet's mean departure on its other
    subjects.  y = the group's mean of that interaction, so neither the group's general
    leniency nor what the other groups give the subject can produce it.  Variance from the
    sheets plus the other groups' spread on the subject; one-sided (higher).  A group that is
    itself flagged as lenient, severe, central or halo rates every subject differently, and on
    a ceiling-bound scale that shows unevenly across subjects: its favoritism flags are kept
    as info with that note.
halo (candidates: session-group)
    Among a sheet's *informative* blocks (≥ 2 items, not all at the scale top — an all-好
    block is as consistent with true excellence as with halo), the share that give one and
    the same mark to every item, minus the share expected at the same totals: given a block's
    total T over n items, the chance that all n marks are equal is f(T/n)ⁿ / [zᵀ](Σ_k f_k zᵏ)ⁿ
    when the items are independent draws from the session's distribution f for that subject
    tilted to the rater's level (the tilt cancels given T) — so a group that merely rates at a
    different level is matched.  y = the group's mean excess − the other groups' mean excess
    in the session; variance from both sides' sheets; one-sided (higher).
targeted_rating (candidates: subject × period)
    Blocks where a non-constant sheet gives one subject the scale minimum on every item.
    Null: a sheet's mean mark on the subject, corrected for its own leniency on its other
    subjects, is normal around the session's median for that subject with the session's
    robust spread (1.4826·MAD, shrunk towards the city's with weight 10 sheets) — robust to the
    cluster itself.  The chance that sheet s falls to the minimum is
    p_s = Φ((½/n − L_s − ν)/σ) (continuity-corrected), and the count of minimum blocks is
    Poisson-binomial ≈ Poisson(Σ p_s): P(count ≥ k).  A subject whom everybody rates poorly
    has a low ν and a wide σ, so its all-minimum blocks are expected; one whom the rest of the
    session rates well is not.  A sheet whose every rating below the top is a one-mark block
    (a halo sheet) is not counted: it singles nobody out.  At least ``min_cluster`` such
    sheets; BH over every rated subject × session.  statistic (signed) = the cluster's
    mark − the other sheets' mean on the subject; rater_group set when the cluster's sheets
    all come from one group.

References: Thorndike 1920 (halo); Saal, Downey & Lahey 1980 and Myford & Wolfe 2003/2004
(rater effects: leniency/severity, central tendency, halo); DerSimonian & Laird 1986; Smyth
2004 (moderated variances); Andrich 1978 (rating-scale model).
"""

# ruff: noqa: N803, N806  (mathematical names: S sheets, K categories, C counts)

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from analytics import privacy
from analytics import texts as tx
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.flags.ballots import (
    BallotData,
    ballot_data,
    block_counts,
    duplicate_clusters,
    sheet_stats,
    visible_groups,
)
from analytics.texts import Text

GROUP_TYPES = (
    "rater_leniency",
    "rater_severity",
    "halo",
    "central_tendency",
    "favoritism",
    "targeted_rating",
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


# ---- shared analysis ---------------------------------------------------------------------------
@dataclass
class GroupResults:
    """Judged candidates of every group-level type (one frame per flag type)."""

    frames: dict[str, pd.DataFrame]
    base: pd.DataFrame


def group_results(ctx) -> GroupResults:
    return ctx.memo(("flags.groups", "results"), lambda: _analyse(ctx))


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


def _analyse(ctx) -> GroupResults:
    d = ballot_data(ctx)
    frames = {t: pd.DataFrame() for t in GROUP_TYPES}
    if d.n_blocks == 0:
        return GroupResults(frames, pd.DataFrame())
    st = sheet_stats(ctx).frame
    S, nG = len(d.sheets), len(d.groups)
    nJ = max(len(d.subjects), 1)
    mf_p = float(setting("misfit_ballot", "warn_p"))
    mf_e = float(setting("misfit_ballot", "warn_outfit"))
    misfit = (st["tested"] & (st["p_adj"] <= mf_p) & (st["outfit"] >= mf_e)).to_numpy().copy()
    # a bloc of identical sheets counts once: its copies leave the group statistics
    for r in duplicate_clusters(ctx):
        if r["severity"] in ("warning", "critical"):
            misfit[r["clusters"][0]["sheets"][1:]] = True
    const = d.sheets["const"].to_numpy()
    ok = d.M >= 0
    n_b = ok.sum(1).astype(float)
    m_b = np.where(n_b > 0, np.where(ok, d.M, 0).sum(1) / np.maximum(n_b, 1), np.nan)
    top_b = (d.scale_max - d.scale_min).astype(np.int64)
    keep_b = ~misfit[d.sheet] & (n_b > 0)
    sess_s, g_s = d.sheets["sess"].to_numpy(), d.sheets["g"].to_numpy()
    sg_s = sess_s * (nG + 1) + g_s
    sg_b = sg_s[d.sheet]
    ssj_u, ssj = np.unique(d.sess * nJ + d.subj, return_inverse=True)
    sgj_u, sgj = np.unique(sg_b * nJ + d.subj, return_inverse=True)

    # session-groups
    kept = (~misfit).astype(float)
    sg_u, sg_inv = np.unique(sg_s, return_inverse=True)
    base = pd.DataFrame(
        {
            "sg": sg_u,
            "n": np.bincount(sg_inv, kept).astype(int),
            "n_all": np.bincount(sg_inv).astype(int),
        }
    )
    base["sess"] = base["sg"] // (nG + 1)
    base["g"] = base["sg"] % (nG + 1)
    n_sess = np.bincount(sess_s, kept)
    base["n_other"] = (n_sess[base["sess"].to_numpy()] - base["n"]).astype(int)
    base["period_id"] = d.sessions["period_id"].reindex(base["sess"]).to_numpy()
    base["unit_id"] = d.sessions["unit_id"].reindex(base["sess"]).to_numpy()
    base["rater_group"] = [d.groups[int(g)] for g in base["g"]]
    smin_s = np.zeros(S, np.int64)
    smin_s[d.sheet] = d.scale_min
    base["smin"] = pd.Series(smin_s).groupby(sg_s).first().reindex(base["sg"]).to_numpy()
    base = base.set_index("sg")

    # ---- targeted_rating ----------------------------------------------------------------
    tgt, tgt_blocks = _targeted(d, m_b, n_b, keep_b, const, ssj, len(ssj_u))
    frames["targeted_rating"] = tgt

    # ---- two-way additive fit: block mean ~ session × subject + group type --------------
    use = keep_b & ~tgt_blocks
    cnt_g = np.maximum(np.bincount(d.g[use], minlength=nG), 1)
    beta = np.zeros(nG)
    a_ssj = np.zeros(len(ssj_u))
    for _ in range(6):
        a_ssj = np.bincount(ssj[use], (m_b - beta[d.g])[use], len(ssj_u)) / np.maximum(
            np.bincount(ssj[use], minlength=len(ssj_u)), 1
        )
        beta = np.bincount(d.g[use], (m_b - a_ssj[ssj])[use], nG) / cnt_g
        beta -= np.average(beta, weights=cnt_g)
    adj = np.where(use, m_b - beta[d.g], 0.0)
    uf = use.astype(float)
    T_ssj, N_ssj = np.bincount(ssj, adj, len(ssj_u)), np.bincount(ssj, uf, len(ssj_u))
    Q_ssj = np.bincount(ssj, adj**2, len(ssj_u))
    T_sgj, N_sgj = np.bincount(sgj, adj, len(sgj_u)), np.bincount(sgj, uf, len(sgj_u))
    Q_sgj = np.bincount(sgj, adj**2, len(sgj_u))
    n_oth = N_ssj[ssj] - N_sgj[sgj]
    ref = np.where(n_oth > 0, (T_ssj[ssj] - T_sgj[sgj]) / np.maximum(n_oth, 1), np.nan)
    ref_var = np.where(
        n_oth > 1,
        np.maximum((Q_ssj[ssj] - Q_sgj[sgj]) / np.maximum(n_oth, 1) - ref**2, 0)
        * n_oth
        / np.maximum(n_oth - 1, 1),
        np.nan,
    )
    dev = m_b - ref
    has_ref = np.isfinite(dev) & use
    mr = np.where(use, m_b, 0.0)
    raw_oth = np.where(
        n_oth > 0,
        (np.bincount(ssj, mr, len(ssj_u))[ssj] - np.bincount(sgj, mr, len(sgj_u))[sgj])
        / np.maximum(n_oth, 1),
        np.nan,
    )

    # ---- favoritism ---------------------------------------------------------------------
    fav = _favoritism(d, dev, has_ref, raw_oth, ref_var, n_oth, m_b, sgj, sgj_u, base, nJ)
    frames["favoritism"] = fav
    fav_alarm = (
        set(fav.loc[fav["severity"].isin(["warning", "critical"]), "sgj"]) if len(fav) else set()
    )

    # ---- leniency / severity / central tendency on the latent scale ---------------------
    # greedy: per session the most significant deviant group leaves the others' reference
    C = block_counts(d)
    cells = np.stack([np.bincount(ssj, (C[:, k] * use), len(ssj_u)) for k in range(d.K)], 1)
    tau = fit_thresholds(cells) if d.K >= 2 else np.zeros(1)
    singled = np.isin(sgj_u[sgj], list(fav_alarm)) if fav_alarm else np.zeros(len(sgj), bool)
    ssj_of = np.zeros(len(sgj_u), np.int64)
    ssj_of[sgj] = ssj
    lmask = use & ~singled
    grp_l = np.stack([np.bincount(sgj, C[:, k] * lmask, len(sgj_u)) for k in range(d.K)], 1)
    excluded: set[int] = set()
    for _round in range(6):
        agg = _latent_round(
            d,
            C,
            grp_l,
            ssj_of,
            tau,
            sgj,
            sgj_u,
            sg_b,
            sg_s,
            sess_s,
            lmask,
            excluded,
            base,
            top_b,
            nJ,
        )
        agg = agg[
            _candidates(agg.assign(n_other=agg["n_ref"]), "rater_leniency")
            & agg["y"].notna().to_numpy()
            & agg["v"].notna().to_numpy()
        ]
        len_j = _judge(agg, "rater_leniency", +1, warn_key="warn_shift", crit_key="crit_shift")
        sev_j = _judge(
            len_j, "rater_severity", -1, warn_key="warn_shift", crit_key="crit_shift", fit=False
        )
        both = pd.concat([len_j, sev_j])
        alarm = both[
            both["severity"].isin(["warning", "critical"]) & ~both["sg"].isin(list(excluded))
        ]
        if alarm.empty:
            break
        worst = alarm.sort_values(["p_adj"]).groupby("sess")["sg"].first()
        new = {int(x) for x in worst} - excluded
        if not new:
            break
        excluded |= new
    by_sess: dict[int, list[int]] = {}
    for x in sorted(excluded):
        by_sess.setdefault(int(x // (nG + 1)), []).append(int(x))
    ref_ex = [
        sorted(d.groups[x % (nG + 1)] for x in by_sess.get(int(ss_), []) if x != sg)
        for ss_, sg in zip(len_j["sess"], len_j["sg"], strict=True)
    ]
    len_j["reference_excludes"] = ref_ex
    sev_j["reference_excludes"] = ref_ex

    # central tendency: ends of the scale at the group's own latent level
    cmask = keep_b & ~const[d.sheet] & ~tgt_blocks & ~singled
    grp_c = np.stack([np.bincount(sgj, C[:, k] * cmask, len(sgj_u)) for k in range(d.K)], 1)
    cen_src = _latent_round(
        d,
        C,
        grp_c,
        ssj_of,
        tau,
        sgj,
        sgj_u,
        sg_b,
        sg_s,
        sess_s,
        cmask,
        excluded,
        base,
        top_b,
        nJ,
        extremes=True,
    )
    cen = cen_src.rename(columns={"y": "shift"})
    cen["y"] = cen["ce"]
    cen["v"] = cen["ce_var_mod"] / cen["k"]
    cen = cen[
        _candidates(cen.assign(n_other=cen["n_ref"]), "central_tendency")
        & cen["y"].notna().to_numpy()
    ]
    central_alarm: set[int] = set()
    if len(cen):
        cen = _judge(cen, "central_tendency", -1, warn_key="warn_share", crit_key="crit_share")
        central_alarm = set(cen.loc[cen["severity"].isin(["warning", "critical"]), "sg"])
        frames["central_tendency"] = cen
    group_wide = set(central_alarm)
    for f_ in (len_j, sev_j):
        group_wide |= set(f_.loc[f_["severity"].isin(["warning", "critical"]), "sg"])
    demote = sev_j["sg"].isin(list(central_alarm)) & sev_j["severity"].isin(["warning", "critical"])
    sev_j.loc[demote, "severity"] = "info"
    sev_j["central"] = sev_j["sg"].isin(list(central_alarm))
    frames["rater_leniency"] = len_j
    frames["rater_severity"] = sev_j

    # ---- halo ---------------------------------------------------------------------------
    hal = _halo(
        d, keep_b & ~const[d.sheet] & ~tgt_blocks, ok, n_b, top_b, sg_s, sess_s, C, ssj, len(ssj_u)
    )
    if len(hal):
        hal = hal.join(base[["g", "n", "n_other"]], on="sg")
        hal["var_mod"] = _moderated(hal["var"].to_numpy(), hal["k"].to_numpy(), hal["g"].to_numpy())
        vo_mod = _moderated(hal["var_oth"].to_numpy(), hal["n_oth"].to_numpy(), hal["g"].to_numpy())
        hal["v"] = hal["var_mod"] / hal["k"] + vo_mod / hal["n_oth"].where(hal["n_oth"] > 0)
        hal["y"] = hal["H"] - hal["H_oth"]
        hal = hal[_candidates(hal.set_index("sg"), "halo") & hal["y"].notna().to_numpy()]
        frames["halo"] = _judge(hal, "halo", +1, warn_key="warn_share", crit_key="crit_share")
        h_ = frames["halo"]
        group_wide |= set(h_.loc[h_["severity"].isin(["warning", "critical"]), "sg"])
    # a group that rates every subject differently (lenient, severe, central, halo) shows its
    # effect unevenly across subjects near the ceiling: its favoritism flags become notes
    if len(fav):
        fav["group_wide"] = fav["sg"].isin(list(group_wide))
        dem = fav["group_wide"] & fav["severity"].isin(["warning", "critical"])
        fav.loc[dem, "severity"] = "info"
        frames["favoritism"] = fav
    return GroupResults(frames, base)


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


# ---- detectors ---------------------------------------------------------------------------------
def _defaults(**extra):
    return {**COMMON, **extra}


LEN_DEFAULTS = _defaults(
    warn_shift=0.5,  # departure from the group type's usual latent offset (cell SDs), warning
    crit_shift=1.0,  # … for a critical flag
)
CEN_DEFAULTS = _defaults(
    warn_share=0.15,  # shortfall of marks at the scale ends (share of marks) for a warning
    crit_share=0.3,  # … for a critical flag
)
HALO_DEFAULTS = _defaults(
    warn_share=0.3,  # excess share of one-mark-for-every-item blocks for a warning
    crit_share=0.5,  # … for a critical flag
)
FAV_DEFAULTS = _defaults(
    warn_marks=0.4,  # extra marks for one subject beyond the group's departure on its
    #                    other subjects (both against the other groups), for a warning
    crit_marks=0.8,  # … for a critical flag
)
TGT_DEFAULTS = {
    "min_cluster": 3,  # sheets giving the subject the minimum everywhere needed to test
    "warn_p": 0.05,  # BH-adjusted p for a warning (a 5% false-discovery rate)
    "crit_p": 0.001,  # … for a critical flag
    "warn_marks": 1.0,  # gap between the cluster's mark and the others' mean for a warning
    "crit_marks": 2.0,  # … for a critical flag
}


def _what(subject_type: str, subject_id: str) -> dict:
    """The rated subject in a sentence: the team, or the cadre by name."""
    if subject_type == "team":
        return tx.text("ev.what.team")
    return tx.text("ev.what.cadre", cadre=tx.cadre(subject_id))


def _subject(d: BallotData, j: int) -> tuple[str, str]:
    r = d.subjects.iloc[int(j)]
    return str(r["subject_type"]), str(r["subject_id"])


def _pfmt(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _alarms(df: pd.DataFrame) -> pd.DataFrame:
    if df is None or df.empty or "severity" not in df:
        return pd.DataFrame()
    return df[df["severity"].notna()]


@detector("rater_leniency", defaults=LEN_DEFAULTS)
def detect_leniency(ctx) -> list[Flag]:
    return _shift_flags(ctx, "rater_leniency")


@detector("rater_severity", defaults=LEN_DEFAULTS)
def detect_severity(ctx) -> list[Flag]:
    return _shift_flags(ctx, "rater_severity")


def _shift_flags(ctx, flag_type: str) -> list[Flag]:
    res = group_results(ctx)
    df = _alarms(res.frames[flag_type])
    out = []
    up = flag_type == "rater_leniency"
    for r in df.itertuples(index=False):
        b = res.base.loc[r.sg]
        g = b["rater_group"]
        sd = math.sqrt(r.tau2)
        central = bool(getattr(r, "central", False))
        excl = list(r.reference_excludes)
        text = Text(
            "ev.rater_shift",
            {
                "group": tx.group(g),
                "group2": tx.group(g),
                "n": tx.count(int(b["n"])),
                "mean": tx.num(r.group_mean, 2),
                "ref": tx.num(r.ref_mean, 2),
                "excluded": tx.text(
                    "ev.rater_shift.excluded", groups=tx.items([tx.group(x) for x in excl])
                )
                if excl
                else "",
                "y": tx.signed(r.y, 2),
                "mu": tx.signed(r.mu, 2),
                "sd": tx.num(sd, 2),
                "effect": tx.num(abs(r.effect), 2),
                "direction": tx.text("ev.dir.above" if up else "ev.dir.below"),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
                "note": tx.text("ev.rater_shift.central_note") if central and not up else "",
            },
        )
        out.append(
            Flag(
                flag_type,
                b["period_id"],
                "rater_group",
                g,
                b["unit_id"],
                g,
                r.severity,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "n_sheets": int(b["n"]),
                    "n_reference_sheets": int(r.n_ref),
                    "group_mean_mark": _pfmt(r.group_mean),
                    "others_mean_mark": _pfmt(r.ref_mean),
                    "latent_shift": _pfmt(r.y),
                    "usual_shift": _pfmt(r.mu),
                    "between_unit_sd": _pfmt(sd),
                    "within_se": _pfmt(math.sqrt(r.v)),
                    "z": _pfmt(r.z),
                    "p_raw": _pfmt(r.p),
                    "reference_excludes": excl,
                    "central_tendency_also": central,
                    "null_model": "cumulative probit with city-wide thresholds; group shift vs the "
                    "other groups on the same subjects (sheet-clustered variance); "
                    "DerSimonian-Laird random effects per group type",
                },
            )
        )
    return out


@detector("central_tendency", defaults=CEN_DEFAULTS)
def detect_central(ctx) -> list[Flag]:
    res = group_results(ctx)
    out = []
    for r in _alarms(res.frames["central_tendency"]).itertuples(index=False):
        b = res.base.loc[r.sg]
        g = b["rater_group"]
        obs, exp_, oth = r.obs / r.marks, r.exp / r.marks, r.others / r.marks
        text = Text(
            "ev.central_tendency",
            {
                "group": tx.group(g),
                "group2": tx.group(g),
                "n": tx.count(int(b["n"])),
                "obs": tx.pct(obs, 0),
                "expected": tx.pct(exp_, 0),
                "others": tx.pct(oth, 0),
                "shortfall": tx.pp(r.effect, 0, signed=False),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
            },
        )
        out.append(
            Flag(
                "central_tendency",
                b["period_id"],
                "rater_group",
                g,
                b["unit_id"],
                g,
                r.severity,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "n_sheets": int(b["n"]),
                    "marks": int(r.marks),
                    "extreme_share": _pfmt(obs),
                    "expected_share_at_own_level": _pfmt(exp_),
                    "other_groups_share": _pfmt(oth),
                    "usual_excess": _pfmt(r.mu),
                    "between_unit_sd": _pfmt(math.sqrt(r.tau2)),
                    "latent_shift": _pfmt(r.shift),
                    "z": _pfmt(r.z),
                    "p_raw": _pfmt(r.p),
                    "null_model": "other groups' mark distribution tilted to the group's mean "
                    "level; "
                    "DerSimonian-Laird baseline per group type",
                },
            )
        )
    return out


@detector("halo", defaults=HALO_DEFAULTS)
def detect_halo(ctx) -> list[Flag]:
    res = group_results(ctx)
    out = []
    for r in _alarms(res.frames["halo"]).itertuples(index=False):
        b = res.base.loc[r.sg]
        g = b["rater_group"]
        share = r.flat / r.blocks if r.blocks else float("nan")
        exp_ = r.expf / r.blocks if r.blocks else float("nan")
        oth = r.flat_oth / r.blocks_oth if r.blocks_oth else float("nan")
        text = Text(
            "ev.halo",
            {
                "group": tx.group(g),
                "group2": tx.group(g),
                "n": tx.count(int(b["n"])),
                "share": tx.pct(share, 0),
                "expected": tx.pct(exp_, 0),
                "others": tx.pct(oth, 0),
                "excess": tx.pp(r.y, 0),
                "beyond": tx.pp(r.effect, 0),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
            },
        )
        out.append(
            Flag(
                "halo",
                b["period_id"],
                "rater_group",
                g,
                b["unit_id"],
                g,
                r.severity,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "n_sheets": int(b["n"]),
                    "flat_share": _pfmt(share),
                    "expected_flat_share": _pfmt(exp_),
                    "other_groups_flat_share": _pfmt(oth),
                    "informative_ratings": int(r.blocks),
                    "flat_ratings": int(r.flat),
                    "excess_vs_other_groups": _pfmt(r.y),
                    "usual_excess": _pfmt(r.mu),
                    "between_unit_sd": _pfmt(math.sqrt(r.tau2)),
                    "z": _pfmt(r.z),
                    "p_raw": _pfmt(r.p),
                    "null_model": "chance of a one-mark rating given its total (items independent "
                    "given the rater's level), excess vs the other groups of the "
                    "session; DerSimonian-Laird baseline per group type",
                },
            )
        )
    return out


@detector("favoritism", defaults=FAV_DEFAULTS)
def detect_favoritism(ctx) -> list[Flag]:
    res = group_results(ctx)
    d = ballot_data(ctx)
    out = []
    for r in _alarms(res.frames["favoritism"]).itertuples(index=False):
        b = res.base.loc[r.sg]
        g = b["rater_group"]
        stype, sid = _subject(d, r.subj)
        text = Text(
            "ev.favoritism",
            {
                "group": tx.group(g),
                "group2": tx.group(g),
                "n": tx.count(int(r.k)),
                "what": _what(stype, sid),
                "mean": tx.num(r.mean, 2),
                "ref": tx.num(r.ref, 2),
                "dev": tx.signed(r.dev_subject, 2),
                "other": tx.signed(r.other, 2),
                "y": tx.signed(r.y, 2),
                "effect": tx.signed(r.effect, 2),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
                "note": tx.text("ev.favoritism.group_wide", group=tx.group(g))
                if getattr(r, "group_wide", False)
                else "",
            },
        )
        out.append(
            Flag(
                "favoritism",
                b["period_id"],
                stype,
                sid,
                b["unit_id"],
                g,
                r.severity,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "n_sheets": int(r.k),
                    "n_other_sheets": int(r.n_oth_j),
                    "group_mean_on_subject": _pfmt(r.mean),
                    "other_groups_mean_on_subject": _pfmt(r.ref),
                    "departure_on_subject": _pfmt(r.dev_subject),
                    "departure_elsewhere": _pfmt(r.other),
                    "favour": _pfmt(r.y),
                    "usual": _pfmt(r.mu),
                    "between_unit_sd": _pfmt(math.sqrt(r.tau2)),
                    "z": _pfmt(r.z),
                    "p_raw": _pfmt(r.p),
                    "group_wide_effect": bool(getattr(r, "group_wide", False)),
                    "null_model": "group x subject interaction vs the other groups (usual group "
                    "offsets removed), the group's departure on its other subjects "
                    "removed; DerSimonian-Laird baseline per group type",
                },
            )
        )
    return out


@detector("targeted_rating", defaults=TGT_DEFAULTS)
def detect_targeted(ctx) -> list[Flag]:
    res = group_results(ctx)
    d = ballot_data(ctx)
    df = res.frames["targeted_rating"]
    out = []
    if df is None or df.empty:
        return out
    shown = visible_groups(d.sheets)
    for r in df.itertuples(index=False):
        stype, sid = _subject(d, r.subj)
        sess = d.sessions.loc[r.sess]
        rows = d.sheets.loc[r.sheets]
        grp = rows["rater_group"].astype(str)
        counts = grp.value_counts().to_dict()
        # groups below the anonymity floor in this session are not named
        named = {
            g: n for g, n in counts.items() if shown.get((sess["period_id"], sess["unit_id"], g))
        }
        small = int(sum(counts.values()) - sum(named.values()))
        rg = next(iter(named)) if len(counts) == 1 and named else None
        parts = [
            tx.text("ev.targeted_rating.part", group=tx.group(g), n=tx.count(n))
            for g, n in named.items()
        ]
        if small:
            parts.append(tx.text("ev.targeted_rating.part_small", n=tx.count(small)))
        who = (
            tx.text("ev.targeted_rating.who_one", k=tx.count(r.k), group=tx.group(rg))
            if rg
            else tx.text("ev.targeted_rating.who_many", k=tx.count(r.k), parts=tx.items(parts))
        )
        text = Text(
            "ev.targeted_rating",
            {
                "who": who,
                "what": _what(stype, sid),
                "min_mark": r.min_mark,
                "n_others": tx.count(r.n_rated - r.k),
                "other_mean": tx.num(r.other_mean, 2),
                "elsewhere": tx.text(
                    "ev.targeted_rating.elsewhere", mean=tx.num(r.cluster_elsewhere, 2)
                )
                if math.isfinite(r.cluster_elsewhere)
                else "",
                "expected": tx.small(r.expected),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
            },
        )
        out.append(
            Flag(
                "targeted_rating",
                sess["period_id"],
                stype,
                sid,
                sess["unit_id"],
                rg,
                r.severity,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "ballot_ids": rows["ballot_id"].tolist(),
                    "n_sheets": int(r.k),
                    "rater_groups": {
                        **{str(k): int(v) for k, v in named.items()},
                        **({"small_groups": small} if small else {}),
                    },
                    "sheets_rating_subject": int(r.n_rated),
                    "minimum_mark": int(r.min_mark),
                    "others_mean_on_subject": _pfmt(r.other_mean),
                    "cluster_mean_elsewhere": _pfmt(r.cluster_elsewhere),
                    "expected_by_chance": _pfmt(r.expected),
                    "p_raw": _pfmt(r.p),
                    "typical_adjusted_mean": _pfmt(r.typical),
                    "spread": _pfmt(r.spread),
                    "null_model": "sheet's mean on the subject, corrected for its leniency on "
                    "other "
                    "subjects, normal around the session's median (robust spread); "
                    "Poisson count of minimum blocks",
                },
            )
        )
    return out
