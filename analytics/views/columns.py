"""Table columns as declarations: what a page's table shows, not how Streamlit draws it.

A table is a dict ``{frame column: Col}`` in display order; the adaptor
(:func:`analytics.st_adapter.table`) turns it into ``st.column_config`` with the number
formats of :data:`analytics.fmt.COLUMN_FORMATS`, translated labels, wrapped long text and
widths that fit the window.  Pure data, so read models may declare their tables too.

Widths are small on purpose: at 1440 px the main area beside the sidebar is about 980 px
wide (half of it beside a chart); Streamlit shares any spare room out among the columns.
"""

from __future__ import annotations

from dataclasses import dataclass

# default width (px) per kind; numbers not listed take NUMBER_WIDTH
KIND_WIDTH: dict[str, int] = {
    "text": 100,
    "name": 130,
    "wrap": 300,
    "link": 80,
    "date": 95,
    "check": 50,
    "progress": 120,
}
NUMBER_WIDTH = 64
NUMBER_KINDS = ("score", "signed", "count", "int", "effect", "pct", "pp", "number")
KINDS = (*KIND_WIDTH, *NUMBER_KINDS, "p")


@dataclass(frozen=True)
class Col:
    """One column of a table.

    ``kind``: ``text`` (short text), ``name`` (a name or label, wider), ``wrap`` (long text,
    wrapped over three lines), ``score`` (0–100, one decimal), ``signed`` (a change in score
    points), ``effect`` (z or effect size, two decimals, signed), ``count`` (thousands
    separators), ``int``, ``pct`` (a share 0–1 shown as 12.5%), ``pp`` (a difference of
    shares 0–1 in percentage points), ``p`` (a p-value, shown by :func:`analytics.fmt.p`),
    ``number`` (any other number, ``format`` required), ``link`` (a URL or an
    :func:`analytics.views.page_link`; ``display`` is a translation key, or ``"name"`` for
    the name the link carries), ``date``, ``check`` (a yes/no box), ``progress`` (a share
    0–1 as a bar).  ``label`` and ``help`` are translation keys; ``text`` is a label
    already translated (with values filled in, a code's name, a proper noun: ICC(2,1)).
    ``lines``: how many lines of a ``wrap`` column a row shows (the tallest sets the row).
    ``code``: the values are codes or free Chinese text of that kind (``area``, ``post``,
    ``education``, ``tier``, ``table`` ...), shown in the session language by
    :func:`analytics.i18n.code` (an empty value as the dash).
    """

    kind: str = "text"
    label: str = ""
    width: int | str | None = None
    help: str | None = None
    format: str | None = None
    display: str | None = None
    text: str | None = None
    pinned: bool = False
    lines: int = 3
    code: str | None = None  # values are codes of this kind, shown by analytics.i18n.code

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.kind == "number" and not self.format:
            raise ValueError("a 'number' column needs a format")

    def shown_width(self) -> int | str:
        return self.width or KIND_WIDTH.get(self.kind, NUMBER_WIDTH)
