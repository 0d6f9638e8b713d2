"""The translation layer: every user-facing string of the dashboard, in zh-CN and English.

Strings live in ``analytics/locales/<page>.py`` (one file per page, ``common`` for the
frame and shared codes).  ``t(key, lang, **values)`` looks a key up and formats it.
Chinese is the default language.  A test proves both languages define every key, so a page
can never show a raw key.
"""

from __future__ import annotations

import importlib

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

PAGES = ("common", "overview", "team", "portrait", "anomalies", "talks", "data", "evidence")


def _load() -> dict[str, dict[str, str]]:
    """Every page's strings merged; a key defined twice is a programming error."""
    merged: dict[str, dict[str, str]] = {}
    for page in PAGES:
        strings = importlib.import_module(f"analytics.locales.{page}").STRINGS
        twice = merged.keys() & strings.keys()
        if twice:
            raise RuntimeError(f"i18n keys defined twice ({page}): {sorted(twice)}")
        merged.update(strings)
    return merged


STRINGS: dict[str, dict[str, str]] = _load()


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (falling back to Chinese), formatted with values."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text
