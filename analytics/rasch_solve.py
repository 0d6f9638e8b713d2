"""The joint maximum-likelihood problem of :mod:`analytics.rasch`: the Newton machinery on
the non-extreme data, the positive-definite solves and the one-facet re-estimation."""

# Mathematical notation (S, R, I facet sizes; E, W, T, Z moments) reads better than PEP 8 here.
# ruff: noqa: N803, N806, E741, SIM300

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from analytics.rasch_cells import _components, _extreme, _index, _separated, _separated_lp, _targets
from analytics.rasch_moments import _cum_thresholds, _dot, _moments, _tau_stats

_SCHUR_MAX = 3000  # beyond this many non-subject parameters: sparse LU of the full system
_DENSE_B_MAX = 4_000_000  # largest subjects × other-parameters block formed densely


class _Joint:
    """The non-extreme data (compact indices) and the Newton machinery of phase 1.

    Internally β = (θ, −α, −δ) so that η = β_s + β_r + β_i; the information matrix of β has
    diagonal blocks per facet (one element of each facet per cell)."""

    def __init__(self, cs, cr, ci, n, sx, Ocat, m, pseudo, sizes):
        self.subj, cs = _index(cs, sizes[0])
        self.rat, cr = _index(cr, sizes[1])
        self.itm, ci = _index(ci, sizes[2])
        self.cs, self.cr, self.ci, self.n, self.sx = cs, cr, ci, n, sx
        self.S, self.R, self.I, self.m = self.subj.size, self.rat.size, self.itm.size, m
        self.Ocat = Ocat
        self.Ocum = np.cumsum(Ocat[::-1])[::-1][1:]  # observed counts in categories ≥ j
        self.unobserved = np.flatnonzero(Ocat <= 0)
        self.pseudo = pseudo if m >= 2 else 0.0
        self.comp_s, self.comp_r, self.n_comp = _components(cs, cr, self.S, self.R)
        self.comp_size = np.bincount(self.comp_r, minlength=self.n_comp)
        self.pairs = {}
        for name, a, b, nb, na in (
            ("sr", cs, cr, self.R, self.S),
            ("si", cs, ci, self.I, self.S),
            ("ri", cr, ci, self.I, self.R),
        ):
            u, inv = _index(a.astype(np.int64) * nb + b, na * nb)
            self.pairs[name] = (u // nb, u % nb, inv, u.size)

    def eta(self, th, al, de):
        return th[self.cs] - al[self.cr] - de[self.ci]

    def _virtual(self, tau):
        """The thresholds' pseudo-observations: weight ``pseudo`` in every category at the
        centre of the thresholds, η = mean(τ).  Their log-likelihood depends on τ − mean(τ)
        only, so it keeps the model's invariance (θ + c, τ + c) and leaves θ, α, δ alone.
        Returns (gradient, information, log-likelihood) in τ, or None."""
        if self.pseudo <= 0:
            return None
        m = self.m
        u = float(np.mean(tau))
        P = np.array(_moments(np.array([u]), tau, want_p=True).P)[:, 0]
        T = _cum_thresholds(tau)
        kk = np.arange(m + 1)
        psi = kk * u - T
        logZ = np.log(np.exp(psi - psi.max()).sum()) + psi.max()
        # dψ_k/dτ_j = k/m − 1[k ≥ j]
        A = kk[:, None] / m - (kk[:, None] >= np.arange(1, m + 1)[None, :])
        mean_a = P @ A
        g = self.pseudo * (A.sum(axis=0) - (m + 1) * mean_a)
        H = self.pseudo * (m + 1) * (A.T @ (P[:, None] * A) - np.outer(mean_a, mean_a))
        ll = self.pseudo * float((psi - logZ).sum())
        return g, H, ll

    def evaluate(self, th, al, de, tau, want_p=True):
        eta = self.eta(th, al, de)
        mo = _moments(eta, tau, want_p=want_p)
        ll = _dot(eta, self.sx) - _dot(self.n, mo.logZ) - float(self.Ocat @ _cum_thresholds(tau))
        virt = self._virtual(tau)
        if virt is not None:
            ll += virt[2]
        return mo, ll, virt

    def tau_equations(self, mo, virt):
        """Gradient of log L in τ and the τ information block (plus per-cell Cov(X, Y_j))."""
        eg, Htt, cxy = _tau_stats(mo.P, mo.E, self.n)
        gt = eg - self.Ocum
        if virt is not None:
            gt, Htt = gt + virt[0], Htt + virt[1]
        return gt, Htt, cxy

    def newton_direction(self, mo, virt):
        """Full Newton step in (β, τ) for the current moments."""
        S, R, I, m = self.S, self.R, self.I, self.m
        n = self.n
        resid = self.sx - n * mo.E
        nW = n * mo.W
        gs = np.bincount(self.cs, resid, S)
        gr = np.bincount(self.cr, resid, R)
        gi = np.bincount(self.ci, resid, I)
        Ds = np.maximum(np.bincount(self.cs, nW, S), 1e-300)
        Dr = np.bincount(self.cr, nW, R)
        Di = np.bincount(self.ci, nW, I)
        gt, Htt, cxy = self.tau_equations(mo, virt)
        ncx = [n * c for c in cxy]
        Xs = np.stack([-np.bincount(self.cs, c, S) for c in ncx], axis=1)
        Xr = np.stack([-np.bincount(self.cr, c, R) for c in ncx], axis=1)
        Xi = np.stack([-np.bincount(self.ci, c, I) for c in ncx], axis=1)
        pw = {name: np.bincount(p[2], nW, p[3]) for name, p in self.pairs.items()}
        Q = R + I + m
        # B = information between subjects and (raters, items, thresholds): S × Q
        a_sr, b_sr, _, _ = self.pairs["sr"]
        a_si, b_si, _, _ = self.pairs["si"]
        B = sp.coo_array(
            (
                np.concatenate([pw["sr"], pw["si"], Xs.ravel()]),
                (
                    np.concatenate([a_sr, a_si, np.repeat(np.arange(S), m)]),
                    np.concatenate([b_sr, R + b_si, np.tile(R + I + np.arange(m), S)]),
                ),
            ),
            shape=(S, Q),
        ).tocsr()
        # Hr = information among (raters, items, thresholds): Q × Q
        a_ri, b_ri, _, _ = self.pairs["ri"]
        ar, ai, at = np.arange(R), R + np.arange(I), R + I + np.arange(m)
        rows = [
            ar,
            ai,
            a_ri,
            R + b_ri,
            np.repeat(ar, m),
            np.tile(at, R),
            np.repeat(ai, m),
            np.tile(at, I),
            np.repeat(at, m),
        ]
        cols = [
            ar,
            ai,
            R + b_ri,
            a_ri,
            np.tile(at, R),
            np.repeat(ar, m),
            np.tile(at, I),
            np.repeat(ai, m),
            np.tile(at, m),
        ]
        vals = [
            Dr,
            Di,
            pw["ri"],
            pw["ri"],
            Xr.ravel(),
            Xr.ravel(),
            Xi.ravel(),
            Xi.ravel(),
            Htt.ravel(),
        ]
        Hr = sp.coo_array(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(Q, Q)
        ).tocsr()
        g_rest = np.concatenate([gr, gi, gt])
        if Q <= _SCHUR_MAX:
            # eliminate the (diagonal) subject block: Schur complement
            if B.nnz > 0.1 * S * Q and S * Q <= _DENSE_B_MAX:
                Bd = B.toarray()
                Sc = sp.csc_array(Hr.toarray() - Bd.T @ (Bd / Ds[:, None]))
            else:
                Sc = Hr - B.T @ sp.diags_array(1.0 / Ds) @ B
            x = _solve_psd(Sc, g_rest - B.T @ (gs / Ds))
            return np.concatenate([(gs - B @ x) / Ds, x])
        H = sp.block_array([[sp.diags_array(Ds), B], [B.T, Hr]])
        return _solve_psd(H, np.concatenate([gs, g_rest]))

    def centre(self, th, al, de, tau):
        """Impose Σ τ = 0, mean δ = 0, mean α = 0 per subset, moving θ so η is unchanged."""
        c = tau.mean()
        tau -= c
        th -= c
        c = de.mean()
        de -= c
        th -= c
        cm = np.bincount(self.comp_r, al, self.n_comp) / self.comp_size
        al -= cm[self.comp_r]
        th -= cm[self.comp_s]


def _solve_psd(A, b):
    """Solve A x = b for symmetric PSD A (dense or sparse) that may be singular along
    directions the caller removes afterwards (a tiny ridge makes it definite).  Sparse LU
    (SuperLU) rather than LAPACK: predictable on small shared machines, where threaded
    BLAS/LAPACK can be 10–100× slower than single-threaded on these sizes."""
    A = sp.csc_array(A)
    dg = np.abs(A.diagonal())
    A = A + sp.diags_array(1e-10 * dg + 1e-12 * max(dg.max(), 1e-300))
    try:
        return splu(sp.csc_array(A)).solve(np.asarray(b, dtype=float))
    except RuntimeError:  # exactly singular despite the ridge: least squares
        return np.linalg.lstsq(A.toarray(), b, rcond=None)[0]


def _invert_expected(mean, tau, lo=-50.0, hi=50.0, n_iter=60):
    """η with expected score E(η) = mean (vectorised bisection; E is increasing in η)."""
    lo = np.full(mean.size, lo)
    hi = np.full(mean.size, hi)
    for _ in range(n_iter):
        mid = (lo + hi) / 2
        up = _moments(mid, tau).E < mean
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return (lo + hi) / 2


def _set_aside(active, cs, cr, ci, n, sx, facets, m, S, R, use_lp):
    """Drop from ``active`` the cells of extreme elements and of separated subject–rater
    pairs (and, with ``use_lp``, of cells separated in any direction), until stable."""
    active = active.copy()
    while True:
        changed = True
        while changed:
            changed = False
            for idx, size in facets:
                ext = _extreme(
                    np.bincount(idx, n * active, size), np.bincount(idx, sx * active, size), m
                )
                drop = active & ext[idx]
                if drop.any():
                    active &= ~drop
                    changed = True
        drop = _separated(cs, cr, n, sx, active, S, R, m)
        if not drop.any() and use_lp and active.any():
            drop = _separated_lp(cs, cr, ci, n, sx, active, m)
        if not drop.any():
            return active
        active &= ~drop


def _fit_joint(J: _Joint, th, al, de, tau, method, max_iter, tol, max_step):
    """Phase 1: JMLE of the non-extreme data.  Returns (θ, α, δ, τ, n_iter, converged, ll)."""
    J.centre(th, al, de, tau)
    S, R, I = J.S, J.R, J.I
    converged = False
    it = 0
    if method == "newton":
        mo, ll, virt = J.evaluate(th, al, de, tau)
        while it < max_iter:
            it += 1
            d = J.newton_direction(mo, virt)
            if not np.all(np.isfinite(d)):  # numerical trouble: fall back to a gradient step
                d = np.nan_to_num(d, nan=0.0, posinf=0.0, neginf=0.0)
            big = np.abs(d).max()
            old = np.concatenate([th, al, de, tau])
            # the step limit per parameter (far-off elements move max_step a time, the rest
            # take their Newton step); if that is no ascent, the whole step scaled down
            tries = [np.clip(d, -max_step, max_step) * 0.5**h for h in range(4)]
            scale = min(1.0, max_step / big) if big > 0 else 1.0
            tries += [d * scale * 0.5**h for h in range(40)]
            for dd in tries:
                nt, na = th + dd[:S], al - dd[S : S + R]
                nd, nu = de - dd[S + R : S + R + I], tau + dd[S + R + I :]
                J.centre(nt, na, nd, nu)
                mo2, ll2, virt2 = J.evaluate(nt, na, nd, nu)
                if np.isfinite(ll2) and ll2 >= ll - 1e-12 * abs(ll):
                    break
            else:  # no ascent along the step: at the optimum up to rounding, or stuck
                converged = big * scale < tol
                break
            th, al, de, tau, mo, ll, virt = nt, na, nd, nu, mo2, ll2, virt2
            if np.abs(np.concatenate([th, al, de, tau]) - old).max() < tol:
                converged = True
                break
        return th, al, de, tau, it, converged, ll

    # alternating per-facet Newton-Raphson (FACETS style)
    while it < max_iter:
        it += 1
        old = np.concatenate([th, al, de, tau])
        for facet in range(3):
            mo, _, virt = J.evaluate(th, al, de, tau, want_p=(facet == 2))
            idx, size = ((J.cs, S), (J.cr, R), (J.ci, I))[facet]
            step = np.bincount(idx, J.sx - J.n * mo.E, size) / np.bincount(idx, J.n * mo.W, size)
            step = np.clip(step, -max_step, max_step)
            if facet == 0:
                th = th + step
            elif facet == 1:
                al = al - step
            else:
                de = de - step
                if J.m >= 2:
                    gt, Htt, _ = J.tau_equations(mo, virt)
                    dt = _solve_psd(Htt, gt)
                    tau = tau + np.clip(dt - dt.mean(), -max_step, max_step)
            J.centre(th, al, de, tau)
        if np.abs(np.concatenate([th, al, de, tau]) - old).max() < tol:
            converged = True
            break
    _, ll, _ = J.evaluate(th, al, de, tau, want_p=False)
    return th, al, de, tau, it, converged, ll


def _solve_facet(idx, size, elems, base, sign, n, sx, tau, m, adj, max_step, tol, max_iter=200):
    """Place the elements ``elems`` of one facet with everything else anchored: solve
    raw score (adjusted if extreme) = expected score per element, given the cells' other
    contributions ``base`` to η (η = base + sign·measure).  ``idx`` = the cells' element of
    this facet; only cells whose element is in ``elems`` are used."""
    want = np.zeros(size, bool)
    want[elems] = True
    sel = want[idx]
    idx, base, n, sx = idx[sel], base[sel], n[sel], sx[sel]
    N = np.bincount(idx, n, size)
    X = np.bincount(idx, sx, size)
    target, _ = _targets(N, X, m, adj)
    b = np.zeros(size)  # in "η direction": measure = sign * b
    lo = np.full(size, -np.inf)
    hi = np.full(size, np.inf)
    for _ in range(max_iter):
        mo = _moments(base + b[idx], tau)
        g = target - np.bincount(idx, n * mo.E, size)
        info = np.bincount(idx, n * mo.W, size)
        lo = np.where(want & (g > 0), np.maximum(lo, b), lo)
        hi = np.where(want & (g < 0), np.minimum(hi, b), hi)
        step = np.where(want, np.clip(g / np.maximum(info, 1e-300), -max_step, max_step), 0)
        nb = b + step
        bounded = np.isfinite(lo) & np.isfinite(hi)
        bad = want & bounded & ((nb <= lo) | (nb >= hi))
        nb = np.where(bad, np.where(bounded, lo, 0) / 2 + np.where(bounded, hi, 0) / 2, nb)
        change = np.abs(nb - b).max() if want.any() else 0.0
        b = nb
        if change < tol * 0.01:
            break
    return sign * b[elems]
