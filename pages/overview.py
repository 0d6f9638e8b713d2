"""Overview (总览): where each area and unit stands this period and what changed.

City → area → unit drill-down following the shared filters; team composites per area;
flags by type and severity; biggest movers since the previous period; data coverage.
"""

from __future__ import annotations

import streamlit as st

from analytics import privacy, views
from analytics import st_adapter as ui
from analytics.views import overview as ov
from analytics.views import overview_charts as charts

NUM = "%.1f"
SIGNED = "%+.1f"
SEVERITIES = ov.SEVERITIES
MOVERS = 5  # risers and fallers shown per list


# ---- helpers (display only) --------------------------------------------------------------
def _set_scope(area: str | None) -> None:
    """Breadcrumb callback: show the city (area None) or one area, no unit chosen."""
    ui.set_filters(area=area, unit=None)


def _selected(event, frame, column: str):
    """The value of ``column`` in the row selected in a st.dataframe (None if none)."""
    rows = event.selection.rows if event is not None else []
    return frame.iloc[rows[0]][column] if rows else None


def _verdict(v) -> str:
    return ui.t(f"verdict.{v}") if isinstance(v, str) and v else ui.t("overview.verdict_none")


def _channels(codes) -> str:
    sep = "、" if ui.current_lang() == "zh" else ", "
    return sep.join(ui.t(f"channel.{c}") for c in codes)


def _num(label: str, fmt: str = NUM):
    return st.column_config.NumberColumn(label, format=fmt)


def _int(label: str):
    return st.column_config.NumberColumn(label, format="%d")


def _clear_col():
    return st.column_config.CheckboxColumn(
        ui.t("overview.col.clear"), help=ui.t("overview.col.clear_help")
    )


# ---- sections ----------------------------------------------------------------------------
def _breadcrumb(area: str | None, unit: str | None, area_names: dict, unit_row) -> None:
    shown_area = area or (unit_row["area_id"] if unit_row is not None else None)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if shown_area is None:
            st.markdown(f"**{ui.t('overview.scope.city')}**")
            return
        st.button(
            ui.t("overview.scope.city"),
            key="overview_crumb_city",
            type="tertiary",
            icon=":material/location_city:",
            on_click=_set_scope,
            args=(None,),
            help=ui.t("overview.crumb.help"),
        )
        st.markdown("›")
        if unit is None:
            st.markdown(f"**{area_names.get(shown_area, shown_area)}**")
            return
        st.button(
            area_names.get(shown_area, shown_area),
            key="overview_crumb_area",
            type="tertiary",
            on_click=_set_scope,
            args=(shown_area,),
            help=ui.t("overview.crumb.help"),
        )
        st.markdown("›")
        st.markdown(f"**{unit_row['name']}**")


def _headline(h: dict, cov: dict, prev_label: str | None) -> None:
    delta = h["delta"] or {}

    def d(key: str, fmt: str = "{:+d}") -> dict:
        """delta kwargs of st.metric: none for the first period, flat when unchanged."""
        value = delta.get(key)
        if value is None:
            return {}
        if abs(value) < 0.05:
            return {"delta": "0", "delta_color": "off", "delta_arrow": "off"}
        return {"delta": fmt.format(value)}

    def group(key: str) -> None:
        text = ui.t(f"overview.group.{key}")
        if prev_label:
            text += " · " + ui.t("overview.metric.vs_prev", prev=prev_label)
        st.caption(text)

    c1, c2, c3 = st.columns(3)
    with c1.container(border=True):
        group("scope")
        a, b, c = st.columns([0.8, 1, 1.4])  # room for a one-decimal coverage ("100.0%")
        a.metric(
            ui.t("overview.metric.units"),
            f"{h['units']}",
            help=ui.t("overview.metric.units_help", scored=h["scored"]),
        )
        b.metric(
            ui.t("overview.metric.median"),
            "—" if h["median"] is None else f"{h['median']:.1f}",
            help=ui.t("overview.metric.median_help"),
            **d("median", "{:+.1f}"),
        )
        c.metric(
            ui.t("overview.metric.coverage"),
            "—" if cov["share"] is None else f"{cov['share']:.1%}",
            help=ui.t(
                "overview.metric.coverage_help", complete=cov["complete"], units=cov["units"]
            ),
        )
    with c2.container(border=True):
        group("verdicts")
        for col, v in zip(st.columns(3), ("good", "watch", "concern"), strict=True):
            col.metric(
                ui.t(f"verdict.{v}"),
                f"{h['verdicts'][v]}",
                help=ui.t("overview.metric.verdict_help"),
                **{"delta_color": "normal" if v == "good" else "inverse", **d(v)},
            )
    with c3.container(border=True):
        group("flags")
        for col, s in zip(st.columns(3), ("critical", "warning", "info"), strict=True):
            col.metric(
                ui.t(f"severity.{s}"),
                f"{h['flags'][s]}",
                help=ui.t("overview.metric.flags_help"),
                **{"delta_color": "inverse" if s != "info" else "off", **d(s)},
            )


def _city(period: str) -> None:
    st.subheader(ui.t("overview.areas.title"))
    st.caption(ui.t("overview.areas.hint"))
    df = ui.query(ov.area_table, period)
    event = st.dataframe(
        df,
        hide_index=True,
        width="stretch",
        height="content",
        key="overview_areas",
        on_select="rerun",
        selection_mode="single-row",
        column_order=[
            "area_name",
            "leader",
            "units",
            "mean_composite",
            "median_composite",
            "good",
            "watch",
            "concern",
            "critical",
            "warning",
            "info",
            "lacking",
        ],
        column_config={
            "area_name": ui.t("col.area"),
            "leader": ui.t("overview.col.leader"),
            "units": _int(ui.t("overview.col.units")),
            "mean_composite": _num(ui.t("overview.col.mean")),
            "median_composite": _num(ui.t("overview.col.median")),
            **{v: _int(ui.t(f"verdict.{v}")) for v in ("good", "watch", "concern")},
            **{
                s: _int(ui.t(f"severity.{s}") + " · " + ui.t("col.flags"))
                for s in ("critical", "warning", "info")
            },
            "lacking": _int(ui.t("overview.col.lacking")),
        },
    )
    chosen = _selected(event, df, "area_id")
    if chosen:
        ui.goto("overview", area=chosen, period=period)


def _area(period: str, area: str, area_name: str) -> None:
    st.subheader(ui.t("overview.units.title", area=area_name))
    st.caption(ui.t("overview.units.hint"))
    df = ui.query(ov.unit_table, period, area)
    lang = ui.current_lang()
    shown = df.assign(
        unit_type=[ui.t(f"unit_type.{x}") for x in df["unit_type"]],
        verdict=[_verdict(v) for v in df["verdict"]],
        missing=[_channels(m) for m in df["missing"]],
        reasons=df["reasons_zh" if lang == "zh" else "reasons_en"],
    )
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height="content",
        key="overview_units",
        on_select="rerun",
        selection_mode="single-row",
        column_order=[
            "unit_name",
            "verdict",
            "composite",
            "ci",
            "rank",
            "rank_interval",
            "peer_size",
            "change",
            "change_clear",
            "critical",
            "warning",
            "info",
            "reasons",
            "missing",
            "unit_type",
        ],
        column_config={
            "unit_name": st.column_config.TextColumn(ui.t("col.unit"), pinned=True),
            "unit_type": ui.t("col.unit_type"),
            "verdict": ui.t("col.verdict"),
            "composite": _num(ui.t("col.composite")),
            "ci": ui.t("score.ci"),
            "rank": _int(ui.t("col.rank")),
            "rank_interval": ui.t("score.rank_interval"),
            "peer_size": _int(ui.t("col.peer_size")),
            "change": _num(ui.t("col.change"), SIGNED),
            "change_clear": _clear_col(),
            **{s: _int(ui.t(f"severity.{s}")) for s in ("critical", "warning", "info")},
            "missing": ui.t("col.missing"),
            "reasons": st.column_config.TextColumn(ui.t("overview.col.reasons"), width="large"),
        },
    )
    chosen = _selected(event, df, "unit_id")
    if chosen:
        ui.goto("team", unit=chosen, period=period)


def _badge(level: str, text: str) -> str:
    colour = {"concern": "red", "critical": "red", "watch": "orange", "warning": "orange"}.get(
        level, "blue"
    )
    return f":{colour}-badge[{text}]"


def _unit(period: str, unit: str, labels: dict) -> None:
    card = ui.query(ov.unit_card, period, unit)
    if not card:
        return
    u = card["unit"]
    lang = ui.current_lang()
    st.subheader(u["unit_name"])
    st.caption(
        " · ".join(
            [
                u["area_name"],
                ui.t(f"unit_type.{u['unit_type']}"),
                ui.t("overview.col.leader") + " " + u["leader"],
            ]
        )
    )
    sev = card["severity_counts"]
    if u["verdict"] is None or u["composite"] is None:
        st.info(ui.t("overview.card.no_team"))
    else:
        a, b, c, d, e = st.columns([1, 1, 1, 1, 1.4])
        a.metric(ui.t("overview.card.verdict"), _verdict(u["verdict"]), border=True)
        b.metric(
            ui.t("overview.card.composite"),
            f"{u['composite']:.1f}",
            border=True,
            help=ui.t("overview.card.composite_help", ci=f"{u['ci_low']:.1f}–{u['ci_high']:.1f}"),
        )
        interval = (
            f"{u['rank_low']}"
            if u["rank_low"] == u["rank_high"]
            else f"{u['rank_low']}–{u['rank_high']}"
        )
        c.metric(
            ui.t("overview.card.rank"),
            border=True,
            value=ui.t("overview.card.rank_value", rank=u["rank"], peers=u["peer_size"]),
            help=ui.t(
                "overview.card.rank_help",
                interval=interval,
                peer=ui.t(f"unit_type.{u['unit_type']}"),
            ),
        )
        if u["change"] is not None:
            d.metric(
                ui.t("overview.card.change"),
                f"{u['change']:+.1f}",
                border=True,
                delta=ui.t("overview.card.clear" if u["change_clear"] else "overview.card.within"),
                delta_color="off",
                delta_arrow="off",
                help=ui.t(
                    "overview.card.change_help",
                    prev=labels.get(u["prev_period_id"], u["prev_period_id"]),
                    before=u["prev_composite"],
                    now=u["composite"],
                ),
            )
        else:
            d.metric(
                ui.t("overview.card.change"),
                "—",
                border=True,
                help=ui.t("overview.movers.first", period=labels[period]),
            )
        e.metric(
            ui.t("overview.card.flags"),
            f"{sum(sev.values())}",
            border=True,
            delta=ui.t("overview.card.flags_by", **sev),
            delta_color="off",
            delta_arrow="off",
            help=ui.t("overview.card.flags_help"),
        )
    if card["missing"]:
        st.caption(
            ":material/info: " + ui.t("overview.card.missing", channels=_channels(card["missing"]))
        )

    text = "text_zh" if lang == "zh" else "text_en"
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ui.t('overview.card.reasons')}**")
        reasons = card["reasons"]
        main = reasons[reasons["level"] != "info"]
        notes = reasons[reasons["level"] == "info"]
        if main.empty:
            st.markdown(":material/check_circle: " + ui.t("overview.card.good"))
        for level, line in zip(main["level"], main[text], strict=True):
            st.markdown(f"{_badge(level, ui.t('verdict.' + level))} {line}")
        if len(notes):
            with st.expander(ui.t("overview.card.notes", n=len(notes))):
                for line in notes[text]:
                    st.markdown(f"- {line}")
    with right:
        st.markdown(f"**{ui.t('overview.card.unit_flags')}**")
        flags = card["flags"]
        if flags.empty:
            st.caption(ui.t("overview.card.no_flags"))
        evidence = flags["evidence_zh" if lang == "zh" else "evidence"]
        hidden = ":material/visibility_off: " + ui.t("privacy.cell", k=privacy.floor())
        for row, ev in zip(flags.itertuples(), evidence, strict=True):
            who = (
                row.cadre_name
                if isinstance(row.cadre_name, str)
                else ui.t(f"subject.{row.subject_type}")
            )
            st.markdown(
                f"{_badge(row.severity, ui.t('severity.' + row.severity))} "
                f"**{ui.t('flag.' + row.flag_type)}** · {who}  \n"
                f"{hidden if row.suppressed else ev}"
            )
        ui.privacy_note(card["n_suppressed"])

    st.markdown(f"**{ui.t('overview.card.members')}**")
    st.caption(ui.t("overview.card.members_hint"))
    members = card["members"]
    event = st.dataframe(
        members.assign(role=[ui.t(f"role.{r}") for r in members["role"]]),
        hide_index=True,
        width="stretch",
        key="overview_members",
        on_select="rerun",
        selection_mode="single-row",
        column_order=[
            "name",
            "position",
            "role",
            "composite",
            "ci",
            "rank",
            "rank_interval",
            "peer_size",
            "prev_composite",
            "change",
            "change_clear",
        ],
        column_config={
            "name": ui.t("col.name"),
            "position": ui.t("col.position"),
            "role": ui.t("overview.col.role"),
            "composite": _num(ui.t("col.composite")),
            "ci": ui.t("score.ci"),
            "rank": _int(ui.t("col.rank")),
            "rank_interval": ui.t("score.rank_interval"),
            "peer_size": _int(ui.t("col.peer_size")),
            "prev_composite": _num(ui.t("overview.col.prev")),
            "change": _num(ui.t("col.change"), SIGNED),
            "change_clear": _clear_col(),
        },
    )
    cadre = _selected(event, members, "cadre_id")
    if cadre:
        ui.goto("portrait", cadre=cadre, unit=unit, period=period)
    with st.container(horizontal=True):
        ui.link(
            "team", ui.t("overview.link.team"), icon=":material/groups:", unit=unit, period=period
        )
        ui.link(
            "anomalies",
            ui.t("overview.link.anomalies"),
            icon=":material/troubleshoot:",
            unit=unit,
            period=period,
        )


def _distribution(
    period: str, area: str | None, unit: str | None, unit_row, area_names: dict, period_label: str
) -> None:
    st.subheader(ui.t("overview.dist.section"))
    df = ui.query(ov.composites, period)
    highlight = area or (unit_row["area_id"] if unit_row is not None else None)
    fig = charts.composite_distribution(
        df,
        area_names,
        highlight,
        unit,
        title=ui.t("overview.dist.title", period=period_label),
        x=ui.t("overview.dist.x"),
        y=ui.t("overview.dist.y"),
    )
    ui.chart(fig, key="overview_dist_chart")
    st.caption(ui.t("overview.dist.caption"))


def _flags(period: str, area: str | None, unit: str | None, scope: str, period_label: str) -> None:
    st.subheader(ui.t("overview.flags.section"))
    df = ui.query(ov.flag_counts, period, area, unit)
    if df.empty:
        st.success(ui.t("overview.flags.none"))
    else:
        types = {t: ui.t(f"flag.{t}") for t in df["flag_type"].unique()}
        sev = {s: ui.t(f"severity.{s}") for s in SEVERITIES}
        fig = charts.flags_by_severity(
            df,
            types,
            sev,
            title=ui.t("overview.flags.title", scope=scope, period=period_label),
            x=ui.t("overview.flags.x"),
            y=ui.t("overview.flags.y"),
            legend=ui.t("col.severity"),
        )
        ui.chart(fig, key="overview_flags_chart")
        st.caption(ui.t("overview.flags.caption"))
    ui.link(
        "anomalies",
        ui.t("overview.link.anomalies"),
        icon=":material/troubleshoot:",
        period=period,
        area=area,
        unit=unit,
    )


def _movers_table(df, kind: str, key: str, period: str) -> None:
    if df.empty:
        st.caption(ui.t("overview.movers.none"))
        return
    if kind == "teams":
        order = ["unit_name", "area_name", "prev_composite", "composite", "change", "change_clear"]
    else:
        order = [
            "name",
            "position",
            "unit_name",
            "prev_composite",
            "composite",
            "change",
            "change_clear",
        ]
    event = st.dataframe(
        df,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_order=order,
        column_config={
            "unit_name": ui.t("col.unit"),
            "area_name": ui.t("col.area"),
            "name": ui.t("col.name"),
            "position": ui.t("col.position"),
            "prev_composite": _num(ui.t("overview.col.prev")),
            "composite": _num(ui.t("overview.col.now")),
            "change": _num(ui.t("col.change"), SIGNED),
            "change_clear": _clear_col(),
        },
    )
    if kind == "teams":
        chosen = _selected(event, df, "unit_id")
        if chosen:
            ui.goto("team", unit=chosen, period=period)
    else:
        chosen = _selected(event, df, "cadre_id")
        if chosen:
            ui.goto("portrait", cadre=chosen, unit=_selected(event, df, "unit_id"), period=period)


def _movers(period: str, area: str | None, unit: str | None, labels: dict) -> None:
    st.subheader(ui.t("overview.movers.title"))
    clear_only = bool(st.session_state.get("overview_movers_clear", False))
    m = ui.query(ov.movers, period, area, unit, MOVERS, clear_only)
    if m["prev_period"] is None:
        st.info(ui.t("overview.movers.first", period=labels[period]))
        return
    st.caption(
        ui.t(
            "overview.movers.caption_unit" if unit else "overview.movers.caption",
            prev=labels[m["prev_period"]],
            teams_clear=m["teams_clear"],
            teams=m["teams_compared"],
            cadres_clear=m["cadres_clear"],
            cadres=m["cadres_compared"],
        )
    )
    st.toggle(ui.t("overview.movers.clear_only"), key="overview_movers_clear")
    kinds = ["cadres"] if unit else ["teams", "cadres"]
    tabs = st.tabs([ui.t(f"overview.movers.{k}") for k in kinds])
    for tab, kind in zip(tabs, kinds, strict=True):
        with tab:
            st.caption(ui.t(f"overview.movers.{kind}_hint"))
            st.markdown(f"**:material/trending_up: {ui.t('overview.movers.up')}**")
            _movers_table(m[f"{kind}_up"], kind, f"overview_{kind}_up", period)
            st.markdown(f"**:material/trending_down: {ui.t('overview.movers.down')}**")
            _movers_table(m[f"{kind}_down"], kind, f"overview_{kind}_down", period)


def _coverage(cov: dict) -> None:
    st.subheader(ui.t("overview.coverage.title"))
    st.caption(ui.t("overview.coverage.caption", complete=cov["complete"], units=cov["units"]))
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{ui.t('overview.coverage.channels')}**")
        ch = cov["channels"]
        st.dataframe(
            ch.assign(
                channel=[ui.t(f"channel.{c}") for c in ch["channel"]],
                share=ov.percent_points(ch["share"]),
            ),
            hide_index=True,
            width="stretch",
            key="overview_coverage_channels",
            column_order=["channel", "covered", "share"],
            column_config={
                "channel": ui.t("col.channel"),
                "covered": _int(ui.t("overview.coverage.covered")),
                "share": st.column_config.ProgressColumn(
                    ui.t("overview.col.share"), format="%.1f%%", min_value=0, max_value=100
                ),
            },
        )
    with right:
        st.markdown(f"**{ui.t('overview.coverage.gaps')}**")
        gaps = cov["gaps"]
        if gaps.empty:
            st.success(ui.t("overview.coverage.none"))
        else:
            st.dataframe(
                gaps.assign(missing=[_channels(m) for m in gaps["missing"]]),
                hide_index=True,
                width="stretch",
                key="overview_coverage_gaps",
                column_order=["unit_name", "area_name", "missing"],
                column_config={
                    "unit_name": ui.t("col.unit"),
                    "area_name": ui.t("col.area"),
                    "missing": ui.t("col.missing"),
                },
            )
        ui.link("data", ui.t("overview.link.data"), icon=":material/database:")


# ---- page --------------------------------------------------------------------------------
def render() -> None:
    st.title(ui.t("nav.overview"))
    f = ui.current_filters()
    period, area, unit = f["period"], f["area"], f["unit"]
    if period is None:
        st.info(ui.t("overview.no_period"))
        return
    lang = ui.current_lang()
    labels = {pid: views.period_label(pid, label, lang) for pid, label in ui.query(views.periods)}
    area_rows = ui.query(views.areas)
    area_names = dict(area_rows)
    units = ui.query(views.units)
    unit_row = units[units["unit_id"] == unit].iloc[0] if unit else None

    h = ui.query(ov.headline, period, area, unit)
    cov = ui.query(ov.coverage, period, area, unit)
    short_scope = (
        unit_row["name"]
        if unit_row is not None
        else area_names[area]
        if area
        else ui.t("overview.scope.city")
    )
    if unit_row is not None:
        scope = ui.t("overview.scope.unit", unit=unit_row["name"], area=unit_row["area_name"])
    elif area:
        leaders = ui.query(ov.area_table, period).set_index("area_id")["leader"]
        scope = ui.t(
            "overview.scope.area_units",
            area=area_names[area],
            leader=leaders.get(area, ""),
            n=h["units"],
        )
    else:
        scope = ui.t("overview.scope.city_units", n=h["units"])
    st.caption(ui.t("overview.caption", period=labels[period], scope=scope))
    _breadcrumb(area, unit, area_names, unit_row)
    if unit:
        _unit(period, unit, labels)
    else:
        prev = h["prev_period"]
        _headline(h, cov, labels.get(prev) if prev else None)
        if area:
            _area(period, area, area_names[area])
        else:
            _city(period)
    _distribution(period, area, unit, unit_row, area_names, labels[period])
    _flags(period, area, unit, short_scope, labels[period])
    _movers(period, area, unit, labels)
    _coverage(cov)


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
