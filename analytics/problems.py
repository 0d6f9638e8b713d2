"""The import's problem report: one :class:`Problem` per violation, :class:`Problems`
grouped by rule (the first N of each kept, all counted), the :class:`Rejection` that
carries them and :func:`format_report`, the plain-text report.  Raised while a bundle is
read (:mod:`analytics.bundle`) and while it is validated (:mod:`analytics.validate`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.errors import YanpanError


class Rejection(YanpanError):
    """The bundle cannot be loaded; ``problems`` say where and why."""

    exit_code = 2

    def __init__(
        self,
        problems: list[Problem],
        warnings: list[str] | None = None,
        totals: dict[tuple[str, str], int] | None = None,
    ):
        self.problems = problems
        self.warnings = warnings or []
        self.totals = totals
        super().__init__(format_report(problems, totals))


@dataclass(frozen=True)
class Problem:
    """One violation: where it is (table, file, row, column), what was there, and why."""

    rule: str
    table: str
    file: str
    row: int | None
    column: str
    value: str | None
    reason: str


@dataclass
class Problems:
    """Problems grouped by rule, keeping the first N of each and the total count."""

    per_rule: int = 20
    shown: dict[tuple[str, str], list[Problem]] = field(default_factory=dict)
    totals: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, p: Problem, total: int = 1) -> None:
        key = (p.table, p.rule)
        self.shown.setdefault(key, [])
        if len(self.shown[key]) < self.per_rule:
            self.shown[key].append(p)
        self.totals[key] = self.totals.get(key, 0) + total

    def add_group(self, shown: list[Problem], total: int) -> None:
        for p in shown[: self.per_rule]:
            self.add(p, total=0)
        if shown:
            key = (shown[0].table, shown[0].rule)
            self.totals[key] = self.totals.get(key, 0) + total

    def __bool__(self) -> bool:
        return bool(self.shown)

    def flat(self) -> list[Problem]:
        return [p for group in self.shown.values() for p in group]


def format_report(problems: list[Problem], totals: dict | None = None) -> str:
    """The rejection report: grouped by rule, each row naming file, row, column, value."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.table, p.rule), []).append(p)
    totals = totals or {k: len(v) for k, v in groups.items()}
    n = sum(totals.values())
    lines = [
        f"Import rejected: {n} problem{'s' if n != 1 else ''} under {len(groups)} "
        f"rule{'s' if len(groups) != 1 else ''}; nothing was loaded and the database is "
        "unchanged."
    ]
    for (table, rule), group in groups.items():
        total = totals.get((table, rule), len(group))
        lines.append(f"[{table}] {rule}: {total} row{'s' if total != 1 else ''}")
        for p in group:
            where = p.file + (f" row {p.row}" if p.row is not None else "")
            value = "(empty)" if p.value is None else repr(p.value)
            lines.append(f"  {where}, column {p.column}, value {value}: {p.reason}")
        if total > len(group):
            lines.append(f"  … and {total - len(group)} more")
    return "\n".join(lines)
