"""Composite scores, reliability and the scores/flags commands on the demo city."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from analytics.cli import main
from analytics.context import Context
from analytics.demo_build import build_demo_database
from analytics.export import export_bundle
from analytics.flags import FLAG_COLUMNS
from analytics.reliability import icc_two_way, session_reliability
from analytics.scores import SCORE_COLUMNS, compute_scores
from analytics.store import Store


@pytest.fixture(scope="module")
def demo_scores(demo_db) -> pd.DataFrame:
    con = Store(demo_db).open_read()
    try:
        return compute_scores(Context(con), reps=100)
    finally:
        con.close()


def test_scores_cover_every_team_and_member(demo_scores, demo_db):
    con = Store(demo_db).open_read()
    n_units, n_members = con.execute(
        "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM cadres WHERE tier = 'team')"
    ).fetchone()
    con.close()
    per_period = demo_scores.groupby("period_id").size()
    assert (per_period == n_units + n_members).all()
    assert set(demo_scores["subject_type"]) == {"team", "cadre"}


def test_composite_interval_and_rank_rules(demo_scores):
    s = demo_scores
    assert s["composite"].between(0, 100).all()
    assert (s["ci_low"] <= s["composite"] + 1e-9).all()
    assert (s["composite"] <= s["ci_high"] + 1e-9).all()
    assert (s["ci_high"] > s["ci_low"]).mean() > 0.99  # the bootstrap moves almost everyone
    assert (s["rank_low"] <= s["rank"]).all() and (s["rank"] <= s["rank_high"]).all()
    for _, g in s.groupby(["period_id", "peer_group"]):
        best = g.loc[g["composite"].idxmax()]
        assert best["rank"] == 1
        # rank = 1 + number of peers strictly better (ties share the better rank)
        expected = 1 + (
            g["composite"].to_numpy()[None, :] > g["composite"].to_numpy()[:, None]
        ).sum(axis=1)
        assert (g["rank"].to_numpy() == expected).all()


def test_peer_groups_are_unit_types(demo_scores):
    teams = demo_scores[demo_scores["subject_type"] == "team"]
    assert set(teams["peer_group"]) == {
        f"{t} teams" for t in ("party", "government", "district", "enterprise", "institution")
    }
    # standardised within peers: each peer group's democratic z has mean ≈ 0
    z = demo_scores.groupby(["period_id", "peer_group"])["z_democratic"].mean()
    assert np.allclose(z, 0, atol=1e-9)


def test_missing_channel_reweights_instead_of_zero(demo_scores):
    s = demo_scores
    missing = s[s["missing_channels"].str.contains("superior")]
    assert len(missing) > 0 and missing["superior"].isna().all()
    w = {"performance": 40, "democratic": 30, "satisfaction": 20}
    expected = 50 + 10 * sum(w[c] * missing[f"z_{c}"] for c in w) / sum(w.values())
    assert np.allclose(missing["composite"], expected.clip(0, 100))


def test_icc_matches_shrout_fleiss_table():
    # Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges; ICC(2,1) = .29, ICC(2,4) = .62
    x = np.array(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
        dtype=float,
    )
    single, average = icc_two_way(x)
    assert round(single, 2) == 0.29 and round(average, 2) == 0.62


def test_session_reliability_has_a_row_per_session(demo_db):
    con = Store(demo_db).open_read()
    rel = session_reliability(con)
    sessions = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT period_id, unit_id FROM ballots)"
    ).fetchone()[0]
    con.close()
    assert len(rel) == sessions
    assert rel["alpha"].between(-1, 1).all()
    assert rel["alpha_band"].isin(["reliable", "tentative", "unreliable"]).all()
    assert rel["icc_average"].dropna().between(-1, 1).all()


def test_cli_scores_and_flags_files(demo_db, tmp_path, capsys):
    assert (
        main(
            ["scores", "--db", str(demo_db), "--period", "2026Q1", "--out", str(tmp_path / "s.csv")]
        )
        == 0
    )
    s = pd.read_csv(tmp_path / "s.csv", dtype={"subject_id": str})
    assert list(s.columns[: len(SCORE_COLUMNS)]) == SCORE_COLUMNS
    assert set(s["period_id"]) == {"2026Q1"}
    assert s["subject_id"].str.len().isin([4, 7]).all()  # leading zeros kept
    assert main(["flags", "--db", str(demo_db), "--out", str(tmp_path / "f.csv")]) == 0
    f = pd.read_csv(tmp_path / "f.csv", dtype=str, keep_default_na=False)
    assert list(f.columns[: len(FLAG_COLUMNS)]) == FLAG_COLUMNS
    assert f["severity"].isin(["info", "warning", "critical"]).all()
    assert (f["evidence"].str.len() > 20).all()
    capsys.readouterr()
    assert (
        main(
            ["scores", "--db", str(demo_db), "--period", "1999Q9", "--out", str(tmp_path / "x.csv")]
        )
        == 1
    )
    assert "no such period" in capsys.readouterr().err


def test_demo_is_deterministic(demo_db, tmp_path):
    """Same seed → the same database content, byte for byte in the exported bundle."""
    build_demo_database(tmp_path / "again", seed=7)
    digests = []
    for db, out in ((demo_db, tmp_path / "e1"), (tmp_path / "again", tmp_path / "e2")):
        export_bundle(db, out)
        digests.append(
            {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}
        )
    assert digests[0] == digests[1]
    assert len(digests[0]) == 14


def test_rater_model_recovers_the_demo_groups_natural_leniency(demo_db):
    """The generator's city-wide offsets (staff +0.45 … service_recipient −0.30 latent) come
    back as the ordering of the fitted group severities, each with a small SE."""
    from analytics import rater_model

    ctx = Context(Store(demo_db).open_read())
    g = rater_model.groups(ctx)
    assert all(m.fit.converged for m in rater_model.models(ctx))
    for _, p in g.groupby("period_id"):
        sev = p.set_index("rater_group")["severity"]
        assert sev["staff"] < sev["middle_manager"] < sev["service_recipient"]
        assert sev["subordinate_unit"] < sev["representative"]
        assert (p["severity_se"] < 0.05).all()
        assert p["outfit"].between(0.7, 1.5).all()
    fair = rater_model.subjects(ctx)
    assert fair["fair_100"].between(0, 100).all()
    # the democratic channel is the fair average
    s = compute_scores(ctx, reps=0)
    m = s.merge(fair, on=["period_id", "subject_type", "subject_id"])
    assert np.allclose(m["democratic"], m["fair_100"])


def test_config_file_documents_every_threshold():
    """config/yanpan.toml lists every detector default with its value (one config)."""
    import tomllib

    from analytics import config
    from analytics.flags import DEFAULTS, FLAG_TYPES, registry  # noqa: F401

    with config.DEFAULTS_FILE.open("rb") as f:
        documented = tomllib.load(f)["flags"]
    assert set(DEFAULTS) == set(FLAG_TYPES)
    for ft, values in DEFAULTS.items():
        for key, value in values.items():
            assert documented[ft][key] == value, (ft, key)
