"""Producing the demo's data channels: ballots (one session at a time, plants applied),
performance, questionnaires, third-party surveys, superior opinions, self-assessments,
verifications and talks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import demo_names as words
from analytics.demo_model import (
    _CADRE_ITEMS,
    _ITEM_EASE,
    _PA_GROUPS,
    _PA_ITEMS,
    _PA_SUBJECT_TYPES,
    _STANCES,
    _TEAM_ITEMS,
    _TOPICS,
    GENDER_BIAS,
    GROUP_OFFSET,
    SD_MARK,
    SD_SELF,
    SD_SESSION_GROUP,
    SD_SHEET,
    SD_SHEET_SUBJECT,
    SELF_INFLATION,
    SELF_PLANT_PERF,
    SURVEY_EASE,
    TABLE_COLUMNS,
    TAU,
    TAU_SUPERIOR,
    TAU_SURVEY,
    TP_BASE,
    _frame,
    _iso_seconds,
    _ordinal,
    _perf_row,
    _rng,
    _str_take,
    _unconst,
)
from analytics.schema import TIERS, UNIT_TYPES


class _Channels:
    """The per-period tables of :class:`analytics.demo_world._World` (a mixin)."""

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
