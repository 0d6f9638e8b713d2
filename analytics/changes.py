"""One definition of "a clear change" from one period to the next (results table
``changes``), read by team health, the Overview movers, the unit cards and the portrait.

For every scored subject and period with a score in the previous period (time order) in the
same peer group: Δ = composite − previous composite, its standard error from both
intervals, se = √(((hi − lo)/2z)² + ((hi₀ − lo₀)/2z)²) with z the normal quantile of
``[scores] confidence``, and change_z = Δ / se.  The same on the flag-aware figures
(``composite_excl_flagged`` and its interval, :mod:`analytics.scores_flagged`).

``change_state``:
* ``clear`` — |change_z| ≥ z on the plain figures and on the flag-aware ones, same sign;
* ``flagged`` — clear on the plain figures only: the sheets the product flags drive it, and
  no sentence may call it clear (it says that flagged sheets drive it instead);
* ``within`` — within the uncertainty.
``change_clear`` is ``change_state == "clear"``.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from analytics import config

KEY = ["period_id", "subject_type", "subject_id"]
COLUMNS = [
    *KEY,
    "prev_period_id",
    "prev_composite",
    "change",
    "change_z",
    "change_excl_flagged",
    "change_excl_z",
    "change_state",
    "change_clear",
]


def z_quantile() -> float:
    level = float(config.get("scores", "confidence"))
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def change_z(delta, lo1, hi1, lo0, hi0, zq: float) -> np.ndarray:
    """Δ / se with se from the two intervals (±inf when both intervals are points)."""
    delta = np.asarray(delta, dtype=float)
    se = np.sqrt(
        ((np.asarray(hi1) - lo1) / (2 * zq)) ** 2 + ((np.asarray(hi0) - lo0) / (2 * zq)) ** 2
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(se > 0, delta / np.where(se > 0, se, 1), np.sign(delta) * np.inf)
    return np.where(np.isfinite(delta), np.where(delta == 0, 0.0, z), np.nan)


def state(z: np.ndarray, z_excl: np.ndarray, zq: float) -> np.ndarray:
    z, z_excl = np.asarray(z, dtype=float), np.asarray(z_excl, dtype=float)
    plain = np.abs(z) >= zq
    both = plain & (np.abs(z_excl) >= zq) & (np.sign(z) == np.sign(z_excl))
    out = np.where(both, "clear", np.where(plain, "flagged", "within"))
    return np.where(np.isfinite(z), out, None)


def change_table(scores: pd.DataFrame, period_order: list[str]) -> pd.DataFrame:
    """The ``changes`` table for ``scores`` (periods in ``period_order``, oldest first)."""
    if scores.empty:
        return pd.DataFrame(columns=COLUMNS)
    zq = z_quantile()
    prev_of = dict(zip(period_order[1:], period_order[:-1], strict=False))
    sc = scores.copy()
    for c, plain in (
        ("composite_excl_flagged", "composite"),
        ("ci_low_excl_flagged", "ci_low"),
        ("ci_high_excl_flagged", "ci_high"),
    ):
        if c not in sc:
            sc[c] = sc[plain]
    cols = ["subject_type", "subject_id", "peer_group", "composite", "ci_low", "ci_high"]
    excl = ["composite_excl_flagged", "ci_low_excl_flagged", "ci_high_excl_flagged"]
    old = sc[["period_id", *cols, *excl]].rename(
        columns={"period_id": "prev_period_id", **{c: f"{c}_0" for c in cols[3:] + excl}}
    )
    sc["prev_period_id"] = sc["period_id"].map(prev_of)
    m = sc.merge(old, on=["prev_period_id", "subject_type", "subject_id", "peer_group"])
    m["prev_composite"] = m["composite_0"]
    m["change"] = m["composite"] - m["composite_0"]
    m["change_z"] = change_z(
        m["change"], m["ci_low"], m["ci_high"], m["ci_low_0"], m["ci_high_0"], zq
    )
    m["change_excl_flagged"] = m["composite_excl_flagged"] - m["composite_excl_flagged_0"]
    m["change_excl_z"] = change_z(
        m["change_excl_flagged"],
        m["ci_low_excl_flagged"],
        m["ci_high_excl_flagged"],
        m["ci_low_excl_flagged_0"],
        m["ci_high_excl_flagged_0"],
        zq,
    )
    m["change_state"] = state(m["change_z"], m["change_excl_z"], zq)
    m["change_clear"] = m["change_state"] == "clear"
    return m[COLUMNS].sort_values(KEY).reset_index(drop=True)
