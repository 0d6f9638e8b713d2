"""Every configuration key the code reads exists in config/yanpan.toml: no silent fallback."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from analytics import config

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    p
    for pattern in ("analytics/**/*.py", "pages/*.py", "app.py")
    for p in ROOT.glob(pattern)
    if "demo" not in p.name
)
# config.get("section", "key") with literal arguments (f-strings give a key template)
GET = re.compile(r'config\.get\(\s*"(\w+)",\s*(f?)"([\w{}]+)"\s*\)')
# setting("flag_type", "key") / setting(ft, "key"): thresholds of [flags.<type>]
SETTING = re.compile(r'\bsetting\(\s*"(\w+)",\s*"(\w+)"\s*\)')
# team_health's _cfg("key") reads [team_health]
CFG = re.compile(r'\b_cfg\(\s*"(\w+)"\s*\)')


def _toml() -> dict:
    with config.DEFAULTS_FILE.open("rb") as f:
        return tomllib.load(f)


def _reads() -> list[tuple[str, str, str]]:
    found = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        for section, _f, key in GET.findall(text):
            found.append((rel, section, key))
        for ft, key in SETTING.findall(text):
            found.append((rel, f"flags.{ft}", key))
        if path.name.startswith("team_health") or path.parent.name == "team_health":
            found.extend((rel, "team_health", key) for key in CFG.findall(text))
    return found


def test_the_scan_finds_the_reads():
    sections = {s for _, s, _ in _reads()}
    assert {"privacy", "scores", "team_health", "database"} <= sections
    assert any(s.startswith("flags.") for s in sections)


def test_every_key_read_is_in_the_toml():
    cfg = _toml()
    missing = []
    for where, section, key in _reads():
        node = cfg
        for part in section.split("."):
            node = node.get(part, {})
        if "{" in key:  # an f-string key: every channel weight, say
            prefix = key.split("{")[0]
            if not any(k.startswith(prefix) for k in node):
                missing.append(f"{where}: [{section}] {key}")
        elif key not in node:
            missing.append(f"{where}: [{section}] {key}")
    assert not missing, "keys read but not in config/yanpan.toml:\n" + "\n".join(missing)


def test_no_fallback_on_a_missing_key():
    """A read that swallows KeyError would hide a missing key; there is none."""
    offenders = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"config\.(?:get|settings)\([^\n]*\n(?:[^\n]*\n){0,2}", text):
            if "except KeyError" in m.group(0) or '.get("min_group_sheets", 0)' in m.group(0):
                offenders.append(str(path.relative_to(ROOT)))
        if re.search(r'settings\(\)\.get\("(privacy|team_health|scores)"', text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
