"""Planning the demo's planted effects (one unit-period each) and their answer key; see
:mod:`analytics.demo` for what each plant does."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.demo_model import (
    _STR,
    ANSWER_KEY_COLUMNS,
    DIVERGENCE_Z,
    FAVOR_SHIFT,
    G_MID,
    G_REP,
    G_RET,
    G_SERV,
    G_STAFF,
    G_SUB,
    G_TEAM,
    GENDER_BIAS,
    GROUP_OFFSET,
    GROUPS,
    LENIENCY_SHIFT,
    SELF_PLANT_DROP,
    SEVERITY_SHIFT,
    _frame_generic,
    _Plant,
    _rng,
)
from analytics.schema import TIERS


class _Plants:
    """The plant planning of :class:`analytics.demo_world._World` (a mixin)."""

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
        for kind, what in (
            ("halo", "give each subject one mark on every item (marks differ across subjects)"),
            ("central_tendency", "crowd marks 2-3 (4 -> 3 or 2, 3 -> 3 or 2, 1 -> 2)"),
        ):
            for u, p in self._take(group_ok(non_team, 6), 4 * k):
                g = pick_group(u, p, non_team, 6)
                detail = f"all {gcount[u, p, g]} {GROUPS[g]} sheets {what}"
                self._add(_Plant(kind, u, p, g), "rater_group", GROUPS[g], detail)
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
