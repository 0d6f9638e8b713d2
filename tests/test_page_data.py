"""The Data page's import and export: the upload handler (analytics.views.data) on real
databases, and the page driven through AppTest (upload, progress, report, refresh)."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analytics import config, i18n
from analytics.ingest import import_bundle
from analytics.store import Store
from analytics.views import data as v
from tests.apptest import app_test, texts
from tests.conftest import content_digest
from tests.sample import write_sample_bundle

NEW_UNIT = "unit_id,name,unit_type,area_id\n0301,市新设单位,institution,02\n"


def zipped(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)
    return buf.getvalue()


def good_bundle(tmp: Path) -> bytes:
    """A valid bundle: one new unit (areas repeated, as a user's export would hold them)."""
    folder = write_sample_bundle(tmp / "good", ["areas"])
    (folder / "units.csv").write_text(NEW_UNIT, encoding="utf-8")
    return zipped(folder)


def bad_bundle(tmp: Path, n_bad_types: int = 1) -> bytes:
    """Units with an unknown area and ``n_bad_types`` rows of an unknown unit_type."""
    folder = write_sample_bundle(tmp / "bad", ["areas"])
    rows = ["0301,市新设单位,institution,99"]
    rows += [f"04{i:02d},单位{i},nonsense,01" for i in range(n_bad_types)]
    (folder / "units.csv").write_text(
        "unit_id,name,unit_type,area_id\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return zipped(folder)


def n_units(db: Path) -> int:
    con = Store(db).open_read()
    try:
        return con.execute("SELECT count(*) FROM units").fetchone()[0]
    finally:
        con.close()


# ---- the upload handler ----------------------------------------------------------------------
def test_a_good_bundle_makes_a_new_snapshot(sample_db, tmp_path):
    before = Store(sample_db).require().name
    steps = []
    out = v.import_upload(
        good_bundle(tmp_path), "good.zip", sample_db, lambda f, s: steps.append((f, s))
    )
    assert out.status == "loaded", out
    assert out.counts == {"areas": 2, "units": 1} and out.rows == 3
    assert out.snapshot == Store(sample_db).require().name != before
    assert out.snapshot.startswith("000002-")
    assert [s for _, s in steps] == ["reading", "validating", "loading", "done"]
    assert n_units(sample_db) == 4
    con = Store(sample_db).open_read()
    try:
        assert con.execute(
            "SELECT source, kind FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchone() == ("good.zip", "import")
    finally:
        con.close()


def test_a_workbook_and_a_single_csv_are_accepted(sample_db, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "units"
    for row in [line.split(",") for line in NEW_UNIT.strip().splitlines()]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    out = v.import_upload(buf.getvalue(), "新单位.xlsx", sample_db)
    assert out.status == "loaded" and out.counts == {"units": 1}
    out = v.import_upload(
        NEW_UNIT.replace("市新设单位", "改名").encode("gb18030"), "units.csv", sample_db
    )
    assert out.status == "loaded" and out.counts == {"units": 1}
    assert n_units(sample_db) == 4


def test_a_bad_bundle_is_reported_and_changes_nothing(sample_db, tmp_path):
    digest = content_digest(sample_db, tmp_path)
    snap = Store(sample_db).require().name
    out = v.import_upload(bad_bundle(tmp_path), "bad.zip", sample_db)
    assert out.status == "rejected"
    assert content_digest(sample_db, tmp_path) == digest
    assert Store(sample_db).require().name == snap
    assert list(out.problems.columns) == v.PROBLEM_COLUMNS
    rows = {r["rule"]: r for r in out.problems.to_dict("records")}
    ref = rows["unknown reference"]
    assert (ref["table"], ref["file"], ref["row"], ref["column"], ref["value"]) == (
        "units",
        "bad.zip:units.csv",
        2,
        "area_id",
        "99",
    )
    assert "areas" in ref["reason"]
    bad_type = rows["value not allowed"]
    assert (bad_type["row"], bad_type["column"], bad_type["value"]) == (3, "unit_type", "nonsense")
    assert set(out.rules["rule"]) == {"unknown reference", "value not allowed"}
    assert out.n_problems == 2
    assert out.report.startswith("Import rejected: 2 problems under 2 rules")
    assert "bad.zip:units.csv row 2, column area_id, value '99'" in out.report
    csv = v.problems_csv(out).decode("utf-8-sig")
    assert csv.splitlines()[0] == ",".join([*v.PROBLEM_COLUMNS, "reason_zh"]) and "nonsense" in csv
    assert "must be one of: party" in csv and "须为以下取值之一：party" in csv


def test_the_report_gives_totals_beyond_the_listed_rows(sample_db, tmp_path):
    per_rule = int(config.get("import", "report_rows_per_rule"))
    out = v.import_upload(bad_bundle(tmp_path, per_rule + 5), "many.zip", sample_db)
    rule = out.rules.set_index("rule").loc["value not allowed"]
    assert (rule["total"], rule["listed"]) == (per_rule + 5, per_rule)
    assert out.n_problems == per_rule + 6
    assert "… and 5 more" in out.report


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("notes.txt", b"hello", "type"),
        ("broken.zip", b"PK\x03\x04 not really a zip", "unreadable file"),
        ("book.xlsx", b"unit_id,name\n", "unreadable file"),
        ("units.csv", b"", "unreadable file"),
        ("readme.csv", b"a,b\n1,2\n", "no table in bundle"),
        ("empty.zip", b"PK\x05\x06" + b"\x00" * 18, "no table in bundle"),  # a zip, no file
    ],
)
def test_user_mistakes_are_messages(sample_db, tmp_path, name, data, expected):
    digest = content_digest(sample_db, tmp_path)
    out = v.import_upload(data, name, sample_db)
    if expected == "type":
        assert (out.status, out.error) == ("error", "type") and name in out.message
    else:
        assert out.status == "rejected" and expected in set(out.problems["rule"])
    assert content_digest(sample_db, tmp_path) == digest


def test_a_busy_database_is_a_message(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("YANPAN_DATABASE_LOCK_TIMEOUT_S", "0.3")
    config.settings.cache_clear()
    try:
        with Store(sample_db)._lock():  # another import holds the write lock
            out = v.import_upload(good_bundle(tmp_path), "good.zip", sample_db)
    finally:
        monkeypatch.delenv("YANPAN_DATABASE_LOCK_TIMEOUT_S")
        config.settings.cache_clear()
    assert (out.status, out.error) == ("error", "database")
    assert "another import" in out.message
    assert n_units(sample_db) == 3


def test_names_lose_their_folders():
    assert v.safe_name("../../etc/units.csv") == "units.csv"
    assert v.safe_name("C:\\Users\\王\\数据包.zip") == "数据包.zip"
    assert v.safe_name("..") == "upload" and v.safe_name("") == "upload"
    assert v.safe_name('a<b>:"c".zip') == "a_b___c_.zip"


def test_the_export_zip_imports_back_identically(sample_db, tmp_path):
    data = v.export_zip(sample_db)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "ballots.csv" in names and "talk_mentions.csv" in names
    fresh = tmp_path / "fresh"
    out = v.import_upload(data, v.export_name(Store(sample_db).require().name), fresh)
    assert out.status == "loaded"
    assert content_digest(fresh, tmp_path) == content_digest(sample_db, tmp_path)
    assert v.export_name("000003-1a2b3c4d.duckdb") == "yanpan-export-000003-1a2b3c4d.zip"


def test_every_listed_rule_is_translated():
    for rule in v.RULES:
        assert f"data.rule.{rule}" in i18n.STRINGS, rule


# ---- the page --------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _clean_caches(clear_st_caches):
    yield


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_offers_import_and_export(app_on_sample, lang):
    at = app_test("data", lang).run()
    assert not at.exception
    heads = [s.value for s in at.subheader]
    assert heads[:2] == [i18n.t("data.import.title", lang), i18n.t("data.export.title", lang)]
    up = at.file_uploader[0]
    assert up.label == i18n.t("data.import.label", lang)
    assert sorted(up.allowed_type) == [".csv", ".xlsx", ".zip"]
    assert not at.button  # nothing to import before a file is chosen
    export = at.get("download_button")
    assert [b.proto.label for b in export] == [i18n.t("data.export.button", lang)]
    assert export[0].proto.deferred_file_id  # built when clicked


def test_the_export_button_builds_the_bundle_of_this_snapshot(app_on_sample, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    registered = []
    add = MediaFileManager.add_deferred

    def spy(self, fn, mimetype, coordinates, file_name=None, **kw):
        registered.append((fn, mimetype, file_name))
        return add(self, fn, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at = app_test("data", "en").run()
    assert not at.exception
    [(build, mimetype, file_name)] = registered
    assert mimetype == "application/zip"
    assert file_name == v.export_name(Store(app_on_sample).require().name)
    assert build() == v.export_zip(app_on_sample)


def test_uploading_a_good_bundle_refreshes_the_page(app_on_sample, tmp_path):
    at = app_test("data", "en").run()
    assert [m.value for m in at.metric][1] == "3"
    at.file_uploader[0].set_value(("good.zip", good_bundle(tmp_path), "application/zip"))
    at.run()
    assert "good.zip chosen" in texts(at)
    at.button(key="data_import_go").click().run()
    assert not at.exception
    assert [m.value for m in at.metric][1] == "4"  # read from the new snapshot
    snap = Store(app_on_sample).require().stem
    assert at.success[0].value.startswith("Imported good.zip: 3 rows in 2 table(s)")
    assert at.success[0].value.endswith(f"the data version is now {snap}.")
    assert snap in at.sidebar.caption[-1].value
    assert at.dataframe[0].value.to_dict("records") == [
        {"table": "areas", "rows": 2},
        {"table": "units", "rows": 1},
    ]
    assert list(at.dataframe[-1].value["source"]) == ["good.zip", "bundle"]
    assert at.file_uploader[0].key == "data_upload_1" and not at.file_uploader[0].value
    at.run()  # the message is shown once
    assert not at.success or "Imported" not in at.success[0].value


def test_uploading_a_bad_bundle_shows_the_report(app_on_sample, tmp_path):
    digest = content_digest(app_on_sample, tmp_path)
    at = app_test("data", "zh").run()
    at.file_uploader[0].set_value(("bad.zip", bad_bundle(tmp_path), "application/zip")).run()
    at.button(key="data_import_go").click().run()
    assert not at.exception
    assert at.error[0].value == i18n.t("data.import.rejected", "zh", name="bad.zip", n=2, rules=2)
    rules, rows = at.dataframe[0].value, at.dataframe[1].value
    assert set(rules["rule"]) == {"引用的编号不存在", "取值不在允许范围内"}
    assert list(rows.columns) == v.PROBLEM_COLUMNS
    assert list(rows["row"]) == [3, 2]  # type rules run before references
    labels = [b.proto.label for b in at.get("download_button")]
    assert i18n.t("data.import.download_report", "zh") in labels
    assert i18n.t("data.import.download_rows", "zh") in labels
    assert content_digest(app_on_sample, tmp_path) == digest
    at.run()  # the report stays while its file is in the uploader
    assert at.error and at.dataframe[1].value.equals(rows)
    at.file_uploader[0].set_value(None).run()  # and goes with it
    assert not at.error


def test_an_empty_database_is_filled_from_the_page(tmp_path, monkeypatch, clear_st_caches):
    """A configured but empty database offers the upload at once; after it, the pages run."""
    db = tmp_path / "empty"
    monkeypatch.setenv("YANPAN_DB", str(db))
    at = app_test("overview", "en").run()
    assert not at.exception
    assert "holds no data yet" in at.info[0].value
    folder = write_sample_bundle(tmp_path / "full")
    at.file_uploader[0].set_value(("full.zip", zipped(folder), "application/zip")).run()
    at.button(key="data_import_go").click().run()
    assert not at.exception, at.exception
    assert not at.info or "holds no data yet" not in at.info[0].value
    assert at.sidebar.selectbox(key="f_period").value == "2026Q2"
    assert Store(db).exists()


# ---- languages --------------------------------------------------------------------------------
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_chinese_report_has_no_english_reason_and_no_raw_table_name(app_on_sample, tmp_path):
    at = app_test("data", "zh").run()
    at.file_uploader[0].set_value(("bad.zip", bad_bundle(tmp_path), "application/zip")).run()
    at.button(key="data_import_go").click().run()
    assert not at.exception
    rules, rows = at.dataframe[0].value, at.dataframe[1].value
    again = v.import_upload(bad_bundle(tmp_path / "again"), "b.zip", app_on_sample)
    english = set(again.problems["reason"])
    assert set(rules["table"]) == set(rows["table"]) == {"单位"}
    assert not set(rows["reason"]) & english
    assert all(CJK.search(r) for r in rows["reason"]), list(rows["reason"])
    assert "考察责任区表中没有此 area_id（数据包和数据库中均没有）" in set(rows["reason"])
    assert "None" not in rows.astype(str).to_numpy().ravel().tolist()


def test_the_english_report_is_english(app_on_sample, tmp_path):
    at = app_test("data", "en").run()
    at.file_uploader[0].set_value(("bad.zip", bad_bundle(tmp_path), "application/zip")).run()
    at.button(key="data_import_go").click().run()
    rules, rows = at.dataframe[0].value, at.dataframe[1].value
    assert set(rows["table"]) == {"units"} and set(rules["rule"]) == {
        "unknown reference",
        "value not allowed",
    }
    assert not any(CJK.search(r) for r in rows["reason"])


def test_the_uploader_box_is_explained_in_the_language(app_on_sample):
    for lang in ("zh", "en"):
        at = app_test("data", lang).run()
        note = i18n.t("data.import.widget", lang, mb=200)
        assert note in [c.value for c in at.caption]
    assert "Drag and drop a file here" in i18n.t("data.import.widget", "zh", mb=200)


def test_the_english_page_shows_areas_in_english(app_on_sample, tmp_path):
    folder = tmp_path / "extra"
    write_sample_bundle(folder, ["areas"])
    (folder / "units.csv").write_text(NEW_UNIT, encoding="utf-8")
    import_bundle(folder, app_on_sample)  # a new unit of area 02, lacking every channel
    at = app_test("data", "en").run()
    gaps = at.dataframe[1].value  # after the coverage table
    assert list(gaps["area_name"]) == ["Area 2"]
    assert not CJK.search(" ".join(gaps["missing"]))
    zh = app_test("data", "zh").run().dataframe[1].value
    assert list(zh["area_name"]) == ["第二考察责任区"]


# ---- the frame and this page do not import each other -----------------------------------------
def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {f"{node.module}.{a.name}" for a in node.names} | {node.module or ""}
    return names


def test_the_app_and_the_data_page_do_not_import_each_other():
    root = Path(__file__).resolve().parent.parent
    assert not {"pages.data", "pages"} & _imports(root / "app.py")
    top = ast.parse((root / "pages" / "data.py").read_text(encoding="utf-8")).body
    module_level = {a.name for n in top if isinstance(n, ast.Import) for a in n.names}
    assert "app" not in module_level
    code = "import sys, pages.data; print('app' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# ---- codes for display ------------------------------------------------------------------------
def _demo_posts() -> set[str]:
    from analytics import demo_names as w

    posts = {
        p for _, principal, deps, mems in w.TITLES_BY_SUFFIX for p in (principal, *deps, *mems)
    }
    for by_type in (w.MIDDLE_BY_TYPE, w.SUBORDINATE_BY_TYPE):
        posts |= {p for group in by_type.values() for p in group}
    return posts


def test_every_demo_code_reads_in_english():
    from analytics import demo_names as w

    for post in _demo_posts():
        assert not CJK.search(i18n.code("post", post, "en")), post
        assert i18n.code("post", post, "zh") == post
    for education in w.EDUCATION:
        assert not CJK.search(i18n.code("education", education, "en")), education
    for n, numeral in enumerate(w.CN_NUM[1:], start=1):
        assert i18n.code("area", f"第{numeral}考察责任区", "en") == f"Area {n}"
    for city in w.CITIES:
        assert not CJK.search(i18n.code("area", f"{city}市第三考察责任区", "en")), city
    assert i18n.code("post", "党委书记、局长", "en") == "Party Secretary, Director"
    assert i18n.code("post", "财务科科长", "en") == "Section Chief, Finance Section"


def test_codes_tables_and_empty_values():
    assert i18n.code("table", "ballots", "zh") == "民主测评票"
    assert i18n.code("table", "ballots", "en") == "ballots"
    assert i18n.code("tier", "team", "en") == "Team member"
    assert i18n.code("unit_type", "party", "zh") == "党群部门"
    assert i18n.code("group", "new_group", "en") == "new_group"  # a free code stays
    assert i18n.code("post", "某某自定职务", "en") == "某某自定职务"  # unknown: as written
    assert i18n.code("area", "城东片区", "en") == "城东片区"  # a proper name
    for empty in (None, float("nan"), "", "  ", pd.NA):
        assert i18n.code("post", empty, "zh") == i18n.code("text", empty, "en") == "—"
