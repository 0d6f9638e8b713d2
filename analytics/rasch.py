"""Many-facet Rasch rating-scale model (Linacre's MFRM, as in FACETS), fitted by JMLE.

Model
-----
Observation ``n`` is subject ``s`` (a cadre or a team) marked by rater element ``r`` (a rater
group, possibly a rater group within one unit) on item ``i`` in category ``k = 0..m``
(score − scale_min)::

    log(P_nk / P_n,k-1) = θ_s − α_r − δ_i − τ_k          k = 1..m

θ = subject measure (higher = better), α = rater severity (higher = harsher, so a lenient
group has α < 0), δ = item difficulty (higher = harder to be marked well), τ = the
Rasch–Andrich thresholds shared by all items (rating-scale model, Andrich 1978).  All in
logits.  Probabilities are computed with log-sum-exp, so extreme linear predictors are safe.

Identification
--------------
* Σ τ_k = 0.
* δ has mean 0 over the jointly estimated (non-extreme) items.
* α has mean 0 over the jointly estimated (non-extreme) rater elements **of each disjoint
  subset**.  A subset is a connected component of the subject–rater graph (a subject and a
  rater element are linked when the element marked the subject).  When rater elements are
  "group within unit" and subjects belong to one unit, every unit is its own subset: the data
  cannot tell a lenient unit from a good one, and centring α per subset *assumes* the average
  rater element of every subset is equally severe — θ of different subsets is comparable only
  under that assumption.  ``n_subsets``, ``subject_subset`` and ``rater_subset`` report the
  design's subsets (all data); ``n_joint_subsets`` those of the jointly estimated data, which
  the centring uses.  Items are assumed to link everything (every rater element marks
  overlapping items, as on a ballot sheet).
* Elements with no observation at all get NaN measure, SE and fit (and are ignored by every
  constraint).

Estimation
----------
Joint (unconditional) maximum likelihood, JMLE (Wright & Panchapakesan 1969; Wright &
Masters 1982; Linacre 1989/1994): θ, α, δ and τ are all treated as unknown constants and the
joint log-likelihood is maximised.  The estimation equations are, per element, "sum of
observed scores = sum of expected scores" and, per threshold, "count of observations in
categories ≥ k = expected count".  Two optimisers of that same likelihood are provided:

* ``method="newton"`` (default): damped Newton–Raphson on all parameters at once with the
  exact information matrix (a full Newton step for JMLE; the per-facet scheme below is its
  block-diagonal approximation).  The subject block of that matrix is diagonal, so it is
  eliminated (Schur complement) and only a (raters + items + m)-square system is solved per
  iteration, by sparse LU (the whole system by sparse LU beyond 3000 such parameters).  Step
  limits: each parameter's step is first clipped to ``max_step`` logits (far-off elements
  move ``max_step`` at a time, the rest take their Newton step); if that does not increase
  the log-likelihood, the whole step is scaled so none exceeds ``max_step`` and halved until
  it does (the log-likelihood is concave, so this ends).  Starts from each subject's θ
  reproducing its mean score with α = δ = 0 and thresholds from the category log-odds;
  converges in 5–10 iterations.
* ``method="alternating"``: the classic FACETS-style scheme — per iteration, one
  Newton–Raphson step per element of one facet at a time (Σ(x−E) / ΣW, limited to
  ``max_step``), each facet using expectations recomputed after the previous one; thresholds
  updated with a full m×m Newton step.  Same estimates, many more iterations.

Convergence: the largest absolute change of any parameter in one iteration < ``tol``.
Weighted input (``weight`` = counts of identical rows) is reduced internally to the
sufficient statistics per (subject, rater, item) cell, exactly as unweighted input is, so a
weighted fit equals the expanded one.

Extreme scores and separation
-----------------------------
An element whose observations are all in the top (or all in the bottom) category has an
infinite MLE.  As in Winsteps/FACETS: such elements are set aside, the observations
involving them dropped, and the check repeated until no element in the remaining data is
extreme.  Sparse ceiling data raise a subtler case that FACETS leaves to non-convergence:
quasi-complete separation.  Example: subject A is marked by its own rater element X (mixed
marks; X marks nobody else) and by element Y, which gives A only top marks.  Neither A nor X
nor Y is extreme, yet θ_A and α_X can rise together without bound, improving the fit of the
(A, Y) marks: the joint MLE does not exist.  Such subject–rater pairs are found exactly on
the subject–rater graph (``_separated``; item and threshold measures taken as pinned, which
they are with ballot-size data) and their observations set aside as well; the two checks
alternate until neither drops anything.  If the joint fit of small data (≤ 20 000 cells)
still does not converge within 40 Newton iterations, separation in any direction of θ, α
and δ is looked for by linear programming (``_separated_lp``), those cells set aside, and the
fit redone.  The remaining data are estimated jointly.  Setting pairs aside can split the
design into more disjoint subsets (``n_joint_subsets``), each centred on its own (see
Identification).  ``set_aside`` counts the observations left out of the joint estimation.

Then elements without remaining data are placed one facet at a time with everything else
anchored, solving "raw score = expected score", the raw score moved ``extreme_adjust``
score points (default 0.3) inside when it is extreme: first rater elements and items against
anchored subjects, then subjects against all their observations, then any remaining rater
elements/items.  Their measures are finite but depend on ``extreme_adjust``; extreme ones are
flagged (``extreme_subjects``, ``extreme_raters``, ``extreme_items``: all-top or all-bottom in
the full data) and get NaN fit.  Centring is over the jointly estimated elements only, so the
frame does not depend on the adjustment.

Thresholds: unobserved categories
---------------------------------
If a category has no observation in the estimated data (e.g. nobody marked 1 = 差), its
thresholds would run to ±∞; in small data the categories can also be separated by the
measures.  The threshold equations therefore get pseudo-observations of weight
``category_pseudo_count`` (default 0.5) in *every* category, placed at the centre of the
thresholds (η = mean τ) — a weak prior that all categories are usable mid-scale.  They enter
nothing else (no element's score) and keep the model's invariances, so they cost nothing in
convergence; with ballot-size data they move thresholds by < 0.01 logit.  An unobserved
category's thresholds stay finite but far out (its expected count is about that weight):
read them as "this category is practically unused", not as a measurement.
``unobserved_categories`` lists such categories.  ``category_pseudo_count=0`` gives the pure
JMLE (thresholds then diverge if a category is unused).

Degenerate data: when every element is extreme (e.g. all marks 4) nothing can be estimated
jointly (``n_iter`` = 0): rater elements and items are put at 0, thresholds at the smoothed
category log-odds, and subjects placed against them — the numbers then only restate the raw
scores.

Standard errors and fit
-----------------------
Model SE = 1 / sqrt(Σ W) over the element's observations (W = model variance of an
observation), evaluated at the final estimates; it ignores the uncertainty of the other
facets (as FACETS's "model S.E.").  Residual x − E, z² = (x − E)² / W;
infit mean-square = Σ(x − E)² / ΣW (information-weighted), outfit mean-square = mean z²;
both weighted by counts, expectation 1.  Outfit is sensitive to unexpected marks far from
the subject's level (a rater marking in reverse), infit to misfit near it.  For the elements
estimated jointly, SE and fit use the jointly estimated data (observations of extreme
elements fit trivially and would pull every mean-square towards 0, as in Winsteps); for the
elements placed afterwards, all their observations.  Extreme elements get NaN fit.
``RaschFit.fit_by`` aggregates the same statistics over any grouping (e.g. ballot sheets).

Known bias
----------
JMLE is statistically inconsistent when the number of observations per element stays fixed
as the data grow: for the dichotomous Rasch model the measures are spread out by about
L/(L−1), L = test length (Wright & Douglas 1977).  Here the analogue of L is the number of
observations of a subject (rater elements × items): factor ≈ 1.02 for a subject marked by
five rater groups on 12 items, ≈ 1.09 for one group on 12 items (less for a 4-category
scale, which carries more information per mark).  **No correction is applied** (FACETS and
Winsteps apply none by default); multiply measures by (L−1)/L if needed.  Compare θ within
one fit; across fits only through common anchors.

Modules
-------
This module holds the interface (:func:`fit_rating_scale`, :class:`RaschFit`,
:func:`separation`, :func:`category_probabilities`); the model's moments are in
``rasch_moments``, the cell data, connectivity and separation checks in ``rasch_cells``, the
joint Newton problem and the one-facet solves in ``rasch_solve``.

References
----------
* Linacre, J. M. (1989/1994). *Many-Facet Rasch Measurement*. Chicago: MESA Press.
* Wright, B. D., & Masters, G. N. (1982). *Rating Scale Analysis*. Chicago: MESA Press.
* Wright, B. D., & Douglas, G. A. (1977). Best procedures for sample-free item analysis.
  *Applied Psychological Measurement*, 1, 281–295.
* Wright, B. D., & Panchapakesan, N. (1969). A procedure for sample-free item analysis.
  *Educational and Psychological Measurement*, 29, 23–48.
* Andrich, D. (1978). A rating formulation for ordered response categories.
  *Psychometrika*, 43, 561–573.
"""

# Mathematical notation (S, R, I facet sizes; E, W, T, Z moments) reads better than PEP 8 here.
# ruff: noqa: N806, E741

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analytics.rasch_cells import _aggregate, _components, _extreme
from analytics.rasch_moments import _moments, _probs
from analytics.rasch_solve import _fit_joint, _invert_expected, _Joint, _set_aside, _solve_facet

__all__ = ["RaschFit", "category_probabilities", "fit_rating_scale", "separation"]

_LP_MAX = 20_000  # largest number of cells checked for separation by linear programming
_PROBE_ITER = 40  # Newton iterations before suspecting separation (it converges in ~5-15)


def category_probabilities(eta, tau) -> np.ndarray:
    """P(category k | linear predictor η = θ − α − δ), shape (len(eta), m+1)."""
    return _probs(eta, tau).T


# --------------------------------------------------------------------------- result


@dataclass
class RaschFit:
    """Result of :func:`fit_rating_scale`.  Measures in logits; NaN for elements without data.

    ``alpha`` is severity (higher = harsher).  ``*_infit`` / ``*_outfit``: mean-squares
    (NaN for extreme elements and elements without data).  ``n_iter`` / ``converged``: the
    joint estimation of the non-extreme data (0 / True when there is none).
    ``extreme_*``: all marks in the top or all in the bottom category (measure placed with
    the adjusted score).  ``subject_count`` etc.: (weighted) numbers of observations;
    ``subject_score``: raw score in category units; ``category_count``: observations per
    category; ``unobserved_categories``: categories absent from the jointly estimated data
    (their thresholds rest on the pseudo-count).  ``subject_subset`` / ``rater_subset`` /
    ``n_subsets``: disjoint subsets of the subject–rater graph (-1: no data);
    ``n_joint_subsets``: those of the jointly estimated data (α is centred in each);
    ``set_aside``: (weighted) observations left out of the joint estimation (extreme elements,
    separated pairs).  ``log_likelihood``: of the jointly estimated data.
    """

    theta: np.ndarray
    theta_se: np.ndarray
    alpha: np.ndarray
    alpha_se: np.ndarray
    delta: np.ndarray
    delta_se: np.ndarray
    tau: np.ndarray
    subject_infit: np.ndarray
    subject_outfit: np.ndarray
    rater_infit: np.ndarray
    rater_outfit: np.ndarray
    item_infit: np.ndarray
    item_outfit: np.ndarray
    n_iter: int
    converged: bool
    extreme_subjects: np.ndarray
    extreme_raters: np.ndarray = field(default=None)
    extreme_items: np.ndarray = field(default=None)
    subject_count: np.ndarray = field(default=None)
    subject_score: np.ndarray = field(default=None)
    rater_count: np.ndarray = field(default=None)
    item_count: np.ndarray = field(default=None)
    category_count: np.ndarray = field(default=None)
    unobserved_categories: np.ndarray = field(default=None)
    subject_subset: np.ndarray = field(default=None)
    rater_subset: np.ndarray = field(default=None)
    n_subsets: int = 1
    n_joint_subsets: int = 1
    set_aside: float = 0.0
    log_likelihood: float = float("nan")
    method: str = "newton"

    @property
    def n_categories(self) -> int:
        return self.tau.size + 1

    def linear_predictor(self, s, r, i) -> np.ndarray:
        return self.theta[np.asarray(s)] - self.alpha[np.asarray(r)] - self.delta[np.asarray(i)]

    def expected(self, s, r, i) -> tuple[np.ndarray, np.ndarray]:
        """Expected score (category units, 0..m) and model variance of each observation."""
        mo = _moments(np.atleast_1d(self.linear_predictor(s, r, i)), self.tau)
        return mo.E, mo.W

    def probabilities(self, s, r, i) -> np.ndarray:
        """Category probabilities of each observation, shape (n, m+1)."""
        return category_probabilities(self.linear_predictor(s, r, i), self.tau)

    def fair_score(self, s=None) -> np.ndarray:
        """FACETS' "fair average": expected score of each subject (or of subjects ``s``) with
        a rater of severity 0 and an item of difficulty 0, in category units (0..m; add
        scale_min for the scale).  Monotone in θ, independent of who rated the subject."""
        th = self.theta if s is None else self.theta[np.asarray(s)]
        return _moments(np.atleast_1d(th), self.tau).E

    def fit_by(
        self, groups, s, r, i, k, n_groups, weight=None, skip_extreme: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Infit and outfit mean-squares and (weighted) counts over arbitrary groups of
        observations (e.g. ``groups`` = ballot-sheet id of each observation), at the fitted
        measures.  With ``skip_extreme`` (default) observations of extreme subjects, rater
        elements or items are left out, as for the elements' own fit (they fit trivially and
        would pull every mean-square towards 0).  Observations of elements without an
        estimate are skipped too; a group left empty gets NaN fit and count 0."""
        groups = np.asarray(groups, dtype=np.intp)
        s, r, i = (np.asarray(a, dtype=np.intp) for a in (s, r, i))
        k = np.asarray(k, dtype=float)
        w = np.ones(k.size) if weight is None else np.asarray(weight, dtype=float)
        E, W = self.expected(s, r, i)
        ok = np.isfinite(E) & (w > 0)
        if skip_extreme:
            ok &= ~(self.extreme_subjects[s] | self.extreme_raters[r] | self.extreme_items[i])
        g, w, E, W, k = groups[ok], w[ok], E[ok], W[ok], k[ok]
        sq = (k - E) ** 2
        count = np.bincount(g, w, n_groups)
        info = np.bincount(g, w * W, n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            infit = np.bincount(g, w * sq, n_groups) / info
            outfit = np.bincount(g, w * sq / np.maximum(W, 1e-300), n_groups) / count
        return infit, outfit, count


def separation(measure, se, mask=None) -> tuple[float, float]:
    """Rasch separation index G and separation reliability R = true var / observed var
    (Wright & Masters 1982), over finite measures (and ``mask`` if given).  For raters,
    R near 0 means the elements are indistinguishable in severity."""
    measure, se = np.asarray(measure, float), np.asarray(se, float)
    ok = np.isfinite(measure) & np.isfinite(se)
    if mask is not None:
        ok &= np.asarray(mask, bool)
    if ok.sum() < 2:
        return float("nan"), float("nan")
    obs_var = float(np.var(measure[ok], ddof=1))
    err_var = float(np.mean(se[ok] ** 2))
    true_var = max(obs_var - err_var, 0.0)
    g = np.sqrt(true_var / err_var) if err_var > 0 else float("inf")
    return float(g), (true_var / obs_var if obs_var > 0 else float("nan"))


# --------------------------------------------------------------------------- main entry


def fit_rating_scale(
    s,
    r,
    i,
    k,
    n_subjects,
    n_raters,
    n_items,
    n_categories,
    weight=None,
    max_iter=200,
    tol=1e-4,
    extreme_adjust=0.3,
    *,
    method="newton",
    category_pseudo_count=0.5,
    max_step=2.0,
) -> RaschFit:
    """Fit the many-facet rating-scale model by JMLE (see the module docstring).

    ``s``, ``r``, ``i``, ``k``: equal-length int arrays (subject 0..n_subjects-1, rater
    element, item, category 0..n_categories-1 = score − scale_min).  ``weight``: optional
    non-negative counts of identical rows (zero-weight rows are ignored); the fit equals that
    of the expanded data.  ``max_iter`` / ``tol``: iterations and convergence on the largest
    parameter change (logits).  ``extreme_adjust``: score points by which an all-top or
    all-bottom raw score is moved inside before placing the element.  ``method``: "newton"
    (joint Newton–Raphson, default) or "alternating" (FACETS-style, per facet).
    ``category_pseudo_count``: weight of the pseudo-observation in each unobserved category.
    ``max_step``: step limit per iteration (logits).  Raises ValueError on malformed input
    (lengths, ranges, negative weights, non-integer categories, no observations).
    """
    if method not in ("newton", "alternating"):
        raise ValueError(f"unknown method {method!r}")
    if n_categories < 2:
        raise ValueError("need at least 2 categories")
    if not extreme_adjust > 0:
        raise ValueError("extreme_adjust must be > 0")
    S, R, I, m = int(n_subjects), int(n_raters), int(n_items), int(n_categories) - 1
    arrs_in = [np.asarray(a).ravel() for a in (s, r, i, k)]
    arrs = [a.astype(np.intp, copy=False) for a in arrs_in]
    if len({a.size for a in arrs}) != 1:
        raise ValueError("s, r, i, k must have equal length")
    w = np.ones(arrs[0].size) if weight is None else np.asarray(weight, dtype=float).ravel()
    if w.size != arrs[0].size:
        raise ValueError("weight must have the length of s")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative")
    for a, lim, name in zip(arrs, (S, R, I, m + 1), "srik", strict=True):
        if a.size and (a.min() < 0 or a.max() >= lim):
            raise ValueError(f"{name} out of range 0..{lim - 1}")
    keep = w > 0
    if not keep.all():
        arrs = [a[keep] for a in arrs]
        w = w[keep]
    if w.size == 0:
        raise ValueError("no observations with positive weight")
    s, r, i, k = arrs
    kf = k.astype(float)
    if np.issubdtype(np.asarray(arrs_in[3]).dtype, np.floating) and not np.array_equal(
        kf, np.asarray(arrs_in[3], dtype=float)[keep]
    ):
        raise ValueError("k must hold whole category numbers")

    cs, cr, ci, n, sx, ssw, inv = _aggregate(s, r, i, kf, w, S, R, I)
    facets = ((cs, S), (cr, R), (ci, I))
    Nf = [np.bincount(idx, n, size) for idx, size in facets]
    Xf = [np.bincount(idx, sx, size) for idx, size in facets]
    extreme_full = [_extreme(N, X, m) for N, X in zip(Nf, Xf, strict=True)]
    category_count = np.bincount(k, w, m + 1)

    # -- set aside extreme elements and separated subject–rater pairs
    active = _set_aside(np.ones(cs.size, bool), cs, cr, ci, n, sx, facets, m, S, R, False)

    # -- joint estimation of the rest
    O = category_count + 0.5
    tau0 = np.log(O[:-1] / O[1:])
    tau0 -= tau0.mean()
    th_all = np.full(S, np.nan)
    al_all = np.full(R, np.nan)
    de_all = np.full(I, np.nan)
    n_iter, converged, ll = 0, True, float("nan")
    tau = tau0.copy()
    J = None
    lp_done = False
    while active.any():
        Ocat = np.bincount(k, w * active[inv], m + 1)
        J = _Joint(
            cs[active],
            cr[active],
            ci[active],
            n[active],
            sx[active],
            Ocat,
            m,
            category_pseudo_count,
            (S, R, I),
        )
        # start: each subject's θ reproducing its mean score with α = δ = 0 and τ = τ0
        th0 = _invert_expected(np.bincount(J.cs, J.sx, J.S) / np.bincount(J.cs, J.n, J.S), tau0)
        small = active.sum() <= _LP_MAX and not lp_done
        probe = min(max_iter, _PROBE_ITER) if small and method == "newton" else max_iter
        th, al, de, tau, n_iter, converged, ll = _fit_joint(
            J, th0, np.zeros(J.R), np.zeros(J.I), tau0.copy(), method, probe, tol, max_step
        )
        if not converged and small:
            # no convergence: look for separation the subject–rater graph cannot see
            lp_done = True
            before = active.sum()
            active = _set_aside(active, cs, cr, ci, n, sx, facets, m, S, R, True)
            if active.sum() < before:
                continue  # refit without the separated cells
            if probe < max_iter:
                th, al, de, tau, more, converged, ll = _fit_joint(
                    J, th, al, de, tau, method, max_iter - probe, tol, max_step
                )
                n_iter += more
        th_all[J.subj], al_all[J.rat], de_all[J.itm] = th, al, de
        break

    # -- place the set-aside elements, one facet at a time, everything else anchored
    known = [np.isfinite(th_all), np.isfinite(al_all), np.isfinite(de_all)]
    phase1 = [kn.copy() for kn in known]
    vals = [th_all, al_all, de_all]
    signs = (1.0, -1.0, -1.0)

    def place(f, elems, cell_ok):
        if elems.size == 0:
            return
        idx, size = facets[f]
        base = np.zeros(cs.size)
        for g in range(3):
            if g != f:
                v = np.nan_to_num(vals[g], nan=0.0)
                base += signs[g] * v[facets[g][0]]
        sel = cell_ok
        est = _solve_facet(
            np.where(sel, idx, size),
            size + 1,
            elems,
            base,
            signs[f],
            n,
            sx,
            tau,
            m,
            extreme_adjust,
            max_step,
            tol,
        )
        vals[f][elems] = est
        known[f][elems] = True

    has_data = [N > 0 for N in Nf]
    for f in (1, 2):  # rater elements and items against anchored partners
        pending = has_data[f] & ~known[f]
        if not pending.any():
            continue
        others = [g for g in range(3) if g != f]
        cell_ok = known[others[0]][facets[others[0]][0]] & known[others[1]][facets[others[1]][0]]
        reach = np.zeros(facets[f][1], bool)
        reach[facets[f][0][cell_ok]] = True
        place(f, np.flatnonzero(pending & reach), cell_ok)
    provisional = [has_data[f] & ~known[f] for f in range(3)]
    for f in (1, 2):
        vals[f][provisional[f]] = 0.0
    all_cells = np.ones(cs.size, bool)
    place(0, np.flatnonzero(has_data[0] & ~known[0]), all_cells)
    for f in (1, 2):
        place(f, np.flatnonzero(provisional[f]), all_cells)
    th_all, al_all, de_all = vals

    # -- standard errors and fit: elements estimated jointly from the non-extreme data (their
    # information and residuals); elements placed afterwards from all their observations.
    # Observations of extreme elements fit trivially and would dilute the others' fit.
    eta = th_all[cs] - al_all[cr] - de_all[ci]
    mo = _moments(eta, tau)
    sq = ssw + n * (sx / n - mo.E) ** 2
    z2 = sq / np.maximum(mo.W, 1e-300)
    nW = n * mo.W
    se, infit, outfit = [], [], []
    for f, (idx, size) in enumerate(facets):
        parts = []
        for cell_w in (active, None):

            def agg(v, cw=cell_w, idx=idx, size=size):
                return np.bincount(idx, v if cw is None else v * cw, size)

            parts.append((agg(nW), agg(sq), agg(z2), agg(n)))
        info, ss, zz, cnt = (np.where(phase1[f], a, b) for a, b in zip(*parts, strict=True))
        with np.errstate(invalid="ignore", divide="ignore"):
            se.append(np.where(cnt > 0, 1 / np.sqrt(info), np.nan))
            bad = (cnt == 0) | extreme_full[f]
            infit.append(np.where(bad, np.nan, ss / info))
            outfit.append(np.where(bad, np.nan, zz / cnt))

    sub_s, sub_r, n_sub = _components(cs, cr, S, R)
    return RaschFit(
        theta=th_all,
        theta_se=se[0],
        alpha=al_all,
        alpha_se=se[1],
        delta=de_all,
        delta_se=se[2],
        tau=tau,
        subject_infit=infit[0],
        subject_outfit=outfit[0],
        rater_infit=infit[1],
        rater_outfit=outfit[1],
        item_infit=infit[2],
        item_outfit=outfit[2],
        n_iter=n_iter,
        converged=bool(converged),
        extreme_subjects=extreme_full[0],
        extreme_raters=extreme_full[1],
        extreme_items=extreme_full[2],
        subject_count=Nf[0],
        subject_score=Xf[0],
        rater_count=Nf[1],
        item_count=Nf[2],
        category_count=category_count,
        unobserved_categories=(
            J.unobserved if J is not None else np.flatnonzero(category_count <= 0)
        ),
        subject_subset=sub_s,
        rater_subset=sub_r,
        n_subsets=n_sub,
        n_joint_subsets=J.n_comp if J is not None else 0,
        set_aside=float(n[~active].sum()),
        log_likelihood=ll,
        method=method,
    )
