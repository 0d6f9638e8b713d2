"""Demo-data generator: a realistic city (or province) with known, planted anomalies.

Interface
---------
``build_demo(seed=7, scale="city", clean=False) -> Demo``.  ``Demo.answer_key`` (one row per
planted item: flag_type, period_id, subject_type, subject_id, unit_id, rater_group, detail)
and most of ``Demo.summary`` are known at once; ``Demo.tables(progress)`` then yields
``(table, frame)`` in foreign-key order (areas, units, cadres, periods, items, ballots,
performance, surveys, third_party, superior_opinions, self_assessments, verifications, talks,
talk_mentions).  Every frame has exactly the columns of CONTRACT.md §1 in the contract's
order; IDs and text are pandas 3 ``str`` columns (Arrow-backed), counts and marks int64, other
numbers float64 (``self_assessments.score`` is float64 as in ``analytics.schema``), dates
``YYYY-MM-DD`` and timestamps ``2026-02-14T09:31:05+08:00``.  Ballots come in chunks of at most
``BALLOT_CHUNK_ROWS`` rows (one or more per period), period tables one frame per period, so
the province scale runs in bounded memory.  The same ``(seed, scale, clean)`` gives identical
frames: every unit and period draws from its own ``SeedSequence([seed, purpose, unit,
period])``, so chunking cannot change the data, and ``clean=True`` shares every natural draw
with the planted variant (only the plants differ).

Scales
------
* ``city``: 12 areas ``01``..``12`` (第一考察责任区 ...), 103 units (19 party, 38 government,
  12 district, 12 enterprise, 22 institution; ``unit_id`` = area + 2-digit sequence, e.g.
  ``0103``), about 2,000 cadres (``cadre_id`` = unit_id + 3 digits), 4 quarters 2025Q4-2026Q3,
  about 33,000 sheets and 1.54 M ballot rows.
* ``province``: 15 cities x the same 103 unit templates (names prefixed 江城市, 海阳市 ...),
  180 areas ``001``..``180``, 1,545 units (5-digit ids), ~30,000 cadres, ~23 M ballot rows.
  Planted counts are multiplied by 15.

People and sessions
-------------------
Each unit has a team (tier ``team``: 1 principal, 2-4 deputies, the rest members; 5-7 in
party units and institutions, 6-8 in government and enterprises, 8-9 in districts), 5-14
middle-level heads and 0-8 heads of subordinate units (most in districts and enterprises).
One democratic-evaluation session per unit and period has 30-150 sheets (growing with the log
of staff_count): every team member (``team_member``; a member's sheet skips their own rows),
the middle heads (``middle_manager``, one may be absent), heads and deputies of subordinate
units (``subordinate_unit``), 8-20 ``service_recipient`` and 5-12 ``representative`` sheets in
government and district units (0-5 representatives in institutions), 3-6 ``retired`` in about
a third of units, and ``staff`` for the rest (at least 8).  Sheet order is shuffled; ballot_id
is ``<period>-<unit>-<sheet no.>``.  Every sheet rates the team (subject_id = unit_id) on the 6
team items and every team member on the 6 cadre items, 1-4.  Middle and subordinate heads are
never rated on ballots.

Latent model (latent units; marks are ordinal cuts of a normal latent)
---------------------------------------------------------------------
* true quality of a cadre ``q ~ N(0, 0.6)`` truncated at +/-2 SD, balanced by gender by
  construction; of a team ``0.5 x mean(q of its members) + N(0, 0.5)``; both drift by
  ``N(0, 0.12)`` a period (random walk);
* a persistent per-dimension deviation ``N(0, 0.25)`` per subject, and item easiness
  (political/integrity +0.25, achievement/style -0.15, ...);
* city-wide rater-group offsets ``GROUP_OFFSET``: team_member +0.30, middle_manager +0.15,
  subordinate_unit +0.40, staff +0.45, service_recipient -0.30, representative -0.10,
  retired 0.0; unit climate ``N(0, 0.20)``; a group's mood in one session ``N(0, 0.12)``;
* a sheet's own leniency ``N(0, 0.35)``, its view of one subject ``N(0, 0.25)``, one mark's
  noise ``N(0, 0.60)``; cut at ``TAU`` = -1.85, -1.05, 0.10 -> about 60% 4 (好), 31% 3, 7% 2,
  2% 1.  Natural constant sheets are all-4 only, about 0.37% of sheets (123 of 32,988 at seed
  7; they are real enthusiasm, not planted, and appear in both variants).
* performance z = ``0.5 x q/SD + 0.87 x (persistent + period noise)``: each indicator scores
  ``max x clip(0.80 + 0.05 z + N(0, 0.025), 0.35, 1)``.  Unit indicators (P01.., 5-8, by unit
  type) follow the team, portfolio indicators (1-3 per team member, cadre_id set) the cadre.
* questionnaires: unit satisfaction ``0.35 x team z + N(0, 0.2)`` (+0.2 service bodies, -0.3
  regulators), a respondent ``N(0, 0.5)``, an item ``N(0, 0.75)``, cut into 1-5 (mean about
  3.5; natural identical answer vectors reach ~16 per unit, source and quarter, spread over the
  quarter).  Third-party satisfaction: 82-87 by unit type, -7 regulators, +3 service bodies,
  ``6 x`` the same unit satisfaction, ``N(0, 2)`` per unit and ``N(0, 1.5)`` per provider.
* superior opinions: ``0.8 x z + N(0, 0.6)`` cut into 1-4 (about 42% 4, 44% 3); self-assessment:
  ``q + deviation + easiness + 0.55 + N(0, 0.35)`` cut like the ballots (about 75% 4).
* talks: each unit has one talk round a year, in the period ``talk_period`` (units spread
  evenly over the four quarters), interviewing every cadre of the unit once plus 1-4 staff and
  sometimes one other person; 6-9 talks a working day; durations log-normal around 48 (team),
  36-38 (middle, subordinate) and 28 minutes (staff), principal about 85, clipped to 15-150.
  Each talk has 1-4 mentions of the team or a team member other than the interviewee; stance
  from ``0.9 x z + N(0, 1)`` (about 55% positive, 32% neutral, 13% negative).
* realistic gaps: 5% of unit-periods have no third-party survey, 4% no superior opinions, and
  each subject misses its superior opinion in 10% of periods; 15% of verified claims are
  ``partial``.

Planted effects (``clean=False``; counts at city scale)
-------------------------------------------------------
Every plant sits in its own unit-period (no two plants share one; fresh units preferred,
periods rotated), chosen by the seeded generator.

* straight_lining (20): one non-team-member sheet is set to one constant mark on every row
  (3: 45%, 2: 35%, 4: 12%, 1: 8%).
* misfit_ballot (15): one sheet mirrored (5 - natural mark, 60%) or drawn uniformly from 1-4
  (40%); never constant.
* duplicate_ballots (4): 6-12 sheets of one group with at least 10 sheets copy that group's
  most distinctive sheet (most marks below 4), submitted within 4 minutes.
* rater_leniency (4) / rater_severity (4): one group (>= 8 sheets) gets +1.6 / -1.4 latent on
  every mark; leniency only in units below the median standing (room below the ceiling).
* halo (4): every sheet of one group gives each subject one mark on all items (mark from the
  subject's latent mean + N(0, 0.6)); marks differ across subjects.
* central_tendency (4): every sheet of one group is mapped into 2-3 (4 -> 3 80% / 2, 3 -> 3
  45% / 2, 1-2 -> 2), never constant.
* favoritism (5): a non-lenient group (middle_manager, subordinate_unit, service_recipient,
  representative; >= 8 sheets) rates the unit's lowest-standing deputy/member +2.0 latent.
* targeted_rating (5): 8-15 sheets of one group give one team member 1 on every item.
* source_divergence (6: 4 cadres, 2 teams): a top-10% subject's performance z is set to -4.0
  (ballots minus performance positive), or a bottom-10% subject's to +4.0.
* self_inflation (6: 4 cadres, 2 teams): a subject from the 5th-15th percentile of standing
  (true quality plus the planted gender bias, as the ballots see it) declines by
  1.0 latent that period in every channel (performance z -1.6 extra) and scores itself 4 on
  every item.
* survey_anomaly (3): 22-30 extra identical responses (55555 or 55455) from one source within
  5 minutes, mixed into the numbering.
* satisfaction_gap (3): questionnaires +1.0 latent with third party -14 points, or
  questionnaires -1.5 latent with third party +12.
* group_bias (1 row, all periods): female team cadres' ballot latent -0.35 (about -0.2 marks).
  Performance, self-assessment, superiors and talks are unaffected.
* talk_coverage_gap (6): in a talk round, 1-3 required cadres (not the principal) get no talk
  (4), or about 80% of talks last 8-18 minutes (2).
* talk_vote_conflict (4): a top-10% cadre's mentions turn 85% negative, or a bottom-10%
  cadre's 85% positive, in its talk round; extra mentions ensure at least 8.
* verification_refuted (5): 1-3 claims ``refuted`` (the only refuted claims in the data).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import demo_names as words

# ---- contract shapes ------------------------------------------------------------------------
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "areas": ("area_id", "name", "leader"),
    "units": ("unit_id", "name", "unit_type", "area_id", "staff_count"),
    "cadres": (
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
    ),
    "periods": ("period_id", "label", "start_date", "end_date"),
    "items": (
        "item_id",
        "subject_type",
        "dimension",
        "label_zh",
        "label_en",
        "scale_max",
        "scale_min",
    ),
    "ballots": (
        "ballot_id",
        "period_id",
        "unit_id",
        "rater_group",
        "subject_type",
        "subject_id",
        "item_id",
        "score",
        "submitted_at",
    ),
    "performance": (
        "period_id",
        "unit_id",
        "indicator_id",
        "indicator",
        "score",
        "max_score",
        "weight",
        "cadre_id",
    ),
    "surveys": (
        "response_id",
        "period_id",
        "unit_id",
        "source",
        "item_id",
        "score",
        "submitted_at",
    ),
    "third_party": ("period_id", "unit_id", "provider", "sample_size", "satisfaction"),
    "superior_opinions": (
        "period_id",
        "subject_type",
        "subject_id",
        "department",
        "rating",
        "comment",
    ),
    "self_assessments": ("period_id", "subject_type", "subject_id", "item_id", "score"),
    "verifications": ("period_id", "unit_id", "claim_id", "claim", "result", "note"),
    "talks": (
        "talk_id",
        "period_id",
        "unit_id",
        "area_id",
        "interviewee_tier",
        "interviewee_id",
        "talk_date",
        "duration_min",
    ),
    "talk_mentions": ("talk_id", "subject_type", "subject_id", "stance", "topic", "note"),
}
TABLE_ORDER = tuple(TABLE_COLUMNS)
ANSWER_KEY_COLUMNS = (
    "flag_type",
    "period_id",
    "subject_type",
    "subject_id",
    "unit_id",
    "rater_group",
    "detail",
)
FLAG_TYPES = (
    "straight_lining",
    "misfit_ballot",
    "duplicate_ballots",
    "rater_leniency",
    "rater_severity",
    "halo",
    "central_tendency",
    "favoritism",
    "targeted_rating",
    "source_divergence",
    "self_inflation",
    "survey_anomaly",
    "satisfaction_gap",
    "group_bias",
    "talk_coverage_gap",
    "talk_vote_conflict",
    "verification_refuted",
)

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype

PERIODS = (
    ("2025Q4", "2025年第四季度", "2025-10-01", "2025-12-31"),
    ("2026Q1", "2026年第一季度", "2026-01-01", "2026-03-31"),
    ("2026Q2", "2026年第二季度", "2026-04-01", "2026-06-30"),
    ("2026Q3", "2026年第三季度", "2026-07-01", "2026-09-30"),
)
UNIT_TYPES = ("party", "government", "district", "enterprise", "institution")
OUTWARD = np.array([False, True, True, False, True])  # faces the public, by unit type
TIERS = ("team", "middle", "subordinate_head")
ROLES = ("principal", "deputy", "member")
SCALES = {"city": 1, "province": 15}
AREAS_PER_CITY = 12

# ---- latent model (see the module docstring) ------------------------------------------------
GROUPS = (
    "team_member",
    "middle_manager",
    "subordinate_unit",
    "staff",
    "service_recipient",
    "representative",
    "retired",
)
G_TEAM, G_MID, G_SUB, G_STAFF, G_SERV, G_REP, G_RET = range(7)
GROUP_OFFSET = np.array([0.30, 0.15, 0.40, 0.45, -0.30, -0.10, 0.0])
SD_CADRE = 0.6  # true quality of a cadre across the city
SD_DRIFT = 0.12  # period-to-period random walk of true quality
SD_DIM = 0.25  # persistent per-dimension deviation of a subject
SD_UNIT_CLIMATE = 0.20  # unit-wide generosity of all raters
SD_SESSION_GROUP = 0.12  # a rater group's mood in one session
SD_SHEET = 0.35  # a rater's own leniency
SD_SHEET_SUBJECT = 0.25  # a rater's view of one subject
SD_MARK = 0.60  # noise of one mark
TAU = np.array([-1.85, -1.05, 0.10])  # ordinal thresholds 1|2, 2|3, 3|4 of the ballots
SELF_INFLATION = 0.55  # natural self-assessment inflation (latent units)
SD_SELF = 0.35
GENDER_BIAS = -0.35  # planted: female cadres' ballots, latent units
SELF_PLANT_DROP = 1.0  # planted self_inflation: the subject's real decline that period
LENIENCY_SHIFT = 1.6  # planted rater_leniency, latent units
SEVERITY_SHIFT = 1.4  # planted rater_severity, latent units
FAVOR_SHIFT = 2.0  # planted favoritism, latent units
DIVERGENCE_Z = 4.0  # planted source_divergence: performance z of the subject
SELF_PLANT_PERF = 1.6  # ... and the extra drop of its performance z that period
TAU_SURVEY = np.array([-2.0, -1.2, -0.2, 0.9])  # 1|2 .. 4|5 of the questionnaires
SURVEY_EASE = np.array([0.15, 0.0, -0.1, 0.05, -0.2])
TP_BASE = np.array([86.0, 84.0, 83.0, 82.0, 87.0])  # third-party satisfaction by unit type
TAU_SUPERIOR = np.array([-1.9, -1.0, 0.25])

_ITEM_EASE = np.array([it[5] for it in words.ITEMS])
_TEAM_ITEMS = [i for i, it in enumerate(words.ITEMS) if it[1] == "team"]
_CADRE_ITEMS = [i for i, it in enumerate(words.ITEMS) if it[1] == "cadre"]

_TAGS = {
    name: i + 1
    for i, name in enumerate(
        (
            "ref",
            "names",
            "latent",
            "session",
            "ballot",
            "perfdef",
            "perf",
            "survey",
            "third",
            "superior",
            "self",
            "verify",
            "talk",
            "plant",
            "plant_ballot",
            "plant_talk",
            "missing",
        )
    )
}


def _rng(seed: int, tag: str, *keys: int) -> np.random.Generator:
    """An independent generator for one purpose (and one unit / period)."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), _TAGS[tag], *map(int, keys)]))


def _str_take(values: pa.Array, idx: np.ndarray) -> pd.Series:
    return pd.Series(values.take(pa.array(idx)), dtype=_STR)


def _frame(table: str, data: dict) -> pd.DataFrame:
    """A frame with exactly the contract's columns, in order, with the agreed dtypes."""
    out = {}
    for col in TABLE_COLUMNS[table]:
        v = data.get(col)
        if v is None:
            n = len(next(iter(data.values())))
            out[col] = pd.Series([None] * n, dtype=_STR)
        elif isinstance(v, pd.Series):
            out[col] = v.reset_index(drop=True)
        elif isinstance(v, np.ndarray) and v.dtype.kind in "iub":
            out[col] = pd.Series(v.astype(np.int64))
        elif isinstance(v, np.ndarray) and v.dtype.kind == "f":
            out[col] = pd.Series(v.astype(np.float64))
        elif isinstance(v, pa.Array):
            out[col] = pd.Series(v, dtype=_STR)
        else:
            out[col] = pd.Series(list(v), dtype=_STR)
    return pd.DataFrame(out)


def _ordinal(y: np.ndarray, tau: np.ndarray) -> np.ndarray:
    return (np.searchsorted(tau, y) + 1).astype(np.int8)


def _iso_seconds(t: np.ndarray) -> np.ndarray:
    return np.char.add(np.datetime_as_string(t.astype("datetime64[s]"), unit="s"), "+08:00")


# ---- the world ------------------------------------------------------------------------------
@dataclass
class _Plant:
    kind: str
    u: int
    p: int
    group: int = -1
    sheets: np.ndarray | None = None  # planted ballot sheets (indices within the session)
    drop: np.ndarray | None = None  # cadres left without a talk
    vec: np.ndarray | None = None  # the repeated questionnaire answers
    subject: int = -1  # 0 = team, j >= 1 = j-th team member (ballot plants)
    cadre: int = -1  # global cadre index
    value: float = 0.0
    mode: str = ""


@dataclass
class Demo:
    """A generated demo: reference data and planted answer key up front, tables on demand."""

    answer_key: pd.DataFrame
    summary: dict
    _world: _World = field(repr=False)

    def tables(
        self, progress: Callable[[float, str], None] | None = None
    ) -> Iterator[tuple[str, pd.DataFrame]]:
        """Yield ``(table, frame)`` in foreign-key order; big tables come in several chunks."""
        yield from self._world.tables(progress, self.summary)


class _World:
    def __init__(self, seed: int, scale: str, clean: bool) -> None:
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
        self.seed = int(seed)
        self.scale = scale
        self.clean = clean
        self.n_cities = SCALES[scale]
        self.P = len(PERIODS)
        self.period_ids = [p[0] for p in PERIODS]
        self.period_start = np.array([p[2] for p in PERIODS], dtype="datetime64[D]")
        self.period_end = np.array([p[3] for p in PERIODS], dtype="datetime64[D]")
        self._build_reference()
        self._build_latent()
        self._build_sessions()
        self.plants: list[_Plant] = []
        self.key_rows: list[dict] = []
        if not clean:
            self._plan_plants()
        self._index_plants()

    # ---- reference tables ---------------------------------------------------------------
    def _build_reference(self) -> None:
        rng = _rng(self.seed, "ref")
        wide = self.n_cities > 1
        areas, units = [], []
        for c in range(self.n_cities):
            city = words.CITIES[c] if wide else ""
            chunks = np.array_split(np.arange(len(words.UNITS)), AREAS_PER_CITY)
            for a, chunk in enumerate(chunks):
                aidx = c * AREAS_PER_CITY + a
                area_id = f"{aidx + 1:03d}" if wide else f"{aidx + 1:02d}"
                prefix = f"{city}市" if wide else ""
                areas.append((area_id, f"{prefix}第{words.CN_NUM[a + 1]}考察责任区"))
                for seq, t in enumerate(chunk):
                    name, utype, flags = words.UNITS[t]
                    units.append(
                        (f"{area_id}{seq + 1:02d}", _city_name(name, city), utype, aidx, flags, t)
                    )
        self.area_ids = [a[0] for a in areas]
        self.area_names = [a[1] for a in areas]
        self.U = n_units = len(units)
        self.unit_ids = [u[0] for u in units]
        self.unit_names = [u[1] for u in units]
        self.unit_type = np.array([UNIT_TYPES.index(u[2]) for u in units])
        self.unit_area = np.array([u[3] for u in units])
        self.unit_flags = [u[4] for u in units]
        self.unit_tmpl = [words.UNITS[u[5]][0] for u in units]  # the city-scale name
        self.unit_city = self.unit_area // AREAS_PER_CITY
        self.outward = OUTWARD[self.unit_type]
        regulator = np.array(["R" in f for f in self.unit_flags])
        service = np.array(["S" in f for f in self.unit_flags])
        self.unit_regulator, self.unit_service = regulator, service
        staff = np.empty(n_units, dtype=np.int64)
        for u in range(n_units):
            lo, hi = (
                words.STAFF_RANGE_BIG
                if "B" in self.unit_flags[u]
                else words.STAFF_OVERRIDE.get(self.unit_tmpl[u])
                or words.STAFF_RANGE[UNIT_TYPES[self.unit_type[u]]]
            )
            staff[u] = round(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        self.staff = staff

        # team, middle-level and subordinate-unit heads by unit type
        team_rng = {0: (5, 7), 1: (6, 8), 2: (8, 9), 3: (6, 8), 4: (5, 7)}
        mid_rng = {0: (5, 8), 1: (6, 12), 2: (10, 14), 3: (8, 14), 4: (7, 13)}
        sub_rng = {0: (0, 2), 1: (1, 5), 2: (5, 8), 3: (4, 8), 4: (0, 4)}
        ut = self.unit_type
        self.n_team = np.array([rng.integers(team_rng[t][0], team_rng[t][1] + 1) for t in ut])
        self.n_mid = np.array([rng.integers(mid_rng[t][0], mid_rng[t][1] + 1) for t in ut])
        self.n_sub = np.array([rng.integers(sub_rng[t][0], sub_rng[t][1] + 1) for t in ut])
        self.n_cad = self.n_team + self.n_mid + self.n_sub
        self.cad_start = np.concatenate([[0], np.cumsum(self.n_cad)[:-1]])
        self.C = n_cad = int(self.n_cad.sum())
        cad_unit = np.repeat(np.arange(n_units), self.n_cad)
        within = np.arange(n_cad) - self.cad_start[cad_unit]
        nt = self.n_team[cad_unit]
        tier = np.where(within < nt, 0, np.where(within < nt + self.n_mid[cad_unit], 1, 2))
        role = np.full(n_cad, 2)
        positions: list[str] = []
        for u in range(n_units):
            principal, deps, mems = _titles(self.unit_tmpl[u])
            n_dep = int(min(rng.integers(2, 5), self.n_team[u] - 2))
            s = self.cad_start[u]
            role[s] = 0
            role[s + 1 : s + 1 + n_dep] = 1
            positions.append(principal)
            positions += [deps[min(k, len(deps) - 1)] for k in range(n_dep)]
            n_mem = int(self.n_team[u] - 1 - n_dep)
            positions += [mems[k % len(mems)] for k in range(n_mem)]
            mid_pool = words.MIDDLE_BY_TYPE[UNIT_TYPES[ut[u]]]
            positions += [
                mid_pool[k]
                for k in np.sort(rng.choice(len(mid_pool), self.n_mid[u], replace=False))
            ]
            sub_pool = words.SUBORDINATE_BY_TYPE[UNIT_TYPES[ut[u]]]
            positions += [
                sub_pool[k]
                for k in np.sort(rng.choice(len(sub_pool), self.n_sub[u], replace=False))
            ]
        self.cad_unit, self.cad_tier, self.cad_role = cad_unit, tier, role
        self.cad_position = positions
        self.cadre_ids = [
            f"{self.unit_ids[u]}{w + 1:03d}" for u, w in zip(cad_unit, within, strict=True)
        ]
        p_female = np.where(
            role == 0, 0.12, np.where(tier == 0, 0.28, np.where(tier == 1, 0.36, 0.28))
        )
        self.female = rng.random(n_cad) < p_female
        lo = np.where(role == 0, 1965, np.where(tier == 0, 1967, np.where(tier == 1, 1971, 1968)))
        hi = np.where(role == 0, 1977, np.where(tier == 0, 1985, np.where(tier == 1, 1992, 1990)))
        self.birth_year = rng.integers(lo, hi + 1)
        edu_p = {
            0: [0.02, 0.45, 0.45, 0.08],
            1: [0.07, 0.60, 0.31, 0.02],
            2: [0.06, 0.62, 0.30, 0.02],
        }
        edu = np.empty(n_cad, dtype=np.int64)
        for t in range(3):
            m = tier == t
            edu[m] = rng.choice(4, m.sum(), p=edu_p[t])
        self.education = edu
        start = np.datetime64("2016-01-04")
        span = (np.datetime64("2025-07-31") - start).astype(int)
        self.in_post = start + rng.integers(0, span, n_cad).astype("timedelta64[D]")
        self.cadre_names = _person_names(_rng(self.seed, "names"), self.female)
        self.area_leaders = _person_names(
            _rng(self.seed, "names", 1), rng.random(len(areas)) < 0.2, taken=set(self.cadre_names)
        )

    # ---- latent quality -----------------------------------------------------------------
    def _build_latent(self) -> None:
        rng = _rng(self.seed, "latent")
        n_units, n_cad, n_per = self.U, self.C, self.P
        # truncated at 2 SD: units do not keep cadres whom everybody rates 差
        qc = np.clip(rng.normal(0, SD_CADRE, n_cad), -2 * SD_CADRE, 2 * SD_CADRE)
        # true quality is balanced by gender by construction (group_bias must be planted only)
        for t in range(3):
            f, m = (self.cad_tier == t) & self.female, (self.cad_tier == t) & ~self.female
            qc[f] += qc[m].mean() - qc[f].mean()
        self.q_cad = qc[:, None] + np.cumsum(rng.normal(0, SD_DRIFT, (n_cad, n_per)), axis=1)
        team_mean = np.array([qc[self._members(u)].mean() for u in range(n_units)])
        qt = 0.5 * team_mean + np.clip(rng.normal(0, 0.5, n_units), -1.0, 1.0)
        self.q_team = qt[:, None] + np.cumsum(rng.normal(0, SD_DRIFT, (n_units, n_per)), axis=1)
        self.dev_cad = rng.normal(0, SD_DIM, (n_cad, 6))
        self.dev_team = rng.normal(0, SD_DIM, (n_units, 6))
        self.climate = rng.normal(0, SD_UNIT_CLIMATE, n_units)
        self.perf_persist_cad = rng.normal(0, 1, n_cad)
        self.perf_persist_team = rng.normal(0, 1, n_units)
        self.unit_sat = rng.normal(0, 0.2, n_units)
        self.unit_tp = rng.normal(0, 2.0, n_units)
        # talk rounds: units spread evenly over the periods
        order = rng.permutation(n_units)
        self.talk_period = np.empty(n_units, dtype=np.int64)
        self.talk_period[order] = np.arange(n_units) % n_per
        # realistic gaps in the channels (both variants)
        mr = _rng(self.seed, "missing")
        self.no_third = mr.random((n_units, n_per)) < 0.05
        self.no_superior = mr.random((n_units, n_per)) < 0.04
        self.has_retired = mr.random(n_units) < 0.35
        # adjustments planted later (all zero in the clean variant)
        self.q_shift_cad = np.zeros((n_cad, n_per))
        self.q_shift_team = np.zeros((n_units, n_per))

    def _members(self, u: int) -> np.ndarray:
        return np.arange(self.cad_start[u], self.cad_start[u] + self.n_team[u])

    def q_cadre(self, c, p):
        return self.q_cad[c, p] + self.q_shift_cad[c, p]

    def q_unit(self, u, p):
        return self.q_team[u, p] + self.q_shift_team[u, p]

    # ---- ballot sessions ----------------------------------------------------------------
    def _build_sessions(self) -> None:
        self.sess_groups: list[list[np.ndarray]] = []
        self.sess_who: list[list[np.ndarray]] = []
        self.sess_day = np.empty((self.U, self.P), dtype="datetime64[D]")
        frac = np.clip((np.log(self.staff) - math.log(30)) / (math.log(2000) - math.log(30)), 0, 1)
        for u in range(self.U):
            gl, wl = [], []
            for p in range(self.P):
                rng = _rng(self.seed, "session", u, p)
                target = 30 + 96 * frac[u] ** 0.9 + rng.normal(0, 5)
                counts = np.zeros(7, dtype=np.int64)
                counts[G_TEAM] = self.n_team[u]
                counts[G_MID] = self.n_mid[u] - (rng.random() < 0.25)
                ns = self.n_sub[u]
                counts[G_SUB] = ns + round(ns * rng.uniform(0.3, 1.2)) if ns else 0
                if self.outward[u]:
                    counts[G_SERV] = rng.integers(8, 21)
                    counts[G_REP] = (
                        rng.integers(5, 13) if self.unit_type[u] in (1, 2) else rng.integers(0, 6)
                    )
                if self.has_retired[u]:
                    counts[G_RET] = rng.integers(3, 7)
                counts[G_STAFF] = max(8, round(target) - counts.sum())
                while counts.sum() > 150:
                    g = G_STAFF if counts[G_STAFF] > 8 else G_SERV if counts[G_SERV] > 8 else G_SUB
                    counts[g] -= 1
                if counts.sum() < 30:
                    counts[G_STAFF] += 30 - counts.sum()
                groups = np.repeat(np.arange(7, dtype=np.int8), counts)
                who = np.full(len(groups), -1, dtype=np.int8)
                who[: counts[G_TEAM]] = np.arange(counts[G_TEAM])
                perm = rng.permutation(len(groups))
                gl.append(groups[perm])
                wl.append(who[perm])
                first = self.period_start[p] + 30
                days = np.busday_count(first, self.period_end[p] - 3)
                self.sess_day[u, p] = np.busday_offset(first, rng.integers(0, days), roll="forward")
            self.sess_groups.append(gl)
            self.sess_who.append(wl)
        self.session_rows = np.array(
            [
                [
                    6 * (1 + self.n_team[u]) * len(self.sess_groups[u][p]) - 6 * self.n_team[u]
                    for p in range(self.P)
                ]
                for u in range(self.U)
            ]
        )

    # ---- planted effects ----------------------------------------------------------------
    def _plan_plants(self) -> None:
        rng = _rng(self.seed, "plant")
        self._prng = rng
        k = self.n_cities
        self._used = np.zeros((self.U, self.P), dtype=bool)
        self._unit_uses = np.zeros(self.U, dtype=np.int64)
        self._rotor = 0
        gcount = np.array(
            [
                [np.bincount(self.sess_groups[u][p], minlength=7) for p in range(self.P)]
                for u in range(self.U)
            ]
        )  # U x P x 7
        any_ok = np.ones((self.U, self.P), dtype=bool)
        non_team = [G_MID, G_SUB, G_STAFF, G_SERV, G_REP, G_RET]

        def group_ok(groups, n_min):
            return (gcount[:, :, groups] >= n_min).any(axis=2)

        def pick_group(u, p, groups, n_min, prefer=None):
            ok = [g for g in groups if gcount[u, p, g] >= n_min]
            if prefer is not None and prefer in ok and rng.random() < 0.6:
                return prefer
            return int(ok[rng.integers(len(ok))])

        def sheets_of(u, p, g):
            return np.flatnonzero(self.sess_groups[u][p] == g)

        # sheet-level ballot plants
        for u, p in self._take(any_ok, 20 * k):
            s = rng.choice(np.flatnonzero(self.sess_groups[u][p] != G_TEAM))
            v = int(rng.choice([3, 2, 4, 1], p=[0.45, 0.35, 0.12, 0.08]))
            self._add(
                _Plant("straight_lining", u, p, self.sess_groups[u][p][s], np.array([s]), value=v),
                "ballot",
                self._ballot_id(u, p, s),
                f"sheet gives the constant mark {v} to every item of every subject",
            )
        for u, p in self._take(any_ok, 15 * k):
            s = rng.choice(np.flatnonzero(self.sess_groups[u][p] != G_TEAM))
            mode = "reverse" if rng.random() < 0.6 else "random"
            note = (
                "marks mirrored (5 - natural mark): reverse of the consensus"
                if mode == "reverse"
                else "marks drawn uniformly at random from 1-4"
            )
            self._add(
                _Plant("misfit_ballot", u, p, self.sess_groups[u][p][s], np.array([s]), mode=mode),
                "ballot",
                self._ballot_id(u, p, s),
                note,
            )
        # session-level ballot plants
        for u, p in self._take(group_ok(non_team, 10), 4 * k):
            g = pick_group(u, p, non_team, 10, prefer=G_STAFF)
            sh = sheets_of(u, p, g)
            n = int(rng.integers(6, min(12, len(sh) - 2) + 1))
            chosen = np.sort(rng.choice(sh, n, replace=False))
            self._add(
                _Plant("duplicate_ballots", u, p, g, chosen),
                "unit",
                self.unit_ids[u],
                f"{n} identical non-constant sheets from {GROUPS[g]} submitted within "
                f"4 minutes (sheets {', '.join(f'{s + 1:04d}' for s in chosen)})",
            )
        len_groups = [G_MID, G_SERV, G_REP, G_RET]
        # leniency needs room below the ceiling: units whose marks are not already near 4
        standing = self.q_team + self.climate[:, None]
        room = standing <= np.median(standing)
        for u, p in self._take(group_ok(len_groups, 8) & room, 4 * k):
            g = pick_group(u, p, len_groups, 8, prefer=G_SERV)
            self._add(
                _Plant("rater_leniency", u, p, g, value=LENIENCY_SHIFT),
                "rater_group",
                GROUPS[g],
                f"{GROUPS[g]} ({gcount[u, p, g]} sheets) rates every subject "
                f"+{LENIENCY_SHIFT} latent units above its usual offset ({GROUPS[g]} city "
                f"offset {GROUP_OFFSET[g]:+.2f})",
            )
        sev_groups = [G_STAFF, G_SUB, G_MID, G_SERV]
        for u, p in self._take(group_ok(sev_groups, 8), 4 * k):
            g = pick_group(u, p, sev_groups, 8, prefer=G_STAFF)
            self._add(
                _Plant("rater_severity", u, p, g, value=-SEVERITY_SHIFT),
                "rater_group",
                GROUPS[g],
                f"{GROUPS[g]} ({gcount[u, p, g]} sheets) rates every subject "
                f"-{SEVERITY_SHIFT} latent units below its usual offset ({GROUPS[g]} city "
                f"offset {GROUP_OFFSET[g]:+.2f})",
            )
        for u, p in self._take(group_ok(non_team, 6), 4 * k):
            g = pick_group(u, p, non_team, 6)
            self._add(
                _Plant("halo", u, p, g),
                "rater_group",
                GROUPS[g],
                f"all {gcount[u, p, g]} {GROUPS[g]} sheets give each subject one mark on "
                f"every item (marks differ across subjects)",
            )
        for u, p in self._take(group_ok(non_team, 6), 4 * k):
            g = pick_group(u, p, non_team, 6)
            self._add(
                _Plant("central_tendency", u, p, g),
                "rater_group",
                GROUPS[g],
                f"all {gcount[u, p, g]} {GROUPS[g]} sheets crowd marks 2-3 (4 -> 3 or 2, "
                f"3 -> 3 or 2, 1 -> 2)",
            )
        fav_groups = [G_MID, G_SUB, G_SERV, G_REP]  # groups that are not lenient anyway
        # the favoured cadre is the unit's lowest-standing deputy or member, and low enough
        # city-wide to leave room below the ceiling
        team_c = np.flatnonzero((self.cad_tier == 0) & (self.cad_role > 0))
        eff = self.q_cad + GENDER_BIAS * self.female[:, None]
        lowest = np.array(
            [
                [int(m[np.argmin(eff[m, p])]) for p in range(self.P)]
                for m in (self._members(u)[1:] for u in range(self.U))
            ]
        )
        low_ok = eff[lowest, np.arange(self.P)[None, :]] <= np.quantile(eff[team_c], 0.3)
        for u, p in self._take(group_ok(fav_groups, 8) & low_ok, 5 * k):
            g = pick_group(u, p, fav_groups, 8)
            c = int(lowest[u, p])
            self._add(
                _Plant(
                    "favoritism",
                    u,
                    p,
                    g,
                    subject=int(c - self.cad_start[u] + 1),
                    cadre=c,
                    value=FAVOR_SHIFT,
                ),
                "cadre",
                self.cadre_ids[c],
                f"{GROUPS[g]} ({gcount[u, p, g]} sheets) rates this below-median cadre "
                f"+{FAVOR_SHIFT} latent units above what the other groups give",
            )
        tgt_groups = [G_STAFF, G_MID, G_SUB, G_SERV]
        for u, p in self._take(group_ok(tgt_groups, 8), 5 * k):
            g = pick_group(u, p, tgt_groups, 8, prefer=G_STAFF)
            sh = sheets_of(u, p, g)
            n = int(rng.integers(8, min(15, len(sh)) + 1))
            chosen = np.sort(rng.choice(sh, n, replace=False))
            c = int(rng.choice(self._members(u)))
            self._add(
                _Plant(
                    "targeted_rating",
                    u,
                    p,
                    g,
                    chosen,
                    subject=int(c - self.cad_start[u] + 1),
                    cadre=c,
                ),
                "cadre",
                self.cadre_ids[c],
                f"{n} of {len(sh)} {GROUPS[g]} sheets give this cadre 1 on every item, "
                f"other subjects rated normally",
            )
        # subject-level plants
        self._plan_subject_plants(rng, k)
        # other channels
        for u, p in self._take(any_ok, 3 * k):
            src = "service_recipient" if self.outward[u] and rng.random() < 0.5 else "grassroots"
            n = int(rng.integers(22, 31))
            vec = [5, 5, 5, 5, 5] if rng.random() < 0.6 else [5, 5, 4, 5, 5]
            self._add(
                _Plant("survey_anomaly", u, p, mode=src, value=n, vec=np.array(vec, dtype=np.int8)),
                "unit",
                self.unit_ids[u],
                f"burst of {n} identical {src} responses {''.join(map(str, vec))} "
                f"submitted within 5 minutes",
            )
        for i, (u, p) in enumerate(self._take(~self.no_third, 3 * k)):
            up = i % 2 == 0
            note = (
                "questionnaires high (+1.0 latent) while third-party satisfaction is 14 points low"
                if up
                else "questionnaires low (-1.5 latent) while third-party satisfaction is "
                "12 points high (capped at 100)"
            )
            self._add(
                _Plant("satisfaction_gap", u, p, value=1.0 if up else -1.0),
                "unit",
                self.unit_ids[u],
                note,
            )
        round_ok = np.zeros((self.U, self.P), dtype=bool)
        round_ok[np.arange(self.U), self.talk_period] = True
        for u, p in self._take(round_ok, 4 * k):
            req = np.arange(self.cad_start[u] + 1, self.cad_start[u] + self.n_cad[u])
            n = int(rng.integers(1, 4))
            drop = np.sort(rng.choice(req, n, replace=False))
            self._add(
                _Plant("talk_coverage_gap", u, p, drop=drop, mode="missing"),
                "unit",
                self.unit_ids[u],
                f"no talk for {n} required cadre(s): "
                + ", ".join(f"{self.cadre_ids[c]} ({TIERS[self.cad_tier[c]]})" for c in drop),
            )
        for u, p in self._take(round_ok, 2 * k):
            self._add(
                _Plant("talk_coverage_gap", u, p, mode="short"),
                "unit",
                self.unit_ids[u],
                "rushed talk round: about 80% of talks last 8-18 minutes (median < 20)",
            )
        for u, p in self._take(any_ok, 5 * k):
            n = int(rng.integers(1, 4))
            self._add(
                _Plant("verification_refuted", u, p, value=n),
                "unit",
                self.unit_ids[u],
                f"{n} claim(s) refuted on site",
            )
        self.key_rows.append(
            dict(
                flag_type="group_bias",
                period_id=None,
                subject_type="population",
                subject_id="gender",
                unit_id=None,
                rater_group=None,
                detail=f"female team cadres' ballots {GENDER_BIAS:+.2f} latent units (all rater "
                f"groups, all periods) below what their quality and performance warrant",
            )
        )

    def _plan_subject_plants(self, rng: np.random.Generator, k: int) -> None:
        """source_divergence, self_inflation and talk_vote_conflict pick subjects by standing.

        Standing is the quality as the ballots see it in that period: true quality, the
        planted gender bias and the unit's rating climate.
        """
        team_c = np.flatnonzero(self.cad_tier == 0)
        eff_c = (
            self.q_cad[team_c]
            + GENDER_BIAS * self.female[team_c, None]
            + self.climate[self.cad_unit[team_c], None]
        )
        eff_t = self.q_team + self.climate[:, None]

        def band(eff: np.ndarray, lo: float, hi: float) -> np.ndarray:
            a, b = np.quantile(eff, [lo, hi])
            return (eff >= a) & (eff <= b)

        def subjects(kind: str, n: int, teams: bool = True):
            """Yield (is_team, index, u, p, direction) for n subjects."""
            for i in range(n):
                is_team = teams and i % 3 == 2
                up = i % 2 == 0
                lo, hi = (
                    (0.05, 0.15) if kind == "self_inflation" else (0.90, 1.0) if up else (0.0, 0.10)
                )
                if is_team:
                    inband = band(eff_t, lo, hi)  # units x periods
                    ok = inband.copy()
                else:
                    inband = band(eff_c, lo, hi)  # team cadres x periods
                    ok = np.zeros((self.U, self.P), dtype=bool)
                    np.logical_or.at(ok, self.cad_unit[team_c], inband)
                if kind == "talk_vote_conflict":
                    ok &= np.arange(self.P)[None, :] == self.talk_period[:, None]
                got = self._take(ok, 1)
                if not got:
                    continue
                u, p = got[0]
                if is_team:
                    yield True, u, u, p, up
                else:
                    cand = team_c[(self.cad_unit[team_c] == u) & inband[:, p]]
                    yield False, int(cand[rng.integers(len(cand))]), u, p, up

        for is_team, s, u, p, up in subjects("source_divergence", 6 * k):
            z = -DIVERGENCE_Z if up else DIVERGENCE_Z
            sid = self.unit_ids[s] if is_team else self.cadre_ids[s]
            self._add(
                _Plant(
                    "source_divergence",
                    u,
                    p,
                    cadre=-1 if is_team else s,
                    value=z,
                    mode="team" if is_team else "cadre",
                ),
                "team" if is_team else "cadre",
                sid,
                (
                    f"ballots high (top 10% standing) while performance is set to "
                    f"z = -{DIVERGENCE_Z} (positive statistic)"
                    if up
                    else f"ballots low (bottom 10% standing) while performance is set to "
                    f"z = +{DIVERGENCE_Z} (negative statistic)"
                ),
            )
        for is_team, s, u, p, _ in subjects("self_inflation", 6 * k):
            sid = self.unit_ids[s] if is_team else self.cadre_ids[s]
            if is_team:
                self.q_shift_team[s, p] -= SELF_PLANT_DROP
            else:
                self.q_shift_cad[s, p] -= SELF_PLANT_DROP
            self._add(
                _Plant(
                    "self_inflation",
                    u,
                    p,
                    cadre=-1 if is_team else s,
                    mode="team" if is_team else "cadre",
                ),
                "team" if is_team else "cadre",
                sid,
                f"subject in the 5th-15th percentile of standing whose quality drops "
                f"a further {SELF_PLANT_DROP} latent units in this period (all channels) "
                f"while its self-assessment gives 4 on every item",
            )
        for _, s, u, p, up in subjects("talk_vote_conflict", 4 * k, teams=False):
            self._add(
                _Plant("talk_vote_conflict", u, p, cadre=s, mode="neg" if up else "pos"),
                "cadre",
                self.cadre_ids[s],
                (
                    "high ballot scores (top 10% standing) but ~85% of talk mentions "
                    "negative (at least 8 mentions)"
                    if up
                    else "low ballot scores (bottom 10% standing) but ~85% of talk mentions "
                    "positive (at least 8 mentions)"
                ),
            )

    def _take(self, ok: np.ndarray, n: int) -> list[tuple[int, int]]:
        """Pick n unused sessions among ``ok``, rotating periods, preferring fresh units."""
        rng = self._prng
        out = []
        for _ in range(n):
            target = self._rotor % self.P
            self._rotor += 1
            free = ok & ~self._used
            for level in range(3):
                m = free.copy()
                if level == 0:
                    m &= (self._unit_uses == 0)[:, None]
                if level < 2:
                    m[:, np.arange(self.P) != target] = False
                cand = np.flatnonzero(m.ravel())
                if len(cand):
                    break
            else:
                break
            flat = int(cand[rng.integers(len(cand))])
            u, p = divmod(flat, self.P)
            self._used[u, p] = True
            self._unit_uses[u] += 1
            out.append((u, p))
        return out

    def _add(self, plant: _Plant, subject_type: str, subject_id: str, detail: str) -> None:
        self.plants.append(plant)
        rg = GROUPS[plant.group] if plant.group >= 0 else None
        self.key_rows.append(
            dict(
                flag_type=plant.kind,
                period_id=self.period_ids[plant.p],
                subject_type=subject_type,
                subject_id=subject_id,
                unit_id=self.unit_ids[plant.u],
                rater_group=rg,
                detail=detail,
            )
        )

    def _ballot_id(self, u: int, p: int, s: int) -> str:
        return f"{self.period_ids[p]}-{self.unit_ids[u]}-{s + 1:04d}"

    def _index_plants(self) -> None:
        self.plants_at: dict[tuple[int, int], list[_Plant]] = {}
        for pl in self.plants:
            self.plants_at.setdefault((pl.u, pl.p), []).append(pl)
        self.perf_override: dict[tuple[str, int, int], float] = {}
        self.self_max: set[tuple[str, int, int]] = set()
        for pl in self.plants:
            if pl.kind == "source_divergence":
                key = ("team", pl.u, pl.p) if pl.mode == "team" else ("cadre", pl.cadre, pl.p)
                self.perf_override[key] = pl.value
            elif pl.kind == "self_inflation":
                key = ("team", pl.u, pl.p) if pl.mode == "team" else ("cadre", pl.cadre, pl.p)
                self.self_max.add(key)

    def answer_key(self) -> pd.DataFrame:
        if not self.key_rows:
            return pd.DataFrame({c: pd.Series([], dtype=_STR) for c in ANSWER_KEY_COLUMNS})
        return _frame_generic(ANSWER_KEY_COLUMNS, self.key_rows)

    # ---- standardised quality used by the non-ballot channels ---------------------------
    def _z_cadre(self, c, p):
        return self.q_cadre(c, p) / self.sd_cad_emp

    def _z_team(self, u, p):
        return self.q_unit(u, p) / self.sd_team_emp

    def _sat_latent(self, u: int, p: int) -> float:
        return 0.35 * self._z_team(u, p) + self.unit_sat[u]

    # ---- ballots ------------------------------------------------------------------------
    def _session(self, u: int, p: int):
        """One democratic-evaluation session.

        Returns marks (sheets x subjects x 6 items), valid (sheets x subjects: False where a
        team member would rate themselves), submission times and the planted-sheet mask.
        """
        groups, who = self.sess_groups[u][p], self.sess_who[u][p]
        n_sh, nt = len(groups), int(self.n_team[u])
        n_subj = 1 + nt
        mem = self._members(u)
        rng = _rng(self.seed, "ballot", u, p)
        q = np.empty(n_subj)
        q[0] = self.q_unit(u, p)
        q[1:] = self.q_cadre(mem, p)
        if not self.clean:
            q[1:] += GENDER_BIAS * self.female[mem]
        ease = np.vstack([_ITEM_EASE[_TEAM_ITEMS], np.tile(_ITEM_EASE[_CADRE_ITEMS], (nt, 1))])
        base = q[:, None] + np.vstack([self.dev_team[u], self.dev_cad[mem]]) + ease
        sge = rng.normal(0, SD_SESSION_GROUP, 7)
        sheet = GROUP_OFFSET[groups] + sge[groups] + self.climate[u] + rng.normal(0, SD_SHEET, n_sh)
        y = (
            base[None]
            + sheet[:, None, None]
            + rng.normal(0, SD_SHEET_SUBJECT, (n_sh, n_subj, 1))
            + rng.normal(0, SD_MARK, (n_sh, n_subj, 6))
        )
        valid = np.ones((n_sh, n_subj), dtype=bool)
        tm = np.flatnonzero(who >= 0)
        valid[tm, 1 + who[tm]] = False
        secs = rng.integers(10 * 60, 150 * 60, n_sh)
        planted = np.zeros(n_sh, dtype=bool)
        plants = self.plants_at.get((u, p), ())
        prng = _rng(self.seed, "plant_ballot", u, p) if plants else None
        for pl in plants:
            if pl.kind in ("rater_leniency", "rater_severity"):
                y[groups == pl.group] += pl.value
            elif pl.kind == "favoritism":
                y[groups == pl.group, pl.subject, :] += pl.value
        marks = _ordinal(y, TAU)
        for pl in plants:
            gs = np.flatnonzero(groups == pl.group) if pl.group >= 0 else None
            if pl.kind == "halo":
                for s in gs:
                    m = _ordinal(y[s].mean(axis=1) + prng.normal(0, 0.6, n_subj), TAU)
                    _unconst(m, valid[s], prng)
                    marks[s] = m[:, None]
            elif pl.kind == "central_tendency":
                sub = marks[gs]
                r = prng.random(sub.shape)
                new = np.where(
                    sub >= 4,
                    np.where(r < 0.8, 3, 2),
                    np.where(sub == 3, np.where(r < 0.45, 3, 2), 2),
                ).astype(np.int8)
                for k in range(len(gs)):
                    _unconst(new[k], valid[gs[k]], prng)
                marks[gs] = new
            elif pl.kind == "targeted_rating":
                marks[pl.sheets, pl.subject, :] = 1
            elif pl.kind == "duplicate_ballots":
                # the bloc copies a distinctive sheet (the one with most marks below 4)
                src = pl.sheets[int(np.argmax((marks[pl.sheets] < 4).sum(axis=(1, 2))))]
                tmpl = marks[src].copy()
                _unconst(tmpl, valid[src], prng)
                marks[pl.sheets] = tmpl
                t0 = secs[pl.sheets[0]]
                secs[pl.sheets] = np.minimum(
                    t0 + np.sort(prng.integers(0, 240, len(pl.sheets))), 170 * 60
                )
            elif pl.kind == "straight_lining":
                marks[pl.sheets] = int(pl.value)
            elif pl.kind == "misfit_ballot":
                s = pl.sheets[0]
                m = (
                    5 - marks[s] if pl.mode == "reverse" else prng.integers(1, 5, (n_subj, 6))
                ).astype(np.int8)
                _unconst(m, valid[s], prng)
                marks[s] = m
            if pl.sheets is not None:
                planted[pl.sheets] = True
            elif gs is not None:
                planted[gs] = True
        times = (
            self.sess_day[u, p].astype("datetime64[s]")
            + np.timedelta64(9 * 3600, "s")
            + secs.astype("timedelta64[s]")
        )
        return marks, valid, times, planted

    def _ballot_chunk(self, p: int, units: list[int]) -> tuple[pd.DataFrame, int, int]:
        sheet_ids: list[str] = []
        sheet_unit, sheet_group, sheet_time = [], [], []
        cols_sheet, cols_subj, cols_item, cols_score = [], [], [], []
        n_sheets = 0
        natural_const = 0
        item_off = np.array([0] + [6] * 9)
        pid = self.period_ids[p]
        for u in units:
            marks, valid, times, planted = self._session(u, p)
            n_sh, n_subj = valid.shape
            v3 = np.broadcast_to(valid[:, :, None], (n_sh, n_subj, 6))
            idx = np.flatnonzero(v3)
            sheet = idx // (n_subj * 6)
            rem = idx - sheet * (n_subj * 6)
            j = rem // 6
            lookup = np.concatenate([[u], self.U + self._members(u)])
            cols_sheet.append(sheet + n_sheets)
            cols_subj.append(lookup[j])
            cols_item.append(item_off[j] + rem % 6)
            cols_score.append(marks.ravel()[idx])
            hi = np.where(v3, marks, 0).max(axis=(1, 2))
            lo = np.where(v3, marks, 9).min(axis=(1, 2))
            natural_const += int(((hi == lo) & ~planted).sum())
            uid = self.unit_ids[u]
            sheet_ids += [f"{pid}-{uid}-{s + 1:04d}" for s in range(n_sh)]
            sheet_unit.append(np.full(n_sh, u))
            sheet_group.append(self.sess_groups[u][p])
            sheet_time.append(times)
            n_sheets += n_sh
        sheet = np.concatenate(cols_sheet)
        subj = np.concatenate(cols_subj)
        sunit = np.concatenate(sheet_unit)
        frame = _frame(
            "ballots",
            {
                "ballot_id": _str_take(pa.array(sheet_ids), sheet),
                "period_id": _str_take(pa.array([pid]), np.zeros(len(sheet), dtype=np.int64)),
                "unit_id": _str_take(self._pa_units, sunit[sheet]),
                "rater_group": _str_take(_PA_GROUPS, np.concatenate(sheet_group)[sheet]),
                "subject_type": _str_take(_PA_SUBJECT_TYPES, (subj >= self.U).astype(np.int64)),
                "subject_id": _str_take(self._pa_subjects, subj),
                "item_id": _str_take(_PA_ITEMS, np.concatenate(cols_item)),
                "score": np.concatenate(cols_score),
                "submitted_at": _str_take(
                    pa.array(_iso_seconds(np.concatenate(sheet_time))), sheet
                ),
            },
        )
        return frame, n_sheets, natural_const

    # ---- performance --------------------------------------------------------------------
    def _perf_def(self, u: int):
        rng = _rng(self.seed, "perfdef", u)
        pool = words.PERF_UNIT[UNIT_TYPES[self.unit_type[u]]]
        idx = np.sort(rng.choice(len(pool), rng.integers(5, 9), replace=False))
        w = np.array([pool[i][2] for i in idx])
        w = np.round(w / w.sum(), 3)
        unit_ind = [
            (pool[i][0], float(pool[i][1]), float(wi)) for i, wi in zip(idx, w, strict=True)
        ]
        port = []
        for c in self._members(u):
            n = int(rng.integers(1, 4))
            for k in rng.choice(len(words.PERF_PORTFOLIO), n, replace=False):
                port.append((int(c), words.PERF_PORTFOLIO[k], round(1.0 / n, 3)))
        return unit_ind, port

    def _perf_z(self, kind: str, i: int, p: int, persist: float, rng) -> float:
        key = (kind, i, p)
        if key in self.perf_override:
            rng.normal()
            return self.perf_override[key]
        zq = self._z_team(i, p) if kind == "team" else self._z_cadre(i, p)
        z = 0.5 * zq + math.sqrt(0.75) * (math.sqrt(0.5) * persist + math.sqrt(0.5) * rng.normal())
        # a planted self_inflation subject's decline shows in its results too, so that its
        # ballots and performance still agree (no source_divergence by accident)
        return z - SELF_PLANT_PERF if key in self.self_max else z

    def _performance(self, p: int) -> pd.DataFrame:
        rows: dict[str, list] = {c: [] for c in TABLE_COLUMNS["performance"]}
        pid = self.period_ids[p]
        for u in range(self.U):
            rng = _rng(self.seed, "perf", u, p)
            unit_ind, port = self._perf_defs[u]
            uid = self.unit_ids[u]
            z = self._perf_z("team", u, p, self.perf_persist_team[u], rng)
            n = 0
            for name, mx, w in unit_ind:
                n += 1
                r = float(np.clip(0.80 + 0.05 * z + rng.normal(0, 0.025), 0.35, 1.0))
                _perf_row(rows, pid, uid, f"P{n:02d}", name, round(r * mx, 1), mx, w, None)
            zc: dict[int, float] = {}
            for c, name, w in port:
                n += 1
                if c not in zc:
                    zc[c] = self._perf_z("cadre", c, p, self.perf_persist_cad[c], rng)
                r = float(np.clip(0.80 + 0.05 * zc[c] + rng.normal(0, 0.025), 0.35, 1.0))
                _perf_row(
                    rows,
                    pid,
                    uid,
                    f"P{n:02d}",
                    name,
                    round(r * 100, 1),
                    100.0,
                    w,
                    self.cadre_ids[c],
                )
        rows["score"] = np.array(rows["score"])
        rows["max_score"] = np.array(rows["max_score"])
        rows["weight"] = np.array(rows["weight"])
        return _frame("performance", rows)

    # ---- questionnaires ---------------------------------------------------------------------
    def _surveys(self, p: int) -> pd.DataFrame:
        pid = self.period_ids[p]
        ids, units, sources, scores, times = [], [], [], [], []
        frac = np.clip((np.log(self.staff) - math.log(30)) / (math.log(2000) - math.log(30)), 0, 1)
        t_start = self.period_start[p].astype("datetime64[s]")
        n_days = int((self.period_end[p] - self.period_start[p]).astype(int)) + 1
        type_eff = np.where(self.unit_regulator, -0.3, np.where(self.unit_service, 0.2, 0.0))
        for u in range(self.U):
            rng = _rng(self.seed, "survey", u, p)
            gap = self._gap.get((u, p), 0.0)
            lat = (
                self._sat_latent(u, p)
                + type_eff[u]
                + (1.0 if gap > 0 else -1.5 if gap < 0 else 0.0)
            )
            plan = [("grassroots", "G", int(np.clip(20 + 60 * frac[u] + rng.normal(0, 6), 20, 80)))]
            if self.outward[u]:
                plan.append(("service_recipient", "R", int(rng.integers(20, 81))))
            uid = self.unit_ids[u]
            for src, letter, n in plan:
                resp = lat + (-0.15 if letter == "R" else 0.0) + rng.normal(0, 0.5, n)
                sc = _ordinal(resp[:, None] + SURVEY_EASE + rng.normal(0, 0.75, (n, 5)), TAU_SURVEY)
                tt = (
                    t_start
                    + rng.integers(0, n_days, n) * 86400
                    + rng.integers(8 * 3600, 22 * 3600, n)
                ).astype("datetime64[s]")
                an = self._survey_burst.get((u, p))
                if an is not None and an.mode == src:
                    prng = _rng(self.seed, "plant", 1000 + u, p)
                    nb = int(an.value)
                    sc = np.vstack([sc, np.tile(an.vec, (nb, 1))])
                    t0 = (
                        t_start
                        + int(prng.integers(0, n_days - 1)) * 86400
                        + int(prng.integers(9 * 3600, 20 * 3600))
                    )
                    tt = np.concatenate(
                        [tt, (t0 + np.sort(prng.integers(0, 300, nb))).astype("datetime64[s]")]
                    )
                    n += nb
                    order = prng.permutation(n)  # the burst is not numbered last
                    sc, tt = sc[order], tt[order]
                ids += [f"{pid}-{uid}-{letter}{k + 1:03d}" for k in range(n)]
                units += [u] * n
                sources += [src] * n
                scores.append(sc)
                times.append(tt)
        n = len(ids)
        rep = np.repeat(np.arange(n), 5)
        item = np.tile(np.arange(5), n)
        return _frame(
            "surveys",
            {
                "response_id": _str_take(pa.array(ids), rep),
                "period_id": _str_take(pa.array([pid]), np.zeros(5 * n, dtype=np.int64)),
                "unit_id": _str_take(self._pa_units, np.array(units)[rep]),
                "source": _str_take(pa.array(sources), rep),
                "item_id": _str_take(pa.array(words.SURVEY_ITEMS), item),
                "score": np.vstack(scores).ravel(),
                "submitted_at": _str_take(pa.array(_iso_seconds(np.concatenate(times))), rep),
            },
        )

    # ---- third-party satisfaction -------------------------------------------------------
    def _third_party(self, p: int) -> pd.DataFrame:
        rows: dict[str, list] = {c: [] for c in TABLE_COLUMNS["third_party"]}
        for u in range(self.U):
            rng = _rng(self.seed, "third", u, p)
            n_prov = 1 + int(rng.random() < 0.3)
            provs = np.sort(rng.choice(len(words.THIRD_PARTY_PROVIDERS), n_prov, replace=False))
            lat = self._sat_latent(u, p)
            base = (
                TP_BASE[self.unit_type[u]]
                - 7.0 * self.unit_regulator[u]
                + 3.0 * self.unit_service[u]
                + 6.0 * lat
                + self.unit_tp[u]
            )
            gap = self._gap.get((u, p), 0.0)
            base += -14.0 if gap > 0 else 12.0 if gap < 0 else 0.0
            for k in provs:
                sat = float(np.clip(base + rng.normal(0, 1.5), 0, 100))
                size = int(rng.integers(50, 401))
                if self.no_third[u, p]:
                    continue
                rows["period_id"].append(self.period_ids[p])
                rows["unit_id"].append(self.unit_ids[u])
                rows["provider"].append(words.THIRD_PARTY_PROVIDERS[k])
                rows["sample_size"].append(size)
                rows["satisfaction"].append(round(sat, 1))
        rows["sample_size"] = np.array(rows["sample_size"], dtype=np.int64)
        rows["satisfaction"] = np.array(rows["satisfaction"], dtype=np.float64)
        return _frame("third_party", rows)

    # ---- superior departments -----------------------------------------------------------
    def _superior(self, p: int) -> pd.DataFrame:
        rows: dict[str, list] = {c: [] for c in TABLE_COLUMNS["superior_opinions"]}
        pid = self.period_ids[p]
        for u in range(self.U):
            rng = _rng(self.seed, "superior", u, p)
            depts = self._superior_depts[u]
            subjects = [("team", -1)] + [("cadre", int(c)) for c in self._members(u)]
            for st, c in subjects:
                present = rng.random() < 0.9
                n_dep = 1 + int(rng.random() < 0.35)
                z = self._z_team(u, p) if st == "team" else self._z_cadre(c, p)
                lat = 0.8 * z + rng.normal(0, 0.6, n_dep)
                pick = rng.integers(0, 5, n_dep)
                if self.no_superior[u, p] or not present:
                    continue
                for d in range(n_dep):
                    rating = int(_ordinal(np.array([lat[d]]), TAU_SUPERIOR)[0])
                    pool = words.SUPERIOR_COMMENTS[rating]
                    rows["period_id"].append(pid)
                    rows["subject_type"].append(st)
                    rows["subject_id"].append(
                        self.unit_ids[u] if st == "team" else self.cadre_ids[c]
                    )
                    rows["department"].append(depts[d])
                    rows["rating"].append(rating)
                    rows["comment"].append(pool[pick[d] % len(pool)])
        rows["rating"] = np.array(rows["rating"], dtype=np.int64)
        return _frame("superior_opinions", rows)

    # ---- self-assessment ----------------------------------------------------------------
    def _self(self, p: int) -> pd.DataFrame:
        rows: dict[str, list] = {c: [] for c in TABLE_COLUMNS["self_assessments"]}
        pid = self.period_ids[p]
        scores = []
        for u in range(self.U):
            rng = _rng(self.seed, "self", u, p)
            mem = self._members(u)
            q = np.concatenate([[self.q_unit(u, p)], self.q_cadre(mem, p)])
            dev = np.vstack([self.dev_team[u], self.dev_cad[mem]])
            ease = np.vstack(
                [_ITEM_EASE[_TEAM_ITEMS], np.tile(_ITEM_EASE[_CADRE_ITEMS], (len(mem), 1))]
            )
            y = q[:, None] + dev + ease + SELF_INFLATION + rng.normal(0, SD_SELF, dev.shape)
            sc = _ordinal(y, TAU)
            if ("team", u, p) in self.self_max:
                sc[0] = 4
            for k, c in enumerate(mem):
                if ("cadre", int(c), p) in self.self_max:
                    sc[k + 1] = 4
            for j in range(len(q)):
                st = "team" if j == 0 else "cadre"
                sid = self.unit_ids[u] if j == 0 else self.cadre_ids[mem[j - 1]]
                items = _TEAM_ITEMS if j == 0 else _CADRE_ITEMS
                for i in range(6):
                    rows["period_id"].append(pid)
                    rows["subject_type"].append(st)
                    rows["subject_id"].append(sid)
                    rows["item_id"].append(words.ITEMS[items[i]][0])
                scores.append(sc[j])
        rows["score"] = np.concatenate(scores).astype(np.float64)
        return _frame("self_assessments", rows)

    # ---- on-site verification -----------------------------------------------------------
    def _verifications(self, p: int) -> pd.DataFrame:
        rows: dict[str, list] = {c: [] for c in TABLE_COLUMNS["verifications"]}
        pid = self.period_ids[p]
        for u in range(self.U):
            rng = _rng(self.seed, "verify", u, p)
            n = int(rng.integers(1, 4))
            tmpl = rng.choice(len(words.CLAIMS), 3, replace=False)
            nums = dict(
                a=round(float(rng.uniform(1, 30)), 1),
                b=int(rng.integers(85, 101)),
                c=int(rng.integers(100, 5000)),
                d=round(float(rng.uniform(3, 25)), 1),
                e=int(rng.integers(3, 30)),
            )
            partial = rng.random(3) < 0.15
            note_k = rng.integers(0, 4, 3)
            result = ["partial" if partial[k] else "confirmed" for k in range(3)]
            n_ref = self._refuted.get((u, p), 0)
            if n_ref:
                n = max(n, n_ref)
                prng = _rng(self.seed, "plant", 2000 + u, p)
                for k in prng.choice(n, n_ref, replace=False):
                    result[k] = "refuted"
            for k in range(n):
                rows["period_id"].append(pid)
                rows["unit_id"].append(self.unit_ids[u])
                rows["claim_id"].append(f"V{k + 1:02d}")
                rows["claim"].append(words.CLAIMS[tmpl[k]].format(**nums))
                rows["result"].append(result[k])
                notes = {"partial": words.PARTIAL_NOTES, "refuted": words.REFUTED_NOTES}
                rows["note"].append(notes[result[k]][note_k[k]] if result[k] in notes else None)
        return _frame("verifications", rows)

    # ---- talks --------------------------------------------------------------------------
    def _talks(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        t_rows: dict[str, list] = {c: [] for c in TABLE_COLUMNS["talks"]}
        m_rows: dict[str, list] = {c: [] for c in TABLE_COLUMNS["talk_mentions"]}
        for u in range(self.U):
            self._unit_talks(u, t_rows, m_rows)
        t_rows["duration_min"] = np.array(t_rows["duration_min"], dtype=np.int64)
        return _frame("talks", t_rows), _frame("talk_mentions", m_rows)

    def _unit_talks(self, u: int, t_rows: dict, m_rows: dict) -> None:
        p = int(self.talk_period[u])
        rng = _rng(self.seed, "talk", u)
        cads = np.arange(self.cad_start[u], self.cad_start[u] + self.n_cad[u])
        mem = self._members(u)
        n_staff, n_other = int(rng.integers(1, 5)), int(rng.random() < 0.4)
        who = [int(c) for c in cads] + [-1] * (n_staff + n_other)
        tier = [TIERS[self.cad_tier[c]] for c in cads] + ["staff"] * n_staff + ["other"] * n_other
        n = len(who)
        med = np.array(
            [
                48.0
                if t == "team"
                else 36.0
                if t == "middle"
                else 38.0
                if t == "subordinate_head"
                else 28.0
                for t in tier
            ]
        )
        dur = np.exp(np.log(med) + rng.normal(0, 0.3, n))
        dur[0] = rng.normal(85, 20)
        dur = np.clip(np.round(dur), 15, 150).astype(np.int64)
        first = self.period_start[p] + 7
        span = int(np.busday_count(first, self.period_end[p] - 20))
        start = np.busday_offset(first, int(rng.integers(0, span)), roll="forward")
        per_day = int(rng.integers(6, 10))
        dates = np.busday_offset(start, np.arange(n) // per_day, roll="forward")
        # mentions: 1-4 per talk about the team or team members other than the interviewee
        zq = np.concatenate([[self._z_team(u, p)], self._z_cadre(mem, p)])
        weights = np.concatenate([[1.5, 2.0], np.ones(len(mem) - 1)])
        ments: list[list] = []  # [talk, subject j, stance, topic]
        for t in range(n):
            w = weights.copy()
            if who[t] >= 0 and self.cad_tier[who[t]] == 0:
                w[1 + who[t] - self.cad_start[u]] = 0
            k = int(rng.choice(4, p=[0.28, 0.37, 0.22, 0.13])) + 1
            subj = rng.choice(len(w), k, replace=False, p=w / w.sum())
            lat = 0.9 * zq[subj] + rng.normal(0, 1, k)
            stance = np.where(lat > -0.1, 0, np.where(lat > -1.45, 1, 2))
            topic = rng.choice(6, k, p=[0.22, 0.22, 0.15, 0.18, 0.10, 0.13])
            ments += [
                [t, int(j), int(s), int(o)] for j, s, o in zip(subj, stance, topic, strict=True)
            ]
        keep = np.ones(n, dtype=bool)
        for pl in self.plants_at.get((u, p), ()):
            prng = _rng(self.seed, "plant_talk", u)
            if pl.kind == "talk_coverage_gap" and pl.mode == "missing":
                keep &= ~np.isin(np.array(who), pl.drop)
            elif pl.kind == "talk_coverage_gap" and pl.mode == "short":
                short = prng.random(n) < 0.8
                dur[short] = prng.integers(8, 19, short.sum())
            elif pl.kind == "talk_vote_conflict":
                j = int(pl.cadre - self.cad_start[u] + 1)
                target = 2 if pl.mode == "neg" else 0
                have = {m[0] for m in ments if m[1] == j}
                free = [t for t in range(n) if t not in have and who[t] != pl.cadre]
                extra = max(0, 8 - len(have))
                for t in prng.choice(free, min(extra, len(free)), replace=False):
                    ments.append([int(t), j, 1, int(prng.integers(0, 6))])
                for m in ments:
                    if m[1] == j:
                        m[2] = target if prng.random() < 0.85 else 1
        new_no = np.cumsum(keep) - 1
        pid, uid = self.period_ids[p], self.unit_ids[u]
        for t in range(n):
            if not keep[t]:
                continue
            t_rows["talk_id"].append(f"{pid}-{uid}-T{new_no[t] + 1:03d}")
            t_rows["period_id"].append(pid)
            t_rows["unit_id"].append(uid)
            t_rows["area_id"].append(self.area_ids[self.unit_area[u]])
            t_rows["interviewee_tier"].append(tier[t])
            t_rows["interviewee_id"].append(self.cadre_ids[who[t]] if who[t] >= 0 else None)
            t_rows["talk_date"].append(str(dates[t]))
            t_rows["duration_min"].append(int(dur[t]))
        for t, j, s, o in sorted(ments, key=lambda m: m[0]):
            if not keep[t]:
                continue
            topic = _TOPICS[o]
            stance = _STANCES[s]
            m_rows["talk_id"].append(f"{pid}-{uid}-T{new_no[t] + 1:03d}")
            m_rows["subject_type"].append("team" if j == 0 else "cadre")
            m_rows["subject_id"].append(uid if j == 0 else self.cadre_ids[mem[j - 1]])
            m_rows["stance"].append(stance)
            m_rows["topic"].append(topic)
            m_rows["note"].append(words.TALK_NOTES[topic][stance])

    # ---- the reference tables -----------------------------------------------------------
    def _reference_frames(self) -> list[tuple[str, pd.DataFrame]]:
        areas = _frame(
            "areas",
            {"area_id": self.area_ids, "name": self.area_names, "leader": self.area_leaders},
        )
        units = _frame(
            "units",
            {
                "unit_id": self.unit_ids,
                "name": self.unit_names,
                "unit_type": [UNIT_TYPES[t] for t in self.unit_type],
                "area_id": [self.area_ids[a] for a in self.unit_area],
                "staff_count": self.staff,
            },
        )
        cadres = _frame(
            "cadres",
            {
                "cadre_id": self.cadre_ids,
                "name": self.cadre_names,
                "unit_id": [self.unit_ids[u] for u in self.cad_unit],
                "position": self.cad_position,
                "role": [ROLES[r] for r in self.cad_role],
                "tier": [TIERS[t] for t in self.cad_tier],
                "gender": np.where(self.female, "F", "M").tolist(),
                "birth_year": self.birth_year,
                "education": [words.EDUCATION[e] for e in self.education],
                "in_post_since": np.datetime_as_string(self.in_post, unit="D").tolist(),
            },
        )
        periods = _frame(
            "periods",
            {
                "period_id": [p[0] for p in PERIODS],
                "label": [p[1] for p in PERIODS],
                "start_date": [p[2] for p in PERIODS],
                "end_date": [p[3] for p in PERIODS],
            },
        )
        items = _frame(
            "items",
            {
                "item_id": [it[0] for it in words.ITEMS],
                "subject_type": [it[1] for it in words.ITEMS],
                "dimension": [it[2] for it in words.ITEMS],
                "label_zh": [it[3] for it in words.ITEMS],
                "label_en": [it[4] for it in words.ITEMS],
                "scale_max": np.full(len(words.ITEMS), 4),
                "scale_min": np.full(len(words.ITEMS), 1),
            },
        )
        return [
            ("areas", areas),
            ("units", units),
            ("cadres", cadres),
            ("periods", periods),
            ("items", items),
        ]

    # ---- iteration ----------------------------------------------------------------------
    def tables(
        self, progress: Callable[[float, str], None] | None, summary: dict
    ) -> Iterator[tuple[str, pd.DataFrame]]:
        def report(frac: float, msg: str) -> None:
            if progress is not None:
                progress(min(1.0, frac), msg)

        self._prepare_tables()
        report(0.0, "reference tables")
        for name, frame in self._reference_frames():
            yield name, frame
        total = float(self.session_rows.sum())
        ballot_share = 0.8
        done = 0
        sheets = natural = 0
        for p in range(self.P):
            batch: list[int] = []
            rows = 0
            for u in [*range(self.U), None]:
                if u is not None and (
                    rows + self.session_rows[u, p] <= BALLOT_CHUNK_ROWS or not batch
                ):
                    batch.append(u)
                    rows += int(self.session_rows[u, p])
                    continue
                frame, ns, nc = self._ballot_chunk(p, batch)
                sheets += ns
                natural += nc
                done += rows
                report(
                    ballot_share * done / total,
                    f"ballots {self.period_ids[p]}: {done:,} of {int(total):,} rows",
                )
                yield "ballots", frame
                del frame
                batch = [u] if u is not None else []
                rows = int(self.session_rows[u, p]) if u is not None else 0
        summary["sheets"] = sheets
        summary["ballot_rows"] = int(total)
        summary["constant_sheets_natural"] = natural
        summary["constant_sheet_rate_natural"] = natural / max(1, sheets)
        makers = [
            ("performance", self._performance),
            ("surveys", self._surveys),
            ("third_party", self._third_party),
            ("superior_opinions", self._superior),
            ("self_assessments", self._self),
            ("verifications", self._verifications),
        ]
        for k, (name, make) in enumerate(makers):
            n = 0
            for p in range(self.P):
                frame = make(p)
                n += len(frame)
                report(
                    ballot_share + (1 - ballot_share) * (k + (p + 1) / self.P) / (len(makers) + 1),
                    f"{name} {self.period_ids[p]}",
                )
                yield name, frame
                del frame
            summary[name] = n
        summary["responses"] = summary["surveys"] // 5
        talks, mentions = self._talks()
        summary["talks"], summary["talk_mentions"] = len(talks), len(mentions)
        yield "talks", talks
        yield "talk_mentions", mentions
        report(1.0, "done")

    def _prepare_tables(self) -> None:
        self._pa_units = pa.array(self.unit_ids)
        self._pa_subjects = pa.array(self.unit_ids + self.cadre_ids)
        team = self.cad_tier == 0
        self.sd_cad_emp = float(self.q_cad[team].std())
        self.sd_team_emp = float(self.q_team.std())
        self._perf_defs = [self._perf_def(u) for u in range(self.U)]
        self._superior_depts = [
            _superior_departments(
                self.unit_tmpl[u],
                UNIT_TYPES[self.unit_type[u]],
                words.CITIES[self.unit_city[u]] if self.n_cities > 1 else "",
            )
            for u in range(self.U)
        ]
        self._gap = {(pl.u, pl.p): pl.value for pl in self.plants if pl.kind == "satisfaction_gap"}
        self._survey_burst = {(pl.u, pl.p): pl for pl in self.plants if pl.kind == "survey_anomaly"}
        self._refuted = {
            (pl.u, pl.p): int(pl.value) for pl in self.plants if pl.kind == "verification_refuted"
        }


BALLOT_CHUNK_ROWS = 1_200_000
_PA_GROUPS = pa.array(GROUPS)
_PA_SUBJECT_TYPES = pa.array(["team", "cadre"])
_PA_ITEMS = pa.array([it[0] for it in words.ITEMS])
_TOPICS = ("responsibility", "competence", "unity", "style", "integrity", "other")
_STANCES = ("positive", "neutral", "negative")


def build_demo(seed: int = 7, scale: str = "city", clean: bool = False) -> Demo:
    """Plan a demo: reference data, latent quality, sessions and planted effects.

    The big tables are produced lazily by :meth:`Demo.tables`.  Same arguments, same data.
    """
    world = _World(seed, scale, clean)
    summary = {
        "seed": int(seed),
        "scale": scale,
        "clean": bool(clean),
        "areas": len(world.area_ids),
        "units": world.U,
        "cadres": world.C,
        "team_cadres": int((world.cad_tier == 0).sum()),
        "periods": world.P,
        "items": len(words.ITEMS),
        "sessions": world.U * world.P,
        "sheets": int(sum(len(g) for gl in world.sess_groups for g in gl)),
        "ballot_rows": int(world.session_rows.sum()),
        "planted": len(world.key_rows),
    }
    return Demo(answer_key=world.answer_key(), summary=summary, _world=world)


# ---- helpers ----------------------------------------------------------------------------------
def _unconst(m: np.ndarray, valid_row: np.ndarray, rng: np.random.Generator) -> None:
    """Make a sheet's marks (J x 6, or J for halo) non-constant over its valid subjects."""
    vals = m[valid_row]
    if vals.min() != vals.max():
        return
    js = np.flatnonzero(valid_row)
    j = int(js[rng.integers(len(js))])
    v = int(vals.ravel()[0])
    new = v - 1 if v > 1 else v + 1
    if m.ndim == 1:
        m[j] = new
    else:
        m[j, int(rng.integers(m.shape[1]))] = new


def _perf_row(rows, pid, uid, ind_id, name, score, mx, w, cadre) -> None:
    rows["period_id"].append(pid)
    rows["unit_id"].append(uid)
    rows["indicator_id"].append(ind_id)
    rows["indicator"].append(name)
    rows["score"].append(float(score))
    rows["max_score"].append(float(mx))
    rows["weight"].append(float(w))
    rows["cadre_id"].append(cadre)


def _frame_generic(columns, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=_STR) for c in columns})


def _city_name(name: str, city: str) -> str:
    """'市交通运输局' -> '江城市交通运输局'; '海州区' -> '江城市海州区' (province scale)."""
    if not city:
        return name
    if name.startswith("市"):
        return f"{city}{name}"
    if "市委" in name:
        return name.replace("市委", f"{city}市委")
    return f"{city}市{name}"


def _titles(name: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    best = None
    for suffix, principal, deps, mems in words.TITLES_BY_SUFFIX:
        if name.endswith(suffix) and (best is None or len(suffix) > len(best[0])):
            best = (suffix, principal, deps, mems)
    if best is None:
        raise ValueError(f"no titles for {name}")
    return best[1], best[2], best[3]


_TING = (
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "审计局",
    "退役军人事务局",
    "应急管理局",
)


def _superior_departments(name: str, unit_type: str, city: str) -> tuple[str, str]:
    """The unit's upper counterpart department and a second consulted office."""
    cityp = f"{city}市" if city else "市"
    base = name
    if unit_type == "party":
        first = (
            "省委" + base[2:]
            if base.startswith("市委")
            else "共青团省委"
            if base.endswith("团市委")
            else "省" + base.lstrip("市").replace("机关", "")
        )
        extra = "市委督查室"
    elif unit_type == "government":
        stem = base.lstrip("市")
        first = "省" + (stem[:-1] + "厅" if stem in _TING else stem)
        extra = "市政府督查室"
    elif unit_type == "district":
        first, extra = "市委督查室", "市政府督查室"
    elif unit_type == "enterprise":
        first, extra = "市人民政府国有资产监督管理委员会", "市委考核办"
    else:
        if base.endswith(("医院", "保健院", "疾病预防控制中心", "急救中心")):
            first = "市卫生健康委员会"
        elif base.endswith(("学院", "中学", "学校")):
            first = "市教育局"
        elif base.endswith(("电视台", "日报社")):
            first = "市委宣传部"
        elif base.endswith(("图书馆", "博物馆")):
            first = "市文化广电旅游局"
        else:
            first = "市政府办公室"
        extra = "市委考核办"

    def fix(dept: str) -> str:
        return dept.replace("市", cityp, 1) if dept.startswith("市") else dept

    return fix(first), fix(extra)


def _person_names(
    rng: np.random.Generator, female: np.ndarray, taken: set[str] | None = None
) -> list[str]:
    """Surname + one- or two-character given name; unique within the generated set."""
    sw = np.array(words.SURNAME_WEIGHTS)
    sw = sw / sw.sum()
    n = len(female)
    sur = rng.choice(len(words.SURNAMES), n, p=sw)
    two = rng.random(n) < 0.72
    g1 = rng.integers(0, 10**6, n)
    g2 = rng.integers(0, 10**6, n)
    seen = set(taken or ())
    out = []
    for k in range(n):
        pool = words.GIVEN_FEMALE if female[k] else words.GIVEN_MALE
        a, b, s, t = g1[k], g2[k], sur[k], two[k]
        for attempt in range(50):
            given = pool[a % len(pool)] + (pool[b % len(pool)] if t else "")
            name = words.SURNAMES[s] + given
            if name not in seen or attempt == 49:
                break
            a, b = a * 31 + 7 + attempt, b * 17 + 3
            t = True
            s = (s + attempt + 1) % len(words.SURNAMES) if attempt > 10 else s
        seen.add(name)
        out.append(name)
    return out
