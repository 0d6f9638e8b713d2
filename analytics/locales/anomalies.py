"""Strings of the anomalies page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
}
