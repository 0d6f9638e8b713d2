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

import json
import math
from typing import Any

import duckdb
import pandas as pd

from analytics import fmt, i18n, privacy
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
