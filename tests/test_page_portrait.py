"""Cadre portrait page: AppTest in both languages on the planted city demo, deep links, the
anonymity floor, view functions against the raw ballots, and the summary templates."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest

from analytics import i18n, privacy
from analytics.views import portrait as pv
from analytics.views import portrait_summary as ps
from tests.apptest import app_test, plotly_specs, run_page, texts

# planted demo (seed 7): self-inflation of cadre 0803001 in 2026Q3; 0104002 is the subject of
# a targeted rating by 12 of 18 staff sheets in 2026Q3, and its unit's subordinate-unit
# heads, team members and retired cadres cast fewer than 5 sheets each
SELF = ("0803001", "0803", "2026Q3")
TARGET = ("0104002", "0104", "2026Q3")
# subordinate-unit heads cast 2 sheets about cadre 0103001 in 2026Q3: one more group must
# be hidden with them (secondary suppression)
SECONDARY = ("0103001", "0103", "2026Q3")


def answer_key(demo_db) -> list[dict]:
    with open(demo_db / "demo_answer_key.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def name_of(con, cadre_id: str) -> str:
    return con.execute("SELECT name FROM cadres WHERE cadre_id = ?", [cadre_id]).fetchone()[0]


# the page's tables by their leading columns (AppTest does not expose a dataframe's key)
TABLES = {
    "portrait_channels": ["label", "value", "z"],
    "portrait_dimensions": ["label", "mean", "n_marks"],
    "portrait_groups": ["label", "n_sheets", "mean_text"],
    "portrait_trend": ["label", "composite", "ci_low"],
    "portrait_portfolio": ["indicator", "score"],
    "portrait_talks": ["topic", "positive"],
}


def frame(at, key: str) -> pd.DataFrame:
    cols = TABLES[key]
    for df in at.dataframe:
        if list(df.value.columns[: len(cols)]) == cols:
            return df.value
    raise AssertionError(f"no table {key}: {[list(d.value.columns) for d in at.dataframe]}")


def summary_text(at) -> str:
    md = [str(m.value) for m in at.markdown]
    return max(md, key=len)


# ---- the page ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_in_both_languages(app_on_demo, demo_views, lang):
    cadre, unit, period = SELF
    at = run_page("portrait", lang, cadre=cadre, unit=unit, period=period)
    assert not at.exception
    assert at.title[0].value == i18n.t("portrait.title", lang)
    assert at.header[0].value == name_of(demo_views, cadre)
    subheaders = " ".join(s.value for s in at.subheader)
    for key in (
        "summary.title",
        "standing.title",
        "dims.title",
        "groups.title",
        "trend.title",
        "portfolio.title",
        "talks.title",
        "flags.title",
    ):
        assert i18n.t(f"portrait.{key}", lang) in subheaders, key
    # every figure has a title in the language, and axis titles (the radar names its axis
    # in an annotation)
    specs = plotly_specs(at)
    titles = [s["layout"]["title"]["text"] for s in specs]
    for key in ("channels.chart", "dims.chart", "self.chart", "groups.chart", "portfolio.chart"):
        assert i18n.t(f"portrait.{key}", lang) in titles, key
    assert i18n.t("portrait.trend.chart", lang, level="90") in titles
    for spec in specs:
        layout = spec["layout"]
        if "polar" in layout:
            assert layout["annotations"][0]["text"]
        else:
            assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]
    # metrics: the rank interval as stated in r.scores
    s = pv.standing(demo_views, cadre, period)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.t("portrait.metric.rank_interval", lang)] == i18n.t(
        "portrait.metric.rank_interval_value",
        lang,
        lo=s["rank_low"],
        hi=s["rank_high"],
        n=s["peer_size"],
    )
    assert metrics[i18n.t("portrait.metric.composite", lang)] == f"{s['composite']:.1f}"
    # the planted self-inflation is shown with its evidence in the user's language
    flag = pv.flags(demo_views, cadre, period)
    row = flag[flag["flag_type"] == "self_inflation"].iloc[0]
    body = texts(at)
    assert i18n.t("flag.self_inflation", lang) in body
    assert (row["evidence_zh"] if lang == "zh" else row["evidence"]) in body
    assert i18n.t("severity.critical", lang) in body
    # the summary is the template's output for this cadre's figures
    figures = pv.summary_figures(demo_views, cadre, period)
    assert summary_text(at) == ps.as_text(ps.summarize(figures, lang), lang)
    assert at.code[0].value == summary_text(at)
    # tables carry translated headers
    dims = frame(at, "portrait_dimensions")
    assert len(dims) == 6
    assert set(dims["label"]) == set(
        demo_views.execute(f"SELECT label_{lang} FROM items WHERE subject_type = 'cadre'")
        .df()
        .iloc[:, 0]
    )


def test_deep_link_without_unit_opens_that_cadre(app_on_demo, demo_views):
    """?cadre=… alone: every cadre is listed, the linked one is chosen and shown."""
    at = run_page("portrait", "en", cadre="1105007", period="2026Q1")
    assert not at.exception
    picker = at.selectbox(key="f_cadre")
    assert picker.value == "1105007"
    n_cadres = demo_views.execute("SELECT count(*) FROM cadres").fetchone()[0]
    assert len(picker.options) == n_cadres
    assert at.header[0].value == name_of(demo_views, "1105007")
    assert i18n.t("portrait.pick_all", "en") in texts(at)
    # its planted talk-vote conflict (2026Q1) is on the page
    assert i18n.t("flag.talk_vote_conflict", "en") in texts(at)


def test_changing_the_cadre_changes_the_content(app_on_demo, demo_views):
    cadre, unit, period = TARGET
    at = run_page("portrait", "en", unit=unit, period=period)
    assert not at.exception
    first = at.selectbox(key="f_cadre").value
    assert first == f"{unit}001"  # the principal comes first
    assert i18n.t("flag.targeted_rating", "en") not in texts(at)
    before = summary_text(at)
    at.selectbox(key="f_cadre").set_value(cadre).run()
    assert not at.exception
    assert at.header[0].value == name_of(demo_views, cadre)
    assert summary_text(at) != before
    assert name_of(demo_views, cadre) in summary_text(at)
    assert i18n.t("flag.targeted_rating", "en") in texts(at)
    assert at.query_params["cadre"] in (cadre, [cadre])
    # the period filter moves the whole portrait: an earlier period has a shorter trend
    at.sidebar.selectbox(key="f_period").set_value("2026Q1").run()
    assert not at.exception
    assert list(frame(at, "portrait_trend")["label"]) == ["2025Q4", "2026Q1"]
    assert i18n.t("flag.targeted_rating", "en") not in texts(at)  # planted in 2026Q3


@pytest.mark.parametrize(
    "flag_type",
    ["self_inflation", "targeted_rating", "favoritism", "source_divergence", "talk_vote_conflict"],
)
def test_planted_cadre_effect_shows_its_flag(app_on_demo, demo_views, flag_type):
    row = next(
        r
        for r in answer_key(app_on_demo)
        if r["flag_type"] == flag_type and r["subject_type"] == "cadre"
    )
    at = run_page(
        "portrait", "zh", cadre=row["subject_id"], unit=row["unit_id"], period=row["period_id"]
    )
    assert not at.exception
    body = texts(at)
    assert i18n.t(f"flag.{flag_type}", "zh") in body
    label = demo_views.execute(
        "SELECT label FROM periods WHERE period_id = ?", [row["period_id"]]
    ).fetchone()[0]
    assert label in body
    # the summary names it too
    assert i18n.t(f"flag.{flag_type}", "zh") in summary_text(at)


def test_anonymity_floor_on_the_demo(app_on_demo, demo_views):
    """Groups under k sheets show the privacy text, never a mean; a second group is hidden
    so that the small one cannot be recovered from the overall mean."""
    cadre, unit, period = SECONDARY
    k = privacy.floor()
    at = run_page("portrait", "en", cadre=cadre, unit=unit, period=period)
    assert not at.exception
    table = frame(at, "portrait_groups")
    raw = (
        demo_views.execute(
            """
        SELECT rater_group, count(DISTINCT ballot_id) AS n FROM ballots
        WHERE period_id = ? AND subject_type = 'cadre' AND subject_id = ? GROUP BY ALL""",
            [period, cadre],
        )
        .df()
        .set_index("rater_group")["n"]
    )
    small = raw[raw < k]
    assert len(small) == 1 and small.sum() < k
    labels = {i18n.t(f"group.{g}", "en"): n for g, n in raw.items()}
    for _, r in table.iterrows():
        if labels[r["label"]] < k:
            assert r["mean_text"] == i18n.t("privacy.cell", "en", k=k)
            assert r["relative_text"] == i18n.t("privacy.cell", "en", k=k)
    hidden = table[~table["mean_text"].str.match(r"^\d")]
    assert len(hidden) == 2  # the small group and the smallest other one
    second = hidden[hidden["mean_text"] == i18n.t("portrait.groups.secondary_cell", "en")]
    assert len(second) == 1 and labels[second["label"].iloc[0]] >= k
    body = texts(at)
    assert i18n.t("privacy.suppressed", "en", k=k) in body
    assert i18n.t("portrait.groups.secondary_one", "en") in body
    # the chart shows only the visible groups
    spec = next(
        s
        for s in plotly_specs(at)
        if s["layout"]["title"]["text"] == i18n.t("portrait.groups.chart", "en")
    )
    shown = set(spec["data"][0]["y"])
    assert shown == set(table.loc[table["mean_text"].str.match(r"^\d"), "label"])
    # the hidden groups' marks are nowhere in the figures (mean of the hidden group)
    hidden_mean = demo_views.execute(
        """
        SELECT avg(score) FROM ballots WHERE period_id = ? AND subject_type = 'cadre'
        AND subject_id = ? AND rater_group = ?""",
        [period, cadre, small.index[0]],
    ).fetchone()[0]
    assert f"{hidden_mean:.2f}" not in json.dumps(spec["data"])


def test_anonymity_floor_on_the_sample(app_on_sample):
    """The sample has 2 sheets per group: every group is hidden, no group chart is drawn."""
    at = run_page("portrait", "zh", cadre="0101001", unit="0101", period="2026Q2")
    assert not at.exception
    k = privacy.floor()
    table = frame(at, "portrait_groups")
    assert (table["n_sheets"] < k).all()
    assert (table["mean_text"] == i18n.t("privacy.cell", "zh", k=k)).all()
    assert table["relative_text"].eq(i18n.t("privacy.cell", "zh", k=k)).all()
    assert i18n.t("portrait.groups.all_hidden", "zh") in texts(at)
    titles = [s["layout"]["title"]["text"] for s in plotly_specs(at)]
    assert i18n.t("portrait.groups.chart", "zh") not in titles
    # the rest of the portrait is there: radar, self against others
    assert i18n.t("portrait.dims.chart", "zh") in titles
    assert i18n.t("portrait.self.chart", "zh") in titles


def test_a_cadre_outside_the_team_is_said_to_be_unassessed(app_on_demo, demo_views):
    cid = demo_views.execute(
        "SELECT cadre_id FROM cadres WHERE tier = 'middle' ORDER BY cadre_id LIMIT 1"
    ).fetchone()[0]
    unit = cid[:4]
    for lang in ("zh", "en"):
        at = run_page("portrait", lang, cadre=cid, unit=unit, period="2026Q3")
        assert not at.exception
        body = texts(at)
        heads = [h.value for h in at.subheader]
        assert i18n.t("portrait.not_team", lang, tier=i18n.t("tier.middle", lang)) in body
        assert i18n.t("portrait.standing.title", lang) not in heads
        assert i18n.t("portrait.dims.title", lang) not in heads
        assert i18n.t("portrait.groups.title", lang) not in heads
        assert i18n.t("portrait.talks.title", lang) in heads
        assert i18n.t("portrait.flags.title", lang) in heads
        titles = [f["layout"]["title"]["text"] for f in plotly_specs(at)]
        assert i18n.t("portrait.dims.chart", lang) not in titles
        assert i18n.t("portrait.channels.chart", lang) not in titles
        assert i18n.t("portrait.sum.not_team", lang) in summary_text(at)


def test_period_filter_and_link_params(app_on_demo):
    at = app_test("portrait", "en", cadre=SELF[0], unit=SELF[1], period="2026Q2").run()
    assert not at.exception
    assert list(frame(at, "portrait_trend")["label"]) == ["2025Q4", "2026Q1", "2026Q2"]
    assert i18n.t("flag.self_inflation", "en") not in texts(at)  # planted in 2026Q3


# ---- view functions against the raw data --------------------------------------------------
def _raw(con, cadre: str, period: str) -> pd.DataFrame:
    return con.execute(
        """
        SELECT ballot_id, rater_group, item_id, score FROM ballots
        WHERE period_id = ? AND subject_type = 'cadre' AND subject_id = ?""",
        [period, cadre],
    ).df()


def test_dimensions_agree_with_raw_ballots(demo_views):
    cadre, _, period = SELF
    dims = pv.dimensions(demo_views, cadre, period).set_index("item_id")
    raw = _raw(demo_views, cadre, period)
    per_item = raw.groupby("item_id")["score"].agg(["mean", "size"])
    assert set(dims.index) == set(per_item.index)
    np.testing.assert_allclose(dims.loc[per_item.index, "mean"], per_item["mean"])
    assert (dims.loc[per_item.index, "n_marks"] == per_item["size"]).all()
    # the peer median, recomputed from every peer's ballots
    peers = demo_views.execute(
        """
        SELECT subject_id FROM r.scores WHERE subject_type = 'cadre' AND period_id = ?
        AND peer_group = (SELECT peer_group FROM r.scores WHERE subject_type = 'cadre'
                          AND subject_id = ? AND period_id = ?)""",
        [period, cadre, period],
    ).df()["subject_id"]
    allb = demo_views.execute(
        """
        SELECT subject_id, item_id, score FROM ballots
        WHERE period_id = ? AND subject_type = 'cadre'""",
        [period],
    ).df()
    means = allb[allb["subject_id"].isin(peers)].groupby(["subject_id", "item_id"])["score"].mean()
    med = means.groupby("item_id").median()
    np.testing.assert_allclose(dims.loc[med.index, "peer_median"], med)
    assert (dims["n_peers"] == len(peers)).all()
    # self-assessment and gap
    selfs = demo_views.execute(
        """
        SELECT item_id, score FROM self_assessments WHERE period_id = ?
        AND subject_type = 'cadre' AND subject_id = ?""",
        [period, cadre],
    ).df()
    selfs = selfs.set_index("item_id")["score"]
    np.testing.assert_allclose(dims.loc[selfs.index, "self"], selfs)
    np.testing.assert_allclose(dims["gap"], dims["self"] - dims["mean"])
    assert dims["largest_gap"].sum() == 1
    assert dims.loc[dims["largest_gap"], "gap"].iloc[0] == dims["gap"].max()
    # the planted self-inflation: self 4 everywhere, far above the others
    assert (dims["self"] == 4).all() and dims["gap"].mean() > 1


def test_rater_groups_agree_with_raw_ballots(demo_views):
    k = privacy.floor()
    for cadre, _, period in (TARGET, SECONDARY, SELF):
        groups = pv.rater_groups(demo_views, cadre, period).set_index("rater_group")
        raw = _raw(demo_views, cadre, period)
        sheets = raw.groupby(["rater_group", "ballot_id"])["score"].mean()
        per = sheets.groupby("rater_group").agg(["mean", "size"])
        assert (groups.loc[per.index, "n_sheets"] == per["size"]).all()
        vis = groups[~groups["suppressed"]]
        np.testing.assert_allclose(vis["mean"], per.loc[vis.index, "mean"])
        # primary suppression below k, and what is hidden always holds k sheets or none
        assert groups.loc[groups["n_sheets"] < k, "suppressed"].all()
        hid = groups[groups["suppressed"]]
        assert hid["mean"].isna().all() and hid["relative"].isna().all()
        assert hid["n_sheets"].sum() == 0 or hid["n_sheets"].sum() >= k
        assert (groups["secondary"] <= groups["suppressed"]).all()
    groups = pv.rater_groups(demo_views, SECONDARY[0], SECONDARY[2])
    assert groups["secondary"].sum() == 1
    # targeted rating: staff rate 0104002 far below their usual mark for peers
    target = pv.rater_groups(demo_views, TARGET[0], TARGET[2]).set_index("rater_group")
    assert target.loc["staff", "relative"] < -1


def test_group_divergence_needs_two_clear_visible_groups():
    base = pd.DataFrame(
        {
            "rater_group": ["staff", "middle_manager", "retired"],
            "n_sheets": [30, 10, 3],
            "mean": [3.6, 2.8, np.nan],
            "se": [0.05, 0.1, np.nan],
            "usual": [3.5, 3.3, 3.2],
            "relative": [0.1, -0.5, np.nan],
            "suppressed": [False, False, True],
            "secondary": [False, False, False],
        }
    )
    div = pv.group_divergence(base)
    assert div["high_group"] == "staff" and div["low_group"] == "middle_manager"
    assert div["difference"] == pytest.approx(0.6)
    noisy = base.assign(se=[0.3, 0.3, np.nan])  # 0.6 apart but only 1.4 SE
    assert pv.group_divergence(noisy) is None
    close = base.assign(relative=[0.1, -0.2, np.nan])
    assert pv.group_divergence(close) is None
    single = base.assign(suppressed=[False, True, True])
    assert pv.group_divergence(single) is None


def test_standing_channels_trend_and_flags_agree_with_results(demo_views):
    cadre, _, period = TARGET
    row = (
        demo_views.execute(
            """
        SELECT * FROM r.scores WHERE subject_type = 'cadre' AND subject_id = ?
        AND period_id = ?""",
            [cadre, period],
        )
        .df()
        .iloc[0]
    )
    s = pv.standing(demo_views, cadre, period)
    assert s["composite"] == pytest.approx(row["composite"])
    assert (s["rank_low"], s["rank_high"], s["peer_size"]) == (
        row["rank_low"],
        row["rank_high"],
        row["peer_size"],
    )
    n = row["peer_size"]
    assert s["percentile"] == pytest.approx(100 * (n - row["rank"]) / (n - 1))
    assert s["pct_low"] <= s["percentile"] <= s["pct_high"]
    ch = pv.channels(demo_views, cadre, period).set_index("channel")
    for c in pv.CHANNELS:
        assert ch.loc[c, "value"] == pytest.approx(row[c])
        assert ch.loc[c, "z"] == pytest.approx(row[f"z_{c}"])
    sheets = _raw(demo_views, cadre, period)["ballot_id"].nunique()
    assert ch.loc["democratic", "basis"] == sheets
    tr = pv.trend(demo_views, cadre, period)
    assert list(tr["period_id"]) == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert (tr["ci_low"] <= tr["composite"]).all() and (tr["composite"] <= tr["ci_high"]).all()
    assert (tr["rank_low"] <= tr["rank"]).all() and (tr["rank"] <= tr["rank_high"]).all()
    assert list(pv.trend(demo_views, cadre, "2026Q1")["period_id"]) == ["2025Q4", "2026Q1"]
    fl = pv.flags(demo_views, cadre, period)
    raw = demo_views.execute(
        """
        SELECT flag_type, period_id FROM r.flags WHERE subject_type = 'cadre'
        AND subject_id = ?""",
        [cadre],
    ).df()
    assert sorted(zip(fl["flag_type"], fl["period_id"], strict=True)) == sorted(
        zip(raw["flag_type"], raw["period_id"], strict=True)
    )
    assert "targeted_rating" in set(fl.loc[fl["current"], "flag_type"])


def test_portfolio_and_talks_agree_with_raw_rows(demo_views):
    cadre, unit, period = TARGET
    pf = pv.portfolio(demo_views, cadre, period)
    perf = demo_views.execute(
        "SELECT * FROM performance WHERE period_id = ? AND unit_id = ?", [period, unit]
    ).df()
    own = perf[perf["cadre_id"] == cadre]
    assert len(pf["rows"]) == len(own) > 0
    w = own["weight"].fillna(1)
    assert pf["portfolio_pct"] == pytest.approx(
        (w * own["score"] / own["max_score"]).sum() / w.sum() * 100
    )
    unit_rows = perf[perf["cadre_id"].isna()]
    w = unit_rows["weight"].fillna(1)
    assert pf["unit_pct"] == pytest.approx(
        (w * unit_rows["score"] / unit_rows["max_score"]).sum() / w.sum() * 100
    )
    assert pf["unit_indicators"] == len(unit_rows)
    tk = pv.talk_mentions(demo_views, cadre, period)
    raw = demo_views.execute(
        """
        SELECT m.topic, m.stance, t.talk_id FROM talk_mentions m JOIN talks t USING (talk_id)
        JOIN periods p ON p.period_id = ?
        WHERE m.subject_type = 'cadre' AND m.subject_id = ?
          AND t.talk_date > p.end_date - INTERVAL 365 DAY AND t.talk_date <= p.end_date""",
        [period, cadre],
    ).df()
    assert tk["n_mentions"] == len(raw) > 0
    assert tk["n_talks"] == raw["talk_id"].nunique()
    assert tk["counts"]["n"].sum() == len(raw)
    assert tk["table"]["total"].sum() == len(raw)
    assert set(tk["counts"].columns) == {"topic", "stance", "n"}  # never an interviewee
    assert "talk_id" not in tk["notes"].columns
    assert abs(sum(tk["city_shares"].values()) - 1) < 1e-9


def test_facts_age_and_time_in_post(demo_views):
    f = pv.facts(demo_views, SELF[0], "2026Q3")
    row = (
        demo_views.execute(
            "SELECT birth_year, in_post_since FROM cadres WHERE cadre_id = ?", [SELF[0]]
        )
        .df()
        .iloc[0]
    )
    assert f["age"] == 2026 - row["birth_year"]
    since = pd.Timestamp(row["in_post_since"])
    months = (2026 - since.year) * 12 + (9 - since.month)
    assert f["months_in_post"] == months
    assert f["scored"] and f["tier"] == "team"
    assert pv.facts(demo_views, "no-such-cadre", "2026Q3") is None


# ---- the summary template ----------------------------------------------------------------
FIGURES = {
    "name": "王某",
    "position": "副局长",
    "unit_name": "市某局",
    "unit_type": "government",
    "tier": "team",
    "role": "deputy",
    "age": 48,
    "months_in_post": 38,
    "period_id": "2026Q3",
    "period_label": "2026年第三季度",
    "scored": True,
    "k": 5,
    "standing": {
        "composite": 61.23,
        "ci_low": 58.9,
        "ci_high": 63.4,
        "rank": 5,
        "rank_low": 3,
        "rank_high": 9,
        "peer_size": 24,
        "peer_group": "government team members",
        "percentile": 82.6,
        "pct_low": 65.2,
        "pct_high": 91.3,
        "missing": [],
        "level": 0.9,
    },
    "dimensions": {
        "best": {
            "label_zh": "绩/工作实绩",
            "label_en": "Achievements",
            "mean": 3.81,
            "peer_median": 3.42,
            "diff": 0.39,
        },
        "worst": {
            "label_zh": "廉/廉洁自律",
            "label_en": "Integrity",
            "mean": 3.30,
            "peer_median": 3.61,
            "diff": -0.31,
        },
        "scale_min": 1,
        "scale_max": 4,
        "mean": 3.5,
    },
    "self": {
        "self_mean": 3.9,
        "others_mean": 3.4,
        "gap": 0.5,
        "peer_gap": 0.3,
        "top_label_zh": "能/履职能力",
        "top_label_en": "Ability",
        "top_gap": 0.9,
    },
    "groups": {
        "n_visible": 3,
        "n_hidden": 1,
        "divergence": {
            "high_group": "staff",
            "high_relative": 0.31,
            "high_mean": 3.8,
            "low_group": "middle_manager",
            "low_relative": -0.42,
            "low_mean": 2.9,
            "difference": 0.73,
            "z": 4.1,
        },
    },
    "trend": {
        "first_period_id": "2025Q4",
        "first_label": "2025年第四季度",
        "first": 52.0,
        "prev_period_id": "2026Q2",
        "prev_label": "2026年第二季度",
        "prev": 55.1,
        "last": 61.23,
        "change": 6.13,
        "clear": True,
        "n_periods": 4,
    },
    "flags": [
        {
            "flag_type": "self_inflation",
            "severity": "warning",
            "period_id": "2026Q3",
            "label": "2026年第三季度",
            "current": True,
        }
    ],
    "talks": {
        "n_mentions": 10,
        "n_talks": 9,
        "positive": 6,
        "neutral": 3,
        "negative": 1,
        "city_negative": 0.12,
    },
}


def test_summary_english_from_constructed_figures():
    out = ps.summarize(FIGURES, "en")
    assert 3 <= len(out) <= 6
    text = ps.as_text(out, "en")
    assert "rank 5 of 24 team members of government departments" in text
    assert "rank 3–9 once the uncertainty is allowed for" in text
    assert "61.2 in 2026Q3 (90% interval 58.9–63.4)" in text
    assert "ahead of 65–91% of peers" in text
    assert "strongest dimension is achievements (3.81 vs 3.42)" in text
    assert "weakest integrity (3.30 vs 3.61)" in text
    assert "staff give 3.80, +0.31" in text and "middle managers give 2.90, -0.42" in text
    assert "at least 5 sheets" in text
    assert "gap of +0.50 (peers' median gap +0.30)" in text and "ability (+0.90)" in text
    assert "against 2026Q2 (55.1) the change of +6.1 is clear" in text
    assert "One flag on record up to this period: self-inflation (warning, 2026Q3)" in text
    assert "10 times (6 positive, 3 neutral, 1 negative): 10% negative against 12%" in text
    assert "王某 (副局长, 市某局)" in text


def test_summary_chinese_from_constructed_figures():
    out = ps.summarize(FIGURES, "zh")
    assert 3 <= len(out) <= 6
    text = ps.as_text(out, "zh")
    assert "王某（市某局副局长）2026年第三季度综合得分 61.2（90% 区间 58.9–63.4）" in text
    assert "在 24 名政府部门班子成员中排第 5 位" in text
    assert "名次在第 3–9 位之间" in text
    assert "相对最强的维度是绩/工作实绩（3.81，同类 3.42）" in text
    assert "干部职工给出 3.80" in text and "中层干部给出 2.90" in text
    assert "差距 +0.50（同类干部中位差距 +0.30）" in text
    assert "与2026年第二季度（55.1）相比，本期变化 +6.1，超出两期 90% 区间的不确定性" in text
    warning = i18n.t("severity.warning", "zh")
    assert f"截至本期有 1 条评价异常：自评偏高（{warning}，2026年第三季度）" in text
    assert "负面占 10%，同层级干部总体为 12%" in text
    assert not text.startswith(" ") and "。 " not in text  # Chinese sentences join tightly


def test_summary_follows_the_figures():
    """Changing a figure changes the sentence; absent parts leave their sentence out."""
    changed = json.loads(json.dumps(FIGURES))
    changed["standing"].update(
        rank=12,
        rank_low=12,
        rank_high=12,
        percentile=47.8,
        pct_low=47.8,
        pct_high=47.8,
        missing=["superior"],
    )
    changed["trend"].update(clear=False, change=-0.4, n_periods=2)
    changed["groups"]["divergence"] = None
    del changed["self"]
    changed["flags"] = []
    changed["talks"] = {
        "n_mentions": 0,
        "n_talks": 0,
        "positive": 0,
        "neutral": 0,
        "negative": 0,
        "city_negative": None,
    }
    for lang in ("zh", "en"):
        out = ps.summarize(changed, lang)
        assert 3 <= len(out) <= 6
        text = ps.as_text(out, lang)
        assert text != ps.as_text(ps.summarize(FIGURES, lang), lang)
        assert i18n.t("portrait.sum.no_flags", lang) in text
        assert i18n.t("portrait.sum.no_talks", lang) in text
        assert i18n.t("score.superior", lang).lower() in text.lower()
    en = ps.as_text(ps.summarize(changed, "en"), "en")
    assert "rank 12 of 24 team members of government departments, a place the uncertainty" in en
    assert "Against 2026Q2 (55.1) the change of -0.4 is within the uncertainty" in en
    assert "Rater groups" not in en and "self-assessment" not in en
    last = json.loads(json.dumps(changed))
    last["standing"].update(rank=24, rank_low=24, rank_high=24)
    assert "last of 24" in ps.summarize(last, "en")[0]
    assert "最后一位" in ps.summarize(last, "zh")[0]


def test_summary_of_a_cadre_without_scores():
    fig = {
        "name": "李某",
        "position": "科长",
        "unit_name": "市某局",
        "unit_type": "party",
        "tier": "middle",
        "role": "member",
        "age": 41,
        "months_in_post": 7,
        "period_id": "2026Q3",
        "period_label": "2026年第三季度",
        "scored": False,
        "k": 5,
        "flags": [],
        "talks": {
            "n_mentions": 3,
            "n_talks": 3,
            "positive": 1,
            "neutral": 1,
            "negative": 1,
            "city_negative": 0.2,
        },
    }
    en = ps.summarize(fig, "en")
    assert len(en) == 3
    assert (
        en[0] == "李某, 科长 of 市某局 (middle-level head), is 41 and has been in post for "
        "7 months."
    )
    assert "Only team members are rated" in en[1]
    assert "33% negative against 20%" in en[2]
    zh = ps.summarize(fig, "zh")
    assert zh[0] == "李某，市某局科长（中层干部），41 岁，任现职7个月。"
    assert ps.summarize({}, "zh") == []


def test_summary_figures_on_the_demo_are_those_of_the_views(demo_views):
    cadre, _, period = SELF
    fig = pv.summary_figures(demo_views, cadre, period)
    s = pv.standing(demo_views, cadre, period)
    assert fig["standing"]["composite"] == pytest.approx(s["composite"])
    dims = pv.dimensions(demo_views, cadre, period)
    assert fig["self"]["self_mean"] == pytest.approx(dims["self"].mean())
    assert fig["self"]["others_mean"] == pytest.approx(dims["mean"].mean())
    rated = dims[dims["dimension"] != "overall"]
    assert fig["dimensions"]["best"]["diff"] == pytest.approx(rated["diff"].max())
    assert fig["dimensions"]["worst"]["diff"] == pytest.approx(rated["diff"].min())
    assert [f["flag_type"] for f in fig["flags"]] == list(
        pv.flags(demo_views, cadre, period)["flag_type"]
    )
    json.dumps(fig)  # plain values only
    for lang in ("zh", "en"):
        assert 3 <= len(ps.summarize(fig, lang)) <= 6


def test_peer_label_and_tenure_words():
    assert ps.peer_label("district team members", "zh") == "区县班子成员"
    assert ps.peer_label("custom peers", "en") == "custom peers"
    assert ps.tenure(25, "en") == "2 years 1 month"
    assert ps.tenure(13, "en") == "1 year 1 month"
    assert ps.tenure(38, "zh") == "3年2个月"
    assert ps.tenure(24, "zh") == "2年"
    assert ps.tenure(-3, "en") == i18n.t("portrait.tenure.after", "en")
    assert ps.tenure(None, "zh") == i18n.t("portrait.tenure.unknown", "zh")


def test_talk_mentions_of_a_unit_with_fewer_than_k_talks_are_left_out(
    app_on_demo, demo_views, monkeypatch
):
    """As on the Talks page, only talks of units holding at least k talks in the window
    count: with fewer, the reader could tell who said it; the page says why."""

    cadre, unit, period = TARGET
    n = demo_views.execute(
        """
        SELECT count(*) FROM talks t JOIN periods p ON p.period_id = ?
        WHERE t.unit_id = ? AND t.talk_date > p.end_date - INTERVAL 365 DAY
          AND t.talk_date <= p.end_date""",
        [period, unit],
    ).fetchone()[0]
    monkeypatch.setattr(privacy, "floor", lambda: n)
    tk = pv.talk_mentions(demo_views, cadre, period)
    assert tk["n_mentions"] > 0 and tk["hidden_units"] == 0
    monkeypatch.setattr(privacy, "floor", lambda: n + 1)
    tk = pv.talk_mentions(demo_views, cadre, period)
    assert tk["n_mentions"] == 0 and tk["hidden_units"] == 1
    assert tk["counts"].empty and tk["notes"].empty
    at = run_page("portrait", "en", cadre=cadre, unit=unit, period=period)
    assert not at.exception
    assert i18n.t("talks.mentions.hidden", "en", n=1, k=n + 1) in texts(at)


def test_summary_never_calls_a_change_clear_that_flagged_sheets_drive():
    """A change clear only with the flagged sheets is said to be driven by them."""
    import copy

    figs = copy.deepcopy(FIGURES)
    figs["trend"].update(
        clear=False, flagged=True, flagged_sheets=12, prev_excl=55.0, last_excl=56.1
    )
    for lang in ("en", "zh"):
        text = ps.as_text(ps.summarize(figs, lang), lang)
        assert "clear" not in text.replace("not a clear change", "") if lang == "en" else True
        if lang == "en":
            assert "driven by 12 flagged sheets" in text and "55.0 → 56.1" in text
        else:
            assert "12 张异常测评票造成" in text and "变化明确" not in text
