"""Flags on the non-ballot sources: self-assessment, questionnaires, third-party satisfaction
and on-site verification (CONTRACT.md §2: self_inflation, survey_anomaly, satisfaction_gap,
verification_refuted).

Every p-value is adjusted per flag type with Benjamini–Hochberg (:func:`bh`) over the
type's candidates and the reported ``p_value`` is the adjusted one; severity comes from
:func:`grade` on the adjusted p-value and the effect unless a rule below says otherwise.

self_inflation — cadre or team / id, one candidate per subject × period with a self-assessment
-----------------------------------------------------------------------------------------------
*Statistic*: the excess of the self-assessment over what subjects rated like this one
normally give themselves: mean over items of (self mark − expected self mark | others' marks),
in marks of the item's scale; positive = the subject rates itself higher than expected.
*Null model*: the city's natural self-inflation, fitted each run as an ordered-probit
regression of every self mark on the probit of the others' mean position on the same item,
``P(self ≤ k) = Φ(θ_k − β·Φ⁻¹(others position))``, one fit per subject type and scale
(thresholds θ and slope β by maximum likelihood over all subjects of the analysed periods).
It captures both the natural upward shift (self-assessments run about half a mark above
others) and the ceiling (a subject others rate 3.9 cannot inflate by more than 0.1).  Under
the null a subject's items are independent draws from the model, so the exact distribution of
the sum of its self marks is the convolution of its items' predicted distributions; the
p-value is the one-sided mid-p of the observed sum.
*Assumptions*: the inflation-versus-level relation is the same for every subject of a type;
items independent given the others' marks (calibration on five clean demo cities: 0.4–0.9 %
of subjects at raw p < 0.01, 0–0.2 % at p < 0.001).  Others' marks lowered by a planted or
real rating attack (targeted_rating, rater_severity) make a normal self-assessment look
inflated: read such flags together with the ballot flags of the same unit.
*Thresholds*: ``warn_effect`` 0.5 / ``crit_effect`` 0.8 marks with adjusted p ≤ ``warn_p`` /
``crit_p``.  *Missing data*: items without others' marks (or fewer than ``min_marks``) are
left out; a subject needs ``min_items`` compared items; a subject without self-assessment is
no candidate.  *Reference*: self–other agreement (Atwater & Yammarino 1997); ordered probit
(McKelvey & Zavoina 1975); mid-p (Lancaster 1961).

survey_anomaly — unit / unit_id, one candidate per unit × period with questionnaires
----------------------------------------------------------------------------------
Two checks, one flag per unit-period (severity = the worse of the two).
1. *Identical bursts*.  A response's answer vector is its marks in item order.  For every
   vector of a unit, period and source, the burst size ``m`` is the largest number of its
   copies submitted within ``window_minutes``.  *Null model*: identical answers are natural
   (satisfied respondents answer 5 everywhere, so the unit's own frequency ``k`` of the vector
   is taken as given) and their submission times are independent draws from the unit's own
   collection time, taken as uniform over the clock hours in which the unit-source received any
   response (``T`` = 60 min × occupied hours: conservative, it shrinks with a compressed
   collection).  The scan-statistic union bound gives
   ``P(M ≥ m) ≤ Σ_v k_v · P(Binomial(k_v − 1, w/T) ≥ m − 1)`` summed over every vector and
   source of the unit-period (so the unit's largest burst is tested against all its vectors).
   The independence product of the unit's item marginals is reported in ``details`` as the
   expected count of the vector, but not used for the test: respondents' items are strongly
   correlated and that product underestimates common vectors such as 55555 by 10–50×.
   Severity: :func:`grade` with the burst size as effect (``min_burst`` for a warning,
   ``crit_burst`` for critical).
2. *Impossible timing*: responses submitted before the period's start or more than
   ``grace_days`` after its end (calendar days in the database's time zone).  No test applies:
   ``outside_warn`` responses make a warning, ``outside_crit`` critical, fewer an info note.
*Statistic*: the number of suspect responses (the burst when it is graded, plus those outside
the period).  ``details`` gives the shift of the unit's questionnaire satisfaction (0–100)
that the burst causes.  *Missing data*: responses without ``submitted_at`` take part in
neither check.  *Cost*: responses are aggregated once into a connection-local temporary table
(the snapshot stays read-only), read by three small queries and dropped.  *Reference*: scan
statistics (Naus 1982; Glaz, Naus & Wallenstein 2001).

satisfaction_gap — unit / unit_id, one candidate per unit × period with both sources
-----------------------------------------------------------------------------------
*Statistic*: expected minus observed third-party satisfaction in points (0–100): positive =
the unit's own questionnaires are more favourable than the third party confirms.
*Null model*: third-party satisfaction is a linear function of the unit's own questionnaire
satisfaction ((mean − 1)/4 × 100) with an intercept per unit type (the natural offset:
regulators are structurally lower), fitted robustly over all unit-periods of the database
(every period, so the result does not depend on ``--period``), plus a persistent unit offset
``u`` estimated from the unit's residuals in its other periods (shrunk by its reliability,
``λ = σ_u² / (σ_u² + σ_e²/m)``), plus noise: sampling error of both sides (questionnaire
SE = SD of respondent means / √respondents, times the slope; third-party SE
= √(p(1−p)/n) × 100 with n the providers' total sample size) and a period-level variance σ_e²
beyond sampling; σ_u² and σ_e² are moment estimates from the robust residuals.  Two-sided
normal test of the residual minus the unit's offset (conservative on five clean demo cities:
0–0.5 % of unit-periods at raw p < 0.01).
*Thresholds*: ``warn_effect`` 8 / ``crit_effect`` 12 points with adjusted p ≤ ``warn_p`` /
``crit_p``.  *Missing data*: a unit-period without third-party results or without
questionnaires is no candidate; a unit with no other period has no offset (λ = 0) and carries
σ_u² in its variance.  *Reference*: method-of-moments variance components (Searle, Casella &
McCulloch 1992); Huber-type robust refit by trimming at 3.5 MAD.

verification_refuted — unit / unit_id, one candidate per unit × period with verifications
-----------------------------------------------------------------------------------------
*Statistic*: the number of refuted claims.  No test applies (each refuted claim is a finding
of the on-site check, not a sample): ``p_value`` empty.  One refuted claim makes a warning,
``crit_refuted`` (2) or more critical.  Claims only ``partial`` make at most an info note, and
only when ``partial_info`` (2) or more of the unit's claims are partial (a single partial
result, about 15 % of claims, is routine).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

from analytics import channels
from analytics import texts as tx
from analytics.context import Context
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.texts import Text


def _f(x: float, nd: int = 2) -> str:
    return f"{x:.{nd}f}"


def p_detail(p) -> float | None:
    """A p-value for details: 4 significant digits (never rounded to 0)."""
    return None if p is None or not np.isfinite(p) else float(f"{float(p):.4g}")


def jsonable(v):
    """JSON-friendly scalars for details."""
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if not np.isfinite(v) else round(float(v), 4)
    return v


# ---- ordered probit ------------------------------------------------------------------------


def ordered_probit(
    y: np.ndarray, x: np.ndarray, n_cat: int, w: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Fit ``P(y ≤ k) = Φ(θ_k − β·x)`` (k = 0 … n_cat − 2) by maximum likelihood.

    ``y`` holds categories 0 … n_cat − 1, ``w`` optional case weights.  Returns the
    thresholds θ and the slope β.  Cases are first collapsed onto a 0.01 grid of ``x``
    (weights add up), so the fit costs the same for a city or a province; analytic
    gradient; thresholds kept ordered through θ = cumsum(c₀, exp(c₁), …)."""
    y = np.asarray(y, dtype=np.int64)
    xi = np.round(np.asarray(x, dtype=float) * 100).astype(np.int64)
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    # collapse identical (x, y) cases onto one weighted case
    codes, inv = np.unique((xi - xi.min()) * n_cat + y, return_inverse=True)
    w = np.bincount(inv.ravel(), weights=w, minlength=len(codes))
    x = (codes // n_cat + xi.min()) / 100.0
    y = codes % n_cat
    n_th = n_cat - 1
    rows = np.arange(len(y))
    inf = np.full(len(x), np.inf)

    def unpack(par):
        c = par[:n_th]
        th = np.cumsum(np.r_[c[0], np.exp(c[1:])])
        return th, par[n_th]

    def nll_grad(par):
        th, b = unpack(par)
        z = np.c_[-inf, th[None, :] - (b * x)[:, None], inf]
        cdf = special.ndtr(z)
        pdf = np.exp(-0.5 * np.minimum(z * z, 1e4)) / math.sqrt(2 * math.pi)
        pr = np.clip(cdf[rows, y + 1] - cdf[rows, y], 1e-300, None)
        nll = -(w * np.log(pr)).sum()
        hi, lo = pdf[rows, y + 1], pdf[rows, y]
        # d log pr / d θ_j: +pdf_hi / pr when j = y, −pdf_lo / pr when j = y − 1
        g_th = np.bincount(
            y[y < n_th], weights=(w * hi / pr)[y < n_th], minlength=n_th
        ) - np.bincount(y[y > 0] - 1, weights=(w * lo / pr)[y > 0], minlength=n_th)
        g_b = (w * (-x) * (hi - lo) / pr).sum()
        # chain rule through θ = cumsum(c₀, exp(c₁), …)
        jac = np.zeros((n_th, n_th))
        jac[:, 0] = 1.0
        for j in range(1, n_th):
            jac[j:, j] = np.exp(par[j])
        return nll, np.r_[-(g_th @ jac), -g_b]

    # start: thresholds at the marginal cumulative proportions, slope 1
    cum = np.cumsum(np.bincount(y, weights=w, minlength=n_cat))[:-1] / w.sum()
    th0 = stats.norm.ppf(np.clip(cum, 0.02, 0.98))
    th0 = np.maximum.accumulate(th0 + np.arange(n_th) * 1e-3)
    c0 = np.r_[th0[0], np.log(np.maximum(np.diff(th0), 0.05))]
    res = optimize.minimize(
        nll_grad, np.r_[c0, 1.0], jac=True, method="BFGS", options={"maxiter": 200, "gtol": 1e-5}
    )
    th, b = unpack(res.x)
    return th, float(b)


def ordered_probs(th: np.ndarray, b: float, x: np.ndarray) -> np.ndarray:
    """Category probabilities (rows × n_cat) of the fitted ordered probit."""
    cdf = stats.norm.cdf(th[None, :] - b * np.asarray(x, dtype=float)[:, None])
    cdf = np.c_[np.zeros(len(cdf)), cdf, np.ones(len(cdf))]
    return np.clip(np.diff(cdf, axis=1), 0, 1)


def sum_tail_midp(probs: np.ndarray, obs: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One-sided mid-p of each group's sum of categories under independent items.

    ``probs`` rows × K (each item's distribution over 0 … K−1), ``obs`` the observed category
    per row, ``group`` 0 … G−1 per row.  Exact convolution, vectorised over groups: items are
    laid out as a (groups × items × K) array, padded with items that are 0 for sure."""
    group = np.asarray(group, dtype=np.int64)
    n_g = int(group.max()) + 1 if len(group) else 0
    k = probs.shape[1]
    order = np.argsort(group, kind="stable")
    g_sorted = group[order]
    sizes = np.bincount(g_sorted, minlength=n_g)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    rank = np.arange(len(g_sorted)) - starts[g_sorted]
    n_items = int(sizes.max()) if len(sizes) else 0
    p3 = np.zeros((n_g, n_items, k))
    p3[:, :, 0] = 1.0
    p3[g_sorted, rank] = probs[order]
    width = n_items * (k - 1) + 1
    dist = np.zeros((n_g, width))
    dist[:, 0] = 1.0
    for j in range(n_items):
        new = dist * p3[:, j, [0]]
        for c in range(1, k):
            new[:, c:] += dist[:, : width - c] * p3[:, j, [c]]
        dist = new
    total = np.bincount(group, weights=obs, minlength=n_g).astype(np.int64)
    sf = np.cumsum(dist[:, ::-1], axis=1)[:, ::-1]  # P(S ≥ s)
    idx = np.arange(n_g)
    return np.clip(sf[idx, total] - 0.5 * dist[idx, total], 0, 1)


# ---- self_inflation ------------------------------------------------------------------------


@detector(
    "self_inflation",
    defaults={
        "min_marks": 5,  # others' marks an item needs before self and others are compared
        "min_items": 3,  # compared items a subject needs to be tested
        "warn_effect": 0.5,  # excess of self over the expected self mark (marks, mean over items)
        "crit_effect": 0.8,  # ... for critical
        "warn_p": 0.01,  # BH-adjusted p for a warning
        "crit_p": 0.001,  # BH-adjusted p for critical
    },
)
def detect_self_inflation(ctx) -> list[Flag]:
    ft = "self_inflation"
    svo = channels.self_vs_others(ctx)
    if svo.empty:
        return []
    d = svo[svo["others"].notna() & (svo["n_marks"] >= int(setting(ft, "min_marks")))].copy()
    d = d[d["scale_max"] > d["scale_min"]]
    if d.empty:
        return []
    d["n_cat"] = (d["scale_max"] - d["scale_min"] + 1).astype(int)
    d["y"] = np.clip(np.round(d["self"] - d["scale_min"]), 0, d["n_cat"] - 1).astype(int)
    pos = (d["others"] - d["scale_min"]) / (d["scale_max"] - d["scale_min"])
    d["x"] = stats.norm.ppf(np.clip(pos, 0.01, 0.99))
    k_max = int(d["n_cat"].max())
    probs = np.zeros((len(d), k_max))
    fitted = np.zeros(len(d), dtype=bool)
    for (_, n_cat), idx in d.groupby(["subject_type", "n_cat"]).indices.items():
        sub = d.iloc[idx]
        if len(sub) < 50 or sub["y"].nunique() < 2:
            continue  # too few marks to learn the natural inflation of this scale
        th, b = ordered_probit(sub["y"].to_numpy(), sub["x"].to_numpy(), int(n_cat))
        probs[idx, :n_cat] = ordered_probs(th, b, sub["x"].to_numpy())
        fitted[idx] = True
    d = d[fitted]
    probs = probs[fitted]
    if d.empty:
        return []
    d["expected"] = probs @ np.arange(k_max) + d["scale_min"]
    key = ["period_id", "subject_type", "subject_id"]
    grp = d.groupby(key, sort=False)
    gid = grp.ngroup().to_numpy()
    agg = grp.agg(
        n_items=("y", "size"),
        self_mean=("self", "mean"),
        others_mean=("others", "mean"),
        expected_mean=("expected", "mean"),
        n_marks=("n_marks", "sum"),
    ).reset_index()
    agg["p"] = sum_tail_midp(probs, d["y"].to_numpy(), gid)
    agg["effect"] = agg["self_mean"] - agg["expected_mean"]
    agg = agg[agg["n_items"] >= int(setting(ft, "min_items"))].copy()
    if agg.empty:
        return []
    agg["p_adj"] = bh(agg["p"].to_numpy())
    warn_e, crit_e = float(setting(ft, "warn_effect")), float(setting(ft, "crit_effect"))
    warn_p, crit_p = float(setting(ft, "warn_p")), float(setting(ft, "crit_p"))
    cand = agg[(agg["p_adj"] <= 0.05) & (agg["effect"] >= warn_e / 2)]
    if cand.empty:
        return []
    unit_of = ctx.cadres.set_index("cadre_id")["unit_id"]
    cand = cand.assign(
        unit_id=np.where(
            cand["subject_type"] == "team", cand["subject_id"], cand["subject_id"].map(unit_of)
        )
    )
    d["gid"] = gid
    item_rows: dict[int, list[dict]] = {}
    cols = ["gid", "item_id", "dimension", "self", "others", "expected", "n_marks"]
    for rec in d.loc[d["gid"].isin(cand.index), cols].to_dict("records"):
        item_rows.setdefault(rec.pop("gid"), []).append(
            {
                "item_id": rec["item_id"],
                "dimension": rec["dimension"],
                "self": jsonable(rec["self"]),
                "others": jsonable(rec["others"]),
                "expected_self": jsonable(rec["expected"]),
                "n_marks": int(rec["n_marks"]),
            }
        )
    flags = []
    for gi, r in zip(cand.index, cand.itertuples(index=False), strict=True):
        sev = grade(
            r.p_adj, r.effect, warn_effect=warn_e, crit_effect=crit_e, warn_p=warn_p, crit_p=crit_p
        )
        if sev is None:
            continue
        natural = r.expected_mean - r.others_mean
        flags.append(
            Flag(
                ft,
                r.period_id,
                r.subject_type,
                r.subject_id,
                r.unit_id if isinstance(r.unit_id, str) else None,
                None,
                sev,
                round(float(r.effect), 4),
                float(r.p_adj),
                Text(
                    "ev.self_inflation",
                    {
                        "who": tx.text(f"ev.who.{r.subject_type}"),
                        "self": tx.num(r.self_mean, 2),
                        "others": tx.num(r.others_mean, 2),
                        "n_marks": tx.count(int(r.n_marks)),
                        "n_items": tx.count(int(r.n_items)),
                        "expected": tx.num(r.expected_mean, 2),
                        "excess": tx.num(r.effect, 2),
                        "excess_signed": tx.signed(r.effect, 2),
                        "p_phrase": tx.p_phrase(r.p_adj),
                    },
                ),
                None,
                {
                    "self_mean": jsonable(r.self_mean),
                    "others_mean": jsonable(r.others_mean),
                    "expected_self_mean": jsonable(r.expected_mean),
                    "natural_gap": jsonable(natural),
                    "gap": jsonable(r.self_mean - r.others_mean),
                    "excess": jsonable(r.effect),
                    "n_items": int(r.n_items),
                    "n_other_marks": int(r.n_marks),
                    "p_raw": p_detail(r.p),
                    "items": item_rows.get(gi, []),
                    "model": "ordered probit of self marks on probit(others' mean position), "
                    "per subject type and scale; exact mid-p of the sum of self marks",
                },
            )
        )
    return flags


# ---- satisfaction_gap ----------------------------------------------------------------------


def _robust_fit(
    y: np.ndarray, x_mat: np.ndarray, cut: float = 3.5
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares, refitted once without points beyond ``cut`` robust SDs (MAD)."""
    b = np.linalg.lstsq(x_mat, y, rcond=None)[0]
    r = y - x_mat @ b
    s = stats.median_abs_deviation(r, scale="normal")
    keep = np.abs(r) <= cut * max(s, 1e-9)
    if keep.sum() > x_mat.shape[1] + 2:
        b = np.linalg.lstsq(x_mat[keep], y[keep], rcond=None)[0]
        r = y - x_mat @ b
        s = stats.median_abs_deviation(r[keep], scale="normal")
        keep = np.abs(r) <= cut * max(s, 1e-9)
    return b, keep


@detector(
    "satisfaction_gap",
    defaults={
        "warn_effect": 8.0,  # points (0–100) between expected and observed third-party result
        "crit_effect": 12.0,  # ... for critical
        "warn_p": 0.01,  # BH-adjusted p for a warning
        "crit_p": 0.001,  # BH-adjusted p for critical
    },
)
def detect_satisfaction_gap(ctx) -> list[Flag]:
    ft = "satisfaction_gap"
    # every period of the database: the natural offset does not depend on --period
    sat = Context(ctx.con).mart("unit_satisfaction")
    sat = sat[sat["questionnaire"].notna() & sat["third_party"].notna()]
    d = sat.rename(
        columns={
            "questionnaire": "q",
            "n_respondents": "n_q",
            "third_party": "tp",
            "n_third_party": "n_tp",
            "var_third_party": "var_tp",
        }
    ).merge(ctx.units[["unit_id", "unit_type"]], on="unit_id")
    if len(d) < 10:
        return []  # too few unit-periods to learn the natural offset
    d["var_q"] = (d["sd_q"].fillna(d["sd_q"].median()) ** 2) / d["n_q"]
    types = sorted(d["unit_type"].unique())
    x_mat = np.c_[
        (d["unit_type"].to_numpy()[:, None] == np.array(types)[None, :]).astype(float),
        d["q"].to_numpy(),
    ]
    y = d["tp"].to_numpy()
    b, keep = _robust_fit(y, x_mat)
    slope = float(b[-1])
    d["pred"] = x_mat @ b
    d["r"] = y - d["pred"]
    d["s2"] = d["var_tp"] + slope**2 * d["var_q"]  # sampling variance of r
    # variance components from the robust residuals
    k = d[keep]
    by = k.groupby("unit_id")
    n_u = by["r"].transform("size")
    multi = k[n_u >= 2]
    if len(multi):
        within = multi.groupby("unit_id")["r"].var(ddof=1)
        sig_e2 = max(0.0, float(within.mean()) - float(multi["s2"].mean()))
        um = multi.groupby("unit_id").agg(r=("r", "mean"), n=("r", "size"), s2=("s2", "mean"))
        sig_u2 = max(
            0.0, float(um["r"].var(ddof=1)) - float(((sig_e2 + um["s2"]) / um["n"]).mean())
        )
    else:
        sig_e2 = max(0.0, float(k["r"].var(ddof=1)) - float(k["s2"].mean()))
        sig_u2 = 0.0
    # leave-one-out unit offset (other periods' residuals, robust ones only)
    kr = d["r"].where(keep)
    g = d.assign(kr=kr, kn=keep.astype(int), ks2=d["s2"].where(keep)).groupby("unit_id")
    sum_o = g["kr"].transform("sum") - kr.fillna(0)
    n_o = g["kn"].transform("sum") - keep.astype(int)
    s2_o = (g["ks2"].transform("sum") - d["s2"].where(keep).fillna(0)) / n_o.where(n_o > 0)
    mean_o = sum_o / n_o.where(n_o > 0)
    lam = (sig_u2 / (sig_u2 + (sig_e2 + s2_o) / n_o.where(n_o > 0))).fillna(0.0)
    if sig_u2 == 0:
        lam = lam * 0
    d["offset"] = (lam * mean_o).fillna(0.0)
    d["lam"] = lam
    var = (
        (1 - lam) ** 2 * sig_u2
        + sig_e2
        + d["s2"]
        + (lam**2 * (sig_e2 + s2_o.fillna(0)) / n_o.where(n_o > 0)).fillna(0.0)
    )
    d["dev"] = d["r"] - d["offset"]
    d["z"] = d["dev"] / np.sqrt(var)
    d["p"] = 2 * stats.norm.sf(np.abs(d["z"]))
    d = d[d["period_id"].isin(ctx.period_ids)].copy()
    if d.empty:
        return []
    d["p_adj"] = bh(d["p"].to_numpy())
    d["effect"] = -d["dev"]  # positive: own questionnaires more favourable than third party
    warn_e, crit_e = float(setting(ft, "warn_effect")), float(setting(ft, "crit_effect"))
    warn_p, crit_p = float(setting(ft, "warn_p")), float(setting(ft, "crit_p"))
    flags = []
    for r in d[(d["p_adj"] <= 0.05) & (d["effect"].abs() >= warn_e / 2)].itertuples(index=False):
        sev = grade(
            r.p_adj, r.effect, warn_effect=warn_e, crit_effect=crit_e, warn_p=warn_p, crit_p=crit_p
        )
        if sev is None:
            continue
        expected = r.tp + r.effect
        up = r.effect > 0
        text = Text(
            "ev.satisfaction_gap",
            {
                "q": tx.score(r.q),
                "n_q": tx.count(int(r.n_q)),
                "expected": tx.score(expected),
                "tp": tx.score(r.tp),
                "n_tp": tx.count(int(r.n_tp)),
                "gap": tx.score(abs(r.effect)),
                "direction": tx.text("ev.lower" if up else "ev.higher"),
                "p_phrase": tx.p_phrase(r.p_adj),
            },
        )
        details = {
            "questionnaire": jsonable(r.q),
            "respondents": int(r.n_q),
            "third_party": jsonable(r.tp),
            "third_party_sample": int(r.n_tp),
            "providers": [{k2: jsonable(v2) for k2, v2 in p.items()} for p in r.providers],
            "expected_third_party": jsonable(expected),
            "expected_from_peers": jsonable(r.pred),
            "unit_offset": jsonable(r.offset),
            "unit_offset_weight": jsonable(r.lam),
            "gap_points": jsonable(r.effect),
            "z": jsonable(r.z),
            "p_raw": p_detail(r.p),
            "se_sampling": jsonable(math.sqrt(r.s2)),
            "model": {
                "slope_on_questionnaire": round(slope, 4),
                "intercepts": {t: round(float(v), 2) for t, v in zip(types, b[:-1], strict=True)},
                "sd_unit_offset": round(math.sqrt(sig_u2), 3),
                "sd_period_noise": round(math.sqrt(sig_e2), 3),
            },
        }
        stat, p_adj = round(float(r.effect), 4), float(r.p_adj)
        flags.append(Flag.on_unit(ft, r.period_id, r.unit_id, sev, stat, p_adj, text, details))
    return flags


# ---- verification_refuted ------------------------------------------------------------------


@detector(
    "verification_refuted",
    defaults={
        "crit_refuted": 2,  # refuted claims in one unit-period for critical (1 makes a warning)
        "partial_info": 2,  # partially confirmed claims (and none refuted) for an info note
    },
)
def detect_verification_refuted(ctx) -> list[Flag]:
    ft = "verification_refuted"
    d = ctx.df("""
        SELECT period_id, unit_id, count(*) AS n_claims,
               count(*) FILTER (WHERE result = 'refuted') AS n_refuted,
               count(*) FILTER (WHERE result = 'partial') AS n_partial,
               list({'claim_id': claim_id, 'claim': claim, 'result': result, 'note': note}
                    ORDER BY claim_id) FILTER (WHERE result <> 'confirmed') AS claims
        FROM verifications WHERE period_id IN {periods}
        GROUP BY period_id, unit_id""")
    crit_n, part_n = int(setting(ft, "crit_refuted")), int(setting(ft, "partial_info"))
    d = d[(d["n_refuted"] > 0) | (d["n_partial"] >= part_n)]
    flags = []
    for r in d.itertuples(index=False):
        claims = list(r.claims) if r.claims is not None else []
        refuted = [c for c in claims if c["result"] == "refuted"]
        partial = [c for c in claims if c["result"] == "partial"]
        if r.n_refuted:
            sev = "critical" if r.n_refuted >= crit_n else "warning"
            text = Text(
                "ev.verification_refuted",
                {
                    "n_refuted": tx.count(int(r.n_refuted)),
                    "n_claims": tx.count(int(r.n_claims)),
                    "claims": tx.items([c["claim_id"] for c in refuted]),
                    "partial": tx.text("ev.verification.partial_too", n=tx.count(int(r.n_partial)))
                    if r.n_partial
                    else "",
                },
            )
        else:
            sev = "info"
            text = Text(
                "ev.verification.partial_only",
                {"n_partial": tx.count(int(r.n_partial)), "n_claims": tx.count(int(r.n_claims))},
            )
        details = {
            "n_claims": int(r.n_claims),
            "n_refuted": int(r.n_refuted),
            "n_partial": int(r.n_partial),
            "refuted_claim_ids": [c["claim_id"] for c in refuted],
            "partial_claim_ids": [c["claim_id"] for c in partial],
            "claims": [{k: c[k] for k in ("claim_id", "claim", "result", "note")} for c in claims],
        }
        flags.append(
            Flag.on_unit(ft, r.period_id, r.unit_id, sev, float(r.n_refuted), None, text, details)
        )
    return flags
