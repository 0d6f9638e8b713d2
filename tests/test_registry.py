"""The flag registry: one complete entry per flag type, reaching the code in one hop."""

from __future__ import annotations

import tomllib
from pathlib import Path

from analytics import i18n
from analytics.flags import FLAG_TYPES
from analytics.flags.registry import SPECS

ROOT = Path(__file__).resolve().parents[1]


def test_every_flag_type_has_a_complete_entry():
    assert set(SPECS) == set(FLAG_TYPES)
    toml = tomllib.loads((ROOT / "config" / "yanpan.toml").read_text(encoding="utf-8"))
    methods = (ROOT / "docs" / "METHODS.md").read_text(encoding="utf-8")
    for ft, spec in SPECS.items():
        # the configuration section exists and holds exactly the detector's settings
        section = toml["flags"][ft]
        assert set(section) == set(spec.defaults), ft
        # translated method and statistic texts in both languages
        for key in (spec.methods, spec.statistic, f"flag.{ft}"):
            assert i18n.STRINGS[key]["zh"] and i18n.STRINGS[key]["en"], key
        assert f"### {ft} (" in methods, ft


def test_source_points_at_the_detector():
    for ft, spec in SPECS.items():
        path, _, rest = spec.source.partition(":")
        line, name = rest.split(" ")
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        # the decorator registering the type, then the function itself
        block = "\n".join(lines[int(line) - 1 : int(line) + 25])
        assert f"def {name}(" in block, (ft, spec.source)
        assert "@detector(" in lines[int(line) - 1], (ft, spec.source)
