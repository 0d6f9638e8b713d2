"""One configuration object for the whole product.

Defaults live in ``config/yanpan.toml`` (documented there).  A user's copy named by the
``YANPAN_CONFIG`` environment variable overrides them key by key, and an environment variable
``YANPAN_<SECTION>_<KEY>`` overrides a single value (parsed as TOML when it can be, e.g.
``YANPAN_PRIVACY_MIN_GROUP_SHEETS=7``).
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from analytics.errors import UsageError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULTS_FILE = REPO_ROOT / "config" / "yanpan.toml"


def default_db() -> Path:
    """Where the embedded demo database lives (``YANPAN_DEMO_DB`` moves it, e.g. in tests)."""
    return Path(os.environ.get("YANPAN_DEMO_DB") or REPO_ROOT / "data" / "demo")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _parse_env(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


@cache
def settings() -> dict[str, dict[str, Any]]:
    """The effective configuration (defaults ← YANPAN_CONFIG file ← environment)."""
    with DEFAULTS_FILE.open("rb") as f:
        cfg = tomllib.load(f)
    user = os.environ.get("YANPAN_CONFIG")
    if user:
        try:
            with open(user, "rb") as f:
                cfg = _merge(cfg, tomllib.load(f))
        except OSError as e:
            raise UsageError(f"YANPAN_CONFIG={user}: cannot read the file ({e.strerror})") from e
        except tomllib.TOMLDecodeError as e:
            raise UsageError(f"YANPAN_CONFIG={user}: not valid TOML ({e})") from e
    for section, values in cfg.items():
        if not isinstance(values, dict):
            continue
        for key in values:
            env = os.environ.get(f"YANPAN_{section}_{key}".upper())
            if env is not None:
                values[key] = _parse_env(env)
    return cfg


def get(section: str, key: str) -> Any:
    return settings()[section][key]
