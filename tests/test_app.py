"""AppTest: the frame and the Data page on a real database, in both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n
from analytics.ingest import import_bundle
from analytics.status import CHANNELS
from tests.apptest import app_test
from tests.sample import write_sample_bundle


@pytest.fixture(autouse=True)
def _clean_caches(clear_st_caches):
    yield


def run_app(lang: str | None = None) -> AppTest:
    return app_test("data", lang).run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_page_in_both_languages(app_on_sample, lang):
    at = run_app(lang)
    assert not at.exception
    assert at.title[0].value == i18n.t("data.title", lang)
    labels = [m.label for m in at.metric]
    assert labels == [
        i18n.t(f"data.metric.{k}", lang) for k in ("areas", "units", "cadres", "periods", "sheets")
    ]
    assert [m.value for m in at.metric] == ["2", "3", "15", "2", "36"]
    subheaders = [s.value for s in at.subheader]
    assert i18n.t("data.coverage.title", lang) in subheaders
    assert i18n.t("data.history.title", lang) in subheaders
    coverage = at.dataframe[0].value
    # Chinese shows the periods' labels, English their codes
    assert list(coverage.columns) == (
        ["2026年第一季度", "2026年第二季度"] if lang == "zh" else ["2026Q1", "2026Q2"]
    )
    assert len(CHANNELS) == 8
    assert set(coverage.index) == {i18n.t(f"channel.{c}", lang) for c in CHANNELS}
    assert (coverage == "3/3").all().all()


def test_language_switch_changes_every_label(app_on_sample):
    at = run_app()
    assert at.title[0].value == "数据状态"
    at.sidebar.segmented_control[0].set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Data status"
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


def test_gap_table_follows_the_period_filter(app_on_sample, tmp_path):
    """A unit lacking third-party data in one period is listed for that period only."""
    folder = tmp_path / "extra"
    write_sample_bundle(folder, ["areas"])
    (folder / "units.csv").write_text(
        "unit_id,name,unit_type,area_id\n0301,市新设单位,institution,02\n", encoding="utf-8"
    )
    (folder / "third_party.csv").write_text(
        "period_id,unit_id,provider,sample_size,satisfaction\n2026Q1,0301,调查队,50,80\n",
        encoding="utf-8",
    )
    import_bundle(folder, app_on_sample)
    at = run_app()
    gaps = at.dataframe[1].value  # the latest period is shown first
    assert list(gaps["unit_id"]) == ["0301"]
    assert "第三方满意度" in gaps["missing"].iloc[0]
    at.selectbox(key="data_gap_period").set_value("2026Q1").run()
    gaps = at.dataframe[1].value
    assert list(gaps["unit_id"]) == ["0301"]
    assert "第三方满意度" not in gaps["missing"].iloc[0]
    assert "民主测评" in gaps["missing"].iloc[0]


def test_history_lists_imports_newest_first(app_on_sample, tmp_path):
    import_bundle(write_sample_bundle(tmp_path / "again", ["areas"]), app_on_sample)
    at = run_app("en")
    hist = at.dataframe[-1].value
    assert list(hist["import_id"]) == [2, 1]
    assert list(hist["kind"]) == ["import", "import"]


def test_configured_empty_database_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("YANPAN_DB", str(tmp_path / "empty"))
    at = run_app()
    assert not at.exception
    assert "还没有数据" in at.info[0].value


def test_unreadable_database_is_an_error_message(tmp_path, monkeypatch):
    db = tmp_path / "db"
    (db / "snapshots").mkdir(parents=True)
    (db / "snapshots" / "000001-aaaaaaaa.duckdb").write_bytes(b"nonsense" * 500)
    (db / "CURRENT").write_text("000001-aaaaaaaa.duckdb")
    monkeypatch.setenv("YANPAN_DB", str(db))
    at = run_app("en")
    assert not at.exception
    assert "Cannot open the database" in at.error[0].value


def test_every_key_has_both_languages():
    for key, entry in i18n.STRINGS.items():
        assert set(entry) == set(i18n.LANGS), key
        assert all(v.strip() for v in entry.values()), key


def test_every_locale_file_is_read():
    """The strings are data beside the module: no file of analytics/locales is left unread."""
    files = sorted(p.stem for p in i18n.LOCALES.glob("*.toml"))
    assert files == sorted([*i18n.PAGES, "codes"])
    assert i18n.CODES["offices"]["局长"] == "Director"


def test_a_key_defined_twice_is_an_error(monkeypatch):
    monkeypatch.setattr(i18n, "_read", lambda page: {"app.title": {"zh": "甲", "en": "A"}})
    with pytest.raises(RuntimeError, match=r"i18n keys defined twice \(overview\).*app\.title"):
        i18n._load()


def test_an_import_shows_without_restart(app_on_sample, tmp_path):
    """Cached queries are keyed by the data version: a rerun after an import sees new data."""
    at = run_app("en")
    assert [m.value for m in at.metric][1] == "3"
    folder = tmp_path / "extra"
    write_sample_bundle(folder, ["areas"])
    (folder / "units.csv").write_text(
        "unit_id,name,unit_type,area_id\n0301,市新设单位,institution,02\n", encoding="utf-8"
    )
    import_bundle(folder, app_on_sample)
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric][1] == "4"
    # the new unit is offered by the shared unit filter at once
    assert "0301" in at.sidebar.selectbox(key="f_unit").options or any(
        "市新设单位" in o for o in at.sidebar.selectbox(key="f_unit").options
    )


def test_filters_come_from_the_url_and_go_back_to_it(app_on_sample):
    at = run_app_with(period="2026Q1", unit="0102")
    assert not at.exception
    assert at.sidebar.selectbox(key="f_period").value == "2026Q1"
    assert at.sidebar.selectbox(key="f_unit").value == "0102"
    assert at.query_params["period"] in ("2026Q1", ["2026Q1"])
    # a unit from the URL that does not exist is ignored, not an error
    at = run_app_with(unit="9999", period="1999Q1")
    assert not at.exception
    assert at.sidebar.selectbox(key="f_unit").value == ""
    assert at.sidebar.selectbox(key="f_period").value == "2026Q2"  # the latest


def run_app_with(**params) -> AppTest:
    return app_test("data", None, **params).run()


@pytest.fixture(scope="module")
def partial_db(tmp_path_factory):
    """Reference tables and talks only: the contract allows a bundle without ballots."""
    base = tmp_path_factory.mktemp("partial")
    bundle = write_sample_bundle(
        base / "bundle", ["areas", "units", "cadres", "periods", "talks", "talk_mentions"]
    )
    import_bundle(bundle, base / "db")
    return base / "db"


@pytest.mark.parametrize("page", ["overview", "team", "portrait", "anomalies", "talks", "data"])
def test_every_page_survives_a_database_without_scores(partial_db, monkeypatch, page):
    monkeypatch.setenv("YANPAN_DB", str(partial_db))
    for params in ({}, {"unit": "0101"}):
        at = app_test(page, "en", **params).run()
        assert not at.exception, (page, params, at.exception)
        assert not at.error, (page, params, [e.value for e in at.error])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_is_titled_labelled_and_set_in_a_cjk_font(app_on_demo, lang):
    """Each page's figures (overview, team, portrait, talks; anomalies has its own tests per
    tab): a title, a font family that renders Chinese, and axis titles on cartesian charts."""
    from tests.apptest import plotly_specs

    views = [
        ("overview", {}),
        ("overview", {"area": "02"}),
        ("team", {"unit": "0202"}),
        ("portrait", {"unit": "0202", "cadre": "0202001"}),
        ("talks", {}),
        ("anomalies", {}),
    ]
    seen = 0
    for page, params in views:
        at = app_test(page, lang, **params).run()
        assert not at.exception, (page, at.exception)
        for spec in plotly_specs(at):
            layout = spec["layout"]
            assert layout["title"]["text"].strip(), (page, layout.get("title"))
            assert "Noto Sans CJK" in layout["font"]["family"], page
            kinds = {d.get("type", "scatter") for d in spec["data"]}
            if kinds & {"bar", "box", "scatter", "heatmap", "histogram"} and "xaxis" in layout:
                titled = [
                    layout[a].get("title", {}).get("text")
                    for a in ("xaxis", "yaxis")
                    if a in layout
                ]
                assert any(titled), (page, layout["title"]["text"])
            seen += 1
    assert seen >= 10
