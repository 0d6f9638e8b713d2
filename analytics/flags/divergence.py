"""source_divergence: the channels tell different stories about one subject.

Statistic: d = n_democratic − z_results, signed (positive = ballots higher than results), in
SD units within the subject's peer group and period, where
* n_democratic is the democratic channel's rank-based normal score (van der Waerden:
  Φ⁻¹((rank − ½) / peers)) — ballot scores are ceiling-skewed, and a z-score's long lower
  tail would make ordinary low scorers look like divergences;
* z_results is the z-score of the subject's own results: a cadre's portfolio indicators
  when they have some (the unit's indicators dilute what is theirs), else the performance
  channel; a team's unit indicators.  Results are roughly normal, so their z keeps the size
  of a real outlier.

Null model: within a period the two standardised channels are taken as bivariate normal
with the correlation ρ observed over all subjects of the same type (teams, or cadres), so
d ~ N(0, 2(1 − ρ)) for a subject whose ballots and results agree as well as they usually
do.  Test statistic z = d / √(2(1 − ρ)), two-sided normal p-value, Benjamini–Hochberg over
every subject and period analysed.  Severity: ``grade`` with |d| ≥ ``warn_sd`` (warning,
adjusted p ≤ ``warn_p``) and |d| ≥ ``crit_sd`` (critical, adjusted p ≤ 0.001).  Subjects
lacking either channel are not candidates.  ρ is clipped to [−0.5, 0.9].

Reading: "ballots high, results low" is the amiable cadre who delivers little; "results high,
ballots low" the one who offends people while delivering — both matter to the judgment
(DOMAIN.md), neither is by itself a verdict.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from analytics.flags import Flag, bh, detector, fmt_p, grade, setting

DEFAULTS = {
    "warn_sd": 3.0,  # |normal-score gap| in SD for a warning
    "crit_sd": 4.0,  # … for a critical flag
    "warn_p": 0.05,  # BH-adjusted p for a warning (a 5% false-discovery rate)
}


@detector("source_divergence", defaults=DEFAULTS)
def detect_source_divergence(ctx) -> list[Flag]:
    from analytics.scores import channel_table, compute_scores

    sc = ctx.memo("scores", lambda: compute_scores(ctx))
    df = sc.dropna(subset=["democratic", "performance"]).copy()
    if df.empty:
        return []
    tab = channel_table(ctx)
    df = df.merge(
        tab[["period_id", "subject_type", "subject_id", "portfolio"]],
        on=["period_id", "subject_type", "subject_id"],
        how="left",
    )
    df["results"] = df["portfolio"].fillna(df["performance"])
    peers = df.groupby(["period_id", "peer_group"])
    rank = peers["democratic"].rank(method="average")
    df["n_democratic"] = stats.norm.ppf((rank - 0.5) / peers["democratic"].transform("count"))
    df["n_performance"] = (df["results"] - peers["results"].transform("mean")) / peers[
        "results"
    ].transform("std")
    # ρ pooled over every peer group of the subject type in the period: a peer group of
    # 12 teams gives too noisy a correlation to judge its own outliers by.
    rho = df.groupby(["period_id", "subject_type"])[["n_democratic", "n_performance"]].apply(
        lambda g: g["n_democratic"].corr(g["n_performance"]) if len(g) >= 10 else 0.0
    )
    df["rho"] = df.set_index(["period_id", "subject_type"]).index.map(rho).astype(float)
    df["rho"] = df["rho"].fillna(0.0).clip(-0.5, 0.9)
    df["d"] = df["n_democratic"] - df["n_performance"]
    z = df["d"] / np.sqrt(2 * (1 - df["rho"]))
    df["p_adj"] = bh(2 * stats.norm.sf(np.abs(z)))
    warn, crit = setting("source_divergence", "warn_sd"), setting("source_divergence", "crit_sd")
    warn_p = setting("source_divergence", "warn_p")
    out = []
    for r in df.itertuples(index=False):
        sev = grade(r.p_adj, r.d, warn_effect=warn, crit_effect=crit, warn_p=warn_p)
        if sev is None:
            continue
        high = r.d > 0
        own = "portfolio results" if r.results != r.performance else "performance"
        own_zh = "分管领域实绩" if r.results != r.performance else "绩效"
        en = (
            f"Ballots {'high' if high else 'low'} but results {'low' if high else 'high'}: "
            f"democratic {r.democratic:.1f} (normal score {r.n_democratic:+.1f}) vs "
            f"{own} {r.results:.1f} (z {r.n_performance:+.1f}) among {r.peer_group}; "
            f"gap {r.d:+.1f} SD, adjusted p {fmt_p(r.p_adj)}."
        )
        zh = (
            f"测评{'高' if high else '低'}而实绩{'低' if high else '高'}：同类比较中民主测评 "
            f"{r.democratic:.1f}（标准分 {r.n_democratic:+.1f}），{own_zh} {r.results:.1f}"
            f"（z {r.n_performance:+.1f}），相差 {r.d:+.1f} 个标准差，校正后 p = "
            f"{fmt_p(r.p_adj)}。"
        )
        out.append(
            Flag(
                "source_divergence",
                r.period_id,
                r.subject_type,
                r.subject_id,
                r.unit_id,
                None,
                sev,
                round(float(r.d), 3),
                float(r.p_adj),
                en,
                zh,
                {
                    "democratic": r.democratic,
                    "performance": r.performance,
                    "results": r.results,
                    "normal_democratic": r.n_democratic,
                    "z_results": r.n_performance,
                    "satisfaction": r.satisfaction,
                    "superior": r.superior,
                    "peer_group": r.peer_group,
                    "peer_correlation": r.rho,
                },
            )
        )
    return out
