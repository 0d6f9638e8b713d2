"""source_divergence: the channels tell different stories about one subject.

Statistic: d = n_democratic − n_performance, where n is the channel's rank-based normal
score (van der Waerden: Φ⁻¹((rank − ½) / peers)) within the subject's peer group and period;
signed, positive = ballots higher than results.  Normal scores rather than z-scores because
ballot scores are ceiling-skewed: a z-score's long lower tail would make ordinary low scorers
look like divergences.

Null model: within a peer group and period the two standardised channels are taken as
bivariate normal with the correlation ρ observed among the peers, so d ~ N(0, 2(1 − ρ)) for a
subject whose ballots and results agree as well as they usually do.  Test statistic
z = d / √(2(1 − ρ)), two-sided normal p-value, Benjamini–Hochberg over every subject and
period analysed.  Severity: ``grade`` with |d| ≥ ``warn_sd`` (warning, adjusted p ≤ ``warn_p``)
and |d| ≥ ``crit_sd`` (critical, adjusted p ≤ 0.001).  Subjects lacking either channel are
not candidates.  ρ is clipped to [−0.5, 0.9] so a tiny peer group cannot make the test
degenerate.

Reading: "ballots high, results low" is the amiable cadre who delivers little; "results high,
ballots low" the one who offends people while delivering — both matter to the judgment
(DOMAIN.md), neither is by itself a verdict.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from analytics.flags import Flag, bh, detector, fmt_p, grade, setting

DEFAULTS = {
    "warn_sd": 3.0,   # |normal-score gap| in SD for a warning
    "crit_sd": 4.0,   # … for a critical flag
    "warn_p": 0.05,   # BH-adjusted p for a warning (a 5% false-discovery rate)
}


@detector("source_divergence", defaults=DEFAULTS)
def detect_source_divergence(ctx) -> list[Flag]:
    from analytics.scores import compute_scores

    sc = ctx.memo("scores", lambda: compute_scores(ctx))
    df = sc.dropna(subset=["democratic", "performance"]).copy()
    if df.empty:
        return []
    peers = df.groupby(["period_id", "peer_group"])
    for c in ("democratic", "performance"):
        rank = peers[c].rank(method="average")
        df[f"n_{c}"] = stats.norm.ppf((rank - 0.5) / peers[c].transform("count"))
    rho = df.groupby(["period_id", "peer_group"])[["n_democratic", "n_performance"]].apply(
        lambda g: g["n_democratic"].corr(g["n_performance"]) if len(g) >= 5 else 0.0)
    df["rho"] = df.set_index(["period_id", "peer_group"]).index.map(rho).astype(float)
    df["rho"] = df["rho"].fillna(0.0).clip(-0.5, 0.9)
    df["d"] = df["n_democratic"] - df["n_performance"]
    z = df["d"] / np.sqrt(2 * (1 - df["rho"]))
    df["p_adj"] = bh(2 * stats.norm.sf(np.abs(z)))
    warn, crit = setting("source_divergence", "warn_sd"), setting("source_divergence",
                                                                  "crit_sd")
    warn_p = setting("source_divergence", "warn_p")
    out = []
    for r in df.itertuples(index=False):
        sev = grade(r.p_adj, r.d, warn_effect=warn, crit_effect=crit, warn_p=warn_p)
        if sev is None:
            continue
        high = r.d > 0
        en = (f"Ballots {'high' if high else 'low'} but results {'low' if high else 'high'}: "
              f"democratic {r.democratic:.1f} (normal score {r.n_democratic:+.1f}) vs "
              f"performance {r.performance:.1f} ({r.n_performance:+.1f}) among "
              f"{r.peer_group}; gap {r.d:+.1f} SD, adjusted p {fmt_p(r.p_adj)}.")
        zh = (f"测评{'高' if high else '低'}而实绩{'低' if high else '高'}：同类比较中民主测评 "
              f"{r.democratic:.1f}（标准分 {r.n_democratic:+.1f}），绩效 {r.performance:.1f}"
              f"（{r.n_performance:+.1f}），相差 {r.d:+.1f} 个标准差，校正后 p = "
              f"{fmt_p(r.p_adj)}。")
        out.append(Flag(
            "source_divergence", r.period_id, r.subject_type, r.subject_id, r.unit_id, None,
            sev, round(float(r.d), 3), float(r.p_adj), en, zh,
            {"democratic": r.democratic, "performance": r.performance,
             "normal_democratic": r.n_democratic, "normal_performance": r.n_performance,
             "satisfaction": r.satisfaction, "superior": r.superior,
             "peer_group": r.peer_group, "peer_correlation": r.rho}))
    return out
