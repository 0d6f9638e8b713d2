"""Fast tests of the demo-data generator (analytics.demo) at city scale, default seed.

Each variant is generated once per module; the checks then run on the collected frames.
The contract's columns are written out here on purpose (not imported from the generator), so
that a drift between the generator and CONTRACT.md §1 fails.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
import pytest

from analytics import flags
from analytics.demo import build_demo
from analytics.schema import KNOWN_RATER_GROUPS

CONTRACT = {
    "areas": ["area_id", "name", "leader"],
    "units": ["unit_id", "name", "unit_type", "area_id", "staff_count"],
    "cadres": [
        "cadre_id",
        "name",
        "unit_id",
        "position",
        "role",
        "tier",
        "gender",
        "birth_year",
        "education",
        "in_post_since",
    ],
    "periods": ["period_id", "label", "start_date", "end_date"],
    "items": [
        "item_id",
        "subject_type",
        "dimension",
        "label_zh",
        "label_en",
        "scale_max",
        "scale_min",
    ],
    "ballots": [
        "ballot_id",
        "period_id",
        "unit_id",
        "rater_group",
        "subject_type",
        "subject_id",
        "item_id",
        "score",
        "submitted_at",
    ],
    "performance": [
        "period_id",
        "unit_id",
        "indicator_id",
        "indicator",
        "score",
        "max_score",
        "weight",
        "cadre_id",
    ],
    "surveys": [
        "response_id",
        "period_id",
        "unit_id",
        "source",
        "item_id",
        "score",
        "submitted_at",
    ],
    "third_party": ["period_id", "unit_id", "provider", "sample_size", "satisfaction"],
    "superior_opinions": [
        "period_id",
        "subject_type",
        "subject_id",
        "department",
        "rating",
        "comment",
    ],
    "self_assessments": ["period_id", "subject_type", "subject_id", "item_id", "score"],
    "verifications": ["period_id", "unit_id", "claim_id", "claim", "result", "note"],
    "talks": [
        "talk_id",
        "period_id",
        "unit_id",
        "area_id",
        "interviewee_tier",
        "interviewee_id",
        "talk_date",
        "duration_min",
    ],
    "talk_mentions": ["talk_id", "subject_type", "subject_id", "stance", "topic", "note"],
}
KEYS = {
    "areas": ["area_id"],
    "units": ["unit_id"],
    "cadres": ["cadre_id"],
    "periods": ["period_id"],
    "items": ["item_id"],
    "ballots": ["ballot_id", "subject_type", "subject_id", "item_id"],
    "performance": ["period_id", "unit_id", "indicator_id"],
    "surveys": ["response_id", "item_id"],
    "third_party": ["period_id", "unit_id", "provider"],
    "superior_opinions": ["period_id", "subject_type", "subject_id", "department"],
    "self_assessments": ["period_id", "subject_type", "subject_id", "item_id"],
    "verifications": ["period_id", "unit_id", "claim_id"],
    "talks": ["talk_id"],
}
INT_COLS = {
    ("units", "staff_count"),
    ("cadres", "birth_year"),
    ("items", "scale_max"),
    ("items", "scale_min"),
    ("ballots", "score"),
    ("surveys", "score"),
    ("third_party", "sample_size"),
    ("superior_opinions", "rating"),
    ("talks", "duration_min"),
}
FLOAT_COLS = {
    ("performance", "score"),
    ("performance", "max_score"),
    ("performance", "weight"),
    ("third_party", "satisfaction"),
    ("self_assessments", "score"),
}
ORDER = list(CONTRACT)
ANSWER_KEY = [
    "flag_type",
    "period_id",
    "subject_type",
    "subject_id",
    "unit_id",
    "rater_group",
    "detail",
]


def vals(s: pd.Series) -> set:
    """The distinct non-null values of a column (``set(series)`` is slow on 1.5 M strings)."""
    return set(s.dropna().unique().tolist())


class Generated:
    def __init__(self, seed: int = 7, clean: bool = False) -> None:
        self.demo = build_demo(seed=seed, clean=clean)
        self.key_before = self.demo.answer_key.copy()
        self.chunks: list[tuple[str, pd.DataFrame]] = []
        self.progress: list[float] = []
        for name, frame in self.demo.tables(lambda f, m: self.progress.append(f)):
            self.chunks.append((name, frame))
        t = {}
        for name, frame in self.chunks:
            t.setdefault(name, []).append(frame)
        self.t = {k: pd.concat(v, ignore_index=True) for k, v in t.items()}
        b = self.t["ballots"]
        self.sheet_codes, self.sheet_ids = pd.factorize(b["ballot_id"])

    @cached_property
    def sheets(self) -> pd.DataFrame:
        """One row per ballot sheet: its session, group, row count and min/max mark."""
        b = self.t["ballots"]
        g = pd.DataFrame({"s": self.sheet_codes, "score": b["score"].to_numpy()})
        agg = g.groupby("s")["score"].agg(["min", "max", "size"])
        first = b.drop_duplicates("ballot_id").set_index("ballot_id")
        agg.index = self.sheet_ids[agg.index]
        return agg.join(first[["period_id", "unit_id", "rater_group"]])


@pytest.fixture(scope="module")
def planted() -> Generated:
    return Generated()


@pytest.fixture(scope="module")
def clean() -> Generated:
    return Generated(clean=True)


@pytest.fixture(scope="module", params=["planted", "clean"])
def gen(request, planted, clean) -> Generated:
    return planted if request.param == "planted" else clean


# ---- structure ------------------------------------------------------------------------------
def test_tables_come_in_foreign_key_order_with_contract_columns(gen):
    names = [n for n, _ in gen.chunks]
    assert [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n] == ORDER
    assert names.count("ballots") >= 2  # ballots are chunked
    for name, frame in gen.chunks:
        assert list(frame.columns) == CONTRACT[name], name
        for col in frame.columns:
            if (name, col) in INT_COLS:
                assert frame[col].dtype == np.int64, (name, col)
            elif (name, col) in FLOAT_COLS:
                assert frame[col].dtype == np.float64, (name, col)
            else:
                assert pd.api.types.is_string_dtype(frame[col].dtype), (name, col)
    assert max(len(f) for n, f in gen.chunks if n == "ballots") <= 1_500_000
    assert gen.progress and gen.progress == sorted(gen.progress) and gen.progress[-1] == 1.0


def test_reference_shapes(gen):
    t = gen.t
    assert list(t["areas"].area_id) == [f"{i:02d}" for i in range(1, 13)]
    assert t["areas"].name.str.endswith("考察责任区").all() and t["areas"].leader.notna().all()
    u = t["units"]
    assert len(u) == 103 and u.name.is_unique
    assert set(u.unit_type) == {"party", "government", "district", "enterprise", "institution"}
    assert u.unit_id.str.fullmatch(r"\d{4}").all()
    assert (u.unit_id.str[:2] == u.area_id).all()
    assert u.staff_count.between(30, 2000).all()
    c = t["cadres"]
    assert (c.cadre_id.str[:4] == c.unit_id).all() and c.cadre_id.str.fullmatch(r"\d{7}").all()
    team = c[c.tier == "team"]
    size = team.groupby("unit_id").size()
    assert size.between(5, 9).all() and len(size) == 103
    assert (team[team.role == "principal"].groupby("unit_id").size() == 1).all()
    assert team[team.role == "principal"].unit_id.nunique() == 103
    assert team[team.role == "deputy"].groupby("unit_id").size().between(2, 4).all()
    assert (c[c.tier != "team"].role == "member").all()
    mid = c[c.tier == "middle"].groupby("unit_id").size()
    assert mid.between(5, 14).all() and len(mid) == 103
    assert c[c.tier == "subordinate_head"].groupby("unit_id").size().max() <= 8
    assert 0.15 < (team.gender == "F").mean() < 0.35
    assert c.birth_year.between(1940, 2010).all()
    assert set(c.education) <= {"大专", "本科", "硕士研究生", "博士研究生"}
    assert c.name.str.len().between(2, 4).all()
    p = t["periods"]
    assert list(p.period_id) == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert (p.start_date < p.end_date).all()
    it = t["items"]
    assert set(it.subject_type) == {"team", "cadre"} and (it.scale_max == 4).all()
    assert (it.groupby("subject_type").size() == 6).all()


def test_keys_unique(gen):
    for table, key in KEYS.items():
        assert not gen.t[table].duplicated(key).any(), table
    s = gen.t["surveys"]
    assert s.groupby("response_id").size().eq(5).all()


def test_foreign_keys_and_ranges(gen):
    t = gen.t
    periods, units = vals(t["periods"].period_id), vals(t["units"].unit_id)
    cadres = t["cadres"].set_index("cadre_id")
    items = t["items"].set_index("item_id")
    assert vals(t["units"].area_id) <= vals(t["areas"].area_id)
    assert vals(t["cadres"].unit_id) <= units
    dated = [n for n, columns in CONTRACT.items() if "period_id" in columns and n != "periods"]
    assert len(dated) == 8
    for name in dated:
        assert vals(t[name].period_id) <= periods, name
    for name in ("ballots", "performance", "surveys", "third_party", "verifications", "talks"):
        assert vals(t[name].unit_id) <= units, name
    for name in ("ballots", "self_assessments", "superior_opinions", "talk_mentions"):
        f = t[name]
        team, cad = f[f.subject_type == "team"], f[f.subject_type == "cadre"]
        assert vals(team.subject_id) <= units, name
        assert vals(cad.subject_id) <= set(cadres.index), name
        if "item_id" in f:
            pairs = f[["item_id", "subject_type"]].drop_duplicates()
            assert (
                items.loc[pairs.item_id, "subject_type"].to_numpy() == pairs.subject_type.to_numpy()
            ).all(), name
    b = t["ballots"]
    assert b.score.between(1, 4).all()
    assert (b.ballot_id.str[:6] == b.period_id).all() and (b.ballot_id.str[7:11] == b.unit_id).all()
    assert (b[b.subject_type == "team"].subject_id == b[b.subject_type == "team"].unit_id).all()
    cb = b[b.subject_type == "cadre"]
    assert (cb.subject_id.str[:4] == cb.unit_id).all()
    assert set(cadres.loc[cb.subject_id.unique(), "tier"]) == {"team"}
    sheet_attrs = b[["ballot_id", "period_id", "unit_id", "rater_group", "submitted_at"]]
    sheet_attrs = sheet_attrs.drop_duplicates()
    assert sheet_attrs.ballot_id.is_unique  # a sheet's rows agree on period, unit, group, time
    per = t["periods"].set_index("period_id")
    day = sheet_attrs.submitted_at.str[:10]
    assert (day >= per.loc[sheet_attrs.period_id, "start_date"].to_numpy()).all()
    assert (day <= per.loc[sheet_attrs.period_id, "end_date"].to_numpy()).all()
    assert sheet_attrs.submitted_at.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00").all()
    pf = t["performance"]
    assert ((pf.score >= 0) & (pf.score <= pf.max_score)).all() and (pf.weight > 0).all()
    pc = pf[pf.cadre_id.notna()]
    assert (cadres.loc[pc.cadre_id, "unit_id"].to_numpy() == pc.unit_id.to_numpy()).all()
    assert pf[pf.cadre_id.isna()].groupby(["period_id", "unit_id"]).size().between(5, 8).all()
    s = t["surveys"]
    assert s.score.between(1, 5).all() and vals(s.source) <= {"grassroots", "service_recipient"}
    assert vals(s.item_id) == {"S1", "S2", "S3", "S4", "S5"}
    sp = s[["period_id", "submitted_at"]].drop_duplicates()
    sday = sp.submitted_at.str[:10]
    assert (sday >= per.loc[sp.period_id, "start_date"].to_numpy()).all()
    assert (sday <= per.loc[sp.period_id, "end_date"].to_numpy()).all()
    tp = t["third_party"]
    assert tp.satisfaction.between(0, 100).all() and tp.sample_size.between(50, 400).all()
    assert t["superior_opinions"].rating.between(1, 4).all()
    sa = t["self_assessments"]
    assert sa.score.between(1, 4).all()
    v = t["verifications"]
    assert set(v.result) <= {"confirmed", "partial", "refuted"}
    tk = t["talks"]
    assert (
        cadres.loc[tk.interviewee_id.dropna(), "unit_id"].to_numpy()
        == tk.dropna(subset=["interviewee_id"]).unit_id.to_numpy()
    ).all()
    named = tk.dropna(subset=["interviewee_id"])
    assert (
        cadres.loc[named.interviewee_id, "tier"].to_numpy() == named.interviewee_tier.to_numpy()
    ).all()
    assert tk[tk.interviewee_id.isna()].interviewee_tier.isin(["staff", "other"]).all()
    area_of = t["units"].set_index("unit_id").area_id
    assert (area_of.loc[tk.unit_id].to_numpy() == tk.area_id.to_numpy()).all()
    assert tk.duration_min.between(1, 600).all()
    assert (tk.talk_date >= per.loc[tk.period_id, "start_date"].to_numpy()).all()
    assert (tk.talk_date <= per.loc[tk.period_id, "end_date"].to_numpy()).all()
    m = t["talk_mentions"]
    assert set(m.talk_id) <= set(tk.talk_id)
    assert set(m.stance) <= {"positive", "neutral", "negative"}
    assert set(m.topic) <= {"responsibility", "competence", "unity", "style", "integrity", "other"}
    assert m.groupby("talk_id").size().between(1, 12).all()
    # nobody is mentioned in their own talk
    own = m.merge(tk[["talk_id", "interviewee_id"]], on="talk_id")
    assert not (own.subject_id == own.interviewee_id).any()


def test_ballot_sessions(gen):
    sh = gen.sheets
    per_session = sh.groupby(["period_id", "unit_id"]).size()
    assert len(per_session) == 103 * 4
    assert per_session.between(30, 150).all()
    assert 1_300_000 <= len(gen.t["ballots"]) <= 1_700_000
    groups = vals(sh.rater_group)
    assert set(KNOWN_RATER_GROUPS) - {"superior", "retired"} <= groups
    team = gen.t["cadres"][gen.t["cadres"].tier == "team"]
    n_team = team.groupby("unit_id").size()
    # the outward-facing units (and only they) hear service recipients
    ut = gen.t["units"].set_index("unit_id").unit_type
    serv_units = vals(sh[sh.rater_group == "service_recipient"].unit_id)
    assert serv_units == set(ut[ut.isin(["government", "district", "institution"])].index)
    # team-member sheets: one per team member per session
    tm = sh[sh.rater_group == "team_member"].groupby(["period_id", "unit_id"]).size()
    assert (tm.to_numpy() == n_team.loc[tm.index.get_level_values(1)].to_numpy()).all()
    # mark distribution: strong ceiling
    share = gen.t["ballots"].score.value_counts(normalize=True)
    assert share[4] > 0.5 and share[3] > 0.2 and share[1] < 0.04 and share[2] < share[3]


def test_no_one_rates_themselves(gen):
    """Each team-member sheet skips exactly one team member, each member once per session."""
    b = gen.t["ballots"]
    tmb = b[(b.rater_group == "team_member") & (b.subject_type == "cadre") & (b.item_id == "C_OVR")]
    team = gen.t["cadres"][gen.t["cadres"].tier == "team"]
    members = team.groupby("unit_id").cadre_id.apply(set)
    rated = tmb.groupby("ballot_id").agg(
        unit_id=("unit_id", "first"), period_id=("period_id", "first"), subjects=("subject_id", set)
    )
    skipped = [members[u] - s for u, s in zip(rated.unit_id, rated.subjects, strict=True)]
    assert all(len(x) == 1 for x in skipped)
    rated["skipped"] = [next(iter(x)) for x in skipped]
    per_session = rated.groupby(["period_id", "unit_id"]).skipped.agg(["nunique", "size"])
    assert (per_session["nunique"] == per_session["size"]).all()
    # other groups rate every team member and the team on every item
    sh = gen.sheets
    n_team = team.groupby("unit_id").size()
    other = sh[sh.rater_group != "team_member"]
    assert (other["size"].to_numpy() == 6 * (1 + n_team.loc[other.unit_id].to_numpy())).all()


def test_talk_rounds(gen):
    tk = gen.t["talks"]
    assert 2000 <= len(tk) <= 2700
    assert (tk.groupby("unit_id").period_id.nunique() == 1).all()
    assert tk.unit_id.nunique() == 103
    assert tk.groupby("period_id").unit_id.nunique().between(20, 32).all()
    d = tk.duration_min
    assert ((d >= 25) & (d <= 90)).mean() > 0.8 and d.max() >= 110
    assert tk.interviewee_id.dropna().is_unique


def test_summary(gen):
    s, t = gen.demo.summary, gen.t
    for name in (
        "areas",
        "units",
        "cadres",
        "periods",
        "talks",
        "talk_mentions",
        "performance",
        "third_party",
        "superior_opinions",
        "self_assessments",
        "verifications",
    ):
        assert s[name] == len(t[name]), name
    assert s["ballot_rows"] == len(t["ballots"])
    assert s["sheets"] == t["ballots"].ballot_id.nunique()
    assert s["responses"] == t["surveys"].response_id.nunique()


# ---- determinism ------------------------------------------------------------------------------
def test_same_seed_same_data(planted):
    again = build_demo()
    pd.testing.assert_frame_equal(again.answer_key, planted.key_before)
    for (n1, f1), (n2, f2) in zip(again.tables(), planted.chunks, strict=True):
        assert n1 == n2
        assert list(f1.dtypes) == list(f2.dtypes) and f1.equals(f2), n1


def test_other_seed_other_data(planted):
    other = build_demo(seed=8)
    it = other.tables()
    frames = [next(it) for _ in range(6)]
    assert not frames[2][1].equals(planted.t["cadres"])  # cadres
    assert not frames[5][1].equals(planted.chunks[5][1])  # first ballot chunk
    assert not other.answer_key.equals(planted.key_before)


def test_clean_and_planted_share_the_reference_data(planted, clean):
    for name in ("areas", "units", "cadres", "periods", "items"):
        pd.testing.assert_frame_equal(planted.t[name], clean.t[name])


# ---- planted variant: the answer key ----------------------------------------------------------
def test_answer_key_covers_every_flag_type(planted):
    ak = planted.demo.answer_key
    assert list(ak.columns) == ANSWER_KEY
    assert set(ak.flag_type) == set(flags.FLAG_TYPES)
    counts = ak.flag_type.value_counts()
    assert counts["straight_lining"] >= 15 and counts["misfit_ballot"] >= 10
    assert counts["group_bias"] == 1
    assert ak.detail.str.len().gt(10).all()
    # plants spread over the periods and sit in distinct unit-periods
    per = ak[ak.flag_type != "group_bias"]
    assert per.period_id.nunique() == 4
    assert not per.duplicated(["period_id", "unit_id"]).any()


def test_answer_key_points_to_existing_ids(planted):
    ak, t = planted.demo.answer_key, planted.t
    units, cadres = vals(t["units"].unit_id), vals(t["cadres"].cadre_id)
    sheets = set(planted.sheet_ids.tolist())
    groups = vals(t["ballots"].rater_group)
    gb = ak[ak.flag_type == "group_bias"].iloc[0]
    assert pd.isna(gb.period_id) and gb.subject_type == "population" and gb.subject_id == "gender"
    rest = ak[ak.flag_type != "group_bias"]
    assert set(rest.period_id) <= set(t["periods"].period_id)
    assert set(rest.unit_id) <= units
    for r in rest.itertuples():
        if r.subject_type == "ballot":
            assert r.subject_id in sheets and r.subject_id[7:11] == r.unit_id
        elif r.subject_type == "unit":
            assert r.subject_id == r.unit_id
        elif r.subject_type == "team":
            assert r.subject_id in units and r.subject_id == r.unit_id
        elif r.subject_type == "cadre":
            assert r.subject_id in cadres and r.subject_id[:4] == r.unit_id
        elif r.subject_type == "rater_group":
            assert r.subject_id == r.rater_group and r.rater_group in groups
        else:
            raise AssertionError(r)
    needs_group = {*flags.SHEET_TYPES, *flags.GROUP_TYPES}
    assert rest[rest.flag_type.isin(needs_group)].rater_group.notna().all()


def test_planted_ballot_effects_are_in_the_data(planted):
    ak, b = planted.demo.answer_key, planted.t["ballots"]
    sh = planted.sheets
    straight = ak[ak.flag_type == "straight_lining"].subject_id
    assert (sh.loc[straight, "min"] == sh.loc[straight, "max"]).all()
    assert set(sh.loc[straight, "min"]) >= {2, 3}
    misfit = ak[ak.flag_type == "misfit_ballot"].subject_id
    assert (sh.loc[misfit, "min"] < sh.loc[misfit, "max"]).all()
    for r in ak[ak.flag_type == "targeted_rating"].itertuples():
        s = b[
            (b.period_id == r.period_id)
            & (b.subject_id == r.subject_id)
            & (b.rater_group == r.rater_group)
        ]
        all_min = s.groupby("ballot_id").score.max().eq(1).sum()
        assert 8 <= all_min <= 15
    for r in ak[ak.flag_type == "duplicate_ballots"].itertuples():
        s = b[
            (b.period_id == r.period_id)
            & (b.unit_id == r.unit_id)
            & (b.rater_group == r.rater_group)
        ].sort_values(["subject_id", "item_id"])
        sig = s.groupby("ballot_id").score.agg(lambda x: x.to_numpy().tobytes())
        top = sig.value_counts()
        assert 6 <= top.iloc[0] <= 12 and len(set(top.index[0])) > 1


def test_planted_other_channels_are_in_the_data(planted):
    ak, t = planted.demo.answer_key, planted.t
    ref = ak[ak.flag_type == "verification_refuted"]
    v = t["verifications"]
    bad = v[v.result == "refuted"]
    refuted = set(zip(bad.period_id, bad.unit_id, strict=True))
    assert refuted == set(zip(ref.period_id, ref.unit_id, strict=True))
    tk = t["talks"]
    gaps = ak[ak.flag_type == "talk_coverage_gap"]
    c = t["cadres"]
    for r in gaps.itertuples():
        mine = tk[(tk.period_id == r.period_id) & (tk.unit_id == r.unit_id)]
        missing = set(c[c.unit_id == r.unit_id].cadre_id) - set(mine.interviewee_id.dropna())
        assert missing or mine.duration_min.median() < 20
    for r in ak[ak.flag_type == "survey_anomaly"].itertuples():
        s = t["surveys"]
        s = s[(s.period_id == r.period_id) & (s.unit_id == r.unit_id)]
        vec = s.groupby("response_id").agg(v=("score", tuple), t=("submitted_at", "first"))
        top = vec[vec.v == vec.v.value_counts().index[0]]
        times = np.sort(pd.to_datetime(top.t, utc=True).dt.tz_localize(None).to_numpy())
        # at least 20 identical responses inside one 5-minute window
        in_window = np.searchsorted(times, times + np.timedelta64(5, "m"), side="right")
        assert (in_window - np.arange(len(times))).max() >= 20
    m = t["talk_mentions"]
    for r in ak[ak.flag_type == "talk_vote_conflict"].itertuples():
        st = m[m.subject_id == r.subject_id].stance
        assert len(st) >= 8 and (st.eq("negative").mean() > 0.6 or st.eq("positive").mean() > 0.6)
    sa = t["self_assessments"]
    for r in ak[ak.flag_type == "self_inflation"].itertuples():
        own = sa[(sa.period_id == r.period_id) & (sa.subject_id == r.subject_id)]
        assert len(own) == 6 and (own.score == 4).all()


# ---- clean variant ---------------------------------------------------------------------------
def test_clean_variant_has_nothing_planted(clean):
    ak = clean.demo.answer_key
    assert ak.empty and list(ak.columns) == ANSWER_KEY
    assert not (clean.t["verifications"].result == "refuted").any()
    sh = clean.sheets
    const = sh[sh["min"] == sh["max"]]
    assert len(const) / len(sh) < 0.005
    assert set(const["min"]) <= {4}  # natural constant sheets are all-好 only
    assert clean.demo.summary["constant_sheets_natural"] == len(const)


def test_clean_variant_talk_coverage_is_complete(clean):
    tk, c = clean.t["talks"], clean.t["cadres"]
    assert vals(tk.interviewee_id) == vals(c.cadre_id)
    assert tk.groupby(["period_id", "unit_id"]).duration_min.median().min() >= 20
