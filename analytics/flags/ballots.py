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

# ruff: noqa: N806, SIM300  (mathematical names: S sheets, K categories, M marks)

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

from analytics import texts as tx
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.flags.ballot_model import BallotData, ballot_data, sheet_stats, visible_groups
from analytics.texts import Text

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
    ft = "misfit_ballot"
    warn_p, crit_p = float(setting(ft, "warn_p")), float(setting(ft, "crit_p"))
    warn_e, crit_e = float(setting(ft, "warn_outfit")), float(setting(ft, "crit_outfit"))
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
    ft = "duplicate_ballots"
    warn_p, crit_p = float(setting(ft, "warn_p")), float(setting(ft, "crit_p"))
    warn_m, crit_m = int(setting(ft, "warn_size")), int(setting(ft, "crit_size"))
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
