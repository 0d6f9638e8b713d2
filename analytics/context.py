"""The analysis context: one read-only connection, the periods analysed, and the shared
marts every detector and score needs, each computed once (lazily) in DuckDB.

Heavy lifting stays in DuckDB: ballots (≈ 1.5 M rows a city, ≈ 20 M a province) are
aggregated to sheet × subject (≈ 6× fewer rows) or to cell counts before any Python
statistics.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import duckdb
import pandas as pd

PERIODS = "(SELECT unnest($periods::VARCHAR[]))"


class Context:
    def __init__(self, con: duckdb.DuckDBPyConnection, period_ids: list[str] | None = None):
        self.con = con
        known = [
            r[0]
            for r in con.execute(
                "SELECT period_id FROM periods ORDER BY start_date, period_id"
            ).fetchall()
        ]
        if period_ids:
            unknown = [p for p in period_ids if p not in known]
            if unknown:
                from analytics.errors import UsageError

                raise UsageError(
                    f"unknown period {', '.join(unknown)} (the database has: "
                    f"{', '.join(known) or 'no periods'})"
                )
        self.all_period_ids = known
        self.period_ids = list(period_ids or known)
        self._memo: dict[Any, Any] = {}
        self._set_aside: pd.DataFrame | None = None

    def without_sheets(self, sheets: pd.DataFrame, period_ids: list[str] | None = None):
        """A context on the same connection whose ballot marts leave out ``sheets``
        (period_id, ballot_id): what the flag-aware scores are computed from.  It has its
        own memo, so nothing computed from it mixes with this context's results."""
        other = Context(self.con, period_ids or self.period_ids)
        other._set_aside = sheets[["period_id", "ballot_id"]].astype(str).drop_duplicates()
        return other

    def df(self, sql: str, **params: Any) -> pd.DataFrame:
        """Run SQL with named ``$parameters``; ``{periods}`` means the analysed periods."""
        if "{periods}" in sql:
            sql = sql.replace("{periods}", PERIODS)
            params["periods"] = self.period_ids
        return self.con.execute(sql, params).df()

    def release(self, *names: str) -> None:
        """Drop cached marts or memo entries that are no longer needed (memory)."""
        for name in names:
            self.__dict__.pop(name, None)
            self._memo.pop(name, None)
            self._memo.pop(("mart", name), None)

    def memo(self, key: Any, compute):
        """Compute once per context (e.g. one Rasch fit per period)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # ---- reference tables ---------------------------------------------------------------
    @cached_property
    def units(self) -> pd.DataFrame:
        return self.df(
            "SELECT u.*, a.name AS area_name FROM units u "
            "JOIN areas a USING (area_id) ORDER BY unit_id"
        )

    @cached_property
    def cadres(self) -> pd.DataFrame:
        """Every cadre with their unit's type (all tiers)."""
        return self.df(
            "SELECT c.*, u.unit_type FROM cadres c JOIN units u USING (unit_id) ORDER BY cadre_id"
        )

    @cached_property
    def members(self) -> pd.DataFrame:
        """Team members (tier team): the cadres who are evaluated and scored."""
        return self.cadres[self.cadres["tier"] == "team"].reset_index(drop=True)

    @cached_property
    def items(self) -> pd.DataFrame:
        return self.df(
            "SELECT item_id, subject_type, dimension, label_zh, label_en, "
            "scale_min, scale_max FROM items ORDER BY item_id"
        )

    @cached_property
    def periods(self) -> pd.DataFrame:
        return self.df("SELECT * FROM periods ORDER BY start_date, period_id")

    # ---- marts (analytics/sql/marts: one definition per quantity) ----------------------
    def mart(self, name: str) -> pd.DataFrame:
        """A mart of analytics/sql/marts over the analysed periods, computed once."""
        from analytics.sql import SET_ASIDE_TABLE, mart_sql

        def build() -> pd.DataFrame:
            sql = mart_sql(name, self._set_aside is not None)
            params = {"periods": self.period_ids} if "$periods" in sql else {}
            if SET_ASIDE_TABLE not in sql:
                return self.con.execute(sql, params).df()
            self.con.register(SET_ASIDE_TABLE, self._set_aside)
            try:
                return self.con.execute(sql, params).df()
            finally:
                self.con.unregister(SET_ASIDE_TABLE)

        return self.memo(("mart", name), build)

    @property
    def sheet_subject(self) -> pd.DataFrame:
        """One row per sheet × subject (marts/sheet_subject.sql): mean mark, items marked,
        SD, min, max on the items' own scale, and ``pos``, the mean position 0–1."""
        return self.mart("sheet_subject")

    @property
    def sheets(self) -> pd.DataFrame:
        """One row per sheet (marts/sheets.sql): marks, subjects, distinct values, mean."""
        return self.mart("sheets")

    @property
    def cells(self) -> pd.DataFrame:
        """Counts of each mark per (period, unit, rater group, subject, item)."""
        return self.mart("cells")
