"""Sheet-level ballot detectors: straight_lining, misfit_ballot, duplicate_ballots.

All three judge a democratic-evaluation sheet (测评票) against its own *session* — the sheets
of one unit in one period — never against a fixed city-wide number, because sessions differ
a lot (a well-run unit's sheets sit at the ceiling, "好" everywhere; a unit in trouble
spreads its marks).

Shared data (:func:`ballot_data`, computed once per :class:`~analytics.context.Context`)
-----------------------------------------------------------------------------------------
One DuckDB aggregation of ``ballots`` to sheet × subject *blocks* (≈ 6× fewer rows than
marks).  Each block carries its marks packed into 64-bit words (mark − scale_min in a few
bits at the item's position within its subject type), so numpy gets every mark back without
Python loops and identical blocks compare exactly.  Blocks are coded by session (period,
unit), sheet, subject and rater group.  Marks are used relative to the item's scale
(0 … scale_max − scale_min); items of one subject type are assumed to share one scale (as on
every known form).

A reusable model: the **tilted session model**.  For block (sheet s, subject j) the reference
is the session's distribution of marks on subject j, f_j(k), leaving the sheet itself out
(plus ½ a count per category).  A sheet's own leniency is an exponential tilt
p_j(k; θ_s) ∝ f_j(k)·e^{θ_s k}; θ_s solves Σ observed marks = Σ expected marks (Newton,
vectorised over all sheets; a sheet whose marks are all at one end gets θ = ±8).  This is the
person side of a rating-scale Rasch model with the items fixed at the session's marginals.

straight_lining
---------------
Statistic (signed, positive = more lenient): the constant mark minus the mean mark of the
session's other sheets; the mark itself is in the details.  The sheet gives one and the same
mark to every item of every subject.  A fact, not an estimate: every constant sheet with at
least ``min_marks`` marks is flagged (smaller sheets are *info*).  Null model, for the
severity only: the chance that a sheet of this session is constant at that mark,
P = mean over the session's *other* sheets s' of Π_blocks p_j(v; θ_s')^{n} (their own
leniency kept, each block's marks independent given it), rescaled to the flagged sheet's
number of marks.  Natural all-"好" sheets of a ceiling session have a large P; a constant
"一般" sheet has P ≈ 0.  BH over the constant sheets.  Severity: critical when the adjusted p ≤
``crit_p``; otherwise warning (a straight line carries no information about differences
between subjects or items, whatever its cause); *info* below ``min_marks`` marks.  Sessions
with one sheet give no null (p empty, warning).  Natural all-top sheets are therefore
warnings too (in the clean city demo ≈ 0.4% of sheets) — they are straight lines, only
plausible ones; the details carry P so a page can sort them.

misfit_ballot
-------------
Statistic: the sheet's **outfit mean square** — mean over its marks of
(x − E)² / (Var + 1/12), where E is the leave-one-out consensus of the session on that
item of that subject shifted by the sheet's rater group's own offset in the session
(the group's mean residual, leaving the sheet out), Var the consensus variance, and 1/12 the
variance of rounding to whole marks (so unanimous cells do not divide by zero).  ≈ 1 for an
ordinary sheet; a reversed sheet gives ≫ 10.

Test: four one-sided components, each a robust z within the session (median and
1.4826·MAD of the session's non-constant sheets, shrunk towards the city-wide values with
weight ``shrink_n`` sheets so that small sessions borrow strength — an empirical null in
Efron's sense, so that natural sheet-to-sheet variation is the yardstick):

* location  z_θ  — θ_s minus the mean θ of the other sheets of its group in the session
  (low = harsher than its own group; a reversed sheet is far below);
* agreement z_ρ — Fisher-z of the Pearson correlation between the sheet's marks and the
  consensus E over its cells (low = does not follow, or reverses, the profile of subjects and
  items that everybody else sees; Karabatsos 2003 calls this the "agreement" family);
* dispersion z_v — log of the residual variance after removing the sheet's own shift (high =
  marks scattered at random around the profile);
* random-marking z_r — the per-mark log-likelihood ratio of "uniform random marks" against
  the tilted session model at the sheet's own θ (high = better explained as random; the
  Neyman–Pearson statistic against that alternative).

Q = Σ (one-sided z)² follows, for independent normal components, the chi-bar-square mixture
Σ_k C(4,k)/16 · χ²_k; its tail is the p-value (a one-sided likelihood-ratio combination,
Robertson, Wright & Dykstra 1988).  BH over every non-constant sheet.  Severity: ``grade``
on the adjusted p with the outfit as effect (``warn_outfit`` / ``crit_outfit``), so a
sheet that is only mildly odd in an unusual session is not an alarm.  Constant sheets are
straight_lining's, not misfit's.  A mark whose cell nobody else in the session rated (a
session of one sheet) has no consensus and is left out; sheets with fewer than
``min_marks`` usable marks are not tested.  Reference: Drasgow, Levine & Williams 1985
(person fit, lz); Wright & Masters 1982 (outfit); Meijer & Sijtsma 2001 (review).

duplicate_ballots
-----------------
Candidates: sessions.  A *cluster* is a set of ≥ 2 sheets with identical marks on
identical cells; constant sheets are left to straight_lining (all-"好" sheets are identical
to each other by necessity).  Statistic: the size m of the session's most surprising
cluster.

Null model (per session, exact, no simulation): sheets are independent; each has its own
leniency (an exponential tilt of every block, so conditioning on the sheet's total score T
removes it, as in conditional Rasch estimation); given the leniency, the subject blocks are
independent, and block j's pattern b follows the mixture
f_j(b) = (n_j(b) + α·g_j(b)) / (N + α) of the patterns observed on *other* sheets of the
session (the cluster's own sheets left out) and the item-independent model g_j(b) = Π_i
f_ji(b_i) with weight α = ``alpha`` pseudo-sheets.  The observed patterns keep the natural
within-subject correlation ("halo": one mark per subject) and the tilt keeps the ceiling, so
neither makes ordinary sheets look copied.  With generating polynomials
A_r(z) = Π_j Σ_b f_j(b)^r z^{|b|} (one convolution per subject, exact), the expected number of
m-subsets of identical sheets among the N_T sheets of total T is C(N_T, m)·A_m[T] / A_1[T]^m;
summed over all T (look-elsewhere over patterns and totals) it is E, and
p = 1 − exp(−E) (Poisson).  This is the session-marginals formula C(N,m)·Π_c Σ_k f_ck^m made
robust to sheet leniency and within-subject correlation.  BH over all sessions (sessions
without a cluster count with p = 1).  Severity: ``grade`` on the adjusted p with the
cluster size as effect (``warn_size`` / ``crit_size``): a pair is at most *info*.
rater_group is set when every sheet of the cluster comes from one group; the details list
the ballot ids, their submission times and every other cluster found.

Thresholds (``[flags.<type>]`` in the configuration) are declared next to each detector.
"""

# ruff: noqa: N803, N806, SIM300  (mathematical names: S sheets, K categories, M marks)

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from analytics import privacy
from analytics import texts as tx
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.texts import Text

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


# ---- straight_lining --------------------------------------------------------------------------
SL_DEFAULTS = {
    "min_marks": 10,  # a constant sheet with fewer marks is only noted (info)
    "crit_p": 0.001,  # BH-adjusted session-null p at or below which a straight line is critical
}


@detector("straight_lining", defaults=SL_DEFAULTS)
def detect_straight_lining(ctx) -> list[Flag]:
    d = ballot_data(ctx)
    st = sheet_stats(ctx)
    sh = st.frame
    const = sh["const"].to_numpy() if len(sh) else np.zeros(0, bool)
    if not const.any():
        return []
    S = len(sh)
    # log P(a block is all at v | the sheet's θ) for every block and v, summed per sheet
    nb = (d.M >= 0).sum(1).astype(float)
    L = np.stack([np.bincount(d.sheet, nb * st.lp[:, k], S) for k in range(d.K)], 1)
    per_mark = L / np.maximum(sh["n_marks"].to_numpy(float), 1)[:, None]
    sess = sh["sess"].to_numpy()
    idx = np.flatnonzero(const)
    smin_s, smax_s = _sheet_smin(d), _sheet_smax(d)
    v_rel = (sh["lo"].to_numpy()[idx] - smin_s[idx]).astype(int)
    n_marks = sh["n_marks"].to_numpy()[idx]
    # the session's mean mark without the sheet (for the signed effect)
    msum = np.bincount(d.sheet, np.where(d.M >= 0, d.M, 0).sum(1) + nb * d.scale_min, S)
    ses_sum, ses_n = np.bincount(sess, msum), np.bincount(sess, sh["n_marks"].to_numpy(float))
    others_n = ses_n[sess[idx]] - n_marks
    others_mean = np.where(
        others_n > 0, (ses_sum[sess[idx]] - msum[idx]) / np.maximum(others_n, 1), np.nan
    )
    P = np.full(len(idx), np.nan)
    n_ref = np.zeros(len(idx), int)
    order = np.argsort(sess, kind="stable")
    bounds = np.searchsorted(sess[order], np.arange(sess.max() + 2))
    for t, s in enumerate(idx):
        members = order[bounds[sess[s]] : bounds[sess[s] + 1]]
        members = members[members != s]
        if len(members) == 0 or v_rel[t] < 0 or v_rel[t] >= d.K:
            continue
        P[t] = float(np.mean(np.exp(np.minimum(per_mark[members, v_rel[t]] * n_marks[t], 0))))
        n_ref[t] = len(members)
    p_adj = bh(P)
    min_marks = int(setting("straight_lining", "min_marks"))
    crit_p = float(setting("straight_lining", "crit_p"))
    out = []
    shown = visible_groups(sh)
    for t, s in enumerate(idx):
        r = sh.iloc[s]
        rg = shown.get((r["period_id"], r["unit_id"], r["rater_group"]))
        v = int(r["lo"])
        top = v == int(smax_s[s])
        if r["n_marks"] < min_marks:
            sev = "info"
        elif np.isfinite(p_adj[t]) and p_adj[t] <= crit_p:
            sev = "critical"
        else:
            sev = "warning"
        pa = float(p_adj[t]) if np.isfinite(p_adj[t]) else None
        chance = (
            tx.text(
                "ev.straight_lining.chance",
                mark=v,
                prob=tx.small(P[t]),
                p=tx.p(pa),
                p_rel=tx.p_rel(pa),
            )
            if pa is not None
            else tx.text("ev.straight_lining.alone")
        )
        text = Text(
            "ev.straight_lining",
            {
                "ballot": r["ballot_id"],
                "group": tx.text("ev.sheet.group", group=tx.group(rg)) if rg else "",
                "mark": v,
                "n_marks": tx.count(int(r["n_marks"])),
                "n_subjects": tx.count(int(r["n_blocks"])),
                "chance": chance,
            },
        )
        effect = float(v - others_mean[t]) if np.isfinite(others_mean[t]) else 0.0
        out.append(
            Flag(
                "straight_lining",
                r["period_id"],
                "ballot",
                r["ballot_id"],
                r["unit_id"],
                rg,
                sev,
                round(effect, 4),
                pa,
                text,
                None,
                {
                    "ballot_ids": [r["ballot_id"]],
                    "mark": v,
                    "at_scale_top": bool(top),
                    "n_marks": int(r["n_marks"]),
                    "n_subjects": int(r["n_blocks"]),
                    "session_mean_mark": _f(others_mean[t]),
                    "null_probability": None if not np.isfinite(P[t]) else float(P[t]),
                    "expected_in_session": None
                    if not np.isfinite(P[t])
                    else float(P[t] * (n_ref[t] + 1)),
                    "session_sheets": int(n_ref[t] + 1),
                    "null_model": "other sheets' own leniency (tilt), marks independent given it",
                },
            )
        )
    return out


def _sheet_smin(d: BallotData) -> np.ndarray:
    S = len(d.sheets)
    out = np.zeros(S, np.int64)
    out[d.sheet[::-1]] = d.scale_min[::-1]
    return out


def _sheet_smax(d: BallotData) -> np.ndarray:
    S = len(d.sheets)
    out = np.zeros(S, np.int64)
    out[d.sheet[::-1]] = d.scale_max[::-1]
    return out


# ---- misfit_ballot ----------------------------------------------------------------------------
MF_DEFAULTS = {
    "min_marks": 10,  # sheets with fewer marks that have a consensus are not tested
    "shrink_n": 10,  # sheets' worth of city-wide median/MAD mixed into each session's
    "warn_p": 0.01,  # BH-adjusted p for a warning
    "crit_p": 0.001,  # … for a critical flag
    "warn_outfit": 2.0,  # outfit mean square needed for a warning (1 = an ordinary sheet)
    "crit_outfit": 4.0,  # … for a critical flag
}


@detector("misfit_ballot", defaults=MF_DEFAULTS)
def detect_misfit(ctx) -> list[Flag]:
    sh = sheet_stats(ctx).frame
    if sh.empty:
        return []
    warn_p, crit_p = (
        float(setting("misfit_ballot", "warn_p")),
        float(setting("misfit_ballot", "crit_p")),
    )
    warn_e, crit_e = (
        float(setting("misfit_ballot", "warn_outfit")),
        float(setting("misfit_ballot", "crit_outfit")),
    )
    cand = sh[sh["tested"] & (sh["p_adj"] <= 0.05)]
    out = []
    shown = visible_groups(sh)
    for r in cand.itertuples(index=False):
        rg = shown.get((r.period_id, r.unit_id, r.rater_group))
        # grade on the excess over an ordinary sheet (outfit 1)
        sev = grade(
            r.p_adj,
            r.outfit - 1,
            warn_effect=warn_e - 1,
            crit_effect=crit_e - 1,
            warn_p=warn_p,
            crit_p=crit_p,
        )
        if sev is None:
            continue
        why = []
        if r.z_agreement < -2:
            key = "ev.misfit.against" if r.rho < 0 else "ev.misfit.ignore"
            why.append(tx.text(key, rho=tx.signed(r.rho, 2)))
        if r.z_location < -2 and r.shift < -0.1:
            why.append(tx.text("ev.misfit.harsh", shift=tx.signed(r.shift, 2)))
        if r.z_dispersion > 2 or r.z_random < -2:
            why.append(tx.text("ev.misfit.random"))
        if not why:
            why = [tx.text("ev.misfit.depart")]
        text = Text(
            "ev.misfit_ballot",
            {
                "ballot": r.ballot_id,
                "group": tx.text("ev.sheet.group", group=tx.group(rg)) if rg else "",
                "why": tx.items(why, sep="ev.misfit.sep"),
                "outfit": tx.num(r.outfit, 1),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
            },
        )
        out.append(
            Flag(
                "misfit_ballot",
                r.period_id,
                "ballot",
                r.ballot_id,
                r.unit_id,
                rg,
                sev,
                round(float(r.outfit), 3),
                float(r.p_adj),
                text,
                None,
                {
                    "ballot_ids": [r.ballot_id],
                    "outfit": float(r.outfit),
                    "correlation_with_consensus": _f(r.rho),
                    "mean_deviation": _f(r.shift),
                    "residual_variance": _f(r.resid_var),
                    "tilt_vs_group": _f(r.theta_rel),
                    "z_location": _f(r.z_location),
                    "z_agreement": _f(r.z_agreement),
                    "z_dispersion": _f(r.z_dispersion),
                    "z_random": _f(-r.z_random),
                    "chi_bar_square": _f(r.q),
                    "p_raw": _f(r.p),
                    "n_marks": int(r.n_used),
                    "null_model": "session leave-one-out consensus, group-adjusted; robust z "
                    "within the session; chi-bar-square of one-sided components",
                },
            )
        )
    return out


def _f(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


# ---- duplicate_ballots ------------------------------------------------------------------------
DUP_DEFAULTS = {
    "alpha": 1.0,  # pseudo-sheets of the item-independent model mixed into the block model
    "warn_p": 0.001,  # BH-adjusted p for a warning (strict: the null is a model, not a census)
    "crit_p": 1e-6,  # … for a critical flag
    "warn_size": 3,  # identical sheets needed for a warning (a pair is at most info)
    "crit_size": 5,  # … for a critical flag
}


def duplicate_clusters(ctx) -> list[dict]:
    """Every session with identical non-constant sheets: its clusters (most surprising first),
    the session's BH-adjusted p and severity (computed once per context)."""
    return ctx.memo(("flags.ballots", "duplicates"), lambda: _duplicate_clusters(ctx))


def _duplicate_clusters(ctx) -> list[dict]:
    d = ballot_data(ctx)
    sh = d.sheets
    if sh.empty:
        return []
    S = len(sh)
    # exact sheet signature: mix every block's packed marks with its subject code
    mix = np.uint64(0x9E3779B97F4A7C15)
    h = (d.subj.astype(np.uint64) + np.uint64(1)) * mix
    for w in range(d.words.shape[1]):
        h = (h ^ (d.words[:, w] + np.uint64(w + 1))) * np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(31)
    starts = np.searchsorted(d.sheet, np.arange(S))
    has = np.bincount(d.sheet, minlength=S) > 0
    sig = np.zeros(S, np.uint64)
    sig[has] = np.bitwise_xor.reduceat(h, starts[has])
    frame = pd.DataFrame({"sess": sh["sess"].to_numpy(), "sig": sig})
    frame = frame[~sh["const"].to_numpy() & has]
    size = frame.groupby(["sess", "sig"])["sig"].transform("size")
    dup = frame[size.to_numpy() >= 2]
    if dup.empty:
        return []
    alpha = float(setting("duplicate_ballots", "alpha"))
    results = []
    for sess_id, part in dup.groupby("sess"):
        clusters = []
        for _, members in part.groupby("sig"):
            idx = members.index.to_numpy()
            E = _cluster_expectation(d, int(sess_id), idx, alpha)
            clusters.append(
                {
                    "sheets": idx,
                    "m": len(idx),
                    "expected": E,
                    "p": float(-np.expm1(-E)) if np.isfinite(E) else 1.0,
                }
            )
        clusters.sort(key=lambda c: (c["p"], -c["m"]))
        results.append({"sess": int(sess_id), "clusters": clusters})
    p_all = np.ones(len(d.sessions))
    for r in results:
        p_all[r["sess"]] = r["clusters"][0]["p"]
    p_adj = bh(p_all)
    warn_p, crit_p = (
        float(setting("duplicate_ballots", "warn_p")),
        float(setting("duplicate_ballots", "crit_p")),
    )
    warn_m, crit_m = (
        int(setting("duplicate_ballots", "warn_size")),
        int(setting("duplicate_ballots", "crit_size")),
    )
    for r in results:
        best = r["clusters"][0]
        r["p_adj"] = float(p_adj[r["sess"]])
        sev = grade(
            r["p_adj"],
            best["m"],
            warn_effect=warn_m,
            crit_effect=crit_m,
            warn_p=warn_p,
            crit_p=crit_p,
        )
        if sev is not None and best["m"] < warn_m:
            sev = "info"
        r["severity"] = sev
    return results


@detector("duplicate_ballots", defaults=DUP_DEFAULTS)
def detect_duplicates(ctx) -> list[Flag]:
    d = ballot_data(ctx)
    sh = d.sheets
    results = [r for r in duplicate_clusters(ctx) if r["severity"] is not None]
    if not results:
        return []
    shown = visible_groups(sh)
    # submission times of the sheets concerned (one small query)
    ids = sorted(
        {sh.at[i, "ballot_id"] for r in results for c in r["clusters"] for i in c["sheets"]}
    )
    times = _submission_times(ctx, ids)
    out = []
    for res in results:
        s, cl, pa, sev = res["sess"], res["clusters"], res["p_adj"], res["severity"]
        best = cl[0]
        rows = sh.loc[best["sheets"]]
        grp = rows["rater_group"].unique()
        n_sess = int((sh["sess"] == s).sum())
        period, unit = d.sessions.at[s, "period_id"], d.sessions.at[s, "unit_id"]
        # only groups above the anonymity floor are named
        grp = [g for g in grp if shown.get((period, unit, g))]
        rg = str(grp[0]) if len(grp) == 1 and len(rows["rater_group"].unique()) == 1 else None
        bids = rows["ballot_id"].tolist()
        ts = [times.get(b) for b in bids]
        ts_ok = sorted(t for t in ts if t is not None)
        span = (ts_ok[-1] - ts_ok[0]).total_seconds() / 60 if len(ts_ok) >= 2 else None
        if rg:
            who = tx.text("ev.duplicate.one", group=tx.group(rg))
        elif grp:
            who = tx.text(
                "ev.duplicate.some",
                groups=tx.items([tx.group(x) for x in sorted(map(str, grp))]),
            )
        else:
            who = tx.text("ev.duplicate.small")
        text = Text(
            "ev.duplicate_ballots",
            {
                "m": tx.count(best["m"]),
                "n_session": tx.count(n_sess),
                "who": who,
                "when": tx.text("ev.duplicate.when", minutes=tx.num(round(span), 0))
                if span is not None
                else "",
                "expected": tx.small(best["expected"]),
                "p": tx.p(pa),
                "p_rel": tx.p_rel(pa),
            },
        )
        others = [
            {
                "ballot_ids": sh.loc[c["sheets"], "ballot_id"].tolist(),
                "size": c["m"],
                "expected": float(c["expected"]),
                "p_raw": float(c["p"]),
            }
            for c in cl[1:]
        ]
        out.append(
            Flag(
                "duplicate_ballots",
                period,
                "unit",
                unit,
                unit,
                rg,
                sev,
                float(best["m"]),
                pa,
                text,
                None,
                {
                    "ballot_ids": bids,
                    "size": best["m"],
                    "session_sheets": n_sess,
                    "rater_groups": sorted(map(str, grp)),
                    "submitted_at": [t.isoformat() if t is not None else None for t in ts],
                    "span_minutes": span,
                    "expected_clusters": float(best["expected"]),
                    "p_raw": float(best["p"]),
                    "marks_below_top": int(_below_top(d, best["sheets"])),
                    "other_clusters": others,
                    "null_model": "sheets independent given their own leniency (conditioned on the "
                    "total); subject blocks from the session's other sheets mixed "
                    "with the item-independent model (alpha = "
                    f"{float(setting('duplicate_ballots', 'alpha')):g})",
                },
            )
        )
    return out


def _below_top(d: BallotData, sheets: np.ndarray) -> int:
    b = np.arange(
        np.searchsorted(d.sheet, sheets[0]), np.searchsorted(d.sheet, sheets[0], side="right")
    )
    ok = d.M[b] >= 0
    top = (d.scale_max[b] - d.scale_min[b])[:, None]
    return int(((d.M[b] < top) & ok).sum())


def _submission_times(ctx, ids: list[str]) -> dict:
    if not ids:
        return {}
    try:
        t = ctx.con.execute(
            "SELECT ballot_id, min(submitted_at) AS t FROM ballots "
            "WHERE ballot_id IN (SELECT unnest($ids::VARCHAR[])) GROUP BY ballot_id",
            {"ids": ids},
        ).fetchall()
    except Exception:  # submission time is optional evidence
        return {}
    return {b: (pd.Timestamp(x) if x is not None else None) for b, x in t}


def _cluster_expectation(d: BallotData, sess: int, cluster: np.ndarray, alpha: float) -> float:
    """Expected number of m-subsets of identical sheets in the session under the null."""
    m = len(cluster)
    in_sess = np.flatnonzero(d.sheets["sess"].to_numpy() == sess)
    # sheets with the same set of subjects as the cluster
    starts = np.searchsorted(d.sheet, in_sess)
    ends = np.searchsorted(d.sheet, in_sess, side="right")
    blocks_of = {s: np.arange(a, b) for s, a, b in zip(in_sess, starts, ends, strict=True)}
    subj_c = tuple(d.subj[blocks_of[cluster[0]]])
    same = [s for s in in_sess if tuple(d.subj[blocks_of[s]]) == subj_c]
    ref = [s for s in same if s not in set(cluster)]
    totals = {}
    for s in same:
        b = blocks_of[s]
        totals[s] = int(np.where(d.M[b] >= 0, d.M[b], 0).sum())
    K = d.K
    logA1 = np.zeros(1)
    logAm = np.zeros(1)
    for jpos in range(len(subj_c)):
        # the reference sheets' blocks for this subject
        rb = np.array([blocks_of[s][jpos] for s in ref], dtype=np.int64)
        cb = blocks_of[cluster[0]][jpos]
        ok_items = np.flatnonzero(d.M[cb] >= 0)
        nI = len(ok_items)
        # item marginals (+1/2 per category) over the reference sheets
        Mi = d.M[np.ix_(rb, ok_items)] if len(rb) else np.zeros((0, nI), np.int16)
        fi = np.stack([(Mi == k).sum(0) + 0.5 for k in range(K)], 1)  # items × K
        fi /= fi.sum(1, keepdims=True)
        Mi = Mi[(Mi >= 0).all(1)]  # patterns only from blocks marking the same items
        rb = rb[: len(Mi)]
        N = len(rb)
        # item-independent generating polynomials
        g1 = np.ones(1)
        gm = np.ones(1)
        for i in range(nI):
            g1 = np.convolve(g1, fi[i])
            gm = np.convolve(gm, fi[i] ** m)
        w_ind = alpha / (N + alpha)
        p1 = w_ind * g1
        pm = (w_ind**m) * gm
        if N:
            pats, cnt = np.unique(Mi, axis=0, return_counts=True)
            tot = pats.sum(1).astype(int)
            gp = np.prod(fi[np.arange(nI)[None, :], pats], axis=1)
            fb = (cnt + alpha * gp) / (N + alpha)
            np.add.at(p1, tot, cnt / (N + alpha))
            np.add.at(pm, tot, fb**m - (alpha * gp / (N + alpha)) ** m)
        p1 = np.maximum(p1, 0)
        pm = np.maximum(pm, 0)
        logA1 = _logconv(logA1, np.log(p1 + 1e-300))
        logAm = _logconv(logAm, np.log(pm + 1e-300))
    tot_vals = np.array([totals[s] for s in same])
    ts, nt = np.unique(tot_vals, return_counts=True)
    E = 0.0
    for T, n_T in zip(ts, nt, strict=True):
        if n_T < m or T >= len(logA1):
            continue
        lc = special.gammaln(n_T + 1) - special.gammaln(m + 1) - special.gammaln(n_T - m + 1)
        E += math.exp(min(lc + logAm[T] - m * logA1[T], 700))
    return E


def _logconv(la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    """log of the convolution of exp(la) and exp(lb), stable."""
    ma, mb = la.max(), lb.max()
    c = np.convolve(np.exp(la - ma), np.exp(lb - mb))
    with np.errstate(divide="ignore"):
        return np.log(np.maximum(c, 1e-300)) + ma + mb
