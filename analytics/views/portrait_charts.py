"""Plotly figures of the portrait page (pure plotly: frames and translated labels in).

Every builder takes a small frame whose label columns are already in the user's language,
plus the title and axis titles, and returns a styled figure (:func:`analytics.charts.style`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import (
    NEUTRAL,
    OKABE_ITO,
    SEVERITY_COLORS,
    STANCE_COLORS,
    TOP_LEGEND,
    interval,
    reference_line,
    style,
)

ME = OKABE_ITO[0]  # blue: this cadre
PEER = NEUTRAL  # grey: the reference (peers, usual)
ALERT = SEVERITY_COLORS["critical"]  # vermillion: what stands out
LOW = OKABE_ITO[5]
HIGH = OKABE_ITO[2]


def radar(
    dims: pd.DataFrame, title: str, me: str, peer: str, axis: str, scale: tuple[float, float]
) -> go.Figure:
    """The cadre's mean mark per dimension (``label``, ``mean``) against the peer median
    (``peer_median``), on the sheet's scale."""
    theta = [*dims["label"], dims["label"].iloc[0]]  # close the polygon
    fig = go.Figure()
    fig.add_trace(
        go.Scatterpolar(
            r=[*dims["peer_median"], dims["peer_median"].iloc[0]],
            theta=theta,
            name=peer,
            line={"color": PEER, "dash": "dash"},
            hovertemplate="%{theta}: %{r:.2f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatterpolar(
            r=[*dims["mean"], dims["mean"].iloc[0]],
            theta=theta,
            name=me,
            fill="toself",
            fillcolor="rgba(0,114,178,0.15)",
            line={"color": ME},
            hovertemplate="%{theta}: %{r:.2f}<extra></extra>",
        )
    )
    style(fig, title, height=440)
    # a polar chart has no x/y axes: the radial axis is named below the chart
    fig.update_layout(
        polar={
            "radialaxis": {
                "range": list(scale),
                "dtick": 0.5,
                "angle": 60,
                "tickangle": 60,
                "tickfont": {"size": 12},
            },
            "angularaxis": {"rotation": 90, "direction": "clockwise"},
            # room for the dimension names on either side
            "domain": {"x": [0.22, 0.78]},
        },
        legend={"orientation": "h", "y": -0.12, "x": 0},
        margin={"b": 60, "l": 90, "r": 90},
    )
    fig.add_annotation(
        text=axis,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=1,
        y=-0.12,
        xanchor="right",
        font={"color": NEUTRAL},
    )
    return fig


def channels(df: pd.DataFrame, title: str, x: str, y: str) -> go.Figure:
    """z-scores of the present channels (``label``, ``z``, ``value``); the missing ones are
    listed on the axis with an empty bar."""
    shown = df.iloc[::-1]
    colors = [PEER if pd.isna(z) else (HIGH if z >= 0 else LOW) for z in shown["z"]]
    fig = go.Figure(
        go.Bar(
            x=shown["z"].fillna(0),
            y=shown["label"],
            orientation="h",
            marker_color=colors,
            customdata=shown[["value"]].to_numpy(),
            text=[("—" if pd.isna(z) else f"{z:+.2f}") for z in shown["z"]],
            textposition="outside",
            hovertemplate="%{y}: z %{x:+.2f}, %{customdata[0]:.1f}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line_color=NEUTRAL, line_width=1)
    lim = max(2.0, float(shown["z"].abs().max(skipna=True) or 0) + 0.6)
    style(fig, title, x=x, y=y, height=260)
    fig.update_xaxes(range=[-lim, lim], zeroline=False)
    return fig


def self_vs_others(
    df: pd.DataFrame,
    title: str,
    x: str,
    y: str,
    self_name: str,
    others_name: str,
    scale: tuple[float, float],
) -> go.Figure:
    """Self-assessment (``self``) against the others' mean (``others``) per dimension
    (``label``): a dumbbell, the largest gap (``largest_gap``) drawn in vermillion."""
    shown = df.iloc[::-1]
    fig = go.Figure()
    for _, r in shown.iterrows():
        fig.add_trace(
            go.Scatter(
                x=[r["others"], r["self"]],
                y=[r["label"], r["label"]],
                mode="lines",
                line={
                    "color": ALERT if r["largest_gap"] else PEER,
                    "width": 4 if r["largest_gap"] else 2,
                },
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=shown["others"],
            y=shown["label"],
            mode="markers",
            name=others_name,
            marker={"color": ME, "size": 11},
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=shown["self"],
            y=shown["label"],
            mode="markers+text",
            name=self_name,
            marker={
                "color": [ALERT if g else OKABE_ITO[1] for g in shown["largest_gap"]],
                "size": 11,
                "symbol": "diamond",
            },
            text=[f"{g:+.2f}" for g in shown["gap"]],
            textposition="middle right",
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    style(fig, title, x=x, y=y, height=320)
    fig.update_xaxes(range=[scale[0] - 0.1, scale[1] + 0.6])
    fig.update_layout(legend=TOP_LEGEND)
    return fig


def rater_groups(
    df: pd.DataFrame, title: str, x: str, y: str, me: str, usual: str, scale: tuple[float, float]
) -> go.Figure:
    """Visible rater groups only (``label``, ``mean``, ``se``, ``usual``): the mean for this
    cadre with ±2 SE, and the group's usual mean for peers as a grey marker."""
    shown = df.iloc[::-1]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=shown["mean"],
            y=shown["label"],
            orientation="h",
            name=me,
            marker_color=ME,
            error_x={"type": "data", "array": (2 * shown["se"]).fillna(0), "color": "#333"},
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=shown["usual"],
            y=shown["label"],
            mode="markers",
            name=usual,
            marker={
                "color": PEER,
                "symbol": "line-ns",
                "size": 22,
                "line": {"width": 3, "color": "#555"},
            },
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    style(fig, title, x=x, y=y, height=140 + 40 * max(len(shown), 1))
    fig.update_xaxes(range=[scale[0], scale[1] + 0.05])
    fig.update_layout(legend=TOP_LEGEND, barmode="overlay")
    return fig


def trend(df: pd.DataFrame, title: str, x: str, y: str, composite: str, peer: str) -> go.Figure:
    """Composite per period (``label``, ``composite``, ``ci_low``, ``ci_high``, ``rank_text``)
    with its interval as error bars, and the peer median as a dashed line."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=df["label"],
            y=df["peer_median"],
            mode="lines",
            name=peer,
            line={"color": PEER, "dash": "dash"},
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=df["label"],
            y=df["composite"],
            mode="lines+markers",
            name=composite,
            line={"color": ME, "width": 3},
            marker={"size": 9},
            error_y=interval(df["composite"], df["ci_low"], df["ci_high"], ME),
            customdata=df[["ci_low", "ci_high", "rank_text"]].to_numpy(),
            hovertemplate="%{x}: %{y:.1f} [%{customdata[0]:.1f}–%{customdata[1]:.1f}] "
            "%{customdata[2]}<extra></extra>",
        )
    )
    style(fig, title, x=x, y=y, height=330)
    fig.update_xaxes(type="category")
    fig.update_layout(legend=TOP_LEGEND)
    return fig


def portfolio(
    df: pd.DataFrame, unit_pct: float | None, title: str, x: str, y: str, unit_label: str
) -> go.Figure:
    """Attainment per portfolio indicator (``indicator``, ``pct``) with the unit total as a
    vertical line."""
    shown = df.iloc[::-1]
    colors = [LOW if unit_pct is not None and p < unit_pct else ME for p in shown["pct"]]
    fig = go.Figure(
        go.Bar(
            x=shown["pct"],
            y=shown["indicator"],
            orientation="h",
            marker_color=colors,
            text=[f"{p:.1f}" for p in shown["pct"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
        )
    )
    if unit_pct is not None:
        reference_line(fig, unit_label, x=unit_pct)
    style(fig, title, x=x, y=y, height=140 + 36 * max(len(shown), 1))
    fig.update_xaxes(range=[0, 110])
    return fig


def talks(df: pd.DataFrame, stances: dict[str, str], title: str, x: str, y: str) -> go.Figure:
    """Mentions per topic (``topic_label``) stacked by stance (``stance`` code, ``n``);
    ``stances`` maps the stance codes to their labels, in display order."""
    fig = go.Figure()
    topics = list(dict.fromkeys(df["topic_label"]))[::-1]
    for code, label in stances.items():
        part = df[df["stance"] == code].set_index("topic_label")["n"]
        fig.add_trace(
            go.Bar(
                x=[int(part.get(t, 0)) for t in topics],
                y=topics,
                orientation="h",
                name=label,
                marker_color=STANCE_COLORS[code],
                hovertemplate="%{y}: %{x}<extra>" + label + "</extra>",
            )
        )
    style(fig, title, x=x, y=y, height=120 + 36 * max(len(topics), 1))
    fig.update_layout(barmode="stack", legend={**TOP_LEGEND, "traceorder": "normal"})
    fig.update_xaxes(dtick=1 if df["n"].groupby(df["topic_label"]).sum().max() <= 10 else None)
    return fig
