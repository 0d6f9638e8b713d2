from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from analytics.export import export_bundle
from analytics.ingest import import_bundle
from tests.sample import write_sample_bundle


def content_digest(db: Path, tmp: Path) -> dict[str, str]:
    """A digest of every table of a database (via export: sorted, canonical text)."""
    out = tmp / f"digest-{len(list(tmp.glob('digest-*')))}"
    export_bundle(db, out)
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}
    shutil.rmtree(out)
    return digest


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("sample")
    bundle = write_sample_bundle(base / "bundle")
    db = base / "db"
    import_bundle(bundle, db)
    return db


@pytest.fixture
def sample_db(sample_db_template, tmp_path) -> Path:
    """A database holding the whole sample bundle (a private copy per test)."""
    db = tmp_path / "db"
    shutil.copytree(sample_db_template, db)
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The city demo (seed 7) with planted effects; its answer key is demo_answer_key.csv."""
    from analytics.demo_build import build_demo_database

    db = tmp_path_factory.mktemp("demo") / "db"
    build_demo_database(db, seed=7)
    return db


@pytest.fixture(scope="session")
def clean_db(tmp_path_factory) -> Path:
    """The clean city demo (seed 7): natural texture, nothing planted."""
    from analytics.demo_build import build_demo_database

    db = tmp_path_factory.mktemp("clean") / "db"
    build_demo_database(db, seed=7, clean=True)
    return db
