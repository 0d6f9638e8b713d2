"""survey_anomaly: questionnaire responses that look fabricated (identical answer vectors
arriving in a burst, responses submitted outside the period). The method is stated in
analytics/flags/sources.py's docstring and docs/METHODS.md.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
from scipy import stats

from analytics import texts as tx
from analytics.context import PERIODS
from analytics.flags import Flag, bh, detector, grade, setting
from analytics.flags.sources import jsonable, p_detail
from analytics.texts import Text

# ---- survey_anomaly ------------------------------------------------------------------------


def _survey_responses_sql(n_items: int) -> str:
    """One row per response: its answer vector as an exact number (``code``: marks 1–5 as
    base-6 digits in item order, exact in a double up to 20 items, a hash beyond) and the set
    of items answered (``items``), the sum and count of its marks, its submission time in
    epoch seconds and its calendar day (in the session's time zone)."""
    code = (
        "sum(s.score * pow(6, it.pos))"
        if n_items <= 20
        else "hash(list(s.item_id || '=' || s.score::VARCHAR ORDER BY s.item_id))::DOUBLE"
    )
    return f"""
        WITH it AS (
            SELECT item_id, (row_number() OVER (ORDER BY item_id) - 1)::INTEGER AS pos
            FROM (SELECT DISTINCT item_id FROM surveys WHERE period_id IN {PERIODS})
        )
        SELECT s.period_id, s.unit_id, s.source, s.response_id,
               {code} AS code, sum(pow(2, it.pos % 50)) AS items,
               sum(s.score) AS score_sum, count(*) AS n_items,
               epoch(min(s.submitted_at)) AS ts, min(s.submitted_at)::DATE AS day
        FROM surveys s JOIN it USING (item_id)
        WHERE s.period_id IN {PERIODS}
        GROUP BY s.period_id, s.unit_id, s.source, s.response_id"""


@detector(
    "survey_anomaly",
    defaults={
        "window_minutes": 10,  # identical responses submitted within this span form a burst
        "min_burst": 5,  # identical responses in one burst for a warning (with adj. p)
        "crit_burst": 10,  # ... for critical
        "warn_p": 0.01,  # BH-adjusted p for a warning
        "crit_p": 0.001,  # BH-adjusted p for critical
        "grace_days": 0,  # days after the period's end a response may still be submitted
        "outside_warn": 3,  # responses outside the period for a warning (fewer: info)
        "outside_crit": 10,  # ... for critical
    },
)
def detect_survey_anomaly(ctx) -> list[Flag]:
    ft = "survey_anomaly"
    w = float(setting(ft, "window_minutes")) * 60.0  # seconds
    n_items = ctx.df(
        "SELECT count(DISTINCT item_id) AS n FROM surveys WHERE period_id IN {periods}"
    )["n"].iloc[0]
    if not n_items:
        return []
    # responses aggregated once into a connection-local temporary table (the snapshot
    # itself stays read-only), read by the queries below, dropped at the end
    tmp = f"_survey_resp_{uuid.uuid4().hex[:10]}"
    con = ctx.con
    con.execute(
        f"CREATE TEMP TABLE {tmp} AS {_survey_responses_sql(int(n_items))}",
        {"periods": ctx.period_ids},
    )
    try:
        return _survey_flags(ctx, ft, tmp, w)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {tmp}")


def _survey_flags(ctx, ft: str, tmp: str, w: float) -> list[Flag]:
    up_key = ["period_id", "unit_id"]
    src = ctx.df(f"""
        SELECT period_id, unit_id, source, count(*) AS n_resp, sum(score_sum) AS score_sum,
               sum(n_items) AS n_marks, count(ts) AS n_timed,
               count(DISTINCT floor(ts / 3600)) AS hours
        FROM {tmp} GROUP BY ALL""")
    if src.empty:
        return []
    # every answer vector that occurs at least twice: copies k and burst size m (most
    # copies within w seconds)
    vec = ctx.df(f"""
        WITH vc AS (
            SELECT period_id, unit_id, source, code, items, count(*) AS k
            FROM {tmp} WHERE ts IS NOT NULL GROUP BY ALL HAVING count(*) >= 2
        ), x AS (
            SELECT *, count(*) OVER (PARTITION BY period_id, unit_id, source, code, items
                                     ORDER BY ts RANGE BETWEEN CURRENT ROW
                                     AND {w:.1f} FOLLOWING) AS m
            FROM {tmp} JOIN vc USING (period_id, unit_id, source, code, items)
        )
        SELECT period_id, unit_id, source, code, items, any_value(k) AS k, max(m) AS m
        FROM x GROUP BY ALL""")
    outside = ctx.df(
        f"""
        SELECT r.period_id, r.unit_id, count(*) AS n_out,
               list(r.response_id ORDER BY r.ts)[1:20] AS ids,
               strftime(min(r.day), '%Y-%m-%d') AS first_t,
               strftime(max(r.day), '%Y-%m-%d') AS last_t
        FROM {tmp} r JOIN periods p USING (period_id)
        WHERE r.day < p.start_date OR r.day > p.end_date + to_days($grace::INTEGER)
        GROUP BY ALL""",
        grace=int(setting(ft, "grace_days")),
    )
    units = (
        src.groupby(up_key)
        .agg(n_resp=("n_resp", "sum"), score_sum=("score_sum", "sum"), n_marks=("n_marks", "sum"))
        .reset_index()
    )
    vkey = ["period_id", "unit_id", "source", "code", "items"]
    if not vec.empty:
        vec = vec.merge(
            src[["period_id", "unit_id", "source", "hours", "n_timed"]],
            on=["period_id", "unit_id", "source"],
        )
        # scan-statistic union bound of the unit-period's largest burst M
        vec["q"] = np.minimum(1.0, w / (3600.0 * vec["hours"].clip(lower=1)))
        vec["M"] = vec.groupby(up_key)["m"].transform("max")
        vec["term"] = np.where(
            vec["k"] >= vec["M"],
            vec["k"] * stats.binom.sf(vec["M"] - 2, vec["k"] - 1, vec["q"]),
            0.0,
        )
        tests = vec.groupby(up_key).agg(M=("M", "max"), p=("term", "sum")).reset_index()
        tests["p"] = tests["p"].clip(upper=1.0)
        units = units.merge(tests, on=up_key, how="left")
    else:
        vec = pd.DataFrame(columns=vkey + ["k", "m", "hours", "n_timed", "q", "M"])
        units["M"], units["p"] = 0, np.nan
    units["M"] = units["M"].fillna(1)
    units.loc[units["M"] < 2, "p"] = 1.0  # no vector repeats within the window
    units["p_adj"] = bh(units["p"].to_numpy())
    units = units.merge(outside, on=up_key, how="left")
    units["n_out"] = units["n_out"].fillna(0).astype(int)

    min_b, crit_b = float(setting(ft, "min_burst")), float(setting(ft, "crit_burst"))
    warn_p, crit_p = float(setting(ft, "warn_p")), float(setting(ft, "crit_p"))
    o_warn, o_crit = int(setting(ft, "outside_warn")), int(setting(ft, "outside_crit"))
    units["sev_b"] = [
        grade(p, m, warn_effect=min_b, crit_effect=crit_b, warn_p=warn_p, crit_p=crit_p)
        if np.isfinite(p) and m >= 2
        else None
        for p, m in zip(units["p_adj"], units["M"], strict=True)
    ]
    cand = units[units["sev_b"].notna() | (units["n_out"] > 0)]
    if cand.empty:
        return []
    # the candidates' responses and item marginals (a handful of unit-periods)
    pick = "(SELECT unnest($p::VARCHAR[]) AS period_id, unnest($u::VARCHAR[]) AS unit_id)"
    params = {"p": cand["period_id"].tolist(), "u": cand["unit_id"].tolist()}
    resp = ctx.df(
        f"""
        WITH v AS (
            SELECT response_id, string_agg(score::VARCHAR, '' ORDER BY item_id) AS vec,
                   strftime(min(submitted_at), '%Y-%m-%d %H:%M:%S') AS t_text
            FROM surveys JOIN {pick} c USING (period_id, unit_id)
            GROUP BY response_id
        )
        SELECT r.*, v.vec, v.t_text FROM {tmp} r JOIN {pick} c USING (period_id, unit_id)
            JOIN v USING (response_id)""",
        **params,
    )
    marg = ctx.df(
        f"""
        SELECT s.period_id, s.unit_id, s.source, s.item_id, s.score, count(*) AS n
        FROM surveys s JOIN {pick} c USING (period_id, unit_id)
        GROUP BY ALL""",
        **params,
    )
    # per candidate: its largest burst's vector, the copies of that vector, item marginals
    vkey = ["period_id", "unit_id", "source", "code", "items"]
    vc = vec.merge(cand[up_key], on=up_key)
    tops = vc.sort_values(["m", "k"], ascending=False).drop_duplicates(up_key)
    top_of = {(t["period_id"], t["unit_id"]): t for t in tops.to_dict("records")}
    others_of: dict[tuple, list] = {}
    for t in vc[vc["m"] >= min_b].to_dict("records"):
        others_of.setdefault((t["period_id"], t["unit_id"]), []).append(t)
    copies = resp[resp["ts"].notna()].merge(tops[vkey], on=vkey).sort_values("ts")
    copies_of = {k: g for k, g in copies.groupby(up_key)}
    marg["f"] = marg["n"] / marg.groupby(["period_id", "unit_id", "source", "item_id"])[
        "n"
    ].transform("sum")
    share_of: dict[tuple, dict] = {}
    for mrec in marg.to_dict("records"):
        share_of.setdefault((mrec["period_id"], mrec["unit_id"], mrec["source"]), {})[
            (mrec["item_id"], int(mrec["score"]))
        ] = mrec["f"]
    order = {s: i for i, s in enumerate(("info", "warning", "critical"))}
    # each respondent's value (0–100) exactly as marts/survey_respondents defines it
    value_of = ctx.mart("survey_respondents").set_index("response_id")["value_100"]
    sat = ctx.mart("unit_satisfaction")
    sat_of = {
        (p, u): (float(q), int(n))
        for p, u, q, n in zip(
            sat["period_id"],
            sat["unit_id"],
            sat["questionnaire"],
            sat["n_respondents"],
            strict=True,
        )
        if pd.notna(q)
    }
    flags = []
    for r in cand.itertuples(index=False):
        sev_b = r.sev_b if isinstance(r.sev_b, str) else None
        sev_o = (
            None
            if r.n_out == 0
            else "critical"
            if r.n_out >= o_crit
            else "warning"
            if r.n_out >= o_warn
            else "info"
        )
        sev = max([s for s in (sev_b, sev_o) if s], key=order.get)
        details: dict = {
            "n_responses": int(r.n_resp),
            "window_minutes": w / 60,
            "p_raw": p_detail(r.p),
        }
        parts = []
        n_suspect = int(r.n_out)
        if sev_b:
            top = pd.Series(top_of[(r.period_id, r.unit_id)])
            rr = copies_of[(r.period_id, r.unit_id)]
            ts = rr["ts"].to_numpy(dtype=float)
            j_end = np.searchsorted(ts, ts + w, side="right")
            j0 = int(np.argmax(j_end - np.arange(len(ts))))
            burst = rr.iloc[j0 : j_end[j0]]
            m = len(burst)
            n_suspect += m
            vec_text = str(burst["vec"].iloc[0])
            # questionnaire satisfaction (0–100, marts/unit_satisfaction: the mean of
            # respondents' means) with and without the burst's respondents
            q_sat, q_n = sat_of.get((r.period_id, r.unit_id), (np.nan, 0))
            b_vals = value_of.reindex(burst["response_id"])
            sat_all = q_sat
            sat_wo = (q_sat * q_n - float(b_vals.sum())) / (q_n - m) if q_n > m else None
            # expected count of the vector if items were independent (reported only)
            share = share_of.get((r.period_id, r.unit_id, top.source), {})
            items_sorted = sorted({i for i, _ in share})
            p_indep = (
                float(
                    np.prod(
                        [
                            share.get((i, int(c)), 0.0)
                            for i, c in zip(items_sorted, vec_text, strict=False)
                        ]
                    )
                )
                if len(items_sorted) == len(vec_text)
                else None
            )
            n_src = int(top.n_timed)
            expected = float(top.k * top.q)
            span = (ts[j0 + m - 1] - ts[j0]) / 60
            details.update(
                {
                    "burst_vector": vec_text,
                    "burst_source": top.source,
                    "burst_size": m,
                    "vector_count": int(top.k),
                    "source_responses": n_src,
                    "expected_in_window": jsonable(expected),
                    "expected_count_independent_items": jsonable(n_src * p_indep)
                    if p_indep is not None
                    else None,
                    "burst_first": burst["t_text"].iloc[0],
                    "burst_last": burst["t_text"].iloc[-1],
                    "burst_minutes": jsonable(span),
                    "burst_response_ids": burst["response_id"].tolist()[:50],
                    "collection_hours": int(top.hours),
                    "satisfaction": jsonable(sat_all),
                    "satisfaction_without_burst": jsonable(sat_wo),
                    "shift_points": jsonable(sat_all - sat_wo) if sat_wo is not None else None,
                    "other_bursts": [
                        {"source": x["source"], "size": int(x["m"]), "count": int(x["k"])}
                        for x in others_of.get((r.period_id, r.unit_id), [])
                        if (x["code"], x["source"], x["items"])
                        != (top.code, top.source, top["items"])
                    ][:10],
                }
            )
            parts.append(
                tx.text(
                    "ev.survey.burst",
                    m=tx.count(m),
                    source=tx.text(f"ev.survey.source.{top.source}"),
                    vector=vec_text,
                    minutes=tx.num(round(span), 0),
                    expected=tx.small(expected),
                    p_phrase=tx.p_phrase(r.p_adj),
                )
            )
        if r.n_out:
            details.update(
                {
                    "outside_period": int(r.n_out),
                    "outside_response_ids": [str(x) for x in r.ids],
                    "outside_first": r.first_t,
                    "outside_last": r.last_t,
                }
            )
            parts.append(
                tx.text(
                    "ev.survey.outside",
                    n=tx.count(int(r.n_out)),
                    first=str(r.first_t),
                    last=str(r.last_t),
                )
            )
        text = Text("ev.survey_anomaly", {"parts": tx.items(parts, sep="ev.list.semicolon")})
        stat, p_adj = float(n_suspect), float(r.p_adj) if sev_b else None
        flags.append(Flag.on_unit(ft, r.period_id, r.unit_id, sev, stat, p_adj, text, details))
    return flags
