"""Plotly figures of the Anomalies and bias page (pure plotly: frames and already-translated
labels in, ``go.Figure`` out).

``evidence_figure`` draws the comparison chart of one flag from a spec built by
:func:`analytics.views.anomalies_evidence.evidence`; the others draw the unit × rater-group severity
map, the distribution of session reliability and the rater groups' severities.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import i18n
from analytics.charts import NEUTRAL, OKABE_ITO, SEVERITY_COLORS, interval, style
from analytics.schema import KNOWN_RATER_GROUPS

FLAGGED = "#D55E00"  # the flagged group / sheet / term
OTHER = NEUTRAL
MARK_COLORS = ["#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#009E73", "#CC79A7", "#000000"]
RESULT_COLORS = {"refuted": "#D55E00", "partial": "#E69F00", "confirmed": "#009E73"}


def _bold(labels: pd.Series, flagged: pd.Series) -> list[str]:
    return [f"<b>{x}</b>" if f else str(x) for x, f in zip(labels, flagged, strict=True)]


# ---- evidence charts ----------------------------------------------------------------------
def _sheet(s: dict) -> go.Figure:
    d = s["data"]
    x = [list(d["subject"]), list(d["item"])]
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=d["session_mean"],
                name=s["mean"],
                marker_color=OTHER,
                opacity=0.6,
                hovertemplate="%{x}<br>%{y:.2f}<extra></extra>",
            ),
            go.Scatter(
                x=x,
                y=d["sheet_mark"],
                name=s["mark"],
                mode="markers",
                marker={"color": FLAGGED, "size": 9, "symbol": "diamond"},
                hovertemplate="%{x}<br>%{y}<extra></extra>",
            ),
        ]
    )
    lo, hi = s["range"]
    fig.update_yaxes(range=[lo - 0.5, hi + 0.5], dtick=1)
    fig.update_xaxes(tickangle=-60)
    return style(fig, s["title"], x=s["x"], y=s["y"], height=460)


def _group_bars(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure()
    for flagged, name, color in ((True, s["flagged"], FLAGGED), (False, s["others"], OTHER)):
        part = d[d["flagged"] == flagged]
        if len(part):
            fig.add_bar(
                x=part["group"],
                y=part["value"],
                name=name,
                marker_color=color,
                texttemplate="%{y:.0%}" if s.get("percent") else "%{y:.2f}",
                textposition="outside",
            )
    if s.get("percent"):
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return style(fig, s["title"], x=s["x"], y=s["y"])


def _mark_distribution(s: dict) -> go.Figure:
    d = s["data"].copy()
    d["label"] = _bold(d["group"], d["flagged"])
    fig = go.Figure()
    marks = sorted(d["mark"].unique())
    for i, m in enumerate(marks):
        part = d[d["mark"] == m]
        fig.add_bar(
            y=part["label"],
            x=part["share"],
            orientation="h",
            name=part["mark_label"].iloc[0],
            marker_color=MARK_COLORS[i % 7],
            hovertemplate="%{y}: %{x:.0%}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return style(fig, s["title"], x=s["y"], y=s["x"])


def _subject_groups(s: dict) -> go.Figure:
    d = s["data"]
    labels = _bold(d["group"], d["flagged"])
    fig = go.Figure(
        [
            go.Bar(
                x=labels,
                y=d["on_subject"],
                name=s["on"],
                marker_color=FLAGGED,
                texttemplate="%{y:.2f}",
                textposition="outside",
            ),
            go.Bar(
                x=labels,
                y=d["elsewhere"],
                name=s["else"],
                marker_color=OTHER,
                texttemplate="%{y:.2f}",
                textposition="outside",
            ),
        ]
    )
    fig.update_layout(barmode="group")
    return style(fig, s["title"], x=s["x"], y=s["y"])


def _coefficients(s: dict) -> go.Figure:
    d = s["data"]
    colors = [FLAGGED if t else OKABE_ITO[0] for t in d["tested"]]
    fig = go.Figure(
        go.Scatter(
            x=d["coef_sd"],
            y=d["label"],
            mode="markers",
            marker={"color": colors, "size": 10},
            error_x=interval(d["coef_sd"], d["lo"], d["hi"]),
            customdata=np.column_stack([d["lo"], d["hi"]]),
            hovertemplate="%{y}: %{x:.2f} [%{customdata[0]:.2f}, %{customdata[1]:.2f}]"
            "<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(x=0, line_dash="dot", line_color=NEUTRAL)
    return style(fig, s["title"], x=s["x"], y=s["y"], height=140 + 50 * len(d))


def _level_means(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure()
    for i, (lv, part) in enumerate(d.groupby("level_label", sort=False)):
        fig.add_bar(
            x=part["period"],
            y=part["mean"],
            name=str(lv),
            marker_color=OKABE_ITO[i % len(OKABE_ITO)],
            customdata=part["n"],
            hovertemplate="%{x}: %{y:.1f} (n=%{customdata:,})<extra></extra>",
        )
    fig.update_layout(barmode="group")
    return style(fig, s["title"], x=s["x"], y=s["y"], legend=s["legend"])


def _channels(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure(
        [
            go.Bar(
                x=d["channel"],
                y=d["subject"],
                name=s["subject"],
                marker_color=FLAGGED,
                texttemplate="%{y:.1f}",
                textposition="outside",
            ),
            go.Bar(
                x=d["channel"],
                y=d["peers"],
                name=s["peers"],
                marker_color=OTHER,
                text=["" if pd.isna(v) else f"{v:.1f}" for v in d["peers"]],
                textposition="outside",
            ),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 110])
    return style(fig, s["title"], x=s["x"], y=s["y"])


def _self_items(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure(
        [
            go.Bar(x=d["item"], y=d["self"], name=s["self"], marker_color=FLAGGED),
            go.Bar(x=d["item"], y=d["expected"], name=s["expected"], marker_color=OKABE_ITO[1]),
            go.Bar(x=d["item"], y=d["others"], name=s["others"], marker_color=OTHER),
        ]
    )
    fig.update_layout(barmode="group")
    return style(fig, s["title"], x=s["x"], y=s["y"])


def _satisfaction(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure(
        [
            go.Scatter(
                x=d["period"],
                y=d["own"],
                name=s["own"],
                mode="lines+markers",
                line_color=OKABE_ITO[0],
            ),
            go.Scatter(
                x=d["period"],
                y=d["third"],
                name=s["third"],
                mode="lines+markers",
                line_color=OKABE_ITO[2],
            ),
            go.Scatter(
                x=d["period"],
                y=d["expected"],
                name=s["expected"],
                mode="markers",
                marker={"color": FLAGGED, "size": 13, "symbol": "x"},
            ),
        ]
    )
    return style(fig, s["title"], x=s["x"], y=s["y"])


def _survey_times(s: dict) -> go.Figure:
    """Cumulative responses over time per source: a burst of identical answers is a jump."""
    d = s["data"]
    fig = go.Figure()
    for i, (source, part) in enumerate(d.groupby("source_label", sort=False)):
        part = part.sort_values("t")
        fig.add_scatter(
            x=part["t"],
            y=list(range(1, len(part) + 1)),
            name=str(source),
            mode="lines",
            line={"shape": "hv", "color": OKABE_ITO[i % 4]},
        )
        burst = part.assign(n=range(1, len(part) + 1))[part["burst"]]
        if len(burst):
            fig.add_scatter(
                x=burst["t"],
                y=burst["n"],
                mode="markers",
                name=s["burst"],
                marker={"color": FLAGGED, "size": 7},
            )
    fig.update_xaxes(tickformat="%m-%d %H:%M")  # language-neutral dates
    return style(fig, s["title"], x=s["x"], y=s["y"])


def _claims(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure()
    for code in ("confirmed", "partial", "refuted"):
        part = d[d["result_code"] == code]
        if len(part):
            fig.add_bar(
                x=part["period"],
                y=part["n"],
                name=part["result"].iloc[0],
                marker_color=RESULT_COLORS[code],
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(categoryorder="array", categoryarray=list(dict.fromkeys(d["period"])))
    fig.update_yaxes(dtick=1)
    return style(fig, s["title"], x=s["x"], y=s["y"], legend=s["legend"])


def _stances(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure(
        [
            go.Bar(
                x=d["stance"],
                y=d["observed"],
                name=s["observed"],
                marker_color=FLAGGED,
                customdata=d["count"],
                texttemplate="%{y:.0%}",
                textposition="outside",
                hovertemplate="%{x}: %{y:.0%} (%{customdata})<extra></extra>",
            ),
            go.Bar(
                x=d["stance"],
                y=d["expected"],
                name=s["expected"],
                marker_color=OTHER,
                texttemplate="%{y:.0%}",
                textposition="outside",
            ),
        ]
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.15])
    return style(fig, s["title"], x=s["x"], y=s["y"])


def _durations(s: dict) -> go.Figure:
    d = s["data"]
    fig = go.Figure()
    for i, (tier, part) in enumerate(d.groupby("tier", sort=False)):
        fig.add_histogram(
            x=part["duration_min"],
            name=str(tier),
            xbins={"size": 5},
            marker_color=OKABE_ITO[i % len(OKABE_ITO)],
        )
    fig.update_layout(barmode="stack")
    fig.add_vline(x=s["min_minutes"], line_dash="dash", line_color=FLAGGED)
    return style(fig, s["title"], x=s["x"], y=s["y"], legend=s["legend"])


_KINDS: dict[str, Callable[[dict], go.Figure]] = {
    "sheet": _sheet,
    "group_bars": _group_bars,
    "mark_distribution": _mark_distribution,
    "subject_groups": _subject_groups,
    "coefficients": _coefficients,
    "level_means": _level_means,
    "channels": _channels,
    "self_items": _self_items,
    "satisfaction": _satisfaction,
    "survey_times": _survey_times,
    "claims": _claims,
    "stances": _stances,
    "durations": _durations,
}


def evidence_figure(spec: dict) -> go.Figure:
    """The comparison chart of one flag (a spec from ``views.anomalies_evidence.evidence``)."""
    return _KINDS[spec["kind"]](spec)


# ---- the page's overview charts ----------------------------------------------------------
def severity_heatmap(cells: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Units × rater groups, coloured by the worst severity (fixed colours), the count of
    flags written in each cell.  ``labels``: title, x, y, count, and severity.<s>."""
    order = [g for g in KNOWN_RATER_GROUPS if g in set(cells["rater_group"])]
    order += sorted(set(cells["rater_group"]) - set(order))
    group_names = dict(zip(cells["rater_group"], cells["group_label"], strict=False))
    units = list(dict.fromkeys(cells.sort_values("unit_id")["unit_name"]))
    z = cells.pivot_table(
        index="unit_name", columns="rater_group", values="worst", aggfunc="max"
    ).reindex(index=units, columns=order)
    n = cells.pivot_table(
        index="unit_name", columns="rater_group", values="n_flags", aggfunc="sum"
    ).reindex(index=units, columns=order)
    sev_name = {
        1: labels["severity.info"],
        2: labels["severity.warning"],
        3: labels["severity.critical"],
    }
    text = [["" if pd.isna(v) else str(int(v)) for v in row] for row in n.to_numpy()]
    hover = [
        [
            (
                ""
                if pd.isna(w)
                else f"{u} · {group_names[g]}<br>{sev_name[int(w)]} · {labels['count']}: {int(c)}"
            )
            for w, c, g in zip(zr, nr, order, strict=True)
        ]
        for u, zr, nr in zip(units, z.to_numpy(), n.to_numpy(), strict=True)
    ]
    c_info, c_warn, c_crit = (SEVERITY_COLORS[s] for s in ("info", "warning", "critical"))
    scale = [
        [0.0, c_info],
        [1 / 3, c_info],
        [1 / 3, c_warn],
        [2 / 3, c_warn],
        [2 / 3, c_crit],
        [1.0, c_crit],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype=float),
            x=[group_names[g] for g in order],
            y=units,
            zmin=0.5,
            zmax=3.5,
            colorscale=scale,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 12},  # never auto-shrunk below 12 px in small cells
            hoverongaps=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={
                "tickvals": [1, 2, 3],
                "ticktext": [sev_name[1], sev_name[2], sev_name[3]],
                "title": {"text": labels["colorbar"]},
            },
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(side="top", type="category")
    height = max(260, 90 + 24 * len(units))
    fig = style(fig, labels["title"], x=labels["x"], y=labels["y"], height=height)
    fig.update_layout(margin={"t": 110})
    return fig


# bands of the reliability coefficients: (upper bound, band code)
ALPHA_BANDS = ((0.667, "unreliable"), (0.8, "tentative"), (1.0, "reliable"))
ICC_BANDS = ((0.5, "poor"), (0.75, "moderate"), (0.9, "good"), (1.0, "excellent"))
BAND_COLORS = {
    "unreliable": "#D55E00",
    "poor": "#D55E00",
    "tentative": "#E69F00",
    "moderate": "#E69F00",
    "good": "#56B4E9",
    "reliable": "#009E73",
    "excellent": "#009E73",
}


def reliability_distribution(long: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Each coefficient's distribution over the sessions (box with every session as a
    point) over shaded bands.  ``labels``: title, x, y, the three coefficient names under
    alpha/icc_single/icc_average and band.<code>."""
    codes = ["alpha", "icc_single", "icc_average"]
    fig = go.Figure()
    for code in codes:
        part = long[long["code"] == code]
        fig.add_box(
            x=part["value"],
            y=[labels[code]] * len(part),
            orientation="h",
            boxpoints="all",
            jitter=0.5,
            pointpos=0,
            name=labels[code],
            marker={"color": OKABE_ITO[0], "size": 5, "opacity": 0.6},
            line={"color": "#000000"},
            fillcolor="rgba(0,0,0,0)",
            customdata=part["unit_name"],
            showlegend=False,
            hovertemplate="%{customdata}: %{x:.3f}<extra></extra>",
        )
    lo = min(0.0, math.floor(float(long["value"].min()) * 10) / 10) if len(long) else 0.0
    shapes, notes = [], []
    for row, code in enumerate(codes):
        bands = ALPHA_BANDS if code == "alpha" else ICC_BANDS
        start = lo
        for upper, band in bands:
            shapes.append(
                {
                    "type": "rect",
                    "x0": start,
                    "x1": upper,
                    "y0": row - 0.45,
                    "y1": row + 0.45,
                    "xref": "x",
                    "yref": "y",
                    "opacity": 0.12,
                    "fillcolor": BAND_COLORS[band],
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
            notes.append(
                {
                    "x": (max(start, 0) + upper) / 2,
                    "y": row + 0.42,
                    "xref": "x",
                    "yref": "y",
                    "text": labels[f"band.{band}"],
                    "showarrow": False,
                    "font": {"size": 12, "color": BAND_COLORS[band]},
                }
            )
            start = upper
    fig.update_layout(shapes=shapes, annotations=notes)
    fig.update_xaxes(range=[lo, 1.0])
    fig.update_yaxes(
        categoryorder="array", categoryarray=[labels[c] for c in codes], autorange="reversed"
    )
    return style(fig, labels["title"], x=labels["x"], y=labels["y"], height=380)


def rater_group_severity(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Dot-and-whisker of every rater group's severity (±95%) per period, one colour per
    period; groups sorted by their mean severity.  ``labels``: title, x, y, legend."""
    shown = df[~df["suppressed"]]
    order = shown.groupby("group_label")["severity"].mean().sort_values().index.tolist()
    fig = go.Figure()
    for i, (period, part) in enumerate(shown.groupby("period", sort=False)):
        fig.add_scatter(
            x=part["severity"],
            y=part["group_label"],
            mode="markers",
            name=str(period),
            marker={"color": OKABE_ITO[i % len(OKABE_ITO)], "size": 8},
            error_x=interval(part["severity"], part["lo"], part["hi"]),
            customdata=part[["severity_se", "infit", "outfit"]].to_numpy(),
            hovertemplate=(
                "%{y}: %{x:.3f} ± %{customdata[0]:.3f}<br>infit %{customdata[1]:.2f}"
                " · outfit %{customdata[2]:.2f}<extra>" + str(period) + "</extra>"
            ),
        )
    fig.add_vline(x=0, line_dash="dot", line_color=NEUTRAL)
    fig.update_layout(scattermode="group", scattergap=0.5)
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    return style(
        fig,
        labels["title"],
        x=labels["x"],
        y=labels["y"],
        legend=labels["legend"],
        height=120 + 45 * max(len(order), 1),
    )


# the translation keys of each chart's texts (label name -> key), for ``chart_labels``
_LABEL_KEYS: dict[str, dict[str, str]] = {
    "map": {
        "title": "anomalies.map.title",
        "x": "anomalies.map.x",
        "y": "anomalies.map.y",
        "count": "anomalies.map.count",
        "colorbar": "col.severity",
        **{f"severity.{s}": f"severity.{s}" for s in SEVERITY_COLORS},
    },
    "reliability": {
        "title": "anomalies.rel.chart",
        "x": "anomalies.rel.x",
        "y": "anomalies.rel.y",
        "alpha": "anomalies.rel.alpha",
        "icc_single": "anomalies.rel.icc1",
        "icc_average": "anomalies.rel.icck",
        **{f"band.{b}": f"anomalies.band.{b}" for b in BAND_COLORS},
    },
    "groups": {
        "title": "anomalies.rg.chart",
        "x": "anomalies.rg.x",
        "y": "anomalies.rg.y",
        "legend": "anomalies.rg.legend",
    },
}


def chart_labels(chart: str, lang: str) -> dict[str, str]:
    """The texts of the ``map``, ``reliability`` or ``groups`` chart in ``lang``."""
    return {name: i18n.t(key, lang) for name, key in _LABEL_KEYS[chart].items()}
