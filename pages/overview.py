"""Overview (总览): where each area and unit stands this period and what changed.

City → area → unit drill-down following the shared filters; team composites per area;
flags by type and severity; biggest movers since the previous period; data coverage.
Tables, cards and sentences: :mod:`analytics.views.overview_frames`.
"""

from __future__ import annotations

import streamlit as st

from analytics import st_adapter as ui
from analytics import views
from analytics.views import overview as ov
from analytics.views import overview_charts as charts
from analytics.views import overview_frames as of

MOVERS = 5  # risers and fallers shown per list


def _set_scope(area: str | None) -> None:
    """Breadcrumb callback: show the city (area None) or one area, no unit chosen."""
    ui.set_filters(area=area, unit=None)


def _breadcrumb(area: str | None, unit: str | None, area_names: dict, unit_row) -> None:
    shown_area = area or (unit_row["area_id"] if unit_row is not None else None)
    crumb = {"type": "tertiary", "on_click": _set_scope, "help": ui.t("overview.crumb.help")}
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if shown_area is None:
            st.markdown(f"**{ui.t('overview.scope.city')}**")
            return
        city = ui.t("overview.scope.city")
        icon = ":material/location_city:"
        st.button(city, key="overview_crumb_city", icon=icon, args=(None,), **crumb)
        st.markdown("›")
        name = area_names.get(shown_area, shown_area)
        if unit is None:
            st.markdown(f"**{name}**")
            return
        st.button(name, key="overview_crumb_area", args=(shown_area,), **crumb)
        st.markdown("›")
        st.markdown(f"**{unit_row['name']}**")


def _headline(h: dict, cov: dict, prev_label: str | None, period: str, area) -> None:
    """The three boxes of counts, and under them the teams behind the verdict counts."""
    groups = of.headline_groups(h, cov, prev_label, ui.current_lang())
    for box, group in zip(st.columns(3), groups, strict=True):
        with box.container(border=True):
            st.caption(group["caption"])
            ui.metrics(*group["cards"], widths=group["widths"])
    tabs = of.attention_tabs(ui.query(ov.attention_teams, period, area), ui.current_lang())
    if tabs:
        with st.container(border=True):
            st.markdown(f"**{ui.t('overview.attention.title')}**")
            st.caption(ui.t("overview.attention.hint"))
            for tab, (v, _label, shown) in zip(st.tabs([t[1] for t in tabs]), tabs, strict=True):
                with tab:
                    row = ui.table(shown, f"overview_attention_{v}", of.ATTENTION, select=True)
                    if row is not None:
                        ui.goto("team", unit=row["unit_id"], period=period)


def _city(period: str) -> None:
    st.subheader(ui.t("overview.areas.title"))
    st.caption(ui.t("overview.areas.hint"))
    df = ui.query(ov.area_table, period)
    columns = of.area_columns(ui.current_lang())
    row = ui.table(df, "overview_areas", columns, select=True, keep=True)
    if row is not None:
        ui.goto("overview", area=row["area_id"], period=period)


def _area(period: str, area: str, area_name: str) -> None:
    st.subheader(ui.t("overview.units.title", area=area_name))
    st.caption(ui.t("overview.units.hint"))
    df = of.units_shown(ui.query(ov.unit_table, period, area), ui.current_lang())
    row = ui.table(df, "overview_units", of.UNITS, select=True, keep=True)
    if row is not None:
        ui.goto("team", unit=row["unit_id"], period=period)


def _unit(period: str, unit: str, labels: dict) -> None:
    card = ui.query(ov.unit_card, period, unit)
    if not card:
        return
    u, lang = card["unit"], ui.current_lang()
    st.subheader(u["unit_name"])
    unit_type = ui.t(f"unit_type.{u['unit_type']}")
    leader = ui.t("overview.col.leader") + " " + u["leader"]
    st.caption(" · ".join([ui.code("area", u["area_name"]), unit_type, leader]))
    if u["verdict"] is None or u["composite"] is None:
        st.info(ui.t("overview.card.no_team"))
    else:
        cards = of.unit_cards(u, card["severity_counts"], labels, period, lang)
        ui.metrics(*cards, border=True, widths=[1, 1, 1, 1, 1.4])
    if card["missing"]:
        missing = of.channels_text(card["missing"], lang)
        st.caption(":material/info: " + ui.t("overview.card.missing", channels=missing))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ui.t('overview.card.reasons')}**")
        lines, notes = of.reason_lines(card["reasons"], lang)
        if not lines:
            st.markdown(":material/check_circle: " + ui.t("overview.card.good"))
        for line in lines:
            st.markdown(line)
        if notes:
            with st.expander(ui.t("overview.card.notes", n=len(notes))):
                for line in notes:
                    st.markdown(f"- {line}")
    with right:
        st.markdown(f"**{ui.t('overview.card.unit_flags')}**")
        if card["flags"].empty:
            st.caption(ui.t("overview.card.no_flags"))
        for line in of.flag_lines(card["flags"], lang):
            st.markdown(line)
        ui.privacy_note(card["n_suppressed"])
    st.markdown(f"**{ui.t('overview.card.members')}**")
    st.caption(ui.t("overview.card.members_hint"))
    members = of.members_shown(card["members"], lang)
    row = ui.table(members, "overview_members", of.MEMBERS, select=True, keep=True, height="auto")
    if row is not None:
        ui.goto("portrait", cadre=row["cadre_id"], unit=unit, period=period)
    with st.container(horizontal=True):
        team, flags = ui.t("overview.link.team"), ui.t("overview.link.anomalies")
        ui.link("team", team, icon=":material/groups:", unit=unit, period=period)
        ui.link("anomalies", flags, icon=":material/troubleshoot:", unit=unit, period=period)


def _distribution(period: str, area, unit, unit_row, area_names: dict, period_label: str) -> None:
    st.subheader(ui.t("overview.dist.section"))
    df = ui.query(ov.composites, period)
    highlight = area or (unit_row["area_id"] if unit_row is not None else None)
    title = ui.t("overview.dist.title", period=period_label)
    axes = dict(zip(("x", "y"), ui.texts("overview.dist.x", "overview.dist.y"), strict=True))
    fig = charts.composite_distribution(df, area_names, highlight, unit, title=title, **axes)
    ui.chart(fig, key="overview_dist_chart")
    st.caption(ui.t("overview.dist.caption"))


def _flags(period: str, area: str | None, unit: str | None, scope: str, period_label: str) -> None:
    st.subheader(ui.t("overview.flags.section"))
    df = ui.query(ov.flag_counts, period, area, unit)
    if df.empty:
        st.success(ui.t("overview.flags.none"))
    else:
        types = {t: ui.t(f"flag.{t}") for t in df["flag_type"].unique()}
        sev = {s: ui.t(f"severity.{s}") for s in of.SEVERITIES}
        texts = ui.texts("overview.flags.x", "overview.flags.y", "col.severity")
        title = ui.t("overview.flags.title", scope=scope, period=period_label)
        labels = dict(zip(("x", "y", "legend"), texts, strict=True))
        fig = charts.flags_by_severity(df, types, sev, title=title, **labels)
        ui.chart(fig, key="overview_flags_chart")
        st.caption(ui.t("overview.flags.caption"))
    scope_params = {"period": period, "area": area, "unit": unit}
    ui.link("anomalies", ui.t("overview.link.anomalies"), ":material/troubleshoot:", **scope_params)


def _movers(period: str, area: str | None, unit: str | None, labels: dict) -> None:
    st.subheader(ui.t("overview.movers.title"))
    clear_only = bool(st.session_state.get("overview_movers_clear", False))
    m = ui.query(ov.movers, period, area, unit, MOVERS, clear_only)
    if m["prev_period"] is None:
        st.info(ui.t("overview.movers.first", period=labels[period]))
        return
    counts = {k: m[k] for k in ("teams_clear", "cadres_clear")}
    counts.update(teams=m["teams_compared"], cadres=m["cadres_compared"])
    key = "overview.movers.caption_unit" if unit else "overview.movers.caption"
    st.caption(ui.t(key, prev=labels[m["prev_period"]], **counts))
    st.toggle(ui.t("overview.movers.clear_only"), key="overview_movers_clear")
    kinds = ["cadres"] if unit else ["teams", "cadres"]
    tabs = st.tabs([ui.t(f"overview.movers.{k}") for k in kinds])
    for tab, kind in zip(tabs, kinds, strict=True):
        with tab:
            st.caption(ui.t(f"overview.movers.{kind}_hint"))
            for way, icon in (("up", "trending_up"), ("down", "trending_down")):
                st.markdown(f"**:material/{icon}: {ui.t(f'overview.movers.{way}')}**")
                df = m[f"{kind}_{way}"]
                if df.empty:
                    st.caption(ui.t("overview.movers.none"))
                    continue
                key = f"overview_{kind}_{way}"
                row = ui.table(df, key, of.MOVERS[kind], select=True, keep=True, height="auto")
                if row is not None and kind == "teams":
                    ui.goto("team", unit=row["unit_id"], period=period)
                elif row is not None:
                    ui.goto("portrait", cadre=row["cadre_id"], unit=row["unit_id"], period=period)


def _coverage(cov: dict) -> None:
    st.subheader(ui.t("overview.coverage.title"))
    st.caption(ui.t("overview.coverage.caption", complete=cov["complete"], units=cov["units"]))
    lang = ui.current_lang()
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{ui.t('overview.coverage.channels')}**")
        ch = cov["channels"]
        ch = ch.assign(channel=[ui.t(f"channel.{c}") for c in ch["channel"]])
        ui.table(ch, "overview_coverage_channels", of.COVERAGE_CHANNELS, height="auto")
    with right:
        st.markdown(f"**{ui.t('overview.coverage.gaps')}**")
        gaps = cov["gaps"]
        if gaps.empty:
            st.success(ui.t("overview.coverage.none"))
        else:
            gaps = gaps.assign(missing=[of.channels_text(m, lang) for m in gaps["missing"]])
            ui.table(gaps, "overview_coverage_gaps", of.COVERAGE_GAPS, keep=True, height="auto")
        ui.link("data", ui.t("overview.link.data"), icon=":material/database:")


def render() -> None:
    st.title(ui.t("nav.overview"))
    f = ui.current_filters()
    period, area, unit = f["period"], f["area"], f["unit"]
    if period is None:
        st.info(ui.t("overview.no_period"))
        return
    lang = ui.current_lang()
    labels = {pid: views.period_label(pid, label, lang) for pid, label in ui.query(views.periods)}
    area_names = ui.areas()
    units = ui.query(views.units)
    unit_row = units[units["unit_id"] == unit].iloc[0] if unit else None
    h = ui.query(ov.headline, period, area, unit)
    cov = ui.query(ov.coverage, period, area, unit)
    leaders = ui.query(ov.area_table, period).set_index("area_id")["leader"] if area else None
    short_scope, scope = of.scope_text(h, unit_row, area, area_names, leaders, lang)
    st.caption(ui.t("overview.caption", period=labels[period], scope=scope))
    _breadcrumb(area, unit, area_names, unit_row)
    if unit:
        _unit(period, unit, labels)
    else:
        prev = h["prev_period"]
        _headline(h, cov, labels.get(prev) if prev else None, period, area)
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
