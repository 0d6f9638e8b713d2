"""Many-facet Rasch rating-scale model (analytics/rasch*.py): recovery, extremes, weights, fit."""

# S, R, I (facet sizes), E, W, P, T follow the model's notation.
# ruff: noqa: N803, N806, E741

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax

from analytics import rasch_solve
from analytics.rasch import category_probabilities, fit_rating_scale, separation

TAU = np.array([-1.5, 0.0, 1.5])
M = TAU.size
# the fit's mean squares per facet
FIT = (
    "subject_infit",
    "subject_outfit",
    "rater_infit",
    "rater_outfit",
    "item_infit",
    "item_outfit",
)


def draw(theta, alpha, delta, s, r, i, rng, tau=TAU):
    """Categories drawn from the model (independent of the module's own probabilities)."""
    eta = theta[s] - alpha[r] - delta[i]
    T = np.concatenate([[0.0], np.cumsum(tau)])
    p = softmax(np.outer(eta, np.arange(tau.size + 1)) - T, axis=1)
    return (rng.random(eta.size)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)


def simulate(S=300, R=20, I=6, per_subject=None, theta_mean=0.0, seed=0, alpha_sd=0.5):
    rng = np.random.default_rng(seed)
    theta = rng.normal(theta_mean, 1.0, S)
    alpha = rng.normal(0, alpha_sd, R)
    alpha -= alpha.mean()
    delta = np.linspace(-0.8, 0.8, I)
    if per_subject is None:  # complete design
        s, r, i = (
            a.ravel() for a in np.meshgrid(np.arange(S), np.arange(R), np.arange(I), indexing="ij")
        )
    else:  # each subject rated by a random few rater elements on every item
        raters = np.array([rng.choice(R, per_subject, replace=False) for _ in range(S)])
        s = np.repeat(np.arange(S), per_subject * I)
        r = np.repeat(raters.ravel(), I)
        i = np.tile(np.arange(I), S * per_subject)
    k = draw(theta, alpha, delta, s, r, i, rng)
    return dict(s=s, r=r, i=i, k=k, theta=theta, alpha=alpha, delta=delta, S=S, R=R, I=I)


def fit(d, **kw):
    return fit_rating_scale(d["s"], d["r"], d["i"], d["k"], d["S"], d["R"], d["I"], M + 1, **kw)


@pytest.fixture(scope="module")
def complete():
    d = simulate(seed=1)
    return d, fit(d)


@pytest.fixture(scope="module")
def sparse():
    d = simulate(per_subject=6, seed=2)
    return d, fit(d)


def test_recovery_complete_design(complete):
    d, f = complete
    assert f.converged and f.n_iter < 20
    assert np.corrcoef(f.theta, d["theta"])[0, 1] > 0.98
    err = f.alpha - d["alpha"]
    assert np.sqrt(np.mean(err**2)) < 0.08
    assert np.mean(np.abs(err) < 2 * f.alpha_se) >= 0.85
    assert np.abs(f.delta - d["delta"]).max() < 0.08
    assert np.all(np.diff(f.tau) > 0)
    assert np.abs(f.tau - TAU).max() < 0.1
    assert abs(f.tau.sum()) < 1e-9 and abs(f.alpha.mean()) < 1e-9 and abs(f.delta.mean()) < 1e-9


def test_recovery_sparse_design(sparse):
    d, f = sparse
    assert f.converged
    assert np.corrcoef(f.theta, d["theta"])[0, 1] > 0.95
    err = f.alpha - d["alpha"]
    assert np.sqrt(np.mean(err**2)) < 0.15
    assert np.mean(np.abs(err) < 2 * f.alpha_se) >= 0.8
    assert np.abs(f.delta - d["delta"]).max() < 0.1
    assert np.all(np.diff(f.tau) > 0) and np.abs(f.tau - TAU).max() < 0.15
    # standard errors: model SE close to the spread of the errors
    z = (f.theta - d["theta"]) / f.theta_se
    assert 0.8 < np.std(z - z.mean()) < 1.25


def test_matches_a_generic_optimiser_of_the_joint_likelihood():
    """The estimates maximise the JMLE likelihood: BFGS on an independent log-likelihood,
    with the constraints built into the parametrisation, finds the same point."""
    S, R, I = 30, 5, 4
    d = simulate(S=S, R=R, I=I, per_subject=3, seed=12)
    f = fit(d, category_pseudo_count=0.0)  # the pure likelihood, all categories observed
    assert not f.extreme_subjects.any() and f.converged and f.set_aside == 0

    def unpack(x):
        def centred(v):
            return np.append(v, -v.sum())

        return (
            x[:S],
            centred(x[S : S + R - 1]),
            centred(x[S + R - 1 : S + R + I - 2]),
            centred(x[S + R + I - 2 :]),
        )

    def nll(x):
        th, al, de, tau = unpack(x)
        eta = th[d["s"]] - al[d["r"]] - de[d["i"]]
        T = np.concatenate([[0.0], np.cumsum(tau)])
        lp = log_softmax(np.outer(eta, np.arange(M + 1)) - T, axis=1)
        return -lp[np.arange(eta.size), d["k"]].sum()

    res = minimize(nll, np.zeros(S + R + I + M - 3), method="BFGS", options={"gtol": 1e-7})
    assert res.fun == pytest.approx(-f.log_likelihood, abs=1e-6)
    for mine, ref in zip((f.theta, f.alpha, f.delta, f.tau), unpack(res.x), strict=True):
        np.testing.assert_allclose(mine, ref, atol=1e-4)


def test_alternating_and_newton_agree(sparse):
    d, f = sparse
    g = fit(d, method="alternating")
    assert g.converged
    for a in ("theta", "alpha", "delta", "tau"):
        np.testing.assert_allclose(getattr(g, a), getattr(f, a), atol=2e-3)


def test_linear_algebra_paths_agree(sparse, monkeypatch):
    d, f = sparse
    monkeypatch.setattr(rasch_solve, "_DENSE_B_MAX", 0)  # sparse Schur complement
    g = fit(d)
    monkeypatch.setattr(rasch_solve, "_SCHUR_MAX", 0)  # sparse LU of the whole system
    h = fit(d)
    for a in ("theta", "alpha", "delta", "tau"):
        np.testing.assert_allclose(getattr(g, a), getattr(f, a), atol=1e-6)
        np.testing.assert_allclose(getattr(h, a), getattr(f, a), atol=1e-6)


def test_ceiling_skewed_data_converge_with_finite_values():
    d = simulate(per_subject=3, theta_mean=3.0, seed=3)
    assert np.mean(d["k"] == M) > 0.6
    f = fit(d)
    assert f.converged
    for a in ("theta", "theta_se", "alpha", "alpha_se", "delta", "delta_se", "tau"):
        assert np.all(np.isfinite(getattr(f, a))), a
    top = np.bincount(d["s"], d["k"] == M, d["S"]) == np.bincount(d["s"], minlength=d["S"])
    assert top.sum() > 10
    np.testing.assert_array_equal(f.extreme_subjects, top)
    # an extreme subject is placed where its expected score is 0.3 below the maximum
    s0 = np.flatnonzero(top)[0]
    obs = d["s"] == s0
    E, _ = f.expected(d["s"][obs], d["r"][obs], d["i"][obs])
    assert E.sum() == pytest.approx(M * obs.sum() - 0.3, abs=1e-3)
    # extremes carry no fit; non-extreme subjects do
    assert np.all(np.isnan(f.subject_outfit[top]))
    assert np.all(np.isfinite(f.subject_outfit[~top]))
    # their measures sit above those of non-extreme subjects with the same raters on average
    assert f.theta[top].mean() > f.theta[~top].mean() + 1
    assert np.corrcoef(f.theta, d["theta"])[0, 1] > 0.8


def test_lenient_rater_marking_only_top_is_placed_finite():
    d = simulate(per_subject=4, seed=4)
    d["k"] = np.where(d["r"] == 0, M, d["k"])  # rater element 0 gives every subject the top mark
    f = fit(d)
    assert f.converged and f.extreme_raters[0] and not f.extreme_raters[1:].any()
    assert np.isfinite(f.alpha[0]) and f.alpha[0] < f.alpha[1:].min()
    assert abs(f.alpha[1:].mean()) < 1e-9  # centring over non-extreme elements


def test_separated_pair_is_set_aside_not_diverging():
    """Subject S is marked by its own rater element R (mixed marks) and by element 0, which
    gives it only top marks: θ_S and α_R could run off together (no MLE) although neither is
    extreme.  The all-top pair is set aside; S and R form their own subset."""
    d = simulate(S=30, R=4, per_subject=2, seed=13)
    S, R = d["S"], d["R"]
    k_own = np.array([1, 2, 3, 2, 3, 2])
    s = np.concatenate([d["s"], np.full(12, S)])
    r = np.concatenate([d["r"], np.full(6, R), np.zeros(6, int)])
    i = np.concatenate([d["i"], np.arange(6), np.arange(6)])
    k = np.concatenate([d["k"], k_own, np.full(6, M)])
    f = fit_rating_scale(s, r, i, k, S + 1, R + 1, d["I"], M + 1, max_iter=50)
    assert f.converged and f.n_iter < 20
    assert not f.extreme_subjects[S] and not f.extreme_raters[R]
    assert f.n_subsets == 1 and f.n_joint_subsets == 2 and f.set_aside == 6
    assert abs(f.alpha[R]) < 1e-9  # its own subset, centred
    assert np.all(np.isfinite(f.theta)) and abs(f.theta[S]) < 10
    assert abs(f.alpha[:R].mean()) < 1e-9


def test_separation_through_items_found_by_linear_programming(monkeypatch):
    """Tiny dichotomous data separated along a direction that moves an item (invisible to the
    subject–rater graph): without the LP check Newton runs off; with it, it converges."""
    s = [0, 2, 0, 2, 1, 0, 0, 0]
    r = [2, 2, 0, 2, 0, 0, 2, 2]
    i = [0, 0, 0, 1, 1, 0, 1, 1]
    k = [0, 0, 0, 0, 0, 1, 0, 1]
    f = fit_rating_scale(s, r, i, k, 3, 3, 3, 2, max_iter=100)
    assert f.converged and f.set_aside == 4
    assert np.all(np.abs(f.theta) < 10) and np.isnan(f.alpha[1]) and np.isnan(f.delta[2])
    monkeypatch.setattr(rasch_solve, "_separated_lp", lambda cs, *a: np.zeros(cs.size, bool))
    g = fit_rating_scale(s, r, i, k, 3, 3, 3, 2, max_iter=100)
    assert not g.converged and np.abs(g.theta).max() > 10


def test_sparse_ceiling_units_converge():
    """Units of 15 subjects, 10 rater elements each marking half of them on 12 items, most
    marks top: many extreme subjects and elements and separated pairs."""
    rng = np.random.default_rng(14)
    U, SU, G, I = 12, 15, 10, 12
    S, R = U * SU, U * G
    theta = rng.normal(3.5, 1.0, S)
    alpha = rng.normal(0, 0.6, R)
    delta = rng.normal(0, 0.3, I)
    subj = [u * SU + rng.choice(SU, SU // 2, replace=False) for u in np.arange(R) // G]
    s = np.repeat(np.concatenate(subj), I)
    r = np.repeat(np.repeat(np.arange(R), SU // 2), I)
    i = np.tile(np.arange(I), s.size // I)
    k = draw(theta, alpha, delta, s, r, i, rng, tau=np.array([-1.0, 0.3, 0.7]))
    assert np.mean(k == M) > 0.85
    for method in ("newton", "alternating"):
        f = fit_rating_scale(s, r, i, k, S, R, I, M + 1, method=method)
        assert f.converged, method
        has = f.subject_count > 0
        assert np.all(np.isfinite(f.theta[has])) and np.all(np.isfinite(f.alpha))
        assert np.all(np.isfinite(f.theta_se[has])) and np.all(np.isfinite(f.tau))
        assert f.extreme_subjects.sum() > 10 and f.set_aside > 0
        assert np.corrcoef(f.theta[has], theta[has])[0, 1] > 0.7


def test_weighted_equals_expanded():
    d = simulate(per_subject=3, theta_mean=2.0, seed=5)  # with extremes
    # duplicate some rows so that weights really carry counts
    rng = np.random.default_rng(0)
    reps = rng.integers(1, 4, d["s"].size)
    ex = {a: np.repeat(d[a], reps) for a in "srik"}
    key = np.stack([ex["s"], ex["r"], ex["i"], ex["k"]])
    cells, counts = np.unique(key, axis=1, return_counts=True)
    order = rng.permutation(cells.shape[1])
    cells, counts = cells[:, order], counts[order]
    f = fit_rating_scale(ex["s"], ex["r"], ex["i"], ex["k"], d["S"], d["R"], d["I"], M + 1)
    g = fit_rating_scale(*cells, d["S"], d["R"], d["I"], M + 1, weight=counts.astype(float))
    assert counts.max() > 1 and cells.shape[1] < ex["s"].size
    for a in (
        "theta",
        "theta_se",
        "alpha",
        "alpha_se",
        "delta",
        "delta_se",
        "tau",
        *FIT,
    ):
        np.testing.assert_allclose(getattr(g, a), getattr(f, a), rtol=1e-7, atol=1e-9, err_msg=a)
    np.testing.assert_array_equal(g.extreme_subjects, f.extreme_subjects)
    assert g.n_iter == f.n_iter


def test_fit_statistics_near_one_for_model_data(complete):
    _, f = complete
    for a in FIT:
        assert 0.9 < np.nanmean(getattr(f, a)) < 1.1, a


def test_reversed_and_random_raters_misfit():
    d = simulate(per_subject=8, seed=6)
    rng = np.random.default_rng(6)
    rev, rnd = d["r"] == 0, d["r"] == 1
    d["k"] = np.where(rev, M - d["k"], d["k"])
    d["k"] = np.where(rnd, rng.integers(0, M + 1, d["k"].size), d["k"])
    f = fit(d)
    assert f.rater_outfit[0] > 1.5 and f.rater_infit[0] > 1.3
    assert f.rater_outfit[1] > 1.3
    assert np.all(f.rater_outfit[2:] < 1.25)


def test_fit_by_flags_a_reversed_sheet():
    rng = np.random.default_rng(7)
    S, G, per_group, I = 40, 5, 8, 6
    theta = rng.normal(1.0, 1.0, S)
    alpha = np.linspace(-0.5, 0.5, G)
    delta = np.linspace(-0.5, 0.5, I)
    sheets = G * per_group  # each sheet marks every subject on every item
    sheet = np.repeat(np.arange(sheets), S * I)
    s = np.tile(np.repeat(np.arange(S), I), sheets)
    i = np.tile(np.arange(I), sheets * S)
    r = sheet // per_group
    k = draw(theta, alpha, delta, s, r, i, rng)
    k = np.where(sheet == 3, M - k, k)  # one respondent marks the scale backwards
    f = fit_rating_scale(s, r, i, k, S, G, I, M + 1)
    infit, outfit, count = f.fit_by(sheet, s, r, i, k, sheets)
    np.testing.assert_array_equal(count, S * I)
    assert outfit[3] > 2.0 and infit[3] > 1.5
    others = np.delete(outfit, 3)
    assert np.median(others) < 1.1 and others.max() < 1.5
    # weights aggregate exactly like repeated rows
    w = np.ones(s.size)
    np.testing.assert_allclose(f.fit_by(sheet, s, r, i, k, sheets, weight=w)[1], outfit)
    # an empty group reports NaN, not an error
    _, out2, cnt2 = f.fit_by(sheet, s, r, i, k, sheets + 1)
    assert cnt2[-1] == 0 and np.isnan(out2[-1])


def test_edge_cases_do_not_crash():
    d = simulate(per_subject=3, seed=8)
    # a rater element with no data (index R), a subject rated by a single rater (extra subject)
    s = np.concatenate([d["s"], np.full(6, d["S"])])
    r = np.concatenate([d["r"], np.zeros(6, int)])
    i = np.concatenate([d["i"], np.arange(6)])
    k = np.concatenate([d["k"], [1, 2, 3, 2, 1, 2]])
    f = fit_rating_scale(s, r, i, k, d["S"] + 1, d["R"] + 1, d["I"], M + 1)
    assert f.converged
    assert np.isnan(f.alpha[-1]) and np.isnan(f.alpha_se[-1]) and np.isnan(f.rater_outfit[-1])
    assert f.rater_count[-1] == 0
    assert np.all(np.isfinite(f.alpha[:-1])) and abs(np.mean(f.alpha[:-1])) < 1e-9
    assert np.isfinite(f.theta[-1]) and np.isfinite(f.theta_se[-1])
    assert not f.extreme_subjects[-1]
    # a category never used: bottom, middle, top
    for drop, into in ((0, 1), (2, 3), (3, 2)):
        k2 = np.where(d["k"] == drop, into, d["k"])
        g = fit_rating_scale(d["s"], d["r"], d["i"], k2, d["S"], d["R"], d["I"], M + 1)
        assert g.converged and np.all(np.isfinite(g.tau)) and np.all(np.isfinite(g.theta))
        assert drop in g.unobserved_categories
        assert np.corrcoef(g.theta, d["theta"])[0, 1] > 0.8
    # everything in one category: all extreme, still finite
    g = fit_rating_scale(
        d["s"], d["r"], d["i"], np.full_like(d["k"], M), d["S"], d["R"], d["I"], M + 1
    )
    assert g.extreme_subjects.all() and g.extreme_raters.all() and g.n_iter == 0
    assert np.all(np.isfinite(g.theta)) and np.all(np.isfinite(g.tau))
    # a tiny data set and a dichotomous scale
    g = fit_rating_scale([0, 0, 1, 1, 2], [0, 1, 0, 1, 1], [0] * 5, [1, 2, 2, 3, 1], 3, 2, 1, 4)
    assert np.all(np.isfinite(g.theta))
    g = fit_rating_scale(
        d["s"], d["r"], d["i"], (d["k"] >= 2).astype(int), d["S"], d["R"], d["I"], 2
    )
    assert g.converged and g.tau.tolist() == [0.0]
    assert np.corrcoef(g.theta, d["theta"])[0, 1] > 0.8


def test_input_validation():
    with pytest.raises(ValueError):
        fit_rating_scale([0], [0], [0], [4], 1, 1, 1, 4)
    with pytest.raises(ValueError):
        fit_rating_scale([0, 1], [0], [0], [1], 2, 1, 1, 4)
    with pytest.raises(ValueError):
        fit_rating_scale([0], [0], [0], [1], 1, 1, 1, 4, weight=[-1.0])
    with pytest.raises(ValueError):
        fit_rating_scale([0], [0], [0], [1], 1, 1, 1, 4, weight=[0.0])


def test_fair_score_ignores_who_rated():
    rng = np.random.default_rng(9)
    S, R, I = 200, 12, 6
    theta = np.concatenate([rng.normal(0.5, 1.0, S), [0.5, 0.5]])
    alpha = np.linspace(-1.0, 1.0, R)
    delta = np.linspace(-0.5, 0.5, I)
    raters = np.array([rng.choice(R, 4, replace=False) for _ in range(S)])
    s = np.repeat(np.arange(S), 4 * I)
    r = np.repeat(raters.ravel(), I)
    i = np.tile(np.arange(I), S * 4)
    # subject S only by the most lenient rater, subject S+1 only by the most severe, 10 sheets
    s = np.concatenate([s, np.full(10 * I, S), np.full(10 * I, S + 1)])
    r = np.concatenate([r, np.zeros(10 * I, int), np.full(10 * I, R - 1)])
    i = np.concatenate([i, np.tile(np.arange(I), 20)])
    k = draw(theta, alpha, delta, s, r, i, rng)
    f = fit_rating_scale(s, r, i, k, S + 2, R, I, M + 1)
    raw = np.bincount(s, k, S + 2) / np.bincount(s, minlength=S + 2)
    fair = f.fair_score()
    assert raw[S] - raw[S + 1] > 0.5  # raw means differ a lot
    assert abs(fair[S] - fair[S + 1]) < 0.25  # fair averages do not
    assert abs(f.theta[S] - f.theta[S + 1]) < 2.5 * np.hypot(f.theta_se[S], f.theta_se[S + 1])
    order = np.argsort(f.theta)
    assert np.all(np.diff(fair[order]) >= 0)  # monotone in θ
    assert np.all((fair >= 0) & (fair <= M))
    np.testing.assert_allclose(f.fair_score([S, 0]), fair[[S, 0]])


def test_expected_and_probabilities_are_consistent(complete):
    d, f = complete
    E, W = f.expected(d["s"][:50], d["r"][:50], d["i"][:50])
    P = f.probabilities(d["s"][:50], d["r"][:50], d["i"][:50])
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(E, P @ np.arange(M + 1))
    np.testing.assert_allclose(W, P @ np.arange(M + 1) ** 2 - E**2, atol=1e-12)
    P = category_probabilities(np.array([-1e4, -50.0, 0.0, 50.0, 1e4]), f.tau)
    assert np.all(np.isfinite(P))
    assert P[0, 0] == pytest.approx(1) and P[-1, -1] == pytest.approx(1)


def test_disjoint_subsets_centre_raters_within_each():
    a = simulate(S=60, R=6, per_subject=3, seed=10)
    b = simulate(S=60, R=6, per_subject=3, seed=11)
    s = np.concatenate([a["s"], b["s"] + 60])
    r = np.concatenate([a["r"], b["r"] + 6])
    i = np.concatenate([a["i"], b["i"]])
    k = np.concatenate([a["k"], b["k"]])
    f = fit_rating_scale(s, r, i, k, 120, 12, a["I"], M + 1)
    assert f.converged and f.n_subsets == 2
    np.testing.assert_array_equal(f.rater_subset, np.repeat([0, 1], 6))
    assert abs(f.alpha[:6].mean()) < 1e-9 and abs(f.alpha[6:].mean()) < 1e-9


def test_separation():
    g, rel = separation([0.0, 1.0, 2.0, 3.0], [0.5] * 4)
    assert rel == pytest.approx(
        (np.var([0, 1, 2, 3], ddof=1) - 0.25) / np.var([0, 1, 2, 3], ddof=1)
    )
    assert g > 0
    assert np.isnan(separation([1.0], [0.1])[0])
