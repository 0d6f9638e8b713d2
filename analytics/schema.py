"""The data model: one declarative description of every table of the import contract.

The same description drives the DuckDB DDL, the import validation (types, ranges, sets,
keys) and the export, so that the three can never disagree.  Cross-table rules (foreign
keys, an item's subject type, a ballot's consistency) live in :mod:`analytics.validate`.

Keys are enforced by the importer, not by DuckDB PRIMARY KEY constraints: an ART index on
20 M composite ballot keys costs gigabytes and makes bulk upserts slow, while the importer
already guarantees uniqueness (it rejects duplicate keys and upserts by key).

Schema versions
---------------
``SCHEMA_VERSION`` is stored in the ``meta`` table.  ``MIGRATIONS[v]`` upgrades a database
from version ``v`` to ``v + 1``; :func:`analytics.store.Store.open` applies them in order.

* v1 — the contract's tables (CONTRACT.md §1) and ``meta``.
* v2 — adds ``import_log`` (the import history shown on the Data page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

SCHEMA_VERSION = 2

# Logical column types and their DuckDB storage types.
SQL_TYPES = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",
}


@dataclass(frozen=True)
class Column:
    """One column of a contract table.

    ``choices`` restricts a text column to a set; ``lo``/``hi`` bound a number or a year;
    ``default`` fills an empty optional value on import (and is what export writes back).
    """

    name: str
    type: str = "text"
    required: bool = False
    choices: tuple[str, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    default: str | None = None

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    label_zh: str = ""
    # Rows of the bundle replace the database rows sharing ``replace_by`` (talk_mentions has
    # no key: a talk's mentions are replaced as a whole).
    replace_by: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def upsert_key(self) -> tuple[str, ...]:
        return self.key or self.replace_by

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def C(name: str, type: str = "text", req: bool = False, **kw) -> Column:  # noqa: N802
    return Column(name, type, req, **kw)


UNIT_TYPES = ("party", "government", "district", "enterprise", "institution")
ROLES = ("principal", "deputy", "member")
TIERS = ("team", "middle", "subordinate_head")
SUBJECT_TYPES = ("cadre", "team")
TALK_TIERS = ("team", "middle", "subordinate_head", "staff", "other")
STANCES = ("positive", "neutral", "negative")
TOPICS = ("responsibility", "competence", "unity", "style", "integrity", "other")
KNOWN_RATER_GROUPS = (
    "team_member",
    "middle_manager",
    "staff",
    "subordinate_unit",
    "service_recipient",
    "representative",
    "superior",
    "retired",
)

# Columns that refer to another table (or name a subject), declared once for every table
# that carries them.
AREA_ID = C("area_id", req=True)
UNIT_ID = C("unit_id", req=True)
PERIOD_ID = C("period_id", req=True)
ITEM_ID = C("item_id", req=True)
SUBJECT = (C("subject_type", req=True, choices=SUBJECT_TYPES), C("subject_id", req=True))
SUBMITTED_AT = C("submitted_at", "timestamp")
NAME = C("name", req=True)


def _table(name: str, label_zh: str, key: tuple[str, ...], *columns: Column, **kw) -> Table:
    return Table(name, columns, key, label_zh, **kw)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _table("areas", "考察责任区", ("area_id",), AREA_ID, NAME, C("leader")),
        _table(
            "units",
            "单位",
            ("unit_id",),
            UNIT_ID,
            NAME,
            C("unit_type", req=True, choices=UNIT_TYPES),
            AREA_ID,
            C("staff_count", "int", lo=0),
        ),
        _table(
            "cadres",
            "干部",
            ("cadre_id",),
            C("cadre_id", req=True),
            NAME,
            UNIT_ID,
            C("position", req=True),
            C("role", req=True, choices=ROLES),
            C("tier", req=True, choices=TIERS),
            C("gender", choices=("F", "M")),
            C("birth_year", "int", lo=1940, hi=2010),
            C("education"),
            C("in_post_since", "date"),
        ),
        _table(
            "periods",
            "考核周期",
            ("period_id",),
            PERIOD_ID,
            C("label", req=True),
            C("start_date", "date", req=True),
            C("end_date", "date", req=True),
        ),
        _table(
            "items",
            "测评项目",
            ("item_id",),
            ITEM_ID,
            SUBJECT[0],
            C("dimension", req=True),
            C("label_zh", req=True),
            C("label_en", req=True),
            C("scale_max", "int", req=True),
            C("scale_min", "int", default="1"),
        ),
        _table(
            "ballots",
            "民主测评票",
            ("ballot_id", "subject_type", "subject_id", "item_id"),
            C("ballot_id", req=True),
            PERIOD_ID,
            UNIT_ID,
            C("rater_group", req=True),
            *SUBJECT,
            ITEM_ID,
            C("score", "int", req=True),
            SUBMITTED_AT,
        ),
        _table(
            "performance",
            "绩效考核",
            ("period_id", "unit_id", "indicator_id"),
            PERIOD_ID,
            UNIT_ID,
            C("indicator_id", req=True),
            C("indicator", req=True),
            C("score", "float", req=True, lo=0),
            C("max_score", "float", req=True, lo=0, lo_open=True),
            C("weight", "float", lo=0, default="1"),
            C("cadre_id"),
        ),
        _table(
            "surveys",
            "调查问卷",
            ("response_id", "item_id"),
            C("response_id", req=True),
            PERIOD_ID,
            UNIT_ID,
            C("source", req=True, choices=("grassroots", "service_recipient")),
            ITEM_ID,
            C("score", "int", req=True, lo=1, hi=5),
            SUBMITTED_AT,
        ),
        _table(
            "third_party",
            "第三方满意度",
            ("period_id", "unit_id", "provider"),
            PERIOD_ID,
            UNIT_ID,
            C("provider", req=True),
            C("sample_size", "int", req=True, lo=0, lo_open=True),
            C("satisfaction", "float", req=True, lo=0, hi=100),
        ),
        _table(
            "superior_opinions",
            "上级部门意见",
            ("period_id", "subject_type", "subject_id", "department"),
            PERIOD_ID,
            *SUBJECT,
            C("department", req=True),
            C("rating", "int", req=True, lo=1, hi=4),
            C("comment"),
        ),
        _table(
            "self_assessments",
            "自评自查",
            ("period_id", "subject_type", "subject_id", "item_id"),
            PERIOD_ID,
            *SUBJECT,
            ITEM_ID,
            C("score", "float", req=True),
        ),
        _table(
            "verifications",
            "实地印证",
            ("period_id", "unit_id", "claim_id"),
            PERIOD_ID,
            UNIT_ID,
            C("claim_id", req=True),
            C("claim", req=True),
            C("result", req=True, choices=("confirmed", "partial", "refuted")),
            C("note"),
        ),
        _table(
            "talks",
            "个别谈话",
            ("talk_id",),
            C("talk_id", req=True),
            PERIOD_ID,
            UNIT_ID,
            AREA_ID,
            C("interviewee_tier", req=True, choices=TALK_TIERS),
            C("interviewee_id"),
            C("talk_date", "date", req=True),
            C("duration_min", "int", req=True, lo=1, hi=600),
        ),
        _table(
            "talk_mentions",
            "谈话要点",
            (),
            C("talk_id", req=True),
            *SUBJECT,
            C("stance", req=True, choices=STANCES),
            C("topic", req=True, choices=TOPICS),
            C("note"),
            replace_by=("talk_id",),
        ),
    )
}

# Tables in the order they must be loaded (references first) and exported.
TABLE_ORDER = list(TABLES)

META_DDL = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"

IMPORT_LOG_DDL = """
CREATE TABLE IF NOT EXISTS import_log (
    import_id    INTEGER,        -- 1, 2, ... in the order imports were loaded
    loaded_at    TIMESTAMPTZ,    -- when the snapshot was published
    source       VARCHAR,        -- the bundle's file or folder name (no directory)
    kind         VARCHAR,        -- import | demo | upgrade
    tables       VARCHAR,        -- JSON object: table -> rows in the bundle
    warnings     VARCHAR         -- JSON list of warnings shown at import
)"""

# Small reference tables keep a real primary key; big fact tables rely on the importer.
_PK_TABLES = {"areas", "units", "cadres", "periods", "items"}


def table_ddl(table: Table) -> str:
    cols = [f"    {c.name} {c.sql_type}{' NOT NULL' if c.required else ''}" for c in table.columns]
    if table.name in _PK_TABLES:
        cols.append(f"    PRIMARY KEY ({', '.join(table.key)})")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n" + ",\n".join(cols) + "\n)"


def create_current(con: duckdb.DuckDBPyConnection) -> None:
    """Create an empty database at the current schema version."""
    con.execute(META_DDL)
    for t in TABLES.values():
        con.execute(table_ddl(t))
    con.execute(IMPORT_LOG_DDL)
    set_version(con, SCHEMA_VERSION)


def create_v1(con: duckdb.DuckDBPyConnection) -> None:
    """The first released layout (kept so upgrades can be tested from it)."""
    con.execute(META_DDL)
    for t in TABLES.values():
        con.execute(table_ddl(t))
    set_version(con, 1)


def get_version(con: duckdb.DuckDBPyConnection) -> int | None:
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()[0]
    if not has_meta:
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def set_version(con: duckdb.DuckDBPyConnection, version: int) -> None:
    con.execute("DELETE FROM meta WHERE key = 'schema_version'")
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(version)])


def _v1_to_v2(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(IMPORT_LOG_DDL)


MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _v1_to_v2}


def upgrade(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration from the stored version to SCHEMA_VERSION; return the steps."""
    version = get_version(con)
    if version is None:
        raise ValueError("not a Yanpan database (no schema version)")
    if version > SCHEMA_VERSION:
        raise ValueError(
            f"database schema version {version} is newer than this program "
            f"({SCHEMA_VERSION}); upgrade Yanpan"
        )
    steps = []
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](con)
        version += 1
        set_version(con, version)
        steps.append(version)
    return steps
