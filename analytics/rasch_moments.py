"""Moments of the rating-scale model (:mod:`analytics.rasch`): category probabilities,
expected scores, variances and the threshold pieces of the estimating equations."""

# Mathematical notation (S, R, I facet sizes; E, W, T, Z moments) reads better than PEP 8 here.
# ruff: noqa: N803, N806, N815, E741

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _dot(a, b) -> float:
    """Inner product without BLAS (multi-threaded BLAS dot is pathologically slow on small
    shared machines, and these vectors are too short to gain from it)."""
    return float(np.einsum("i,i->", a, b))


def _cum_thresholds(tau: np.ndarray) -> np.ndarray:
    """T_0 = 0, T_k = τ_1 + ... + τ_k."""
    return np.concatenate([[0.0], np.cumsum(tau)])


@dataclass
class _Moments:
    E: np.ndarray  # expected score
    W: np.ndarray  # model variance
    logZ: np.ndarray  # log normaliser: log P_k = kη − T_k − logZ
    P: list | None = None  # category probabilities, m+1 arrays


def _moments(eta, tau, want_p: bool = False) -> _Moments:
    """Moments of the rating-scale model at linear predictors η, computed stably.

    log-sum-exp with one exponential per observation: relative to the top category when
    η ≥ 0 (terms exp(T_m − T_k)·v^(m−k)) and to the bottom one when η < 0 (terms
    exp(−T_k)·v^k), v = exp(−|η|) ≤ 1; the reference term is 1, so nothing overflows or
    loses the normaliser.  Variance as Var(distance from the reference category), so it
    stays accurate (not 0 or negative) near the extremes."""
    eta = np.asarray(eta, dtype=float)
    T = _cum_thresholds(np.asarray(tau, dtype=float))
    m = T.size - 1
    pos = eta >= 0
    v = np.exp(-np.abs(eta))
    Z = np.ones_like(eta)
    S1 = np.zeros_like(eta)
    S2 = np.zeros_like(eta)
    vp = np.ones_like(eta)
    terms = [Z.copy()] if want_p else None
    tmp = np.empty_like(eta)
    for d in range(1, m + 1):
        vp *= v
        np.multiply(np.where(pos, np.exp(T[m] - T[m - d]), np.exp(-T[d])), vp, out=tmp)
        Z += tmp
        S1 += d * tmp
        S2 += (d * d) * tmp
        if want_p:
            terms.append(tmp.copy())
    S1 /= Z
    S2 /= Z
    E = np.where(pos, m - S1, S1)
    W = np.maximum(S2 - S1 * S1, 0.0)
    logZ = np.log(Z) + np.where(pos, m * eta - T[m], 0.0)
    out = _Moments(E, W, logZ)
    if want_p:
        rz = 1.0 / Z
        out.P = [np.where(pos, terms[m - k], terms[k]) * rz for k in range(m + 1)]
    return out


def _probs(eta, tau) -> np.ndarray:
    """Category probabilities, shape (m+1, n)."""
    return np.array(_moments(np.atleast_1d(eta), tau, want_p=True).P)


def _tau_stats(P: list, E: np.ndarray, n: np.ndarray):
    """Threshold pieces of the JMLE equations, weighted by cell counts ``n``.

    Returns expected counts in categories ≥ j (j = 1..m), the threshold information
    Σ n Cov(1[X≥a], 1[X≥b]) (m×m), and per cell Cov(X, 1[X≥j]) (list of m arrays)."""
    m = len(P) - 1
    nP = [n * p for p in P]
    ec = np.array([x.sum() for x in nP])
    eg = np.cumsum(ec[::-1])[::-1][1:]
    M = np.zeros((m + 1, m + 1))
    for k in range(1, m + 1):
        for l in range(k):
            M[k, l] = _dot(nP[k], P[l])
    # Cov(Y_a, Y_b) = P(X ≥ b) P(X < a) for a ≤ b = Σ_{k ≥ b} Σ_{l < a} P_k P_l
    H = np.zeros((m, m))
    for a in range(1, m + 1):
        for b in range(a, m + 1):
            H[a - 1, b - 1] = H[b - 1, a - 1] = M[b:, :a].sum()
    cxy = [None] * m
    acc = np.zeros_like(E)
    for j in range(m, 0, -1):
        acc = acc + (j - E) * P[j]
        cxy[j - 1] = acc
    return eg, H, cxy
