"""Build the demo database: the generator's frames go through the importer's own checks,
so the demo is also a proof that the generator obeys the contract.  The answer key of the
planted effects is written beside the database as ``demo_answer_key.csv``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analytics.demo import build_demo
from analytics.ingest import Progress, import_frames

ANSWER_KEY = "demo_answer_key.csv"


@dataclass
class DemoInfo:
    counts: dict[str, int]
    answer_key_path: Path
    planted: int


def build_demo_database(
    db: Path | str,
    seed: int = 7,
    scale: str = "city",
    clean: bool = False,
    progress: Progress | None = None,
) -> DemoInfo:
    """Replace the content of ``db`` with a generated city (or province)."""
    demo = build_demo(seed=seed, scale=scale, clean=clean)

    def staged_progress(fraction: float, message: str) -> None:
        if progress:
            progress(0.6 * fraction, f"generating: {message}")

    def load_progress(fraction: float, message: str) -> None:
        if progress and fraction > 0.05:
            progress(0.6 + 0.4 * fraction, message)

    frames = demo.tables(progress=staged_progress)
    result = import_frames(
        frames,
        db,
        "demo",
        f"demo seed={seed} scale={scale}{' clean' if clean else ''}",
        progress=load_progress,
        fresh=True,
    )
    key_path = Path(db) / ANSWER_KEY
    tmp = key_path.with_suffix(".tmp")
    demo.answer_key.to_csv(tmp, index=False, encoding="utf-8")
    tmp.replace(key_path)
    return DemoInfo(result.counts, key_path, len(demo.answer_key))
