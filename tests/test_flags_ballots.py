"""Ballot and rater-group detectors (analytics.flags.ballots, analytics.flags.groups): recall
on the planted demo, silence on the clean demo, the contract's fields, and edge cases on tiny
in-memory databases (a group of one sheet, a subject a group does not rate, a session of
three sheets, a session of one sheet, an empty database)."""

from __future__ import annotations

import json
import math
import re

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics import i18n
from analytics.context import Context
from analytics.flags import FLAG_TYPES, SEVERITIES
from analytics.flags import ballots as _ballots  # noqa: F401  (registers)
from analytics.flags import groups as _groups  # noqa: F401  (registers)
from analytics.store import Store
from tests.dbutil import insert, one_area_city, run

BALLOT_TYPES = ("straight_lining", "misfit_ballot", "duplicate_ballots")
GROUP_TYPES = ("rater_leniency", "rater_severity", "halo", "central_tendency")
SUBJECT_TYPES = ("favoritism", "targeted_rating")
TYPES = BALLOT_TYPES + GROUP_TYPES + SUBJECT_TYPES
ALARM = ("warning", "critical")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo(demo_db):
    ctx = Context(Store(demo_db).open_read())
    key = pd.read_csv(demo_db / "demo_answer_key.csv", dtype=str, keep_default_na=False)
    return {t: run(ctx, t) for t in TYPES}, key


@pytest.fixture(scope="module")
def clean(clean_db):
    con = Store(clean_db).open_read()
    ctx = Context(con)

    def q(sql: str) -> int:
        return int(con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0])

    sheets = q("SELECT DISTINCT ballot_id FROM ballots")
    sessions = q("SELECT DISTINCT period_id, unit_id FROM ballots")
    session_groups = q("SELECT DISTINCT period_id, unit_id, rater_group FROM ballots")
    candidates = {
        "straight_lining": sheets,
        "misfit_ballot": sheets,
        "duplicate_ballots": sessions,
        **dict.fromkeys(GROUP_TYPES, session_groups),
        "favoritism": q(
            "SELECT DISTINCT period_id, rater_group, subject_type, subject_id FROM ballots"
        ),
        "targeted_rating": q("SELECT DISTINCT period_id, subject_type, subject_id FROM ballots"),
    }
    return {t: run(ctx, t) for t in TYPES}, candidates


# ---- the city demo ----------------------------------------------------------------------------
@pytest.mark.parametrize("flag_type", TYPES)
def test_every_planted_effect_is_found(demo, flag_type):
    flags, key = demo
    df = flags[flag_type]
    planted = key[key["flag_type"] == flag_type]
    assert len(planted), "the demo plants every type"
    missed = []
    for r in planted.itertuples(index=False):
        m = df[
            (df["period_id"] == r.period_id)
            & (df["subject_type"] == r.subject_type)
            & (df["subject_id"] == r.subject_id)
            & df["severity"].isin(ALARM)
        ]
        if r.unit_id:
            m = m[m["unit_id"] == r.unit_id]
        if r.rater_group and r.subject_type != "ballot":  # a sheet is known by its id
            m = m[m["rater_group"] == r.rater_group]
        if m.empty:
            missed.append((r.period_id, r.subject_id, r.unit_id, r.rater_group, r.detail))
    assert not missed, f"{flag_type}: missed {missed}"


@pytest.mark.parametrize("flag_type", ["straight_lining", "misfit_ballot", "duplicate_ballots"])
def test_a_sheet_flag_never_names_a_group_below_the_anonymity_floor(demo, demo_db, flag_type):
    """The planted 2026Q2 sheet of unit 0303's retired cadres (fewer than k sheets) is flagged
    without saying which group cast it; larger groups are still named."""
    flags, _ = demo
    df = flags[flag_type]
    con = Store(demo_db).open_read()
    n = con.execute(
        "SELECT period_id, unit_id, rater_group, count(DISTINCT ballot_id) AS n "
        "FROM ballots GROUP BY ALL"
    ).df()
    con.close()
    small = n[n["n"] < 5]
    assert len(small)
    named = df[df["rater_group"].notna()].merge(small, on=["period_id", "unit_id", "rater_group"])
    assert named.empty
    for g in small.itertuples():
        rows = df[(df["period_id"] == g.period_id) & (df["unit_id"] == g.unit_id)]
        for text in rows["evidence_zh"]:
            assert f"（{i18n.t(f'group.{g.rater_group}', 'zh')}）" not in text
    if flag_type == "straight_lining":
        sheet = df[df["subject_id"] == "2026Q2-0303-0049"]
        assert len(sheet) == 1 and sheet["rater_group"].isna().all()
        assert "retired" not in sheet["evidence"].iloc[0]
        assert df["rater_group"].notna().any()


@pytest.mark.parametrize("flag_type", TYPES)
def test_clean_demo_stays_quiet(clean, flag_type):
    flags, candidates = clean
    df = flags[flag_type]
    alarms = int(df["severity"].isin(ALARM).sum())
    rate = alarms / candidates[flag_type]
    assert rate <= 0.02, f"{flag_type}: {alarms} alarms of {candidates[flag_type]} candidates"
    if flag_type != "straight_lining":
        # all but straight lines (which are facts: natural all-好 sheets are straight lines
        # too) stay far below the ceiling
        assert rate <= 0.002, f"{flag_type}: {alarms} of {candidates[flag_type]}"


@pytest.mark.parametrize("flag_type", TYPES)
def test_flags_follow_the_contract(demo, flag_type):
    flags, _ = demo
    df = flags[flag_type]
    subject_type = {
        "straight_lining": "ballot",
        "misfit_ballot": "ballot",
        "duplicate_ballots": "unit",
    }
    for r in df.itertuples(index=False):
        assert r.flag_type in FLAG_TYPES and r.severity in SEVERITIES
        assert r.period_id and r.unit_id
        if flag_type in subject_type:
            assert r.subject_type == subject_type[flag_type]
        elif flag_type in GROUP_TYPES:
            assert r.subject_type == "rater_group" and r.subject_id == r.rater_group
        else:
            assert r.subject_type in ("cadre", "team")
        if flag_type == "duplicate_ballots":
            assert r.subject_id == r.unit_id
        if flag_type in ("straight_lining", "misfit_ballot", *GROUP_TYPES, "favoritism"):
            assert r.rater_group, "flagged sheets or ratings of one group name the group"
        assert math.isfinite(r.statistic)
        assert pd.isna(r.p_value) or 0 <= r.p_value <= 1
        assert r.evidence.strip().endswith(".") and CJK.search(r.evidence_zh)
        assert json.loads(json.dumps(r.details)) is not None
        if flag_type in (
            "straight_lining",
            "misfit_ballot",
            "duplicate_ballots",
            "targeted_rating",
        ):
            assert r.details["ballot_ids"]
    alarms = df[df["severity"].isin(ALARM)]
    sign = {
        "rater_leniency": 1,
        "rater_severity": -1,
        "central_tendency": -1,
        "halo": 1,
        "favoritism": 1,
        "targeted_rating": -1,
    }
    if flag_type in sign:
        assert (np.sign(alarms["statistic"]) == sign[flag_type]).all()
    if flag_type != "straight_lining":
        assert alarms["p_value"].notna().all()


# ---- tiny databases ---------------------------------------------------------------------------
TEAM_ITEMS = ["T_POL", "T_LEAD", "T_UNI", "T_STY", "T_INT", "T_OVR"]
CADRE_ITEMS = ["C_POL", "C_ABI", "C_DIL", "C_ACH", "C_INT", "C_OVR"]


def tiny_db(units: list[str], n_cadres: int = 4) -> duckdb.DuckDBPyConnection:
    con = one_area_city(units, "government")
    insert(
        con,
        "cadres",
        [
            {
                "cadre_id": f"{u}{k:03d}",
                "name": f"干部{u}{k}",
                "unit_id": u,
                "position": "职务",
                "role": "principal" if k == 1 else "deputy",
                "tier": "team",
            }
            for u in units
            for k in range(1, n_cadres + 1)
        ],
    )
    insert(
        con,
        "periods",
        [
            {
                "period_id": "2026Q1",
                "label": "2026Q1",
                "start_date": "2026-01-01",
                "end_date": "2026-03-31",
            },
            {
                "period_id": "2026Q2",
                "label": "2026Q2",
                "start_date": "2026-04-01",
                "end_date": "2026-06-30",
            },
        ],
    )
    insert(
        con,
        "items",
        [
            {
                "item_id": i,
                "subject_type": st,
                "dimension": i.lower(),
                "label_zh": i,
                "label_en": i,
                "scale_max": 4,
                "scale_min": 1,
            }
            for st, items in (("team", TEAM_ITEMS), ("cadre", CADRE_ITEMS))
            for i in items
        ],
    )
    return con


class Session:
    """Sheets of one unit in one period from a small latent model (ceiling-skewed marks)."""

    def __init__(self, unit: str, period: str, n_cadres: int = 4, seed: int = 0):
        self.unit, self.period = unit, period
        self.subjects = [("team", unit)] + [
            ("cadre", f"{unit}{k:03d}") for k in range(1, n_cadres + 1)
        ]
        self.rng = np.random.default_rng(seed)
        self.quality = self.rng.normal(0.3, 0.5, len(self.subjects))
        self.rows: list[dict] = []
        self.n = 0

    def sheet(
        self,
        group: str,
        marks: dict | None = None,
        skip: set[str] = frozenset(),
        shift: float = 0.0,
        only: set[str] | None = None,
    ) -> str:
        """One sheet; ``marks`` maps subject_id → list of 6 marks (else drawn)."""
        self.n += 1
        bid = f"{self.period}-{self.unit}-{self.n:04d}"
        lean = self.rng.normal(0.3 + shift, 0.35)
        for j, (st, sid) in enumerate(self.subjects):
            if sid in skip or (only is not None and sid not in only):
                continue
            items = TEAM_ITEMS if st == "team" else CADRE_ITEMS
            if marks and sid in marks:
                scores = marks[sid]
            else:
                y = self.quality[j] + lean + self.rng.normal(0, 0.6, len(items))
                scores = np.searchsorted([-1.85, -1.05, 0.10], y) + 1
            for item, s in zip(items, scores, strict=True):
                self.rows.append(
                    {
                        "ballot_id": bid,
                        "period_id": self.period,
                        "unit_id": self.unit,
                        "rater_group": group,
                        "subject_type": st,
                        "subject_id": sid,
                        "item_id": item,
                        "score": int(s),
                    }
                )
        return bid


def all_flags(con) -> pd.DataFrame:
    ctx = Context(con)
    return pd.concat([run(ctx, t) for t in TYPES], ignore_index=True)


def test_small_groups_unrated_subjects_and_tiny_sessions():
    con = tiny_db(["U1", "U2", "U3"])
    s = Session("U1", "2026Q1", seed=1)
    for _ in range(20):
        s.sheet("staff")
    for k in range(1, 5):  # team members skip themselves
        s.sheet("team_member", skip={f"U1{k:03d}"})
    s.sheet("middle_manager")  # a group of one sheet
    s.sheet("representative", only={"U1"})  # a group that rates only the team
    s.sheet("representative", only={"U1"})
    flat = s.sheet("staff", marks={sid: [2] * 6 for _, sid in s.subjects})
    t = Session("U2", "2026Q1", seed=2)  # a session of three sheets
    for g in ("staff", "staff", "middle_manager"):
        t.sheet(g)
    u = Session("U3", "2026Q2", seed=3)  # a session of one sheet, constant
    lone = u.sheet("staff", marks={sid: [3] * 6 for _, sid in u.subjects})
    insert(con, "ballots", s.rows + t.rows + u.rows)
    df = all_flags(con)
    sl = df[df["flag_type"] == "straight_lining"].set_index("subject_id")
    assert sl.loc[flat, "severity"] in ALARM and sl.loc[flat, "details"]["mark"] == 2
    assert sl.loc[flat, "statistic"] < 0  # below what the session gives
    assert sl.loc[flat, "rater_group"] == "staff" and sl.loc[flat, "unit_id"] == "U1"
    # nothing to compare a one-sheet session with: flagged as a fact, without a p-value
    assert sl.loc[lone, "severity"] == "warning" and pd.isna(sl.loc[lone, "p_value"])
    # groups below the anonymity floor are never flagged or described
    group_flags = df[df["flag_type"].isin(GROUP_TYPES + ("favoritism",))]
    assert not group_flags["rater_group"].isin(["middle_manager", "representative"]).any()
    assert group_flags.empty or (group_flags["unit_id"] == "U1").all()
    for r in df.itertuples(index=False):
        json.dumps(r.details)


def test_duplicate_bloc_is_found_and_natural_sessions_are_not():
    con = tiny_db(["U1", "U2"], n_cadres=6)
    s = Session("U1", "2026Q1", n_cadres=6, seed=5)
    for _ in range(40):
        s.sheet("staff")
    for _ in range(8):
        s.sheet("middle_manager")
    rng = np.random.default_rng(9)
    template = {sid: list(rng.integers(2, 5, 6)) for _, sid in s.subjects}
    bloc = [s.sheet("staff", marks=template) for _ in range(6)]
    t = Session("U2", "2026Q1", n_cadres=6, seed=6)
    for _ in range(40):
        t.sheet("staff")
    insert(con, "ballots", s.rows + t.rows)
    df = run(Context(con), "duplicate_ballots")
    hit = df[df["unit_id"] == "U1"].iloc[0]
    assert hit["severity"] in ALARM and hit["statistic"] == 6
    assert sorted(hit["details"]["ballot_ids"]) == sorted(bloc)
    assert hit["rater_group"] == "staff" and hit["subject_type"] == "unit"
    assert hit["details"]["expected_clusters"] < 1e-6
    assert not ((df["unit_id"] == "U2") & df["severity"].isin(ALARM)).any()


def test_reversed_sheet_and_targeted_cluster():
    con = tiny_db(["U1"], n_cadres=6)
    s = Session("U1", "2026Q1", n_cadres=6, seed=11)
    for _ in range(45):
        s.sheet("staff")
    for _ in range(10):
        s.sheet("middle_manager")
    # a sheet marked in reverse: the mirror of an ordinary sheet
    mirror = {}
    for j, (_, sid) in enumerate(s.subjects):
        y = s.quality[j] + 0.6 + s.rng.normal(0, 0.6, 6)
        mirror[sid] = list(5 - (np.searchsorted([-1.85, -1.05, 0.10], y) + 1))
    rev = s.sheet("staff", marks=mirror)
    # eight service recipients give one cadre the minimum, the others as usual
    target = s.subjects[3][1]
    tgt = [s.sheet("service_recipient", marks={target: [1] * 6}) for _ in range(8)]
    insert(con, "ballots", s.rows)
    ctx = Context(con)
    mf = run(ctx, "misfit_ballot").set_index("subject_id")
    assert mf.loc[rev, "severity"] in ALARM and mf.loc[rev, "statistic"] > 2
    tr = run(ctx, "targeted_rating")
    hit = tr[(tr["subject_id"] == target) & tr["severity"].isin(ALARM)]
    assert len(hit) == 1
    assert hit.iloc[0]["rater_group"] == "service_recipient"
    assert sorted(hit.iloc[0]["details"]["ballot_ids"]) == sorted(tgt)
    assert hit.iloc[0]["statistic"] < -1


def test_empty_database_gives_no_flags():
    con = tiny_db(["U1"])
    assert all_flags(con).empty


def test_thresholds_are_declared_with_defaults():
    from analytics.flags import DEFAULTS

    for t in TYPES:
        assert DEFAULTS.get(t), f"{t} declares its thresholds"
    assert DEFAULTS["duplicate_ballots"]["warn_size"] >= 3  # a pair is at most a note


def test_targeted_rating_names_only_groups_above_the_floor(demo, demo_db):
    """Every group a targeted-rating flag names cast at least k sheets in that session."""
    flags, _ = demo
    df = flags["targeted_rating"]
    assert len(df)
    con = Store(demo_db).open_read()
    n = {
        (p, u, g): c
        for p, u, g, c in con.execute(
            "SELECT period_id, unit_id, rater_group, count(DISTINCT ballot_id) FROM ballots "
            "GROUP BY ALL"
        ).fetchall()
    }
    con.close()
    for r in df.itertuples():
        details = r.details if isinstance(r.details, dict) else json.loads(r.details)
        for g in details["rater_groups"]:
            if g != "small_groups":
                assert n[(r.period_id, r.unit_id, g)] >= 5, (r.subject_id, g)
        if r.rater_group:
            assert n[(r.period_id, r.unit_id, r.rater_group)] >= 5
