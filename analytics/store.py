"""The database folder: immutable DuckDB snapshots published atomically.

Why a folder of snapshots (see docs/ARCHITECTURE.md and PITFALLS.md's DuckDB facts):

* A DuckDB file opened read-write by one process cannot be opened by any other, and
  read-only holders block writers.  So the dashboard never opens the file an import writes.
* Each import (or demo build, or schema upgrade) copies the current snapshot to a new file,
  validates and loads into the copy inside one transaction, checkpoints, closes it and then
  atomically replaces the ``CURRENT`` pointer (``os.replace``).  A rejected or crashed import
  deletes its copy: the database is exactly as before.
* Readers resolve ``CURRENT`` on every use and cache one read-only connection per snapshot
  file name; a new name after an import means new data without a restart, and because every
  snapshot has its own file name DuckDB's in-process cache of open databases never serves a
  replaced file.  A viewer never blocks a writer and a writer never blocks a viewer.
* Two imports into the same folder are serialised by an ``flock`` on ``.write.lock``; the
  second waits up to ``database.lock_timeout_s`` seconds and then fails with a clear message.

What the dashboard itself writes (judgments, audit, users, settings) does not belong in
these snapshots: it goes to ``app.sqlite`` in the same folder (SQLite in WAL mode: many
readers, one short writer at a time), through one explicit write path.

Layout::

    <db>/CURRENT                     name of the current snapshot file
    <db>/snapshots/000003-1a2b3c4d.duckdb
    <db>/tmp/                        DuckDB spill space
    <db>/.write.lock
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from analytics import config, schema
from analytics.errors import StoreError

POINTER = "CURRENT"
SNAPSHOTS = "snapshots"


def connect(
    path: Path | str, read_only: bool, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file with the product's limits; a bad file becomes a StoreError."""
    cfg = {
        "memory_limit": memory_limit or str(config.get("database", "memory_limit")),
        "threads": int(config.get("database", "threads")),
    }
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=cfg)
    except duckdb.IOException as e:
        msg = str(e)
        if "lock" in msg.lower():
            raise StoreError(f"{path}: the file is locked by another program ({msg})") from e
        raise StoreError(f"{path} is not a readable DuckDB database: {msg}") from e
    except duckdb.Error as e:
        raise StoreError(f"{path} cannot be opened as a database: {e}") from e
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    return con


class Store:
    """A Yanpan database folder (the ``--db PATH`` of every command)."""

    def __init__(self, path: Path | str):
        self.root = Path(path).expanduser()
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(
                f"--db {self.root}: this is a file; a Yanpan database is a folder "
                "(give a new or existing folder path)"
            )

    # ---- reading -------------------------------------------------------------------
    @property
    def snapshot_dir(self) -> Path:
        return self.root / SNAPSHOTS

    def current(self) -> Path | None:
        """The current snapshot file, or None when the database holds nothing yet."""
        pointer = self.root / POINTER
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise StoreError(f"{pointer}: cannot read ({e.strerror})") from e
        snap = self.snapshot_dir / name
        if not name or "/" in name or not snap.is_file():
            raise StoreError(f"{pointer} names a snapshot that does not exist: {name!r}")
        return snap

    def exists(self) -> bool:
        return self.current() is not None

    def require(self) -> Path:
        snap = self.current()
        if snap is None:
            raise StoreError(
                f"no database at {self.root} (run `python -m analytics import` or `demo` first)"
            )
        return snap

    def open_read(self, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the current snapshot, upgrading an older schema first."""
        snap = self.require()
        con = connect(snap, read_only=True, memory_limit=memory_limit)
        version = _version_or_error(con, snap)
        if version == schema.SCHEMA_VERSION:
            return con
        con.close()
        self.upgrade()
        return connect(self.require(), read_only=True, memory_limit=memory_limit)

    # ---- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        timeout = float(config.get("database", "lock_timeout_s"))
        with open(self.root / ".write.lock", "a+") as fh:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreError(
                            f"another import into {self.root} is still running "
                            f"(waited {timeout:.0f} s); try again when it has finished"
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def write(
        self, kind: str, source: str = "", fresh: bool = False
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a read-write connection on a private copy of the current snapshot.

        If the block finishes, the copy becomes the current snapshot atomically; if it
        raises, the copy is deleted and the database is unchanged (the private copy is what
        makes the change atomic; the block may still use transactions of its own).
        ``fresh`` starts from an empty database instead of a copy (the demo build).
        """
        with self._lock():
            self.snapshot_dir.mkdir(parents=True, exist_ok=True)
            (self.root / "tmp").mkdir(exist_ok=True)
            self._sweep_temp()
            current = self.current()
            seq = int(current.name.split("-")[0]) + 1 if current else 1
            base = None if fresh else current
            new = self.snapshot_dir / f"{seq:06d}-{uuid.uuid4().hex[:8]}.duckdb"
            tmp = new.with_name("tmp-" + new.name)
            try:
                if base is not None:
                    shutil.copyfile(base, tmp)
                con = connect(tmp, read_only=False)
                con.execute("SET temp_directory = ?", [str(self.root / "tmp")])
                try:
                    if base is None:
                        schema.create_current(con)
                    else:
                        _version_or_error(con, base)
                        schema.upgrade(con)
                    yield con
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                os.replace(tmp, new)
                pointer_tmp = self.root / f".{POINTER}.{uuid.uuid4().hex[:8]}"
                pointer_tmp.write_text(new.name + "\n", encoding="utf-8")
                os.replace(pointer_tmp, self.root / POINTER)
            except BaseException:
                for p in (tmp, tmp.with_name(tmp.name + ".wal")):
                    p.unlink(missing_ok=True)
                raise
            self._prune(keep={new.name, current.name if current else ""})

    def upgrade(self) -> list[int]:
        """Publish an upgraded copy of an older-version snapshot; return the steps applied."""
        steps: list[int] = []
        snap = self.require()
        with connect(snap, read_only=True) as con:
            if _version_or_error(con, snap) == schema.SCHEMA_VERSION:
                return steps
        with self.write("upgrade", snap.name) as con:
            log_import(con, "upgrade", snap.name, {}, [])
            steps.append(schema.SCHEMA_VERSION)
        return steps

    def _sweep_temp(self) -> None:
        for p in self.snapshot_dir.glob("tmp-*"):
            p.unlink(missing_ok=True)

    def _prune(self, keep: set[str]) -> None:
        n_keep = int(config.get("database", "keep_snapshots"))
        snaps = sorted(p for p in self.snapshot_dir.glob("*.duckdb") if p.name not in keep)
        for p in snaps[: max(0, len(snaps) - max(0, n_keep - 1))]:
            p.unlink(missing_ok=True)
            p.with_name(p.name + ".wal").unlink(missing_ok=True)


def _version_or_error(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    try:
        version = schema.get_version(con)
    except duckdb.Error as e:
        raise StoreError(f"{path} is not a Yanpan database: {e}") from e
    if version is None:
        raise StoreError(f"{path} is not a Yanpan database (it has no schema version)")
    if version > schema.SCHEMA_VERSION:
        raise StoreError(
            f"{path} has schema version {version}, newer than this program "
            f"({schema.SCHEMA_VERSION}); upgrade Yanpan"
        )
    return version


def log_import(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    source: str,
    counts: dict[str, int],
    warnings: list[str],
) -> None:
    """Append one row to import_log inside the running write transaction."""
    next_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
    con.execute(
        "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?)",
        [
            next_id,
            datetime.now(UTC),
            source,
            kind,
            json.dumps(counts, ensure_ascii=False),
            json.dumps(warnings, ensure_ascii=False),
        ],
    )
