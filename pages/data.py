"""Data (数据): what is loaded per period and channel, gaps, and the import history."""

from __future__ import annotations

import streamlit as st

from analytics import st_adapter as ui
from analytics import status


def render() -> None:
    st.title(ui.t("data.title"))
    st.caption(ui.t("data.caption"))
    counts = ui.query(status.overview_counts)
    cols = st.columns(len(counts))
    for col, (key, value) in zip(cols, counts.items(), strict=True):
        col.metric(ui.t(f"data.metric.{key}"), f"{value:,}")

    st.subheader(ui.t("data.coverage.title"))
    cov = ui.query(status.channel_coverage)
    if not cov.empty:
        cov = cov.assign(channel=[ui.t(f"channel.{c}") for c in cov["channel"]])
        cov["cell"] = [f"{u}/{n}" for u, n in zip(cov["units_covered"], cov["units_total"],
                                                 strict=True)]
        wide = cov.pivot(index="channel", columns="label", values="cell")
        wide = wide[list(dict.fromkeys(cov["label"]))]
        wide.index.name = ui.t("col.channel")
        st.dataframe(wide, width="stretch", key="data_coverage")

    period_options = ui.query(status.periods)
    if period_options:
        st.subheader(ui.t("data.gaps.title"))
        labels = dict(period_options)
        pid = st.selectbox(ui.t("data.gaps.period"), list(labels), index=len(labels) - 1,
                           format_func=labels.get, key="data_gap_period")
        gaps = ui.query(status.missing_channels, pid)
        if gaps.empty:
            st.success(ui.t("data.gaps.none"))
        else:
            shown = gaps.assign(missing=[", ".join(ui.t(f"channel.{c}") for c in m)
                                         for m in gaps["missing"]])
            st.dataframe(
                shown[["unit_id", "unit_name", "area_name", "missing"]], hide_index=True,
                width="stretch", key="data_gaps",
                column_config={"unit_id": "ID", "unit_name": ui.t("col.unit"),
                               "area_name": ui.t("col.area"),
                               "missing": ui.t("col.missing")})

    st.subheader(ui.t("data.history.title"))
    hist = ui.query(status.import_history)
    if hist.empty:
        st.info(ui.t("data.history.empty"))
    else:
        hist = hist.assign(kind=[ui.t(f"kind.{k}") for k in hist["kind"]])
        st.dataframe(
            hist, hide_index=True, width="stretch", key="data_history",
            column_config={
                "import_id": "#",
                "loaded_at": st.column_config.DatetimeColumn(ui.t("col.loaded_at"),
                                                             format="YYYY-MM-DD HH:mm"),
                "source": ui.t("col.source"), "kind": ui.t("col.kind"),
                "tables": ui.t("col.tables"), "warnings": ui.t("col.warnings")})


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
