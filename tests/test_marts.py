"""The SQL marts: one definition per quantity, computed once and read by every consumer."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from analytics import schema
from analytics.context import Context
from analytics.sql import MARTS, load_sql, mart_sql
from tests.dbutil import insert

ROOT = Path(__file__).resolve().parents[1]
SQL = ROOT / "analytics" / "sql"


@pytest.fixture()
def con():
    c = duckdb.connect()
    schema.create_current(c)
    insert(c, "areas", [{"area_id": "A", "name": "甲区"}])
    insert(c, "units", [{"unit_id": "U1", "name": "一局", "area_id": "A", "unit_type": "gov"}])
    insert(
        c,
        "periods",
        [
            {
                "period_id": "P1",
                "label": "一期",
                "start_date": "2026-01-01",
                "end_date": "2026-03-31",
            }
        ],
    )
    return c


def test_every_sql_file_states_grain_and_units():
    for path in [*(SQL / "staging").glob("*.sql"), *(SQL / "marts").glob("*.sql")]:
        head = path.read_text(encoding="utf-8").split("\n\n")[0]
        assert head.startswith(f"-- {path.stem}:"), path
        assert "Grain:" in head and "Units" in head, path


def test_marts_are_chains_of_named_ctes_over_staging():
    for name in MARTS:
        text = load_sql(f"marts/{name}")
        body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("--"))
        assert body.lstrip().startswith("WITH "), name
        # a mart reads staging or other marts, never a raw table's scale arithmetic
        assert "scale_min)" not in body or name == "sheet_subject", name


def test_questionnaire_satisfaction_is_per_respondent(con):
    # respondent r1 answers 1 item at 5; r2 answers 3 items at 1: per respondent the mean is
    # (100 + 0) / 2 = 50; per answer it would be 25
    rows = [("r1", "q1", 5), ("r2", "q1", 1), ("r2", "q2", 1), ("r2", "q3", 1)]
    insert(
        con,
        "surveys",
        [
            {"response_id": r, "period_id": "P1", "unit_id": "U1", "source": "grassroots",
             "item_id": i, "score": s}
            for r, i, s in rows
        ],
    )  # fmt: skip
    insert(
        con,
        "third_party",
        [
            {"period_id": "P1", "unit_id": "U1", "provider": "a", "sample_size": 100,
             "satisfaction": 80.0},
            {"period_id": "P1", "unit_id": "U1", "provider": "b", "sample_size": 300,
             "satisfaction": 60.0},
        ],
    )  # fmt: skip
    row = Context(con).mart("unit_satisfaction").iloc[0]
    assert row["questionnaire"] == pytest.approx(50.0)
    assert row["n_respondents"] == 2
    assert row["third_party"] == pytest.approx(65.0)  # weighted by sample size
    assert row["n_third_party"] == 400
    var = (100 * 0.8 * 0.2 + 300 * 0.6 * 0.4) / 400**2 * 10000
    assert row["var_third_party"] == pytest.approx(var)
    assert row["satisfaction"] == pytest.approx((50 * 2 + 65 * 400) / 402)
    # the satisfaction channel reads the same figure
    from analytics import channels

    sat = channels.satisfaction(Context(con))
    assert sat.loc[sat["subject_type"] == "team", "satisfaction"].iloc[0] == pytest.approx(
        row["satisfaction"]
    )


def test_superior_scale_comes_from_the_schema(con):
    insert(
        con,
        "superior_opinions",
        [
            {"period_id": "P1", "subject_type": "team", "subject_id": "U1", "department": d,
             "rating": r}
            for d, r in (("d1", 4), ("d2", 1), ("d3", 3))
        ],
    )  # fmt: skip
    row = Context(con).mart("superior").iloc[0]
    assert row["superior"] == pytest.approx((100 + 0 + 200 / 3) / 3)
    assert row["n_departments"] == 3
    assert "1.0" in mart_sql("stg_superior") and "4.0" in mart_sql("stg_superior")


def test_no_consumer_rescales_a_channel_on_its_own():
    """The (x − 1) / 4 · 100 and (x − 1) / 3 · 100 rescales and the third-party weighted mean
    are written once, in the staging and mart SQL."""
    pattern = re.compile(r"-\s*1\)?\s*/\s*[34](\.0)?\b|satisfaction\s*\*\s*sample_size")
    offenders = []
    for path in (ROOT / "analytics").rglob("*.py"):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not offenders, offenders
