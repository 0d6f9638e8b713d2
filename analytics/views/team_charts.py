"""Plotly figures of the Team health page (pure plotly; labels arrive translated)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import (
    NEUTRAL,
    OKABE_ITO,
    STANCE_COLORS,
    VERDICT_COLORS,
    interval,
    reference_line,
    style,
)

TEAM_COLOR = OKABE_ITO[0]  # the team itself: blue, never an alarm colour
# legends top right, clear of the axis titles (the chart title sits top left)
LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1}
VERDICT_SYMBOLS = {"concern": "x", "watch": "triangle-up", "good": "circle"}


def peer_boxes(
    df: pd.DataFrame,
    title: str,
    x_title: str,
    y_title: str,
    team_name: str,
    peers_name: str,
    hover_value: str,
) -> go.Figure:
    """The team's value (diamond) on each measure against the comparison teams'
    distribution (box: quartiles and median; whiskers: lowest and highest team).

    ``df``: label, value, p_min, q1, median, q3, p_max (one row per measure, top first)."""
    labels = list(df["label"])[::-1]  # plotly draws the first category at the bottom
    d = df.iloc[::-1]
    fig = go.Figure()
    fig.add_trace(
        go.Box(
            y=labels,
            q1=d["q1"],
            median=d["median"],
            q3=d["q3"],
            lowerfence=d["p_min"],
            upperfence=d["p_max"],
            orientation="h",
            name=peers_name,
            fillcolor="#DDDDDD",
            line={"color": NEUTRAL},
            hoverinfo="x+y",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=d["value"],
            y=labels,
            mode="markers",
            name=team_name,
            marker={
                "symbol": "diamond",
                "size": 13,
                "color": TEAM_COLOR,
                "line": {"color": "#000000", "width": 1},
            },
            hovertemplate="%{y}<br>" + hover_value + " %{x:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(range=[-2, 102])
    fig.update_layout(legend=LEGEND_TOP)
    return style(fig, title, x=x_title, y=y_title, height=90 + 52 * max(len(df), 1))


def trend_chart(
    df: pd.DataFrame,
    title: str,
    x_title: str,
    y_title: str,
    verdict_names: dict[str, str],
    ref_name: str,
    line_name: str,
    current: str | None = None,
    current_name: str = "",
) -> go.Figure:
    """The team composite across periods with its 90% interval (error bars); each point's
    marker shows that period's verdict by colour and by shape (colour-blind safe); the
    dashed line is the peer-group mean (composites are T-scores, mean 50); a ring marks
    the ``current`` period (an x value).

    ``df``: x (period label), composite, ci_low, ci_high, verdict."""
    fig = go.Figure()
    here = df[df["x"] == current]
    if len(here):
        fig.add_trace(
            go.Scatter(
                x=here["x"],
                y=here["composite"],
                mode="markers",
                name=current_name,
                marker={
                    "symbol": "circle-open",
                    "size": 26,
                    "color": "#000000",
                    "line": {"width": 2},
                },
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=df["x"],
            y=df["composite"],
            mode="lines",
            name=line_name,
            line={"color": NEUTRAL, "width": 2},
            hoverinfo="skip",
        )
    )
    for verdict in ("concern", "watch", "good"):
        d = df[df["verdict"] == verdict]
        if d.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=d["x"],
                y=d["composite"],
                mode="markers",
                name=verdict_names[verdict],
                marker={
                    "color": VERDICT_COLORS[verdict],
                    "size": 12,
                    "symbol": VERDICT_SYMBOLS[verdict],
                    "line": {"color": "#000000", "width": 1},
                },
                error_y=interval(d["composite"], d["ci_low"], d["ci_high"], "#555555"),
                hovertemplate="%{x}: %{y:.1f}<extra></extra>",
            )
        )
    reference_line(fig, ref_name, y=50, where="top left")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(df["x"]))
    fig.update_layout(legend=LEGEND_TOP)
    return style(fig, title, x=x_title, y=y_title, height=340)


def talk_topics_chart(
    df: pd.DataFrame, title: str, x_title: str, y_title: str, stance_names: dict[str, str]
) -> go.Figure:
    """Mentions of the team and its members by topic (rows) and stance (stacked bars).

    ``df``: label, negative, neutral, positive (one row per topic, most negative first)."""
    d = df.iloc[::-1]
    fig = go.Figure()
    for stance in ("negative", "neutral", "positive"):
        fig.add_trace(
            go.Bar(
                y=d["label"],
                x=d[stance],
                orientation="h",
                name=stance_names[stance],
                marker={"color": STANCE_COLORS[stance]},
                hovertemplate="%{y}: %{x}<extra>" + stance_names[stance] + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend=LEGEND_TOP)
    return style(fig, title, x=x_title, y=y_title, height=120 + 34 * max(len(df), 1))


def members_chart(
    df: pd.DataFrame, title: str, x_title: str, y_title: str, ref_name: str, name: str
) -> go.Figure:
    """Each member's composite with its 90% interval, top to bottom in the table's order;
    the dashed line is the peer-group mean (50).

    ``df``: label (name · role), composite, ci_low, ci_high."""
    d = df.dropna(subset=["composite"]).iloc[::-1]
    fig = go.Figure(
        go.Scatter(
            x=d["composite"],
            y=d["label"],
            mode="markers",
            name=name,
            marker={"color": TEAM_COLOR, "size": 11},
            error_x=interval(d["composite"], d["ci_low"], d["ci_high"], "#555555"),
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    reference_line(fig, ref_name, x=50)
    fig.update_layout(showlegend=False)
    return style(fig, title, x=x_title, y=y_title, height=110 + 34 * max(len(d), 1))
