"""Structured validation reasons: a reason code plus values, rendered in either language.

A rejected bundle's report names, for every problem, table, row, column, value and a reason.
The reason is a :class:`Reason`: a template key of the translation layer
(``analytics/locales/data_reasons.toml``, keys ``reason.*``) and its values.  It *is* also a
``str``, the English sentence, so the importer's report, the CLI's output (CONTRACT.md: the
CLI prints English) and the report files are unchanged, while the Data page renders the same
reason in the session's language with :meth:`Reason.render`.

The rules of :mod:`analytics.validate` build their reasons from codes directly.  The reading
of the bundle's files (:mod:`analytics.bundle`) writes English sentences; :func:`structure`
gives those sentences their code back by matching them against the English templates of the
same keys (each template is the sentence with ``{fields}`` where values go; a test proves
that every sentence the reader writes maps to a code and renders back to itself).  Warnings
(files, sheets or columns ignored) are matched the same way by :func:`warning`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from analytics import texts


class Reason(str):
    """The English reason, carrying its template ``key`` and ``values``."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Reason:
        self = super().__new__(cls, texts.render(key, values, "en"))
        self.key = key
        self.values = values
        return self

    def render(self, lang: str) -> str:
        return texts.render(self.key, self.values, lang)

    def __reduce__(self):  # pickle and copy rebuild it from the code, not from the text
        return _reason, (self.key, self.values)


def _reason(key: str, values: dict[str, Any]) -> Reason:
    return Reason(key, **values)


# ---- from the reader's English sentences ---------------------------------------------------
# the reader's sentences by rule: template keys tried in order ("" = any rule)
_BUNDLE_KEYS: dict[str, tuple[str, ...]] = {
    "unreadable file": (
        "reason.file_empty",
        "reason.file_utf16",
        "reason.file_binary",
        "reason.file_encoding",
        "reason.not_xlsx",
        "reason.not_zip",
        "reason.cannot_extract",
    ),
    "wrong number of fields": ("reason.field_count",),
    "malformed CSV": ("reason.csv_parse", "reason.csv_unreadable"),
    "missing header": ("reason.no_header", "reason.no_sheet_header"),
    "duplicate column": ("reason.duplicate_column",),
    "missing required column": ("reason.missing_column",),
    "no table in bundle": ("reason.no_sheet", "reason.no_table_file"),
    "bundle not found": ("reason.not_found",),
    "not a bundle": ("reason.not_bundle",),
    "duplicate table": ("reason.duplicate_table",),
    "mixed bundle": ("reason.mixed_zip",),
}
_WARNING_KEYS = (
    "warning.ignored_columns",
    "warning.ignored_sheet",
    "warning.ignored_in_folder",
    "warning.ignored_no_table",
    "warning.ignored_in_zip",
)


@cache
def _pattern(key: str) -> re.Pattern[str]:
    """The English template of ``key`` as a pattern, each ``{field}`` a named group."""
    from analytics import i18n

    template = i18n.STRINGS[key]["en"]
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex, re.DOTALL)


def _match(keys: tuple[str, ...], sentence: str) -> Reason | None:
    for key in keys:
        m = _pattern(key).fullmatch(sentence)
        if m:
            return Reason(key, **m.groupdict())
    return None


def structure(rule: str, sentence: str) -> Reason:
    """The reader's English ``sentence`` of ``rule`` as a :class:`Reason` (``reason.other``,
    shown as written, for a sentence no template knows)."""
    if isinstance(sentence, Reason):
        return sentence
    keys = _BUNDLE_KEYS.get(rule) or tuple(
        k for ks in _BUNDLE_KEYS.values() for k in ks if k != "reason.csv_unreadable"
    )
    return _match(keys, sentence) or Reason("reason.other", detail=sentence)


def warning(text: str) -> Reason:
    """An import warning (a file, sheet or columns ignored) as a :class:`Reason`."""
    return _match(_WARNING_KEYS, text) or Reason("reason.other", detail=text)
