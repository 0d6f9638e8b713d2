"""Flags on individual talks (个别谈话; CONTRACT.md §2: talk_coverage_gap, talk_vote_conflict).

talk_coverage_gap — unit / unit_id
----------------------------------
*Rule* (no test applies; ``p_value`` empty).  A unit-period with talks is a **talk round**
when its talks reach at least ``round_min_share`` of the unit's required cadres (tiers
``required_tiers``: team, middle, subordinate_head), or when no other period within twelve
months holds a round (so ad-hoc talks outside the round are not judged as a round).  For each
round in the analysed periods:

* every required cadre of the unit (in post by the period's end when ``in_post_since`` is
  given) must have a talk in that period: a talk counts wherever it was held (by
  ``interviewee_id``); one held in the adjacent period before or after (a round straddling a
  quarter's end, or a make-up talk) covers the cadre but leaves an info note.  Talks whose
  ``interviewee_id`` is empty cover their tier by count (anonymous records): a tier's missing
  cadres are reduced by its anonymous talks.  One missing cadre makes a warning;
  ``crit_missing`` or more, or a ``crit_share`` or larger part of the required cadres,
  critical.
* the median duration of the round's talks must reach ``min_minutes`` (default 20, the
  contract's minimum); below ``crit_minutes`` critical.  Extension: a round in which
  ``short_share`` (40 %) or more of the talks are shorter than ``min_minutes`` is a warning
  even when its median passes (naturally at most ~15 % of a round's talks are that short).

**A unit whose round falls in another period** is not judged in the periods without talks.
A database with no talk at all is not judged (the channel is not in use).  A unit with
**no talk in the twelve months** up to an analysed period's end gets a warning in
that period when the database covers those twelve months (with quarterly periods: the fourth
loaded quarter and later); when the database holds less than a year, a unit with no talk in
any loaded period gets an info note in the last analysed period (its round may still come).
*Statistic*: the shortfall against the requirement, negative: the largest of the share of
required cadres without a talk, 1 − median / minimum and the share of short talks (when
that share is flagged), with a minus sign; −1 for no round at all.

talk_vote_conflict — cadre / cadre_id, one candidate per cadre × period with talks and ballots
----------------------------------------------------------------------------------------------
*Statistic*: ballots-minus-talks discrepancy on the stance scale (positive mention +1, neutral
0, negative −1): the mean stance expected at the cadre's ballot level minus the observed mean
stance of the mentions of the cadre in that period's talks; positive = ballots more favourable
than talks (e.g. top ballots, mostly negative mentions), negative = the reverse.
*Null model*: the city's base rates of the three stances as a function of the democratic
score, fitted each run as an ordered probit of every cadre mention's stance on the cadre's
democratic z-score within the period (``analytics.channels.democratic``, so the Rasch fair
average once it lands), the z-score winsorised at ±``z_cap`` = 2 (beyond, the probit would
extrapolate near-certain stances that talks, blind to what depresses ballots, do not follow).
Mentions are independent draws from the stance distribution at the cadre's ballot level; the
test statistic is the number of contrary minus supporting mentions (negative minus positive
for a cadre above the mean, the reverse below), with an exact one-sided mid-p from the
trinomial distribution.
*Candidates*: cadres whose ballots clearly point one way (|z| ≥ ``ballot_z`` = 0.75, about the
top and bottom quarter of the period; a cadre rated near the middle cannot be in conflict with
its talks) and whose talks say enough (at least ``min_mentions`` = 8 mentions in the period:
with fewer, even unanimous contrary mentions rarely survive the multiplicity of a few hundred
candidates, and every extra candidate dilutes the others).  The BH family is these candidates;
cadres with fewer mentions are not judged (``details`` of a flag give the base-rate model).
*Thresholds*: talk evidence is sparse (one round a year, 5–15 mentions per cadre), so a
warning needs a BH-adjusted p ≤ ``warn_p`` = 0.05 (false discovery rate 5 %) and
|statistic| ≥ 0.5; critical p ≤ 0.001 and |statistic| ≥ 1.0.  The two directions differ in
power: top ballots with mostly negative mentions is near-impossible by chance (negative base
rate ~3 % at the top), while bottom ballots with mostly positive mentions is only moderately
rare (positive base rate ~20–30 % at the bottom), so 6 positive of 8 there is borderline.
Natural disagreement exists (talks do not see what depresses or lifts ballots: unit climate,
a rating attack), so the test is somewhat liberal: on five clean demo cities 1–7 % of the ~90
candidates reach raw p < 0.01 and 0–2 cadres of ~2,800 cadre-periods are flagged.
*Missing data*: cadres without a democratic score or without mentions are no candidates;
mentions of teams are not used.  *References*: ordered probit (McKelvey & Zavoina 1975);
mid-p (Lancaster 1961); Benjamini & Hochberg (1995).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from analytics import channels
from analytics import texts as tx
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.flags.sources import (
    jsonable,
    ordered_probit,
    ordered_probs,
    p_detail,
)
from analytics.texts import Text

TIER_ZH = {"team": "班子成员", "middle": "中层正职", "subordinate_head": "下属单位主要负责人"}


# ---- talk_coverage_gap ---------------------------------------------------------------------


@detector(
    "talk_coverage_gap",
    defaults={
        "required_tiers": ["team", "middle", "subordinate_head"],  # tiers every round must cover
        "min_minutes": 20,  # minimum median talk duration of a round (minutes)
        "crit_minutes": 15,  # median below this: critical
        "short_share": 0.4,  # ... or this share of the round's talks below min_minutes: warning
        "crit_missing": 3,  # required cadres without a talk for critical (1 makes a warning)
        "crit_share": 0.25,  # ... or this share of the required cadres
        "round_min_share": 0.5,  # talks must reach this share of required cadres to be a round
    },
)
def detect_talk_coverage_gap(ctx) -> list[Flag]:
    ft = "talk_coverage_gap"
    tiers = list(setting(ft, "required_tiers"))
    min_min, crit_min = float(setting(ft, "min_minutes")), float(setting(ft, "crit_minutes"))
    short_share = float(setting(ft, "short_share"))
    crit_n, crit_share = int(setting(ft, "crit_missing")), float(setting(ft, "crit_share"))
    per = ctx.periods[["period_id", "start_date", "end_date"]].copy()
    per["start_date"] = pd.to_datetime(per["start_date"])
    per["end_date"] = pd.to_datetime(per["end_date"])
    per["idx"] = np.arange(len(per))
    if per.empty:
        return []
    # talks of every period (a round's neighbours and the twelve-month window need them)
    talks = ctx.df("""
        SELECT unit_id, period_id, count(*) AS n_talks, median(duration_min) AS median_min,
               list(duration_min) AS durations
        FROM talks GROUP BY ALL""")
    heard = ctx.df("""
        SELECT DISTINCT period_id, interviewee_id AS cadre_id
        FROM talks WHERE interviewee_id IS NOT NULL""")
    anon = ctx.df("""
        SELECT unit_id, period_id, interviewee_tier AS tier, count(*) AS n_anon
        FROM talks WHERE interviewee_id IS NULL GROUP BY ALL""")
    cad = ctx.cadres[ctx.cadres["tier"].isin(tiers)][
        ["cadre_id", "unit_id", "tier", "role", "in_post_since"]
    ].copy()
    cad["in_post_since"] = pd.to_datetime(cad["in_post_since"])

    # required cadres of every unit-period with talks, and whether each was heard
    req = talks[["unit_id", "period_id"]].merge(per, on="period_id").merge(cad, on="unit_id")
    req = req[req["in_post_since"].isna() | (req["in_post_since"] <= req["end_date"])]
    heard["hit"] = True
    pid_at = pd.Series(per["period_id"].to_numpy(), index=per["idx"].to_numpy())
    req["prev_id"] = (req["idx"] - 1).map(pid_at)
    req["next_id"] = (req["idx"] + 1).map(pid_at)
    for col, on in (("same", "period_id"), ("hit_prev", "prev_id"), ("hit_next", "next_id")):
        req = req.merge(
            heard.rename(columns={"period_id": on, "hit": col}), on=[on, "cadre_id"], how="left"
        )
        req[col] = req[col].fillna(False).astype(bool)
    req["made_up_in"] = req["prev_id"].where(req["hit_prev"], req["next_id"].where(req["hit_next"]))
    cov = (
        req.groupby(["unit_id", "period_id"])
        .agg(n_req=("cadre_id", "size"), n_same=("same", "sum"))
        .reset_index()
    )
    rounds = talks.merge(per, on="period_id").merge(cov, on=["unit_id", "period_id"], how="left")
    rounds[["n_req", "n_same"]] = rounds[["n_req", "n_same"]].fillna(0)
    rounds["share"] = rounds["n_same"] / rounds["n_req"].where(rounds["n_req"] > 0)
    big = rounds["share"].fillna(1.0) >= float(setting(ft, "round_min_share"))
    # a low-coverage period is a round only if no full round lies within twelve months
    full = rounds.loc[big, ["unit_id", "end_date"]]
    low = rounds.loc[~big, ["unit_id", "period_id", "end_date"]].merge(
        full, on="unit_id", how="left", suffixes=("", "_full")
    )
    near = low[(low["end_date_full"] - low["end_date"]).abs() < pd.Timedelta(days=365)]
    adhoc = set(zip(near["unit_id"], near["period_id"], strict=True))
    rounds["is_round"] = [
        big_i or (u, p) not in adhoc
        for big_i, u, p in zip(big, rounds["unit_id"], rounds["period_id"], strict=True)
    ]
    analysed = set(ctx.period_ids)
    units = ctx.units[["unit_id"]]
    flags: list[Flag] = []

    jud = rounds[rounds["is_round"] & rounds["period_id"].isin(analysed)]
    miss = req[~req["same"]].merge(jud[["unit_id", "period_id"]], on=["unit_id", "period_id"])
    anon_n = {(u, p, t): n for u, p, t, n in anon.itertuples(index=False)}
    miss_by = {k: g for k, g in miss.groupby(["unit_id", "period_id"])}
    for r in jud.itertuples(index=False):
        m = miss_by.get((r.unit_id, r.period_id))
        not_made = m[m["made_up_in"].isna()] if m is not None else None
        made = m[m["made_up_in"].notna()] if m is not None else None
        # anonymous talks of a tier may cover that tier's unmatched cadres
        n_missing, missing_ids, covered_anon = 0, [], 0
        if not_made is not None and len(not_made):
            for tier, g in not_made.groupby("tier"):
                a = int(anon_n.get((r.unit_id, r.period_id, tier), 0))
                n_missing += max(0, len(g) - a)
                covered_anon += min(a, len(g))
                missing_ids += [
                    {"cadre_id": c, "tier": t, "role": ro, "anonymous_talks_of_tier": a}
                    for c, t, ro in zip(g["cadre_id"], g["tier"], g["role"], strict=True)
                ]
        n_req = int(r.n_req)
        share_missing = n_missing / n_req if n_req else 0.0
        durations = np.asarray(r.durations, dtype=float)
        n_short = int((durations < min_min).sum())
        share_short = n_short / len(durations) if len(durations) else 0.0
        short = r.median_min < min_min or share_short >= short_share
        sev_c = (
            None
            if n_missing == 0
            else "critical"
            if n_missing >= crit_n or share_missing >= crit_share
            else "warning"
        )
        sev_d = None if not short else "critical" if r.median_min < crit_min else "warning"
        n_made = 0 if made is None else len(made)
        sevs = [s for s in (sev_c, sev_d) if s]
        if not sevs and n_made == 0:
            continue
        sev = "critical" if "critical" in sevs else "warning" if sevs else "info"
        # effect size: the shortfall of the round as a share (0–1, larger = less complete):
        # required cadres without a talk, the duration short of the minimum, short talks,
        # or (a note) cadres heard only in the adjacent period
        stat = max(
            share_missing,
            (1 - r.median_min / min_min) if r.median_min < min_min else 0.0,
            share_short if short else 0.0,
            0.0 if sevs else n_made / max(n_req, 1),
        )
        parts = []
        if n_missing:
            shown = [
                tx.text(
                    "ev.talk.missing_cadre",
                    cadre=tx.cadre(x["cadre_id"]),
                    tier=tx.code("tier", x["tier"], lower=True),
                )
                for x in missing_ids[:8]
            ]
            parts.append(
                tx.text(
                    "ev.talk.missing",
                    n_req=tx.count(n_req),
                    n_missing=tx.count(n_missing),
                    cadres=tx.items(shown),
                )
            )
        if short:
            parts.append(
                tx.text(
                    "ev.talk.short",
                    n_short=tx.count(n_short),
                    n_talks=tx.count(len(durations)),
                    min_minutes=tx.num(round(min_min), 0),
                    median=tx.num(round(r.median_min), 0),
                )
            )
        if n_made and not sevs:
            parts.append(tx.text("ev.talk.made_up", n=tx.count(n_made)))
        text = Text("ev.talk_coverage_gap", {"parts": tx.items(parts, sep="ev.list.semicolon")})
        details = {
            "required": n_req,
            "heard": int(r.n_same),
            "missing": n_missing,
            "missing_cadres": missing_ids,
            "covered_by_anonymous_talks": covered_anon,
            "made_up_in_adjacent_period": []
            if made is None
            else [
                {"cadre_id": c, "period_id": p}
                for c, p in zip(made["cadre_id"], made["made_up_in"], strict=True)
            ],
            "n_talks": int(r.n_talks),
            "median_minutes": jsonable(r.median_min),
            "min_minutes": min_min,
            "short_talks": n_short,
            "short_share": jsonable(share_short),
            "required_tiers": tiers,
        }
        stat = round(float(stat), 4)
        flags.append(Flag.on_unit(ft, r.period_id, r.unit_id, sev, stat, None, text, details))

    # units without any talk in the twelve months up to an analysed period's end; a
    # database without any talk record does not use the talk channel at all (e.g. data
    # from another system), which is a gap of the data, not of every unit: no flags then
    if talks.empty:
        return flags
    has_cadres = set(cad["unit_id"])
    first_start = per["start_date"].min()
    talk_ends = talks.merge(per, on="period_id")[["unit_id", "end_date"]]
    ana = per[per["period_id"].isin(analysed)]
    warned: set[str] = set()
    for p in ana.itertuples(index=False):
        lo = p.end_date - pd.Timedelta(days=365)
        if first_start > lo + pd.Timedelta(days=1):
            continue  # less than a year loaded before this period's end
        active = set(
            talk_ends.loc[
                (talk_ends["end_date"] > lo) & (talk_ends["end_date"] <= p.end_date), "unit_id"
            ]
        )
        for u in units["unit_id"]:
            if u in active or u not in has_cadres:
                continue
            warned.add(u)
            flags.append(
                _no_round(
                    ft,
                    p.period_id,
                    u,
                    "warning",
                    tiers,
                    full_year=True,
                    since=lo.date() + pd.Timedelta(days=1),
                )
            )
    short_db = per["end_date"].max() - first_start < pd.Timedelta(days=364)
    if len(ana) and short_db:
        any_talk = set(talks["unit_id"])
        last = ana.iloc[-1]
        for u in units["unit_id"]:
            if u in any_talk or u in warned or u not in has_cadres:
                continue
            flags.append(
                _no_round(ft, last.period_id, u, "info", tiers, full_year=False, since=None)
            )
    return flags


def _no_round(
    ft: str, period_id: str, unit_id: str, sev: str, tiers: list[str], full_year: bool, since
) -> Flag:
    text = (
        Text("ev.talk.no_round_year", {"since": str(since)})
        if full_year
        else Text("ev.talk.no_round_partial")
    )
    return Flag(
        ft,
        period_id,
        "unit",
        unit_id,
        unit_id,
        None,
        sev,
        1.0,  # the whole round is missing: a shortfall of 100 %
        None,
        text,
        None,
        {
            "no_round": True,
            "full_year_loaded": full_year,
            "window_start": str(since) if since is not None else None,
            "required_tiers": tiers,
        },
    )


# ---- talk_vote_conflict --------------------------------------------------------------------


def trinomial_midp(
    s: np.ndarray, n: np.ndarray, p_up: np.ndarray, p_zero: np.ndarray, p_down: np.ndarray
) -> np.ndarray:
    """Mid-p of ``S = #up − #down ≥ s`` for n trinomial trials (vectorised, exact)."""
    s, n = np.asarray(s), np.asarray(n)
    lp, l0, lm = (np.log(np.clip(x, 1e-300, 1)) for x in (p_up, p_zero, p_down))
    gt, eq = np.zeros(len(s)), np.zeros(len(s))
    n_max = int(n.max()) if len(n) else 0
    for a in range(n_max + 1):
        b = np.arange(n_max + 1 - a)[:, None]  # rows: number of "down" outcomes
        c = n[None, :] - a - b
        ok = c >= 0
        lpmf = (
            gammaln(n + 1)[None, :]
            - gammaln(a + 1)
            - gammaln(b + 1)
            - gammaln(np.maximum(c, 0) + 1)
            + a * lp[None, :]
            + b * lm[None, :]
            + np.maximum(c, 0) * l0[None, :]
        )
        pmf = np.where(ok, np.exp(lpmf), 0.0)
        diff = a - b
        gt += (pmf * (diff > s[None, :])).sum(axis=0)
        eq += (pmf * (diff == s[None, :])).sum(axis=0)
    return np.clip(gt + 0.5 * eq, 0, 1)


@detector(
    "talk_vote_conflict",
    defaults={
        "ballot_z": 0.75,  # |democratic z| a cadre's ballots need to "point one way"
        "min_mentions": 8,  # mentions in the period's talks a cadre needs to be judged
        "z_cap": 2.0,  # ballot z winsorised here for the base rates (no extrapolation)
        "warn_effect": 0.5,  # |expected − observed mean stance| (stance −1 … +1) for a warning
        "crit_effect": 1.0,  # ... for critical
        "warn_p": 0.05,  # BH-adjusted p for a warning (FDR 5 %: talk evidence is sparse)
        "crit_p": 0.001,  # BH-adjusted p for critical
    },
)
def detect_talk_vote_conflict(ctx) -> list[Flag]:
    ft = "talk_vote_conflict"
    m = ctx.mart("talk_mentions")
    m = m[m["subject_type"] == "cadre"].drop(columns="subject_type")
    dem = channels.democratic(ctx)
    dem = dem[dem["subject_type"] == "cadre"][["period_id", "subject_id", "democratic"]].copy()
    if m.empty or dem.empty:
        return []
    g = dem.groupby("period_id")["democratic"]
    dem["z"] = (dem["democratic"] - g.transform("mean")) / g.transform("std")
    dem["pct"] = g.rank(pct=True)
    d = m.merge(dem, on=["period_id", "subject_id"]).dropna(subset=["z"])
    d["n"] = d["pos"] + d["neu"] + d["neg"]
    if len(d) < 20 or d["n"].sum() < 100:
        return []  # too few mentions to learn the base rates
    # base rates: ordered probit of stance (neg 0, neu 1, pos 2) on the ballot z, winsorised
    # (beyond ±z_cap the probit would extrapolate certainties the data cannot support)
    cap = float(setting(ft, "z_cap"))
    zc = d["z"].clip(-cap, cap).to_numpy()
    y = np.repeat([0, 1, 2], len(d))
    x = np.tile(zc, 3)
    wts = np.r_[d["neg"].to_numpy(), d["neu"].to_numpy(), d["pos"].to_numpy()].astype(float)
    keep = wts > 0
    th, b = ordered_probit(y[keep], x[keep], 3, wts[keep])
    probs = ordered_probs(th, b, zc)
    d["p_neg"], d["p_neu"], d["p_pos"] = probs[:, 0], probs[:, 1], probs[:, 2]
    d["expected"] = d["p_pos"] - d["p_neg"]
    d["observed"] = (d["pos"] - d["neg"]) / d["n"]
    d["effect"] = d["expected"] - d["observed"]
    cand = d[
        (d["z"].abs() >= float(setting(ft, "ballot_z")))
        & (d["n"] >= int(setting(ft, "min_mentions")))
    ].copy()
    if cand.empty:
        return []
    up = cand["z"].to_numpy() > 0
    s = np.where(up, cand["neg"] - cand["pos"], cand["pos"] - cand["neg"])
    p_c = np.where(up, cand["p_neg"], cand["p_pos"])  # contrary stance
    p_s = np.where(up, cand["p_pos"], cand["p_neg"])  # supporting stance
    cand["p"] = trinomial_midp(s, cand["n"].to_numpy(), p_c, cand["p_neu"].to_numpy(), p_s)
    cand["p_adj"] = bh(cand["p"].to_numpy())
    warn_e, crit_e = float(setting(ft, "warn_effect")), float(setting(ft, "crit_effect"))
    warn_p, crit_p = float(setting(ft, "warn_p")), float(setting(ft, "crit_p"))
    unit_of = dict(zip(ctx.cadres["cadre_id"], ctx.cadres["unit_id"], strict=False))
    flags = []
    sel = cand[
        (cand["p_adj"] <= max(0.05, warn_p)) & (cand["effect"] * np.sign(cand["z"]) >= warn_e / 2)
    ]
    for r in sel.itertuples(index=False):
        sev = grade(
            r.p_adj, r.effect, warn_effect=warn_e, crit_effect=crit_e, warn_p=warn_p, crit_p=crit_p
        )
        if sev is None:
            continue
        high = r.z > 0
        pct = r.pct * 100
        where = tx.text(
            "ev.where.top" if high else "ev.where.bottom",
            share=tx.pct((100 - pct) / 100 if high else pct / 100, 0),
        )
        text = Text(
            "ev.talk_vote_conflict.high" if high else "ev.talk_vote_conflict.low",
            {
                "where": where,
                "democratic": tx.score(r.democratic),
                "z": tx.signed(r.z, 2),
                "n": tx.count(int(r.n)),
                "neg": tx.count(int(r.neg)),
                "pos": tx.count(int(r.pos)),
                "expected": tx.pct(r.p_neg if high else r.p_pos, 0),
                "p_phrase": tx.p_phrase(r.p_adj),
            },
        )
        flags.append(
            Flag(
                ft,
                r.period_id,
                "cadre",
                r.subject_id,
                unit_of.get(r.subject_id, r.talk_unit),
                None,
                sev,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "democratic": jsonable(r.democratic),
                    "democratic_z": jsonable(r.z),
                    "democratic_percentile": jsonable(r.pct),
                    "mentions": {
                        "positive": int(r.pos),
                        "neutral": int(r.neu),
                        "negative": int(r.neg),
                    },
                    "n_mentions": int(r.n),
                    "n_talks": int(r.n_talks),
                    "expected_shares": {
                        "positive": jsonable(r.p_pos),
                        "neutral": jsonable(r.p_neu),
                        "negative": jsonable(r.p_neg),
                    },
                    "expected_mean_stance": jsonable(r.expected),
                    "observed_mean_stance": jsonable(r.observed),
                    "p_raw": p_detail(r.p),
                    "base_rate_model": {
                        "thresholds": [round(float(t), 4) for t in th],
                        "slope_on_z": round(b, 4),
                        "mentions": int(d["n"].sum()),
                        "cadres": len(d),
                    },
                },
            )
        )
    return flags
