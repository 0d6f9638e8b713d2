"""The ``teams`` command's table (CONTRACT.md §3): one row per unit and period with the
team verdict, its reason codes, the flags behind it and the team's standing.

Flag counts cover every flag of the period whose ``unit_id`` is the unit — on the unit
itself, its team, its cadres, its rater groups and its sheets — at that severity (pooled
flags, whose period is empty, are not counted in any one period).  The verdict and reason
codes are team health's (:mod:`analytics.team_health`, rules in ``[team_health]``); a
``good`` verdict beside a critical flag carries ``flags_discounted``.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = [
    "period_id",
    "unit_id",
    "verdict",
    "reason_codes",
    "n_critical_flags",
    "n_warning_flags",
    "composite",
    "ci_low",
    "ci_high",
    "rank",
    "rank_low",
    "rank_high",
    "peer_size",
]


def teams_frame(health: pd.DataFrame, scores: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    key = ["period_id", "unit_id"]
    out = health[["period_id", "unit_id", "verdict", "reason_codes"]].copy()
    out["reason_codes"] = out["reason_codes"].fillna("")
    fl = flags[flags["unit_id"].notna() & flags["period_id"].fillna("").ne("")]
    counts = (
        fl.assign(
            n_critical_flags=fl["severity"].eq("critical"),
            n_warning_flags=fl["severity"].eq("warning"),
        )
        .groupby(key)[["n_critical_flags", "n_warning_flags"]]
        .sum()
        .reset_index()
    )
    out = out.merge(counts, on=key, how="left")
    out[["n_critical_flags", "n_warning_flags"]] = (
        out[["n_critical_flags", "n_warning_flags"]].fillna(0).astype("int64")
    )
    team = scores[scores["subject_type"] == "team"].drop(columns="unit_id", errors="ignore")
    team = team.rename(columns={"subject_id": "unit_id"})
    cols = ["composite", "ci_low", "ci_high", "rank", "rank_low", "rank_high", "peer_size"]
    out = out.merge(team[key + cols], on=key, how="left")
    for c in ("rank", "rank_low", "rank_high", "peer_size"):
        out[c] = out[c].astype("Int64")
    return out[COLUMNS].sort_values(key).reset_index(drop=True)
