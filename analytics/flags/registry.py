"""Imports every detector module so that their ``@detector`` registrations run."""

from importlib import import_module
from pathlib import Path

for _p in sorted(Path(__file__).parent.glob("*.py")):
    if _p.stem not in ("__init__", "registry"):
        import_module(f"analytics.flags.{_p.stem}")
