"""The ballot data and the tilted session model the sheet detectors share
(analytics.flags.ballots): sheet × subject blocks packed from the ballots, each sheet's own
leniency (tilt) fitted within its session, and the per-sheet statistics (outfit, agreement,
location, dispersion) with robust z-scores.
"""

# ruff: noqa: N803, N806, SIM300  (mathematical names: S sheets, K categories, M marks)

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analytics import privacy
from analytics.flags import bh, setting

_PERIODS = "(SELECT unnest($periods::VARCHAR[]))"
THETA_CAP = 8.0


def visible_groups(sh: pd.DataFrame) -> dict:
    """(period_id, unit_id, rater_group) → the group's name when the group cast at least
    ``[privacy] min_group_sheets`` sheets in that session, else None: a flag about one sheet
    must not say which small group it came from (the anonymity floor)."""
    return privacy.nameable_groups(sh)


# ---- shared data ------------------------------------------------------------------------------
@dataclass
class BallotData:
    """Blocks (sheet × subject) with their marks, and the sheet / session / subject codes.

    ``M`` is blocks × items: the relative mark (score − scale_min) of each item position of
    the block's subject type, −1 where the sheet has no mark for that item.
    """

    sheets: pd.DataFrame  # index = sheet code: ballot_id, period_id, unit_id, rater_group,
    #                           sess, g, n_marks, n_blocks, lo, hi (relative), const
    sessions: pd.DataFrame  # index = session code: period_id, unit_id
    subjects: pd.DataFrame  # index = subject code: subject_type, subject_id
    groups: list[str]  # rater group codes
    sheet: np.ndarray  # per block
    subj: np.ndarray
    sess: np.ndarray
    g: np.ndarray
    M: np.ndarray  # blocks × items (int16)
    K: int  # categories of the widest scale
    scale_min: np.ndarray  # per block (of its subject type)
    scale_max: np.ndarray
    words: np.ndarray  # blocks × words: packed marks (exact block signature)

    @property
    def n_blocks(self) -> int:
        return len(self.sheet)


def ballot_data(ctx) -> BallotData:
    """The shared block data of the analysed periods (computed once per context)."""
    return ctx.memo(("flags.ballots", "data"), lambda: _load(ctx))


def _load(ctx) -> BallotData:
    con = ctx.con
    params = {"periods": list(ctx.period_ids)}
    items = con.execute("""
        SELECT item_id, subject_type, scale_min, scale_max,
               (row_number() OVER (PARTITION BY subject_type ORDER BY item_id) - 1)::INT AS pos
        FROM items""").df()
    if items.empty:
        return _empty()
    rng = int((items["scale_max"] - items["scale_min"]).max())
    bits = max(1, rng.bit_length())
    per_word = 64 // bits
    n_items = int(items["pos"].max()) + 1
    n_words = -(-n_items // per_word)
    n_masks = -(-n_items // 64)
    words = ", ".join(
        f"sum(CASE WHEN i.pos // {per_word} = {w} THEN (b.score - i.scale_min)::UBIGINT "
        f"<< ((i.pos % {per_word}) * {bits})::UBIGINT ELSE 0::UBIGINT END)::UBIGINT AS w{w}"
        if n_words > 1
        else f"sum((b.score - i.scale_min)::UBIGINT << (i.pos * {bits})::UBIGINT)::UBIGINT AS w0"
        for w in range(n_words)
    )
    masks = ", ".join(
        f"bit_or(CASE WHEN i.pos // 64 = {w} THEN 1::UBIGINT << (i.pos % 64)::UBIGINT "
        f"ELSE 0::UBIGINT END) AS m{w}"
        if n_masks > 1
        else "bit_or(1::UBIGINT << i.pos::UBIGINT) AS m0"
        for w in range(n_masks)
    )
    blk = con.execute(
        f"""
        WITH i AS (
            SELECT item_id, scale_min,
                   (row_number() OVER (PARTITION BY subject_type ORDER BY item_id) - 1)::INT
                       AS pos
            FROM items)
        SELECT hash(b.ballot_id) AS hb, hash(b.subject_type, b.subject_id) AS hs, {words},
               {masks}
        FROM ballots b JOIN i USING (item_id)
        WHERE b.period_id IN {_PERIODS}
        GROUP BY b.ballot_id, b.subject_type, b.subject_id""",
        params,
    ).fetchnumpy()
    if len(blk["hb"]) == 0:
        return _empty()
    sh = con.execute(
        f"""
        SELECT hash(ballot_id) AS hb, ballot_id, any_value(period_id) AS period_id,
               any_value(unit_id) AS unit_id, any_value(rater_group) AS rater_group
        FROM ballots WHERE period_id IN {_PERIODS} GROUP BY ballot_id""",
        params,
    ).df()
    subj = con.execute(
        f"""
        SELECT DISTINCT hash(subject_type, subject_id) AS hs, subject_type, subject_id
        FROM ballots WHERE period_id IN {_PERIODS}""",
        params,
    ).df()

    sh = sh.sort_values(["period_id", "unit_id", "rater_group", "ballot_id"], ignore_index=True)
    sess_code, _ = pd.factorize(sh["period_id"].astype(str) + "\x1f" + sh["unit_id"].astype(str))
    sh["sess"] = sess_code.astype(np.int64)
    groups = sorted(sh["rater_group"].astype(str).unique())
    sh["g"] = pd.Categorical(sh["rater_group"], categories=groups).codes.astype(np.int64)
    sessions = (
        sh.drop_duplicates("sess")[["sess", "period_id", "unit_id"]].set_index("sess").sort_index()
    )
    subj = subj.sort_values(["subject_type", "subject_id"], ignore_index=True)

    hb = sh["hb"].to_numpy(np.uint64)
    o = np.argsort(hb)
    s_idx = o[np.searchsorted(hb[o], np.asarray(blk["hb"], np.uint64))]
    hs = subj["hs"].to_numpy(np.uint64)
    o = np.argsort(hs)
    j_idx = o[np.searchsorted(hs[o], np.asarray(blk["hs"], np.uint64))]
    order = np.lexsort((j_idx, s_idx))
    sheet, subj_b = s_idx[order].astype(np.int64), j_idx[order].astype(np.int64)

    nb = len(sheet)
    W = np.stack([np.asarray(blk[f"w{w}"], np.uint64)[order] for w in range(n_words)], 1)
    masks = [np.asarray(blk[f"m{w}"], np.uint64)[order] for w in range(n_masks)]
    M = np.full((nb, n_items), -1, dtype=np.int16)
    field = np.uint64((1 << bits) - 1)
    for pos in range(n_items):
        v = (W[:, pos // per_word] >> np.uint64((pos % per_word) * bits)) & field
        present = ((masks[pos // 64] >> np.uint64(pos % 64)) & np.uint64(1)).astype(bool)
        M[present, pos] = v[present].astype(np.int16)

    lim = items.groupby("subject_type").agg(lo=("scale_min", "min"), hi=("scale_max", "max"))
    st = subj["subject_type"]
    smin = st.map(lim["lo"]).fillna(0).to_numpy(np.int64)[subj_b]
    smax = st.map(lim["hi"]).fillna(0).to_numpy(np.int64)[subj_b]

    S = len(sh)
    ok = M >= 0
    n_b = ok.sum(1)
    sh["n_marks"] = np.bincount(sheet, n_b, S).astype(np.int64)
    sh["n_blocks"] = np.bincount(sheet, minlength=S)
    big = np.int16(10_000)
    starts = np.searchsorted(sheet, np.arange(S))
    blo = np.where(ok, M, big).min(1) + smin
    bhi = np.where(ok, M, -1).max(1) + smin
    has = sh["n_blocks"].to_numpy() > 0
    lo = np.full(S, np.nan)
    hi = np.full(S, np.nan)
    lo[has] = np.minimum.reduceat(blo, starts[has])
    hi[has] = np.maximum.reduceat(bhi, starts[has])
    sh["lo"], sh["hi"] = lo, hi
    sh["const"] = (lo == hi) & has
    sh = sh.drop(columns=["hb"])
    return BallotData(
        sh,
        sessions,
        subj[["subject_type", "subject_id"]],
        groups,
        sheet,
        subj_b,
        sh["sess"].to_numpy()[sheet],
        sh["g"].to_numpy()[sheet],
        M,
        rng + 1,
        smin,
        smax,
        W,
    )


def _empty() -> BallotData:
    e = np.zeros(0, np.int64)
    sh = pd.DataFrame(
        {c: pd.Series(dtype=object) for c in ("ballot_id", "period_id", "unit_id", "rater_group")}
    )
    return BallotData(
        sh,
        pd.DataFrame(columns=["period_id", "unit_id"]),
        pd.DataFrame(columns=["subject_type", "subject_id"]),
        [],
        e,
        e,
        e,
        e,
        np.zeros((0, 1), np.int16),
        1,
        e,
        e,
        np.zeros((0, 1), np.uint64),
    )


# ---- the tilted session model ---------------------------------------------------------------
def _seg(idx: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(idx, w, n)


def block_counts(d: BallotData) -> np.ndarray:
    """blocks × K counts of each relative mark."""
    C = np.zeros((d.n_blocks, d.K))
    for k in range(d.K):
        C[:, k] = (d.M == k).sum(1)
    return C


def fit_tilt(
    lf: np.ndarray, C: np.ndarray, idx: np.ndarray, n: int, iters: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    """θ per element (``idx`` maps blocks to elements) for blocks with log-reference ``lf``
    (blocks × K, normalised) and counts ``C``; returns θ and the blocks' tilted
    log-probabilities.  Newton–Raphson on Σ observed = Σ expected, |θ| ≤ THETA_CAP."""
    K = lf.shape[1]
    kk = np.arange(K, dtype=float)
    nb = C.sum(1)
    obs = _seg(idx, C @ kk, n)
    F = [np.ascontiguousarray(np.exp(lf[:, k])) for k in range(K)]
    th = np.zeros(n)
    live = np.ones(n, bool)
    for _ in range(iters):
        et = np.exp(np.outer(th, kk))  # elements × K (small)
        z = np.zeros(len(nb))
        s1 = np.zeros(len(nb))
        s2 = np.zeros(len(nb))
        for k in range(K):
            t = F[k] * et[idx, k]
            z += t
            if k:
                s1 += k * t
                s2 += k * k * t
        m1 = s1 / z
        v1 = s2 / z - m1 * m1
        E = _seg(idx, nb * m1, n)
        V = _seg(idx, nb * v1, n)
        step = np.clip((obs - E) / np.maximum(V, 1e-9), -2.0, 2.0)
        step[~live] = 0
        th = np.clip(th + step, -THETA_CAP, THETA_CAP)
        live &= (np.abs(step) > 1e-6) & (np.abs(th) < THETA_CAP)
        if not live.any():
            break
    lp = lf + np.outer(th[idx], kk)
    mx = lp.max(1, keepdims=True)
    lp -= mx + np.log(np.exp(lp - mx).sum(1, keepdims=True))
    return th, lp


def robust_z(values: np.ndarray, group: np.ndarray, use: np.ndarray, n0: float) -> np.ndarray:
    """(value − median) / (1.4826·MAD) within each group (session), both shrunk towards the
    city-wide median and MAD with weight ``n0`` observations; computed on ``use`` rows."""
    df = pd.DataFrame({"g": group[use], "v": values[use]})
    if df.empty:
        return np.full(len(values), np.nan)
    gb = df.groupby("g")["v"]
    med = gb.median()
    df["ad"] = (df["v"] - df["g"].map(med)).abs()
    mad = df.groupby("g")["ad"].median() * 1.4826
    cnt = gb.size()
    city_med = float(np.median(med))
    city_mad = float(np.median(mad[cnt >= 5])) if (cnt >= 5).any() else float(np.median(mad))
    city_mad = max(city_mad, 1e-6)
    m = (cnt * med + n0 * city_med) / (cnt + n0)
    s = np.sqrt((cnt * mad**2 + n0 * city_mad**2) / (cnt + n0))
    gm = pd.Series(group).map(m).to_numpy(float)
    gs = pd.Series(group).map(s).to_numpy(float)
    return (values - gm) / gs


@dataclass
class SheetStats:
    """Per-sheet results of the session model (indexed like ``BallotData.sheets``)."""

    frame: pd.DataFrame
    theta: np.ndarray  # sheet tilt (vs the session)
    lp: np.ndarray  # blocks × K tilted log-probabilities at the sheet's θ


def sheet_stats(ctx) -> SheetStats:
    return ctx.memo(("flags.ballots", "sheet_stats"), lambda: _sheet_stats(ctx))


def _sheet_stats(ctx) -> SheetStats:
    d = ballot_data(ctx)
    sh = d.sheets.copy()
    S = len(sh)
    if S == 0:
        return SheetStats(sh, np.zeros(0), np.zeros((0, d.K)))
    n0 = float(setting("misfit_ballot", "shrink_n"))
    # -- item-level consensus (leave the sheet out), group-adjusted ------------------------
    # one item position at a time: vectors of blocks, never a marks-sized temporary
    nI = d.M.shape[1]
    ss_u, ss = np.unique(d.sess * max(len(d.subjects), 1) + d.subj, return_inverse=True)
    n_ss = len(ss_u)
    cols = []
    for pos in range(nI):
        m = d.M[:, pos]
        okp = m >= 0
        x = np.where(okp, m, 0).astype(float)
        N = np.bincount(ss, okp, n_ss)[ss]
        S1 = np.bincount(ss, x, n_ss)[ss]
        S2 = np.bincount(ss, x * x, n_ss)[ss]
        n_o = N - okp
        w = (okp & (n_o > 0)).astype(float)
        mu = np.where(w > 0, (S1 - x) / np.maximum(n_o, 1), 0.0)
        var = np.where(w > 0, np.maximum((S2 - x * x) / np.maximum(n_o, 1) - mu**2, 0), 0.0)
        cols.append((x, mu, var, w))
    sheet = d.sheet
    rb = sum((x - mu) * w for x, mu, var, w in cols)  # per block
    nb_w = sum(w for *_, w in cols)
    rs = np.bincount(sheet, rb, S)
    ns = np.bincount(sheet, nb_w, S)
    sg_key = sh["sess"].to_numpy() * (len(d.groups) + 1) + sh["g"].to_numpy()
    _, sg = np.unique(sg_key, return_inverse=True)
    gr = np.bincount(sg, rs)
    gn = np.bincount(sg, ns)
    on = gn[sg] - ns
    a = np.where(on > 0, (gr[sg] - rs) / np.maximum(on, 1), 0.0)  # group offset, LOO
    ab = a[sheet]
    acc = dict.fromkeys(("ee", "out", "sx", "se", "sxx", "see", "sxe"), 0.0)
    for x, mu, var, w in cols:
        e = (x - mu - ab) * w
        E = (mu + ab) * w
        acc["ee"] = acc["ee"] + e * e
        acc["out"] = acc["out"] + e * e / (var + 1 / 12)
        acc["sx"] = acc["sx"] + x * w
        acc["se"] = acc["se"] + E
        acc["sxx"] = acc["sxx"] + x * x * w
        acc["see"] = acc["see"] + E * E
        acc["sxe"] = acc["sxe"] + x * E
    tot = {k: np.bincount(sheet, v, S) for k, v in acc.items()}
    nn = np.maximum(ns, 1)
    shift = np.where(ns > 0, rs / nn - a, np.nan)
    outfit = np.where(ns > 0, tot["out"] / nn, np.nan)
    resid_var = np.where(ns > 0, tot["ee"] / nn - shift**2, np.nan)
    cov = tot["sxe"] - tot["sx"] * tot["se"] / nn
    vx, ve = tot["sxx"] - tot["sx"] ** 2 / nn, tot["see"] - tot["se"] ** 2 / nn
    rho = np.where((vx > 1e-9) & (ve > 1e-9), cov / np.sqrt(np.maximum(vx * ve, 1e-18)), np.nan)

    # -- block-level tilt θ per sheet vs the session's subject distribution ---------------
    C = block_counts(d)
    ref = np.stack([np.bincount(ss, C[:, k], len(ss_u)) for k in range(d.K)], 1)
    lf = ref[ss] - C + 0.5
    lf = np.log(lf / lf.sum(1, keepdims=True))
    theta, lp = fit_tilt(lf, C, d.sheet, S)
    const = sh["const"].to_numpy()
    nc_ = (~const).astype(float)
    ts, tn = np.bincount(sg, theta * nc_), np.bincount(sg, nc_)
    on = tn[sg] - nc_
    th_rel = theta - np.where(on > 0, (ts[sg] - theta * nc_) / np.maximum(on, 1), 0.0)

    min_marks = int(setting("misfit_ballot", "min_marks"))
    test = (~const) & (ns >= min_marks) & np.isfinite(rho) & np.isfinite(resid_var)
    sess = sh["sess"].to_numpy()
    z_th = robust_z(th_rel, sess, test, n0)
    z_rho = robust_z(np.arctanh(np.clip(np.nan_to_num(rho), -0.999, 0.999)), sess, test, n0)
    z_rv = robust_z(np.log(np.maximum(np.nan_to_num(resid_var), 1e-3)), sess, test, n0)
    # random marking: log-likelihood ratio (uniform vs the tilted session model) per mark
    lp_x = (C * lp).sum(1)
    nb_ = C.sum(1)
    K_b = (d.scale_max - d.scale_min + 1).astype(float)
    llr = (
        np.bincount(d.sheet, -nb_ * np.log(K_b), S) - np.bincount(d.sheet, lp_x, S)
    ) / np.maximum(np.bincount(d.sheet, nb_, S), 1)
    sh["llr_random"] = llr
    z_fit = -robust_z(llr, sess, test, n0)
    q = (
        np.minimum(z_th, 0) ** 2
        + np.minimum(z_rho, 0) ** 2
        + np.maximum(z_rv, 0) ** 2
        + np.minimum(z_fit, 0) ** 2
    )
    p = (
        4 * stats.chi2.sf(q, 1)
        + 6 * stats.chi2.sf(q, 2)
        + 4 * stats.chi2.sf(q, 3)
        + stats.chi2.sf(q, 4)
    ) / 16
    p = np.where(q <= 0, 1.0, p)
    p = np.where(test, p, np.nan)
    sh["outfit"], sh["rho"], sh["shift"], sh["resid_var"] = outfit, rho, shift, resid_var
    sh["theta"], sh["theta_rel"] = theta, th_rel
    sh["z_location"], sh["z_agreement"], sh["z_dispersion"] = z_th, z_rho, z_rv
    sh["z_random"] = z_fit
    sh["q"], sh["p"], sh["tested"], sh["n_used"] = q, p, test, ns
    sh["p_adj"] = bh(p)
    return SheetStats(sh, theta, lp)
