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

from analytics import texts as tx
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.texts import Text

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
        own = "portfolio" if r.results != r.performance else "performance"
        text = Text(
            "ev.source_divergence",
            {
                "shape": tx.text("ev.divergence.high" if high else "ev.divergence.low"),
                "democratic": tx.score(r.democratic),
                "n_dem": tx.signed(r.n_democratic, 1),
                "own": tx.text(f"ev.divergence.{own}"),
                "results": tx.score(r.results),
                "z_results": tx.signed(r.n_performance, 1),
                "peers": tx.text(f"ev.peers.{r.subject_type}"),
                "gap": tx.signed(r.d, 1),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
            },
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
                text,
                None,
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
