"""Read models of the Anomalies and bias page (评价异常): every flag of ``r.flags`` in the
shared scope, the evidence behind one flag (its test, its numbers and the raw data for a
comparison chart), a unit × rater-group severity map, session reliability and the rater
groups' severities.

Every function takes the read-only connection first and hashable arguments (the page caches
them through ``st_adapter.query``); ``lang`` chooses the language of the labels it returns.
Breakdowns by rater group honour the anonymity floor (``views.suppress``): a group with fewer
than k sheets in a session is never shown on its own.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics import fmt, i18n, privacy
from analytics.flags import setting
from analytics.views import period_label

SEVERITY_ORDER = ("critical", "warning", "info")
SUBJECT_TYPES = ("ballot", "rater_group", "cadre", "team", "unit", "population")
BALLOT_TYPES = ("straight_lining", "misfit_ballot", "duplicate_ballots")
SESSION_GROUP_TYPES = ("rater_leniency", "rater_severity", "central_tendency", "halo")
SUBJECT_GROUP_TYPES = ("favoritism", "targeted_rating")
# keys of ``details`` shown as their own table, and keys not shown as numbers
_TABLE_KEYS = ("items", "claims", "providers", "regression", "missing_cadres")
_SKIP_KEYS = ("null_model", "ballot_ids_all")

_FLAG_ID = (
    "concat_ws('|', f.flag_type, coalesce(f.period_id, ''), f.subject_type, "
    "f.subject_id, coalesce(f.unit_id, ''), coalesce(f.rater_group, ''))"
)


def _t(key: str, lang: str, **values: Any) -> str:
    return i18n.t(key, lang, **values)


def _label(prefix: str, code: Any, lang: str) -> str:
    """The translation of ``prefix.code`` if there is one, else the code itself."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    key = f"{prefix}.{code}"
    return i18n.t(key, lang) if key in i18n.STRINGS else str(code)


def p_text(p: float | None) -> str:
    """A p-value for display (:func:`analytics.fmt.p`); '—' without a test."""
    return fmt.p(p)


# ---- scope -------------------------------------------------------------------------------
# the shared filters plus the page's multiselects; a flag pooled over periods (period_id
# empty) belongs to every period, a city-wide flag (no unit) to no area or unit
_WHERE = """
    WHERE ($period IS NULL OR f.period_id = $period OR f.period_id IS NULL)
      AND ($area IS NULL OR u.area_id = $area)
      AND ($unit IS NULL OR f.unit_id = $unit)
      AND (len($types) = 0 OR list_contains($types, f.flag_type))
      AND (len($sevs) = 0 OR list_contains($sevs, f.severity))
      AND (len($subjects) = 0 OR list_contains($subjects, f.subject_type))
"""
# typed lists: an empty Python list would bind as a list of NULL type
for _name in ("types", "sevs", "subjects"):
    _WHERE = _WHERE.replace(f"${_name}", f"CAST(${_name} AS VARCHAR[])")

_COLUMNS = f"""
        SELECT {_FLAG_ID} AS flag_id, f.flag_type, f.period_id, p.label AS plabel,
               f.subject_type, f.subject_id, f.unit_id, f.rater_group, f.severity,
               f.statistic, f.p_value, f.evidence, f.evidence_zh, f.details, f.source,
               f.config_section, f.evidence_kind,
               CASE f.subject_type WHEN 'cadre' THEN c.name
                    WHEN 'team' THEN su.name WHEN 'unit' THEN su.name END AS resolved,
               u.name AS unit_name, gs.n AS group_sheets
        FROM r.flags f
        LEFT JOIN units u ON u.unit_id = f.unit_id
        LEFT JOIN periods p ON p.period_id = f.period_id
        LEFT JOIN cadres c ON f.subject_type = 'cadre' AND c.cadre_id = f.subject_id
        LEFT JOIN units su ON f.subject_type IN ('team', 'unit') AND su.unit_id = f.subject_id
        LEFT JOIN gs ON gs.period_id = f.period_id AND gs.unit_id = f.unit_id
                    AND gs.rater_group = f.rater_group"""

_ORDER = """
        ORDER BY f.severity_rank,
                 f.p_value NULLS LAST, abs(f.statistic) DESC, f.flag_type, f.subject_id,
                 f.unit_id"""


def _scope(period, area, unit, types, sevs, subjects) -> dict[str, Any]:
    def lst(x):
        return [str(v) for v in (x or ())]

    return {
        "period": period,
        "area": area,
        "unit": unit,
        "types": lst(types),
        "sevs": lst(sevs),
        "subjects": lst(subjects),
    }


def severity_counts(
    con: duckdb.DuckDBPyConnection,
    period: str | None,
    area: str | None,
    unit: str | None,
    types: tuple = (),
    sevs: tuple = (),
    subjects: tuple = (),
) -> dict[str, int]:
    """Flags in scope per severity, their total and the number of units involved."""
    row = con.execute(
        f"""
        SELECT count(*) FILTER (WHERE f.severity = 'critical'),
               count(*) FILTER (WHERE f.severity = 'warning'),
               count(*) FILTER (WHERE f.severity = 'info'),
               count(*), count(DISTINCT f.unit_id)
        FROM r.flags f LEFT JOIN units u ON u.unit_id = f.unit_id
        {_WHERE}""",
        _scope(period, area, unit, types, sevs, subjects),
    ).fetchone()
    return dict(
        zip(("critical", "warning", "info", "total", "units"), (int(v) for v in row), strict=True)
    )


def flag_table(
    con: duckdb.DuckDBPyConnection,
    period: str | None,
    area: str | None,
    unit: str | None,
    types: tuple = (),
    sevs: tuple = (),
    subjects: tuple = (),
    lang: str = "zh",
) -> pd.DataFrame:
    """The flags in scope, critical first, with readable labels in ``lang``.

    Columns: flag_id, severity, severity_label, flag_type, type_label, period_id,
    period_label, subject_type, subject_type_label, subject_id, subject_name, unit_id,
    unit_name, rater_group, group_label, statistic, p_value, p_text, evidence, option,
    link_page, link_cadre.  A ballot flag names its sheet's rater group only when that group
    cast at least k sheets in the session (anonymity floor)."""
    df = con.execute(
        f"""
        WITH gs AS (
            SELECT period_id, unit_id, rater_group, n_sheets AS n FROM r.group_sessions
            WHERE ($period IS NULL OR period_id = $period) AND ($unit IS NULL OR unit_id = $unit))
        {_COLUMNS}
        {_WHERE}
        {_ORDER}""",
        _scope(period, area, unit, types, sevs, subjects),
    ).df()
    return _decorate(df, lang)


def styled_flags(df: pd.DataFrame, colors: dict[str, str]):
    """The flag table with its severity cells coloured (a pandas Styler for st.dataframe)."""

    def paint(col: pd.Series) -> list[str]:
        return [
            f"background-color: {colors.get(s, '')}33; color: {colors.get(s, '')}; "
            "font-weight: bold"
            for s in df.loc[col.index, "severity"]
        ]

    return df.style.apply(paint, subset=["severity_label"])


def _subject_name(row, lang: str) -> str:
    st = row["subject_type"]
    if st == "rater_group":
        return _label("group", row["subject_id"], lang)
    if st == "population":
        return _label("anomalies.attr", row["subject_id"], lang)
    if st == "team" and isinstance(row["resolved"], str):
        return f"{row['resolved']}{'班子' if lang == 'zh' else ' (team)'}"
    return row["resolved"] if isinstance(row["resolved"], str) else str(row["subject_id"])


def _decorate(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    k = privacy.floor()
    if df.empty:
        cols = [
            "flag_id",
            "severity",
            "severity_label",
            "flag_type",
            "type_label",
            "period_id",
            "period_label",
            "subject_type",
            "subject_type_label",
            "subject_id",
            "subject_name",
            "unit_id",
            "unit_name",
            "rater_group",
            "group_label",
            "statistic",
            "p_value",
            "p_text",
            "evidence",
            "option",
            "link_page",
            "link_cadre",
        ]
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({"flag_id": df["flag_id"], "severity": df["severity"]})
    out["severity_label"] = [_t(f"severity.{s}", lang) for s in df["severity"]]
    out["flag_type"] = df["flag_type"]
    out["type_label"] = [_label("flag", x, lang) for x in df["flag_type"]]
    out["period_id"] = df["period_id"]
    out["period_label"] = [
        period_label(p, lb, lang) if isinstance(p, str) else _t("anomalies.pooled", lang)
        for p, lb in zip(df["period_id"], df["plabel"], strict=True)
    ]
    out["subject_type"] = df["subject_type"]
    out["subject_type_label"] = [_label("subject", x, lang) for x in df["subject_type"]]
    out["subject_id"] = df["subject_id"]
    out["subject_name"] = [_subject_name(r, lang) for _, r in df.iterrows()]
    out["unit_id"] = df["unit_id"]
    out["unit_name"] = df["unit_name"].fillna("")
    # a ballot flag names its sheet's group only when the group is above the floor
    hidden = (
        df["flag_type"].isin(BALLOT_TYPES)
        & df["rater_group"].notna()
        & (df["group_sheets"].fillna(0) < k)
    )
    out["rater_group"] = df["rater_group"].where(~hidden)
    out["group_label"] = [
        _t("privacy.cell", lang, k=k) if h else _label("group", g, lang)
        for g, h in zip(df["rater_group"], hidden, strict=True)
    ]
    out["statistic"] = df["statistic"].astype(float)
    out["p_value"] = df["p_value"].astype(float)
    out["p_text"] = [p_text(p) for p in df["p_value"]]
    out["evidence"] = df["evidence_zh"] if lang == "zh" else df["evidence"]
    out["option"] = [
        " · ".join(x for x in (s, t, n, "" if u == n else u) if x)
        for s, t, n, u in zip(
            out["severity_label"],
            out["type_label"],
            out["subject_name"],
            out["unit_name"],
            strict=True,
        )
    ]
    out["link_page"] = [
        ("portrait" if st == "cadre" else "team" if isinstance(u, str) and u else None)
        for st, u in zip(df["subject_type"], df["unit_id"], strict=True)
    ]
    out["link_cadre"] = df["subject_id"].where(df["subject_type"] == "cadre")
    return out.reset_index(drop=True)


def flag_row(con: duckdb.DuckDBPyConnection, flag_id: str, lang: str = "zh") -> dict | None:
    """One flag by its id, decorated like a row of :func:`flag_table`, plus its ``details``
    (a dict) and the number of sheets its rater group cast in the session."""
    where = con.execute(
        f"SELECT f.period_id, f.unit_id FROM r.flags f WHERE {_FLAG_ID} = ?", [flag_id]
    ).fetchone()
    if where is None:
        return None
    df = con.execute(
        f"""
        WITH gs AS (
            SELECT period_id, unit_id, rater_group, n_sheets AS n FROM r.group_sessions
            WHERE period_id = $p AND unit_id = $u)
        {_COLUMNS}
        WHERE {_FLAG_ID} = $id""",
        {"id": flag_id, "p": where[0], "u": where[1]},
    ).df()
    if df.empty:
        return None
    row = _decorate(df, lang).iloc[0].to_dict()
    row["details"] = json.loads(df["details"].iloc[0] or "{}")
    for col in ("source", "config_section", "evidence_kind"):  # the flag registry's facts
        row[col] = df[col].iloc[0]
    gs = df["group_sheets"].iloc[0]
    row["group_sheets"] = None if pd.isna(gs) else int(gs)
    return row


# ---- the evidence of one flag ------------------------------------------------------------
def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _num(v: float, key: str = "") -> str:
    """A number for the facts table: shares as %, p-values as in the flag table ("<0.0001"),
    other tiny values in scientific notation."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    if isinstance(v, int):
        return f"{v:,}"
    if key.endswith("share") or key.endswith("_percentile") or key.endswith("share_at_own_level"):
        return f"{v:.1%}"
    if key.startswith("p_") or key in ("null_probability",):
        return p_text(v)
    a = abs(v)
    if a == 0:
        return "0"
    if float(v).is_integer() and a < 1e7:
        return f"{int(v):,}"
    if a < 1e-3:
        return f"{v:.2e}"
    if a >= 100:
        return f"{v:,.1f}"
    return f"{v:.3f}".rstrip("0").rstrip(".") if a < 10 else f"{v:.2f}"


def _code(key: str, v: Any, lang: str) -> str:
    """Codes met in details, translated where the page knows them."""
    s = str(v)
    for prefix in (
        "group",
        "anomalies.level",
        "anomalies.source",
        "stance",
        "tier",
        "anomalies.attr",
        "anomalies.result",
        "role",
    ):
        k = f"{prefix}.{s}"
        if k in i18n.STRINGS:
            return i18n.t(k, lang)
    return s


def _value(key: str, v: Any, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    if v is None:
        return "—"
    if isinstance(v, bool):
        return _t("anomalies.yes" if v else "anomalies.no", lang)
    if _is_num(v):
        return _num(v, key)
    if isinstance(v, str):
        return (
            _code(key, v, lang) if key in ("attribute", "reference", "level", "burst_source") else v
        )
    if isinstance(v, dict):
        parts = []
        for k2, v2 in v.items():
            shown = (
                _num(v2, "share")
                if key in ("expected_shares",) and _is_num(v2)
                else _value(k2, v2, lang)
            )
            parts.append(f"{_code(key, k2, lang)}: {shown}")
        return sep.join(parts)
    if isinstance(v, list):
        if not v:
            return "—"
        items = [
            (
                _code(key, x, lang)
                if isinstance(x, str)
                else ", ".join(f"{k2}={_value(k2, v2, lang)}" for k2, v2 in x.items())
                if isinstance(x, dict)
                else _value(key, x, lang)
            )
            for x in v
        ]
        more = len(items) > 12
        text = sep.join(items[:12])
        return text + (_t("anomalies.ev.more", lang, n=len(items)) if more else "")
    return str(v)


def facts(flag: dict, lang: str) -> pd.DataFrame:
    """The test and its numbers as a two-column table (measure, value) in ``lang``: the
    effect size, the adjusted p, then every scalar (and short list) of ``details``."""
    rows = [
        (_t("anomalies.key.statistic", lang), _num(flag["statistic"])),
        (_t("anomalies.key.p_value", lang), flag["p_text"]),
    ]
    for key, v in flag["details"].items():
        if key in _SKIP_KEYS or (key == "model" and isinstance(v, str)):
            continue
        if key in _TABLE_KEYS and isinstance(v, list) and v and isinstance(v[0], dict):
            continue
        label = (
            _t(f"anomalies.key.{key}", lang)
            if f"anomalies.key.{key}" in i18n.STRINGS
            else key.replace("_", " ")
        )
        rows.append((label, _value(key, v, lang)))
    return pd.DataFrame(
        rows, columns=[_t("anomalies.ev.measure", lang), _t("anomalies.ev.value", lang)]
    )


def _item_labels(con, item_ids: list[str], lang: str) -> dict[str, str]:
    col = "label_zh" if lang == "zh" else "label_en"
    return dict(
        con.execute(
            f"SELECT item_id, {col} FROM items WHERE list_contains(?, item_id)", [list(item_ids)]
        ).fetchall()
    )


_COUNT_FMT = "{:,.0f}"
_DETAIL_FORMATS = {  # display formats of the detail tables (values are left as recorded)
    "n_marks": _COUNT_FMT,
    "sample_size": _COUNT_FMT,
    "anonymous": _COUNT_FMT,
    "coef": "{:.2f}",
    "coef_sd": "{:.2f}",
    "se": "{:.3f}",
    "t": "{:.2f}",
}


def styled_detail(df: pd.DataFrame):
    """A detail table with its number formats (``attrs["formats"]``: counts with thousands
    separators, coefficients to 2 decimals) as a pandas Styler for st.dataframe."""
    return df.style.format(df.attrs.get("formats", {}), na_rep="—")


def _detail_tables(con, flag: dict, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """Lists of records in ``details`` as their own readable tables; each carries its
    display formats in ``attrs["formats"]`` (see ``styled_detail``)."""
    d, out = flag["details"], []

    def tbl(key: str, cols: dict[str, str], rows: list[dict]) -> None:
        df = pd.DataFrame(rows)
        keep = [c for c in cols if c in df.columns]
        names = {c: _t(cols[c], lang) for c in keep}
        fmt = {
            names[c]: _DETAIL_FORMATS[c]
            for c in keep
            if c in _DETAIL_FORMATS and pd.api.types.is_numeric_dtype(df[c])
        }
        table = df[keep].rename(columns=names)
        table.attrs["formats"] = fmt
        out.append((_t(f"anomalies.key.{key}", lang), table))

    if d.get("items"):
        labels = _item_labels(con, [x["item_id"] for x in d["items"]], lang)
        rows = [{**x, "item": labels.get(x["item_id"], x["item_id"])} for x in d["items"]]
        tbl(
            "items",
            {
                "item": "anomalies.tcol.item",
                "self": "anomalies.tcol.self",
                "others": "anomalies.tcol.others",
                "expected_self": "anomalies.tcol.expected_self",
                "n_marks": "anomalies.tcol.n_marks",
            },
            rows,
        )
    if d.get("claims"):
        rows = [
            {**x, "result": _label("anomalies.result", x.get("result"), lang)} for x in d["claims"]
        ]
        tbl(
            "claims",
            {
                "claim_id": "anomalies.tcol.claim_id",
                "claim": "anomalies.tcol.claim",
                "result": "anomalies.tcol.result",
                "note": "anomalies.tcol.note",
            },
            rows,
        )
    if d.get("providers"):
        tbl(
            "providers",
            {
                "provider": "anomalies.tcol.provider",
                "sample_size": "anomalies.tcol.sample_size",
                "satisfaction": "anomalies.tcol.satisfaction",
            },
            d["providers"],
        )
    if d.get("regression"):
        rows = [
            {
                **x,
                "term": _term(x["term"], lang),
                "p": p_text(x["p"]) if x.get("p") is not None else "—",
            }
            for x in d["regression"]
        ]
        tbl(
            "regression",
            {
                "term": "anomalies.tcol.term",
                "coef": "anomalies.tcol.coef",
                "se": "anomalies.tcol.se",
                "t": "anomalies.tcol.t",
                "p": "anomalies.tcol.p",
                "coef_sd": "anomalies.tcol.coef_sd",
            },
            rows,
        )
    if d.get("missing_cadres"):
        ids = [x["cadre_id"] for x in d["missing_cadres"]]
        names = dict(
            con.execute(
                "SELECT cadre_id, name || ' · ' || position FROM cadres "
                "WHERE list_contains(?, cadre_id)",
                [ids],
            ).fetchall()
        )
        rows = [
            {
                "cadre": names.get(x["cadre_id"], x["cadre_id"]),
                "tier": _label("tier", x.get("tier"), lang),
                "role": _label("role", x.get("role"), lang),
                "anonymous": x.get("anonymous_talks_of_tier"),
            }
            for x in d["missing_cadres"]
        ]
        tbl(
            "missing_cadres",
            {
                "cadre": "anomalies.tcol.cadre",
                "tier": "anomalies.tcol.tier",
                "role": "anomalies.tcol.role",
                "anonymous": "anomalies.tcol.anonymous",
            },
            rows,
        )
    return out


def _term(term: str, lang: str) -> str:
    """A regression term of group_bias, readable ('gender=F' → 'gender: women')."""
    if term == "performance":
        return _t("score.performance", lang)
    name, _, level = term.partition("=")
    if name == "role":
        return f"{_t('anomalies.tcol.role', lang)}: {_label('role', level, lang)}"
    return f"{_label('anomalies.attr', name, lang)}: {_code('level', level, lang)}"


def evidence(con: duckdb.DuckDBPyConnection, flag_id: str, lang: str = "zh") -> dict | None:
    """Everything the evidence panel shows for one flag, in ``lang``.

    ``flag`` (the decorated row with its ``details``), ``facts`` (measure/value table),
    ``tables`` ([(title, frame)] for lists in the details), ``method`` and ``stat`` (what the
    test is and what the effect size means), ``charts`` (chart specs for
    ``anomalies_charts.evidence_figure``: kind, data, translated titles and series names),
    ``hidden`` (rater groups left out of a chart by the anonymity floor), ``notes``."""
    flag = flag_row(con, flag_id, lang)
    if flag is None:
        return None
    ft = flag["flag_type"]
    out = {
        "flag": flag,
        "facts": facts(flag, lang),
        "tables": _detail_tables(con, flag, lang),
        "method": _t(f"anomalies.method.{ft}", lang),
        "stat": _t(f"anomalies.stat.{ft}", lang),
        "charts": [],
        "hidden": 0,
        "notes": [],
        # one hop to the code and settings that made the flag (the flag registry)
        "source": flag.get("source"),
        "config_section": flag.get("config_section"),
    }
    builder = _CHARTS.get(flag.get("evidence_kind") or "")
    if builder is not None:
        builder(con, flag, lang, out)
    return out


# -- chart data per flag type ----------------------------------------------------------------
def _subject_order_sql(alias: str) -> str:
    return (
        f"{alias}.subject_type = 'team' DESC, CASE c.role WHEN 'principal' THEN 0 "
        f"WHEN 'deputy' THEN 1 ELSE 2 END, {alias}.subject_id"
    )


def _sheet_chart(con, flag: dict, lang: str, out: dict) -> None:
    """A ballot flag: the sheet's marks (one copy of an identical cluster) against the mean
    of the session's other sheets, per subject and item."""
    ids = [str(x) for x in flag["details"].get("ballot_ids") or [flag["subject_id"]]]
    label = "label_zh" if lang == "zh" else "label_en"
    df = con.execute(
        f"""
        WITH sess AS (
            SELECT ballot_id, subject_type, subject_id, item_id, score FROM ballots
            WHERE period_id = $p AND unit_id = $u),
        sheet AS (SELECT subject_type, subject_id, item_id, score FROM sess
                  WHERE ballot_id = $b),
        others AS (SELECT subject_type, subject_id, item_id, avg(score) AS mean,
                          count(*) AS n
                   FROM sess WHERE NOT list_contains($ids, ballot_id) GROUP BY ALL)
        SELECT o.subject_type, o.subject_id, c.name AS cadre_name, i.{label} AS item,
               s.score AS sheet_mark, o.mean AS session_mean, o.n,
               i.scale_min, i.scale_max
        FROM others o JOIN items i ON i.item_id = o.item_id
        JOIN sheet s ON s.subject_type = o.subject_type AND s.subject_id = o.subject_id
                    AND s.item_id = o.item_id
        LEFT JOIN cadres c ON o.subject_type = 'cadre' AND c.cadre_id = o.subject_id
        ORDER BY {_subject_order_sql("o")}, i.rowid""",
        {"p": flag["period_id"], "u": flag["unit_id"], "b": ids[0], "ids": ids},
    ).df()
    if df.empty:
        return
    df["subject"] = [
        (_t("subject.team", lang) if st == "team" else (n or sid))
        for st, n, sid in zip(df["subject_type"], df["cadre_name"], df["subject_id"], strict=True)
    ]
    dup = flag["flag_type"] == "duplicate_ballots"
    k = privacy.floor()
    if (
        flag["flag_type"] != "duplicate_ballots"
        and flag["group_sheets"] is not None
        and flag["group_sheets"] < k
    ):
        out["notes"].append(_t("anomalies.ev.sheet_group_hidden", lang, k=k))
    out["charts"].append(
        {
            "kind": "sheet",
            "data": df[["subject", "item", "sheet_mark", "session_mean"]],
            "title": (
                _t("anomalies.ch.dup.title", lang, n=len(ids))
                if dup
                else _t("anomalies.ch.sheet.title", lang, ballot=ids[0])
            ),
            "x": _t("anomalies.ch.sheet.x", lang),
            "y": _t("anomalies.ch.sheet.y", lang),
            "mark": _t("anomalies.ch.dup.mark" if dup else "anomalies.ch.sheet.mark", lang),
            "mean": _t("anomalies.ch.sheet.mean", lang),
            "range": (int(df["scale_min"].min()), int(df["scale_max"].max())),
        }
    )


def _complement(
    df: pd.DataFrame, value_cols: list[str], keep: tuple = (), k: int | None = None
) -> pd.DataFrame:
    """Secondary suppression (``complement``): the evidence states the flagged group's
    "other groups" pooled, so the groups hidden beside the flagged ones (``keep``) must not
    be recoverable by subtraction (:func:`analytics.views.suppress_pooled`)."""
    return privacy.suppress_pooled(df, "n_sheets", value_cols, k, keep=keep, flag_col="complement")


def session_groups(
    con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str, flagged: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per rater group of one session: sheets, mean mark, share of marks at either end of
    the scale, share of one-mark ratings among ratings below the top (≥ 2 items), and the
    distribution of marks — groups under the anonymity floor blanked (``suppressed``) and
    left out of the distribution, and the smallest other groups than ``flagged`` with them
    while the hidden ones hold fewer than k sheets (``complement``, see :func:`_complement`)."""
    params = {"p": period_id, "u": unit_id}
    base = """
        WITH b AS (
            SELECT b.rater_group, b.ballot_id, b.subject_type, b.subject_id, b.score,
                   i.scale_min, i.scale_max
            FROM ballots b JOIN items i USING (item_id)
            WHERE b.period_id = $p AND b.unit_id = $u)"""
    g = con.execute(
        base
        + """,
        blk AS (SELECT rater_group, ballot_id, subject_type, subject_id, min(score) AS lo,
                       max(score) AS hi, count(*) AS n, max(scale_max) AS top
                FROM b GROUP BY ALL),
        h AS (SELECT rater_group, avg(CASE WHEN lo = hi THEN 1.0 ELSE 0.0 END) AS flat_share,
                     count(*) AS informative
              FROM blk WHERE n >= 2 AND lo < top GROUP BY ALL)
        SELECT rater_group, count(DISTINCT ballot_id) AS n_sheets, avg(score) AS mean_mark,
               avg(CASE WHEN score IN (scale_min, scale_max) THEN 1.0 ELSE 0.0 END)
                   AS extreme_share,
               any_value(h.flat_share) AS flat_share, count(*) AS marks
        FROM b LEFT JOIN h USING (rater_group)
        GROUP BY rater_group ORDER BY rater_group""",
        params,
    ).df()
    dist = con.execute(
        base
        + """
        SELECT rater_group, score AS mark,
               count(*) / sum(count(*)) OVER (PARTITION BY rater_group) AS share
        FROM b GROUP BY rater_group, score ORDER BY rater_group, mark""",
        params,
    ).df()
    values = ["mean_mark", "extreme_share", "flat_share"]
    g = _complement(privacy.suppress(g, "n_sheets", values), values, (flagged,))
    dist = dist[dist["rater_group"].isin(g.loc[~g["suppressed"], "rater_group"])]
    return g, dist.reset_index(drop=True)


def _group_axis(code: str, n: int, lang: str) -> str:
    return f"{_label('group', code, lang)} ({n})"


def _session_group_chart(con, flag: dict, lang: str, out: dict) -> None:
    """A rater-group flag: the flagged group against the session's other groups."""
    g, dist = session_groups(con, flag["period_id"], flag["unit_id"], flag["subject_id"])
    out["hidden"] = int(g["suppressed"].sum())
    if g["complement"].any():
        out["notes"].append(_t("anomalies.ev.complement", lang, k=privacy.floor()))
    shown = g[~g["suppressed"]].copy()
    if shown.empty:
        return
    flagged = flag["subject_id"]
    shown["group"] = [
        _group_axis(c, n, lang)
        for c, n in zip(shown["rater_group"], shown["n_sheets"], strict=True)
    ]
    shown["flagged"] = shown["rater_group"] == flagged
    common = {
        "x": _t("anomalies.ch.group.x", lang),
        "flagged": _t("anomalies.ch.group.flagged", lang),
        "others": _t("anomalies.ch.group.others", lang),
    }
    ft = flag["flag_type"]
    if ft == "central_tendency":
        names = dict(zip(shown["rater_group"], shown["group"], strict=True))
        d = dist.assign(
            group=dist["rater_group"].map(names),
            mark_label=[_t("anomalies.ch.group.mark", lang, mark=int(m)) for m in dist["mark"]],
            flagged=dist["rater_group"] == flagged,
        )
        out["charts"].append(
            {
                "kind": "mark_distribution",
                "data": d,
                "title": _t("anomalies.ch.group.extreme_title", lang),
                "y": _t("anomalies.ch.group.share_y", lang),
                **common,
            }
        )
        return
    if ft == "halo":
        value, title, y = (
            "flat_share",
            "anomalies.ch.group.flat_title",
            "anomalies.ch.group.share_y",
        )
    else:
        value, title, y = "mean_mark", "anomalies.ch.group.mean_title", "anomalies.ch.group.mean_y"
    out["charts"].append(
        {
            "kind": "group_bars",
            "data": shown[["group", "flagged", value]].rename(columns={value: "value"}),
            "percent": value.endswith("share"),
            "title": _t(title, lang),
            "y": _t(y, lang),
            **common,
        }
    )


def subject_groups(
    con: duckdb.DuckDBPyConnection,
    period_id: str,
    unit_id: str,
    subject_type: str,
    subject_id: str,
    cluster: tuple = (),
    flagged: str | None = None,
) -> pd.DataFrame:
    """Per rater group of one session (and the flagged ``cluster`` of sheets, code ''): mean
    of the sheets' mean marks on the subject and on the unit's other subjects; groups under
    the anonymity floor blanked, and the smallest other groups than ``flagged`` (default:
    the cluster) with them while the hidden ones hold fewer than k sheets (``complement``)."""
    df = con.execute(
        """
        WITH sm AS (
            SELECT ballot_id, rater_group, subject_type = $st AND subject_id = $sid AS this,
                   avg(score) AS m
            FROM ballots WHERE period_id = $p AND unit_id = $u GROUP BY ALL),
        per AS (
            SELECT CASE WHEN list_contains(CAST($ids AS VARCHAR[]), ballot_id) THEN ''
                        ELSE rater_group END AS grp, ballot_id,
                   avg(m) FILTER (WHERE this) AS on_subject,
                   avg(m) FILTER (WHERE NOT this) AS elsewhere
            FROM sm GROUP BY ALL)
        SELECT grp AS rater_group, count(*) AS n_sheets, avg(on_subject) AS on_subject,
               avg(elsewhere) AS elsewhere
        FROM per GROUP BY grp ORDER BY grp""",
        {
            "p": period_id,
            "u": unit_id,
            "st": subject_type,
            "sid": subject_id,
            "ids": [str(x) for x in cluster],
        },
    ).df()
    values = ["on_subject", "elsewhere"]
    keep = ("",) if cluster else (flagged,)
    return _complement(privacy.suppress(df, "n_sheets", values), values, keep)


def _subject_group_chart(con, flag: dict, lang: str, out: dict) -> None:
    cluster = tuple(flag["details"].get("ballot_ids") or ())
    df = subject_groups(
        con,
        flag["period_id"],
        flag["unit_id"],
        flag["subject_type"],
        flag["subject_id"],
        cluster,
        flag["rater_group"],
    )
    out["hidden"] = int(df["suppressed"].sum())
    if df["complement"].any():
        out["notes"].append(_t("anomalies.ev.complement", lang, k=privacy.floor()))
    shown = df[~df["suppressed"]].copy()
    if shown.empty:
        return
    shown["group"] = [
        (f"{_t('anomalies.ch.subj.cluster', lang)} ({n})" if c == "" else _group_axis(c, n, lang))
        for c, n in zip(shown["rater_group"], shown["n_sheets"], strict=True)
    ]
    flagged = "" if cluster else flag["rater_group"]
    shown["flagged"] = shown["rater_group"] == flagged
    name = flag["subject_name"]
    out["charts"].append(
        {
            "kind": "subject_groups",
            "data": shown[["group", "flagged", "on_subject", "elsewhere"]],
            "title": _t("anomalies.ch.subj.title", lang, name=name),
            "x": _t("anomalies.ch.group.x", lang),
            "y": _t("anomalies.ch.group.mean_y", lang),
            "on": _t("anomalies.ch.subj.on", lang, name=name),
            "else": _t("anomalies.ch.subj.else", lang),
        }
    )


def level_means(con: duckdb.DuckDBPyConnection, attribute: str) -> pd.DataFrame:
    """Mean democratic score (0–100) of team-tier cadres per period and level of a personal
    attribute (gender, age_band with the group_bias detector's cuts, education); unadjusted."""
    df = con.execute("""
        SELECT s.period_id, p.label AS plabel, s.democratic, c.gender, c.education,
               year(p.end_date) - c.birth_year AS age
        FROM r.scores s JOIN cadres c ON c.cadre_id = s.subject_id
        JOIN periods p ON p.period_id = s.period_id
        WHERE s.subject_type = 'cadre' AND s.democratic IS NOT NULL""").df()
    if attribute == "age_band":
        cuts = [int(c) for c in setting("group_bias", "age_cuts")]
        labels = (
            [f"<{cuts[0]}"]
            + [f"{a}-{b - 1}" for a, b in itertools.pairwise(cuts)]
            + [f"{cuts[-1]}+"]
        )
        df["level"] = pd.cut(
            df["age"], [-np.inf, *cuts, np.inf], right=False, labels=labels
        ).astype(object)
    elif attribute in ("gender", "education"):
        df["level"] = df[attribute]
    else:
        return pd.DataFrame(columns=["period_id", "plabel", "level", "mean", "n"])
    out = (
        df.dropna(subset=["level"])
        .groupby(["period_id", "plabel", "level"], as_index=False)
        .agg(mean=("democratic", "mean"), n=("democratic", "size"))
    )
    return out.sort_values(["period_id", "level"]).reset_index(drop=True)


def _group_bias_chart(con, flag: dict, lang: str, out: dict) -> None:
    d = flag["details"]
    sd = d.get("sd_democratic") or 1.0
    reg = pd.DataFrame(d.get("regression") or [])
    if not reg.empty:
        reg = reg.assign(
            label=[_term(t, lang) for t in reg["term"]],
            lo=reg["coef_sd"] - 1.96 * reg["se"] / sd,
            hi=reg["coef_sd"] + 1.96 * reg["se"] / sd,
            tested=reg["term"].str.startswith(f"{d.get('attribute')}="),
        )
        out["charts"].append(
            {
                "kind": "coefficients",
                "data": reg[["label", "coef_sd", "lo", "hi", "tested"]],
                "title": _t("anomalies.ch.reg.title", lang),
                "x": _t("anomalies.ch.reg.x", lang),
                "y": _t("anomalies.ch.reg.y", lang),
            }
        )
    attr = d.get("attribute") or flag["subject_id"]
    lm = level_means(con, attr)
    if not lm.empty:
        lm = lm.assign(
            period=[
                period_label(p, lb, lang)
                for p, lb in zip(lm["period_id"], lm["plabel"], strict=True)
            ],
            level_label=[_code("level", lv, lang) for lv in lm["level"]],
        )
        out["charts"].append(
            {
                "kind": "level_means",
                "data": lm[["period", "level_label", "mean", "n"]],
                "title": _t(
                    "anomalies.ch.levels.title", lang, attr=_label("anomalies.attr", attr, lang)
                ),
                "x": _t("col.period", lang),
                "y": _t("anomalies.ch.levels.y", lang),
                "legend": _label("anomalies.attr", attr, lang),
            }
        )


def _channels_chart(con, flag: dict, lang: str, out: dict) -> None:
    """source_divergence: the subject's channels against its peer group's mean."""
    df = con.execute(
        """
        WITH me AS (SELECT * FROM r.scores WHERE period_id = $p AND subject_type = $st
                    AND subject_id = $sid),
        peers AS (SELECT avg(s.democratic) AS democratic, avg(s.performance) AS performance,
                         avg(s.satisfaction) AS satisfaction, avg(s.superior) AS superior,
                         count(*) AS n
                  FROM r.scores s JOIN me ON s.period_id = me.period_id
                   AND s.peer_group = me.peer_group)
        SELECT me.peer_group, me.democratic, me.performance, me.satisfaction, me.superior,
               peers.democratic AS p_democratic, peers.performance AS p_performance,
               peers.satisfaction AS p_satisfaction, peers.superior AS p_superior, peers.n
        FROM me, peers""",
        {"p": flag["period_id"], "st": flag["subject_type"], "sid": flag["subject_id"]},
    ).df()
    if df.empty:
        return
    r0 = df.iloc[0]
    chans = ["democratic", "performance", "satisfaction", "superior"]
    data = pd.DataFrame(
        {
            "channel": [_t(f"score.{c}", lang) for c in chans],
            "subject": [r0[c] for c in chans],
            "peers": [r0[f"p_{c}"] for c in chans],
        }
    )
    results = flag["details"].get("results")
    if results is not None and flag["subject_type"] == "cadre":
        data = pd.concat(
            [
                data,
                pd.DataFrame(
                    {
                        "channel": [_t("anomalies.ch.channels.results", lang)],
                        "subject": [results],
                        "peers": [np.nan],
                    }
                ),
            ],
            ignore_index=True,
        )
    out["charts"].append(
        {
            "kind": "channels",
            "data": data,
            "title": _t("anomalies.ch.channels.title", lang, name=flag["subject_name"]),
            "x": _t("anomalies.ch.channels.x", lang),
            "y": _t("anomalies.ch.channels.y", lang),
            "subject": _t("anomalies.ch.channels.subject", lang),
            "peers": _t("anomalies.ch.channels.peers", lang, peer=f"n = {int(r0['n'])}"),
        }
    )


def _self_chart(con, flag: dict, lang: str, out: dict) -> None:
    items = flag["details"].get("items") or []
    if not items:
        return
    labels = _item_labels(con, [x["item_id"] for x in items], lang)
    data = pd.DataFrame(
        {
            "item": [labels.get(x["item_id"], x["item_id"]) for x in items],
            "self": [x.get("self") for x in items],
            "others": [x.get("others") for x in items],
            "expected": [x.get("expected_self") for x in items],
        }
    )
    out["charts"].append(
        {
            "kind": "self_items",
            "data": data,
            "title": _t("anomalies.ch.self.title", lang),
            "x": _t("anomalies.ch.self.x", lang),
            "y": _t("anomalies.ch.self.y", lang),
            "self": _t("anomalies.ch.self.self", lang),
            "others": _t("anomalies.ch.self.others", lang),
            "expected": _t("anomalies.ch.self.expected", lang),
        }
    )


def _satisfaction_chart(con, flag: dict, lang: str, out: dict) -> None:
    """satisfaction_gap: the unit's own questionnaires and third-party results by period."""
    df = con.execute(
        """
        SELECT p.period_id, p.label AS plabel, s.questionnaire AS own, s.third_party AS third
        FROM periods p JOIN r.unit_satisfaction s USING (period_id)
        WHERE s.unit_id = $u AND (s.questionnaire IS NOT NULL OR s.third_party IS NOT NULL)
        ORDER BY p.start_date""",
        {"u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df["period"] = [
        period_label(p, lb, lang) for p, lb in zip(df["period_id"], df["plabel"], strict=True)
    ]
    exp = flag["details"].get("expected_third_party")
    df["expected"] = [exp if p == flag["period_id"] else np.nan for p in df["period_id"]]
    out["charts"].append(
        {
            "kind": "satisfaction",
            "data": df[["period", "own", "third", "expected"]],
            "title": _t("anomalies.ch.sat.title", lang),
            "x": _t("col.period", lang),
            "y": _t("anomalies.ch.sat.y", lang),
            "own": _t("anomalies.ch.sat.own", lang),
            "third": _t("anomalies.ch.sat.third", lang),
            "expected": _t("anomalies.ch.sat.expected", lang),
        }
    )


def _survey_chart(con, flag: dict, lang: str, out: dict) -> None:
    """survey_anomaly: when each questionnaire arrived (local time), the burst marked."""
    burst = [str(x) for x in flag["details"].get("burst_response_ids") or []]
    df = con.execute(
        """
        SELECT response_id, source, min(timezone('Asia/Shanghai', submitted_at)) AS t
        FROM surveys WHERE period_id = $p AND unit_id = $u AND submitted_at IS NOT NULL
        GROUP BY ALL ORDER BY t""",
        {"p": flag["period_id"], "u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df = df.assign(
        source_label=[_label("anomalies.source", s, lang) for s in df["source"]],
        burst=df["response_id"].isin(burst),
    )
    out["charts"].append(
        {
            "kind": "survey_times",
            "data": df[["t", "source_label", "burst"]],
            "title": _t("anomalies.ch.survey.title", lang),
            "x": _t("anomalies.ch.survey.x", lang),
            "y": _t("anomalies.ch.survey.y", lang),
            "burst": _t("anomalies.ch.survey.burst", lang),
        }
    )


def _claims_chart(con, flag: dict, lang: str, out: dict) -> None:
    """verification_refuted: the unit's claim results in every period."""
    df = con.execute(
        """
        SELECT p.period_id, p.label AS plabel, v.result, count(*) AS n
        FROM verifications v JOIN periods p USING (period_id)
        WHERE v.unit_id = $u GROUP BY ALL ORDER BY any_value(p.start_date), v.result""",
        {"u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df = df.assign(
        period=[
            period_label(p, lb, lang) for p, lb in zip(df["period_id"], df["plabel"], strict=True)
        ],
        result_code=df["result"],
        result=[_label("anomalies.result", r, lang) for r in df["result"]],
    )
    out["charts"].append(
        {
            "kind": "claims",
            "data": df[["period", "result", "result_code", "n"]],
            "title": _t("anomalies.ch.claims.title", lang),
            "x": _t("col.period", lang),
            "y": _t("anomalies.ch.claims.y", lang),
            "legend": _t("anomalies.tcol.result", lang),
        }
    )


def _talk_vote_chart(con, flag: dict, lang: str, out: dict) -> None:
    d = flag["details"]
    mentions, expected = d.get("mentions") or {}, d.get("expected_shares") or {}
    n = sum(mentions.values()) or 1
    stances = ["negative", "neutral", "positive"]
    data = pd.DataFrame(
        {
            "stance": [_t(f"stance.{s}", lang) for s in stances],
            "observed": [mentions.get(s, 0) / n for s in stances],
            "expected": [expected.get(s, np.nan) for s in stances],
            "count": [mentions.get(s, 0) for s in stances],
        }
    )
    out["charts"].append(
        {
            "kind": "stances",
            "data": data,
            "title": _t("anomalies.ch.talk.title", lang),
            "x": _t("anomalies.ch.talk.x", lang),
            "y": _t("anomalies.ch.talk.y", lang),
            "observed": _t("anomalies.ch.talk.observed", lang, n=sum(mentions.values())),
            "expected": _t("anomalies.ch.talk.expected", lang),
        }
    )


def _talk_coverage_chart(con, flag: dict, lang: str, out: dict) -> None:
    """talk_coverage_gap: the durations of the unit's talks in the period, by tier."""
    df = con.execute(
        """
        SELECT duration_min, interviewee_tier FROM talks
        WHERE period_id = $p AND unit_id = $u ORDER BY talk_date""",
        {"p": flag["period_id"], "u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df["tier"] = [_label("tier", x, lang) for x in df["interviewee_tier"]]
    m = flag["details"].get("min_minutes") or 20
    out["charts"].append(
        {
            "kind": "durations",
            "data": df[["duration_min", "tier"]],
            "min_minutes": float(m),
            "title": _t("anomalies.ch.dur.title", lang, m=f"{m:g}"),
            "x": _t("anomalies.ch.dur.x", lang),
            "y": _t("anomalies.ch.dur.y", lang),
            "legend": _t("anomalies.ch.dur.legend", lang),
        }
    )


# evidence kind (the flag registry, analytics/flags/registry.py, stored with each flag as
# flags.evidence_kind) → the builder of its comparison chart
_CHARTS = {
    "sheets": _sheet_chart,
    "session_groups": _session_group_chart,
    "subject_groups": _subject_group_chart,
    "group_levels": _group_bias_chart,
    "channels": _channels_chart,
    "self_vs_others": _self_chart,
    "satisfaction": _satisfaction_chart,
    "survey_times": _survey_chart,
    "claims": _claims_chart,
    "talks_vs_ballots": _talk_vote_chart,
    "talk_coverage": _talk_coverage_chart,
}


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
