"""Strings of the team page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
}
