"""The shared analysis of the rater-group detectors (analytics.flags.groups), run once per
context: every session-group located on the latent scale against the other groups of its
session, the baselines per group type, and the candidate frames of each group flag type,
graded.
"""

# ruff: noqa: N806  (mathematical names: S sheets, K categories, C counts)

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.flags import GROUP_TYPES, setting
from analytics.flags.ballot_model import (
    ballot_data,
    block_counts,
    sheet_stats,
)
from analytics.flags.ballots import duplicate_clusters
from analytics.flags.group_stats import (
    _candidates,
    _favoritism,
    _halo,
    _judge,
    _latent_round,
    _moderated,
    _targeted,
    fit_thresholds,
)


# ---- shared analysis ---------------------------------------------------------------------------
@dataclass
class GroupResults:
    """Judged candidates of every group-level type (one frame per flag type)."""

    frames: dict[str, pd.DataFrame]
    base: pd.DataFrame


def group_results(ctx) -> GroupResults:
    return ctx.memo(("flags.groups", "results"), lambda: _analyse(ctx))


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
    # the session-group-subject layout every latent round works on
    layout = {
        "ssj_of": ssj_of,
        "tau": tau,
        "sgj": sgj,
        "sgj_u": sgj_u,
        "sg_b": sg_b,
        "sg_s": sg_s,
        "sess_s": sess_s,
        "base": base,
        "top_b": top_b,
        "nJ": nJ,
    }
    for _round in range(6):
        agg = _latent_round(d, C, grp_l, live_blocks=lmask, excluded=excluded, **layout)
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
        d, C, grp_c, live_blocks=cmask, excluded=excluded, extremes=True, **layout
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
