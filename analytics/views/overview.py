"""Read model of the Overview page (总览): where each area and unit stands, what changed.

Every function takes the scope of the shared filters — ``period`` (required), ``area`` and
``unit`` (None = all) — and returns small frames or dicts aggregated in SQL:

* :func:`headline` — units, teams by verdict (``r.team_health``), flags by severity
  (``r.flags`` of the period plus the flags pooled over periods, ``period_id`` NULL), median
  team composite; the same for the previous period (for deltas).
* :func:`area_table` (city level), :func:`unit_table` (one area), :func:`unit_card` (one
  unit): the drill-down.
* :func:`composites` — every team's composite of the period (the distribution per area).
* :func:`flag_counts` — flags of the scope by type × severity.
* :func:`movers` — biggest changes since the previous period: teams (``composite_change``
  and ``change_clear`` of ``r.team_health``) and team members (``r.scores`` composite now
  minus the previous period's in the same peer group; "clear" when the change exceeds the
  two bootstrap intervals, as team health does for teams).
* :func:`coverage` — which units of the scope lack which evidence channel this period
  (:func:`analytics.status.missing_channels`).

Scope rule for flags: a flag belongs to the scope when its ``unit_id`` is a unit of the
scope; flags without a unit (city-wide population flags) belong to the city scope only.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from analytics import privacy, status

SEVERITIES = ("critical", "warning", "info")
VERDICTS = ("good", "watch", "concern")
CHANNELS = status.CHANNELS

# the units of the scope ($area / $unit NULL = all)
_SCOPE = """
scope AS (
    SELECT u.unit_id, u.name AS unit_name, u.unit_type, u.area_id, a.name AS area_name
    FROM units u LEFT JOIN areas a USING (area_id)
    WHERE ($area IS NULL OR u.area_id = $area) AND ($unit IS NULL OR u.unit_id = $unit)
)"""
# the flags of the scope in period $p (pooled flags included; unit-less ones city-wide only)
_FLAGS = """
scope_flags AS (
    SELECT f.* FROM r.flags f
    WHERE (f.period_id = $p OR f.period_id IS NULL)
      AND (f.unit_id IN (SELECT unit_id FROM scope)
           OR (f.unit_id IS NULL AND $area IS NULL AND $unit IS NULL))
)"""


def _q(con: duckdb.DuckDBPyConnection, sql: str, **params) -> duckdb.DuckDBPyConnection:
    """Execute with exactly the named parameters the statement uses."""
    used = set(re.findall(r"\$(\w+)", sql))
    return con.execute(sql, {k: v for k, v in params.items() if k in used})


def previous_period(con: duckdb.DuckDBPyConnection, period: str) -> str | None:
    """The period before ``period`` in time order (None for the first)."""
    row = _q(
        con,
        "SELECT prev FROM (SELECT period_id, lag(period_id) OVER "
        "(ORDER BY start_date, period_id) AS prev FROM periods) WHERE period_id = $p",
        p=period,
    ).fetchone()
    return row[0] if row else None


def _missing(con: duckdb.DuckDBPyConnection, period: str) -> pd.DataFrame:
    """Units lacking channels this period (unit_id, unit_name, area_name, missing list)."""
    return status.missing_channels(con, period)


# ---- headline ----------------------------------------------------------------------------
def _headline_one(con, period: str, area: str | None, unit: str | None) -> dict:
    sql = f"""
    WITH {_SCOPE}, {_FLAGS},
    th AS (SELECT h.* FROM r.team_health h JOIN scope USING (unit_id) WHERE h.period_id = $p)
    SELECT (SELECT count(*) FROM scope) AS units,
           (SELECT count(team_composite) FROM th) AS scored,
           (SELECT median(team_composite) FROM th) AS median,
           (SELECT count(*) FROM th WHERE verdict = 'good') AS good,
           (SELECT count(*) FROM th WHERE verdict = 'watch') AS watch,
           (SELECT count(*) FROM th WHERE verdict = 'concern') AS concern,
           (SELECT count(*) FROM scope_flags WHERE severity = 'critical') AS critical,
           (SELECT count(*) FROM scope_flags WHERE severity = 'warning') AS warning,
           (SELECT count(*) FROM scope_flags WHERE severity = 'info') AS info
    """
    row = _q(con, sql, p=period, area=area, unit=unit).fetchone()
    units, scored, median, *rest = row
    counts = dict(zip(VERDICTS + SEVERITIES, rest, strict=True))
    return {
        "units": int(units),
        "scored": int(scored),
        "median": None if median is None else float(median),
        "verdicts": {v: int(counts[v]) for v in VERDICTS},
        "flags": {s: int(counts[s]) for s in SEVERITIES},
    }


def headline(
    con: duckdb.DuckDBPyConnection, period: str, area: str | None = None, unit: str | None = None
) -> dict:
    """Headline figures of the scope, with the previous period's under ``prev`` (or None):
    units, scored (teams with a composite), median (team composite), verdicts {good, watch,
    concern}, flags {critical, warning, info}, prev_period, and ``delta`` (median and every
    count minus the previous period's; None for the first period)."""
    out = _headline_one(con, period, area, unit)
    prev = previous_period(con, period)
    out["prev_period"] = prev
    out["prev"] = _headline_one(con, prev, area, unit) if prev else None
    out["delta"] = None
    if out["prev"] is not None:
        before = out["prev"]
        out["delta"] = {
            "median": (
                None
                if out["median"] is None or before["median"] is None
                else out["median"] - before["median"]
            ),
            **{v: out["verdicts"][v] - before["verdicts"][v] for v in VERDICTS},
            **{s: out["flags"][s] - before["flags"][s] for s in SEVERITIES},
        }
    return out


def attention_teams(
    con: duckdb.DuckDBPyConnection, period: str, area: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    """The teams of the scope whose verdict is not good, worst first: unit_id, unit_name,
    area_name, verdict, composite, rank, rank_low, rank_high, peer_size, critical /
    warning (flags of the period with the unit's id), and the concern and watch reasons
    only (``reasons_zh`` / ``reasons_en``, worst first; notes are on the team page)."""
    return _q(
        con,
        f"""
    WITH {_SCOPE},
    rs AS (
        SELECT unit_id,
               string_agg(text_zh, '；' ORDER BY CASE level WHEN 'concern' THEN 0 ELSE 1 END,
                          code) AS reasons_zh,
               string_agg(text_en, ' | ' ORDER BY CASE level WHEN 'concern' THEN 0 ELSE 1 END,
                          code) AS reasons_en
        FROM r.team_health_reasons
        WHERE period_id = $p AND level IN ('concern', 'watch')
        GROUP BY unit_id
    ),
    fl AS (
        SELECT unit_id, count(*) FILTER (WHERE severity = 'critical') AS critical,
               count(*) FILTER (WHERE severity = 'warning') AS warning
        FROM r.flags WHERE period_id = $p GROUP BY unit_id
    )
    SELECT h.unit_id, scope.unit_name, scope.area_name, h.verdict,
           s.composite, s.rank, s.rank_low, s.rank_high, s.peer_size,
           CASE WHEN s.rank_low IS NULL THEN NULL
                WHEN s.rank_low = s.rank_high THEN s.rank_low::VARCHAR
                ELSE s.rank_low || '–' || s.rank_high END AS rank_interval,
           coalesce(fl.critical, 0) AS critical, coalesce(fl.warning, 0) AS warning,
           coalesce(rs.reasons_zh, '') AS reasons_zh, coalesce(rs.reasons_en, '') AS reasons_en
    FROM r.team_health h JOIN scope USING (unit_id)
    LEFT JOIN r.scores s ON s.subject_type = 'team' AND s.subject_id = h.unit_id
         AND s.period_id = h.period_id
    LEFT JOIN rs USING (unit_id)
    LEFT JOIN fl USING (unit_id)
    WHERE h.period_id = $p AND h.verdict <> 'good'
    ORDER BY CASE h.verdict WHEN 'concern' THEN 0 ELSE 1 END, h.n_concern DESC,
             h.n_watch DESC, h.unit_id
    """,
        p=period,
        area=area,
        unit=unit,
    ).df()


# ---- drill-down --------------------------------------------------------------------------
def area_table(con: duckdb.DuckDBPyConnection, period: str) -> pd.DataFrame:
    """One row per area: area_id, area_name, leader, units, mean_composite,
    median_composite, good, watch, concern, critical, warning, info, lacking (units
    lacking at least one channel this period)."""
    df = _q(
        con,
        """
    WITH th AS (SELECT * FROM r.team_health WHERE period_id = $p),
    fl AS (
        SELECT u.area_id,
               count(*) FILTER (WHERE f.severity = 'critical') AS critical,
               count(*) FILTER (WHERE f.severity = 'warning') AS warning,
               count(*) FILTER (WHERE f.severity = 'info') AS info
        FROM r.flags f JOIN units u USING (unit_id)
        WHERE f.period_id = $p OR f.period_id IS NULL
        GROUP BY u.area_id
    ),
    ar AS (
        SELECT a.area_id, a.name AS area_name, a.leader, count(u.unit_id) AS units,
               avg(th.team_composite) AS mean_composite,
               median(th.team_composite) AS median_composite,
               count(*) FILTER (WHERE th.verdict = 'good') AS good,
               count(*) FILTER (WHERE th.verdict = 'watch') AS watch,
               count(*) FILTER (WHERE th.verdict = 'concern') AS concern
        FROM areas a JOIN units u USING (area_id) LEFT JOIN th USING (unit_id)
        GROUP BY a.area_id, a.name, a.leader
    )
    SELECT ar.*, coalesce(fl.critical, 0) AS critical, coalesce(fl.warning, 0) AS warning,
           coalesce(fl.info, 0) AS info
    FROM ar LEFT JOIN fl USING (area_id)
    ORDER BY ar.area_id
    """,
        p=period,
    ).df()
    gaps = _missing(con, period)
    area_of = dict(_q(con, "SELECT unit_id, area_id FROM units").fetchall())
    lacking = pd.Series([area_of.get(u) for u in gaps["unit_id"]], dtype="object")
    df["lacking"] = df["area_id"].map(lacking.value_counts()).fillna(0).astype(int)
    return df


def unit_table(con: duckdb.DuckDBPyConnection, period: str, area: str) -> pd.DataFrame:
    """The units of one area: unit_id, unit_name, unit_type, verdict, composite, ci_low,
    ci_high, ci (text), rank, rank_low, rank_high, rank_interval (text), peer_size, change,
    change_clear, critical, warning, info, reasons_en, reasons_zh, missing (channel codes)."""
    df = _q(
        con,
        """
    WITH fl AS (
        SELECT unit_id,
               count(*) FILTER (WHERE severity = 'critical') AS critical,
               count(*) FILTER (WHERE severity = 'warning') AS warning,
               count(*) FILTER (WHERE severity = 'info') AS info
        FROM r.flags WHERE period_id = $p OR period_id IS NULL GROUP BY unit_id
    )
    SELECT u.unit_id, u.name AS unit_name, u.unit_type, h.verdict,
           h.team_composite AS composite, h.team_ci_low AS ci_low, h.team_ci_high AS ci_high,
           printf('%.1f–%.1f', h.team_ci_low, h.team_ci_high) AS ci,
           h.team_rank AS rank, h.team_rank_low AS rank_low, h.team_rank_high AS rank_high,
           CASE WHEN h.team_rank_low = h.team_rank_high THEN h.team_rank_low::VARCHAR
                ELSE h.team_rank_low || '–' || h.team_rank_high END AS rank_interval,
           h.peer_size, h.composite_change AS change, h.change_clear,
           coalesce(fl.critical, 0) AS critical, coalesce(fl.warning, 0) AS warning,
           coalesce(fl.info, 0) AS info,
           coalesce(h.reasons_en, '') AS reasons_en, coalesce(h.reasons_zh, '') AS reasons_zh
    FROM units u
    LEFT JOIN r.team_health h ON h.unit_id = u.unit_id AND h.period_id = $p
    LEFT JOIN fl ON fl.unit_id = u.unit_id
    WHERE u.area_id = $area
    ORDER BY u.unit_id
    """,
        p=period,
        area=area,
    ).df()
    gaps = _missing(con, period)
    missing = dict(zip(gaps["unit_id"], gaps["missing"], strict=True))
    df["missing"] = [list(missing.get(u, [])) for u in df["unit_id"]]
    return df


def unit_card(con: duckdb.DuckDBPyConnection, period: str, unit: str) -> dict:
    """One unit: ``unit`` (facts and team health: verdict, composite, interval, rank, change),
    ``reasons`` (level, code, text_en, text_zh; concern first), ``flags`` of the unit (incl.
    pooled; ``evidence``/``evidence_zh`` NULL and ``suppressed`` true where the flag's rater
    group cast fewer than k sheets in the unit: the anonymity floor) and their
    ``severity_counts`` (``n_suppressed`` hidden), ``members`` (team members with composite,
    interval, rank, change) and ``missing`` (channel codes lacking this period)."""
    info = _q(
        con,
        """
    SELECT u.unit_id, u.name AS unit_name, u.unit_type, u.area_id, a.name AS area_name,
           a.leader, h.verdict, h.team_composite AS composite, h.team_ci_low AS ci_low,
           h.team_ci_high AS ci_high, h.team_rank AS rank, h.team_rank_low AS rank_low,
           h.team_rank_high AS rank_high, h.peer_size, h.prev_period_id,
           h.prev_composite, h.composite_change AS change, h.change_clear
    FROM units u LEFT JOIN areas a USING (area_id)
    LEFT JOIN r.team_health h ON h.unit_id = u.unit_id AND h.period_id = $p
    WHERE u.unit_id = $unit
    """,
        p=period,
        unit=unit,
    ).df()
    if info.empty:
        return {}
    reasons = _q(
        con,
        """
    SELECT level, code, text_en, text_zh FROM r.team_health_reasons
    WHERE period_id = $p AND unit_id = $unit
    ORDER BY CASE level WHEN 'concern' THEN 0 WHEN 'watch' THEN 1 ELSE 2 END, code
    """,
        p=period,
        unit=unit,
    ).df()
    # anonymity floor: the evidence of a flag about a rater group (or one of its sheets) is
    # hidden when that group cast fewer than k sheets in the unit this period
    flags = _q(
        con,
        """
    WITH grp AS (
        SELECT rater_group, n_sheets FROM r.group_sessions
        WHERE period_id = $p AND unit_id = $unit
    ),
    fl AS (
        SELECT f.severity, f.severity_rank, f.flag_type, f.subject_type, f.subject_id,
               c.name AS cadre_name, f.rater_group, f.evidence, f.evidence_zh,
               f.rater_group IS NOT NULL AND coalesce(g.n_sheets, 0) < $k AS suppressed
        FROM r.flags f
        LEFT JOIN cadres c ON f.subject_type = 'cadre' AND c.cadre_id = f.subject_id
        LEFT JOIN grp g ON g.rater_group = f.rater_group
        WHERE f.unit_id = $unit AND (f.period_id = $p OR f.period_id IS NULL)
    )
    SELECT * REPLACE (CASE WHEN suppressed THEN NULL ELSE evidence END AS evidence,
                      CASE WHEN suppressed THEN NULL ELSE evidence_zh END AS evidence_zh)
    FROM fl
    ORDER BY severity_rank,
             flag_type, subject_id
    """,
        p=period,
        unit=unit,
        k=privacy.floor(),
    ).df()
    members = _cadre_changes(con, period, None, unit, members_only=False)
    gaps = _missing(con, period)
    row = gaps.loc[gaps["unit_id"] == unit, "missing"]
    facts = {
        k: (None if not isinstance(v, str) and pd.isna(v) else v)
        for k, v in info.iloc[0].to_dict().items()
    }
    counts = flags["severity"].value_counts()
    return {
        "unit": facts,
        "reasons": reasons,
        "flags": flags,
        "severity_counts": {s: int(counts.get(s, 0)) for s in SEVERITIES},
        "n_suppressed": int(flags["suppressed"].sum()),
        "members": members,
        "missing": list(row.iloc[0]) if len(row) else [],
    }


# ---- distribution and flags --------------------------------------------------------------
def composites(con: duckdb.DuckDBPyConnection, period: str) -> pd.DataFrame:
    """Every team of the period: unit_id, unit_name, unit_type, area_id, area_name,
    composite (peer-standardised T-score), verdict."""
    return _q(
        con,
        """
    SELECT u.unit_id, u.name AS unit_name, u.unit_type, u.area_id, a.name AS area_name,
           h.team_composite AS composite, h.verdict
    FROM units u JOIN areas a USING (area_id)
    JOIN r.team_health h ON h.unit_id = u.unit_id AND h.period_id = $p
    WHERE h.team_composite IS NOT NULL
    ORDER BY u.area_id, u.unit_id
    """,
        p=period,
    ).df()


def flag_counts(
    con: duckdb.DuckDBPyConnection, period: str, area: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Flags of the scope by flag_type × severity (n), most frequent type first."""
    return _q(
        con,
        f"""
    WITH {_SCOPE}, {_FLAGS}
    SELECT flag_type, severity, count(*) AS n,
           sum(count(*)) OVER (PARTITION BY flag_type) AS type_total
    FROM scope_flags GROUP BY flag_type, severity, severity_rank
    ORDER BY type_total DESC, flag_type,
             severity_rank
    """,
        p=period,
        area=area,
        unit=unit,
    ).df()


# ---- movers ------------------------------------------------------------------------------
def _cadre_changes(
    con, period: str, area: str | None, unit: str | None, members_only: bool = True
) -> pd.DataFrame:
    """Team members of the scope with their composite now and in the previous period (same
    peer group).  members_only=False keeps members without a score or a previous score
    (the unit card)."""
    prev = previous_period(con, period)
    join = "JOIN" if members_only else "LEFT JOIN"
    return _q(
        con,
        f"""
    WITH {_SCOPE},
    cur AS (SELECT * FROM r.scores WHERE subject_type = 'cadre' AND period_id = $p),
    old AS (SELECT * FROM r.scores WHERE subject_type = 'cadre' AND period_id = $prev),
    ch AS (
        SELECT c.cadre_id, c.name, c.position, c.role,
               c.unit_id, scope.unit_name, scope.area_name,
               cur.composite, cur.ci_low, cur.ci_high, cur.rank, cur.rank_low, cur.rank_high,
               cur.peer_size, old.composite AS prev_composite,
               cur.composite_excl_flagged, cur.flagged_sheets,
               chg.change, chg.change_z, chg.change_state,
               CASE WHEN chg.change IS NULL THEN NULL
                    ELSE chg.change_clear END AS change_clear,
               chg.change_state = 'flagged' AS change_flagged
        FROM cadres c JOIN scope USING (unit_id)
        {join} cur ON cur.subject_id = c.cadre_id
        {join} old ON old.subject_id = c.cadre_id AND old.peer_group = cur.peer_group
        LEFT JOIN r.changes chg ON chg.subject_type = 'cadre' AND chg.subject_id = c.cadre_id
             AND chg.period_id = $p
        WHERE c.tier = 'team'
    )
    SELECT *,
           CASE WHEN ci_low IS NULL THEN NULL
                ELSE printf('%.1f–%.1f', ci_low, ci_high) END AS ci,
           CASE WHEN rank_low IS NULL THEN NULL
                WHEN rank_low = rank_high THEN rank_low::VARCHAR
                ELSE rank_low || '–' || rank_high END AS rank_interval
    FROM ch
    ORDER BY unit_id, CASE role WHEN 'principal' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END,
             cadre_id
    """,
        p=period,
        prev=prev,
        area=area,
        unit=unit,
    ).df()


def movers(
    con: duckdb.DuckDBPyConnection,
    period: str,
    area: str | None = None,
    unit: str | None = None,
    n: int = 5,
    clear_only: bool = False,
) -> dict:
    """Biggest changes of the scope since the previous period: ``prev_period`` (None for
    the first period), ``teams_up`` / ``teams_down`` (unit_id, unit_name, area_name,
    prev_composite, composite, change, change_clear) and ``cadres_up`` / ``cadres_down``
    (cadre_id, name, position, unit_id, unit_name, prev_composite, composite, change,
    change_z, change_clear), at most ``n`` each, largest first; ``clear_only`` keeps only
    changes beyond the bootstrap interval.  ``teams_clear`` / ``cadres_clear`` count the
    clear changes of the scope, ``teams_compared`` / ``cadres_compared`` the comparable."""
    prev = previous_period(con, period)
    out: dict = {"prev_period": prev}
    if prev is None:
        return out
    teams = _q(
        con,
        f"""
    WITH {_SCOPE}
    SELECT h.unit_id, scope.unit_name, scope.area_name, h.prev_composite,
           h.team_composite AS composite, h.composite_change AS change, h.change_z,
           h.change_clear, h.change_flagged
    FROM r.team_health h JOIN scope USING (unit_id)
    WHERE h.period_id = $p AND h.composite_change IS NOT NULL
    """,
        p=period,
        area=area,
        unit=unit,
    ).df()
    cadres = _cadre_changes(con, period, area, unit)
    cadres = cadres[
        [
            "cadre_id",
            "name",
            "position",
            "unit_id",
            "unit_name",
            "area_name",
            "prev_composite",
            "composite",
            "change",
            "change_z",
            "change_clear",
            "change_flagged",
        ]
    ]
    for name, frame in (("teams", teams), ("cadres", cadres)):
        frame = frame.assign(
            change_clear=frame["change_clear"].fillna(False).astype(bool),
            change_flagged=frame["change_flagged"].fillna(False).astype(bool),
        )
        out[f"{name}_compared"] = len(frame)
        out[f"{name}_clear"] = int(frame["change_clear"].sum())
        # changes that are clear only because of the sheets the product flags
        out[f"{name}_flagged"] = int(frame["change_flagged"].sum())
        if clear_only:
            frame = frame[frame["change_clear"]]
        up = frame[frame["change"] > 0].sort_values(
            ["change", frame.columns[0]], ascending=[False, True]
        )
        down = frame[frame["change"] < 0].sort_values(["change", frame.columns[0]])
        out[f"{name}_up"] = up.head(n).reset_index(drop=True)
        out[f"{name}_down"] = down.head(n).reset_index(drop=True)
    return out


# ---- coverage ----------------------------------------------------------------------------
def coverage(
    con: duckdb.DuckDBPyConnection, period: str, area: str | None = None, unit: str | None = None
) -> dict:
    """Evidence channels of the scope this period: ``units`` (in scope), ``complete``
    (units with every channel), ``share`` (unit × channel cells with data / all cells),
    ``channels`` (channel, covered, total, share per channel in CHANNELS order) and
    ``gaps`` (unit_id, unit_name, area_name, missing: the scope's units lacking channels)."""
    scope = _q(
        con, f"WITH {_SCOPE} SELECT unit_id FROM scope ORDER BY unit_id", area=area, unit=unit
    ).df()["unit_id"]
    gaps = _missing(con, period)
    gaps = gaps[gaps["unit_id"].isin(set(scope))].reset_index(drop=True)
    n = len(scope)
    lacking = {c: sum(c in m for m in gaps["missing"]) for c in CHANNELS}
    channels = pd.DataFrame(
        {"channel": list(CHANNELS), "covered": [n - lacking[c] for c in CHANNELS]}
    )
    channels["total"] = n
    channels["share"] = channels["covered"] / n if n else 0.0
    cells = n * len(CHANNELS)
    missing_cells = sum(lacking.values())
    return {
        "units": n,
        "complete": n - len(gaps),
        "share": (cells - missing_cells) / cells if cells else None,
        "channels": channels,
        "gaps": gaps,
    }
