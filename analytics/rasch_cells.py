"""The data of :mod:`analytics.rasch` as (subject, rater, item) cells: aggregation,
connected subsets and the detection of extreme and separated elements."""

# Mathematical notation (S, R, I facet sizes; E, W, T, Z moments) reads better than PEP 8 here.
# ruff: noqa: N803, N806, E741, SIM300

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components


def _index(key: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of ``key`` (in 0..space-1), sorted, and the index of each key in them
    (a counting pass when the key space is small, else a sort)."""
    if space <= max(8 * key.size, 1 << 20):
        present = np.bincount(key, minlength=space) > 0
        uniq = np.flatnonzero(present)
        lookup = np.zeros(space, dtype=np.int32 if uniq.size < 2**31 else np.intp)
        lookup[uniq] = np.arange(uniq.size)
        return uniq, lookup[key]
    return np.unique(key, return_inverse=True)


def _aggregate(s, r, i, k, w, S, R, I):
    """Reduce observations to (subject, rater, item) cells: count, score sum, within-cell SS."""
    cells, inv = _index((s.astype(np.int64) * R + r) * I + i, S * R * I)
    C = cells.size
    n = np.bincount(inv, w, C)
    sx = np.bincount(inv, w * k, C)
    mean = sx / n
    ssw = np.bincount(inv, w * (k - mean[inv]) ** 2, C)
    ci = cells % I
    cr = (cells // I) % R
    cs = cells // (I * R)
    return cs.astype(np.intp), cr.astype(np.intp), ci.astype(np.intp), n, sx, ssw, inv


def _components(a, b, na, nb):
    """Connected components of the bipartite graph a–b; labels for a and for b (-1: absent)."""
    g = sp.coo_array((np.ones(a.size), (a, b + na)), shape=(na + nb, na + nb))
    _, lab = connected_components(g, directed=False)
    present = np.zeros(na + nb, bool)
    present[a] = True
    present[b + na] = True
    uniq, lab2 = np.unique(lab[present], return_inverse=True)
    out = np.full(na + nb, -1, dtype=np.intp)
    out[present] = lab2
    return out[:na], out[na:], uniq.size


def _targets(N, X, m, adj):
    """Raw score, moved ``adj`` score points inside the extreme if all-top or all-bottom."""
    a = np.minimum(adj, m * N / 2)
    top = X >= m * N * (1 - 1e-12)
    bottom = X <= m * N * 1e-12
    return np.where(top, m * N - a, np.where(bottom, a, X)), top | bottom


def _extreme(N, X, m):
    return (N > 0) & ((X >= m * N * (1 - 1e-12)) | (X <= m * N * 1e-12))


def _separated(cs, cr, n, sx, active, S, R, m):
    """Active cells of subject–rater pairs whose marks the model can fit perfectly only in
    the limit (quasi-complete separation), so the joint MLE would not exist.

    With item and threshold measures held (they rest on far more data), moving θ_s − α_r
    by a common amount within a "tight" component (linked by pairs with any mark strictly
    inside the scale, or both extremes) leaves those pairs' likelihood unchanged only if no
    tight pair straddles two components.  A pair whose marks are all top (all bottom) allows
    its subject's component to move up (down) relative to its rater's without bound, unless
    the directed constraints between components form a cycle through it.  Pairs joining two
    different strongly connected components are therefore separated.  An all-top subject or
    rater element is the simplest case."""
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return np.zeros(cs.size, bool)
    nn, xx = n[idx], sx[idx]
    top = xx >= m * nn * (1 - 1e-12)
    bot = xx <= m * nn * 1e-12
    pairs, pinv = _index(cs[idx].astype(np.int64) * R + cr[idx], S * R)
    P = pairs.size
    has_top = np.bincount(pinv, top, P) > 0
    has_bot = np.bincount(pinv, bot, P) > 0
    tight = (np.bincount(pinv, ~top & ~bot, P) > 0) | (has_top & has_bot)
    ps, pr = pairs // R, S + pairs % R
    g = sp.coo_array((np.ones(int(tight.sum())), (ps[tight], pr[tight])), shape=(S + R, S + R))
    n_comp, comp = connected_components(g, directed=False)
    ca, cb = comp[ps], comp[pr]
    loose = ~tight & (ca != cb)
    if not loose.any():
        return np.zeros(cs.size, bool)
    # edge X -> Y: the data allow c_X ≥ c_Y (all-top pair: subject side above rater side)
    src = np.where(has_top, ca, cb)[loose]
    dst = np.where(has_top, cb, ca)[loose]
    dg = sp.coo_array((np.ones(src.size), (src, dst)), shape=(n_comp, n_comp))
    _, scc = connected_components(dg, directed=True, connection="strong")
    sep = np.zeros(P, bool)
    sep[loose] = scc[src] != scc[dst]
    out = np.zeros(cs.size, bool)
    out[idx] = sep[pinv]
    return out


def _separated_lp(cs, cr, ci, n, sx, active, m):
    """Active cells that some direction of the measures (θ, α, δ; thresholds held) would fit
    perfectly in the limit: the general form of :func:`_separated`, items included, found by
    linear programming (HiGHS).  Directions d with Δη ≥ 0 on all-top cells, ≤ 0 on
    all-bottom cells and = 0 on the others; maximise Σ t_c, t_c ≤ |Δη_c| (signed), t ≤ 1, so
    every cell that any such direction moves gets t_c = 1.  Cost grows fast with size: used
    for small data (≤ ``_LP_MAX`` cells), where such patterns arise."""
    idx = np.flatnonzero(active)
    nn, xx = n[idx], sx[idx]
    top = xx >= m * nn * (1 - 1e-12)
    bot = xx <= m * nn * 1e-12
    ineq = np.flatnonzero(top | bot)
    out = np.zeros(cs.size, bool)
    if ineq.size == 0:
        return out
    eq = np.flatnonzero(~top & ~bot)
    us, a = np.unique(cs[idx], return_inverse=True)
    ur, b = np.unique(cr[idx], return_inverse=True)
    ui, c = np.unique(ci[idx], return_inverse=True)
    nS, nR = us.size, ur.size
    nv = nS + nR + ui.size
    cols = np.stack([a, nS + b, nS + nR + c], axis=1)

    def rows(cells, sign):
        rr = np.repeat(np.arange(cells.size), 3)
        vv = np.tile([1.0, -1.0, -1.0], cells.size) * np.repeat(sign, 3)
        return rr, cols[cells].ravel(), vv

    T = ineq.size
    rr, cc, vv = rows(ineq, np.where(top[ineq], -1.0, 1.0))
    A_ub = sp.csr_array(
        (
            np.concatenate([vv, np.ones(T)]),
            (np.concatenate([rr, np.arange(T)]), np.concatenate([cc, nv + np.arange(T)])),
        ),
        shape=(T, nv + T),
    )
    A_eq = b_eq = None
    if eq.size:
        rr, cc, vv = rows(eq, np.ones(eq.size))
        A_eq = sp.csr_array((vv, (rr, cc)), shape=(eq.size, nv + T))
        b_eq = np.zeros(eq.size)
    bounds = np.stack(
        [
            np.concatenate([np.full(nv, -np.inf), np.zeros(T)]),
            np.concatenate([np.full(nv, np.inf), np.ones(T)]),
        ],
        axis=1,
    )
    res = linprog(
        np.concatenate([np.zeros(nv), -np.ones(T)]),
        A_ub=A_ub,
        b_ub=np.zeros(T),
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
    )
    if res.status != 0 or res.x is None:
        return out
    out[idx[ineq[res.x[nv:] > 0.5]]] = True
    return out
