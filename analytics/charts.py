"""One colour language and one chart style for every page (plotly, no Streamlit).

Colours are the Okabe–Ito palette, safe for the common forms of colour blindness; severity
and verdict colours are fixed so that "critical" and "concern" look the same everywhere.
Every figure gets a title, axis titles and a font family that renders Chinese
(Noto Sans CJK, installed with Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEVERITY_COLORS = {"critical": "#D55E00", "warning": "#E69F00", "info": "#56B4E9"}
SEVERITY_ORDER = ("critical", "warning", "info")
VERDICT_COLORS = {"concern": "#D55E00", "watch": "#E69F00", "good": "#009E73"}
VERDICT_ORDER = ("concern", "watch", "good")
STANCE_COLORS = {"negative": "#D55E00", "neutral": "#999999", "positive": "#0072B2"}
NEUTRAL = "#999999"
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
# a horizontal legend above the plot, at its right
TOP_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1}


def style(
    fig: go.Figure,
    title: str,
    x: str | None = None,
    y: str | None = None,
    height: int | None = None,
    legend: str | None = None,
) -> go.Figure:
    """Title, axis titles, CJK font, palette and compact margins."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        uniformtext={"minsize": 12, "mode": "show"},  # bar labels never shrink below 12 px
        colorway=OKABE_ITO,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend_title_text=legend,
    )
    if height:
        fig.update_layout(height=height)
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig


def interval(value, low, high, color: str | None = None) -> dict:
    """Plotly error bars drawing the interval ``low`` … ``high`` around ``value`` (e.g. a
    composite's 90% interval), not a symmetric ± SE."""
    bars = {"type": "data", "symmetric": False, "array": high - value, "arrayminus": value - low}
    return bars if color is None else {**bars, "color": color}


def reference_line(
    fig: go.Figure, label: str, x: float | None = None, y: float | None = None, where: str = "top"
) -> None:
    """A dashed grey reference line named ``label``: vertical at ``x`` or horizontal at ``y``
    (e.g. the peer-group mean 50, a unit's total)."""
    line = {"line_dash": "dash", "line_color": NEUTRAL, "annotation_text": label}
    if x is not None:
        fig.add_vline(x=x, annotation_position=where, **line)
    else:
        fig.add_hline(y=y, annotation_position=where, **line)
