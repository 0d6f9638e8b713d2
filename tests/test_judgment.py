"""Judgments that respect their own evidence (issue 9): flag-aware scores, verdicts that
cannot contradict the flags, the `teams` command, the Overview's lists behind the counts."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analytics import results
from analytics.cli import main
from analytics.scores_flagged import set_aside_sheets
from analytics.store import Store
from analytics.teams import COLUMNS as TEAM_COLUMNS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def res(demo_db):
    store = Store(demo_db)
    return {t: results.read(store, t) for t in ("scores", "flags", "team_health", "changes")}


def test_flag_aware_columns_equal_the_plain_ones_where_nothing_is_set_aside(res):
    sc = res["scores"]
    none = sc[sc["flagged_sheets"] == 0]
    assert len(none) > 0.5 * len(sc)
    for excl, plain in (
        ("composite_excl_flagged", "composite"),
        ("ci_low_excl_flagged", "ci_low"),
        ("ci_high_excl_flagged", "ci_high"),
    ):
        assert np.array_equal(none[excl].to_numpy(), none[plain].to_numpy()), excl
    some = sc[sc["flagged_sheets"] > 0]
    assert len(some) and (some["composite_excl_flagged"] != some["composite"]).any()
    assert (sc["ci_low_excl_flagged"] <= sc["composite_excl_flagged"] + 1e-9).all()
    assert (sc["composite_excl_flagged"] <= sc["ci_high_excl_flagged"] + 1e-9).all()


def test_a_targeted_cadre_scores_higher_without_the_targeting_sheets(res):
    fl, sc = res["flags"], res["scores"]
    tgt = fl[(fl["flag_type"] == "targeted_rating") & (fl["severity"] == "critical")]
    assert len(tgt)
    for r in tgt.itertuples(index=False):
        n = len(json.loads(r.details)["ballot_ids"])
        row = sc[
            (sc["period_id"] == r.period_id)
            & (sc["subject_type"] == "cadre")
            & (sc["subject_id"] == r.subject_id)
        ].iloc[0]
        assert row["flagged_sheets"] >= n
        assert row["composite_excl_flagged"] > row["composite"]


def test_set_aside_keeps_one_copy_of_a_duplicate_bloc_and_ignores_notes():
    flags = pd.DataFrame(
        [
            ("duplicate_ballots", "P", "critical", {"ballot_ids": ["b3", "b1", "b2"]}),
            ("straight_lining", "P", "warning", {"ballot_ids": ["s1"]}),
            ("misfit_ballot", "P", "info", {"ballot_ids": ["m1"]}),
            ("rater_leniency", "P", "critical", {"ballot_ids": ["g1"]}),
        ],
        columns=["flag_type", "period_id", "severity", "details"],
    )
    assert sorted(set_aside_sheets(flags)["ballot_id"]) == ["b2", "b3", "s1"]


def test_no_good_verdict_beside_a_critical_flag_without_flags_discounted(res):
    th, fl = res["team_health"], res["flags"]
    crit = fl[(fl["severity"] == "critical") & fl["unit_id"].notna() & fl["period_id"].notna()]
    with_crit = th.merge(
        crit[["period_id", "unit_id"]].drop_duplicates(), on=["period_id", "unit_id"]
    )
    good = with_crit[with_crit["verdict"] == "good"]
    assert good["reason_codes"].str.contains("flags_discounted").all()
    # a critical flag that accuses the team or a member makes the verdict "concern"
    accusing = crit[crit["flag_type"].isin(["targeted_rating", "favoritism", "self_inflation"])]
    judged = th.merge(accusing[["period_id", "unit_id"]].drop_duplicates())
    assert len(judged) and (judged["verdict"] == "concern").all()
    assert judged["reason_codes"].str.contains("critical_flags").all()


def test_no_change_is_called_clear_when_flagged_sheets_drive_it(res):
    ch = res["changes"]
    assert set(ch["change_state"].dropna()) <= {"clear", "flagged", "within"}
    flagged = ch[ch["change_state"] == "flagged"]
    assert not flagged["change_clear"].any()
    clear = ch[ch["change_clear"]]
    assert (np.sign(clear["change_z"]) == np.sign(clear["change_excl_z"])).all()


def test_teams_command_writes_the_contract_columns(demo_db, tmp_path, res):
    out = tmp_path / "teams.csv"
    assert main(["teams", "--db", str(demo_db), "--period", "2026Q3", "--out", str(out)]) == 0
    df = pd.read_csv(out, dtype={"unit_id": str}, keep_default_na=False)
    assert list(df.columns) == TEAM_COLUMNS
    assert (df["period_id"] == "2026Q3").all() and df["unit_id"].is_unique
    fl = res["flags"]
    f = fl[(fl["period_id"] == "2026Q3") & fl["unit_id"].notna()]
    crit = f[f["severity"] == "critical"].groupby("unit_id").size()
    got = df.set_index("unit_id")["n_critical_flags"]
    assert got.reindex(crit.index).tolist() == crit.tolist()
    bad = df[(df["verdict"] == "good") & (df["n_critical_flags"] > 0)]
    assert bad["reason_codes"].str.split(";").apply(lambda c: "flags_discounted" in c).all()
    assert set(df["verdict"]) <= {"good", "watch", "concern"}
    assert main(["teams", "--db", str(demo_db), "--period", "nope", "--out", str(out)]) == 1


def test_overview_lists_every_team_the_verdict_counts_name(demo_db, demo_views):
    from analytics.views import overview as ov

    con = demo_views
    h = ov.headline(con, "2026Q3")
    teams = ov.attention_teams(con, "2026Q3")
    assert (teams["verdict"] == "concern").sum() == h["verdicts"]["concern"]
    assert (teams["verdict"] == "watch").sum() == h["verdicts"]["watch"]
    assert (teams["reasons_zh"] != "").all() and (teams["reasons_en"] != "").all()
