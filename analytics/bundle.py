"""Reading an import bundle into DuckDB staging tables.

A bundle is a folder of ``<table>.csv`` files, a ``.zip`` of such files (or of one workbook),
or one ``.xlsx`` workbook whose sheet names are table names (CONTRACT.md §1).  Every source
is staged as text (``VARCHAR``) so that validation sees exactly what the user wrote: IDs keep
their leading zeros and a bad value is reported as written.

Encodings: UTF-8 with or without BOM, and GB18030 (a superset of GBK, what Excel on Chinese
Windows writes) are told apart by a strict UTF-8 decode of the whole file; GB18030 files are
transcoded to a temporary UTF-8 copy because DuckDB's own readers only read UTF-8 here (its
``encodings`` extension would need a download).

Row numbers follow the contract: the line on which the record starts, the header being line 1
(in a workbook, the sheet's row).  They are computed only when a problem must be reported.
A problem stops the import with a :class:`analytics.problems.Rejection`.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pandas as pd

from analytics import csvsafe
from analytics.problems import Problem, Rejection
from analytics.schema import TABLES


# ---------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------
@dataclass
class Source:
    """One table's data in the bundle, staged as ``stage.<table>`` with VARCHAR columns.

    ``columns`` are the contract columns present in the file; ``rowid`` of the staging
    table is the record's ordinal; :meth:`lines` maps ordinals to the file's row numbers.
    """

    table: str
    file: str
    columns: list[str]
    n_rows: int = 0
    _line_map: list[int] | None = None
    _csv_path: Path | None = None
    _encoding: str = "utf-8"

    def lines(self, ordinals: list[int]) -> list[int]:
        if self._line_map is None and self._csv_path is not None:
            self._line_map = _csv_record_lines(self._csv_path, self._encoding)
        if self._line_map is None:
            return [o + 2 for o in ordinals]
        return [self._line_map[o] if 0 <= o < len(self._line_map) else o + 2 for o in ordinals]


@dataclass
class Staged:
    sources: dict[str, Source] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


_SNIFF = 1 << 16


def _unreadable(table: str, file: str, reason: str, value: str | None = None) -> Rejection:
    """The rejection of a file (or bundle) that cannot be read as a whole: no row, no column."""
    return Rejection([Problem("unreadable file", table, file, None, "-", value, reason)])


def detect_encoding(path: Path, label: str) -> str:
    """'utf-8', 'utf-8-sig' or 'gb18030'; a Rejection for empty, binary or other text."""
    size = path.stat().st_size
    if size == 0:
        raise _unreadable(
            _table_of(label), label, "the file is empty (it needs at least a header row)"
        )
    with path.open("rb") as fh:
        head = fh.read(_SNIFF)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _unreadable(
            _table_of(label), label, "the file is UTF-16 text; save it as CSV UTF-8 or GBK"
        )
    if b"\x00" in head:
        raise _unreadable(_table_of(label), label, "the file is binary, not CSV text")
    for enc in ("utf-8", "gb18030"):
        dec = codecs.getincrementaldecoder(enc)(errors="strict")
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 22):
                    dec.decode(chunk)
                dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8" and head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        return enc
    raise _unreadable(_table_of(label), label, "the file is neither UTF-8 nor GB18030/GBK text")


def _table_of(label: str) -> str:
    stem = re.split(r"[/:]", label)[-1].rsplit(".", 1)[0]
    return stem if stem in TABLES else "bundle"


def _csv_record_lines(path: Path, encoding: str) -> list[int]:
    """File line on which each data record starts (header = line 1), blank lines skipped."""
    out = []
    with path.open("r", encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        prev = 0
        for i, rec in enumerate(reader):
            start = prev + 1
            prev = reader.line_num
            if i == 0 or not rec:
                continue
            out.append(start)
    return out


def _csv_structure_problems(
    path: Path, encoding: str, table: str, label: str, width: int
) -> list[Problem]:
    """Records whose field count differs from the header's, or a quote left open."""
    problems = []
    with path.open("r", encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, strict=True)
        prev = 0
        try:
            for i, rec in enumerate(reader):
                start = prev + 1
                prev = reader.line_num
                if i == 0 or not rec:
                    continue
                if len(rec) != width:
                    problems.append(
                        Problem(
                            "wrong number of fields",
                            table,
                            label,
                            start,
                            "-",
                            ",".join(rec)[:60],
                            f"the record has {len(rec)} fields, the header has {width}",
                        )
                    )
        except csv.Error as e:
            problems.append(
                Problem(
                    "malformed CSV",
                    table,
                    label,
                    prev + 1,
                    "-",
                    None,
                    f"cannot parse the record ({e})",
                )
            )
    return problems


def _header(path: Path, encoding: str) -> list[str]:
    with path.open("r", encoding=encoding, newline="") as fh:
        try:
            first = next(csv.reader(fh), None)
        except csv.Error:
            first = None
    return [h.strip().lstrip("\ufeff") for h in first] if first else []


def _check_header(table: str, label: str, header: list[str], warnings: list[str]) -> list[str]:
    """Contract columns present in the header; problems for duplicates/missing required."""
    spec = TABLES[table]
    problems = []
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(
                Problem(
                    "duplicate column",
                    table,
                    label,
                    1,
                    h,
                    h,
                    "the column appears more than once in the header",
                )
            )
        seen.add(h)
    for col in spec.required:
        if col not in seen:
            problems.append(
                Problem(
                    "missing required column",
                    table,
                    label,
                    1,
                    col,
                    None,
                    "required column is missing from the header",
                )
            )
    extra = [h for h in header if h not in spec.column_names]
    if extra:
        warnings.append(f"{label}: ignored column(s) not in the contract: {', '.join(extra)}")
    if problems:
        raise Rejection(problems)
    return [c for c in spec.column_names if c in seen]


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    label: str,
    warnings: list[str],
    scratch: Path,
) -> Source:
    encoding = detect_encoding(path, label)
    read_path = path
    if encoding == "gb18030":
        read_path = scratch / f"{table}.utf8.csv"
        with (
            path.open("r", encoding="gb18030", newline="") as src,
            read_path.open("w", encoding="utf-8", newline="") as dst,
        ):
            while chunk := src.read(1 << 22):
                dst.write(chunk)
        encoding = "utf-8"
    header = _header(read_path, encoding)
    if not header or not any(header):
        raise Rejection(
            [
                Problem(
                    "missing header",
                    table,
                    label,
                    1,
                    "-",
                    None,
                    "the first line must be a header naming the columns",
                )
            ]
        )
    present = _check_header(table, label, header, warnings)
    cols = {f"c{i}": "VARCHAR" for i in range(len(header))}
    # a text cell an export neutralised ('=…) is read back without its apostrophe
    select = ", ".join(
        f"{csvsafe.sql_restore(f'NULLIF(trim(c{header.index(c)}), {chr(39) * 2})')} AS {c}"
        for c in present
    )
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE stage.{table} AS SELECT {select} FROM read_csv(?, "
            "header = true, auto_detect = false, columns = $cols, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true, null_padding = false)".replace(
                "$cols", _struct_literal(cols)
            ),
            [str(read_path)],
        )
    except duckdb.Error as e:
        problems = _csv_structure_problems(read_path, encoding, table, label, len(header))
        if not problems:
            problems = [
                Problem("malformed CSV", table, label, None, "-", None, str(e).splitlines()[0])
            ]
        raise Rejection(problems) from None
    n = con.execute(f"SELECT count(*) FROM stage.{table}").fetchone()[0]
    return Source(table, label, present, n, _csv_path=read_path, _encoding=encoding)


def _struct_literal(cols: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in cols.items()) + "}"


# ---- workbooks ---------------------------------------------------------------------
_ZERO_PAD = re.compile(r"^0+$")


def _cell_text(value, number_format: str | None) -> str | None:
    """A workbook cell as the text the user sees (IDs keep their zero padding)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        text = str(int(value))
        if number_format and _ZERO_PAD.match(number_format) and len(text) < len(number_format):
            text = text.zfill(len(number_format))
        return text
    text = str(value).strip()
    return text or None


def stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, label: str, staged: Staged) -> None:
    import openpyxl  # only needed for workbooks
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise _unreadable(
            "bundle", label, f"not a readable .xlsx workbook ({type(e).__name__})"
        ) from None
    try:
        names = list(wb.sheetnames)
        known = [n for n in names if n.strip() in TABLES]
        for n in names:
            if n.strip() not in TABLES:
                staged.warnings.append(f"{label}: ignored sheet {n!r} (no table of that name)")
        if not known:
            raise Rejection(
                [
                    Problem(
                        "no table in bundle",
                        "bundle",
                        label,
                        None,
                        "-",
                        ", ".join(names),
                        "no sheet is named after a table; sheet names must be table names such as "
                        + ", ".join(TABLES),
                    )
                ]
            )
        for n in known:
            table = n.strip()
            ws = wb[n]
            rows = ws.iter_rows()
            header_cells = next(rows, None)
            sheet_label = f"{label}:{table}"
            header = [(_cell_text(c.value, None) or "") for c in header_cells or []]
            while header and not header[-1]:
                header.pop()
            if not header:
                raise Rejection(
                    [
                        Problem(
                            "missing header",
                            table,
                            sheet_label,
                            1,
                            "-",
                            None,
                            "row 1 of the sheet must name the columns",
                        )
                    ]
                )
            present = _check_header(table, sheet_label, header, staged.warnings)
            idx = [header.index(c) for c in present]
            data: dict[str, list] = {c: [] for c in present}
            lines: list[int] = []
            for r, cells in enumerate(rows, start=2):
                texts = [_cell_text(c.value, getattr(c, "number_format", None)) for c in cells]
                if not any(texts):
                    continue
                texts += [None] * (len(header) - len(texts))
                for c, i in zip(present, idx, strict=True):
                    data[c].append(texts[i])
                lines.append(r)
            frame = pd.DataFrame({c: pd.Series(v, dtype="object") for c, v in data.items()})
            _stage_frame(con, table, frame, present, replace=True)
            staged.sources[table] = Source(table, sheet_label, present, len(lines), _line_map=lines)
    finally:
        wb.close()


def _stage_frame(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    columns: list[str],
    replace: bool,
) -> None:
    select = ", ".join(f"NULLIF(trim(CAST({c} AS VARCHAR)), '') AS {c}" for c in columns)
    con.register("_frame", frame)
    try:
        if replace:
            con.execute(f"CREATE OR REPLACE TABLE stage.{table} AS SELECT {select} FROM _frame")
        else:
            con.execute(f"INSERT INTO stage.{table} SELECT {select} FROM _frame")
    finally:
        con.unregister("_frame")


def stage_frames(
    con: duckdb.DuckDBPyConnection, staged: Staged, table: str, frame: pd.DataFrame, label: str
) -> None:
    """Append one in-memory frame (the demo generator's output) to a staging table."""
    columns = [c for c in TABLES[table].column_names if c in frame.columns]
    src = staged.sources.get(table)
    _stage_frame(con, table, frame[columns], columns, replace=src is None)
    if src is None:
        staged.sources[table] = Source(table, label, columns, len(frame))
    else:
        src.n_rows += len(frame)


# ---- bundles -----------------------------------------------------------------------
def stage_bundle(con: duckdb.DuckDBPyConnection, bundle: Path, scratch: Path) -> Staged:
    """Stage every table of a bundle (folder, .zip, .xlsx or one <table>.csv)."""
    staged = Staged()
    if not bundle.exists():
        raise Rejection(
            [
                Problem(
                    "bundle not found",
                    "bundle",
                    str(bundle),
                    None,
                    "-",
                    None,
                    "no such file or folder",
                )
            ]
        )
    if bundle.is_dir():
        _stage_csv_files(
            con,
            sorted(bundle.glob("*.csv")) + sorted(bundle.glob("*.CSV")),
            bundle,
            staged,
            scratch,
        )
        for p in sorted(bundle.iterdir()):
            if p.is_file() and p.suffix.lower() != ".csv" and not p.name.startswith("."):
                staged.warnings.append(f"{p.name}: ignored (a folder bundle holds .csv files)")
    elif bundle.suffix.lower() == ".xlsx":
        stage_xlsx(con, bundle, bundle.name, staged)
    elif bundle.suffix.lower() == ".zip":
        _stage_zip(con, bundle, staged, scratch)
    elif bundle.suffix.lower() == ".csv":
        _stage_csv_files(con, [bundle], bundle.parent, staged, scratch)
    else:
        raise Rejection(
            [
                Problem(
                    "not a bundle",
                    "bundle",
                    bundle.name,
                    None,
                    "-",
                    None,
                    "a bundle is a folder of CSV files, a .zip of them, or one .xlsx workbook",
                )
            ]
        )
    if not staged.sources:
        raise Rejection(
            [
                Problem(
                    "no table in bundle",
                    "bundle",
                    bundle.name,
                    None,
                    "-",
                    None,
                    "no file is named after a table (expected e.g. "
                    + ", ".join(f"{t}.csv" for t in list(TABLES)[:4])
                    + " …)",
                )
            ],
            staged.warnings,
        )
    return staged


def _stage_csv_files(con, files: list[Path], base: Path, staged: Staged, scratch: Path) -> None:
    seen: dict[str, Path] = {}
    problems: list[Problem] = []
    for f in files:
        table = f.stem.strip()
        label = str(f.relative_to(base)) if f.is_relative_to(base) else f.name
        if table not in TABLES:
            staged.warnings.append(f"{label}: ignored (no table named {table!r})")
            continue
        if table in seen:
            raise Rejection(
                [
                    Problem(
                        "duplicate table",
                        table,
                        label,
                        None,
                        "-",
                        None,
                        f"the bundle holds {table} twice (also {seen[table].name})",
                    )
                ]
            )
        seen[table] = f
        try:
            staged.sources[table] = stage_csv(con, f, table, label, staged.warnings, scratch)
        except Rejection as r:  # report every unreadable file at once
            problems.extend(r.problems)
    if problems:
        raise Rejection(problems, staged.warnings)


def _stage_zip(con, bundle: Path, staged: Staged, scratch: Path) -> None:
    try:
        zf = zipfile.ZipFile(bundle)
    except (zipfile.BadZipFile, OSError) as e:
        raise _unreadable("bundle", bundle.name, f"not a readable .zip archive ({e})") from None
    with zf:
        members = [
            m
            for m in zf.infolist()
            if not m.is_dir()
            and not Path(m.filename).name.startswith(".")
            and "__MACOSX" not in m.filename
        ]
        out = scratch / "unzipped"
        out.mkdir(parents=True, exist_ok=True)
        csvs, books = [], []
        for i, m in enumerate(members):
            name = Path(m.filename).name
            suffix = Path(name).suffix.lower()
            if suffix not in (".csv", ".xlsx"):
                staged.warnings.append(f"{bundle.name}:{m.filename}: ignored (not .csv/.xlsx)")
                continue
            target = out / f"{i:04d}" / name  # never trust paths inside an archive
            target.parent.mkdir()
            try:
                with zf.open(m) as src, target.open("wb") as dst:
                    while chunk := src.read(1 << 22):
                        dst.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise _unreadable(
                    "bundle", bundle.name, f"cannot extract ({e})", m.filename
                ) from None
            (books if suffix == ".xlsx" else csvs).append(target)
        if books and (csvs or len(books) > 1):
            raise Rejection(
                [
                    Problem(
                        "mixed bundle",
                        "bundle",
                        bundle.name,
                        None,
                        "-",
                        None,
                        "a .zip holds either CSV files or one .xlsx workbook, not both",
                    )
                ]
            )
        if books:
            stage_xlsx(con, books[0], f"{bundle.name}:{books[0].name}", staged)
        else:
            _stage_csv_files(con, csvs, out, staged, scratch)
            for s in staged.sources.values():  # labels without the extraction folder
                s.file = f"{bundle.name}:{Path(s.file).name}"
