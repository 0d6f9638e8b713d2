"""The Anomalies page's bias views: the unit × rater-group severity map, session reliability,
the rater model's groups and the city-wide group-bias flags.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import privacy
from analytics.views import period_label
from analytics.views.anomalies import _FLAG_ID, _ORDER, _WHERE, _label, _scope, _t
from analytics.views.anomalies_evidence import _complement


# ---- the unit × rater-group severity map ---------------------------------------------------
def severity_map(
    con: duckdb.DuckDBPyConnection,
    period: str | None,
    area: str | None,
    unit: str | None,
    types: tuple = (),
    sevs: tuple = (),
    subjects: tuple = (),
    lang: str = "zh",
) -> dict:
    """Flags that name a rater group, per unit and group in scope: the worst severity
    (rank 3 = critical … 1 = info) and the count.  A cell whose group cast fewer than k
    sheets in that unit's session (in the period) is dropped.  Returns ``cells`` (unit_id,
    unit_name, rater_group, group_label, worst, n_flags, n_sheets), ``hidden`` (cells
    dropped) and ``units_without`` (units in scope without any such flag)."""
    k = privacy.floor()
    args = _scope(period, area, unit, types, sevs, subjects)
    df = con.execute(
        f"""
        WITH gs AS (
            SELECT unit_id, rater_group, sum(n_sheets) AS n FROM r.group_sessions
            WHERE ($period IS NULL OR period_id = $period) AND ($unit IS NULL OR unit_id = $unit)
            GROUP BY ALL),
        fl AS (
            SELECT f.unit_id, f.rater_group,
                   3 - min(f.severity_rank)
                       AS worst, count(*) AS n_flags
            FROM r.flags f LEFT JOIN units u ON u.unit_id = f.unit_id
            {_WHERE} AND f.rater_group IS NOT NULL AND f.unit_id IS NOT NULL
            GROUP BY ALL)
        SELECT fl.unit_id, un.name AS unit_name, fl.rater_group, fl.worst, fl.n_flags,
               coalesce(gs.n, 0) AS n_sheets
        FROM fl JOIN units un ON un.unit_id = fl.unit_id
        LEFT JOIN gs ON gs.unit_id = fl.unit_id AND gs.rater_group = fl.rater_group
        ORDER BY fl.unit_id, fl.rater_group""",
        args,
    ).df()
    in_scope = con.execute(
        """
        SELECT count(*) FROM units WHERE ($area IS NULL OR area_id = $area)
          AND ($unit IS NULL OR unit_id = $unit)""",
        {"area": area, "unit": unit},
    ).fetchone()[0]
    hidden = df["n_sheets"] < k
    cells = df[~hidden].copy()
    cells["group_label"] = [_label("group", g, lang) for g in cells["rater_group"]]
    return {
        "cells": cells.reset_index(drop=True),
        "hidden": int(hidden.sum()),
        "units_without": int(in_scope) - int(df["unit_id"].nunique()),
        "k": k,
    }


# ---- session reliability -------------------------------------------------------------------
def reliability(
    con: duckdb.DuckDBPyConnection,
    period: str | None,
    area: str | None,
    unit: str | None,
    lang: str = "zh",
) -> dict:
    """Reliability of the sessions in scope: ``table`` (one row per unit session: unit,
    sheets, α with band, ICC(2,1), ICC(2,k) with band, sheets in the ICC) and ``summary``
    (sessions, medians)."""
    df = con.execute(
        """
        SELECT r.unit_id, u.name AS unit_name, r.period_id, r.sheets, r.alpha, r.alpha_band,
               r.icc_single, r.icc_average, r.icc_band, r.icc_sheets
        FROM r.reliability r JOIN units u USING (unit_id)
        WHERE ($period IS NULL OR r.period_id = $period)
          AND ($area IS NULL OR u.area_id = $area) AND ($unit IS NULL OR r.unit_id = $unit)
        ORDER BY r.alpha NULLS LAST, r.unit_id""",
        {"period": period, "area": area, "unit": unit},
    ).df()
    df["alpha_band_label"] = [_label("anomalies.band", b, lang) for b in df["alpha_band"]]
    df["icc_band_label"] = [_label("anomalies.band", b, lang) for b in df["icc_band"]]
    summary = {
        "sessions": len(df),
        "median_alpha": float(df["alpha"].median()) if len(df) else None,
        "median_icc1": float(df["icc_single"].median()) if len(df) else None,
        "median_icck": float(df["icc_average"].median()) if len(df) else None,
    }
    return {"table": df, "summary": summary}


def reliability_long(
    con: duckdb.DuckDBPyConnection,
    period: str | None,
    area: str | None,
    unit: str | None,
    lang: str = "zh",
) -> pd.DataFrame:
    """The three coefficients of every session in scope, long (coefficient, value, unit)."""
    t = reliability(con, period, area, unit, lang)["table"]
    names = {
        "alpha": _t("anomalies.rel.alpha", lang),
        "icc_single": _t("anomalies.rel.icc1", lang),
        "icc_average": _t("anomalies.rel.icck", lang),
    }
    long = t.melt(
        id_vars=["unit_name"], value_vars=list(names), var_name="code", value_name="value"
    ).dropna(subset=["value"])
    long["coefficient"] = long["code"].map(names)
    return long.reset_index(drop=True)


# ---- rater groups (the rater model) and city-wide bias ------------------------------------
def rater_groups(
    con: duckdb.DuckDBPyConnection, period: str | None = None, lang: str = "zh"
) -> pd.DataFrame:
    """Every period's (or one period's) rater-group severities from the many-facet Rasch
    model (logits, higher = harsher) with 95% bounds, fit mean squares, marks and the
    group's city-wide sheets; a group with fewer than k sheets in a period is blanked.  The
    severities of one model (period × scale) are centred (mean 0), so one hidden group
    would follow from the visible ones: while the hidden groups of a model hold fewer than
    k sheets, its smallest visible groups are blanked too (``complement``)."""
    df = con.execute(
        """
        WITH n AS (SELECT period_id, rater_group, sum(n_sheets) AS n_sheets
                   FROM r.group_sessions WHERE $period IS NULL OR period_id = $period
                   GROUP BY ALL)
        SELECT g.period_id, p.label AS plabel, g.rater_group, g.severity, g.severity_se,
               g.infit, g.outfit, g.n_marks, g.scale, coalesce(n.n_sheets, 0) AS n_sheets
        FROM r.rater_groups g JOIN periods p USING (period_id)
        LEFT JOIN n USING (period_id, rater_group)
        WHERE $period IS NULL OR g.period_id = $period
        ORDER BY p.start_date, g.scale, g.severity""",
        {"period": period},
    ).df()
    df["lo"] = df["severity"] - 1.96 * df["severity_se"]
    df["hi"] = df["severity"] + 1.96 * df["severity_se"]
    values = ["severity", "severity_se", "lo", "hi", "infit", "outfit"]
    df = privacy.suppress(df, "n_sheets", values)
    parts = [_complement(part, values) for _, part in df.groupby(["period_id", "scale"])]
    df = pd.concat(parts).loc[df.index] if parts else df.assign(complement=False)
    df["period"] = [
        period_label(p, lb, lang) for p, lb in zip(df["period_id"], df["plabel"], strict=True)
    ]
    df["group_label"] = [_label("group", g, lang) for g in df["rater_group"]]
    return df


def population_flags(con: duckdb.DuckDBPyConnection, lang: str = "zh") -> list[str]:
    """Ids of the city-wide flags (group_bias, subject_type population), worst first."""
    return [
        r[0]
        for r in con.execute(f"""
        SELECT {_FLAG_ID} FROM r.flags f WHERE f.subject_type = 'population'
        {_ORDER}""").fetchall()
    ]
