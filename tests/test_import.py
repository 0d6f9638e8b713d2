"""Import: every rejection rule with a tiny bundle, accepted variants, all-or-nothing."""

from __future__ import annotations

import csv
import io
import pickle
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analytics import reasons, schema
from analytics.bundle import Rejection
from analytics.cli import main
from analytics.ingest import import_bundle
from analytics.reasons import Reason
from analytics.schema import TABLES
from analytics.store import Store
from tests.conftest import content_digest
from tests.sample import sample_tables, write_csv, write_sample_bundle

REPO = Path(__file__).resolve().parent.parent


def one_table(tmp: Path, table: str, edit=None, rows=None, columns=None) -> Path:
    """A bundle holding one table of the sample, with ``edit(rows)`` applied."""
    folder = tmp / "bad"
    folder.mkdir()
    rows = [dict(r) for r in (rows if rows is not None else sample_tables()[table])]
    if edit:
        edit(rows)
    write_csv(folder / f"{table}.csv", rows, columns or TABLES[table].column_names)
    return folder


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def set_value(index: int, column: str, value):
    def edit(rows):
        rows[index][column] = value

    return edit


def cell(case: str, table: str, index: int, column: str, value, rule: str, *more, shown=True):
    """A case that sets one cell: the report names the rule and the cell (row ``index`` + 2,
    the header being row 1) with its value unless not ``shown``, and the ``more`` fragments."""
    where = f"row {index + 2}, column {column}" + (f", value '{value}'" if shown else "")
    return (case, table, set_value(index, column, value), [f"[{table}] {rule}", where, *more])


ALL_UNIT_TYPES = "party, government, district, enterprise, institution"
OFF_SCALE = "score outside the item's scale"
# (case id, table, edit, expected fragments of the report)
BAD_CASES = [
    (
        "missing-required-value",
        "cadres",
        set_value(2, "name", ""),
        ["[cadres] missing required value", "cadres.csv row 4, column name", "a value is required"],
    ),
    cell("not-integer", "units", 1, "staff_count", "many", "not a whole number"),
    cell("not-integer-score", "ballots", 0, "score", "3.5", "not a whole number"),
    cell("not-a-number", "third_party", 0, "satisfaction", "high", "not a number"),
    cell("bad-date", "periods", 0, "start_date", "2026/01/01", "not an ISO date"),
    cell("bad-timestamp", "ballots", 4, "submitted_at", "yesterday", "not an ISO timestamp"),
    cell("not-in-set", "units", 0, "unit_type", "ministry", "value not allowed", ALL_UNIT_TYPES),
    cell("out-of-range", "cadres", 0, "birth_year", 1900, "value out of range", "≥ 1940"),
    cell("sample-size-zero", "third_party", 3, "sample_size", 0, "value out of range", "> 0"),
    cell("survey-score", "surveys", 1, "score", 6, "value out of range", "≤ 5"),
    cell("unknown-unit", "cadres", 5, "unit_id", "9999", "unknown reference", "no units row"),
    cell("unknown-talk", "talk_mentions", 0, "talk_id", "T-nope", "unknown reference"),
    (
        "duplicate-key",
        "areas",
        lambda rows: rows.append(dict(rows[0])),
        ["[areas] duplicate key", "row 4, column area_id, value '01'", "first at row 2"],
    ),
    cell("score-outside-scale", "ballots", 3, "score", 5, OFF_SCALE, "between 1 and 4"),
    (
        "subject-type-vs-item",
        "ballots",
        set_value(0, "item_id", "C_POL"),
        [
            "[ballots] subject type differs from the item's",
            "row 2, column subject_type",
            "item C_POL is a cadre item",
        ],
    ),
    cell(
        "unknown-subject",
        "superior_opinions",
        1,
        "subject_id",
        "0101999",
        "unknown subject",
        "no cadre has this id",
    ),
    (
        "ballot-disagrees",
        "ballots",
        set_value(5, "rater_group", "staff"),
        [
            "[ballots] a ballot's rows disagree",
            "row 7, column ballot_id",
            "rater_group team_member on row 2",
        ],
    ),
    cell(
        "cadre-not-of-unit",
        "performance",
        3,
        "cadre_id",
        "0102002",
        "portfolio cadre not of this unit",
        "belongs to unit 0102, not to unit 0101",
        shown=False,
    ),
    cell("score-above-max", "performance", 0, "score", 120, "score above max_score"),
    cell("unknown-interviewee", "talks", 2, "interviewee_id", "X1", "unknown interviewee"),
    cell("end-before-start", "periods", 1, "end_date", "2026-03-01", "end before start"),
    cell("self-score-scale", "self_assessments", 0, "score", 4.5, OFF_SCALE, shown=False),
]


@pytest.mark.parametrize("case,table,edit,expected", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_rejection_rules(case, table, edit, expected, sample_db, tmp_path, capsys):
    before = content_digest(sample_db, tmp_path)
    bundle = one_table(tmp_path, table, edit)
    code, _, err = run_cli(["import", str(bundle), "--db", str(sample_db)], capsys)
    assert code == 2, err
    assert "Traceback" not in err
    assert "the database is unchanged" in err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert content_digest(sample_db, tmp_path) == before


def test_missing_required_column(sample_db, tmp_path, capsys):
    rows = [{k: v for k, v in r.items() if k != "unit_type"} for r in sample_tables()["units"]]
    cols = [c for c in TABLES["units"].column_names if c != "unit_type"]
    bundle = one_table(tmp_path, "units", rows=rows, columns=cols)
    code, _, err = run_cli(["import", str(bundle), "--db", str(sample_db)], capsys)
    assert code == 2
    assert "[units] missing required column" in err
    assert "units.csv row 1, column unit_type" in err


def rejected_areas_csv(text: str, db: Path, tmp_path: Path, capsys) -> str:
    """The report on a bundle holding one hand-written areas.csv, which must be rejected."""
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "areas.csv").write_text(text, encoding="utf-8")
    code, _, err = run_cli(["import", str(folder), "--db", str(db)], capsys)
    assert code == 2
    return err


def test_wrong_number_of_fields_names_the_line(sample_db, tmp_path, capsys):
    text = 'area_id,name,leader\n01,"第一\n考察责任区",王\n02,第二,李,多余\n'
    err = rejected_areas_csv(text, sample_db, tmp_path, capsys)
    assert "[areas] wrong number of fields" in err
    assert "areas.csv row 4" in err and "4 fields, the header has 3" in err


def test_row_numbers_count_lines_of_multiline_records(sample_db, tmp_path, capsys):
    text = 'area_id,name,leader\n01,"第一\n考察\n责任区",王\n\n02,,李\n'
    err = rejected_areas_csv(text, sample_db, tmp_path, capsys)
    assert "areas.csv row 6, column name" in err


def test_many_problems_grouped_with_counts(sample_db, tmp_path, capsys):
    def edit(rows):
        for r in rows[:30]:
            r["score"] = 9
        rows[40]["unit_id"] = "nowhere"

    bundle = one_table(tmp_path, "ballots", edit)
    code, _, err = run_cli(["import", str(bundle), "--db", str(sample_db)], capsys)
    assert code == 2
    assert "[ballots] score outside the item's scale: 30 rows" in err
    assert "… and 10 more" in err
    assert "[ballots] unknown reference: 1 row" in err
    assert err.count("column score, value '9'") == 20


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "the file is empty"),
        (bytes(range(256)) * 50, "binary"),
        ("区域".encode("utf-16"), "UTF-16"),
    ],
)
def test_unreadable_files(content, reason, sample_db, tmp_path, capsys):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "areas.csv").write_bytes(content)
    before = content_digest(sample_db, tmp_path)
    code, _, err = run_cli(["import", str(folder), "--db", str(sample_db)], capsys)
    assert code == 2 and reason in err and "areas.csv" in err
    assert content_digest(sample_db, tmp_path) == before


def test_workbook_with_wrong_sheet_name(sample_db, tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["area_id", "name"])
    path = tmp_path / "bundle.xlsx"
    wb.save(path)
    code, _, err = run_cli(["import", str(path), "--db", str(sample_db)], capsys)
    assert code == 2
    assert "no sheet is named after a table" in err and "Sheet1" in err


def test_not_a_workbook_and_not_a_zip(sample_db, tmp_path, capsys):
    for name in ("bundle.xlsx", "bundle.zip"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04 this is not really an archive")
        code, _, err = run_cli(["import", str(path), "--db", str(sample_db)], capsys)
        assert code == 2, err
        assert name in err and ("not a readable" in err)


def test_folder_without_tables(sample_db, tmp_path, capsys):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "readme.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run_cli(["import", str(folder), "--db", str(sample_db)], capsys)
    assert code == 2 and "no file is named after a table" in err


def test_missing_bundle_path(tmp_path, capsys):
    code, _, err = run_cli(["import", str(tmp_path / "nope"), "--db", str(tmp_path / "db")], capsys)
    assert code == 2 and "no such file or folder" in err
    assert not (tmp_path / "db").exists()


def test_db_path_is_a_file_or_garbage(tmp_path, capsys):
    bundle = write_sample_bundle(tmp_path / "bundle", ["areas"])
    f = tmp_path / "file.duckdb"
    f.write_bytes(b"garbage" * 100)
    code, _, err = run_cli(["import", str(bundle), "--db", str(f)], capsys)
    assert code == 1 and "is a file; a Yanpan database is a folder" in err
    db = tmp_path / "db"
    (db / "snapshots").mkdir(parents=True)
    (db / "snapshots" / "000001-deadbeef.duckdb").write_bytes(b"not a database" * 1000)
    (db / "CURRENT").write_text("000001-deadbeef.duckdb\n")
    for args in (
        ["import", str(bundle), "--db", str(db)],
        ["export-bundle", "--db", str(db), "--out", str(tmp_path / "o")],
    ):
        code, _, err = run_cli(args, capsys)
        assert code == 1 and "not a readable DuckDB database" in err, err


def test_bad_arguments_one_line(capsys):
    code, _, err = run_cli(["import"], capsys)
    assert code == 1 and err.count("\n") == 1 and "error:" in err
    code, _, err = run_cli(["frobnicate"], capsys)
    assert code == 1 and "invalid choice" in err


def test_no_traceback_in_a_real_process(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "units.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "import", str(folder), "--db", str(tmp_path / "db")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "binary" in proc.stderr


# ---- accepted variants -----------------------------------------------------------------
def _areas_units_text() -> tuple[str, str]:
    buf_a, buf_u = io.StringIO(), io.StringIO()
    for buf, name in ((buf_a, "areas"), (buf_u, "units")):
        w = csv.DictWriter(buf, TABLES[name].column_names, lineterminator="\n")
        w.writeheader()
        w.writerows(sample_tables()[name])
    return buf_a.getvalue(), buf_u.getvalue()


def _units(db: Path) -> list[tuple]:
    con = Store(db).open_read()
    try:
        return con.execute(
            "SELECT unit_id, name, area_id, staff_count FROM units ORDER BY unit_id"
        ).fetchall()
    finally:
        con.close()


EXPECTED_UNITS = [
    ("0101", "市委办公室", "01", 86),
    ("0102", "市交通运输局", "01", 412),
    ("0201", "市城建集团", "02", 1350),
]


@pytest.mark.parametrize(
    "encoding,newline", [("gbk", "\n"), ("gb18030", "\r\n"), ("utf-8-sig", "\r\n"), ("utf-8", "\n")]
)
def test_encodings_and_line_ends(encoding, newline, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    for name, text in zip(("areas", "units"), _areas_units_text(), strict=True):
        (folder / f"{name}.csv").write_bytes(text.replace("\n", newline).encode(encoding))
    import_bundle(folder, tmp_path / "db")
    assert _units(tmp_path / "db") == EXPECTED_UNITS


def test_extra_columns_and_files_are_ignored_with_warnings(tmp_path, capsys):
    folder = tmp_path / "b"
    folder.mkdir()
    areas, units = _areas_units_text()
    (folder / "areas.csv").write_text(areas, encoding="utf-8")
    lines = units.splitlines()
    lines = [lines[0] + ",备注"] + [ln + ",x" for ln in lines[1:]]
    (folder / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    code, out, err = run_cli(["import", str(folder), "--db", str(tmp_path / "db")], capsys)
    assert code == 0
    assert "ignored column(s) not in the contract: 备注" in err
    assert "notes.csv: ignored" in err
    assert "units                       3 rows" in out
    assert _units(tmp_path / "db") == EXPECTED_UNITS


def test_xlsx_keeps_leading_zeros(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "areas"
    ws.append(["area_id", "name", "leader"])
    ws.append(["01", "第一考察责任区", "王建国"])  # stored as text
    ws.append([2, "第二考察责任区", None])  # stored as a number shown as 02
    ws.cell(row=3, column=1).number_format = "00"
    ws2 = wb.create_sheet("units")
    ws2.append(["unit_id", "name", "unit_type", "area_id", "staff_count"])
    for u in sample_tables()["units"]:
        ws2.append([u["unit_id"], u["name"], u["unit_type"], u["area_id"], u["staff_count"]])
    ws2.append([])  # blank rows are skipped
    wb.create_sheet("说明").append(["这是说明"])
    path = tmp_path / "bundle.xlsx"
    wb.save(path)
    result = import_bundle(path, tmp_path / "db")
    assert result.counts == {"areas": 2, "units": 3}
    assert any("说明" in w for w in result.warnings)
    assert _units(tmp_path / "db") == EXPECTED_UNITS
    con = Store(tmp_path / "db").open_read()
    assert con.execute("SELECT area_id FROM areas ORDER BY 1").fetchall() == [("01",), ("02",)]
    con.close()


def test_xlsx_errors_name_the_sheet_row(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "areas"
    ws.append(["area_id", "name"])
    ws.append(["01", "甲"])
    ws.append([])
    ws.append(["02", None])
    path = tmp_path / "bundle.xlsx"
    wb.save(path)
    code, _, err = run_cli(["import", str(path), "--db", str(tmp_path / "db")], capsys)
    assert code == 2
    assert "bundle.xlsx:areas row 4, column name" in err


def test_zip_of_csvs_and_zip_of_workbook(tmp_path):
    bundle = write_sample_bundle(tmp_path / "bundle")
    z = tmp_path / "bundle.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in bundle.iterdir():
            zf.write(p, f"export-2026/{p.name}")
    result = import_bundle(z, tmp_path / "db")
    assert result.counts["ballots"] == len(sample_tables()["ballots"])


def test_reimport_is_idempotent(sample_db, tmp_path):
    before = content_digest(sample_db, tmp_path)
    bundle = write_sample_bundle(tmp_path / "bundle")
    import_bundle(bundle, sample_db)
    assert content_digest(sample_db, tmp_path) == before


def test_upsert_replaces_by_key_and_mentions_by_talk(sample_db, tmp_path):
    def edit(rows):
        rows[:] = [dict(rows[0], name="改名后的办公室")]

    import_bundle(one_table(tmp_path, "units", edit), sample_db)
    mentions = [m for m in sample_tables()["talk_mentions"] if m["talk_id"] == "T2026Q1-0101-01"][
        :1
    ]
    (tmp_path / "bad").rename(tmp_path / "first")
    import_bundle(one_table(tmp_path, "talk_mentions", rows=mentions), sample_db)
    con = Store(sample_db).open_read()
    assert con.execute(
        "SELECT count(*), min(name) FROM units WHERE unit_id = '0101'"
    ).fetchone() == (1, "改名后的办公室")
    assert (
        con.execute(
            "SELECT count(*) FROM talk_mentions WHERE talk_id = 'T2026Q1-0101-01'"
        ).fetchone()[0]
        == 1
    )
    assert (
        con.execute("SELECT count(*) FROM talk_mentions").fetchone()[0]
        == len(sample_tables()["talk_mentions"]) - 1
    )
    con.close()


def test_foreign_keys_resolve_against_the_database(sample_db, tmp_path):
    """Period data alone imports when the reference tables are already loaded."""

    def edit(rows):
        for r in rows:
            r["satisfaction"] = 90

    import_bundle(one_table(tmp_path, "third_party", edit), sample_db)
    con = Store(sample_db).open_read()
    assert con.execute("SELECT min(satisfaction) FROM third_party").fetchone()[0] == 90
    con.close()


def test_export_import_export_is_identical(sample_db, tmp_path):
    out1, out2 = tmp_path / "e1", tmp_path / "e2"
    assert main(["export-bundle", "--db", str(sample_db), "--out", str(out1)]) == 0
    assert main(["import", str(out1), "--db", str(tmp_path / "db2"), "--quiet"]) == 0
    assert main(["export-bundle", "--db", str(tmp_path / "db2"), "--out", str(out2)]) == 0
    names = sorted(p.name for p in out1.iterdir())
    assert names == sorted(f"{t}.csv" for t in TABLES)
    for n in names:
        assert (out1 / n).read_bytes() == (out2 / n).read_bytes(), n
    # the sample's leading zeros and timestamps survive the trip
    text = (out1 / "ballots.csv").read_text(encoding="utf-8")
    assert ",0101," in text and "+08:00" in text


def test_schema_upgrade_from_v1(tmp_path):
    import duckdb

    db = tmp_path / "db"
    (db / "snapshots").mkdir(parents=True)
    snap = db / "snapshots" / "000001-00000000.duckdb"
    con = duckdb.connect(str(snap))
    schema.create_v1(con)
    con.execute("INSERT INTO areas VALUES ('01', '第一考察责任区', NULL)")
    con.close()
    (db / "CURRENT").write_text(snap.name)
    assert Store(db).upgrade() == [schema.SCHEMA_VERSION]
    con = Store(db).open_read()
    assert schema.get_version(con) == schema.SCHEMA_VERSION
    assert con.execute("SELECT area_id FROM areas").fetchall() == [("01",)]
    assert con.execute("SELECT kind FROM import_log").fetchall() == [("upgrade",)]
    con.close()
    # an import into an old database upgrades it too
    snap2 = db / "snapshots" / "000009-00000000.duckdb"
    con = duckdb.connect(str(snap2))
    schema.create_v1(con)
    con.close()
    (db / "CURRENT").write_text(snap2.name)
    import_bundle(write_sample_bundle(tmp_path / "b", ["areas"]), db)
    con = Store(db).open_read()
    assert schema.get_version(con) == schema.SCHEMA_VERSION
    con.close()


def test_newer_schema_is_refused(tmp_path, capsys):
    import duckdb

    db = tmp_path / "db"
    (db / "snapshots").mkdir(parents=True)
    snap = db / "snapshots" / "000001-00000000.duckdb"
    con = duckdb.connect(str(snap))
    schema.create_current(con)
    schema.set_version(con, schema.SCHEMA_VERSION + 5)
    con.close()
    (db / "CURRENT").write_text(snap.name)
    code, _, err = run_cli(["export-bundle", "--db", str(db), "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and "newer than this program" in err


def test_reader_sees_new_data_while_an_import_runs(sample_db, tmp_path):
    """A reader holding the old snapshot never blocks an import and sees new data after."""
    reader = Store(sample_db).open_read()
    old = reader.execute("SELECT count(*) FROM areas").fetchone()[0]
    rows = sample_tables()["areas"] + [{"area_id": "03", "name": "第三考察责任区", "leader": ""}]
    import_bundle(one_table(tmp_path, "areas", rows=rows), sample_db)
    assert reader.execute("SELECT count(*) FROM areas").fetchone()[0] == old
    fresh = Store(sample_db).open_read()
    assert fresh.execute("SELECT count(*) FROM areas").fetchone()[0] == old + 1
    reader.close()
    fresh.close()
    shutil.rmtree(sample_db / "tmp", ignore_errors=True)


# ---- structured reasons ------------------------------------------------------------------------
CJK = re.compile(r"[\u4e00-\u9fff]")


def rejection_of(bundle: Path, db: Path) -> Rejection:
    with pytest.raises(Rejection) as caught:
        import_bundle(bundle, db)
    return caught.value


def assert_structured(rejection: Rejection) -> None:
    """Every reason has a code, reads as before in English and is Chinese in Chinese."""
    for p in rejection.problems:
        assert isinstance(p.reason, Reason), p
        assert p.reason.key != "reason.other", p
        assert p.reason.render("en") == str(p.reason)
        again = pickle.loads(pickle.dumps(p.reason))
        assert (again.key, again.values, str(again)) == (p.reason.key, p.reason.values, p.reason)
        zh = p.reason.render("zh")
        assert CJK.search(zh) and zh != str(p.reason), (p, zh)


@pytest.mark.parametrize("case,table,edit,expected", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_every_rule_gives_a_reason_code(case, table, edit, expected, sample_db, tmp_path):
    assert_structured(rejection_of(one_table(tmp_path, table, edit), sample_db))


def _reader_cases(tmp: Path) -> dict[str, Path]:
    """Bundles the reader refuses before validation, one per kind of sentence it writes."""
    cases: dict[str, Path] = {}

    def folder(name: str, files: dict[str, bytes]) -> None:
        path = tmp / name
        path.mkdir()
        for file, data in files.items():
            (path / file).write_bytes(data)
        cases[name] = path

    folder("empty", {"areas.csv": b""})
    folder("binary", {"areas.csv": bytes(range(256)) * 50})
    folder("utf16", {"areas.csv": "区域".encode("utf-16")})
    folder("gbk-bad", {"areas.csv": b"area_id,name\n01,\xff\xfe\xfa\n"})
    folder("fields", {"areas.csv": b"area_id,name,leader\n01,a,b,c\n"})
    folder("quote", {"areas.csv": b'area_id,name\n01,"open\n'})
    folder("header", {"areas.csv": b",,\n01,a,b\n"})
    folder("dup-col", {"areas.csv": b"area_id,name,name\n01,a,b\n"})
    folder("no-col", {"areas.csv": b"area_id\n01\n"})
    folder("no-table", {"readme.csv": b"a,b\n1,2\n"})
    cases["missing"] = tmp / "nope"
    (tmp / "notes.txt").write_text("hello")
    cases["not-bundle"] = tmp / "notes.txt"
    (tmp / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    cases["bad-zip"] = tmp / "broken.zip"
    (tmp / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    cases["bad-xlsx"] = tmp / "broken.xlsx"
    with zipfile.ZipFile(tmp / "mixed.zip", "w") as zf:
        zf.writestr("areas.csv", "area_id,name\n01,a\n")
        zf.writestr("book.xlsx", "x")
    cases["mixed"] = tmp / "mixed.zip"
    return cases


def test_every_reader_problem_gets_a_reason_code(sample_db, tmp_path):
    seen = set()
    for name, bundle in _reader_cases(tmp_path).items():
        rejection = rejection_of(bundle, sample_db)
        assert rejection.problems, name
        assert_structured(rejection)
        seen |= {p.reason.key for p in rejection.problems}
    assert len(seen) >= 13, seen


def test_the_cli_still_prints_english_reasons(sample_db, tmp_path, capsys):
    bundle = one_table(tmp_path, "cadres", set_value(5, "unit_id", "9999"))
    code, _, err = run_cli(["import", str(bundle), "--db", str(sample_db)], capsys)
    assert code == 2 and not CJK.search(err)
    assert (
        "row 7, column unit_id, value '9999': no units row has this unit_id (neither in the "
        "bundle nor in the database)" in err
    )
    reason = rejection_of(bundle, sample_db).problems[0].reason
    assert reason.render("zh") == "单位表中没有此 unit_id（数据包和数据库中均没有）"


def test_warnings_are_translated():
    for text in (
        "units.csv: ignored column(s) not in the contract: 备注",
        "bundle.xlsx: ignored sheet 'Sheet1' (no table of that name)",
        "notes.txt: ignored (a folder bundle holds .csv files)",
        "readme.csv: ignored (no table named 'readme')",
        "b.zip:x.txt: ignored (not .csv/.xlsx)",
    ):
        w = reasons.warning(text)
        assert w.key.startswith("warning.") and str(w) == text
        assert CJK.search(w.render("zh").replace("备注", "")), w.render("zh")
