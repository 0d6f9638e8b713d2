"""Every rule of CONTRACT.md §1, checked in DuckDB on the staged bundle.

Each rule is one SQL query over a staging table (``stage.<table>``, all VARCHAR) that
returns the offending records' ordinals, the value as written and a reason (a reason code
of the translation layer, ``reason.*``, and its values, as a
:class:`analytics.reasons.Reason`: English for the CLI, any language on the page); the query also
counts all offenders, so a report lists the first N rows per rule with the total.  Foreign
keys are checked against the bundle plus what the database already holds (the bundle's rows
win where both have a key, as they will after the upsert).

Rules that need a well-typed value (ranges, scales, references) skip values that already
failed their type check, so one mistake is reported once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from analytics import config, texts
from analytics.bundle import Staged
from analytics.problems import Problem, Problems, Rejection
from analytics.reasons import Reason
from analytics.schema import TABLES, Column

# (table, column) -> referenced table; the key column of the referenced table is implied.
FOREIGN_KEYS: list[tuple[str, str, str]] = [
    ("units", "area_id", "areas"),
    ("cadres", "unit_id", "units"),
    ("ballots", "period_id", "periods"),
    ("ballots", "unit_id", "units"),
    ("ballots", "item_id", "items"),
    ("performance", "period_id", "periods"),
    ("performance", "unit_id", "units"),
    ("surveys", "period_id", "periods"),
    ("surveys", "unit_id", "units"),
    ("third_party", "period_id", "periods"),
    ("third_party", "unit_id", "units"),
    ("superior_opinions", "period_id", "periods"),
    ("self_assessments", "period_id", "periods"),
    ("self_assessments", "item_id", "items"),
    ("verifications", "period_id", "periods"),
    ("verifications", "unit_id", "units"),
    ("talks", "period_id", "periods"),
    ("talks", "unit_id", "units"),
    ("talks", "area_id", "areas"),
    ("talk_mentions", "talk_id", "talks"),
]
SUBJECT_TABLES = ("ballots", "superior_opinions", "self_assessments", "talk_mentions")
ITEM_SCORED = ("ballots", "self_assessments")

_TS_RE = (
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"
    r"\s*(Z|[+-]\d{2}(:?\d{2})?)?"
)


@dataclass(frozen=True)
class Rule:
    """One check: ``where`` selects offenders from ``stage.<table> AS s`` (plus ``joins``)."""

    table: str
    name: str
    column: str
    where: str
    reason: str  # SQL expression giving the reason code (``reason.<code>``)
    params: dict[str, str] = field(default_factory=dict)  # reason value -> SQL expression
    values: dict[str, object] = field(default_factory=dict)  # reason values known in Python
    joins: str = ""
    value: str | None = None  # SQL expression for the value shown (default: the column)
    first_row: str | None = None  # SQL expression: ordinal of a related row ("first at row N")


def _ok_number(col: str, cast: str) -> str:
    return f"TRY_CAST(s.{col} AS {cast})"


def type_rules(table: str, col: Column) -> list[Rule]:
    c = f"s.{col.name}"
    rules = []
    if col.required:
        rules.append(Rule(table, "missing required value", col.name, f"{c} IS NULL", "'required'"))
    if col.type == "int":
        rules.append(
            Rule(
                table,
                "not a whole number",
                col.name,
                f"{c} IS NOT NULL AND (NOT regexp_full_match({c}, '[+-]?[0-9]+') "
                f"OR TRY_CAST({c} AS BIGINT) IS NULL)",
                "'whole_number'",
            )
        )
    elif col.type == "float":
        rules.append(
            Rule(
                table,
                "not a number",
                col.name,
                f"{c} IS NOT NULL AND (TRY_CAST({c} AS DOUBLE) IS NULL OR "
                f"NOT isfinite(TRY_CAST({c} AS DOUBLE)))",
                "'number'",
            )
        )
    elif col.type == "date":
        rules.append(
            Rule(
                table,
                "not an ISO date",
                col.name,
                f"{c} IS NOT NULL AND (NOT regexp_full_match({c}, "
                f"'\\d{{4}}-\\d{{2}}-\\d{{2}}') OR TRY_CAST({c} AS DATE) IS NULL)",
                "'iso_date'",
            )
        )
    elif col.type == "timestamp":
        rules.append(
            Rule(
                table,
                "not an ISO timestamp",
                col.name,
                f"{c} IS NOT NULL AND (NOT regexp_full_match({c}, '{_TS_RE}') "
                f"OR TRY_CAST({c} AS TIMESTAMPTZ) IS NULL)",
                "'iso_timestamp'",
            )
        )
    if col.choices:
        allowed = ", ".join(f"'{v}'" for v in col.choices)
        rules.append(
            Rule(
                table,
                "value not allowed",
                col.name,
                f"{c} IS NOT NULL AND {c} NOT IN ({allowed})",
                "'one_of'",
                values={"choices": ", ".join(col.choices)},
            )
        )
    if col.lo is not None or col.hi is not None:
        num = f"TRY_CAST({c} AS DOUBLE)"
        conds, words = [], []
        if col.lo is not None:
            conds.append(f"{num} {'<=' if col.lo_open else '<'} {col.lo}")
            words.append(f"{'>' if col.lo_open else '≥'} {col.lo:g}")
        if col.hi is not None:
            conds.append(f"{num} > {col.hi}")
            words.append(f"≤ {col.hi:g}")
        rules.append(
            Rule(
                table,
                "value out of range",
                col.name,
                f"{num} IS NOT NULL AND isfinite({num}) AND ({' OR '.join(conds)})",
                f"'range_{'one' if len(words) == 1 else 'two'}'",
                values=dict(zip("ab", words, strict=False)),
            )
        )
    return rules


def _key_rule(table: str) -> Rule | None:
    spec = TABLES[table]
    if not spec.key:
        return None
    keys = ", ".join(spec.key)
    on = " AND ".join(f"d.{k} = s.{k}" for k in spec.key)
    nonnull = " AND ".join(f"{k} IS NOT NULL" for k in spec.key)
    shown = " || ' / ' || ".join(f"s.{k}" for k in spec.key)
    return Rule(
        table,
        "duplicate key",
        spec.key[-1] if len(spec.key) == 1 else ", ".join(spec.key),
        "s.rowid <> d.first_ord",
        "'duplicate_key'",
        values={"keys": keys},
        joins=(
            f"JOIN (SELECT {keys}, min(rowid) AS first_ord FROM stage.{table} "
            f"WHERE {nonnull} GROUP BY {keys} HAVING count(*) > 1) d ON {on}"
        ),
        value=shown,
        first_row="d.first_ord",
    )


def _ref_views(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """Temp views of reference keys: the bundle's rows plus the database's other rows."""

    def merged(table: str, cols: dict[str, str]) -> str:
        key = TABLES[table].key[0]
        sel_db = ", ".join(f"{c}" for c in cols)
        if table in staged.sources:
            present = staged.sources[table].columns
            sel_stage = ", ".join(
                f"TRY_CAST({c} AS {t}) AS {c}" if c in present else f"CAST(NULL AS {t}) AS {c}"
                for c, t in cols.items()
            )
            return (
                f"SELECT {sel_stage} FROM stage.{table} WHERE {key} IS NOT NULL "
                f"UNION ALL SELECT {sel_db} FROM main.{table} "
                f"WHERE {key} NOT IN (SELECT {key} FROM stage.{table} "
                f"WHERE {key} IS NOT NULL)"
            )
        return f"SELECT {sel_db} FROM main.{table}"

    views = {
        "areas": {"area_id": "VARCHAR"},
        "units": {"unit_id": "VARCHAR"},
        "cadres": {"cadre_id": "VARCHAR", "unit_id": "VARCHAR"},
        "periods": {"period_id": "VARCHAR"},
        "items": {
            "item_id": "VARCHAR",
            "subject_type": "VARCHAR",
            "scale_min": "BIGINT",
            "scale_max": "BIGINT",
        },
        "talks": {"talk_id": "VARCHAR"},
    }
    for table, cols in views.items():
        con.execute(f"CREATE OR REPLACE TEMP VIEW ref_{table} AS {merged(table, cols)}")
    # scale_min defaults to 1 when the column is absent or empty
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ref_items_scale AS SELECT item_id, subject_type, "
        "coalesce(scale_min, 1) AS scale_min, scale_max FROM ref_items"
    )


def cross_rules(staged: Staged) -> list[Rule]:
    present = staged.sources
    rules: list[Rule] = []
    for table, col, ref in FOREIGN_KEYS:
        if table not in present or col not in present[table].columns:
            continue
        key = TABLES[ref].key[0]
        rules.append(
            Rule(
                table,
                "unknown reference",
                col,
                f"s.{col} IS NOT NULL AND r.{key} IS NULL",
                "'unknown_reference'",
                values={"ref": texts.code("table", ref), "column": key},
                joins=f"LEFT JOIN (SELECT DISTINCT {key} FROM ref_{ref}) r ON r.{key} = s.{col}",
            )
        )
    for table in SUBJECT_TABLES:
        if table not in present:
            continue
        rules.append(
            Rule(
                table,
                "unknown subject",
                "subject_id",
                "s.subject_id IS NOT NULL AND ((s.subject_type = 'cadre' AND c.cadre_id IS NULL) "
                "OR (s.subject_type = 'team' AND u.unit_id IS NULL))",
                "CASE s.subject_type WHEN 'cadre' THEN 'unknown_cadre_subject' "
                "ELSE 'unknown_team_subject' END",
                joins=(
                    "LEFT JOIN (SELECT DISTINCT cadre_id FROM ref_cadres) c "
                    "ON s.subject_type = 'cadre' AND c.cadre_id = s.subject_id "
                    "LEFT JOIN (SELECT DISTINCT unit_id FROM ref_units) u "
                    "ON s.subject_type = 'team' AND u.unit_id = s.subject_id"
                ),
            )
        )
    items_join = (
        "JOIN (SELECT DISTINCT ON (item_id) * FROM ref_items_scale) i ON i.item_id = s.item_id"
    )
    for table in ITEM_SCORED:
        if table not in present:
            continue
        rules.append(
            Rule(
                table,
                "subject type differs from the item's",
                "subject_type",
                "s.subject_type IN ('cadre', 'team') AND i.subject_type IS NOT NULL "
                "AND i.subject_type <> s.subject_type",
                "'item_subject_type'",
                params={"item": "s.item_id", "subject_type": "i.subject_type"},
                joins=items_join,
            )
        )
        num = "TRY_CAST(s.score AS DOUBLE)"
        rules.append(
            Rule(
                table,
                "score outside the item's scale",
                "score",
                f"{num} IS NOT NULL AND isfinite({num}) AND i.scale_max IS NOT NULL "
                f"AND ({num} < i.scale_min OR {num} > i.scale_max)",
                "'item_scale'",
                params={"lo": "i.scale_min", "hi": "i.scale_max", "item": "s.item_id"},
                joins=items_join,
            )
        )
    if "periods" in present:
        rules.append(
            Rule(
                "periods",
                "end before start",
                "end_date",
                "TRY_CAST(s.start_date AS DATE) > TRY_CAST(s.end_date AS DATE)",
                "'end_before_start'",
                params={"start": "s.start_date"},
            )
        )
    if "items" in present:
        rules.append(
            Rule(
                "items",
                "empty scale",
                "scale_max",
                "TRY_CAST(s.scale_max AS BIGINT) <= coalesce(TRY_CAST(s.scale_min AS BIGINT), 1)",
                "'empty_scale'",
                params={"lo": "coalesce(s.scale_min, '1')"},
            )
        )
    if "performance" in present:
        rules.append(
            Rule(
                "performance",
                "score above max_score",
                "score",
                "TRY_CAST(s.score AS DOUBLE) > TRY_CAST(s.max_score AS DOUBLE)",
                "'above_max_score'",
                params={"max": "s.max_score"},
            )
        )
        if "cadre_id" in present["performance"].columns:
            rules.append(
                Rule(
                    "performance",
                    "portfolio cadre not of this unit",
                    "cadre_id",
                    "s.cadre_id IS NOT NULL AND s.unit_id IS NOT NULL AND "
                    "(c.cadre_id IS NULL OR c.unit_id <> s.unit_id)",
                    "CASE WHEN c.cadre_id IS NULL THEN 'no_such_cadre' "
                    "ELSE 'cadre_of_other_unit' END",
                    params={"cadre_unit": "c.unit_id", "unit": "s.unit_id"},
                    joins=(
                        "LEFT JOIN (SELECT DISTINCT ON (cadre_id) * FROM ref_cadres) c "
                        "ON c.cadre_id = s.cadre_id"
                    ),
                )
            )
    if "talks" in present and "interviewee_id" in present["talks"].columns:
        rules.append(
            Rule(
                "talks",
                "unknown interviewee",
                "interviewee_id",
                "s.interviewee_id IS NOT NULL AND c.cadre_id IS NULL",
                "'unknown_interviewee'",
                joins="LEFT JOIN (SELECT DISTINCT cadre_id FROM ref_cadres) c "
                "ON c.cadre_id = s.interviewee_id",
            )
        )
    if "ballots" in present:
        rules.extend(_ballot_rules())
    return rules


def _ballot_rules() -> list[Rule]:
    """A sheet's rows must agree on period, unit and rater group (bundle and database)."""
    inconsistent = (
        "(SELECT ballot_id, min(rowid) AS first_ord, arg_min(period_id, rowid) AS p, "
        "arg_min(unit_id, rowid) AS u, arg_min(rater_group, rowid) AS g FROM stage.ballots "
        "WHERE ballot_id IS NOT NULL GROUP BY ballot_id HAVING min(period_id) <> "
        "max(period_id) OR min(unit_id) <> max(unit_id) OR min(rater_group) <> "
        "max(rater_group))"
    )
    diff = (
        "concat_ws(', ', CASE WHEN s.period_id <> f.p THEN 'period_id ' || f.p END, "
        "CASE WHEN s.unit_id <> f.u THEN 'unit_id ' || f.u END, "
        "CASE WHEN s.rater_group <> f.g THEN 'rater_group ' || f.g END)"
    )
    in_bundle = Rule(
        "ballots",
        "a ballot's rows disagree",
        "ballot_id",
        "s.period_id <> f.p OR s.unit_id <> f.u OR s.rater_group <> f.g",
        "'ballot_rows_disagree'",
        params={"diff": diff},
        joins=f"JOIN {inconsistent} f ON f.ballot_id = s.ballot_id",
        first_row="f.first_ord",
    )
    # Database rows of the same sheet that the bundle does not replace must agree too.
    kept = (
        "(SELECT DISTINCT b.ballot_id, b.period_id AS p, b.unit_id AS u, "
        "b.rater_group AS g FROM main.ballots b "
        "SEMI JOIN (SELECT DISTINCT ballot_id FROM stage.ballots) sb "
        "ON sb.ballot_id = b.ballot_id "
        "ANTI JOIN stage.ballots k ON k.ballot_id = b.ballot_id "
        "AND k.subject_type = b.subject_type AND k.subject_id = b.subject_id "
        "AND k.item_id = b.item_id)"
    )
    with_db = Rule(
        "ballots",
        "a ballot's rows disagree with the database",
        "ballot_id",
        "s.period_id <> f.p OR s.unit_id <> f.u OR s.rater_group <> f.g",
        "'ballot_disagrees_with_db'",
        params={"diff": diff},
        joins=f"JOIN {kept} f ON f.ballot_id = s.ballot_id",
    )
    return [in_bundle, with_db]


def run_rule(
    con: duckdb.DuckDBPyConnection, rule: Rule, staged: Staged, problems: Problems
) -> None:
    value = rule.value or f"s.{rule.column}"
    first = rule.first_row or "NULL"
    params = "".join(f", CAST({expr} AS VARCHAR) AS p_{k}" for k, expr in rule.params.items())
    sql = (
        f"SELECT s.rowid AS ord, CAST({value} AS VARCHAR) AS value, {rule.reason} AS reason, "
        f"{first} AS first_ord, count(*) OVER () AS total{params} "
        f"FROM stage.{rule.table} s {rule.joins} WHERE {rule.where} "
        f"ORDER BY s.rowid LIMIT {problems.per_rule}"
    )
    rows = con.execute(sql).fetchall()
    if not rows:
        return
    source = staged.sources[rule.table]
    lines = source.lines([r[0] for r in rows])
    firsts = iter(source.lines([r[3] for r in rows if r[3] is not None]))
    shown = []
    for row, line in zip(rows, lines, strict=True):
        values = {**rule.values, **dict(zip(rule.params, row[5:], strict=True))}
        if row[3] is not None:  # the related row: "first at row N"
            values["first"] = next(firsts)
        reason = Reason(f"reason.{row[2]}", **values)
        shown.append(Problem(rule.name, rule.table, source.file, line, rule.column, row[1], reason))
    problems.add_group(shown, rows[0][4])


def validate(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    """Run every rule; raise :class:`Rejection` listing all problems if any rule fails."""
    problems = Problems(per_rule=int(config.get("import", "report_rows_per_rule")))
    _ref_views(con, staged)
    for table, src in staged.sources.items():
        for col in TABLES[table].columns:
            if col.name in src.columns:
                for rule in type_rules(table, col):
                    run_rule(con, rule, staged, problems)
        key_rule = _key_rule(table)
        if key_rule and all(k in src.columns for k in TABLES[table].key):
            run_rule(con, key_rule, staged, problems)
    for rule in cross_rules(staged):
        run_rule(con, rule, staged, problems)
    if problems:
        raise Rejection(problems.flat(), staged.warnings, problems.totals)
