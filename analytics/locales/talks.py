"""Strings of the talks page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
}
