"""Flag-aware scores (CONTRACT.md §3): every subject's composite recomputed without the
sheets the product itself flags, so no judgment rests on a manipulated result unseen.

Set aside: the sheets of every flag at warning or above whose type judges sheets
(``SET_ASIDE_TYPES``: straight_lining, misfit_ballot, duplicate_ballots, targeted_rating,
boosted_rating), read from the flag's ``details["ballot_ids"]``.  A duplicate_ballots cluster
keeps one copy (a bloc counts once, as in the group detectors); every other flagged sheet is
left out whole.  Rater-group flags (leniency, halo, …) set nothing aside: the rater model
already adjusts for a group's level, and a whole group is evidence, not a manipulated sheet.

Method: the full score pipeline (channels, the rater model refitted, peer standardisation,
the bootstrap interval) runs again on a context whose ballot marts leave those sheets out
(``Context.without_sheets``), for the periods that have any.  For a subject none of whose
sheets is set aside (``flagged_sheets`` = 0) the plain figures are copied, so the columns are
equal by construction there; elsewhere they are the recomputed ones (peers recomputed too, so
the subject is compared with its peers' scores on the same evidence).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from analytics.context import Context

SET_ASIDE_TYPES = (
    "straight_lining",
    "misfit_ballot",
    "duplicate_ballots",
    "targeted_rating",
    "boosted_rating",
)
SET_ASIDE_SEVERITIES = ("warning", "critical")
COLUMNS = ["composite_excl_flagged", "ci_low_excl_flagged", "ci_high_excl_flagged"]
FLAGGED = "flagged_sheets"
OUTPUT_COLUMNS = [*COLUMNS, FLAGGED]  # scores.csv, after the plain columns
KEY = ["period_id", "subject_type", "subject_id"]


def set_aside_sheets(flags: pd.DataFrame) -> pd.DataFrame:
    """(period_id, ballot_id, flag_type) of every sheet the flag-aware scores leave out."""
    rows: list[tuple[str, str, str]] = []
    if flags is not None and len(flags):
        sel = flags[
            flags["flag_type"].isin(SET_ASIDE_TYPES) & flags["severity"].isin(SET_ASIDE_SEVERITIES)
        ]
        for r in sel.itertuples(index=False):
            d = r.details if isinstance(r.details, dict) else json.loads(r.details or "{}")
            ids = [str(b) for b in d.get("ballot_ids") or []]
            if r.flag_type == "duplicate_ballots":
                ids = sorted(ids)[1:]  # one copy of a bloc stays
            rows += [(str(r.period_id), b, r.flag_type) for b in ids]
    out = pd.DataFrame(rows, columns=["period_id", "ballot_id", "flag_type"])
    return out.drop_duplicates(["period_id", "ballot_id"]).reset_index(drop=True)


def _sheets_per_subject(ctx: Context, aside: pd.DataFrame) -> pd.DataFrame:
    """How many set-aside sheets rated each subject (teams and cadres) in each period."""
    ctx.con.register("_aside_count", aside[["period_id", "ballot_id"]])
    try:
        return ctx.con.execute(
            """SELECT b.period_id, b.subject_type, b.subject_id,
                      count(DISTINCT b.ballot_id) AS flagged_sheets
               FROM ballots b
               JOIN _aside_count x ON x.period_id = b.period_id AND x.ballot_id = b.ballot_id
               GROUP BY ALL"""
        ).df()
    finally:
        ctx.con.unregister("_aside_count")


def add_flag_aware(ctx: Context, scores: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """``scores`` with composite / ci without the flagged sheets and ``flagged_sheets``."""
    from analytics.scores import compute_scores

    out = scores.copy()
    for c, plain in zip(COLUMNS, ("composite", "ci_low", "ci_high"), strict=True):
        out[c] = out[plain].astype(float)
    out[FLAGGED] = 0
    aside = set_aside_sheets(flags)
    if aside.empty or out.empty:
        return out
    counts = _sheets_per_subject(ctx, aside)
    if counts.empty:
        return out
    periods = [p for p in ctx.period_ids if p in set(counts["period_id"])]
    excl = compute_scores(ctx.without_sheets(aside, periods))
    idx = pd.MultiIndex.from_frame(out[KEY].astype(str))
    c_idx = idx.get_indexer(pd.MultiIndex.from_frame(counts[KEY].astype(str)))
    hit = c_idx >= 0
    n = np.zeros(len(out), dtype="int64")
    n[c_idx[hit]] = counts["flagged_sheets"].to_numpy(dtype="int64")[hit]
    out[FLAGGED] = n
    e_idx = pd.MultiIndex.from_frame(excl[KEY].astype(str)).get_indexer(idx)
    affected = n > 0
    for c, plain in zip(COLUMNS, ("composite", "ci_low", "ci_high"), strict=True):
        vals = np.where(e_idx >= 0, excl[plain].to_numpy(dtype=float)[e_idx], np.nan)
        out[c] = np.where(affected, vals, out[plain].to_numpy(dtype=float))
    return out
