"""Figures of the Talks page (pure plotly): they take the read model's frames and labels
already translated into the user's language, and return styled figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import NEUTRAL, OKABE_ITO, STANCE_COLORS, style

# coverage: full coverage light, gaps warm (colour-blind safe: one hue, light → dark)
_COVERAGE_SCALE = [[0.0, "#D55E00"], [0.6, "#E69F00"], [1.0, "#F2F2F2"]]


def coverage_heatmap(
    by_area_tier: pd.DataFrame,
    tier_labels: dict[str, str],
    title: str,
    x_title: str,
    y_title: str,
    colorbar: str,
) -> go.Figure:
    """Area × tier coverage: colour = share covered, text = share and covered / required.
    The colour scale starts at the lowest share shown (at most 80 %) so that a gap of one
    person stands out next to full coverage."""
    areas = list(dict.fromkeys(by_area_tier["area_name"]))
    tiers = list(dict.fromkeys(by_area_tier["tier"]))
    cell = by_area_tier.set_index(["area_name", "tier"])
    z, text = [], []
    for a in areas:
        zr, tr = [], []
        for t in tiers:
            if (a, t) in cell.index:
                r = cell.loc[(a, t)]
                zr.append(float(r["share"]))
                tr.append(f"{r['share']:.1%}<br>{int(r['covered'])}/{int(r['required'])}")
            else:
                zr.append(None)
                tr.append("")
        z.append(zr)
        text.append(tr)
    low = min([v for row in z for v in row if v is not None] + [0.8])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[tier_labels.get(t, t) for t in tiers],
            y=areas,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 13},
            zmin=low,
            zmax=1.0,
            colorscale=_COVERAGE_SCALE,
            colorbar={"title": {"text": colorbar}, "tickformat": ".0%"},
            hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return style(fig, title, x=x_title, y=y_title, height=max(260, 60 + 46 * len(areas)))


def duration_boxes(
    by_tier: pd.DataFrame,
    tier_labels: dict[str, str],
    min_minutes: float,
    title: str,
    x_title: str,
    y_title: str,
    threshold_label: str,
) -> go.Figure:
    """Talk durations per interviewee tier as boxes (quartiles; whiskers = shortest and
    longest talk), with the minimum duration as a dashed line."""
    fig = go.Figure()
    for i, r in enumerate(by_tier.itertuples(index=False)):
        label = tier_labels.get(r.tier, r.tier)
        fig.add_trace(
            go.Box(
                x=[label],
                q1=[r.q1],
                median=[r.median],
                q3=[r.q3],
                lowerfence=[r.min],
                upperfence=[r.max],
                mean=[r.mean],
                name=label,
                boxmean=True,
                marker_color=OKABE_ITO[i % len(OKABE_ITO)],
                showlegend=False,
            )
        )
    fig.add_hline(
        y=min_minutes,
        line_dash="dash",
        line_color=STANCE_COLORS["negative"],
    )
    # the label sits above the plot area (paper coordinates), clear of every box and whisker
    fig.add_annotation(
        text="– – " + threshold_label,
        x=1,
        xref="paper",
        xanchor="right",
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        font={"color": STANCE_COLORS["negative"]},
    )
    return style(fig, title, x=x_title, y=y_title, height=360)


def stance_bars(
    frame: pd.DataFrame,
    label_col: str,
    stance_labels: dict[str, str],
    title: str,
    x_title: str,
    y_title: str,
    share: bool = False,
) -> go.Figure:
    """Horizontal stacked bars of mentions by stance, one bar per row of ``frame`` (columns
    positive / neutral / negative); ``share`` shows each bar as percentages."""
    rows = frame.iloc[::-1]  # plotly draws the first category at the bottom
    totals = rows[list(stance_labels)].sum(axis=1).where(lambda s: s > 0)
    fig = go.Figure()
    for stance, label in stance_labels.items():
        values = rows[stance] / totals if share else rows[stance]
        fig.add_trace(
            go.Bar(
                y=rows[label_col],
                x=values,
                name=label,
                orientation="h",
                marker_color=STANCE_COLORS.get(stance, NEUTRAL),
                customdata=rows[stance],
                hovertemplate="%{y}<br>"
                + label
                + ": %{customdata}"
                + (" (%{x:.1%})" if share else "")
                + "<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        legend={
            "orientation": "h",
            "x": 1,
            "xanchor": "right",
            "y": 1,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
    )
    if share:
        # a hair past 1 so that the "100%" tick label is drawn (room for it on the right)
        fig.update_xaxes(tickformat=".0%", range=[0, 1.005], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1])
    fig = style(fig, title, x=x_title, y=y_title, height=max(260, 110 + 24 * len(frame)))
    if share:
        fig.update_layout(margin={"r": 24})
    return fig


def topic_stance_bars(
    topics: pd.DataFrame,
    topic_labels: dict[str, str],
    stance_labels: dict[str, str],
    title: str,
    x_title: str,
    y_title: str,
) -> go.Figure:
    """Mentions per topic (x), stacked by stance."""
    order = list(dict.fromkeys(topics["topic"]))
    fig = go.Figure()
    for stance, label in stance_labels.items():
        sel = topics[topics["stance"] == stance].set_index("topic")["mentions"]
        fig.add_trace(
            go.Bar(
                x=[topic_labels.get(t, t) for t in order],
                y=[int(sel.get(t, 0)) for t in order],
                name=label,
                marker_color=STANCE_COLORS.get(stance, NEUTRAL),
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    return style(fig, title, x=x_title, y=y_title, height=340)
