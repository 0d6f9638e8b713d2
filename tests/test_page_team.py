"""Team health page (班子运行): the read model on the planted city demo, and the page in both
languages (AppTest): the list of teams without a unit, one team's verdict and reasons, the
planted team effects, filters, the members table against r.scores, the anonymity floor."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from analytics import i18n, privacy
from analytics.views import team as tv
from tests.apptest import app_test, plotly_specs, run_page, texts

PLANTED = ("1005", "2026Q1")  # a team planted with self-inflation (answer key): concern


# ---- read model ----------------------------------------------------------------------------
def _th(con, period, unit=None):
    q = "SELECT * FROM r.team_health WHERE period_id = ?"
    args = [period]
    if unit:
        q += " AND unit_id = ?"
        args.append(unit)
    return con.execute(q, args).df()


def test_teams_by_concern_ranks_concern_then_watch_then_lowest_composite(demo_views):
    df = tv.teams_by_concern(demo_views, "2026Q1")
    th = _th(demo_views, "2026Q1")
    assert len(df) == len(th) == 103
    rank = df["verdict"].map({"concern": 0, "watch": 1, "good": 2})
    assert rank.is_monotonic_increasing
    for _, part in df.groupby("verdict"):
        assert part["team_composite"].dropna().is_monotonic_increasing
    concern = th[th["verdict"] == "concern"].sort_values("team_composite")
    assert df["unit_id"].iloc[0] == concern["unit_id"].iloc[0]
    assert "1005" in set(df["unit_id"].iloc[: len(concern)])  # the planted team is a concern
    top = df.iloc[0]
    assert top["ci"] == f"{top['team_ci_low']:.1f}–{top['team_ci_high']:.1f}"
    # the first reason is one of the team's own watch/concern reasons
    rs = tv.reasons(demo_views, "2026Q1", top["unit_id"])
    assert top["first_reason_en"] in set(rs.loc[rs["level"] != "info", "text_en"])
    assert pd.isna(df.loc[df["verdict"] == "good", "first_reason_en"]).all()
    # one area only
    area = tv.teams_by_concern(demo_views, "2026Q1", "10")
    assert set(area["area_id"]) == {"10"} and len(area) == (th["area_id"] == "10").sum()
    counts = tv.verdict_counts(demo_views, "2026Q1", "10")
    assert (
        counts
        == area["verdict"]
        .value_counts()
        .reindex(["concern", "watch", "good"], fill_value=0)
        .to_dict()
    )


def test_team_row_and_reasons_match_the_results(demo_views):
    row = tv.team(demo_views, *PLANTED[::-1])
    th = _th(demo_views, "2026Q1", "1005").iloc[0]
    assert row["verdict"] == th["verdict"] == "concern"
    assert row["team_composite"] == pytest.approx(th["team_composite"])
    assert row["area_name"] == "第十考察责任区" and row["period_label"] == "2026年第一季度"
    assert row["prev_period_id"] == "2025Q4" and row["prev_period_label"] == "2025年第四季度"
    assert tv.team(demo_views, "2026Q1", "9999") is None
    rs = tv.reasons(demo_views, "2026Q1", "1005")
    assert sorted(rs["code"]) == sorted(th["reason_codes"].split(";"))
    assert (rs["level"] == "concern").sum() == th["n_concern"]
    assert (rs["level"] == "watch").sum() == th["n_watch"]
    # grouped: each group's rows are contiguous, worst group first
    groups = list(rs["group"])
    assert groups == sorted(groups, key=lambda g: groups.index(g))
    assert rs["group_worst"].is_monotonic_increasing


def test_channels_against_the_peer_group(demo_views):
    ch = tv.channels_vs_peers(demo_views, "2026Q1", "1005")
    assert list(ch["channel"]) == list(tv.CHANNELS)
    assert ch["weight"].sum() == pytest.approx(100)
    sc = demo_views.execute(
        "SELECT * FROM r.scores WHERE period_id = '2026Q1' AND subject_type = 'team' "
        "AND peer_group = 'institution teams'"
    ).df()
    me = sc[sc["subject_id"] == "1005"].iloc[0]
    for _, r in ch.iterrows():
        vals = sc[r["channel"]].dropna()
        assert r["value"] == pytest.approx(me[r["channel"]])
        assert r["z"] == pytest.approx(me[f"z_{r['channel']}"])
        assert r["peers"] == len(vals)
        assert r["median"] == pytest.approx(vals.median())
        assert r["q1"] == pytest.approx(vals.quantile(0.25))
        assert r["p_min"] == pytest.approx(vals.min()) and r["p_max"] == pytest.approx(vals.max())
        mid = vals.rank(method="average")[vals.index[sc.loc[vals.index, "subject_id"] == "1005"]]
        assert r["pct"] == pytest.approx((mid.iloc[0] - 0.5) / len(vals) * 100)
    # the planted team is the lowest of its 22 peers on the democratic channel
    assert ch.loc[0, "value"] == pytest.approx(ch.loc[0, "p_min"])


def test_climate_against_peer_teams(demo_views):
    cl = tv.climate_vs_peers(demo_views, "2026Q1", "1005")
    th = _th(demo_views, "2026Q1")
    peers = th[th["unit_type"] == "institution"]
    assert list(cl["measure"]) == [
        "political",
        "leadership",
        "unity",
        "style",
        "integrity",
        "overall",
        "satisfaction",
    ]
    me = peers[peers["unit_id"] == "1005"].iloc[0]
    for _, r in cl.iterrows():
        col = r["measure"] if r["measure"] == "satisfaction" else f"climate_{r['measure']}"
        assert r["value"] == pytest.approx(me[col])
        assert r["pct"] == pytest.approx(me[f"{col}_pct"])
        assert r["median"] == pytest.approx(peers[col].median())
        assert r["peers"] == peers[col].notna().sum()
    assert cl.loc[cl["measure"] == "unity", "label_zh"].item() == "团结协作/民主集中制"


def test_rater_groups_respect_the_anonymity_floor(demo_views):
    k = privacy.floor()
    g = tv.rater_groups(demo_views, "2026Q3", "1005")
    raw = (
        demo_views.execute(
            "SELECT rater_group, count(DISTINCT ballot_id) AS n, avg((score - 1) / 3 * 100) AS pos "
            "FROM ballots WHERE period_id = '2026Q3' AND unit_id = '1005' "
            "AND subject_type = 'team' GROUP BY ALL"
        )
        .df()
        .set_index("rater_group")
    )
    assert dict(zip(g["rater_group"], g["sheets"], strict=True)) == raw["n"].to_dict()
    small = g["sheets"] < k
    assert small.any() and (~small).any()  # the demo has groups on both sides of the floor
    assert g.loc[small, "suppressed"].all() and (g.loc[small, "hidden_by"] == "floor").all()
    hidden = g[g["suppressed"]]
    assert hidden[["position", "difference"]].isna().all().all()
    # the two small groups hold 3 sheets together: the smallest other group (not the team
    # members) is hidden too, so that their pooled mean cannot be solved for
    assert hidden["sheets"].sum() >= k
    extra = hidden[hidden["hidden_by"] == "complement"]
    assert list(extra["rater_group"]) == ["retired"]
    for _, r in g[~g["suppressed"]].iterrows():
        assert r["position"] == pytest.approx(raw.loc[r["rater_group"], "pos"])
        assert r["difference"] == pytest.approx(r["position"] - r["city_position"])
    # in every team of the city: what is hidden is nothing or at least k sheets
    for unit in demo_views.execute("SELECT unit_id FROM units").df()["unit_id"]:
        g = tv.rater_groups(demo_views, "2026Q3", unit)
        n = g.loc[g["suppressed"], "sheets"].sum()
        assert n == 0 or n >= k, unit
        assert (g.loc[g["sheets"] < k, "suppressed"]).all(), unit


def test_trend_members_talks_and_flags(demo_views):
    tr = tv.trend(demo_views, "1005")
    assert list(tr["period_id"]) == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    sc = demo_views.execute(
        "SELECT period_id, composite FROM r.scores WHERE "
        "subject_type = 'team' AND subject_id = '1005'"
    ).df()
    assert np.allclose(
        tr["team_composite"], sc.set_index("period_id").loc[tr["period_id"], "composite"]
    )
    assert tr.loc[1, "change_clear"] and tr.loc[1, "composite_change"] < -8

    # talks: the topic counts add up to the team-health talk signals
    for period in ("2025Q4", "2026Q3"):
        for unit in ("1005", "0209", "0602"):
            topics = tv.talk_topics(demo_views, period, unit)
            row = _th(demo_views, period, unit).iloc[0]
            assert topics["total"].sum() == row["mentions"]
            assert topics["negative"].sum() == row["mentions_negative"]
            assert (
                topics[["negative", "neutral", "positive"]].sum(axis=1) == topics["total"]
            ).all()

    m = tv.members(demo_views, "2026Q1", "1005")
    cad = demo_views.execute(
        "SELECT cadre_id FROM cadres WHERE unit_id = '1005' AND tier = 'team'"
    ).df()
    assert set(m["cadre_id"]) == set(cad["cadre_id"])
    assert m["role"].iloc[0] == "principal"
    sc = demo_views.execute(
        "SELECT subject_id, composite, rank_low, rank_high FROM r.scores "
        "WHERE period_id = '2026Q1' AND subject_type = 'cadre'"
    ).df()
    sc = sc.set_index("subject_id").loc[m["cadre_id"]]
    assert np.allclose(m["composite"], sc["composite"])
    assert list(m["rank_interval"]) == [
        f"{a}–{b}" for a, b in zip(sc["rank_low"], sc["rank_high"], strict=True)
    ]

    # flag counts per member equal r.flags (a unit with cadre flags)
    fl = demo_views.execute(
        "SELECT subject_id, unit_id, period_id, severity FROM r.flags WHERE subject_type = 'cadre'"
    ).df()
    sid, unit, period = fl.iloc[0][["subject_id", "unit_id", "period_id"]]
    m = tv.members(demo_views, period, unit).set_index("cadre_id")
    mine = fl[(fl["subject_id"] == sid) & (fl["period_id"] == period)]
    for sev in ("critical", "warning", "info"):
        assert m.loc[sid, f"flags_{sev}"] == (mine["severity"] == sev).sum()

    f = tv.flags(demo_views, "2026Q1", "1005")
    assert "self_inflation" in set(f["flag_type"])
    assert f["severity"].map({"critical": 0, "warning": 1, "info": 2}).is_monotonic_increasing
    n = demo_views.execute(
        "SELECT count(*) FROM r.flags WHERE unit_id = '1005' AND "
        "(period_id = '2026Q1' OR period_id IS NULL)"
    ).fetchone()[0]
    assert len(f) == n


def test_settings(demo_views):
    s = tv.settings(demo_views)
    assert s["k"] == privacy.floor()
    assert s["z_q"] == pytest.approx(1.6449, abs=1e-3)


# ---- the page (AppTest) -----------------------------------------------------------------------
@pytest.fixture
def team_app(app_on_demo):
    """The dashboard on the planted demo (caches cleared)."""
    return app_on_demo


def _specs_titles(at) -> list[str]:
    return [s["layout"]["title"]["text"] for s in plotly_specs(at)]


# the page's tables, known by their first columns
TABLES = {
    "team_list": ["verdict", "unit_name", "open"],
    "team_members": ["name", "portrait"],
    "team_groups": ["rater_group", "sheets"],
    "team_channels": ["label", "weight"],
}


def _df(at, key):
    """The table ``key`` of the run (by its leading columns; None when absent)."""
    cols = TABLES[key]
    return next((d.value for d in at.dataframe if list(d.value.columns[: len(cols)]) == cols), None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_planted_team_shows_verdict_reasons_and_sections(team_app, demo_views, lang):
    at = run_page("team", lang, unit="1005", period="2026Q1")
    assert not at.exception
    t = lambda k, **v: i18n.t(k, lang, **v)  # noqa: E731
    assert at.title[0].value == t("team.title_unit", unit="市中医院")
    body = texts(at)
    # the verdict badge carries its word, and every reason is listed in the user's language
    assert t("verdict.concern") in body and t("team.verdict.label") in body
    reasons = tv.reasons(demo_views, "2026Q1", "1005")
    col = "text_zh" if lang == "zh" else "text_en"
    for text in reasons[col]:
        assert text in body
    for group in reasons["group"].unique():
        assert f"**{t(f'team.group.{group}')}**" in body
    missing = "本周期无个别谈话" if lang == "zh" else "no talks this period"
    assert missing in body
    # the header: type, area, period (label in Chinese, code in English)
    assert ("2026年第一季度" if lang == "zh" else "2026Q1") in body
    assert t("unit_type.institution") in body
    # headings of every section
    subheaders = [s.value for s in at.subheader]
    for key in (
        "reasons",
        "standing",
        "members",
        "cohesion",
        "structure",
        "climate",
        "trend",
        "talks",
        "flags",
    ):
        assert t(f"team.{key}.title") in subheaders
    # metrics: composite with its interval and rank among peers
    metrics = {m.label: m.value for m in at.metric}
    th = _th(demo_views, "2026Q1", "1005").iloc[0]
    assert metrics[t("team.metric.composite")] == f"{th['team_composite']:.1f}"
    assert metrics[t("score.ci")] == f"{th['team_ci_low']:.1f}–{th['team_ci_high']:.1f}"
    assert metrics[t("team.metric.rank")] == t("team.rank_value", rank=21, n=22)
    # charts: titled, with axis titles, in the user's language
    titles = _specs_titles(at)
    for key in (
        "team.channels.chart",
        "team.members.chart",
        "team.climate.chart",
        "team.trend.chart",
    ):
        assert t(key) in titles
    for spec in plotly_specs(at):
        assert spec["layout"]["xaxis"]["title"]["text"]
        assert spec["layout"]["yaxis"]["title"]["text"]
    # the planted self-inflation flag, with its evidence in the user's language
    f = tv.flags(demo_views, "2026Q1", "1005")
    ev = f.loc[
        f["flag_type"] == "self_inflation", "evidence_zh" if lang == "zh" else "evidence"
    ].item()
    assert ev.split("（")[0].split(" (")[0] in body
    assert t("flag.self_inflation") in body
    links = [el for el in at.get("page_link")]
    assert any(t("team.flags.link") == el.proto.label for el in links)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_members_table_matches_scores_and_links_to_portraits(team_app, demo_views, lang):
    at = run_page("team", lang, unit="1005", period="2026Q1")
    assert not at.exception
    table = _df(at, "team_members")
    sc = (
        demo_views.execute(
            "SELECT c.name, s.composite, s.ci_low, s.ci_high, s.rank_low, s.rank_high, c.cadre_id "
            "FROM cadres c JOIN r.scores s ON s.subject_id = c.cadre_id "
            "WHERE s.period_id = '2026Q1' AND s.subject_type = 'cadre' AND c.unit_id = '1005' "
            "AND c.tier = 'team'"
        )
        .df()
        .set_index("name")
        .loc[table["name"]]
    )
    assert np.allclose(table["composite"], sc["composite"])
    assert list(table["ci"]) == [
        f"{a:.1f}–{b:.1f}" for a, b in zip(sc["ci_low"], sc["ci_high"], strict=True)
    ]
    assert list(table["rank_interval"]) == [
        f"{a}–{b}" for a, b in zip(sc["rank_low"], sc["rank_high"], strict=True)
    ]
    assert table["role"].iloc[0] == i18n.t("role.principal", lang)
    for url, cid in zip(table["portrait"], sc["cadre_id"], strict=True):
        assert url.startswith("./portrait?") and f"cadre={cid}" in url
        assert "unit=1005" in url and "period=2026Q1" in url
        assert ("lang=en" in url) == (lang == "en")


def test_rater_group_breakdown_hides_groups_under_the_floor(team_app):
    at = run_page("team", "en", unit="1005", period="2026Q3")
    assert not at.exception
    groups = _df(at, "team_groups")
    k = privacy.floor()
    small = groups["sheets"] < k
    assert small.any()
    assert groups.loc[small, ["position", "difference"]].isna().all().all()
    assert set(groups.loc[small, "note"]) == {i18n.t("privacy.cell", "en", k=k)}
    retired = groups[groups["rater_group"] == i18n.t("group.retired", "en")].iloc[0]
    assert pd.isna(retired["position"]) and retired["note"] == i18n.t(
        "team.groups.complement", "en"
    )
    shown = groups[groups["position"].notna()]
    assert (shown["sheets"] >= k).all() and len(shown) == 4
    body = texts(at)
    assert i18n.t("privacy.suppressed", "en", k=k) in body
    assert i18n.t("team.groups.complement_note", "en", k=k) in body
    assert i18n.t("group.representative", "en") in set(groups["rater_group"])


def test_list_without_a_unit_ranks_teams_and_hints_the_filter(team_app, demo_views):
    for lang in ("zh", "en"):
        at = run_page("team", lang, period="2026Q1")
        assert not at.exception
        assert at.title[0].value == i18n.t("team.title", lang)
        assert i18n.t("filter.pick_unit", lang) in [i.value for i in at.info]
        table = _df(at, "team_list")
        assert len(table) == 103
        expected = tv.teams_by_concern(demo_views, "2026Q1")
        assert list(table["unit_name"]) == list(expected["unit_name"])
        assert table["verdict"].iloc[0].endswith(i18n.t("verdict.concern", lang))
        assert table["verdict"].iloc[-1].endswith(i18n.t("verdict.good", lang))
        reason = expected["first_reason_zh" if lang == "zh" else "first_reason_en"].iloc[0]
        assert table["reason"].iloc[0] == reason
        first = expected["unit_id"].iloc[0]
        assert table["open"].iloc[0].startswith("./team?") and f"unit={first}" in table["open"][0]
        counts = tv.verdict_counts(demo_views, "2026Q1")
        metrics = [m.value for m in at.metric]
        assert metrics == [str(counts[v]) for v in ("concern", "watch", "good")]
    # the area filter narrows the list
    at = app_test("team", "en", period="2026Q1", area="10").run()
    assert not at.exception
    assert len(_df(at, "team_list")) == 8


def test_filters_change_what_is_shown(team_app, demo_views):
    at = app_test("team", "en", unit="1005", period="2026Q1").run()
    assert not at.exception
    assert "Needs close attention" in texts(at)
    concern = tv.reasons(demo_views, "2026Q1", "1005")["text_en"].iloc[0]
    assert concern in texts(at)
    # a later period: the team recovered to "watch" with other reasons
    at.sidebar.selectbox(key="f_period").set_value("2026Q2").run()
    assert not at.exception
    body = texts(at)
    assert concern not in body
    for text in tv.reasons(demo_views, "2026Q2", "1005")["text_en"]:
        assert text in body
    th = _th(demo_views, "2026Q2", "1005").iloc[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Team composite"] == f"{th['team_composite']:.1f}"
    # another unit: another title and members
    at.sidebar.selectbox(key="f_unit").set_value("0209").run()
    assert not at.exception
    assert at.title[0].value == "Team health · 市妇女联合会"
    names = set(_df(at, "team_members")["name"])
    cad = demo_views.execute(
        "SELECT name FROM cadres WHERE unit_id = '0209' AND tier = 'team'"
    ).df()
    assert names == set(cad["name"])
    # talk signals follow the unit: the topic chart exactly when talks mention the team
    mentions = _th(demo_views, "2026Q2", "0209").iloc[0]["mentions"]
    assert ("Talk mentions by topic and stance" in _specs_titles(at)) == (mentions > 0)
    at.sidebar.selectbox(key="f_period").set_value("2026Q3").run()
    assert not at.exception
    th = _th(demo_views, "2026Q3", "0209").iloc[0]
    assert th["mentions"] > 0 and "Talk mentions by topic and stance" in _specs_titles(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Mentions of team and members"] == str(th["mentions"])
    assert metrics["Negative share"] == f"{th['share_negative']:.0%}"
    assert _df(at, "team_list") is None
    # back to all units: the list
    at.sidebar.selectbox(key="f_unit").select_index(0).run()
    assert not at.exception
    assert len(_df(at, "team_list")) == 103
    assert _df(at, "team_members") is None


@pytest.mark.parametrize(("flag", "lang"), [("self_inflation", "zh"), ("source_divergence", "en")])
def test_every_planted_team_effect_shows_a_concern_with_its_flag(team_app, demo_views, flag, lang):
    with open(team_app / "demo_answer_key.csv", encoding="utf-8") as fh:
        planted = [
            r for r in csv.DictReader(fh) if r["flag_type"] == flag and r["subject_type"] == "team"
        ]
    assert planted
    for p in planted:
        at = run_page("team", lang, unit=p["unit_id"], period=p["period_id"])
        assert not at.exception
        body = texts(at)
        th = _th(demo_views, p["period_id"], p["unit_id"]).iloc[0]
        assert th["verdict"] in ("watch", "concern")
        assert i18n.t(f"verdict.{th['verdict']}", lang) in body
        assert i18n.t(f"flag.{flag}", lang) in body
        first = tv.reasons(demo_views, p["period_id"], p["unit_id"])[
            "text_zh" if lang == "zh" else "text_en"
        ].iloc[0]
        assert first in body


def test_sample_database_every_unit_renders(app_on_sample):
    """The tiny sample: one team per unit type (the city is the comparison) and two
    team-member sheets per team, below the anonymity floor: no cohesion figures."""
    k = privacy.floor()
    for unit in ("0101", "0102", "0201"):
        for lang in ("zh", "en"):
            at = run_page("team", lang, unit=unit)
            assert not at.exception, (unit, lang)
            assert at.title[0].value.startswith(i18n.t("team.title", lang))
            floor = i18n.t("team.cohesion.floor", lang, n=2, k=k)
            assert any(i.value.endswith(floor) for i in at.info)
            assert _df(at, "team_members") is not None


def test_talk_mentions_of_fewer_than_k_talks_are_not_broken_down(team_app, demo_views, monkeypatch):
    """As on the Talks page, mentions pooled from fewer than k talks could be told apart by
    interviewee: the topic × stance counts are withheld and the page says why."""

    unit, period = "1005", "2025Q4"
    n = demo_views.execute(
        "SELECT count(*) FROM talks WHERE unit_id = ? AND period_id = ?", [unit, period]
    ).fetchone()[0]
    assert n >= privacy.floor()
    assert tv.talk_topics(demo_views, period, unit)["total"].sum() > 0
    monkeypatch.setattr(privacy, "floor", lambda: n + 1)
    assert tv.talk_topics(demo_views, period, unit).empty
    at = run_page("team", "en", unit=unit, period=period)
    assert not at.exception
    assert i18n.t("team.talks.hidden", "en", n=n, k=n + 1) in texts(at)
    assert i18n.t("team.talks.chart", "en") not in _specs_titles(at)
    assert i18n.t("team.talks.negative", "en") not in {m.label for m in at.metric}
