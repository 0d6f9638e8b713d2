"""The detectors on real public data nobody here made: the Eurovision national juries
2016–2022 (data/real/eurovision, see its SOURCE.md for the documented anomalies)."""

from __future__ import annotations

import pytest

from analytics.context import Context
from analytics.flags import run_all
from analytics.ingest import import_bundle
from analytics.real_data import eurovision_bundle
from analytics.store import Store


@pytest.fixture(scope="module")
def esc_flags(tmp_path_factory):
    work = tmp_path_factory.mktemp("esc")
    import_bundle(eurovision_bundle(work / "bundle"), work / "db")
    con = Store(work / "db").open_read()
    try:
        return run_all(Context(con))
    finally:
        con.close()


def test_reversed_jurors_documented_in_the_press_are_flagged(esc_flags):
    misfit = esc_flags[esc_flags["flag_type"] == "misfit_ballot"].set_index("subject_id")
    reversed_jurors = [
        "2016-semi-final-2-DK-D",
        "2016-final-DK-D",
        "2019-semi-final-2-SE-C",
        "2019-semi-final-1-CZ-C",
        "2019-semi-final-2-RU-C",
        "2016-semi-final-2-GE-B",
        "2017-final-PT-E",
    ]
    assert set(reversed_jurors) <= set(misfit.index)
    alarms = misfit[misfit["severity"].isin(["warning", "critical"])]
    assert {"2016-final-DK-D", "2019-semi-final-2-SE-C"} <= set(alarms.index)
    # 5 jurors × ~40 juries × 18 shows: alarms stay a small share of the sheets
    assert len(alarms) < 0.05 * 2000


def test_armenian_jury_ranking_azerbaijan_last_is_a_targeted_rating(esc_flags):
    t = esc_flags[
        (esc_flags["flag_type"] == "targeted_rating") & (esc_flags["subject_id"] == "2019-final-AZ")
    ]
    assert t["severity"].tolist() == ["critical"]
    assert "5 from AM" in t["evidence"].iloc[0]


def test_channels_the_data_lacks_raise_nothing(esc_flags):
    """No talks, surveys or self-assessments in this data: those detectors stay silent."""
    for ft in (
        "talk_coverage_gap",
        "talk_vote_conflict",
        "survey_anomaly",
        "satisfaction_gap",
        "self_inflation",
        "verification_refuted",
    ):
        assert (esc_flags["flag_type"] == ft).sum() == 0, ft
