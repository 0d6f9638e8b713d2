"""Team health (班子运行): one unit's leadership team in one period, for presenters briefing
the city party secretary unit by unit: verdict and reasons, standing and channels against
the peer teams, members, cohesion, structure, climate, trend, talk signals and flags.
Without a unit, the teams in scope ranked by concern.  Tables, cards and sentences:
:mod:`analytics.views.team_frames`."""

from __future__ import annotations

import streamlit as st

from analytics import st_adapter as ui
from analytics import views
from analytics.views import team as tv
from analytics.views import team_charts as tc
from analytics.views import team_frames as tf

HIDDEN = ":material/visibility_off: "


def render() -> None:
    f = ui.current_filters()
    period, unit = f.get("period"), f.get("unit")
    if not period:
        st.title(ui.t("team.title"))
        st.info(ui.t("team.list.empty"))
        return
    if not unit:
        _team_list(period, f.get("area"))
        return
    row = ui.query(tv.team, period, unit)
    if row is None:
        st.title(ui.t("team.title"))
        st.info(ui.t("team.no_data"))
        return
    cfg = ui.query(tv.settings)
    lang = ui.current_lang()
    _header(row, cfg, lang)
    _standing(row, period, unit, lang)
    _members(row, period, unit, lang)
    _cohesion(row, cfg, lang)
    _structure(row, cfg, lang)
    _climate(row, period, unit, cfg, lang)
    _trend(row, unit, cfg, lang)
    _talks(row, period, unit, cfg, lang)
    _flags(period, unit, lang)


def _team_list(period: str, area: str | None) -> None:
    lang = ui.current_lang()
    st.title(ui.t("team.title"))
    st.caption(ui.t("team.caption"))
    st.info(ui.t("filter.pick_unit"))
    label = dict(ui.query(views.periods)).get(period)
    st.subheader(ui.t("team.list.title", period=tf.period_text(period, label, lang)))
    counts = ui.query(tv.verdict_counts, period, area)
    ui.metrics(*((tf.word("verdict", v, lang), counts[v]) for v in ("concern", "watch", "good")))
    df = ui.query(tv.teams_by_concern, period, area)
    if df.empty:
        st.info(ui.t("team.list.empty"))
        return
    st.caption(ui.t("team.list.caption"))
    shown = tf.list_shown(df, period, lang)
    chosen = ui.table(shown, "team_list", tf.LIST, select=True, placeholder="", keep=True)
    if chosen is not None:
        ui.goto("team", unit=chosen["unit_id"], period=period)


def _header(row: dict, cfg: dict, lang: str) -> None:
    st.title(ui.t("team.title_unit", unit=row["unit_name"]))
    st.caption(tf.header_caption(row, lang))
    st.markdown(tf.verdict_markdown(row, lang), unsafe_allow_html=True)
    reasons = ui.query(tv.reasons, row["period_id"], row["unit_id"])
    st.subheader(ui.t("team.reasons.title"))
    if reasons.empty:
        st.success(ui.t("team.reasons.none"))
    else:
        st.markdown(tf.reasons_markdown(reasons, lang), unsafe_allow_html=True)
    st.caption(ui.t("team.reasons.rule", n=int(cfg["watch_to_concern"])))
    missing = row.get("missing_zh" if lang == "zh" else "missing_en")
    if missing:
        st.caption(":material/help: " + ui.t("team.missing", items=missing))


def _peer_chart(df, keys: tuple[str, str, str], unit_name: str, key: str) -> None:
    """The team's value in each measure against the box of its peer teams."""
    names = ui.texts("team.peers_box", "team.hover_value")
    ui.chart(tc.peer_boxes(df, *ui.texts(*keys), unit_name, *names), key=key)


def _standing(row: dict, period: str, unit: str, lang: str) -> None:
    st.subheader(ui.t("team.standing.title"))
    ui.metrics(*tf.standing_metrics(row, lang))
    ch, weights = tf.channels_shown(ui.query(tv.channels_vs_peers, period, unit), lang)
    unit_type = tf.tr("unit_type", row["unit_type"], lang)
    st.caption(ui.t("team.standing.method", type=unit_type, weights=weights))
    have = ch.dropna(subset=["value", "median"])
    if not have.empty:
        keys = ("team.channels.chart", "team.channels.x", "team.channels.y")
        _peer_chart(have, keys, row["unit_name"], "team_channels_chart")
    ui.table(ch, "team_channels", tf.CHANNELS)
    st.caption(ui.t("team.channels.caption"))


def _members(row: dict, period: str, unit: str, lang: str) -> None:
    st.subheader(ui.t("team.members.title"))
    df = ui.query(tv.members, period, unit)
    if df.empty:
        st.info(ui.t("team.members.none"))
        return
    st.caption(ui.t("team.members.caption", type=tf.tr("unit_type", row["unit_type"], lang)))
    shown = tf.members_shown(df, unit, period, lang)
    if df["composite"].notna().any():
        texts = ui.texts(
            "team.members.chart",
            "team.members.x",
            "team.members.y",
            "team.ref_peer_mean",
            "col.composite",
        )
        ui.chart(tc.members_chart(shown, *texts), key="team_members_chart")
    columns = tf.member_columns(lang)
    chosen = ui.table(shown, "team_members", columns, select=True, placeholder="", keep=True)
    if chosen is not None:
        ui.goto("portrait", cadre=chosen["cadre_id"], unit=unit, period=period)


def _cohesion(row: dict, cfg: dict, lang: str) -> None:
    st.subheader(ui.t("team.cohesion.title"))
    n, k = int(row.get("tm_sheets") or 0), int(cfg["k"])
    if n == 0:
        st.info(ui.t("team.cohesion.none"))
    elif n < k:
        st.info(HIDDEN + ui.t("team.cohesion.floor", n=n, k=k))
    else:
        ui.table(tf.cohesion_frame(row, lang), "team_cohesion", tf.COHESION)
        st.caption(ui.t("team.cohesion.caption", n=n))


def _structure(row: dict, cfg: dict, lang: str) -> None:
    st.subheader(ui.t("team.structure.title"))
    ui.metrics(*tf.structure_metrics(row, cfg, lang))
    st.caption(ui.t("team.structure.caption"))
    for sentence in tf.structure_sentences(row, lang):
        st.markdown(sentence)


def _climate(row: dict, period: str, unit: str, cfg: dict, lang: str) -> None:
    st.subheader(ui.t("team.climate.title"))
    dims = tf.climate_shown(ui.query(tv.climate_vs_peers, period, unit), lang)
    if dims["value"].notna().any():
        keys = ("team.climate.chart", "team.climate.x", "team.climate.y")
        have = dims.dropna(subset=["value", "median"])
        _peer_chart(have, keys, row["unit_name"], "team_climate_chart")
        ui.table(dims, "team_climate", tf.CLIMATE)
        st.caption(ui.t("team.climate.caption", m=int(cfg["min_peers"])))
    else:
        st.info(ui.t("team.climate.none"))
    st.markdown(tf.satisfaction_sentence(row, lang))
    groups = ui.query(tv.rater_groups, period, unit)
    if groups.empty:
        return
    k = int(cfg["k"])
    st.markdown(f"**{ui.t('team.groups.title')}**")
    ui.table(tf.groups_shown(groups, k, lang), "team_groups", tf.GROUPS)
    st.caption(ui.t("team.groups.caption", k=k))
    ui.privacy_note(int(groups["suppressed"].sum()))
    if (groups["hidden_by"] == "complement").any():
        st.caption(HIDDEN + ui.t("team.groups.complement_note", k=k))


def _trend(row: dict, unit: str, cfg: dict, lang: str) -> None:
    st.subheader(ui.t("team.trend.title"))
    tr = tf.trend_shown(ui.query(tv.trend, unit), lang)
    if tr["composite"].notna().any():
        verdicts = {v: ui.t(f"verdict.{v}") for v in ("concern", "watch", "good")}
        axes = ui.texts("team.trend.chart", "team.trend.x", "team.trend.y")
        names = ui.texts("team.ref_peer_mean", "team.trend.line")
        fig = tc.trend_chart(
            tr.dropna(subset=["composite"]),
            *axes,
            verdicts,
            *names,
            current=tf.period_text(row["period_id"], row.get("period_label"), lang),
            current_name=ui.t("team.trend.current"),
        )
        ui.chart(fig, key="team_trend_chart")
    st.markdown(tf.trend_sentence(row, lang))
    ui.table(tr, "team_trend", tf.TREND)
    st.caption(ui.t("team.trend.caption", zq=cfg["z_q"]))


def _talks(row: dict, period: str, unit: str, cfg: dict, lang: str) -> None:
    st.subheader(ui.t("team.talks.title"))
    n_talks, mentions, k = (
        int(row.get("n_talks") or 0),
        int(row.get("mentions") or 0),
        int(cfg["k"]),
    )
    if n_talks == 0 and mentions == 0:
        st.info(ui.t("team.talks.none"))
        return
    if n_talks < k:  # the anonymity floor: the reader could tell who said it
        st.info(HIDDEN + ui.t("team.talks.hidden", n=n_talks, k=k))
        return
    ui.metrics(*tf.talk_metrics(row, lang))
    topics = ui.query(tv.talk_topics, period, unit)
    if topics.empty:
        st.info(ui.t("team.talks.no_mentions"))
    else:
        shown = topics.assign(label=[tf.tr("topic", t, lang) for t in topics["topic"]])
        stances = {s: ui.t(f"stance.{s}") for s in ("negative", "neutral", "positive")}
        texts = ui.texts("team.talks.chart", "team.talks.x", "team.talks.y")
        ui.chart(tc.talk_topics_chart(shown, *texts, stances), key="team_talks_chart")
    pw, pc = f"{cfg['talk_p_watch']:g}", f"{cfg['talk_p_concern']:g}"
    st.caption(ui.t("team.talks.caption", pw=pw, pc=pc, mn=int(cfg["talk_min_negative"])))


def _flags(period: str, unit: str, lang: str) -> None:
    st.subheader(ui.t("team.flags.title"))
    fl = ui.query(tv.flags, period, unit)
    if fl.empty:
        st.success(ui.t("team.flags.none"))
    else:
        st.caption(ui.t("team.flags.caption"))
        st.markdown(tf.flags_markdown(fl, lang), unsafe_allow_html=True)
    label = ui.t("team.flags.link")
    ui.link("anomalies", label, icon=":material/troubleshoot:", unit=unit, period=period)


if __name__ == "__main__":  # a deep link on a fresh server runs this file: draw the frame
    import app

    app.main()
