"""Population-level bias (CONTRACT.md §2: group_bias).

group_bias — population / attribute (gender, age_band, education), period_id empty
---------------------------------------------------------------------------------
*Question*: do cadres' democratic ratings differ by a personal attribute beyond what their
results explain?
*Model*: one least-squares regression per attribute, pooled over the analysed periods, of the
democratic channel (0–100, ``analytics.channels.democratic``: the Rasch fair average once it
lands) of every team-tier cadre × period on

* performance (the channel's 0–100 attainment),
* role (principal / deputy / member: leaders are rated on a different footing),
* peer group × period fixed effects (unit type × period, absorbed by demeaning), and
* the attribute's levels (dummies against the most common level).

Standard errors are cluster-robust by cadre (CR1 sandwich: a cadre's repeated periods are
not independent), and the attribute is tested with the cluster-robust Wald χ² of all its
dummies (df = levels − 1).  *Statistic*: the effect in SD units of the democratic score
(within peer group and period) of the level furthest from the reference, signed (for gender:
women minus men; negative = women rated lower than men with the same results, role and peer
group).  p-values are adjusted across the attributes with BH.
*Attributes*: ``gender`` (F / M), ``age_band`` (age at the period's end year from
``birth_year``, cut at ``age_cuts`` = 45 and 55: under 45, 45–54, 55 and over) and
``education`` (as recorded).  Levels with fewer than ``min_level_cadres`` cadres are left out.
*Thresholds*: warning |effect| ≥ 0.2 SD with adjusted p ≤ 0.01; critical ≥ 0.4 SD with
p ≤ 0.001.  *Assumptions*: performance measures results comparably within a peer group, so a
remaining difference by attribute is a rating bias, not a quality difference that performance
misses (a real quality difference by attribute that performance does not capture would show up
too: read the flag as "not explained by results").  *Missing data*: cadre-periods without a
democratic or performance score, or without the attribute, are left out; an attribute needs
two levels with enough cadres.  *References*: Liang & Zeger (1986), Cameron & Miller (2015) for
cluster-robust inference.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from analytics import channels
from analytics import texts as tx
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.flags.sources import jsonable, p_detail
from analytics.texts import Text

ATTR_EN = {"gender": "gender", "age_band": "age band", "education": "education"}
ATTR_ZH = {"gender": "性别", "age_band": "年龄段", "education": "学历"}
LEVEL_EN = {"F": "women", "M": "men"}
LEVEL_ZH = {"F": "女性干部", "M": "男性干部"}


def cluster_ols(
    y: np.ndarray, x_mat: np.ndarray, cluster: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """OLS with a CR1 cluster-robust covariance; returns (coef, covariance, R²)."""
    xtx_inv = np.linalg.pinv(x_mat.T @ x_mat)
    b = xtx_inv @ (x_mat.T @ y)
    e = y - x_mat @ b
    g = pd.factorize(cluster)[0]
    n_g = int(g.max()) + 1
    score = np.zeros((n_g, x_mat.shape[1]))
    np.add.at(score, g, x_mat * e[:, None])
    n, k = x_mat.shape
    c = n_g / max(n_g - 1, 1) * (n - 1) / max(n - k, 1)
    cov = c * xtx_inv @ (score.T @ score) @ xtx_inv
    r2 = 1 - (e @ e) / max(((y - y.mean()) @ (y - y.mean())), 1e-12)
    return b, cov, float(r2)


@detector(
    "group_bias",
    defaults={
        "attributes": ["gender", "age_band", "education"],  # personal attributes tested
        "age_cuts": [45, 55],  # age-band boundaries (years, lower bound inclusive)
        "min_level_cadres": 20,  # cadres a level needs to be compared
        "warn_effect": 0.2,  # |effect| in SD of the democratic score for a warning
        "crit_effect": 0.4,  # ... for critical
        "warn_p": 0.01,  # BH-adjusted p for a warning
        "crit_p": 0.001,  # BH-adjusted p for critical
    },
)
def detect_group_bias(ctx) -> list[Flag]:
    ft = "group_bias"
    dem = channels.democratic(ctx)
    perf = channels.performance(ctx)
    key = ["period_id", "subject_type", "subject_id"]
    d = dem[dem["subject_type"] == "cadre"][key + ["democratic"]].merge(
        perf[perf["subject_type"] == "cadre"][key + ["performance"]], on=key
    )
    mem = ctx.members[
        ["cadre_id", "unit_id", "role", "gender", "birth_year", "education", "unit_type"]
    ].rename(columns={"cadre_id": "subject_id"})
    d = d.merge(mem, on="subject_id").dropna(subset=["democratic", "performance"])
    if len(d) < 30:
        return []
    end_year = dict(
        zip(ctx.periods["period_id"], pd.to_datetime(ctx.periods["end_date"]).dt.year, strict=True)
    )
    age = d["period_id"].map(end_year) - pd.to_numeric(d["birth_year"], errors="coerce")
    cuts = [int(c) for c in setting(ft, "age_cuts")]
    edges = [-np.inf, *cuts, np.inf]
    labels = (
        [f"<{cuts[0]}"] + [f"{a}-{b - 1}" for a, b in itertools.pairwise(cuts)] + [f"{cuts[-1]}+"]
    )
    d["age_band"] = pd.cut(age, edges, right=False, labels=labels).astype(object)
    d.loc[age.isna(), "age_band"] = None
    min_n = int(setting(ft, "min_level_cadres"))
    rows = []
    for attr in setting(ft, "attributes"):
        if attr not in d.columns:
            continue
        sub = d[d[attr].notna() & (d[attr].astype(str).str.strip() != "")].copy()
        sub[attr] = sub[attr].astype(str)
        n_cad = sub.groupby(attr)["subject_id"].nunique()
        levels = n_cad[n_cad >= min_n]
        if len(levels) < 2:
            continue
        sub = sub[sub[attr].isin(levels.index)]
        ref = str(levels.sort_values(ascending=False).index[0])
        if attr == "gender" and "M" in levels.index:
            ref = "M"
        others = [lv for lv in sorted(levels.index) if lv != ref]
        roles = sorted(sub["role"].dropna().unique())[1:]
        x_mat = np.c_[
            sub["performance"].to_numpy(float),
            *(np.asarray(sub["role"] == r, dtype=float) for r in roles),
            *(np.asarray(sub[attr] == lv, dtype=float) for lv in others),
        ]
        y = sub["democratic"].to_numpy(float)
        grp = (sub["period_id"].astype(str) + "|" + sub["unit_type"].astype(str)).to_numpy()
        # absorb peer group × period fixed effects by demeaning
        xd = x_mat - pd.DataFrame(x_mat).groupby(grp).transform("mean").to_numpy()
        yd = y - pd.Series(y).groupby(grp).transform("mean").to_numpy()
        keep = np.abs(xd).sum(axis=0) > 1e-12
        names = np.array(
            ["performance", *(f"role={r}" for r in roles), *(f"{attr}={lv}" for lv in others)]
        )
        xd, names = xd[:, keep], names[keep]
        b, cov, r2 = cluster_ols(yd, xd, sub["subject_id"].to_numpy())
        se = np.sqrt(np.clip(np.diag(cov), 0, None))
        ia = [i for i, nm in enumerate(names) if nm.startswith(f"{attr}=")]
        if not ia:
            continue
        ba, va = b[ia], cov[np.ix_(ia, ia)]
        wald = float(ba @ np.linalg.pinv(va) @ ba)
        p = float(stats.chi2.sf(wald, len(ia)))
        sd = float(np.std(yd, ddof=1))
        j = int(np.argmax(np.abs(ba)))
        rows.append(
            {
                "attr": attr,
                "ref": ref,
                "level": names[ia[j]].split("=", 1)[1],
                "effect": float(ba[j] / sd),
                "points": float(ba[j]),
                "p": p,
                "wald": wald,
                "df": len(ia),
                "sd": sd,
                "r2": r2,
                "n_obs": len(sub),
                "n_cadres": int(sub["subject_id"].nunique()),
                "levels": {str(k): int(v) for k, v in levels.items()},
                "table": [
                    {
                        "term": str(nm),
                        "coef": jsonable(bi),
                        "se": jsonable(si),
                        "t": jsonable(bi / si) if si > 0 else None,
                        "p": p_detail(2 * stats.norm.sf(abs(bi / si))) if si > 0 else None,
                        "coef_sd": jsonable(bi / sd),
                    }
                    for nm, bi, si in zip(names, b, se, strict=True)
                ],
                "level_means": {
                    str(k): jsonable(v) for k, v in sub.groupby(attr)["democratic"].mean().items()
                },
            }
        )
    if not rows:
        return []
    p_adj = bh([r["p"] for r in rows])
    warn_e, crit_e = float(setting(ft, "warn_effect")), float(setting(ft, "crit_effect"))
    warn_p, crit_p = float(setting(ft, "warn_p")), float(setting(ft, "crit_p"))
    flags = []
    for r, pa in zip(rows, p_adj, strict=True):
        sev = grade(
            pa, r["effect"], warn_effect=warn_e, crit_effect=crit_e, warn_p=warn_p, crit_p=crit_p
        )
        if sev is None:
            continue
        lv, ref, attr = r["level"], r["ref"], r["attr"]
        lo = r["effect"] < 0
        if attr == "gender":
            who, ref_t = tx.text(f"ev.bias.gender.{lv}"), tx.text(f"ev.bias.gender.{ref}")
        else:
            name = tx.text(f"ev.bias.attr.{attr}")
            who = tx.text("ev.bias.level", attr=name, level=tx.code(attr, lv, lower=True))
            ref_t = tx.text("ev.bias.ref", level=tx.code(attr, ref, lower=True))
        text = Text(
            "ev.group_bias",
            {
                "who": who,
                "ref": ref_t,
                "sd": tx.num(abs(r["effect"]), 2),
                "points": tx.score(abs(r["points"])),
                "direction": tx.text("ev.lower_adj" if lo else "ev.higher_adj"),
                "n_obs": tx.count(int(r["n_obs"])),
                "n_cadres": tx.count(int(r["n_cadres"])),
                "n_periods": tx.count(int(d["period_id"].nunique())),
                "p_phrase": tx.p_phrase(pa),
            },
        )
        flags.append(
            Flag(
                ft,
                None,
                "population",
                attr,
                None,
                None,
                sev,
                round(r["effect"], 4),
                float(pa),
                text,
                None,
                {
                    "attribute": attr,
                    "reference": ref,
                    "level": lv,
                    "effect_sd": jsonable(r["effect"]),
                    "effect_points": jsonable(r["points"]),
                    "wald_chi2": jsonable(r["wald"]),
                    "df": r["df"],
                    "p_raw": p_detail(r["p"]),
                    "sd_democratic": jsonable(r["sd"]),
                    "r2_within": jsonable(r["r2"]),
                    "n_obs": r["n_obs"],
                    "n_cadres": r["n_cadres"],
                    "levels_cadres": r["levels"],
                    "level_means_democratic": r["level_means"],
                    "regression": r["table"],
                    "periods": sorted(d["period_id"].unique().tolist()),
                    "model": "democratic ~ performance + role + attribute | unit_type × period "
                    "fixed effects; SE clustered by cadre",
                },
            )
        )
    return flags
