"""Detectors of the non-ballot sources, talks and population bias (analytics.flags.sources,
.talks, .population): recall on the planted demo, silence on the clean demo, and edge cases
on tiny in-memory databases."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics.context import Context
from analytics.flags import FLAG_COLUMNS
from analytics.flags import population as _population  # noqa: F401  (registers)
from analytics.flags import sources as _sources  # noqa: F401  (registers)
from analytics.flags import talks as _talks  # noqa: F401  (registers)
from analytics.store import Store
from tests.dbutil import insert, one_area_city, run

TYPES = (
    "self_inflation",
    "survey_anomaly",
    "satisfaction_gap",
    "verification_refuted",
    "talk_coverage_gap",
    "talk_vote_conflict",
    "group_bias",
)
KEY = ["period_id", "subject_type", "subject_id"]
ALARM = ("warning", "critical")


@pytest.fixture(scope="module")
def demo_flags(demo_db):
    ctx = Context(Store(demo_db).open_read())
    return {t: run(ctx, t) for t in TYPES}


@pytest.fixture(scope="module")
def clean_flags(clean_db):
    con = Store(clean_db).open_read()
    ctx = Context(con)
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    candidates = {
        "self_inflation": q(
            "SELECT count(*) FROM (SELECT DISTINCT period_id, subject_type, "
            "subject_id FROM self_assessments)"
        ),
        "talk_vote_conflict": q(
            "SELECT count(*) FROM (SELECT DISTINCT period_id, subject_id "
            "FROM ballots WHERE subject_type = 'cadre')"
        ),
        "survey_anomaly": q(
            "SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id FROM surveys)"
        ),
        "satisfaction_gap": q(
            "SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id FROM "
            "surveys JOIN third_party USING (period_id, unit_id))"
        ),
        "verification_refuted": q(
            "SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id FROM verifications)"
        ),
        "talk_coverage_gap": q(
            "SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id FROM talks)"
        ),
        "group_bias": 3,
    }
    return {t: run(ctx, t) for t in TYPES}, candidates


def _keys(df: pd.DataFrame) -> set[tuple]:
    return set(df[KEY].fillna("").astype(str).itertuples(index=False, name=None))


@pytest.mark.parametrize("flag_type", TYPES)
def test_recall_on_planted_demo(demo_db, demo_flags, flag_type):
    key = pd.read_csv(demo_db / "demo_answer_key.csv", dtype=str, keep_default_na=False)
    key = key[key["flag_type"] == flag_type]
    assert len(key), f"the demo plants no {flag_type}"
    df = demo_flags[flag_type]
    alarms = df[df["severity"].isin(ALARM)]
    missed = _keys(key) - _keys(alarms)
    assert not missed, f"{flag_type}: planted items not flagged at warning+: {missed}"
    # unit_id matches the key wherever the key sets it
    got = alarms.assign(**{c: alarms[c].fillna("").astype(str) for c in KEY + ["unit_id"]})
    m = key.merge(got, on=KEY, suffixes=("_key", "_flag"))
    bad = m[(m["unit_id_key"] != "") & (m["unit_id_key"] != m["unit_id_flag"])]
    assert bad.empty, bad[KEY + ["unit_id_key", "unit_id_flag"]]


@pytest.mark.parametrize("flag_type", TYPES)
def test_clean_demo_stays_quiet(clean_flags, flag_type):
    flags, candidates = clean_flags
    df = flags[flag_type]
    n_alarm = int(df["severity"].isin(ALARM).sum()) if len(df) else 0
    limit = 0 if flag_type == "group_bias" else 0.02 * candidates[flag_type]
    assert n_alarm <= limit, (flag_type, n_alarm, candidates[flag_type])


def test_flag_shape(demo_flags):
    for flag_type, df in demo_flags.items():
        assert list(df.columns[: len(FLAG_COLUMNS)]) == FLAG_COLUMNS
        for r in df.itertuples(index=False):
            assert r.flag_type == flag_type
            assert r.evidence and r.evidence_zh and r.evidence.endswith(".")
            assert np.isfinite(r.statistic)
            json.dumps(r.details)  # JSON-serialisable
            if r.p_value is not None and not pd.isna(r.p_value):
                assert 0 <= r.p_value <= 1
            if flag_type == "group_bias":
                assert r.period_id is None and r.subject_type == "population"
            else:
                assert r.period_id and r.unit_id
    # tests apply where they should, counts carry no p-value
    assert demo_flags["talk_coverage_gap"]["p_value"].isna().all()
    assert demo_flags["verification_refuted"]["p_value"].isna().all()
    assert demo_flags["self_inflation"]["p_value"].notna().all()


# ---- tiny databases ------------------------------------------------------------------------

PERIODS = [
    ("2025Q4", "2025-10-01", "2025-12-31"),
    ("2026Q1", "2026-01-01", "2026-03-31"),
    ("2026Q2", "2026-04-01", "2026-06-30"),
    ("2026Q3", "2026-07-01", "2026-09-30"),
]
CADRE_ITEMS = ["C_POL", "C_ABI", "C_DIL", "C_ACH", "C_INT", "C_OVR"]


def tiny_db(
    units: dict[str, list[tuple[str, str, str]]], unit_type: str = "party"
) -> duckdb.DuckDBPyConnection:
    """An in-memory database with four quarters, one area and ``units``: unit_id → list of
    (cadre_id, tier, role)."""
    con = one_area_city(units, unit_type)
    insert(
        con,
        "cadres",
        [
            {
                "cadre_id": c,
                "name": f"干部{c}",
                "unit_id": u,
                "position": "职务",
                "role": role,
                "tier": tier,
                "gender": "M",
                "birth_year": 1975,
            }
            for u, cs in units.items()
            for c, tier, role in cs
        ],
    )
    insert(
        con,
        "periods",
        [{"period_id": p, "label": p, "start_date": s, "end_date": e} for p, s, e in PERIODS],
    )
    insert(
        con,
        "items",
        [
            {
                "item_id": i,
                "subject_type": "cadre",
                "dimension": i.lower(),
                "label_zh": i,
                "label_en": i,
                "scale_max": 4,
                "scale_min": 1,
            }
            for i in CADRE_ITEMS
        ],
    )
    return con


def talk(tid, period, unit, tier, who, minutes=40, date=None):
    start = dict((p, s) for p, s, _ in PERIODS)[period]
    return {
        "talk_id": tid,
        "period_id": period,
        "unit_id": unit,
        "area_id": "01",
        "interviewee_tier": tier,
        "interviewee_id": who,
        "talk_date": date or str(pd.Timestamp(start) + pd.Timedelta(days=20))[:10],
        "duration_min": minutes,
    }


def test_talk_coverage_edge_cases():
    units = {
        "U1": [
            ("U1001", "team", "principal"),
            ("U1002", "team", "deputy"),
            ("U1003", "middle", "member"),
        ],  # complete round
        "U2": [("U2001", "team", "principal"), ("U2002", "middle", "member")],  # no talks
        "U3": [
            ("U3001", "team", "principal"),
            ("U3002", "team", "deputy"),
            ("U3003", "middle", "member"),
            ("U3004", "subordinate_head", "member"),
            ("U3005", "middle", "member"),
        ],
        "U4": [
            ("U4001", "team", "principal"),
            ("U4002", "middle", "member"),
            ("U4003", "middle", "member"),
        ],  # anonymous middle talk
        "U5": [
            ("U5001", "team", "principal"),
            ("U5002", "team", "deputy"),
            ("U5003", "middle", "member"),
        ],  # rushed round
        "U6": [
            ("U6001", "team", "principal"),
            ("U6002", "team", "deputy"),
            ("U6003", "middle", "member"),
        ],  # make-up talk next quarter
    }
    con = tiny_db(units)
    t = [
        talk("T1", "2026Q1", "U1", "team", "U1001"),
        talk("T2", "2026Q1", "U1", "team", "U1002"),
        talk("T3", "2026Q1", "U1", "middle", "U1003"),
        talk("T4", "2026Q1", "U1", "staff", None),
        # U3: the subordinate-unit head has no talk
        talk("T5", "2026Q2", "U3", "team", "U3001"),
        talk("T6", "2026Q2", "U3", "team", "U3002"),
        talk("T7", "2026Q2", "U3", "middle", "U3003"),
        talk("T7b", "2026Q2", "U3", "middle", "U3005"),
        # U4: one middle head recorded without id
        talk("T8", "2025Q4", "U4", "team", "U4001"),
        talk("T9", "2025Q4", "U4", "middle", "U4002"),
        talk("T10", "2025Q4", "U4", "middle", None),
        # U5: complete but rushed (median 12 minutes)
        talk("T11", "2026Q3", "U5", "team", "U5001", 12),
        talk("T12", "2026Q3", "U5", "team", "U5002", 12),
        talk("T13", "2026Q3", "U5", "middle", "U5003", 30),
        # U6: the middle head heard in the next quarter
        talk("T14", "2026Q1", "U6", "team", "U6001"),
        talk("T15", "2026Q1", "U6", "team", "U6002"),
        talk("T16", "2026Q2", "U6", "middle", "U6003"),
    ]
    insert(con, "talks", t)
    df = run(Context(con), "talk_coverage_gap")
    by = {(r.unit_id, r.period_id): r for r in df.itertuples(index=False)}
    assert ("U1", "2026Q1") not in by  # complete round: silent
    u2 = by[("U2", "2026Q3")]  # a year loaded, no talk at all
    assert u2.severity == "warning" and u2.statistic == 1.0 and u2.p_value is None
    assert [k for k in by if k[0] == "U2"] == [("U2", "2026Q3")]
    u3 = by[("U3", "2026Q2")]
    assert u3.severity == "warning"
    assert [c["cadre_id"] for c in u3.details["missing_cadres"]] == ["U3004"]
    assert u3.statistic == pytest.approx(0.2)
    assert ("U4", "2025Q4") not in by  # anonymous talk covers the tier
    u5 = by[("U5", "2026Q3")]
    assert u5.severity == "critical" and u5.details["median_minutes"] == 12
    assert by[("U6", "2026Q1")].severity == "info"  # made up in the next quarter
    assert by[("U6", "2026Q1")].details["made_up_in_adjacent_period"][0]["period_id"] == "2026Q2"
    assert ("U6", "2026Q2") not in by  # ad-hoc talk, not a round
    # less than a year analysed and loaded: a unit without any talk is only noted
    con2 = tiny_db({"U2": units["U2"], "U1": units["U1"]})
    con2.execute("DELETE FROM periods WHERE period_id IN ('2025Q4', '2026Q3')")
    insert(con2, "talks", t[:4])
    df2 = run(Context(con2), "talk_coverage_gap")
    assert df2[["unit_id", "period_id", "severity"]].values.tolist() == [["U2", "2026Q2", "info"]]
    # and with one period analysed out of a full year, a round elsewhere is not a gap
    df3 = run(Context(con, ["2025Q4"]), "talk_coverage_gap")
    assert df3.empty


def _ordinal(y: np.ndarray) -> np.ndarray:
    return np.digitize(y, [-1.85, -1.05, 0.10]) + 1


def test_self_inflation_missing_self_and_missing_ballots():
    rng = np.random.default_rng(3)
    units = {
        f"U{u:02d}": [
            (f"U{u:02d}{c:03d}", "team", "principal" if c == 1 else "member") for c in range(1, 7)
        ]
        for u in range(1, 16)
    }
    con = tiny_db(units)
    cadres = [c for cs in units.values() for c, _, _ in cs]
    q = {c: float(np.clip(rng.normal(0, 0.6), -1.2, 1.2)) for c in cadres}
    inflated, no_self, no_ballots = "U01002", "U02003", "U03004"
    q[inflated] = -1.6
    ballots, selfs = [], []
    for u, cs in units.items():
        for s in range(25):
            shift = rng.normal(0.3, 0.35)
            for c, _, _ in cs:
                if c == no_ballots:
                    continue
                marks = _ordinal(q[c] + shift + rng.normal(0, 0.65, 6))
                ballots += [
                    {
                        "ballot_id": f"2026Q1-{u}-{s:03d}",
                        "period_id": "2026Q1",
                        "unit_id": u,
                        "rater_group": "staff",
                        "subject_type": "cadre",
                        "subject_id": c,
                        "item_id": i,
                        "score": int(m),
                    }
                    for i, m in zip(CADRE_ITEMS, marks, strict=True)
                ]
        for c, _, _ in cs:
            if c == no_self:
                continue
            marks = (
                np.full(6, 4) if c == inflated else _ordinal(q[c] + 0.9 + rng.normal(0, 0.35, 6))
            )
            selfs += [
                {
                    "period_id": "2026Q1",
                    "subject_type": "cadre",
                    "subject_id": c,
                    "item_id": i,
                    "score": float(m),
                }
                for i, m in zip(CADRE_ITEMS, marks, strict=True)
            ]
    insert(con, "ballots", ballots)
    insert(con, "self_assessments", selfs)
    df = run(Context(con), "self_inflation")
    alarms = df[df["severity"].isin(ALARM)]
    assert alarms["subject_id"].tolist() == [inflated]
    r = alarms.iloc[0]
    assert r["unit_id"] == "U01" and r["statistic"] > 0.5 and r["p_value"] < 0.01
    assert r["details"]["self_mean"] == 4.0
    assert not set(df["subject_id"]) & {no_self, no_ballots}


def test_satisfaction_gap_unit_without_third_party():
    rng = np.random.default_rng(5)
    units = {f"U{u:02d}": [(f"U{u:02d}001", "team", "principal")] for u in range(1, 31)}
    con = tiny_db(units)
    surveys, third = [], []
    no_tp, gap_unit = "U07", "U12"
    for u in units:
        level = rng.normal(0, 0.4)
        for p, start, _ in PERIODS[:3]:
            lat = level + (1.0 if (u, p) == (gap_unit, "2026Q2") else 0.0)
            marks = np.clip(
                np.round(3.5 + lat + rng.normal(0, 0.5, (40, 1)) + rng.normal(0, 0.7, (40, 5))),
                1,
                5,
            ).astype(int)
            for r in range(40):
                ts = pd.Timestamp(start) + pd.Timedelta(
                    days=int(rng.integers(0, 80)), hours=int(rng.integers(8, 20))
                )
                surveys += [
                    {
                        "response_id": f"{p}-{u}-G{r:03d}",
                        "period_id": p,
                        "unit_id": u,
                        "source": "grassroots",
                        "item_id": f"S{i}",
                        "score": int(m),
                        "submitted_at": ts,
                    }
                    for i, m in enumerate(marks[r])
                ]
            if u == no_tp:
                continue
            q = (marks.mean() - 1) / 4 * 100
            tp = 60 + 0.3 * q + rng.normal(0, 1.5) - (20 if (u, p) == (gap_unit, "2026Q2") else 0)
            third.append(
                {
                    "period_id": p,
                    "unit_id": u,
                    "provider": "第三方",
                    "sample_size": 300,
                    "satisfaction": float(np.clip(tp, 0, 100)),
                }
            )
    insert(con, "surveys", surveys)
    insert(con, "third_party", third)
    df = run(Context(con), "satisfaction_gap")
    alarms = df[df["severity"].isin(ALARM)]
    assert alarms[["unit_id", "period_id"]].values.tolist() == [[gap_unit, "2026Q2"]]
    assert alarms.iloc[0]["statistic"] > 8  # own questionnaires more favourable
    assert no_tp not in set(df["unit_id"])


def test_verification_partial_only_is_info_at_most():
    con = tiny_db(
        {
            "U1": [("U1001", "team", "principal")],
            "U2": [("U2001", "team", "principal")],
            "U3": [("U3001", "team", "principal")],
            "U4": [("U4001", "team", "principal")],
        }
    )
    rows = []
    for unit, results in {
        "U1": ["partial"],
        "U2": ["partial", "partial", "confirmed"],
        "U3": ["refuted", "partial"],
        "U4": ["refuted", "refuted", "refuted"],
    }.items():
        rows += [
            {
                "period_id": "2026Q1",
                "unit_id": unit,
                "claim_id": f"V{k + 1:02d}",
                "claim": "建成示范点12个",
                "result": res,
                "note": None,
            }
            for k, res in enumerate(results)
        ]
    insert(con, "verifications", rows)
    df = run(Context(con), "verification_refuted")
    sev = dict(zip(df["unit_id"], df["severity"], strict=True))
    assert "U1" not in sev  # a single partial claim is routine
    assert sev["U2"] == "info"  # partial alone: a note, never an alarm
    assert sev["U3"] == "warning"
    assert sev["U4"] == "critical"
    u4 = df[df["unit_id"] == "U4"].iloc[0]
    assert u4["statistic"] == 3 and u4["p_value"] is None
    assert u4["details"]["refuted_claim_ids"] == ["V01", "V02", "V03"]


def test_survey_burst_and_timing():
    rng = np.random.default_rng(9)
    con = tiny_db({f"U{u}": [(f"U{u}001", "team", "principal")] for u in range(1, 6)})
    rows = []
    start = pd.Timestamp("2026-01-01 00:00:00")
    for u in range(1, 6):
        n = 60
        marks = np.clip(
            np.round(3.6 + rng.normal(0, 0.5, (n, 1)) + rng.normal(0, 0.7, (n, 5))), 1, 5
        ).astype(int)
        times = [
            start
            + pd.Timedelta(
                days=int(rng.integers(0, 88)), seconds=int(rng.integers(8 * 3600, 21 * 3600))
            )
            for _ in range(n)
        ]
        if u == 2:  # a burst: 12 identical responses within three minutes
            marks = np.vstack([marks, np.tile([5, 5, 4, 5, 5], (12, 1))])
            t0 = start + pd.Timedelta(days=40, hours=10)
            times += [t0 + pd.Timedelta(seconds=15 * k) for k in range(12)]
        if u == 3:  # one response stamped after the period
            times[0] = pd.Timestamp("2026-05-20 10:00:00")
        for r, (m, ts) in enumerate(zip(marks, times, strict=True)):
            rows += [
                {
                    "response_id": f"2026Q1-U{u}-G{r:03d}",
                    "period_id": "2026Q1",
                    "unit_id": f"U{u}",
                    "source": "grassroots",
                    "item_id": f"S{i}",
                    "score": int(x),
                    "submitted_at": ts,
                }
                for i, x in enumerate(m)
            ]
    insert(con, "surveys", rows)
    df = run(Context(con), "survey_anomaly")
    by = {r.unit_id: r for r in df.itertuples(index=False)}
    assert set(by) == {"U2", "U3"}
    assert by["U2"].severity == "critical" and by["U2"].details["burst_size"] == 12
    assert by["U2"].details["burst_vector"] == "55455" and by["U2"].p_value < 0.001
    assert by["U3"].severity == "info" and by["U3"].details["outside_period"] == 1
    json.dumps([r.details for r in by.values()])


def test_empty_database_gives_no_flags():
    con = tiny_db({"U1": [("U1001", "team", "principal")]})
    ctx = Context(con)
    for flag_type in TYPES:
        # a database without a single talk has not loaded the talk channel: that is shown
        # as a coverage gap of the data (Data page), not as a flag on every unit
        assert run(ctx, flag_type).empty, flag_type


def test_unit_without_talks_in_a_year_of_talks_elsewhere_is_flagged():
    con = tiny_db({"U1": [("U1001", "team", "principal")], "U2": [("U2001", "team", "principal")]})
    insert(
        con,
        "talks",
        [
            {
                "talk_id": "T1",
                "period_id": "2026Q1",
                "unit_id": "U2",
                "area_id": "01",
                "interviewee_tier": "team",
                "interviewee_id": "U2001",
                "talk_date": "2026-02-01",
                "duration_min": 45,
            }
        ],
    )
    df = run(Context(con), "talk_coverage_gap")
    assert df[["unit_id", "period_id", "severity"]].values.tolist() == [["U1", "2026Q3", "warning"]]
