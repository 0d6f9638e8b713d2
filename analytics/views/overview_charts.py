"""Figures of the Overview page (pure plotly; every label arrives translated)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import NEUTRAL, OKABE_ITO, SEVERITY_COLORS, SEVERITY_ORDER, TOP_LEGEND, style

HIGHLIGHT = OKABE_ITO[0]
UNIT_MARK = OKABE_ITO[5]


def composite_distribution(
    df: pd.DataFrame,
    area_labels: dict[str, str],
    highlight_area: str | None,
    highlight_unit: str | None,
    title: str,
    x: str,
    y: str,
) -> go.Figure:
    """Horizontal box and points of team composites per area (``df``: area_id, unit_id,
    unit_name, composite), first area on top; the chosen area in colour and the others grey
    (all in colour when none is chosen), the chosen unit marked with a star, and a dotted
    line at the peer mean 50."""
    fig = go.Figure()
    for area_id, label in area_labels.items():
        part = df[df["area_id"] == area_id]
        if part.empty:
            continue
        colour = HIGHLIGHT if highlight_area in (None, area_id) else NEUTRAL
        fig.add_trace(
            go.Box(
                x=part["composite"].tolist(),
                y=[label] * len(part),
                name=label,
                orientation="h",
                boxpoints="all",
                jitter=0.5,
                pointpos=0,
                marker={"color": colour, "size": 6, "opacity": 0.8},
                line={"color": colour},
                fillcolor="rgba(0,0,0,0)",
                showlegend=False,
                customdata=part[["unit_name"]].to_numpy().tolist(),
                hovertemplate="%{customdata[0]}: %{x:.1f}<extra>" + label + "</extra>",
            )
        )
    if highlight_unit is not None:
        row = df[df["unit_id"] == highlight_unit]
        if len(row):
            name = row["unit_name"].iloc[0]
            fig.add_trace(
                go.Scatter(
                    y=[area_labels.get(row["area_id"].iloc[0], row["area_id"].iloc[0])],
                    x=row["composite"].tolist(),
                    mode="markers",
                    name=name,
                    showlegend=True,
                    marker={
                        "color": UNIT_MARK,
                        "size": 16,
                        "symbol": "star",
                        "line": {"color": "#000000", "width": 1},
                    },
                    hovertemplate=name + ": %{x:.1f}<extra></extra>",
                )
            )
    fig.add_vline(x=50, line={"color": NEUTRAL, "dash": "dot", "width": 1})
    style(fig, title, x=x, y=y, height=max(320, 70 + 34 * len(area_labels)))
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(legend=TOP_LEGEND)
    return fig


def flags_by_severity(
    df: pd.DataFrame,
    type_labels: dict[str, str],
    severity_labels: dict[str, str],
    title: str,
    x: str,
    y: str,
    legend: str,
) -> go.Figure:
    """Stacked horizontal bars: flags per type (``df``: flag_type, severity, n), one colour
    per severity (critical, warning, info), the most frequent type on top."""
    order = list(dict.fromkeys(df["flag_type"]))
    labels = [type_labels.get(t, t) for t in reversed(order)]
    fig = go.Figure()
    for sev in SEVERITY_ORDER:
        counts = df[df["severity"] == sev].set_index("flag_type")["n"]
        values = [int(counts.get(t, 0)) for t in reversed(order)]
        if not any(values):
            continue
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=severity_labels[sev],
                marker={"color": SEVERITY_COLORS[sev]},
                hovertemplate="%{y}: %{x}<extra>" + severity_labels[sev] + "</extra>",
            )
        )
    style(fig, title, x=x, y=y, height=max(220, 100 + 28 * len(order)), legend=legend)
    fig.update_layout(
        barmode="stack",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "right",
            "x": 1,
            "traceorder": "normal",
        },
    )
    fig.update_xaxes(dtick=1 if df["n"].groupby(df["flag_type"]).sum().max() <= 10 else None)
    return fig
