"""The privacy seam: the anonymity floor and every rule that follows from it, in one place.

Ratings are anonymous.  A breakdown by rater group resting on few sheets would let a reader
tell what a handful of known people said, so:

* **the floor** k = ``[privacy] min_group_sheets`` (default 5; 1 only for raters who are
  public, e.g. a sports panel): :func:`floor`;
* **primary suppression**: a cell (a rater group's figure) resting on fewer than k sheets is
  blanked and marked ``suppressed``: :func:`suppress`;
* **secondary suppression**: where a pooled figure (an overall mean, "the other groups",
  centred estimates) is shown beside the cells, and the hidden cells together hold fewer
  than k sheets, the smallest visible cells are blanked too, so nothing follows by
  subtraction: :func:`suppress_pooled`;
* **naming a rater group**: a flag or a sentence names the group that cast a sheet only when
  that group cast at least k sheets in the session (:func:`can_name_group`,
  :func:`nameable_groups`); a detector comparing a group with the others needs at least k
  sheets on both sides (:func:`min_sheets`), since it states both figures.

Views, detectors and team health all use these functions; there is no other reading of the
floor and no fallback (a configuration without the key is an error).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import config


def floor() -> int:
    """The anonymity floor k: no breakdown by rater group with fewer sheets."""
    return int(config.get("privacy", "min_group_sheets"))


def can_name_group(n_sheets: int | float | None, k: int | None = None) -> bool:
    """May a group that cast ``n_sheets`` sheets in a session be named?"""
    k = floor() if k is None else k
    return n_sheets is not None and not pd.isna(n_sheets) and int(n_sheets) >= k


def min_sheets(configured: int) -> int:
    """A detector's minimum of sheets for one side of a comparison: its own setting, never
    below the floor (and never below 1)."""
    return max(int(configured), floor(), 1)


def nameable_groups(
    sheets: pd.DataFrame, keys: tuple[str, ...] = ("period_id", "unit_id", "rater_group")
) -> dict:
    """``keys`` tuple → the group's code when it cast at least k sheets there, else None.

    ``sheets`` holds one row per sheet (a flag about one sheet must not say which small
    group it came from)."""
    if sheets.empty:
        return {}
    k = floor()
    n = sheets.groupby(list(keys), observed=True).size()
    return {key: (str(key[-1]) if count >= k else None) for key, count in n.items()}


def suppress(
    df: pd.DataFrame, n_col: str, value_cols: list[str], k: int | None = None
) -> pd.DataFrame:
    """Primary suppression: blank ``value_cols`` where ``n_col`` < k and mark the row
    ``suppressed``."""
    k = floor() if k is None else k
    out = df.copy()
    hidden = out[n_col].fillna(0) < k
    for c in value_cols:
        out[c] = out[c].astype("float64").where(~hidden)
    out["suppressed"] = hidden.to_numpy()
    return out


def suppress_pooled(
    df: pd.DataFrame,
    n_col: str,
    value_cols: list[str],
    k: int | None = None,
    keep: tuple = (),
    last: tuple = (),
    flag_col: str = "secondary",
    group_col: str = "rater_group",
) -> pd.DataFrame:
    """Secondary suppression, for a frame that went through :func:`suppress` and is shown
    beside a pooled figure: when the groups hidden by the floor hold fewer than k sheets
    together, their value would follow by subtraction, so the smallest visible groups are
    blanked too (``flag_col`` True) until the hidden ones reach k.  Groups in ``keep`` are
    neither counted nor blanked (their own value is stated anyway); groups in ``last`` are
    blanked last."""
    k = floor() if k is None else k
    out = df.copy()
    out[flag_col] = False
    counted = ~out[group_col].isin(keep)
    hidden = int(out.loc[out["suppressed"] & counted, n_col].sum())
    if 0 < hidden < k:
        visible = out[~out["suppressed"] & counted]
        order = (
            visible.assign(_last=visible[group_col].isin(last))
            .sort_values(["_last", n_col], kind="stable")
            .index
        )
        for i in order:
            out.loc[i, value_cols] = np.nan
            out.loc[i, ["suppressed", flag_col]] = True
            hidden += int(out.at[i, n_col])
            if hidden >= k:
                break
    return out
