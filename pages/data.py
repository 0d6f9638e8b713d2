"""Data (数据): import a bundle (with progress and the validation report), download the export
bundle, what is loaded per period and channel, gaps, and the import history.

The frame (app.py) reaches this page only through its page registry, as every page: the
import section it draws for an empty database is :func:`import_section` of this module,
found by the registry, so app.py and this file do not import each other."""

from __future__ import annotations

import streamlit as st

from analytics import i18n, status, views
from analytics import st_adapter as ui
from analytics.views import data as v

_COL = st.column_config
_OUTCOME = "data_import_outcome"  # (file id, UploadOutcome) of the file in the uploader
_DONE = "data_import_done"  # the UploadOutcome of a load, shown once after the refresh
_NONCE = "data_upload_nonce"  # a new uploader (empty) after each load


def _table(frame, key: str, columns: dict, width: str = "stretch") -> None:
    st.dataframe(frame, hide_index=True, width=width, key=key, column_config=columns)


def render() -> None:
    st.title(ui.t("data.title"))
    st.caption(ui.t("data.caption"))
    lang = ui.current_lang()
    counts = ui.query(status.overview_counts)
    cols = st.columns(len(counts))
    for col, (key, value) in zip(cols, counts.items(), strict=True):
        col.metric(ui.t(f"data.metric.{key}"), f"{value:,}")

    import_section()
    _export_section()

    st.subheader(ui.t("data.coverage.title"))
    cov = ui.query(status.channel_coverage)
    if not cov.empty:
        st.dataframe(v.coverage_table(cov, lang), width="stretch", key="data_coverage")

    period_options = ui.query(status.periods)
    if period_options:
        st.subheader(ui.t("data.gaps.title"))
        labels = {p: views.period_label(p, lb, lang) for p, lb in period_options}
        pid = st.selectbox(
            ui.t("data.gaps.period"),
            list(labels),
            index=len(labels) - 1,
            format_func=labels.get,
            key="data_gap_period",
        )
        gaps = ui.query(status.missing_channels, pid)
        if gaps.empty:
            st.success(ui.t("data.gaps.none"))
        else:
            names = {"unit_name": "col.unit", "area_name": "col.area", "missing": "col.missing"}
            columns = {"unit_id": "ID", **{c: ui.t(k) for c, k in names.items()}}
            _table(v.gap_rows(gaps, lang), "data_gaps", columns)

    st.subheader(ui.t("data.history.title"))
    hist = ui.query(status.import_history, lang)
    if hist.empty:
        st.info(ui.t("data.history.empty"))
    else:
        names = {"source": "col.source", "kind": "col.kind", "tables": "col.tables"}
        columns = {
            "import_id": "#",
            "loaded_at": _COL.DatetimeColumn(ui.t("col.loaded_at"), format="YYYY-MM-DD HH:mm"),
            "warnings": ui.t("col.warnings"),
            **{c: ui.t(k) for c, k in names.items()},
        }
        _table(hist.assign(kind=[ui.t(f"kind.{k}") for k in hist["kind"]]), "data_history", columns)


# ---- import --------------------------------------------------------------------------------
def import_section() -> None:
    """Upload a bundle; also drawn by the frame when the database is empty or unreadable."""
    st.subheader(ui.t("data.import.title"))
    done = st.session_state.pop(_DONE, None)
    if done is not None:
        _show_loaded(done)
    nonce = st.session_state.get(_NONCE, 0)
    upload = st.file_uploader(
        ui.t("data.import.label"),
        type=[s.lstrip(".") for s in v.ACCEPTED],
        key=f"data_upload_{nonce}",
        help=ui.t("data.import.help"),
    )
    # Streamlit 1.67 draws the box's own words ("Drag and drop a file here", "Upload", the
    # size limit) in English and offers no way to change them: say them in the language.
    st.caption(ui.t("data.import.widget", mb=st.get_option("server.maxUploadSize")))
    kept = st.session_state.get(_OUTCOME)
    if upload is None or (kept is not None and kept[0] != upload.file_id):
        st.session_state.pop(_OUTCOME, None)  # the report belongs to a file no longer there
        kept = None
    if upload is None:
        st.caption(ui.t("data.import.caption"))
        return
    st.caption(ui.t("data.import.chosen", name=upload.name))
    if st.button(
        ui.t("data.import.go"), type="primary", key="data_import_go", icon=":material/upload:"
    ):
        bar = st.progress(0.0, text=ui.t("data.import.step.start"))

        def note(fraction: float, step: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=ui.t(f"data.import.step.{step}"))

        outcome = v.import_upload(upload.getvalue(), upload.name, ui.store().root, note)
        bar.empty()
        if outcome.status == "loaded":
            # a new snapshot: rerun so that every figure is read from it, with an empty
            # uploader and the result shown once at the top
            st.session_state[_DONE] = outcome
            st.session_state[_NONCE] = nonce + 1
            st.session_state.pop(_OUTCOME, None)
            st.rerun()
        kept = (upload.file_id, outcome)
        st.session_state[_OUTCOME] = kept
    if kept is not None:
        _show_failed(kept[1])


def _show_loaded(outcome: v.UploadOutcome) -> None:
    st.success(
        ui.t(
            "data.import.loaded",
            name=outcome.file_name,
            rows=outcome.rows,
            tables=len(outcome.counts),
            snapshot=outcome.snapshot.removesuffix(".duckdb"),
            seconds=outcome.seconds,
        )
    )
    lang = ui.current_lang()
    rows = [{"table": i18n.code("table", t, lang), "rows": n} for t, n in outcome.counts.items()]
    rows_col = _COL.NumberColumn(ui.t("col.rows"), format="localized")
    columns = {"table": ui.t("data.import.col.table"), "rows": rows_col}
    _table(rows, "data_import_counts", columns, width="content")
    _warnings(outcome)


def _show_failed(outcome: v.UploadOutcome) -> None:
    if outcome.status == "error":
        key = "data.import.bad_type" if outcome.error == "type" else "data.import.db_error"
        st.error(ui.t(key, name=outcome.file_name, message=outcome.message))
        return
    st.error(
        ui.t(
            "data.import.rejected",
            name=outcome.file_name,
            n=outcome.n_problems,
            rules=len(outcome.rules),
        )
    )
    lang = ui.current_lang()
    col = {c: ui.t(f"data.import.col.{c}") for c in ("table", "rule", "file", "column", "value")}
    number = {
        c: _COL.NumberColumn(ui.t(f"data.import.col.{c}"), format="localized")
        for c in ("total", "listed")
    }
    _table(v.report_rules(outcome, lang), "data_report_rules", {**col, **number})
    st.markdown("**" + ui.t("data.import.rows_title") + "**")
    col["row"] = _COL.NumberColumn(ui.t("data.import.col.row"), format="%d")
    col["reason"] = _COL.TextColumn(ui.t("data.import.col.reason"), width="large")
    _table(v.report_rows(outcome, lang), "data_report_rows", col)
    st.caption(ui.t("data.import.reason_note"))
    c1, c2 = st.columns(2)
    stem = outcome.file_name.rsplit(".", 1)[0]
    c1.download_button(
        ui.t("data.import.download_report"),
        data=outcome.report.encode("utf-8"),
        file_name=f"{stem}-rejected.txt",
        mime="text/plain",
        on_click="ignore",
        key="data_report_txt",
        icon=":material/description:",
    )
    c2.download_button(
        ui.t("data.import.download_rows"),
        data=v.problems_csv(outcome),
        file_name=f"{stem}-rejected.csv",
        mime="text/csv",
        on_click="ignore",
        key="data_report_csv",
        icon=":material/table:",
    )
    _warnings(outcome)


def _warnings(outcome: v.UploadOutcome) -> None:
    if outcome.warnings:
        with st.expander(ui.t("data.import.warnings", n=len(outcome.warnings))):
            lines = v.warning_texts(outcome, ui.current_lang())
            st.markdown("\n".join(f"- {w}" for w in lines))


# ---- export --------------------------------------------------------------------------------
def _export_section() -> None:
    st.subheader(ui.t("data.export.title"))
    st.caption(ui.t("data.export.caption"))
    store = ui.store()
    root = store.root
    st.download_button(
        ui.t("data.export.button"),
        data=lambda: v.export_zip(root),
        file_name=v.export_name(store.require().name),
        mime="application/zip",
        on_click="ignore",
        key="data_export",
        icon=":material/download:",
    )


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
