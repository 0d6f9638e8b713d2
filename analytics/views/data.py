"""The Data page's two actions, without Streamlit: import an uploaded bundle, and build the
export bundle as one zip file.

``import_upload(data, file_name, db)`` saves the bytes under their own (sanitised) name in a
temporary folder and runs the importer (:func:`analytics.ingest.import_bundle`: stage,
validate, upsert into a new snapshot, all or nothing).  Whatever happens it returns an
:class:`UploadOutcome` instead of raising for a user's mistake: a loaded bundle (rows per
table, the new snapshot), a rejected one (the validation report as rows, per-rule totals and
the report text; the database is unchanged), or a file the importer cannot take (wrong type,
the database locked by another import: a one-line message).

The report is shown in the session's language: :func:`report_rows` and :func:`report_rules`
render table names, rules and reasons (structured :class:`analytics.reasons.Reason` codes)
in Chinese or English, and :func:`warning_texts` the warnings; the report's text and the
``reason`` column of the downloaded rows stay English, as the CLI prints them (CONTRACT.md),
and the download adds the Chinese reason as one more column, ``reason_zh``.

``export_zip(db)`` writes the export bundle (:func:`analytics.export.export_bundle`, one CSV
per table, re-importable) to a temporary folder and returns it zipped in memory.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics import csvsafe, i18n, reasons
from analytics.errors import YanpanError
from analytics.export import export_bundle
from analytics.ingest import import_bundle
from analytics.problems import Rejection
from analytics.reasons import Reason

ACCEPTED = (".xlsx", ".zip", ".csv")
PROBLEM_COLUMNS = ["table", "rule", "file", "row", "column", "value", "reason"]
# the rules of the importer's report (analytics.bundle, analytics.validate), translated on
# the page (``data.rule.<name>``); a rule not listed here is shown by its English name
RULES = (
    "bundle not found",
    "not a bundle",
    "unreadable file",
    "no table in bundle",
    "mixed bundle",
    "duplicate table",
    "missing header",
    "duplicate column",
    "missing required column",
    "wrong number of fields",
    "malformed CSV",
    "missing required value",
    "not a whole number",
    "not a number",
    "not an ISO date",
    "not an ISO timestamp",
    "value not allowed",
    "value out of range",
    "duplicate key",
    "unknown reference",
    "unknown subject",
    "unknown interviewee",
    "subject type differs from the item's",
    "portfolio cadre not of this unit",
    "score above max_score",
    "score outside the item's scale",
    "empty scale",
    "end before start",
    "a ballot's rows disagree",
    "a ballot's rows disagree with the database",
)


@dataclass
class UploadOutcome:
    """What became of an uploaded bundle.

    ``status``: ``loaded`` (``counts``, ``snapshot``, ``seconds``), ``rejected``
    (``problems``: the reported rows, ``rules``: table, rule, problems in total and rows
    listed; ``report``: the text the CLI prints) or ``error`` (``error``: ``type`` for a
    file that is no bundle type, ``database`` for a database problem; ``message``)."""

    status: str
    file_name: str
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    snapshot: str = ""
    seconds: float = 0.0
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    rules: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["table", "rule", "total", "listed"])
    )
    report: str = ""
    reasons: list[Reason] = field(default_factory=list)  # the rows' reasons, structured
    error: str = ""
    message: str = ""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def n_problems(self) -> int:
        return int(self.rules["total"].sum()) if len(self.rules) else 0


def safe_name(file_name: str) -> str:
    """The file's own name without any folder part or characters a file system refuses."""
    name = re.split(r"[\\/]", file_name or "")[-1].strip()
    name = re.sub(r"[\x00-\x1f:*?\"<>|]", "_", name)
    return name if name.strip(". ") else "upload"


def import_upload(
    data: bytes,
    file_name: str,
    db: Path | str,
    progress: Callable[[float, str], None] | None = None,
) -> UploadOutcome:
    """Validate and load an uploaded bundle (.xlsx, .zip or one <table>.csv) into ``db``.

    ``progress(fraction, step)`` is called with the importer's steps (reading, validating,
    loading, done).  Never raises for a bad bundle or a busy database."""
    name = safe_name(file_name)
    if Path(name).suffix.lower() not in ACCEPTED:
        return UploadOutcome(
            "error", name, error="type", message=f"{name}: not a bundle file (.xlsx, .zip or .csv)"
        )
    with tempfile.TemporaryDirectory(prefix="yanpan-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            result = import_bundle(path, db, progress=progress)
        except Rejection as r:
            return _rejected(name, r)
        except YanpanError as e:
            return UploadOutcome("error", name, error="database", message=str(e))
        except (duckdb.Error, OSError) as e:  # e.g. the disk is full
            return UploadOutcome(
                "error", name, error="database", message=f"{type(e).__name__}: {e}"
            )
    return UploadOutcome(
        "loaded",
        name,
        counts=dict(result.counts),
        warnings=list(result.warnings),
        snapshot=result.snapshot,
        seconds=sum(result.seconds.values()),
    )


def _rejected(name: str, r: Rejection) -> UploadOutcome:
    problems = pd.DataFrame(
        [{c: getattr(p, c) for c in PROBLEM_COLUMNS} for p in r.problems], columns=PROBLEM_COLUMNS
    )
    problems["row"] = problems["row"].astype("Int64")
    listed = problems.groupby(["table", "rule"], sort=False).size()
    totals = r.totals or listed.to_dict()
    rules = pd.DataFrame(
        [
            {"table": t, "rule": rule, "total": int(n), "listed": int(listed.get((t, rule), 0))}
            for (t, rule), n in totals.items()
        ],
        columns=["table", "rule", "total", "listed"],
    )
    return UploadOutcome(
        "rejected",
        name,
        warnings=list(r.warnings),
        problems=problems,
        rules=rules,
        report=str(r),
        reasons=[reasons.structure(p.rule, p.reason) for p in r.problems],
    )


def coverage_table(cov: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Channel coverage (:func:`analytics.status.channel_coverage`) as channel × period
    cells "covered/all", channels in words, periods labelled for ``lang``."""
    from analytics import status, views

    cov = cov.assign(
        channel=[i18n.t(f"channel.{c}", lang) for c in cov["channel"]],
        cell=[f"{u}/{n}" for u, n in zip(cov["units_covered"], cov["units_total"], strict=True)],
        label=[
            views.period_label(p, lb, lang)
            for p, lb in zip(cov["period_id"], cov["label"], strict=True)
        ],
    )
    wide = cov.pivot(index="channel", columns="label", values="cell").reindex(
        index=[i18n.t(f"channel.{c}", lang) for c in status.CHANNELS],
        columns=list(dict.fromkeys(cov["label"])),
    )
    wide.index.name = i18n.t("col.channel", lang)
    return wide


def gap_rows(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Units lacking channels (:func:`analytics.status.missing_channels`) for display:
    unit_id, unit_name, area_name (in ``lang``), missing (the channels in words)."""
    return gaps.assign(
        area_name=[i18n.code("area", a, lang) for a in gaps["area_name"]],
        missing=[", ".join(i18n.t(f"channel.{c}", lang) for c in m) for m in gaps["missing"]],
    )[["unit_id", "unit_name", "area_name", "missing"]]


def rule_text(rule: str, lang: str) -> str:
    """A rule of the report in words (its English name for a rule not listed in RULES)."""
    return i18n.t(f"data.rule.{rule}", lang) if rule in RULES else rule


def report_rules(outcome: UploadOutcome, lang: str) -> pd.DataFrame:
    """The per-rule totals with table names and rules in ``lang``."""
    return outcome.rules.assign(
        table=[i18n.code("table", t, lang) for t in outcome.rules["table"]],
        rule=[rule_text(r, lang) for r in outcome.rules["rule"]],
    )


def report_rows(outcome: UploadOutcome, lang: str) -> pd.DataFrame:
    """The reported rows (same columns) with table, rule and reason in ``lang`` and an
    empty value as the dash."""
    p = outcome.problems
    return p.assign(
        table=[i18n.code("table", t, lang) for t in p["table"]],
        rule=[rule_text(r, lang) for r in p["rule"]],
        value=[i18n.code("text", v, lang) for v in p["value"]],
        reason=[r.render(lang) for r in outcome.reasons],
    )


def warning_texts(outcome: UploadOutcome, lang: str) -> list[str]:
    """The import's warnings (files, sheets or columns ignored) in ``lang``."""
    return [reasons.warning(w).render(lang) for w in outcome.warnings]


def problems_csv(outcome: UploadOutcome) -> bytes:
    """The report's rows as CSV (UTF-8 with BOM, so that Excel opens the Chinese text): the
    columns of PROBLEM_COLUMNS (reasons in English, as the CLI prints them) and
    ``reason_zh``, the same reasons in Chinese."""
    rows = outcome.problems.assign(reason_zh=[r.render("zh") for r in outcome.reasons])
    return csvsafe.frame(rows).to_csv(index=False).encode("utf-8-sig")


def export_name(snapshot: str) -> str:
    """The export file's name, e.g. ``yanpan-export-000003-1a2b3c4d.zip``."""
    return f"yanpan-export-{Path(snapshot).stem}.zip"


def export_zip(db: Path | str) -> bytes:
    """The database's export bundle (one CSV per table) as a zip file in memory; the same
    content gives the same bytes (entries carry a fixed date)."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="yanpan-export-") as tmp:
        out = Path(tmp) / "bundle"
        export_bundle(db, out)
        with zipfile.ZipFile(buf, "w") as zf:
            for f in sorted(out.glob("*.csv")):
                info = zipfile.ZipInfo(f.name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with f.open("rb") as src, zf.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    return buf.getvalue()
