"""The evidence panel of one flag (Anomalies page): its facts, detail tables, method and
statistic texts, and the comparison chart of its evidence kind (the flag registry,
analytics/flags/registry.py, stored as flags.evidence_kind).
"""

from __future__ import annotations

import itertools

import duckdb
import numpy as np
import pandas as pd

from analytics import privacy
from analytics.flags import setting
from analytics.views import period_label
from analytics.views.anomalies import (
    _code,
    _detail_tables,
    _item_labels,
    _label,
    _t,
    _term,
    facts,
    flag_row,
)


def evidence(con: duckdb.DuckDBPyConnection, flag_id: str, lang: str = "zh") -> dict | None:
    """Everything the evidence panel shows for one flag, in ``lang``.

    ``flag`` (the decorated row with its ``details``), ``facts`` (measure/value table),
    ``tables`` ([(title, frame)] for lists in the details), ``method`` and ``stat`` (what the
    test is and what the effect size means), ``charts`` (chart specs for
    ``anomalies_charts.evidence_figure``: kind, data, translated titles and series names),
    ``hidden`` (rater groups left out of a chart by the anonymity floor), ``notes``."""
    flag = flag_row(con, flag_id, lang)
    if flag is None:
        return None
    ft = flag["flag_type"]
    out = {
        "flag": flag,
        "facts": facts(flag, lang),
        "tables": _detail_tables(con, flag, lang),
        # the method, then the one hop to the code and the settings that computed the flag
        "method": " ".join(
            x
            for x in (
                _t(f"anomalies.method.{ft}", lang),
                _t(
                    "anomalies.ev.source",
                    lang,
                    source=flag.get("source") or "",
                    section=flag.get("config_section") or "",
                )
                if flag.get("source")
                else "",
            )
            if x
        ),
        "stat": _t(f"anomalies.stat.{ft}", lang),
        "charts": [],
        "hidden": 0,
        "notes": [],
        # one hop to the code and settings that made the flag (the flag registry)
        "source": flag.get("source"),
        "config_section": flag.get("config_section"),
    }
    builder = _CHARTS.get(flag.get("evidence_kind") or "")
    if builder is not None:
        builder(con, flag, lang, out)
    return out


# -- chart data per flag type ----------------------------------------------------------------
def _subject_order_sql(alias: str) -> str:
    return (
        f"{alias}.subject_type = 'team' DESC, CASE c.role WHEN 'principal' THEN 0 "
        f"WHEN 'deputy' THEN 1 ELSE 2 END, {alias}.subject_id"
    )


def _sheet_chart(con, flag: dict, lang: str, out: dict) -> None:
    """A ballot flag: the sheet's marks (one copy of an identical cluster) against the mean
    of the session's other sheets, per subject and item."""
    ids = [str(x) for x in flag["details"].get("ballot_ids") or [flag["subject_id"]]]
    label = "label_zh" if lang == "zh" else "label_en"
    df = con.execute(
        f"""
        WITH sess AS (
            SELECT ballot_id, subject_type, subject_id, item_id, score FROM ballots
            WHERE period_id = $p AND unit_id = $u),
        sheet AS (SELECT subject_type, subject_id, item_id, score FROM sess
                  WHERE ballot_id = $b),
        others AS (SELECT subject_type, subject_id, item_id, avg(score) AS mean,
                          count(*) AS n
                   FROM sess WHERE NOT list_contains($ids, ballot_id) GROUP BY ALL)
        SELECT o.subject_type, o.subject_id, c.name AS cadre_name, i.{label} AS item,
               s.score AS sheet_mark, o.mean AS session_mean, o.n,
               i.scale_min, i.scale_max
        FROM others o JOIN items i ON i.item_id = o.item_id
        JOIN sheet s ON s.subject_type = o.subject_type AND s.subject_id = o.subject_id
                    AND s.item_id = o.item_id
        LEFT JOIN cadres c ON o.subject_type = 'cadre' AND c.cadre_id = o.subject_id
        ORDER BY {_subject_order_sql("o")}, i.rowid""",
        {"p": flag["period_id"], "u": flag["unit_id"], "b": ids[0], "ids": ids},
    ).df()
    if df.empty:
        return
    df["subject"] = [
        (_t("subject.team", lang) if st == "team" else (n or sid))
        for st, n, sid in zip(df["subject_type"], df["cadre_name"], df["subject_id"], strict=True)
    ]
    dup = flag["flag_type"] == "duplicate_ballots"
    k = privacy.floor()
    if (
        flag["flag_type"] != "duplicate_ballots"
        and flag["group_sheets"] is not None
        and flag["group_sheets"] < k
    ):
        out["notes"].append(_t("anomalies.ev.sheet_group_hidden", lang, k=k))
    out["charts"].append(
        {
            "kind": "sheet",
            "data": df[["subject", "item", "sheet_mark", "session_mean"]],
            "title": (
                _t("anomalies.ch.dup.title", lang, n=len(ids))
                if dup
                else _t("anomalies.ch.sheet.title", lang, ballot=ids[0])
            ),
            "x": _t("anomalies.ch.sheet.x", lang),
            "y": _t("anomalies.ch.sheet.y", lang),
            "mark": _t("anomalies.ch.dup.mark" if dup else "anomalies.ch.sheet.mark", lang),
            "mean": _t("anomalies.ch.sheet.mean", lang),
            "range": (int(df["scale_min"].min()), int(df["scale_max"].max())),
        }
    )


def _complement(
    df: pd.DataFrame, value_cols: list[str], keep: tuple = (), k: int | None = None
) -> pd.DataFrame:
    """Secondary suppression (``complement``): the evidence states the flagged group's
    "other groups" pooled, so the groups hidden beside the flagged ones (``keep``) must not
    be recoverable by subtraction (:func:`analytics.views.suppress_pooled`)."""
    return privacy.suppress_pooled(df, "n_sheets", value_cols, k, keep=keep, flag_col="complement")


def session_groups(
    con: duckdb.DuckDBPyConnection, period_id: str, unit_id: str, flagged: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per rater group of one session: sheets, mean mark, share of marks at either end of
    the scale, share of one-mark ratings among ratings below the top (≥ 2 items), and the
    distribution of marks — groups under the anonymity floor blanked (``suppressed``) and
    left out of the distribution, and the smallest other groups than ``flagged`` with them
    while the hidden ones hold fewer than k sheets (``complement``, see :func:`_complement`)."""
    params = {"p": period_id, "u": unit_id}
    base = """
        WITH b AS (
            SELECT b.rater_group, b.ballot_id, b.subject_type, b.subject_id, b.score,
                   i.scale_min, i.scale_max
            FROM ballots b JOIN items i USING (item_id)
            WHERE b.period_id = $p AND b.unit_id = $u)"""
    g = con.execute(
        base
        + """,
        blk AS (SELECT rater_group, ballot_id, subject_type, subject_id, min(score) AS lo,
                       max(score) AS hi, count(*) AS n, max(scale_max) AS top
                FROM b GROUP BY ALL),
        h AS (SELECT rater_group, avg(CASE WHEN lo = hi THEN 1.0 ELSE 0.0 END) AS flat_share,
                     count(*) AS informative
              FROM blk WHERE n >= 2 AND lo < top GROUP BY ALL)
        SELECT rater_group, count(DISTINCT ballot_id) AS n_sheets, avg(score) AS mean_mark,
               avg(CASE WHEN score IN (scale_min, scale_max) THEN 1.0 ELSE 0.0 END)
                   AS extreme_share,
               any_value(h.flat_share) AS flat_share, count(*) AS marks
        FROM b LEFT JOIN h USING (rater_group)
        GROUP BY rater_group ORDER BY rater_group""",
        params,
    ).df()
    dist = con.execute(
        base
        + """
        SELECT rater_group, score AS mark,
               count(*) / sum(count(*)) OVER (PARTITION BY rater_group) AS share
        FROM b GROUP BY rater_group, score ORDER BY rater_group, mark""",
        params,
    ).df()
    values = ["mean_mark", "extreme_share", "flat_share"]
    g = _complement(privacy.suppress(g, "n_sheets", values), values, (flagged,))
    dist = dist[dist["rater_group"].isin(g.loc[~g["suppressed"], "rater_group"])]
    return g, dist.reset_index(drop=True)


def _group_axis(code: str, n: int, lang: str) -> str:
    return f"{_label('group', code, lang)} ({n})"


def _shown_groups(groups: pd.DataFrame, lang: str, out: dict) -> pd.DataFrame:
    """The rater groups a chart may show (``suppressed`` ones left out and counted in
    ``out["hidden"]``; a note when others are hidden too so that the hidden ones cannot be
    worked out, ``complement``)."""
    out["hidden"] = int(groups["suppressed"].sum())
    if groups["complement"].any():
        out["notes"].append(_t("anomalies.ev.complement", lang, k=privacy.floor()))
    return groups[~groups["suppressed"]].copy()


def _session_group_chart(con, flag: dict, lang: str, out: dict) -> None:
    """A rater-group flag: the flagged group against the session's other groups."""
    g, dist = session_groups(con, flag["period_id"], flag["unit_id"], flag["subject_id"])
    shown = _shown_groups(g, lang, out)
    if shown.empty:
        return
    flagged = flag["subject_id"]
    shown["group"] = [
        _group_axis(c, n, lang)
        for c, n in zip(shown["rater_group"], shown["n_sheets"], strict=True)
    ]
    shown["flagged"] = shown["rater_group"] == flagged
    common = {
        "x": _t("anomalies.ch.group.x", lang),
        "flagged": _t("anomalies.ch.group.flagged", lang),
        "others": _t("anomalies.ch.group.others", lang),
    }
    ft = flag["flag_type"]
    if ft == "central_tendency":
        names = dict(zip(shown["rater_group"], shown["group"], strict=True))
        d = dist.assign(
            group=dist["rater_group"].map(names),
            mark_label=[_t("anomalies.ch.group.mark", lang, mark=int(m)) for m in dist["mark"]],
            flagged=dist["rater_group"] == flagged,
        )
        out["charts"].append(
            {
                "kind": "mark_distribution",
                "data": d,
                "title": _t("anomalies.ch.group.extreme_title", lang),
                "y": _t("anomalies.ch.group.share_y", lang),
                **common,
            }
        )
        return
    if ft == "halo":
        value, title, y = (
            "flat_share",
            "anomalies.ch.group.flat_title",
            "anomalies.ch.group.share_y",
        )
    else:
        value, title, y = "mean_mark", "anomalies.ch.group.mean_title", "anomalies.ch.group.mean_y"
    out["charts"].append(
        {
            "kind": "group_bars",
            "data": shown[["group", "flagged", value]].rename(columns={value: "value"}),
            "percent": value.endswith("share"),
            "title": _t(title, lang),
            "y": _t(y, lang),
            **common,
        }
    )


def subject_groups(
    con: duckdb.DuckDBPyConnection,
    period_id: str,
    unit_id: str,
    subject_type: str,
    subject_id: str,
    cluster: tuple = (),
    flagged: str | None = None,
) -> pd.DataFrame:
    """Per rater group of one session (and the flagged ``cluster`` of sheets, code ''): mean
    of the sheets' mean marks on the subject and on the unit's other subjects; groups under
    the anonymity floor blanked, and the smallest other groups than ``flagged`` (default:
    the cluster) with them while the hidden ones hold fewer than k sheets (``complement``)."""
    df = con.execute(
        """
        WITH sm AS (
            SELECT ballot_id, rater_group, subject_type = $st AND subject_id = $sid AS this,
                   avg(score) AS m
            FROM ballots WHERE period_id = $p AND unit_id = $u GROUP BY ALL),
        per AS (
            SELECT CASE WHEN list_contains(CAST($ids AS VARCHAR[]), ballot_id) THEN ''
                        ELSE rater_group END AS grp, ballot_id,
                   avg(m) FILTER (WHERE this) AS on_subject,
                   avg(m) FILTER (WHERE NOT this) AS elsewhere
            FROM sm GROUP BY ALL)
        SELECT grp AS rater_group, count(*) AS n_sheets, avg(on_subject) AS on_subject,
               avg(elsewhere) AS elsewhere
        FROM per GROUP BY grp ORDER BY grp""",
        {
            "p": period_id,
            "u": unit_id,
            "st": subject_type,
            "sid": subject_id,
            "ids": [str(x) for x in cluster],
        },
    ).df()
    values = ["on_subject", "elsewhere"]
    keep = ("",) if cluster else (flagged,)
    return _complement(privacy.suppress(df, "n_sheets", values), values, keep)


def _subject_group_chart(con, flag: dict, lang: str, out: dict) -> None:
    cluster = tuple(flag["details"].get("ballot_ids") or ())
    df = subject_groups(
        con,
        flag["period_id"],
        flag["unit_id"],
        flag["subject_type"],
        flag["subject_id"],
        cluster,
        flag["rater_group"],
    )
    shown = _shown_groups(df, lang, out)
    if shown.empty:
        return
    shown["group"] = [
        (f"{_t('anomalies.ch.subj.cluster', lang)} ({n})" if c == "" else _group_axis(c, n, lang))
        for c, n in zip(shown["rater_group"], shown["n_sheets"], strict=True)
    ]
    flagged = "" if cluster else flag["rater_group"]
    shown["flagged"] = shown["rater_group"] == flagged
    name = flag["subject_name"]
    out["charts"].append(
        {
            "kind": "subject_groups",
            "data": shown[["group", "flagged", "on_subject", "elsewhere"]],
            "title": _t("anomalies.ch.subj.title", lang, name=name),
            "x": _t("anomalies.ch.group.x", lang),
            "y": _t("anomalies.ch.group.mean_y", lang),
            "on": _t("anomalies.ch.subj.on", lang, name=name),
            "else": _t("anomalies.ch.subj.else", lang),
        }
    )


def level_means(con: duckdb.DuckDBPyConnection, attribute: str) -> pd.DataFrame:
    """Mean democratic score (0–100) of team-tier cadres per period and level of a personal
    attribute (gender, age_band with the group_bias detector's cuts, education); unadjusted."""
    df = con.execute("""
        SELECT s.period_id, p.label AS plabel, s.democratic, c.gender, c.education,
               year(p.end_date) - c.birth_year AS age
        FROM r.scores s JOIN cadres c ON c.cadre_id = s.subject_id
        JOIN periods p ON p.period_id = s.period_id
        WHERE s.subject_type = 'cadre' AND s.democratic IS NOT NULL""").df()
    if attribute == "age_band":
        cuts = [int(c) for c in setting("group_bias", "age_cuts")]
        labels = (
            [f"<{cuts[0]}"]
            + [f"{a}-{b - 1}" for a, b in itertools.pairwise(cuts)]
            + [f"{cuts[-1]}+"]
        )
        df["level"] = pd.cut(
            df["age"], [-np.inf, *cuts, np.inf], right=False, labels=labels
        ).astype(object)
    elif attribute in ("gender", "education"):
        df["level"] = df[attribute]
    else:
        return pd.DataFrame(columns=["period_id", "plabel", "level", "mean", "n"])
    out = (
        df.dropna(subset=["level"])
        .groupby(["period_id", "plabel", "level"], as_index=False)
        .agg(mean=("democratic", "mean"), n=("democratic", "size"))
    )
    return out.sort_values(["period_id", "level"]).reset_index(drop=True)


def _group_bias_chart(con, flag: dict, lang: str, out: dict) -> None:
    d = flag["details"]
    sd = d.get("sd_democratic") or 1.0
    reg = pd.DataFrame(d.get("regression") or [])
    if not reg.empty:
        reg = reg.assign(
            label=[_term(t, lang) for t in reg["term"]],
            lo=reg["coef_sd"] - 1.96 * reg["se"] / sd,
            hi=reg["coef_sd"] + 1.96 * reg["se"] / sd,
            tested=reg["term"].str.startswith(f"{d.get('attribute')}="),
        )
        out["charts"].append(
            {
                "kind": "coefficients",
                "data": reg[["label", "coef_sd", "lo", "hi", "tested"]],
                "title": _t("anomalies.ch.reg.title", lang),
                "x": _t("anomalies.ch.reg.x", lang),
                "y": _t("anomalies.ch.reg.y", lang),
            }
        )
    attr = d.get("attribute") or flag["subject_id"]
    lm = level_means(con, attr)
    if not lm.empty:
        lm = lm.assign(
            period=[
                period_label(p, lb, lang)
                for p, lb in zip(lm["period_id"], lm["plabel"], strict=True)
            ],
            level_label=[_code("level", lv, lang) for lv in lm["level"]],
        )
        out["charts"].append(
            {
                "kind": "level_means",
                "data": lm[["period", "level_label", "mean", "n"]],
                "title": _t(
                    "anomalies.ch.levels.title", lang, attr=_label("anomalies.attr", attr, lang)
                ),
                "x": _t("col.period", lang),
                "y": _t("anomalies.ch.levels.y", lang),
                "legend": _label("anomalies.attr", attr, lang),
            }
        )


def _channels_chart(con, flag: dict, lang: str, out: dict) -> None:
    """source_divergence: the subject's channels against its peer group's mean."""
    df = con.execute(
        """
        WITH me AS (SELECT * FROM r.scores WHERE period_id = $p AND subject_type = $st
                    AND subject_id = $sid),
        peers AS (SELECT avg(s.democratic) AS democratic, avg(s.performance) AS performance,
                         avg(s.satisfaction) AS satisfaction, avg(s.superior) AS superior,
                         count(*) AS n
                  FROM r.scores s JOIN me ON s.period_id = me.period_id
                   AND s.peer_group = me.peer_group)
        SELECT me.peer_group, me.democratic, me.performance, me.satisfaction, me.superior,
               peers.democratic AS p_democratic, peers.performance AS p_performance,
               peers.satisfaction AS p_satisfaction, peers.superior AS p_superior, peers.n
        FROM me, peers""",
        {"p": flag["period_id"], "st": flag["subject_type"], "sid": flag["subject_id"]},
    ).df()
    if df.empty:
        return
    r0 = df.iloc[0]
    chans = ["democratic", "performance", "satisfaction", "superior"]
    data = pd.DataFrame(
        {
            "channel": [_t(f"score.{c}", lang) for c in chans],
            "subject": [r0[c] for c in chans],
            "peers": [r0[f"p_{c}"] for c in chans],
        }
    )
    results = flag["details"].get("results")
    if results is not None and flag["subject_type"] == "cadre":
        data = pd.concat(
            [
                data,
                pd.DataFrame(
                    {
                        "channel": [_t("anomalies.ch.channels.results", lang)],
                        "subject": [results],
                        "peers": [np.nan],
                    }
                ),
            ],
            ignore_index=True,
        )
    out["charts"].append(
        {
            "kind": "channels",
            "data": data,
            "title": _t("anomalies.ch.channels.title", lang, name=flag["subject_name"]),
            "x": _t("anomalies.ch.channels.x", lang),
            "y": _t("anomalies.ch.channels.y", lang),
            "subject": _t("anomalies.ch.channels.subject", lang),
            "peers": _t("anomalies.ch.channels.peers", lang, peer=f"n = {int(r0['n'])}"),
        }
    )


def _self_chart(con, flag: dict, lang: str, out: dict) -> None:
    items = flag["details"].get("items") or []
    if not items:
        return
    labels = _item_labels(con, [x["item_id"] for x in items], lang)
    data = pd.DataFrame(
        {
            "item": [labels.get(x["item_id"], x["item_id"]) for x in items],
            "self": [x.get("self") for x in items],
            "others": [x.get("others") for x in items],
            "expected": [x.get("expected_self") for x in items],
        }
    )
    texts = _texts("anomalies.ch.self", lang, "title", "x", "y", "self", "others", "expected")
    out["charts"].append({"kind": "self_items", "data": data, **texts})


def _texts(prefix: str, lang: str, *names: str) -> dict[str, str]:
    """A chart's texts (its title, axis titles, trace names): ``name`` → the locale key
    ``<prefix>.<name>`` in ``lang``."""
    return {name: _t(f"{prefix}.{name}", lang) for name in names}


def _satisfaction_chart(con, flag: dict, lang: str, out: dict) -> None:
    """satisfaction_gap: the unit's own questionnaires and third-party results by period."""
    df = con.execute(
        """
        SELECT p.period_id, p.label AS plabel, s.questionnaire AS own, s.third_party AS third
        FROM periods p JOIN r.unit_satisfaction s USING (period_id)
        WHERE s.unit_id = $u AND (s.questionnaire IS NOT NULL OR s.third_party IS NOT NULL)
        ORDER BY p.start_date""",
        {"u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df["period"] = [
        period_label(p, lb, lang) for p, lb in zip(df["period_id"], df["plabel"], strict=True)
    ]
    exp = flag["details"].get("expected_third_party")
    df["expected"] = [exp if p == flag["period_id"] else np.nan for p in df["period_id"]]
    texts = _texts("anomalies.ch.sat", lang, "title", "y", "own", "third", "expected")
    data = df[["period", "own", "third", "expected"]]
    out["charts"].append(
        {"kind": "satisfaction", "data": data, "x": _t("col.period", lang), **texts}
    )


def _survey_chart(con, flag: dict, lang: str, out: dict) -> None:
    """survey_anomaly: when each questionnaire arrived (local time), the burst marked."""
    burst = [str(x) for x in flag["details"].get("burst_response_ids") or []]
    df = con.execute(
        """
        SELECT response_id, source, min(timezone('Asia/Shanghai', submitted_at)) AS t
        FROM surveys WHERE period_id = $p AND unit_id = $u AND submitted_at IS NOT NULL
        GROUP BY ALL ORDER BY t""",
        {"p": flag["period_id"], "u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df = df.assign(
        source_label=[_label("anomalies.source", s, lang) for s in df["source"]],
        burst=df["response_id"].isin(burst),
    )
    texts = _texts("anomalies.ch.survey", lang, "title", "x", "y", "burst")
    out["charts"].append(
        {"kind": "survey_times", "data": df[["t", "source_label", "burst"]], **texts}
    )


def _claims_chart(con, flag: dict, lang: str, out: dict) -> None:
    """verification_refuted: the unit's claim results in every period."""
    df = con.execute(
        """
        SELECT p.period_id, p.label AS plabel, v.result, count(*) AS n
        FROM verifications v JOIN periods p USING (period_id)
        WHERE v.unit_id = $u GROUP BY ALL ORDER BY any_value(p.start_date), v.result""",
        {"u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df = df.assign(
        period=[
            period_label(p, lb, lang) for p, lb in zip(df["period_id"], df["plabel"], strict=True)
        ],
        result_code=df["result"],
        result=[_label("anomalies.result", r, lang) for r in df["result"]],
    )
    out["charts"].append(
        {
            "kind": "claims",
            "data": df[["period", "result", "result_code", "n"]],
            "title": _t("anomalies.ch.claims.title", lang),
            "x": _t("col.period", lang),
            "y": _t("anomalies.ch.claims.y", lang),
            "legend": _t("anomalies.tcol.result", lang),
        }
    )


def _talk_vote_chart(con, flag: dict, lang: str, out: dict) -> None:
    d = flag["details"]
    mentions, expected = d.get("mentions") or {}, d.get("expected_shares") or {}
    n = sum(mentions.values()) or 1
    stances = ["negative", "neutral", "positive"]
    data = pd.DataFrame(
        {
            "stance": [_t(f"stance.{s}", lang) for s in stances],
            "observed": [mentions.get(s, 0) / n for s in stances],
            "expected": [expected.get(s, np.nan) for s in stances],
            "count": [mentions.get(s, 0) for s in stances],
        }
    )
    texts = _texts("anomalies.ch.talk", lang, "title", "x", "y", "expected")
    observed = _t("anomalies.ch.talk.observed", lang, n=sum(mentions.values()))
    out["charts"].append({"kind": "stances", "data": data, "observed": observed, **texts})


def _talk_coverage_chart(con, flag: dict, lang: str, out: dict) -> None:
    """talk_coverage_gap: the durations of the unit's talks in the period, by tier."""
    df = con.execute(
        """
        SELECT duration_min, interviewee_tier FROM talks
        WHERE period_id = $p AND unit_id = $u ORDER BY talk_date""",
        {"p": flag["period_id"], "u": flag["unit_id"]},
    ).df()
    if df.empty:
        return
    df["tier"] = [_label("tier", x, lang) for x in df["interviewee_tier"]]
    m = flag["details"].get("min_minutes") or 20
    out["charts"].append(
        {
            "kind": "durations",
            "data": df[["duration_min", "tier"]],
            "min_minutes": float(m),
            "title": _t("anomalies.ch.dur.title", lang, m=f"{m:g}"),
            **_texts("anomalies.ch.dur", lang, "x", "y", "legend"),
        }
    )


# evidence kind (the flag registry, analytics/flags/registry.py, stored with each flag as
# flags.evidence_kind) → the builder of its comparison chart
_CHARTS = {
    "sheets": _sheet_chart,
    "session_groups": _session_group_chart,
    "subject_groups": _subject_group_chart,
    "group_levels": _group_bias_chart,
    "channels": _channels_chart,
    "self_vs_others": _self_chart,
    "satisfaction": _satisfaction_chart,
    "survey_times": _survey_chart,
    "claims": _claims_chart,
    "talks_vs_ballots": _talk_vote_chart,
    "talk_coverage": _talk_coverage_chart,
}
