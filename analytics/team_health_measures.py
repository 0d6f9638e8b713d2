"""The measures of team health (:mod:`analytics.team_health` documents every column): data
gathering, the ballot, member, structure and satisfaction measures, the peer and city
comparisons, and the assembled frame of one row per team and period."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analytics import changes, channels, config, privacy
from analytics.context import Context

TEAM_MEMBER = "team_member"
POSTGRAD_WORDS = ("研究生", "硕士", "博士", "master", "doctor", "phd", "postgrad", "mba")
# (plain words: they are placed in SQL LIKE patterns)

TOPIC_ZH = {
    "responsibility": "担当作为",
    "competence": "能力",
    "unity": "团结",
    "style": "作风",
    "integrity": "廉洁",
    "other": "其他",
}


def _cfg(key: str):
    """A ``[team_health]`` setting (config/yanpan.toml documents each; no fallback)."""
    return config.get("team_health", key)


# ---- comparisons --------------------------------------------------------------------------
def _group_stats(df: pd.DataFrame, cols: list[str], keys: list[str]):
    g = df.groupby(keys, observed=True, dropna=False)[cols]
    n = g.transform("count")
    mean = g.transform("mean")
    sd = g.transform("std")
    pct = (g.rank(method="average") - 0.5) / n * 100
    x = df[cols]
    flat = sd.gt(0)
    z = ((x - mean) / sd.where(flat)).mask(x.notna() & ~flat, 0.0)
    return z, pct, n


def _compare(df: pd.DataFrame, cols: list[str], scope: str, min_peers: int) -> pd.DataFrame:
    """``<col>_z``, ``<col>_pct`` and the internal ``x_<col>_basis`` (peers | city) of every
    column: vs the period's teams (city) or its peer teams (falling back to the city)."""
    z, pct, n = _group_stats(df, cols, ["period_id"])
    basis = pd.DataFrame("city", index=df.index, columns=cols)
    if scope == "peers":
        zp, pp, np_ = _group_stats(df, cols, ["period_id", "unit_type"])
        use = np_ >= min_peers
        z, pct, n = zp.where(use, z), pp.where(use, pct), np_.where(use, n)
        basis = basis.mask(use, "peers")
    ok = n >= min_peers
    z, pct = z.where(ok), pct.where(ok)
    return pd.concat(
        [z.add_suffix("_z"), pct.add_suffix("_pct"), basis.add_prefix("x_").add_suffix("_basis")],
        axis=1,
    )


# ---- data gathering -----------------------------------------------------------------------
def _scores(ctx: Context, scores: pd.DataFrame | None, periods: list[str]) -> pd.DataFrame:
    """Scores for ``periods``: the given frame, else ctx.memo("scores"); a period outside the
    analysed ones (the previous period of the first) is scored in its own context."""
    from analytics.scores import compute_scores

    sc = scores if scores is not None else ctx.memo("scores", lambda: compute_scores(ctx))
    have = set(sc["period_id"].unique())
    extra = []
    for p in periods:
        if p not in have:
            sub = Context(ctx.con, [p])
            extra.append(ctx.memo(("team_health_scores", p), lambda s=sub: compute_scores(s)))
    if extra:
        sc = pd.concat([sc, *extra], ignore_index=True)
    return sc[sc["period_id"].isin(periods)]


def _talks(ctx: Context) -> pd.DataFrame:
    """Talks and team-related mentions per unit and period (about the team, or about a
    team-tier cadre of the unit), by stance and topic, with the city base rate."""
    topic_zh = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in TOPIC_ZH.items())
    out = ctx.df(f"""
        WITH tk AS (
            SELECT period_id, unit_id, count(*) AS n_talks FROM talks
            WHERE period_id IN {{periods}} GROUP BY ALL
        ), m AS (
            SELECT t.period_id,
                   CASE WHEN m.subject_type = 'team' THEN m.subject_id ELSE c.unit_id END
                       AS unit_id, m.stance, m.topic
            FROM talk_mentions m JOIN talks t USING (talk_id)
            LEFT JOIN cadres c ON m.subject_type = 'cadre' AND c.cadre_id = m.subject_id
                 AND c.tier = 'team'
            WHERE t.period_id IN {{periods}}
              AND (m.subject_type = 'team' OR c.cadre_id IS NOT NULL)
        ), tp AS (
            SELECT period_id, unit_id, topic, count(*) AS n,
                   count(*) FILTER (WHERE stance = 'negative') AS neg
            FROM m GROUP BY ALL
        ), tops AS (
            SELECT period_id, unit_id,
                   string_agg(topic || ' ' || n || ' (' || neg || ' neg)', '; '
                              ORDER BY neg DESC, n DESC, topic) AS mentions_by_topic,
                   string_agg(CASE WHEN neg > 0 THEN topic || ' ' || neg END, ', '
                              ORDER BY neg DESC, n DESC, topic) AS x_neg_topics_en,
                   string_agg(CASE WHEN neg > 0 THEN (CASE topic {topic_zh} ELSE topic END)
                                   || ' ' || neg || ' 条' END, '，'
                              ORDER BY neg DESC, n DESC, topic) AS x_neg_topics_zh
            FROM tp GROUP BY ALL
        ), st AS (
            SELECT period_id, unit_id, count(*) AS mentions,
                   count(*) FILTER (WHERE stance = 'positive') AS mentions_positive,
                   count(*) FILTER (WHERE stance = 'neutral') AS mentions_neutral,
                   count(*) FILTER (WHERE stance = 'negative') AS mentions_negative
            FROM m GROUP BY ALL
        )
        SELECT * FROM tk FULL JOIN st USING (period_id, unit_id)
        LEFT JOIN tops USING (period_id, unit_id)""")
    per = out.groupby("period_id")[["mentions_negative", "mentions"]].sum()
    pooled = per["mentions_negative"].sum() / max(per["mentions"].sum(), 1)
    base = (per["mentions_negative"] / per["mentions"]).where(
        per["mentions"] >= int(_cfg("talk_base_min_mentions")), pooled
    )
    out["city_share_negative"] = out["period_id"].map(base) if len(per) else np.nan
    # the strings of the top two negative topics only
    for c in ("x_neg_topics_en", "x_neg_topics_zh"):
        sep = ", " if c.endswith("en") else "，"
        out[c] = out[c].fillna("").str.split(sep).str[:2].str.join(sep)
    return out


# ---- the measures -------------------------------------------------------------------------
KNOWN_DIMENSIONS = ("political", "leadership", "unity", "style", "integrity", "overall")


def _team_dimensions(ctx: Context) -> list[str]:
    dims = set(ctx.items.loc[ctx.items["subject_type"] == "team", "dimension"].dropna())
    return [d for d in KNOWN_DIMENSIONS if d in dims] + sorted(dims - set(KNOWN_DIMENSIONS))


def _ballot_measures(ctx: Context) -> tuple[pd.DataFrame, list[str]]:
    """Cohesion and climate per unit and period: one scan of the ballots in DuckDB (marks
    on each unit's own team by group × item, marks on its cadres by group × subject), the
    rest aggregated from those cells in the same query."""
    dims = _team_dimensions(ctx)
    params: dict = {"tm": TEAM_MEMBER}
    clim = []
    for k, d in enumerate(dims):
        params[f"d{k}"] = d
        clim.append(
            f"least(greatest(sum(t.spos - o.off * t.n) FILTER (WHERE t.dimension = $d{k})"
            f" / sum(t.n) FILTER (WHERE t.dimension = $d{k}), 0), 1) * 100 AS climate_{k}"
        )
    out = ctx.df(
        f"""
        WITH cells AS MATERIALIZED (
            SELECT b.period_id, b.unit_id, b.rater_group, b.subject_type,
                   CASE WHEN b.subject_type = 'team' THEN b.item_id END AS item_id,
                   CASE WHEN b.subject_type = 'cadre' THEN b.subject_id END AS subject_id,
                   count(*) AS n, sum(b.score) AS s1, sum(b.score * b.score) AS s2,
                   sum((b.score - coalesce(i.scale_min, 1))
                       / (i.scale_max - coalesce(i.scale_min, 1))) AS spos
            FROM ballots b JOIN items i ON i.item_id = b.item_id
                 AND i.scale_max > coalesce(i.scale_min, 1)
            WHERE b.period_id IN {{periods}}
              AND (b.subject_type = 'cadre' OR b.subject_id = b.unit_id)
            GROUP BY ALL
        ), team AS MATERIALIZED (
            SELECT c.period_id, c.unit_id, c.rater_group, c.n, c.s1, c.s2, c.spos,
                   i.dimension, i.scale_max - coalesce(i.scale_min, 1) + 1 AS k,
                   CASE WHEN c.n >= 2
                        THEN greatest((c.s2 - c.s1 * c.s1 / c.n) / (c.n - 1), 0) END AS var
            FROM cells c JOIN items i ON i.item_id = c.item_id
            WHERE c.subject_type = 'team'
        ), tm AS (
            SELECT period_id, unit_id, max(n) AS tm_sheets,
                   avg(var / ((k * k - 1) / 12.0)) AS r_bar, count(var) AS n_items,
                   avg(sqrt(var)) AS tm_item_sd, sum(spos) / sum(n) * 100 AS tm_view,
                   sum(spos) FILTER (WHERE dimension = 'unity')
                       / sum(n) FILTER (WHERE dimension = 'unity') * 100 AS own_unity
            FROM team WHERE rater_group = $tm GROUP BY ALL
        ), oth AS (
            SELECT period_id, unit_id, sum(spos) / sum(n) * 100 AS others_view
            FROM team WHERE rater_group <> $tm GROUP BY ALL
        ), col AS (
            SELECT c.period_id, c.unit_id, c.subject_id,
                   sum(c.spos) FILTER (WHERE c.rater_group = $tm)
                       / sum(c.n) FILTER (WHERE c.rater_group = $tm)
                   - sum(c.spos) FILTER (WHERE c.rater_group <> $tm)
                       / sum(c.n) FILTER (WHERE c.rater_group <> $tm) AS gap
            FROM cells c JOIN cadres m ON m.cadre_id = c.subject_id
                 AND m.unit_id = c.unit_id AND m.tier = 'team'
            WHERE c.subject_type = 'cadre' GROUP BY ALL
        ), colg AS (
            SELECT period_id, unit_id, avg(gap) * 100 AS colleague_gap
            FROM col GROUP BY ALL
        ), grp AS (
            SELECT period_id, unit_id, rater_group, sum(spos) AS sp, sum(n) AS n
            FROM team GROUP BY ALL
        ), dif AS (
            SELECT period_id, rater_group, n,
                   sp / n - (sum(sp) OVER w - sp) / nullif(sum(n) OVER w - n, 0) AS d
            FROM grp WINDOW w AS (PARTITION BY period_id, unit_id)
        ), off AS (
            SELECT period_id, rater_group,
                   coalesce(sum(d * n) / nullif(sum(n) FILTER (WHERE d IS NOT NULL), 0), 0)
                       AS off
            FROM dif GROUP BY ALL
        ), clim AS (
            SELECT t.period_id, t.unit_id{"".join(", " + c for c in clim)}
            FROM team t JOIN off o USING (period_id, rater_group) GROUP BY ALL
        )
        SELECT * FROM clim
        FULL JOIN tm USING (period_id, unit_id)
        FULL JOIN oth USING (period_id, unit_id)
        FULL JOIN colg USING (period_id, unit_id)""",
        **params,
    )
    out = out.rename(columns={f"climate_{k}": f"climate_{d}" for k, d in enumerate(dims)})
    j = out["n_items"].astype(float)
    r = out["r_bar"]
    rwg = (j * (1 - r)) / (j * (1 - r) + r)
    out["rwg"] = rwg.where(r < 1, 0.0).where(j > 0)
    out["own_view_gap"] = out["tm_view"] - out["others_view"]
    out["tm_sheets"] = out["tm_sheets"].fillna(0).astype(int)
    floor = privacy.floor()
    below = out["tm_sheets"] < floor
    out.loc[below, ["rwg", "tm_item_sd", "own_unity", "own_view_gap", "colleague_gap"]] = np.nan
    out["x_tm_below_floor"] = below & (out["tm_sheets"] > 0)
    keep = [
        "period_id",
        "unit_id",
        "tm_sheets",
        "rwg",
        "tm_item_sd",
        "own_unity",
        "own_view_gap",
        "colleague_gap",
        "x_tm_below_floor",
        *[f"climate_{d}" for d in dims],
    ]
    return out[keep], dims


def _members_block(ctx: Context, sc: pd.DataFrame, z_q: float) -> pd.DataFrame:
    key = ["period_id", "unit_id"]
    m = (
        sc[sc["subject_type"] == "cadre"]
        .drop(columns=["unit_id"], errors="ignore")
        .merge(
            ctx.members[["cadre_id", "unit_id", "name", "role"]],
            left_on="subject_id",
            right_on="cadre_id",
        )
    )
    m = m[m["composite"].notna()]
    m["se2"] = ((m["ci_high"] - m["ci_low"]) / (2 * z_q)) ** 2
    g = m.groupby(key, observed=True)
    out = g.agg(
        n_scored=("composite", "count"),
        member_mean=("composite", "mean"),
        member_sd=("composite", "std"),
        lo=("composite", "min"),
        hi=("composite", "max"),
        se2=("se2", "sum"),
    )
    out["member_range"] = out["hi"] - out["lo"]
    out["member_mean_se"] = np.sqrt(out["se2"]) / out["n_scored"]
    low = m.loc[g["composite"].idxmin(), key + ["name", "composite"]].set_index(key)
    out["lowest_member"] = low["name"]
    out["lowest_composite"] = low["composite"]
    pr = (
        m[m["role"] == "principal"]
        .groupby(key, observed=True)
        .agg(
            principal_composite=("composite", "mean"),
            principal_ci_low=("ci_low", "mean"),
            principal_ci_high=("ci_high", "mean"),
            principal_name=("name", "first"),
        )
    )
    dep = (
        m[m["role"] == "deputy"]
        .groupby(key, observed=True)
        .agg(deputies_mean=("composite", "mean"), n_deputies=("composite", "count"))
    )
    out = out.join(pr, how="outer").join(dep, how="outer")
    out.loc[out["n_scored"] < 2, ["member_sd", "member_range"]] = np.nan
    out["principal_gap"] = out["principal_composite"] - out["deputies_mean"]
    out["principal_gap_clear"] = (
        (out["principal_gap"] < 0) & (out["principal_ci_high"] < out["deputies_mean"])
    ) | ((out["principal_gap"] > 0) & (out["principal_ci_low"] > out["deputies_mean"]))
    return out.drop(columns=["lo", "hi", "se2"]).reset_index()


def _structure(ctx: Context) -> pd.DataFrame:
    """Team-tier cadres' age, gender, education and tenure as of each period's end."""
    old, young = int(_cfg("old_age")), int(_cfg("young_age"))
    long_years = float(_cfg("long_tenure_years"))
    pg = " OR ".join(f"lower(c.education) LIKE '%{w}%'" for w in POSTGRAD_WORDS)
    return ctx.df(f"""
        WITH m AS (
            SELECT p.period_id, c.unit_id, c.cadre_id, c.gender,
                   year(p.end_date) - c.birth_year AS age,
                   CASE WHEN c.in_post_since IS NOT NULL THEN greatest(
                       date_diff('day', c.in_post_since, p.end_date), 0) / 365.25 END
                       AS tenure,
                   year(c.in_post_since) AS appt_year,
                   CASE WHEN c.education IS NULL THEN NULL WHEN {pg} THEN 1.0 ELSE 0.0 END
                       AS postgrad
            FROM cadres c CROSS JOIN periods p
            WHERE c.tier = 'team' AND p.period_id IN {{periods}}
        )
        SELECT period_id, unit_id, count(*) AS n_members, avg(age) AS mean_age,
               min(age) AS min_age, max(age) AS max_age,
               count(*) FILTER (WHERE gender = 'F') AS n_female,
               avg(CASE gender WHEN 'F' THEN 1.0 WHEN 'M' THEN 0.0 END) AS share_female,
               avg(postgrad) AS share_postgrad, avg(tenure) AS mean_tenure,
               max(tenure) AS max_tenure, count(DISTINCT appt_year) AS n_appointment_years,
               count(*) FILTER (WHERE tenure >= {long_years}) AS n_long_tenure,
               count(*) FILTER (WHERE age >= {old}) AS n_old,
               count(*) FILTER (WHERE age < {young}) AS n_young,
               count(gender) AS x_n_gender, count(age) AS x_n_age,
               count(postgrad) AS x_n_edu, count(tenure) AS x_n_since,
               least(count(gender), count(age), count(postgrad), count(tenure)) < count(*)
                   AS x_incomplete
        FROM m GROUP BY ALL""")


def _satisfaction(ctx: Context) -> pd.DataFrame:
    """The unit's satisfaction channel (analytics.channels.satisfaction: questionnaires and
    third party pooled by sample size) with ``source_gap`` = questionnaire − third party."""
    sat = channels.satisfaction(ctx)
    sat = sat[sat["subject_type"] == "team"].rename(columns={"subject_id": "unit_id"})
    return sat.assign(source_gap=sat["questionnaire"] - sat["third_party"])[
        ["period_id", "unit_id", "satisfaction", "questionnaire", "third_party", "source_gap"]
    ]


# ---- assembly -----------------------------------------------------------------------------
def _frame(ctx: Context, scores: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    key = ["period_id", "unit_id"]
    min_peers = int(_cfg("min_peers"))
    level = float(config.get("scores", "confidence"))
    z_q = float(stats.norm.ppf(1 - (1 - level) / 2))
    order = ctx.all_period_ids
    prev = {p: (order[order.index(p) - 1] if order.index(p) > 0 else None) for p in ctx.period_ids}
    need = list(dict.fromkeys([*ctx.period_ids, *[q for q in prev.values() if q]]))
    sc = _scores(ctx, scores, need)

    base = pd.DataFrame({"period_id": ctx.period_ids}).merge(
        ctx.units[["unit_id", "name", "unit_type", "area_id"]].rename(
            columns={"name": "unit_name"}
        ),
        how="cross",
    )
    base["peer_group"] = base["unit_type"] + " teams"

    tsc = sc[sc["subject_type"] == "team"]
    excl = {
        "composite_excl_flagged": "team_x",
        "ci_low_excl_flagged": "team_x_lo",
        "ci_high_excl_flagged": "team_x_hi",
    }
    for c, plain in zip(excl, ("composite", "ci_low", "ci_high"), strict=True):
        if c not in tsc:
            tsc = tsc.assign(**{c: tsc[plain]})
    team = tsc[["period_id", "subject_id", *channels.STANDING, *excl]].rename(
        columns={
            **excl,
            "subject_id": "unit_id",
            "composite": "team_composite",
            "ci_low": "team_ci_low",
            "ci_high": "team_ci_high",
            "rank": "team_rank",
            "rank_low": "team_rank_low",
            "rank_high": "team_rank_high",
        }
    )
    members = _members_block(ctx, sc, z_q)
    ballots, dims = _ballot_measures(ctx)
    df = (
        base.merge(team, on=key, how="left")
        .merge(members[members["period_id"].isin(ctx.period_ids)], on=key, how="left")
        .merge(ballots, on=key, how="left")
        .merge(_structure(ctx), on=key, how="left")
        .merge(_satisfaction(ctx), on=key, how="left")
        .merge(_talks(ctx), on=key, how="left")
    )
    for c in (
        "n_talks",
        "mentions",
        "mentions_positive",
        "mentions_neutral",
        "mentions_negative",
        "n_members",
        "tm_sheets",
        "n_scored",
        "n_deputies",
    ):
        df[c] = df[c].fillna(0).astype(int)
    df["mentions_by_topic"] = df["mentions_by_topic"].fillna("")
    with np.errstate(invalid="ignore", divide="ignore"):
        df["share_negative"] = df["mentions_negative"] / df["mentions"].where(df["mentions"] > 0)
    df["talk_p"] = np.where(
        df["mentions"] > 0,
        stats.binom.sf(
            df["mentions_negative"] - 1, df["mentions"], df["city_share_negative"].fillna(0.5)
        ),
        np.nan,
    )

    # trend
    df = df.copy()
    df["prev_period_id"] = df["period_id"].map(prev)
    # the previous period as a Chinese sentence names it (its label, e.g. 2026年第一季度)
    labels = dict(zip(ctx.periods["period_id"], ctx.periods["label"], strict=True))
    df["prev_period_label"] = df["prev_period_id"].map(labels).fillna(df["prev_period_id"])
    tprev = team.rename(
        columns={
            "period_id": "prev_period_id",
            "team_composite": "_pc",
            "team_ci_low": "_plo",
            "team_ci_high": "_phi",
            "team_x": "_px",
            "team_x_lo": "_pxlo",
            "team_x_hi": "_pxhi",
        }
    )[["prev_period_id", "unit_id", "_pc", "_plo", "_phi", "_px", "_pxlo", "_pxhi"]]
    mprev = members.rename(
        columns={"period_id": "prev_period_id", "member_mean": "_pm", "member_mean_se": "_pmse"}
    )[["prev_period_id", "unit_id", "_pm", "_pmse"]]
    df = df.merge(tprev, on=["prev_period_id", "unit_id"], how="left").merge(
        mprev, on=["prev_period_id", "unit_id"], how="left"
    )
    df["prev_composite"] = df["_pc"]
    df["composite_change"] = df["team_composite"] - df["_pc"]
    # one definition of a clear change (analytics.changes), on the plain and the
    # flag-aware figures: a change the flagged sheets drive is "flagged", not clear
    df["change_z"] = changes.change_z(
        df["composite_change"], df["team_ci_low"], df["team_ci_high"], df["_plo"], df["_phi"], z_q
    )
    z_x = changes.change_z(
        df["team_x"] - df["_px"], df["team_x_lo"], df["team_x_hi"], df["_pxlo"], df["_pxhi"], z_q
    )
    df["change_state"] = changes.state(df["change_z"], z_x, z_q)
    df["change_clear"] = df["change_state"] == "clear"
    df["change_flagged"] = df["change_state"] == "flagged"
    df["members_change"] = df["member_mean"] - df["_pm"]
    mse = np.sqrt(df["member_mean_se"] ** 2 + df["_pmse"] ** 2)
    df["members_change_z"] = df["members_change"] / mse.where(mse > 0)
    df["members_change_clear"] = df["members_change_z"].abs() >= z_q

    # comparisons
    city = ["rwg", "own_unity", "own_view_gap", "colleague_gap", "source_gap"]
    peers = [
        "member_sd",
        "mean_age",
        "share_female",
        "share_postgrad",
        "mean_tenure",
        "satisfaction",
        *[f"climate_{d}" for d in dims],
    ]
    df = pd.concat(
        [df, _compare(df, city, "city", min_peers), _compare(df, peers, "peers", min_peers)], axis=1
    )
    df = df.rename(columns={"mean_age_z": "age_z", "mean_tenure_z": "tenure_z"})
    return df, dims
