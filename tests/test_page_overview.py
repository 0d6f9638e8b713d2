"""Overview page (总览): city → area → unit drill-down, headline figures, composite
distribution, flags by severity, movers and data coverage, on the planted city demo (and the
two-period sample for the first-period behaviour)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics import i18n, privacy, results, status
from analytics import views as views_pkg
from analytics.store import Store, connect
from analytics.views import overview as ov
from tests.apptest import app_test, plotly_specs, texts

P = "2026Q3"
PREV = "2026Q2"


# ---- expectations straight from the result tables ----------------------------------------
def scope_units(con, area=None, unit=None) -> list[str]:
    df = con.execute("SELECT unit_id, area_id FROM units ORDER BY unit_id").df()
    if area:
        df = df[df["area_id"] == area]
    if unit:
        df = df[df["unit_id"] == unit]
    return list(df["unit_id"])


def expected_flags(con, period, area=None, unit=None) -> dict[str, int]:
    """r.flags of the period (and pooled, period NULL) whose unit is in scope; flags without
    a unit count city-wide only."""
    fl = con.execute("SELECT period_id, unit_id, severity FROM r.flags").df()
    fl = fl[(fl["period_id"] == period) | fl["period_id"].isna()]
    units = set(scope_units(con, area, unit))
    city = area is None and unit is None
    keep = fl["unit_id"].isin(units) | (fl["unit_id"].isna() & city)
    counts = fl[keep]["severity"].value_counts()
    return {s: int(counts.get(s, 0)) for s in ("critical", "warning", "info")}


def expected_verdicts(con, period, area=None, unit=None) -> dict[str, int]:
    th = con.execute(
        "SELECT unit_id, verdict FROM r.team_health WHERE period_id = ?", [period]
    ).df()
    th = th[th["unit_id"].isin(scope_units(con, area, unit))]
    counts = th["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in ("good", "watch", "concern")}


def team_composites(con, period) -> pd.DataFrame:
    return con.execute(
        "SELECT unit_id, team_composite, composite_change, change_clear "
        "FROM r.team_health WHERE period_id = ?",
        [period],
    ).df()


def metric_values(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def frame(at, key: str) -> pd.DataFrame:
    for df in at.dataframe:
        if df.key == key:
            return df.value
    raise AssertionError(f"no table {key}: {[d.key for d in at.dataframe]}")


def select_row(at, key: str, row: int):
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


@pytest.fixture(scope="module")
def con(demo_db):
    """A read-model connection on the planted demo (like ``demo_views``, but able to live
    beside the app's own connection to the same file)."""
    store = Store(demo_db)
    path = results.ensure_results(store)  # computes (on its own connection) before we open
    c = views_pkg.attach_results(connect(store.require(), read_only=True), path)
    yield c
    c.close()


@pytest.fixture
def demo(app_on_demo, con):
    return con


# ---- city level ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_city_level_in_both_languages(demo, lang):
    at = app_test("overview", lang, period=P).run()
    assert not at.exception
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    assert at.title[0].value == t("nav.overview")
    heads = [s.value for s in at.subheader]
    for key in (
        "overview.areas.title",
        "overview.dist.section",
        "overview.flags.section",
        "overview.movers.title",
        "overview.coverage.title",
    ):
        assert t(key) in heads, key
    # headline: units, verdicts and flags of the whole city from the result tables
    values = [v for _, v in metric_values(at)]
    verdicts = expected_verdicts(demo, P)
    flags = expected_flags(demo, P)
    assert values[0] == "103"
    assert values[3:6] == [str(verdicts[v]) for v in ("good", "watch", "concern")]
    assert values[6:9] == [str(flags[s]) for s in ("critical", "warning", "info")]
    median = demo.execute(
        "SELECT median(team_composite) FROM r.team_health WHERE period_id = ?", [P]
    ).fetchone()[0]
    assert values[1] == f"{median:.1f}"
    labels = [label for label, _ in metric_values(at)]
    assert labels[3:6] == [t(f"verdict.{v}") for v in ("good", "watch", "concern")]
    assert labels[6:9] == [t(f"severity.{s}") for s in ("critical", "warning", "info")]
    # one row per area with its units and verdict counts
    areas = frame(at, "overview_areas")
    assert len(areas) == 12
    assert list(areas["area_id"]) == [f"{i:02d}" for i in range(1, 13)]
    assert areas["units"].sum() == 103
    assert areas[["good", "watch", "concern"]].sum().to_dict() == verdicts
    # area flag counts add up to the city's, less the unit-less (pooled population) flags
    unitless = demo.execute(
        "SELECT count(*) FROM r.flags WHERE unit_id IS NULL AND "
        "(period_id = ? OR period_id IS NULL)",
        [P],
    ).fetchone()[0]
    assert areas[["critical", "warning", "info"]].to_numpy().sum() + unitless == sum(flags.values())
    # two figures with titles and axis titles in the user's language
    specs = plotly_specs(at)
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert titles[0] == t(
        "overview.dist.title", period=views_pkg.period_label(P, "2026年第三季度", lang)
    )
    assert titles[1].startswith(t("overview.flags.title", scope="X", period="Y")[:4])
    for spec in specs:
        assert spec["layout"]["xaxis"]["title"]["text"]
        assert spec["layout"]["yaxis"]["title"]["text"]
    assert specs[0]["layout"]["xaxis"]["title"]["text"] == t("overview.dist.x")
    assert specs[1]["layout"]["xaxis"]["title"]["text"] == t("overview.flags.x")


def test_distribution_holds_every_team_and_highlights_the_area(demo):
    at = app_test("overview", "en", period=P, area="06").run()
    spec = plotly_specs(at)[0]
    boxes = [d for d in spec["data"] if d["type"] == "box"]
    assert len(boxes) == 12
    assert sum(len(b["x"]) for b in boxes) == 103
    by_name = {b["name"]: b for b in boxes}
    sixth = by_name[i18n.code("area", "第六考察责任区", "en")]  # areas in English
    expected = team_composites(demo, P).merge(
        demo.execute("SELECT unit_id FROM units WHERE area_id = '06'").df()
    )
    assert sorted(sixth["x"]) == pytest.approx(sorted(expected["team_composite"]))
    colours = {b["marker"]["color"] for b in boxes}
    assert len(colours) == 2  # the chosen area in colour, the others grey
    first = by_name[i18n.code("area", "第一考察责任区", "en")]
    assert sixth["marker"]["color"] != first["marker"]["color"]


# ---- city → area → unit ------------------------------------------------------------------
def test_selecting_an_area_row_drills_into_that_area(demo):
    at = app_test("overview", "en", period=P).run()
    areas = frame(at, "overview_areas")
    row = list(areas["area_id"]).index("05")
    at = select_row(at, "overview_areas", row)
    assert not at.exception
    assert at.query_params["area"] in ("05", ["05"])
    assert at.sidebar.selectbox(key="f_area").value == "05"
    units = frame(at, "overview_units")
    assert list(units["unit_id"]) == scope_units(demo, "05")
    values = [v for _, v in metric_values(at)]
    assert values[0] == "9"
    verdicts = expected_verdicts(demo, P, "05")
    assert values[3:6] == [str(verdicts[v]) for v in ("good", "watch", "concern")]
    flags = expected_flags(demo, P, "05")
    assert values[6:9] == [str(flags[s]) for s in ("critical", "warning", "info")]
    gaps = [d.value for d in at.dataframe if "missing" in d.value and "area_name" in d.value]
    assert [list(g["unit_id"]) for g in gaps] == [["0507"]]


def test_area_filter_lists_its_units_and_a_row_opens_the_team_page(demo):
    at = app_test("overview", "en", period=P, area="02").run()
    assert not at.exception
    assert f"Units of {i18n.code('area', '第二考察责任区', 'en')}" in [
        s.value for s in at.subheader
    ]
    units = frame(at, "overview_units")
    assert list(units["unit_id"]) == [f"02{i:02d}" for i in range(1, 10)]
    th = team_composites(demo, P).set_index("unit_id")
    assert units.set_index("unit_id")["composite"].to_dict() == pytest.approx(
        th.loc[units["unit_id"], "team_composite"].to_dict()
    )
    # the party school: the planted fall, a concern, beyond the interval
    school = units.set_index("unit_id").loc["0202"]
    assert school["verdict"] == "Needs close attention"
    assert school["change"] == pytest.approx(th.loc["0202", "composite_change"])
    assert school["change"] < -15 and bool(school["change_clear"])
    lo, hi, peers = demo.execute(
        "SELECT team_rank_low, team_rank_high, peer_size FROM r.team_health "
        "WHERE period_id = ? AND unit_id = '0202'",
        [P],
    ).fetchone()
    assert school["rank_interval"] == f"{lo}–{hi}" and school["peer_size"] == peers == 19
    assert "fell 16.3 points" in school["reasons"]
    # the breadcrumb leads back to the city
    assert at.button(key="overview_crumb_city").label == "City"
    at = select_row(at, "overview_units", 1)
    assert not at.exception
    assert at.query_params["unit"] in ("0202", ["0202"])
    assert at.title[0].value != "Overview"  # the team page


def test_unit_card_and_the_way_back_up(demo):
    at = app_test("overview", "en", period=P, unit="0202").run()
    assert not at.exception
    assert "市委党校" in [s.value for s in at.subheader]
    m = dict(metric_values(at))
    assert m["Verdict"] == "Needs close attention"
    row = demo.execute(
        "SELECT team_composite, team_rank, peer_size FROM r.team_health "
        "WHERE period_id = ? AND unit_id = '0202'",
        [P],
    ).fetchone()
    assert m["Team composite"] == f"{row[0]:.1f}"
    assert m["Rank among peers"] == f"{row[1]} of {row[2]}"
    assert m["Change"] == "-16.3"
    assert m["Flags"] == str(sum(expected_flags(demo, P, unit="0202").values()))
    body = texts(at)
    assert "Team composite fell 16.3 points since 2026Q2" in body
    assert "Ballots high but results low" in body  # its source_divergence flag
    members = frame(at, "overview_members")
    team = demo.execute(
        "SELECT cadre_id FROM cadres WHERE unit_id = '0202' AND tier = 'team' ORDER BY cadre_id"
    ).df()["cadre_id"]
    assert sorted(members["cadre_id"]) == list(team)
    links = [(p.proto.label, p.proto.page) for p in at.get("page_link")]
    assert any(label == "Team health details" for label, _ in links)
    # the chart marks the unit
    stars = [d for d in plotly_specs(at)[0]["data"] if d["type"] == "scatter"]
    assert stars and stars[0]["x"] == pytest.approx([row[0]])
    # up one level: the area of the unit; then the city
    at.button(key="overview_crumb_area").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="f_unit").value == ""
    assert at.sidebar.selectbox(key="f_area").value == "02"
    assert len(frame(at, "overview_units")) == 9
    at.button(key="overview_crumb_city").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="f_area").value == ""
    assert len(frame(at, "overview_areas")) == 12


def test_a_member_row_opens_the_portrait(demo):
    at = app_test("overview", "zh", period=P, unit="0202").run()
    members = frame(at, "overview_members")
    at = select_row(at, "overview_members", 3)
    assert not at.exception
    assert at.query_params["cadre"] in (members["cadre_id"].iloc[3], [members["cadre_id"].iloc[3]])
    assert at.title[0].value != i18n.t("nav.overview", "zh")


def test_period_filter_changes_the_headline(demo):
    at = app_test("overview", "en", period=P).run()
    before = [v for _, v in metric_values(at)]
    at.sidebar.selectbox(key="f_period").set_value(PREV).run()
    assert not at.exception
    after = [v for _, v in metric_values(at)]
    verdicts = expected_verdicts(demo, PREV)
    assert after[3:6] == [str(verdicts[v]) for v in ("good", "watch", "concern")]
    assert after != before


# ---- anonymity floor -----------------------------------------------------------------------
def test_a_sheet_flag_of_a_small_rater_group_does_not_name_it(demo):
    """Unit 0206 has a misfit-ballot flag on a sheet of a rater group with 3 sheets: the
    detector leaves the group out, so the card shows the flag without saying who cast it."""
    n = demo.execute(
        "SELECT count(DISTINCT ballot_id) FROM ballots WHERE period_id = ? AND "
        "unit_id = '0206' AND rater_group = 'retired'",
        [P],
    ).fetchone()[0]
    assert n < privacy.floor()
    card = ov.unit_card(demo, P, "0206")
    sheets = card["flags"][card["flags"]["subject_type"] == "ballot"]
    assert len(sheets) and sheets["rater_group"].isna().all()
    assert not sheets["suppressed"].any() and sheets["evidence"].notna().all()
    at = app_test("overview", "en", period=P, unit="0206").run()
    assert not at.exception
    body = texts(at)
    assert "retired" not in body and sheets["evidence"].iloc[0] in body


def test_raising_the_floor_hides_group_flag_evidence(con, monkeypatch):
    """A favouritism flag of a rater group with n sheets: its evidence is shown while
    n >= k and hidden once the floor is raised above n."""
    period, unit, group, n = con.execute("""
        SELECT f.period_id, f.unit_id, f.rater_group, count(DISTINCT b.ballot_id)
        FROM r.flags f JOIN ballots b USING (period_id, unit_id, rater_group)
        WHERE f.flag_type = 'favoritism' GROUP BY ALL ORDER BY 4, 1, 2 LIMIT 1""").fetchone()
    assert privacy.floor() <= n

    def favour(card):
        return card["flags"][
            (card["flags"]["flag_type"] == "favoritism") & (card["flags"]["rater_group"] == group)
        ]

    shown = favour(ov.unit_card(con, period, unit))
    assert len(shown) and not shown["suppressed"].any() and shown["evidence"].notna().all()
    monkeypatch.setattr(privacy, "floor", lambda: n + 1)
    hidden = favour(ov.unit_card(con, period, unit))
    assert hidden["suppressed"].all() and hidden["evidence"].isna().all()
    assert hidden["evidence_zh"].isna().all()


# ---- views against the result tables --------------------------------------------------------
@pytest.mark.parametrize(
    ("period", "area", "unit"),
    [
        (P, None, None),
        (P, "02", None),
        (P, "06", None),
        ("2025Q4", None, None),
        (P, None, "0202"),
        ("2026Q1", "10", None),
    ],
)
def test_flags_by_severity_equal_r_flags_for_the_scope(con, period, area, unit):
    expected = expected_flags(con, period, area, unit)
    counts = ov.flag_counts(con, period, area, unit)
    got = counts.groupby("severity")["n"].sum().to_dict()
    assert {s: int(got.get(s, 0)) for s in expected} == expected
    head = ov.headline(con, period, area, unit)
    assert head["flags"] == expected
    assert head["verdicts"] == expected_verdicts(con, period, area, unit)
    assert head["units"] == len(scope_units(con, area, unit))
    # the pooled population flag (group_bias, period NULL) counts city-wide only
    pooled = set(counts["flag_type"]) >= {"group_bias"}
    assert pooled == (area is None and unit is None)


def test_movers_are_consistent_with_the_scores(con):
    m = ov.movers(con, P, None, None, 5, False)
    assert m["prev_period"] == PREV
    sc = con.execute(
        "SELECT period_id, subject_id, peer_group, composite, ci_low, ci_high FROM r.scores "
        "WHERE subject_type = 'cadre' AND period_id IN (?, ?)",
        [P, PREV],
    ).df()
    now = sc[sc["period_id"] == P].set_index("subject_id")
    before = sc[sc["period_id"] == PREV].set_index("subject_id")
    both = now.merge(before, left_index=True, right_index=True, suffixes=("", "_prev"))
    both = both[both["peer_group"] == both["peer_group_prev"]]
    change = (both["composite"] - both["composite_prev"]).sort_values()
    assert m["cadres_compared"] == len(both)
    assert list(m["cadres_down"]["cadre_id"]) == list(change.index[:5])
    assert list(m["cadres_up"]["cadre_id"]) == list(change.index[::-1][:5])
    for _, row in pd.concat([m["cadres_up"], m["cadres_down"]]).iterrows():
        b = both.loc[row["cadre_id"]]
        assert row["change"] == pytest.approx(b["composite"] - b["composite_prev"])
        assert row["prev_composite"] == pytest.approx(b["composite_prev"])
        se = math.hypot(
            (b["ci_high"] - b["ci_low"]) / (2 * 1.6448536),
            (b["ci_high_prev"] - b["ci_low_prev"]) / (2 * 1.6448536),
        )
        assert bool(row["change_clear"]) == (abs(row["change"]) / se >= 1.6448536)
    # teams: team_health's change and its bootstrap test
    th = team_composites(con, P).dropna(subset=["composite_change"])
    th = th.sort_values("composite_change")
    assert list(m["teams_down"]["unit_id"]) == list(th["unit_id"][:5])
    assert list(m["teams_down"]["unit_id"][:2]) == ["0606", "0202"]
    assert m["teams_clear"] == int(th["change_clear"].sum())
    # only the clear changes
    clear = ov.movers(con, P, None, None, 5, True)
    for key in ("teams_up", "teams_down", "cadres_up", "cadres_down"):
        assert clear[key]["change_clear"].all()
    # a scope keeps its own people
    area = ov.movers(con, P, "06", None, 5, False)
    assert set(area["cadres_down"]["unit_id"]) <= set(scope_units(con, "06"))
    assert area["teams_down"]["unit_id"].iloc[0] == "0606"


def test_movers_on_the_page_link_to_portraits(demo):
    at = app_test("overview", "en", period=P).run()
    m = ov.movers(demo, P, None, None, 5, False)
    fallers = frame(at, "overview_cadres_down")
    assert list(fallers["cadre_id"]) == list(m["cadres_down"]["cadre_id"])
    assert list(frame(at, "overview_teams_down")["unit_name"][:2]) == ["市农业农村局", "市委党校"]
    assert f"{m['teams_clear']} of {m['teams_compared']} teams" in texts(at)
    # only the changes beyond the interval
    at.toggle(key="overview_movers_clear").set_value(True).run()
    assert not at.exception
    for key in ("overview_teams_up", "overview_teams_down", "overview_cadres_up"):
        assert frame(at, key)["change_clear"].all()
    at.toggle(key="overview_movers_clear").set_value(False).run()
    at = select_row(at, "overview_cadres_down", 0)
    assert not at.exception
    assert at.query_params["cadre"] in (fallers["cadre_id"].iloc[0], [fallers["cadre_id"].iloc[0]])


def test_coverage_is_the_status_gaps_of_the_scope(con):
    gaps = status.missing_channels(con, P)
    city = ov.coverage(con, P)
    assert list(city["gaps"]["unit_id"]) == list(gaps["unit_id"])
    assert city["complete"] == 103 - len(gaps)
    third = city["channels"].set_index("channel").loc["third_party", "covered"]
    assert third == 103 - sum("third_party" in m for m in gaps["missing"])
    area = ov.coverage(con, P, "10")
    assert list(area["gaps"]["unit_id"]) == [u for u in gaps["unit_id"] if u.startswith("10")]
    assert area["units"] == 8
    one = ov.coverage(con, P, None, "1002")
    assert list(one["gaps"]["missing"].iloc[0]) == ["superior_opinions", "third_party"]
    assert one["share"] == pytest.approx(6 / 8)


# ---- first period ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_period_says_there_is_no_previous_period(app_on_sample, lang):
    at = app_test("overview", lang, period="2026Q1").run()
    assert not at.exception
    label = "2026年第一季度" if lang == "zh" else "2026Q1"
    assert i18n.t("overview.movers.first", lang, period=label) in [i.value for i in at.info]
    assert not any(d.key and d.key.startswith("overview_cadres") for d in at.dataframe)
    assert at.metric[0].value == "3"
    assert all(not m.proto.delta for m in at.metric)  # no delta without a previous period
    # the second period compares with the first, with deltas
    at.sidebar.selectbox(key="f_period").set_value("2026Q2").run()
    assert not at.exception
    assert not at.info
    compared = "与2026年第一季度相比" if lang == "zh" else "Compared with 2026Q1"
    assert any(c.value.startswith(compared) for c in at.caption)
    assert any(m.proto.delta for m in at.metric)
    # one unit per type: every composite is the peer mean 50, so nothing moved
    assert i18n.t("overview.movers.none", lang) in [c.value for c in at.caption]
