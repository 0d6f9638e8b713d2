"""The demo generator's shared vocabulary: the contract's table shapes, the latent model's
constants (documented in :mod:`analytics.demo`), the seeded generators and the frame builders."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import demo_names as words
from analytics.flags import FLAG_KEY
from analytics.schema import TABLES

# ---- contract shapes ------------------------------------------------------------------------
# the generator writes every table with the contract's columns in their order (analytics.schema)
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {t.name: tuple(t.column_names) for t in TABLES.values()}
ANSWER_KEY_COLUMNS = (*FLAG_KEY, "detail")

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype

PERIODS = (
    ("2025Q4", "2025年第四季度", "2025-10-01", "2025-12-31"),
    ("2026Q1", "2026年第一季度", "2026-01-01", "2026-03-31"),
    ("2026Q2", "2026年第二季度", "2026-04-01", "2026-06-30"),
    ("2026Q3", "2026年第三季度", "2026-07-01", "2026-09-30"),
)
OUTWARD = np.array([False, True, True, False, True])  # faces the public, by unit type
SCALES = {"city": 1, "province": 15}
AREAS_PER_CITY = 12

# ---- latent model (see the analytics.demo docstring) ----------------------------------------
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


# ---- a planted effect -------------------------------------------------------------------------
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


BALLOT_CHUNK_ROWS = 1_200_000
_PA_GROUPS = pa.array(GROUPS)
_PA_SUBJECT_TYPES = pa.array(["team", "cadre"])
_PA_ITEMS = pa.array([it[0] for it in words.ITEMS])
_TOPICS = ("responsibility", "competence", "unity", "style", "integrity", "other")
_STANCES = ("positive", "neutral", "negative")


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
