"""The translation layer: every user-facing string of the dashboard, in zh-CN and English.

Strings are data, in ``analytics/locales/<page>.toml`` (one file per page, ``common`` for the
frame and shared codes; ``"key" = { zh = "...", en = "..." }``), read with :mod:`tomllib`
from the folder beside this module.  ``t(key, lang, **values)`` looks a key up and formats it.
Chinese is the default language.  A test proves both languages define every key, so a page
can never show a raw key.

``code(kind, value, lang)`` renders any code the data carry for display (a tier, a unit
type, a rater group, a table name, a post, an education, an area name ...), and an empty
value as the dash, never ``None``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.fmt import DASH

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

PAGES = (
    "common",
    "overview",
    "team",
    "portrait",
    "anomalies",
    "talks",
    "data",
    "data_reasons",
    "evidence",
)


LOCALES = Path(__file__).resolve().parent / "locales"


def _read(name: str) -> dict[str, Any]:
    """One data file of ``analytics/locales`` (a key written twice in it is a TOML error)."""
    with (LOCALES / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def _load() -> dict[str, dict[str, str]]:
    """Every page's strings merged; a key defined twice is a programming error."""
    merged: dict[str, dict[str, str]] = {}
    for page in PAGES:
        strings = _read(page)
        twice = merged.keys() & strings.keys()
        if twice:
            raise RuntimeError(f"i18n keys defined twice ({page}): {sorted(twice)}")
        merged.update(strings)
    return merged


STRINGS: dict[str, dict[str, str]] = _load()
CODES: dict[str, Any] = _read("codes")
"""English renderings of free-text codes (posts, education, area names): ``codes.toml``."""


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (falling back to Chinese), formatted with values."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


# ---- codes -------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    """None, NaN, pandas' NA or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def code(kind: str, value: Any, lang: str = DEFAULT_LANG) -> str:
    """A code of the data as users read it in ``lang``; the dash for an empty value.

    * ``table``: the Chinese title of a table in Chinese (民主测评票), its contract name in
      English (the name a bundle's file or sheet must have);
    * ``post``, ``education``, ``area``: free text written in Chinese, rendered in English by
      the tables of ``analytics/locales/codes.toml`` (a post office by office); Chinese as is;
    * ``text``: free text shown as written (only an empty value becomes the dash);
    * any other kind: the translation key ``<kind>.<value>`` (``tier.team``,
      ``unit_type.party``, ``group.staff``, ``channel.ballots`` ...), the value itself when
      no key exists (a free code such as a new rater group).
    """
    if _empty(value):
        return DASH
    value = str(value)
    if kind == "text":
        return value
    if kind == "table":
        from analytics.schema import TABLES

        spec = TABLES.get(value)
        return spec.label_zh if lang == "zh" and spec is not None and spec.label_zh else value
    if kind in _FREE_TEXT:
        return value if lang == "zh" else _FREE_TEXT[kind](value)
    key = f"{kind}.{value}"
    return t(key, lang) if key in STRINGS else value


def _post(post: str) -> str:
    """A post in English, office by office ("党委书记、局长" → "Party Secretary, Director");
    the Chinese post when one office is unknown."""
    out = []
    for office in re.split(r"[、，,]", post):
        office = office.strip()
        english = CODES["offices"].get(office)
        if english is None:
            for title in sorted(CODES["titles"], key=len, reverse=True):
                body = office.removesuffix(title)
                if body != office and body in CODES["bodies"]:
                    english = f"{CODES['titles'][title]}, {CODES['bodies'][body]}"
                    break
        if english is None:
            return post
        out.append(english)
    return "; ".join(out) if any("," in o for o in out) else ", ".join(out)


def _education(education: str) -> str:
    return CODES["education"].get(education.strip(), education)


_AREA = re.compile(r"(?:(?P<city>.+?)市)?第(?P<n>[一二三四五六七八九十]+)考察责任区")


def _area(name: str) -> str:
    """The demo's area names in English ("江城市第三考察责任区" → "Jiangcheng Area 3"); any
    other name is a proper name and stays as it is."""
    m = _AREA.fullmatch(name.strip())
    if m is None:
        return name
    tens, ten, ones = m["n"].partition("十")
    if ten:  # 十, 十一, 二十, 二十三
        n = (CODES["numerals"].index(tens) if tens else 1) * 10
        n += CODES["numerals"].index(ones) if ones else 0
    else:
        n = CODES["numerals"].index(tens)
    city = m["city"]
    if city is None:
        return f"Area {n}"
    return f"{CODES['cities'].get(city, city)} Area {n}"


_FREE_TEXT = {"post": _post, "education": _education, "area": _area}
