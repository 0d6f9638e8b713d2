"""Rater-group detectors: rater_leniency, rater_severity, halo, central_tendency, favoritism,
targeted_rating.

A rater group (测评主体类别) in a unit and period — e.g. the 40 staff sheets of one session —
is compared with **the other groups of the same session on the same subjects**, and that
difference is then judged against **the group type's usual behaviour across the city**:
staff usually rate their own leaders more generously than service recipients do, and that is
not an anomaly.  The usual value μ and the natural unit-to-unit spread τ² of every statistic
are estimated per group type with a random-effects model (DerSimonian & Laird 1986): for
session-groups i with estimate y_i and within-session variance v_i,
τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)) with w = 1/v, and μ = Σ y_i/(v_i + τ²) /
Σ 1/(v_i + τ²); session-groups with |z| > ``trim_z`` are left out of that fit (never out of
the test) and it is repeated, so a few anomalies do not inflate the spread they are judged
against.  Test: z = (y − μ) / √(v + τ²), one-sided in the flag's direction, normal p-value;
Benjamini–Hochberg over the candidates of the flag type; severity from ``grade`` on the
adjusted p and the effect y − μ (the flag's ``statistic``).  Group types seen in fewer than
3 sessions get μ = 0 and the median τ² of the others.  All periods analysed are pooled for μ
and τ².  Within-session variances come from the spread between the group's sheets (the sheet
is the independent unit), moderated towards the group type's median
((n−1)s² + 4 s0²)/(n − 1 + 4) (Smyth 2004) so that a group of two sheets that happen to
agree does not look infinitely precise.

Data: the shared sheet × subject blocks of :mod:`analytics.flags.ballots` (every mark,
relative to the scale minimum).  Left out of every group statistic: sheets flagged as
misfit_ballot at warning level (they contradict their session) and all but one copy of a
duplicate_ballots cluster at warning level or above (a bloc counts once); constant sheets are
also left out of halo and central_tendency (they are straight_lining's), and the blocks of a
targeted_rating cluster out of the references.  Candidates are session-groups with at least
``min_sheets`` sheets — never fewer than the anonymity floor ``[privacy] min_group_sheets``:
smaller groups are neither flagged nor described — and with at least ``min_other_sheets``
sheets of other groups to compare with.  A subject that a group does not rate (a team member
never rates themselves) simply has no block; every mean runs over the blocks that exist.

Latent scale (rater_leniency, rater_severity, central_tendency)
    Marks crowd the ceiling, so a difference of 0.2 marks means much more in a unit where
    everybody gives 好 than in one whose marks have room.  These detectors therefore work on
    a cumulative-probit rating-scale model: P(mark ≤ k) = Φ(τ_k − μ), with thresholds τ
    shared by the whole city (fitted by alternating moment equations) and a location μ per
    session × subject.  The unit of the latent scale is the spread of marks within a
    session-subject cell, the same everywhere.  A group's *shift* δ is the location change
    that makes its expected marks on its subjects equal its observed marks, against the other
    groups' location on each subject (moment equation, Newton).  Its variance is the
    sheet-clustered sandwich (pseudo-value per sheet = its residual score / information).

rater_leniency / rater_severity (candidates: session-group)
    y = δ (latent SD units); statistic = δ − μ_g, the departure from the group type's usual
    shift.  The other groups are the reference, so when one large group deviates (say 70
    severe staff sheets), every small group would look lenient against it: the detector
    therefore works greedily — in each round the most significant deviant group of each
    session leaves the reference of the others, and everything is re-judged, until nothing
    changes (details: ``reference_excludes``).  With only two groups, the stronger evidence
    wins and the other has no reference left.  A subject singled out by a favoritism flag is
    left out so that one subject does not make a group "lenient".  A group also flagged for
    central_tendency is not called severe as well (its low level is the crowding itself):
    that severity flag is kept as info.
central_tendency (candidates: session-group)
    The other groups' location on each subject is shifted by the group's own δ (so a merely
    severe or lenient group is matched), and the share of the group's marks at either end of
    the scale is compared with the share the model implies there.  y = observed − expected
    share (negative = crowding the middle); variance from the sheets' own shortfalls;
    one-sided (lower).
favoritism (candidates: subject × group × period)
    In marks: each block's departure from the other groups' mean on the same subject (the
    groups' usual city-wide offsets β removed; β from an additive two-way fit of block means
    on session × subject and group type), minus the same sheet's mean departure on its other
    subjects.  y = the group's mean of that interaction, so neither the group's general
    leniency nor what the other groups give the subject can produce it.  Variance from the
    sheets plus the other groups' spread on the subject; one-sided (higher).  A group that is
    itself flagged as lenient, severe, central or halo rates every subject differently, and on
    a ceiling-bound scale that shows unevenly across subjects: its favoritism flags are kept
    as info with that note.
halo (candidates: session-group)
    Among a sheet's *informative* blocks (≥ 2 items, not all at the scale top — an all-好
    block is as consistent with true excellence as with halo), the share that give one and
    the same mark to every item, minus the share expected at the same totals: given a block's
    total T over n items, the chance that all n marks are equal is f(T/n)ⁿ / [zᵀ](Σ_k f_k zᵏ)ⁿ
    when the items are independent draws from the session's distribution f for that subject
    tilted to the rater's level (the tilt cancels given T) — so a group that merely rates at a
    different level is matched.  y = the group's mean excess − the other groups' mean excess
    in the session; variance from both sides' sheets; one-sided (higher).
targeted_rating (candidates: subject × period)
    Blocks where a non-constant sheet gives one subject the scale minimum on every item.
    Null: a sheet's mean mark on the subject, corrected for its own leniency on its other
    subjects, is normal around the session's median for that subject with the session's
    robust spread (1.4826·MAD, shrunk towards the city's with weight 10 sheets) — robust to the
    cluster itself.  The chance that sheet s falls to the minimum is
    p_s = Φ((½/n − L_s − ν)/σ) (continuity-corrected), and the count of minimum blocks is
    Poisson-binomial ≈ Poisson(Σ p_s): P(count ≥ k).  A subject whom everybody rates poorly
    has a low ν and a wide σ, so its all-minimum blocks are expected; one whom the rest of the
    session rates well is not.  A sheet whose every rating below the top is a one-mark block
    (a halo sheet) is not counted: it singles nobody out.  At least ``min_cluster`` such
    sheets; BH over every rated subject × session.  statistic (signed) = the cluster's
    mark − the other sheets' mean on the subject; rater_group set when the cluster's sheets
    all come from one group.

References: Thorndike 1920 (halo); Saal, Downey & Lahey 1980 and Myford & Wolfe 2003/2004
(rater effects: leniency/severity, central tendency, halo); DerSimonian & Laird 1986; Smyth
2004 (moderated variances); Andrich 1978 (rating-scale model).
"""

from __future__ import annotations

import math

import pandas as pd

from analytics import texts as tx
from analytics.flags import Flag, detector
from analytics.flags.ballot_model import (
    BallotData,
    ballot_data,
    visible_groups,
)
from analytics.flags.group_analysis import group_results
from analytics.flags.group_stats import (
    COMMON,
)
from analytics.texts import Text


# ---- detectors ---------------------------------------------------------------------------------
def _defaults(**extra):
    return {**COMMON, **extra}


LEN_DEFAULTS = _defaults(
    warn_shift=0.5,  # departure from the group type's usual latent offset (cell SDs), warning
    crit_shift=1.0,  # … for a critical flag
)
CEN_DEFAULTS = _defaults(
    warn_share=0.15,  # shortfall of marks at the scale ends (share of marks) for a warning
    crit_share=0.3,  # … for a critical flag
)
HALO_DEFAULTS = _defaults(
    warn_share=0.3,  # excess share of one-mark-for-every-item blocks for a warning
    crit_share=0.5,  # … for a critical flag
)
FAV_DEFAULTS = _defaults(
    warn_marks=0.4,  # extra marks for one subject beyond the group's departure on its
    #                    other subjects (both against the other groups), for a warning
    crit_marks=0.8,  # … for a critical flag
)
TGT_DEFAULTS = {
    "min_cluster": 3,  # sheets giving the subject the minimum everywhere needed to test
    "warn_p": 0.05,  # BH-adjusted p for a warning (a 5% false-discovery rate)
    "crit_p": 0.001,  # … for a critical flag
    "warn_marks": 1.0,  # gap between the cluster's mark and the others' mean for a warning
    "crit_marks": 2.0,  # … for a critical flag
}


def _what(subject_type: str, subject_id: str) -> dict:
    """The rated subject in a sentence: the team, or the cadre by name."""
    if subject_type == "team":
        return tx.text("ev.what.team")
    return tx.text("ev.what.cadre", cadre=tx.cadre(subject_id))


def _subject(d: BallotData, j: int) -> tuple[str, str]:
    r = d.subjects.iloc[int(j)]
    return str(r["subject_type"]), str(r["subject_id"])


def _pfmt(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _alarms(df: pd.DataFrame) -> pd.DataFrame:
    if df is None or df.empty or "severity" not in df:
        return pd.DataFrame()
    return df[df["severity"].notna()]


def _session_group_flag(
    flag_type: str, b: pd.Series, r, key: str, values: dict, details: dict
) -> Flag:
    """The flag of one rater group's sheets in one session: ``b`` is the session-group's row
    of the base, ``r`` its test (severity, effect, adjusted p).  The evidence ``key`` names
    the group, its sheets and the adjusted p besides ``values``; the details start with the
    group's sheets."""
    g = b["rater_group"]
    who = {"group": tx.group(g), "group2": tx.group(g), "n": tx.count(int(b["n"]))}
    text = Text(key, {**who, **values, "p": tx.p(r.p_adj), "p_rel": tx.p_rel(r.p_adj)})
    return Flag(
        flag_type,
        b["period_id"],
        "rater_group",
        g,
        b["unit_id"],
        g,
        r.severity,
        round(float(r.effect), 4),
        float(r.p_adj),
        text,
        None,
        {"n_sheets": int(b["n"]), **details},
    )


@detector("rater_leniency", defaults=LEN_DEFAULTS)
def detect_leniency(ctx) -> list[Flag]:
    return _shift_flags(ctx, "rater_leniency")


@detector("rater_severity", defaults=LEN_DEFAULTS)
def detect_severity(ctx) -> list[Flag]:
    return _shift_flags(ctx, "rater_severity")


def _shift_flags(ctx, flag_type: str) -> list[Flag]:
    res = group_results(ctx)
    df = _alarms(res.frames[flag_type])
    out = []
    up = flag_type == "rater_leniency"
    for r in df.itertuples(index=False):
        b = res.base.loc[r.sg]
        sd = math.sqrt(r.tau2)
        central = bool(getattr(r, "central", False))
        excl = list(r.reference_excludes)
        values = {
            "mean": tx.num(r.group_mean, 2),
            "ref": tx.num(r.ref_mean, 2),
            "excluded": tx.text(
                "ev.rater_shift.excluded", groups=tx.items([tx.group(x) for x in excl])
            )
            if excl
            else "",
            "y": tx.signed(r.y, 2),
            "mu": tx.signed(r.mu, 2),
            "sd": tx.num(sd, 2),
            "effect": tx.num(abs(r.effect), 2),
            "direction": tx.text("ev.dir.above" if up else "ev.dir.below"),
            "note": tx.text("ev.rater_shift.central_note") if central and not up else "",
        }
        details = {
            "n_reference_sheets": int(r.n_ref),
            "group_mean_mark": _pfmt(r.group_mean),
            "others_mean_mark": _pfmt(r.ref_mean),
            "latent_shift": _pfmt(r.y),
            "usual_shift": _pfmt(r.mu),
            "between_unit_sd": _pfmt(sd),
            "within_se": _pfmt(math.sqrt(r.v)),
            "z": _pfmt(r.z),
            "p_raw": _pfmt(r.p),
            "reference_excludes": excl,
            "central_tendency_also": central,
            "null_model": "cumulative probit with city-wide thresholds; group shift vs the "
            "other groups on the same subjects (sheet-clustered variance); "
            "DerSimonian-Laird random effects per group type",
        }
        out.append(_session_group_flag(flag_type, b, r, "ev.rater_shift", values, details))
    return out


@detector("central_tendency", defaults=CEN_DEFAULTS)
def detect_central(ctx) -> list[Flag]:
    res = group_results(ctx)
    out = []
    for r in _alarms(res.frames["central_tendency"]).itertuples(index=False):
        b = res.base.loc[r.sg]
        obs, exp_, oth = r.obs / r.marks, r.exp / r.marks, r.others / r.marks
        values = {
            "obs": tx.pct(obs, 0),
            "expected": tx.pct(exp_, 0),
            "others": tx.pct(oth, 0),
            "shortfall": tx.pp(r.effect, 0, signed=False),
        }
        details = {
            "marks": int(r.marks),
            "extreme_share": _pfmt(obs),
            "expected_share_at_own_level": _pfmt(exp_),
            "other_groups_share": _pfmt(oth),
            "usual_excess": _pfmt(r.mu),
            "between_unit_sd": _pfmt(math.sqrt(r.tau2)),
            "latent_shift": _pfmt(r.shift),
            "z": _pfmt(r.z),
            "p_raw": _pfmt(r.p),
            "null_model": "other groups' mark distribution tilted to the group's mean "
            "level; DerSimonian-Laird baseline per group type",
        }
        ft = "central_tendency"
        out.append(_session_group_flag(ft, b, r, "ev.central_tendency", values, details))
    return out


@detector("halo", defaults=HALO_DEFAULTS)
def detect_halo(ctx) -> list[Flag]:
    res = group_results(ctx)
    out = []
    for r in _alarms(res.frames["halo"]).itertuples(index=False):
        b = res.base.loc[r.sg]
        share = r.flat / r.blocks if r.blocks else float("nan")
        exp_ = r.expf / r.blocks if r.blocks else float("nan")
        oth = r.flat_oth / r.blocks_oth if r.blocks_oth else float("nan")
        values = {
            "share": tx.pct(share, 0),
            "expected": tx.pct(exp_, 0),
            "others": tx.pct(oth, 0),
            "excess": tx.pp(r.y, 0),
            "beyond": tx.pp(r.effect, 0),
        }
        details = {
            "flat_share": _pfmt(share),
            "expected_flat_share": _pfmt(exp_),
            "other_groups_flat_share": _pfmt(oth),
            "informative_ratings": int(r.blocks),
            "flat_ratings": int(r.flat),
            "excess_vs_other_groups": _pfmt(r.y),
            "usual_excess": _pfmt(r.mu),
            "between_unit_sd": _pfmt(math.sqrt(r.tau2)),
            "z": _pfmt(r.z),
            "p_raw": _pfmt(r.p),
            "null_model": "chance of a one-mark rating given its total (items independent "
            "given the rater's level), excess vs the other groups of the "
            "session; DerSimonian-Laird baseline per group type",
        }
        out.append(_session_group_flag("halo", b, r, "ev.halo", values, details))
    return out


@detector("favoritism", defaults=FAV_DEFAULTS)
def detect_favoritism(ctx) -> list[Flag]:
    res = group_results(ctx)
    d = ballot_data(ctx)
    out = []
    for r in _alarms(res.frames["favoritism"]).itertuples(index=False):
        b = res.base.loc[r.sg]
        g = b["rater_group"]
        stype, sid = _subject(d, r.subj)
        text = Text(
            "ev.favoritism",
            {
                "group": tx.group(g),
                "group2": tx.group(g),
                "n": tx.count(int(r.k)),
                "what": _what(stype, sid),
                "mean": tx.num(r.mean, 2),
                "ref": tx.num(r.ref, 2),
                "dev": tx.signed(r.dev_subject, 2),
                "other": tx.signed(r.other, 2),
                "y": tx.signed(r.y, 2),
                "effect": tx.signed(r.effect, 2),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
                "note": tx.text("ev.favoritism.group_wide", group=tx.group(g))
                if getattr(r, "group_wide", False)
                else "",
            },
        )
        out.append(
            Flag(
                "favoritism",
                b["period_id"],
                stype,
                sid,
                b["unit_id"],
                g,
                r.severity,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "n_sheets": int(r.k),
                    "n_other_sheets": int(r.n_oth_j),
                    "group_mean_on_subject": _pfmt(r.mean),
                    "other_groups_mean_on_subject": _pfmt(r.ref),
                    "departure_on_subject": _pfmt(r.dev_subject),
                    "departure_elsewhere": _pfmt(r.other),
                    "favour": _pfmt(r.y),
                    "usual": _pfmt(r.mu),
                    "between_unit_sd": _pfmt(math.sqrt(r.tau2)),
                    "z": _pfmt(r.z),
                    "p_raw": _pfmt(r.p),
                    "group_wide_effect": bool(getattr(r, "group_wide", False)),
                    "null_model": "group x subject interaction vs the other groups (usual group "
                    "offsets removed), the group's departure on its other subjects "
                    "removed; DerSimonian-Laird baseline per group type",
                },
            )
        )
    return out


@detector("targeted_rating", defaults=TGT_DEFAULTS)
def detect_targeted(ctx) -> list[Flag]:
    res = group_results(ctx)
    d = ballot_data(ctx)
    df = res.frames["targeted_rating"]
    out = []
    if df is None or df.empty:
        return out
    shown = visible_groups(d.sheets)
    for r in df.itertuples(index=False):
        stype, sid = _subject(d, r.subj)
        sess = d.sessions.loc[r.sess]
        rows = d.sheets.loc[r.sheets]
        grp = rows["rater_group"].astype(str)
        counts = grp.value_counts().to_dict()
        # groups below the anonymity floor in this session are not named
        named = {
            g: n for g, n in counts.items() if shown.get((sess["period_id"], sess["unit_id"], g))
        }
        small = int(sum(counts.values()) - sum(named.values()))
        rg = next(iter(named)) if len(counts) == 1 and named else None
        parts = [
            tx.text("ev.targeted_rating.part", group=tx.group(g), n=tx.count(n))
            for g, n in named.items()
        ]
        if small:
            parts.append(tx.text("ev.targeted_rating.part_small", n=tx.count(small)))
        who = (
            tx.text("ev.targeted_rating.who_one", k=tx.count(r.k), group=tx.group(rg))
            if rg
            else tx.text("ev.targeted_rating.who_many", k=tx.count(r.k), parts=tx.items(parts))
        )
        text = Text(
            "ev.targeted_rating",
            {
                "who": who,
                "what": _what(stype, sid),
                "min_mark": r.min_mark,
                "n_others": tx.count(r.n_rated - r.k),
                "other_mean": tx.num(r.other_mean, 2),
                "elsewhere": tx.text(
                    "ev.targeted_rating.elsewhere", mean=tx.num(r.cluster_elsewhere, 2)
                )
                if math.isfinite(r.cluster_elsewhere)
                else "",
                "expected": tx.small(r.expected),
                "p": tx.p(r.p_adj),
                "p_rel": tx.p_rel(r.p_adj),
            },
        )
        out.append(
            Flag(
                "targeted_rating",
                sess["period_id"],
                stype,
                sid,
                sess["unit_id"],
                rg,
                r.severity,
                round(float(r.effect), 4),
                float(r.p_adj),
                text,
                None,
                {
                    "ballot_ids": rows["ballot_id"].tolist(),
                    "n_sheets": int(r.k),
                    "rater_groups": {
                        **{str(k): int(v) for k, v in named.items()},
                        **({"small_groups": small} if small else {}),
                    },
                    "sheets_rating_subject": int(r.n_rated),
                    "minimum_mark": int(r.min_mark),
                    "others_mean_on_subject": _pfmt(r.other_mean),
                    "cluster_mean_elsewhere": _pfmt(r.cluster_elsewhere),
                    "expected_by_chance": _pfmt(r.expected),
                    "p_raw": _pfmt(r.p),
                    "typical_adjusted_mean": _pfmt(r.typical),
                    "spread": _pfmt(r.spread),
                    "null_model": "sheet's mean on the subject, corrected for its leniency on "
                    "other "
                    "subjects, normal around the session's median (robust spread); "
                    "Poisson count of minimum blocks",
                },
            )
        )
    return out
