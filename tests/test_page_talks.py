"""The Talks page (谈话): its read model checked against counts taken directly from the raw
tables of the planted city demo, and the page in both languages with its filters."""

from __future__ import annotations

import gc

import pandas as pd
import pytest
import streamlit as st

from analytics import config, i18n, results
from analytics.store import Store, connect
from analytics.views import attach_results
from analytics.views import talks as v
from tests.apptest import app_test, plotly_specs, run_page, texts

PERIOD = "2026Q3"
# the demo's planted talk coverage gaps (demo_answer_key.csv): unit -> uncovered cadres
PLANTED_GAPS = {
    "0108": {"0108002", "0108006"},
    "0205": {"0205002"},
    "1101": {"1101007"},
    "1106": {"1106013"},
}
PLANTED_RUSHED = {"0807", "1006"}  # rushed rounds (about 80 % of talks 8–18 minutes)
CONFLICT_CADRE, CONFLICT_UNIT = "0109003", "0109"  # top ballots, 7 of 8 mentions negative


def raw(con, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def window_talks(con, period_id: str) -> pd.DataFrame:
    """The talks of the twelve months ending with the period, taken from the raw table."""
    end = pd.Timestamp(
        raw(con, "SELECT end_date FROM periods WHERE period_id = ?", [period_id])["end_date"].iloc[
            0
        ]
    )
    talks = raw(con, "SELECT * FROM talks")
    talks["talk_date"] = pd.to_datetime(talks["talk_date"])
    return talks[(talks["talk_date"] > end - pd.Timedelta(days=365)) & (talks["talk_date"] <= end)]


def direct_coverage(con, period_id: str, area_id: str | None = None) -> pd.DataFrame:
    """Required cadres with a `heard` column, counted in pandas from cadres and talks."""
    talks = window_talks(con, period_id)
    cadres = raw(con, "SELECT c.*, u.area_id FROM cadres c JOIN units u USING (unit_id)")
    req = cadres[cadres["tier"].isin(["team", "middle", "subordinate_head"])].copy()
    if area_id:
        req = req[req["area_id"] == area_id]
    req["heard"] = req["cadre_id"].isin(set(talks["interviewee_id"].dropna()))
    return req


# ---- the read model against the raw tables -------------------------------------------------
@pytest.fixture(scope="class")
def views(demo_db):
    """A read-model connection on the demo."""
    store = Store(demo_db)
    path = results.ensure_results(store)  # before connecting: it opens the file otherwise
    con = attach_results(connect(store.require(), read_only=True), path)
    yield con
    con.close()


@pytest.fixture
def floor(monkeypatch):
    """Raise the anonymity floor k for one test."""

    def set_k(k: int) -> None:
        monkeypatch.setenv("YANPAN_PRIVACY_MIN_GROUP_SHEETS", str(k))
        config.settings.cache_clear()

    yield set_k
    monkeypatch.delenv("YANPAN_PRIVACY_MIN_GROUP_SHEETS", raising=False)
    config.settings.cache_clear()


class TestReadModel:
    def test_coverage_equals_a_direct_count(self, views):
        req = direct_coverage(views, PERIOD)
        cov = v.coverage(views, PERIOD)
        tot = cov["totals"]
        assert tot["required"] == len(req) == 1987
        assert tot["covered"] == int(req["heard"].sum()) == 1982
        assert tot["share"] == pytest.approx(1982 / 1987)
        assert tot["units"] == 103 and tot["units_with_mandate"] == 103
        assert tot["talks"] == len(window_talks(views, PERIOD)) == 2305
        per_unit = req.groupby("unit_id")["heard"].all()
        assert tot["units_full"] == int(per_unit.sum()) == 99
        assert tot["units_gap"] == 4 and tot["units_no_talk"] == 0
        # by tier and by area × tier
        by_tier = req.groupby("tier")["heard"].agg(["size", "sum"])
        got = cov["by_tier"].set_index("tier")
        assert list(got.index) == ["team", "middle", "subordinate_head"]
        for tier, row in by_tier.iterrows():
            assert (got.loc[tier, "required"], got.loc[tier, "covered"]) == (
                row["size"],
                row["sum"],
            )
        by_area = req.groupby(["area_id", "tier"])["heard"].agg(["size", "sum"])
        got = cov["by_area_tier"].set_index(["area_id", "tier"])
        assert len(got) == len(by_area)
        for key, row in by_area.iterrows():
            assert (got.loc[key, "required"], got.loc[key, "covered"]) == (row["size"], row["sum"])
        assert cov["by_area"]["required"].sum() == 1987
        assert cov["by_area"]["missing"].sum() == 5

    def test_gaps_are_the_planted_units_with_the_missing_tier(self, views):
        gaps = v.coverage(views, PERIOD)["gaps"].set_index("unit_id")
        assert set(gaps.index) == set(PLANTED_GAPS)
        assert gaps.loc["0108", "missing_team"] == 2 and gaps.loc["0108", "missing"] == 2
        assert gaps.loc["1101", "missing_middle"] == 1 and gaps.loc["1101", "missing_team"] == 0
        assert gaps.index[0] == "0108"  # the largest gap first
        for unit, cadres in PLANTED_GAPS.items():
            assert set(v.uncovered_cadres(views, PERIOD, unit)["cadre_id"]) == cadres
        assert v.uncovered_cadres(views, PERIOD, "0109").empty

    def test_filters_narrow_the_coverage(self, views):
        city = v.coverage(views, PERIOD)
        area = v.coverage(views, PERIOD, "01")
        req = direct_coverage(views, PERIOD, "01")
        assert area["totals"]["required"] == len(req) < city["totals"]["required"]
        assert area["totals"]["covered"] == int(req["heard"].sum())
        assert set(area["gaps"]["unit_id"]) == {"0108"}
        unit = v.coverage(views, PERIOD, None, "0108")["totals"]
        assert (unit["units"], unit["units_gap"], unit["required"] - unit["covered"]) == (1, 1, 2)

    def test_an_earlier_period_counts_only_its_twelve_months(self, views):
        """2025Q4 is the first loaded quarter: its window holds only that quarter's rounds."""
        win = v.talk_window(views, "2025Q4")
        assert win["partial"] and str(win["first_day"]) == "2025-01-01"
        req = direct_coverage(views, "2025Q4")
        tot = v.coverage(views, "2025Q4")["totals"]
        assert tot["covered"] == int(req["heard"].sum()) < 1982
        assert tot["talks"] == len(window_talks(views, "2025Q4")) < 2305
        assert tot["units_no_talk"] > 0
        assert not v.talk_window(views, PERIOD)["partial"]

    def test_durations_match_the_raw_talks(self, views):
        talks = window_talks(views, PERIOD)
        d = v.durations(views, PERIOD)
        by_tier = d["by_tier"].set_index("tier")
        assert set(by_tier.index) == set(talks["interviewee_tier"])
        for tier, g in talks.groupby("interviewee_tier"):
            assert by_tier.loc[tier, "talks"] == len(g)
            assert by_tier.loc[tier, "median"] == pytest.approx(g["duration_min"].median())
            assert by_tier.loc[tier, "q1"] == pytest.approx(g["duration_min"].quantile(0.25))
            assert by_tier.loc[tier, "max"] == g["duration_min"].max()
            assert by_tier.loc[tier, "short"] == int((g["duration_min"] < 20).sum())
        assert d["totals"]["short"] == int((talks["duration_min"] < 20).sum())
        assert d["totals"]["median"] == pytest.approx(talks["duration_min"].median())
        assert set(d["rushed"]["unit_id"]) == PLANTED_RUSHED
        assert (d["rushed"]["median"] < 20).all()

    def test_mentions_are_counted_by_subject_only(self, views):
        talks = window_talks(views, PERIOD)
        ments = raw(views, "SELECT * FROM talk_mentions")
        ments = ments[ments["talk_id"].isin(set(talks["talk_id"]))]
        m = v.mentions(views, PERIOD)
        assert m["hidden_units"] == 0 and m["k"] == 5
        assert m["topics"]["mentions"].sum() == len(ments)
        neg = m["topics"].query("stance == 'negative'")["mentions"].sum()
        assert neg == int((ments["stance"] == "negative").sum())
        assert m["units"]["mentions"].sum() == len(ments)
        assert list(m["topics"]["topic"].drop_duplicates()) == list(v.TOPICS)
        # nothing identifies a talk, an interviewee or what was said
        subj = v.subject_mentions(views, PERIOD, CONFLICT_UNIT)
        for frame in (m["topics"], m["units"], subj["subjects"], subj["topics"]):
            assert not {"talk_id", "interviewee_id", "interviewee_tier", "note"} & set(
                frame.columns
            )

    def test_the_planted_conflict_cadre_shows_mostly_negative_mentions(self, views):
        subj = v.subject_mentions(views, PERIOD, CONFLICT_UNIT)
        assert not subj["suppressed"]
        rows = subj["subjects"].set_index("subject_id")
        assert rows.index[0] == CONFLICT_UNIT and rows.iloc[0]["subject_type"] == "team"
        me = rows.loc[CONFLICT_CADRE]
        talk_ids = set(window_talks(views, PERIOD).query("unit_id == @CONFLICT_UNIT")["talk_id"])
        ments = raw(views, "SELECT * FROM talk_mentions WHERE subject_id = ?", [CONFLICT_CADRE])
        ments = ments[ments["talk_id"].isin(talk_ids)]
        assert me["mentions"] == len(ments) == 8
        assert me["negative"] == int((ments["stance"] == "negative").sum()) == 7
        assert sum(me["negative_topics"].values()) == 7
        assert subj["topics"]["mentions"].sum() == rows["mentions"].sum()

    def test_talk_flags_of_the_window_and_scope(self, views):
        flags = v.talk_flags(views, PERIOD)
        direct = raw(
            views,
            "SELECT * FROM r.flags WHERE flag_type IN ('talk_coverage_gap', 'talk_vote_conflict')",
        )
        assert len(flags) == len(direct) == 11  # the window holds all four quarters
        assert list(flags["severity"])[:3] == ["critical"] * 3
        conflict = flags.query("subject_id == @CONFLICT_CADRE").iloc[0]
        assert conflict["flag_type"] == "talk_vote_conflict" and conflict["cadre_name"]
        assert set(v.talk_flags(views, "2025Q4")["period_id"]) == {"2025Q4"}
        area = v.talk_flags(views, PERIOD, "01")
        assert set(area["unit_id"]) == {"0108", "0109"}
        assert set(v.talk_flags(views, PERIOD, None, "0108")["flag_type"]) == {"talk_coverage_gap"}

    def test_units_with_fewer_talks_than_the_floor_are_hidden(self, views, floor):
        talks = window_talks(views, PERIOD).groupby("unit_id").size()
        floor(20)
        m = v.mentions(views, PERIOD)
        assert m["hidden_units"] == int((talks < 20).sum()) > 0
        assert set(m["units"]["unit_id"]) == set(talks[talks >= 20].index)
        assert talks[CONFLICT_UNIT] < 20
        subj = v.subject_mentions(views, PERIOD, CONFLICT_UNIT)
        assert subj["suppressed"] and subj["subjects"].empty and subj["topics"].empty


# ---- the page --------------------------------------------------------------------------------
def table(at, column: str) -> pd.DataFrame | None:
    """The first table of the run holding ``column`` (AppTest keeps no key of a plain table)."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_in_both_languages(app_on_demo, lang):
    at = run_page("talks", lang, period=PERIOD)
    assert not at.exception
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    assert at.title[0].value == t("talks.title")
    heads = [s.value for s in at.subheader]
    assert heads == [
        t("talks.coverage.title"),
        t("talks.flags.title"),
        t("talks.durations.title"),
        t("talks.mentions.title"),
    ]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("talks.metric.covered")] == "99.7%"
    assert metrics[t("talks.metric.units_full")] == "99 / 103"
    assert metrics[t("talks.metric.units_gap")] == "4"
    assert metrics[t("talks.metric.talks")] == "2,305"
    specs = plotly_specs(at)
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert titles == [
        t("talks.chart.coverage"),
        t("talks.chart.durations"),
        t("talks.chart.topics"),
        t("talks.chart.units_top", n=20),
    ]
    for s in specs:
        assert s["layout"]["xaxis"]["title"]["text"] and s["layout"]["yaxis"]["title"]["text"]
    gaps = table(at, "missing_team")
    assert len(gaps) == 4 and "./talks?" in gaps["link"].iloc[0]
    assert len(table(at, "cadre_link")) == 11
    assert len(table(at, "team")) == 103
    assert t(
        "talks.caption",
        period="2026年第三季度" if lang == "zh" else PERIOD,
        first="2025-10-01",
        last="2026-09-30",
    ) in texts(at)


def test_choosing_a_unit_lists_who_was_not_heard(app_on_demo):
    at = run_page("talks", "en", period=PERIOD, unit="0108")
    assert not at.exception
    people = table(at, "anon_tier")
    assert len(people) == 2
    assert all(u.startswith("./portrait?") and "cadre=0108" in u for u in people["link"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Mandate covered"] == "81.8%" and metrics["Units with a gap"] == "1"
    assert table(at, "missing_team") is None


def test_a_unit_shows_mentions_per_cadre_with_portrait_links(app_on_demo):
    at = run_page("talks", "zh", period=PERIOD, unit=CONFLICT_UNIT)
    assert not at.exception
    subj = table(at, "negative_topics")
    me = subj[subj["link"].str.contains(f"cadre={CONFLICT_CADRE}")].iloc[0]
    assert (me["mentions"], me["negative"]) == (8, 7)
    assert subj["link"].iloc[0].startswith("./team?")  # the team first
    titles = [s["layout"]["title"]["text"] for s in plotly_specs(at)]
    assert i18n.t("talks.chart.subjects", "zh") in titles
    assert at.success  # nobody missing in this unit
    flags = table(at, "cadre_link")
    assert len(flags) == 1 and f"cadre={CONFLICT_CADRE}" in flags["cadre_link"].iloc[0]


def test_sidebar_filters_change_the_content(app_on_demo):
    at = app_test("talks", "en", period=PERIOD).run()
    at.sidebar.selectbox(key="f_area").set_value("01").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Units fully covered"] == "8 / 9"
    assert metrics["Talks (all interviewees)"] == "142"
    assert list(table(at, "missing_team")["missing"]) == [2]
    at.sidebar.selectbox(key="f_period").set_value("2025Q4").run()
    assert not at.exception
    assert "Data are loaded from 2025-10-01 only" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Talks (all interviewees)"] == "77"  # area 01 in 2025Q4 only


def test_the_floor_hides_mentions_on_the_page(app_on_sample, floor):
    """The sample's units hold 10 talks each in the window; a floor of 11 hides them."""
    at = run_page("talks", "en", period="2026Q2")
    assert not at.exception
    assert len(table(at, "team")) == 3
    # a new floor is a new configuration, whose analysis opens the snapshot with other
    # settings: let go of the cached read connection first, as a restarted server would
    del at
    st.cache_resource.clear()
    gc.collect()
    floor(11)
    at = run_page("talks", "en", period="2026Q2")
    assert not at.exception
    assert "3 unit(s) with fewer than 11 talks" in texts(at)
    assert table(at, "team") is None
    at = run_page("talks", "en", period="2026Q2", unit="0101")
    assert not at.exception
    assert "only 10 talk(s)" in texts(at)
    assert table(at, "negative_topics") is None


def test_a_database_without_talks_says_so(tmp_path, monkeypatch, clear_st_caches):
    from analytics.ingest import import_bundle
    from tests.sample import sample_tables, write_sample_bundle

    tables = [t for t in sample_tables() if t not in ("talks", "talk_mentions")]
    import_bundle(write_sample_bundle(tmp_path / "bundle", tables), tmp_path / "db")
    monkeypatch.setenv("YANPAN_DB", str(tmp_path / "db"))
    at = run_page("talks", "zh")
    assert not at.exception
    assert at.info[0].value == i18n.t("talks.no_talks", "zh")
    assert not at.metric and not plotly_specs(at)


def test_a_unit_without_talks_in_the_window(app_on_demo):
    """Unit 0105 held its round in 2026Q3: in 2025Q4's window nobody of it was heard."""
    at = run_page("talks", "en", period="2025Q4", unit="0105")
    assert not at.exception
    assert len(table(at, "anon_tier")) == 13
    assert i18n.t("talks.durations.none", "en") in texts(at)
    assert i18n.t("talks.mentions.none", "en") in texts(at)
