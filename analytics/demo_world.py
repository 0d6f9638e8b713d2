"""The demo's world: areas, units, cadres and their latent quality, the evaluation sessions,
and the iteration over every table (see :mod:`analytics.demo` for the model)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import demo_names as words
from analytics.demo_channels import _Channels
from analytics.demo_model import (
    AREAS_PER_CITY,
    BALLOT_CHUNK_ROWS,
    G_MID,
    G_REP,
    G_RET,
    G_SERV,
    G_STAFF,
    G_SUB,
    G_TEAM,
    OUTWARD,
    PERIODS,
    SCALES,
    SD_CADRE,
    SD_DIM,
    SD_DRIFT,
    SD_UNIT_CLIMATE,
    _frame,
    _Plant,
    _rng,
)
from analytics.demo_plants import _Plants
from analytics.schema import ROLES, TIERS, UNIT_TYPES


class _World(_Plants, _Channels):
    """The generated city: reference data, latent quality and sessions, built at once."""

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
