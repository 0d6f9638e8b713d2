"""The Anomalies and bias page (评价异常) on the planted city demo: AppTest in both languages,
the filters against r.flags, the evidence of a selected flag, the severity map and the
anonymity floor, session reliability, rater groups and group bias; and its read models
against the raw data."""

from __future__ import annotations

import base64
import csv

import numpy as np
import pandas as pd
import pytest

from analytics import i18n, privacy
from analytics.views import anomalies as va
from analytics.views import anomalies_bias as vb
from analytics.views import anomalies_charts as ac
from analytics.views import anomalies_evidence as ve
from tests.apptest import app_test, plotly_specs, texts

PERIOD = "2026Q3"


def _run(lang: str | None = None, tab: str | None = None, **params: str):
    at = app_test("anomalies", lang, period=PERIOD, **params)
    if tab:
        at.session_state["anomalies_tab"] = i18n.t(f"anomalies.tab.{tab}", lang or "zh")
    at.run()
    assert not at.exception, at.exception
    return at


def _count(con, where: str = "", params: list | None = None) -> dict[str, int]:
    """Flags of PERIOD (and pooled ones) per severity, counted straight from r.flags."""
    rows = con.execute(
        "SELECT f.severity, count(*) FROM r.flags f LEFT JOIN units u USING (unit_id) "
        f"WHERE (f.period_id = ? OR f.period_id IS NULL) {where} GROUP BY 1",
        [PERIOD, *(params or [])],
    ).fetchall()
    out = {"critical": 0, "warning": 0, "info": 0, **dict(rows)}
    out["total"] = sum(out.values())
    return out


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at) -> pd.DataFrame:
    return at.dataframe(key="anomalies_table").value


def _frame_with(at, column: str) -> pd.DataFrame:
    """The first table of the run that has ``column`` (plain tables carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _array(v) -> list:
    """A plotly data array from a spec (plain list, or a typed buffer {dtype, bdata})."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        if "shape" in v:
            a = a.reshape([int(x) for x in str(v["shape"]).split(",")])
        return a.tolist()
    return list(v)


def _answer_key(demo_db) -> list[dict]:
    with open(demo_db / "demo_answer_key.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ---- the page in both languages ----------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_renders_flags_and_evidence_in_both_languages(app_on_demo, demo_views, lang):
    at = _run(lang)
    assert at.title[0].value == i18n.t("anomalies.title", lang)
    expected = _count(demo_views)
    metrics = _metrics(at)
    assert metrics[i18n.t("anomalies.metric.total", lang)] == f"{expected['total']:,}"
    for sev in ("critical", "warning", "info"):
        assert metrics[i18n.t(f"severity.{sev}", lang)] == str(expected[sev])
    table = _table(at)
    assert len(table) == expected["total"]
    # critical first, then warning, then info
    order = [i18n.t(f"severity.{s}", lang) for s in ("critical", "warning", "info")]
    ranks = [order.index(s) for s in table["severity_label"]]
    assert ranks == sorted(ranks)
    # the pooled group_bias flag belongs to every period
    assert i18n.t("flag.group_bias", lang) in set(table["type_label"])
    assert i18n.t("anomalies.pooled", lang) in set(table["period_label"])
    # evidence in the user's language, p formatted
    evidence_col = "evidence_zh" if lang == "zh" else "evidence"
    sentences = set(
        demo_views.execute(
            f"SELECT {evidence_col} FROM r.flags WHERE period_id = ? OR period_id IS NULL", [PERIOD]
        ).df()[evidence_col]
    )
    assert set(table["evidence"]) == sentences
    assert "< 0.0001" in set(table["p_text"])
    # the first (most severe) flag is opened: its sentence, chart and numbers
    first = table.iloc[0]
    assert at.selectbox(key="anomalies_flag").value == first["flag_id"]
    assert first["evidence"] in texts(at)
    assert i18n.t("anomalies.ev.title", lang) in [s.value for s in at.subheader]
    specs = plotly_specs(at)
    assert specs and all(s["layout"]["title"]["text"] for s in specs)
    facts = _frame_with(at, i18n.t("anomalies.ev.measure", lang))
    assert list(facts.columns) == [
        i18n.t("anomalies.ev.measure", lang),
        i18n.t("anomalies.ev.value", lang),
    ]
    assert i18n.t("anomalies.key.p_value", lang) in set(facts.iloc[:, 0])


# ---- filters -----------------------------------------------------------------------------
def test_type_severity_subject_and_unit_filters_change_the_table(app_on_demo, demo_views):
    at = _run("en")
    at.multiselect(key="anomalies_type").set_value(["straight_lining", "misfit_ballot"]).run()
    want = _count(demo_views, "AND f.flag_type IN ('straight_lining', 'misfit_ballot')")
    assert len(_table(at)) == want["total"] > 0
    assert _metrics(at)["Flags"] == str(want["total"])
    assert set(_table(at)["type_label"]) <= {"Straight-lining", "Misfitting ballot"}

    at.multiselect(key="anomalies_severity").set_value(["critical"]).run()
    want = _count(
        demo_views,
        "AND f.flag_type IN ('straight_lining', 'misfit_ballot') AND f.severity = 'critical'",
    )
    assert len(_table(at)) == want["total"] == want["critical"] > 0
    assert _metrics(at)["Warning"] == "0"

    at.multiselect(key="anomalies_type").set_value([]).run()
    at.multiselect(key="anomalies_severity").set_value([]).run()
    at.multiselect(key="anomalies_subject").set_value(["rater_group"]).run()
    want = _count(demo_views, "AND f.subject_type = 'rater_group'")
    assert len(_table(at)) == want["total"] > 0

    # a unit (sidebar) with several flags this period
    unit, n = demo_views.execute(
        "SELECT unit_id, count(*) FROM r.flags WHERE period_id = ? GROUP BY 1 "
        "ORDER BY 2 DESC, 1 LIMIT 1",
        [PERIOD],
    ).fetchone()
    at.multiselect(key="anomalies_subject").set_value([]).run()
    at.sidebar.selectbox(key="f_unit").set_value(unit).run()
    assert not at.exception
    table = _table(at)
    assert len(table) == n == _count(demo_views, "AND f.unit_id = ?", [unit])["total"]
    name = demo_views.execute("SELECT name FROM units WHERE unit_id = ?", [unit]).fetchone()[0]
    assert set(table["unit_name"]) == {name}  # a city-wide flag belongs to no unit
    assert i18n.t("anomalies.citywide_note", "en") in texts(at)


def test_an_empty_selection_says_so(app_on_demo):
    at = _run("en")
    at.multiselect(key="anomalies_type").set_value(["self_inflation"]).run()
    at.multiselect(key="anomalies_severity").set_value(["info"]).run()
    assert i18n.t("anomalies.table.empty", "en") in texts(at)
    assert _metrics(at)["Flags"] == "0"


# ---- the evidence of a selected flag ------------------------------------------------------
def test_table_selection_and_picker_stay_in_sync(app_on_demo):
    at = _run("en")
    ids = list(_table(at)["flag_id"])
    at.session_state["anomalies_table"] = {"selection": {"rows": [3], "columns": [], "cells": []}}
    at.run()
    assert at.selectbox(key="anomalies_flag").value == ids[3]
    # the picker alone moves the panel; the table's old selection does not pull it back
    at.selectbox(key="anomalies_flag").set_value(ids[5]).run()
    assert at.selectbox(key="anomalies_flag").value == ids[5]
    at.run()
    assert at.selectbox(key="anomalies_flag").value == ids[5]
    at.session_state["anomalies_table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert at.selectbox(key="anomalies_flag").value == ids[1]


def test_a_link_to_one_flag_opens_it(app_on_demo):
    flag_id = "group_bias||population|gender||"
    at = _run("en", flag=flag_id)
    assert at.selectbox(key="anomalies_flag").value == flag_id
    assert "women are rated" in texts(at)
    # once opened, the picker is free again and the URL follows it
    first = _table(at)["flag_id"].iloc[0]
    at.selectbox(key="anomalies_flag").set_value(first).run()
    assert at.selectbox(key="anomalies_flag").value == first
    assert at.query_params["flag"] in (first, [first])
    # another tab and back: the same flag is still open
    second = _table(at)["flag_id"].iloc[1]
    at.selectbox(key="anomalies_flag").set_value(second).run()
    at.session_state["anomalies_tab"] = i18n.t("anomalies.tab.map", "en")
    at.run()
    at.session_state["anomalies_tab"] = i18n.t("anomalies.tab.flags", "en")
    at.run()
    assert at.selectbox(key="anomalies_flag").value == second


def test_a_planted_favouritism_opens_its_group_comparison(app_on_demo, demo_db, demo_views):
    plant = next(
        r
        for r in _answer_key(demo_db)
        if r["flag_type"] == "favoritism" and r["period_id"] == PERIOD
    )
    flag_id = "|".join(
        ["favoritism", PERIOD, "cadre", plant["subject_id"], plant["unit_id"], plant["rater_group"]]
    )
    at = _run("zh")
    at.selectbox(key="anomalies_flag").set_value(flag_id).run()
    assert not at.exception
    name = demo_views.execute(
        "SELECT name FROM cadres WHERE cadre_id = ?", [plant["subject_id"]]
    ).fetchone()[0]
    evidence = demo_views.execute(
        "SELECT evidence_zh FROM r.flags WHERE flag_type = 'favoritism' AND period_id = ? "
        "AND subject_id = ?",
        [PERIOD, plant["subject_id"]],
    ).fetchone()[0]
    assert evidence in texts(at)
    spec = plotly_specs(at)[0]
    assert spec["layout"]["title"]["text"] == i18n.t("anomalies.ch.subj.title", "zh", name=name)
    # the flagged group (bold) rates the cadre above the other groups, as the raw marks say
    on = spec["data"][0]
    groups = [str(x) for x in on["x"]]
    flagged = next(i for i, g in enumerate(groups) if g.startswith("<b>"))
    assert i18n.t(f"group.{plant['rater_group']}", "zh") in groups[flagged]
    raw = demo_views.execute(
        """
        WITH s AS (SELECT ballot_id, avg(score) AS m FROM ballots
                   WHERE period_id = ? AND unit_id = ? AND rater_group = ?
                     AND subject_type = 'cadre' AND subject_id = ? GROUP BY 1)
        SELECT avg(m) FROM s""",
        [PERIOD, plant["unit_id"], plant["rater_group"], plant["subject_id"]],
    ).fetchone()[0]
    assert _array(on["y"])[flagged] == pytest.approx(raw)
    # the test and its numbers: translated labels, not raw keys
    facts = _frame_with(at, "指标")
    labels = set(facts["指标"])
    assert {"偏袒幅度（分）", "测评票数", "未校正 p 值"} <= labels
    assert "favour" not in labels
    # a link to the cadre's portrait carrying cadre, unit and period
    links = [el.proto for el in at.get("page_link")]
    portrait = [p for p in links if p.page == "portrait"]
    assert portrait and f"cadre={plant['subject_id']}" in portrait[0].query_string
    assert f"period={PERIOD}" in portrait[0].query_string


def test_a_straight_line_sheet_is_compared_with_its_session(app_on_demo, demo_db, demo_views):
    plant = next(
        r
        for r in _answer_key(demo_db)
        if r["flag_type"] == "straight_lining" and r["period_id"] == PERIOD
    )
    flag_id = "|".join(
        [
            "straight_lining",
            PERIOD,
            "ballot",
            plant["subject_id"],
            plant["unit_id"],
            plant["rater_group"],
        ]
    )
    at = _run("en")
    at.selectbox(key="anomalies_flag").set_value(flag_id).run()
    spec = plotly_specs(at)[0]
    assert plant["subject_id"] in spec["layout"]["title"]["text"]
    mark = int(plant["detail"].split("constant mark ")[1].split()[0])
    ev = ve.evidence(demo_views, flag_id, "en")
    data = ev["charts"][0]["data"]
    assert set(data["sheet_mark"]) == {mark}
    n_marks = demo_views.execute(
        "SELECT count(*) FROM ballots WHERE ballot_id = ?", [plant["subject_id"]]
    ).fetchone()[0]
    assert len(data) == n_marks
    # the session's mean is the other sheets' mean on that cell
    mean = demo_views.execute(
        """
        SELECT avg(score) FROM ballots
        WHERE period_id = ? AND unit_id = ? AND ballot_id <> ? AND subject_type = 'team'
          AND item_id = 'T_POL'""",
        [PERIOD, plant["unit_id"], plant["subject_id"]],
    ).fetchone()[0]
    label = demo_views.execute("SELECT label_en FROM items WHERE item_id = 'T_POL'").fetchone()[0]
    team_row = data[(data["subject"] == "Team") & (data["item"] == label)]
    assert team_row["session_mean"].iloc[0] == pytest.approx(mean)


def test_planted_effects_appear_in_the_flag_list(demo_db, demo_views):
    """Every planted effect of the answer key is listed (warning or critical) in its period,
    and the pooled group_bias in every period."""
    periods = [p for p, _ in demo_views.execute("SELECT period_id, label FROM periods").fetchall()]
    tables = {p: va.flag_table(demo_views, p, None, None, (), (), (), "en") for p in periods}
    missing = []
    for r in _answer_key(demo_db):
        for p in [r["period_id"]] if r["period_id"] else periods:
            t = tables[p]
            hit = t[
                (t["flag_type"] == r["flag_type"])
                & (t["subject_type"] == r["subject_type"])
                & (t["subject_id"] == r["subject_id"])
                & (t["unit_id"].fillna("") == r["unit_id"])
                & t["severity"].isin(["warning", "critical"])
            ]
            if hit.empty:
                missing.append((r["flag_type"], p, r["subject_id"]))
    assert not missing


# ---- the severity map and the anonymity floor ---------------------------------------------
def test_no_flag_names_a_rater_group_below_the_floor(demo_views):
    """The detectors leave a small group out of a flag (a sheet flag says no more than
    "sheet X"); the page's own floor is the second line of defence, tested below."""
    n = demo_views.execute(
        """
        WITH gs AS (SELECT period_id, unit_id, rater_group, count(DISTINCT ballot_id) AS n
                    FROM ballots GROUP BY ALL)
        SELECT count(*) FROM r.flags f JOIN gs USING (period_id, unit_id, rater_group)
        WHERE gs.n < ?""",
        [privacy.floor()],
    ).fetchone()[0]
    assert n == 0


def test_severity_map_shows_only_groups_above_the_floor(app_on_demo, demo_views, monkeypatch):
    """With the floor raised above the detectors' (k = 12 here), cells of groups with fewer
    sheets disappear from the map and the flag table, and the page says why."""

    k = 12
    monkeypatch.setattr(privacy, "floor", lambda: k)
    period = PERIOD
    at = app_test("anomalies", "en", period=period)
    at.session_state["anomalies_tab"] = i18n.t("anomalies.tab.map", "en")
    at.run()
    assert not at.exception
    heat = next(s for s in plotly_specs(at) if s["data"][0]["type"] == "heatmap")
    assert heat["layout"]["title"]["text"] == i18n.t("anomalies.map.title", "en")
    assert heat["layout"]["xaxis"]["title"]["text"] == i18n.t("anomalies.map.x", "en")
    sheets = demo_views.execute(
        """
        SELECT un.name, b.rater_group, count(DISTINCT b.ballot_id)
        FROM ballots b JOIN units un USING (unit_id) WHERE b.period_id = ? GROUP BY ALL""",
        [period],
    ).fetchall()
    n_of = {(u, i18n.t(f"group.{g}", "en")): n for u, g, n in sheets}
    d = heat["data"][0]
    shown = 0
    for row, unit in zip(_array(d["z"]), d["y"], strict=True):
        for z, group in zip(row, d["x"], strict=True):
            if z is not None and not np.isnan(z):
                shown += 1
                assert n_of[(unit, group)] >= k, (unit, group)
    m = vb.severity_map(demo_views, period, None, None, (), (), (), "en")
    assert m["hidden"] >= 1 and shown == len(m["cells"])
    assert i18n.t("privacy.suppressed", "en", k=k) in texts(at)
    # and the flag table does not name those small groups either
    table = va.flag_table(demo_views, period, None, None, (), (), (), "en")
    small = table[table["group_label"] == i18n.t("privacy.cell", "en", k=k)]
    assert len(small) >= 1 and small["rater_group"].isna().all()


def test_severity_map_counts_match_the_flags(demo_views):
    m = vb.severity_map(demo_views, PERIOD, None, None, (), (), (), "zh")
    named = demo_views.execute(
        "SELECT count(*) FROM r.flags WHERE period_id = ? AND rater_group IS NOT NULL", [PERIOD]
    ).fetchone()[0]
    hidden_flags = named - int(m["cells"]["n_flags"].sum())
    assert hidden_flags >= 0
    assert (m["cells"]["n_sheets"] >= privacy.floor()).all()
    worst = m["cells"].set_index(["unit_id", "rater_group"])["worst"]
    for (unit, group), w in worst.items():
        sev = demo_views.execute(
            "SELECT severity FROM r.flags WHERE period_id = ? AND unit_id = ? AND rater_group = ?",
            [PERIOD, unit, group],
        ).df()["severity"]
        assert w == max({"info": 1, "warning": 2, "critical": 3}[s] for s in sev)
    fig = ac.severity_heatmap(
        m["cells"],
        {
            "title": "t",
            "x": "x",
            "y": "y",
            "count": "n",
            "colorbar": "c",
            **{f"severity.{s}": s for s in ("critical", "warning", "info")},
        },
    )
    assert fig.layout.title.text == "t"


# ---- reliability, rater groups, group bias ------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reliability_tab(app_on_demo, demo_views, lang):
    at = _run(lang, tab="reliability")
    rel = demo_views.execute(
        "SELECT count(*), median(alpha), median(icc_single), median(icc_average) "
        "FROM r.reliability WHERE period_id = ?",
        [PERIOD],
    ).fetchone()
    metrics = _metrics(at)
    assert metrics[i18n.t("anomalies.rel.sessions", lang)] == str(rel[0])
    assert metrics[i18n.t("anomalies.rel.median_alpha", lang)] == f"{rel[1]:.2f}"
    assert metrics[i18n.t("anomalies.rel.median_icck", lang)] == f"{rel[3]:.2f}"
    assert i18n.t("anomalies.rel.caption", lang) in texts(at)
    table = _frame_with(at, "alpha_band_label")
    assert len(table) == rel[0]
    assert set(table["alpha_band_label"]) <= {
        i18n.t(f"anomalies.band.{b}", lang) for b in ("reliable", "tentative", "unreliable")
    }
    spec = next(s for s in plotly_specs(at) if s["data"][0]["type"] == "box")
    assert spec["layout"]["title"]["text"] == i18n.t("anomalies.rel.chart", lang)
    assert len(spec["data"]) == 3


def test_bias_tab_rater_groups_and_group_bias(app_on_demo, demo_views):
    at = _run("zh", tab="bias")
    specs = plotly_specs(at)
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert i18n.t("anomalies.rg.chart", "zh") in titles
    rg = next(
        s for s in specs if s["layout"]["title"]["text"] == i18n.t("anomalies.rg.chart", "zh")
    )
    n_periods = demo_views.execute("SELECT count(*) FROM periods").fetchone()[0]
    assert len(rg["data"]) == n_periods  # one series per period
    table = _frame_with(at, "severity_se")
    raw = demo_views.execute(
        "SELECT rater_group, severity FROM r.rater_groups WHERE period_id = ?", [PERIOD]
    ).df()
    assert len(table) == len(raw)
    staff = table[table["group_label"] == i18n.t("group.staff", "zh")]["severity"].iloc[0]
    assert staff == pytest.approx(raw.set_index("rater_group").loc["staff", "severity"])
    # the planted gender bias: its sentence, regression chart and level means
    assert "女性干部" in texts(at)
    assert i18n.t("anomalies.ch.reg.title", "zh") in titles
    assert i18n.t("anomalies.ch.levels.title", "zh", attr="性别") in titles


# ---- read models ---------------------------------------------------------------------------
def test_every_flag_type_has_readable_evidence_and_a_chart(demo_views):
    ids = [
        r[0]
        for r in demo_views.execute(f"""
        SELECT any_value({va._FLAG_ID}) FROM r.flags f GROUP BY f.flag_type""").fetchall()
    ]
    assert len(ids) == 17
    for lang in ("zh", "en"):
        for flag_id in ids:
            ev = ve.evidence(demo_views, flag_id, lang)
            assert ev["charts"], flag_id
            for spec in ev["charts"]:
                fig = ac.evidence_figure(spec)
                assert fig.layout.title.text and fig.layout.xaxis.title.text, flag_id
            # every key the detectors record has a translated label
            keys = set(ev["flag"]["details"]) - set(va._SKIP_KEYS) - {"model"}
            assert all(f"anomalies.key.{k}" in i18n.STRINGS for k in keys), keys


def test_session_groups_match_the_ballots_and_honour_the_floor(demo_views):
    k = privacy.floor()
    period, unit = demo_views.execute(
        """
        SELECT period_id, unit_id FROM (
            SELECT period_id, unit_id, rater_group, count(DISTINCT ballot_id) AS n
            FROM ballots GROUP BY ALL)
        GROUP BY ALL HAVING min(n) < ? ORDER BY 1, 2 LIMIT 1""",
        [k],
    ).fetchone()
    g, dist = ve.session_groups(demo_views, period, unit)
    raw = demo_views.execute(
        """
        SELECT rater_group, count(DISTINCT ballot_id) AS n, avg(score) AS m FROM ballots
        WHERE period_id = ? AND unit_id = ? GROUP BY 1""",
        [period, unit],
    ).df()
    raw = raw.set_index("rater_group")
    for r in g.itertuples():
        assert r.n_sheets == raw.loc[r.rater_group, "n"]
        if r.n_sheets < k or r.complement:
            assert r.suppressed and pd.isna(r.mean_mark)
            assert r.rater_group not in set(dist["rater_group"])
        else:
            assert r.mean_mark == pytest.approx(raw.loc[r.rater_group, "m"])
    assert dist.groupby("rater_group")["share"].sum().round(9).eq(1).all()


def test_counts_and_scope_rules(demo_views):
    all_periods = va.severity_counts(demo_views, None, None, None)
    assert all_periods["total"] == demo_views.execute("SELECT count(*) FROM r.flags").fetchone()[0]
    area = demo_views.execute("SELECT area_id FROM units ORDER BY 1 LIMIT 1").fetchone()[0]
    table = va.flag_table(demo_views, PERIOD, area, None, (), (), (), "zh")
    assert "population" not in set(table["subject_type"])
    assert len(table) == va.severity_counts(demo_views, PERIOD, area, None)["total"]
    assert va.p_text(None) == "—" and va.p_text(0.00003) == "< 0.0001"
    assert va.p_text(0.0046) == "0.0046" and va.p_text(0.2) == "0.200"


# ---- secondary suppression (differencing) ---------------------------------------------------
@pytest.mark.parametrize("k", [None, 8])
def test_group_evidence_leaves_no_small_group_to_subtraction(demo_views, monkeypatch, k):
    """A rater-group or subject-group flag states the flagged group's "other groups" pooled
    (facts and sentence) beside a bar per visible group: the other groups hidden from the
    chart must hold 0 or at least k sheets together, or their marks follow by subtraction."""

    if k is not None:
        monkeypatch.setattr(privacy, "floor", lambda: k)
    floor = privacy.floor() if k is None else k
    types = list(va.SESSION_GROUP_TYPES + va.SUBJECT_GROUP_TYPES)
    ids = [
        r[0]
        for r in demo_views.execute(
            f"SELECT {va._FLAG_ID} FROM r.flags f WHERE list_contains(?, f.flag_type)", [types]
        ).fetchall()
    ]
    checked = 0
    for flag_id in ids:
        ev = ve.evidence(demo_views, flag_id, "en")
        flag = ev["flag"]
        session = demo_views.execute(
            "SELECT rater_group, count(DISTINCT ballot_id) FROM ballots "
            "WHERE period_id = ? AND unit_id = ? GROUP BY 1",
            [flag["period_id"], flag["unit_id"]],
        ).fetchall()
        cluster = flag["details"].get("ballot_ids") or []
        if cluster:
            flagged = len(cluster)
        else:
            group = flag["subject_id"] if flag["subject_type"] == "rater_group" else None
            flagged = dict(session).get(group or flag["rater_group"], 0)
        others = sum(n for _, n in session) - flagged
        for spec in ev["charts"]:
            bars = spec["data"].drop_duplicates("group")
            n = bars["group"].str.extract(r"\((\d+)\)$")[0].astype(int)
            hidden = others - int(n[~bars["flagged"].astype(bool)].sum())
            assert hidden == 0 or hidden >= floor, (flag_id, hidden)
            checked += 1
    assert checked >= 10


def test_rater_group_severities_leave_no_small_group_to_subtraction(demo_views, monkeypatch):
    """The severities of one model are centred (mean 0): with one group hidden its value is
    minus the sum of the others, so the hidden groups of a period must reach k sheets."""

    k = 200  # above the retired cadres' city-wide sheets only (about 160 a period)
    monkeypatch.setattr(privacy, "floor", lambda: k)
    df = vb.rater_groups(demo_views, None, "en")
    assert df["suppressed"].any()
    for _, part in df.groupby(["period_id", "scale"]):
        hidden = int(part.loc[part["suppressed"], "n_sheets"].sum())
        assert hidden == 0 or hidden >= k, part
        assert part.loc[part["suppressed"], "severity"].isna().all()
