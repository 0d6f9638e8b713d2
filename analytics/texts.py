"""Structured text: a sentence as a template key plus typed values, rendered per language.

Detectors, team health and summaries do not write sentences; they return
``Text(key, values)``.  The templates live in the translation layer
(``analytics/locales/*.toml``, key → {zh, en}, ``str.format`` fields), and
:func:`render` fills them for one language:

* plain numbers and strings are formatted as they are;
* typed values, made with the helpers below, are resolved and formatted for the language:
  ``cadre(id)`` → "name (id)" / "name（id）", ``unit(id)`` → the unit's name,
  ``period(id)`` → the period's label in Chinese and its code in English,
  ``group(code)`` → the rater group in words, ``code(prefix, value)`` → any translated code
  (key ``<prefix>.<value>``, e.g. ``tier.team``), and ``p``, ``pct``, ``pp``, ``count``,
  ``score``, ``signed``, ``num`` → the one number formatter (:mod:`analytics.fmt`).

A ``Text`` is JSON-serialisable (:meth:`Text.to_json`), so the results store the key and
the values, and any consumer renders them again in either language; nothing is ever
rewritten by pattern matching.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analytics import fmt

_NUMBER_KINDS = {
    "p": fmt.p,
    "p_rel": fmt.p_rel,
    "p_phrase": fmt.p_phrase,
    "pct": fmt.pct,
    "pp": fmt.pp,
    "count": fmt.count,
    "score": fmt.score,
    "signed": fmt.signed,
    "effect": fmt.effect,
    "small": fmt.small,
    "num": fmt.number,
}


def _typed(kind: str, value: Any, **extra: Any) -> dict[str, Any]:
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    elif hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return {"$": kind, "v": value, **extra}


def cadre(cadre_id: str) -> dict[str, Any]:
    return _typed("cadre", str(cadre_id))


def unit(unit_id: str) -> dict[str, Any]:
    return _typed("unit", str(unit_id))


def period(period_id: str) -> dict[str, Any]:
    return _typed("period", str(period_id))


def group(code: str, lower: bool = True) -> dict[str, Any]:
    """A rater group in words (lower case in an English sentence unless ``lower=False``)."""
    return _typed("code", str(code), prefix="group", lower=lower)


def code(prefix: str, value: str, lower: bool = False) -> dict[str, Any]:
    """A translated code, key ``<prefix>.<value>`` (e.g. ``tier.team``, ``channel.performance``)."""
    return _typed("code", str(value), prefix=prefix, lower=lower)


def p(x: Any) -> dict[str, Any]:
    return _typed("p", x)


def p_phrase(x: Any) -> dict[str, Any]:
    """'adjusted p < 0.0001' / '校正后p<0.0001' for a sentence."""
    return _typed("p_phrase", x)


def p_rel(x: Any) -> dict[str, Any]:
    """A p-value after the letter p ('= 0.0123' / '< 0.0001')."""
    return _typed("p_rel", x)


def pct(x: Any, digits: int = 1) -> dict[str, Any]:
    return _typed("pct", x, digits=digits)


def pp(x: Any, digits: int = 1, signed: bool = True) -> dict[str, Any]:
    return _typed("pp", x, digits=digits, signed=signed)


def count(x: Any) -> dict[str, Any]:
    return _typed("count", x)


def score(x: Any, digits: int = 1) -> dict[str, Any]:
    return _typed("score", x, digits=digits)


def signed(x: Any, digits: int = 1) -> dict[str, Any]:
    return _typed("signed", x, digits=digits)


def num(x: Any, digits: int = 2) -> dict[str, Any]:
    return _typed("num", x, digits=digits)


def small(x: Any) -> dict[str, Any]:
    return _typed("small", x)


def items(values: list[Any], sep: str = "ev.list.sep") -> dict[str, Any]:
    """A list of values (e.g. rater groups) joined by the language's separator (the
    translation key ``sep``)."""
    return {"$": "list", "items": list(values), "sep": sep}


def text(key: str, **values: Any) -> dict[str, Any]:
    """A nested sentence or phrase (e.g. a clause chosen by direction)."""
    return {"$": "text", "key": key, "values": values}


@dataclass(frozen=True)
class Text:
    """A sentence: the template key and its values (plain or typed)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "values": self.values}, ensure_ascii=False)

    @staticmethod
    def from_json(blob: str | Mapping[str, Any]) -> Text:
        d = json.loads(blob) if isinstance(blob, str) else dict(blob)
        return Text(d["key"], dict(d.get("values") or {}))


@dataclass
class Lookup:
    """Names the renderer needs: cadre and unit names, period labels (by id)."""

    cadres: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    periods: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def from_db(con) -> Lookup:
        """Every name of the database (reference tables are small)."""
        return Lookup(
            cadres=dict(con.execute("SELECT cadre_id, name FROM cadres").fetchall()),
            units=dict(con.execute("SELECT unit_id, name FROM units").fetchall()),
            periods=dict(con.execute("SELECT period_id, label FROM periods").fetchall()),
        )


def _value(v: Any, lang: str, lookup: Lookup) -> Any:
    from analytics import i18n

    if not isinstance(v, Mapping) or "$" not in v:
        if isinstance(v, float):
            return fmt.number(v, lang)
        return fmt.text(v) if v is None else v
    kind, x = v["$"], v.get("v")
    if kind == "text":
        return render(v["key"], v.get("values") or {}, lang, lookup)
    if kind == "list":
        sep = i18n.t(v.get("sep") or "ev.list.sep", lang)
        return sep.join(str(_value(x, lang, lookup)) for x in v["items"])
    if kind in _NUMBER_KINDS:
        fn = _NUMBER_KINDS[kind]
        if kind == "pp":
            return fn(x, lang, v.get("digits", 1), v.get("signed", True))
        return fn(x, lang, v["digits"]) if "digits" in v else fn(x, lang)
    if x is None:
        return fmt.DASH
    if kind == "cadre":
        name = lookup.cadres.get(x)
        if not name:
            return x
        return f"{name}（{x}）" if lang == "zh" else f"{name} ({x})"
    if kind == "unit":
        return lookup.units.get(x) or x
    if kind == "period":
        return (lookup.periods.get(x) or x) if lang == "zh" else x
    if kind == "code":
        word = i18n.code(v["prefix"], x, lang)
        if word == str(x):  # an unknown code (e.g. a jury's country) stays as it is
            return word
        return word[:1].lower() + word[1:] if v.get("lower") and lang == "en" else word
    raise ValueError(f"unknown value kind {kind!r}")


def render(
    key: str | Text, values: Mapping[str, Any] | None = None, lang: str = "zh", lookup=None
) -> str:
    """The sentence ``key`` in ``lang`` with its values resolved and formatted."""
    from analytics import i18n

    if isinstance(key, Text):
        key, values = key.key, key.values
    lookup = lookup or Lookup()
    values = dict(values or {})
    if lang == "en":  # a translated word opening an English sentence takes a capital
        head = (i18n.STRINGS[key].get("en") or "").lstrip().split("}", 1)[0].lstrip("{")
        v = values.get(head)
        if isinstance(v, Mapping) and v.get("$") == "code":
            values[head] = {**v, "lower": False}
    filled = {k: _value(v, lang, lookup) for k, v in values.items()}
    return i18n.t(key, lang, **filled)
