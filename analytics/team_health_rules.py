"""The reasons of team health and the verdict they give (the rules table of
:mod:`analytics.team_health`), and the codes of what could not be assessed."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from analytics.team_health_measures import _cfg


def _pct_shown(p: float) -> int:
    """A percentile as shown: rounded, but never 0 or 100 (a mid-rank is strictly inside)."""
    return int(min(99, max(1, round(p))))


def _ordinal(p: float) -> str:
    n = _pct_shown(p)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---- reasons ------------------------------------------------------------------------------
def _basis_txt(basis: str, unit_type: str) -> tuple[str, str]:
    if basis == "peers":
        return f"peer teams ({unit_type})", "同类班子"
    return "teams across the city", "全市班子"


def _reasons(df: pd.DataFrame, dims: list[str], items: pd.DataFrame) -> pd.DataFrame:
    zw, zc = float(_cfg("z_watch")), float(_cfg("z_concern"))
    floor = float(_cfg("floor_position"))
    rows: list[dict] = []
    names = list(df.columns)
    values = df.to_numpy(dtype=object)
    row_cache: dict[int, SimpleNamespace] = {}

    def add(mask, code, group, level, value, ref, en, zh):
        for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool)):
            r = row_cache.get(i)
            if r is None:
                r = row_cache[i] = SimpleNamespace(**dict(zip(names, values[i], strict=True)))
            lv = level(r) if callable(level) else level
            rows.append(
                {
                    "period_id": r.period_id,
                    "unit_id": r.unit_id,
                    "code": code,
                    "group": group,
                    "level": lv,
                    "value": value(r),
                    "reference": ref(r),
                    "text_en": en(r),
                    "text_zh": zh(r),
                }
            )

    def low_z(col, code, group, name_en, name_zh, fmt="{:.1f}", floor_abs=None, can_concern=True):
        z = df[f"{col}_z"]
        mask = z <= -zw
        if floor_abs is not None:
            mask = mask | (df[col] < floor_abs)

        def level(r):
            zz = getattr(r, f"{col}_z")
            bad_abs = floor_abs is not None and getattr(r, col) < floor_abs
            deep = can_concern and pd.notna(zz) and zz <= -zc
            return "concern" if bad_abs or deep else "watch"

        def text(r, lang: str) -> str:
            b_en, b_zh = _basis_txt(getattr(r, f"x_{col}_basis"), r.unit_type)
            pct, z = getattr(r, f"{col}_pct"), getattr(r, f"{col}_z")
            v = fmt.format(getattr(r, col))
            below = floor_abs is not None and getattr(r, col) < floor_abs
            if lang == "en":
                if pd.isna(pct):
                    return f"{name_en} {v} is below the absolute floor ({floor_abs:.0f} of 100)."
                extra = f"; below the absolute floor ({floor_abs:.0f} of 100)" if below else ""
                return (
                    f"{name_en} {v} is low among {b_en} ({_ordinal(pct)} percentile, "
                    f"z {z:+.1f}){extra}."
                )
            if pd.isna(pct):
                return f"{name_zh}{v}，低于绝对下限（{floor_abs:.0f}分，满分100）"
            extra = f"，且低于绝对下限（{floor_abs:.0f}分，满分100）" if below else ""
            return f"{name_zh}{v}，低于{b_zh}（第{_pct_shown(pct)}百分位，标准分{z:+.1f}）{extra}"

        add(
            mask,
            code,
            group,
            level,
            lambda r: getattr(r, col),
            lambda r: getattr(r, f"{col}_pct"),
            lambda r: text(r, "en"),
            lambda r: text(r, "zh"),
        )

    # cohesion
    low_z(
        "own_unity",
        "own_unity_low",
        "cohesion",
        "Team members' own rating of unity (0-100)",
        "班子成员对本班子团结协作的评价",
        "{:.0f}",
        floor_abs=floor,
    )
    low_z(
        "rwg",
        "agreement_low",
        "cohesion",
        "Agreement among team members on the team items (rwg)",
        "班子成员对班子测评项目的评价一致性（rwg）",
        "{:.2f}",
        can_concern=False,
    )
    low_z(
        "own_view_gap",
        "own_view_low",
        "cohesion",
        "How team members rate their team relative to other raters (gap, points)",
        "班子成员自评班子与其他测评主体评价之差（分）",
        "{:+.1f}",
        can_concern=False,
    )
    low_z(
        "colleague_gap",
        "colleague_ratings_low",
        "cohesion",
        "Team members' ratings of their colleagues relative to other raters (gap, points)",
        "班子成员互评与其他测评主体评价之差（分）",
        "{:+.1f}",
        can_concern=False,
    )
    # climate
    lab = items[items["subject_type"] == "team"].drop_duplicates("dimension").set_index("dimension")
    for d in dims:
        en_l = lab["label_en"].get(d, d) if len(lab) else d
        zh_l = lab["label_zh"].get(d, d) if len(lab) else d
        low_z(
            f"climate_{d}",
            f"climate_low_{d}",
            "climate",
            f"{en_l} score",
            f"{zh_l}得分",
            "{:.0f}",
            floor_abs=floor,
        )
    low_z(
        "satisfaction",
        "satisfaction_low",
        "satisfaction",
        "Satisfaction (questionnaires and third party)",
        "满意度（问卷和第三方）",
        "{:.1f}",
    )
    sg = float(_cfg("source_gap_z"))
    add(
        df["source_gap_z"].abs() >= sg,
        "satisfaction_sources_disagree",
        "satisfaction",
        "info",
        lambda r: r.source_gap,
        lambda r: r.source_gap_z,
        lambda r: (
            f"Questionnaires ({r.questionnaire:.1f}) and third-party satisfaction "
            f"({r.third_party:.1f}) disagree (z {r.source_gap_z:+.1f} vs the city)."
        ),
        lambda r: (
            f"问卷满意度（{r.questionnaire:.1f}）与第三方满意度（{r.third_party:.1f}）"
            f"差异明显（标准分{r.source_gap_z:+.1f}）"
        ),
    )
    # spread
    add(
        df["member_sd_z"] >= zw,
        "spread_high",
        "spread",
        "watch",
        lambda r: r.member_sd,
        lambda r: r.member_sd_pct,
        lambda r: (
            f"Members' composites are uneven: SD {r.member_sd:.1f}, range "
            f"{r.member_range:.1f} ({_ordinal(r.member_sd_pct)} percentile of "
            f"{_basis_txt(r.x_member_sd_basis, r.unit_type)[0]}); lowest "
            f"{r.lowest_member} {r.lowest_composite:.1f}."
        ),
        lambda r: (
            f"班子成员综合得分分化明显：标准差{r.member_sd:.1f}，极差"
            f"{r.member_range:.1f}（{_basis_txt(r.x_member_sd_basis, r.unit_type)[1]}"
            f"第{_pct_shown(r.member_sd_pct)}百分位）；最低为{r.lowest_member}"
            f"（{r.lowest_composite:.1f}）"
        ),
    )
    # principal vs deputies
    pg = float(_cfg("principal_gap_watch"))
    add(
        (df["principal_gap"] <= -pg) & df["principal_gap_clear"],
        "principal_below_deputies",
        "principal",
        "watch",
        lambda r: r.principal_gap,
        lambda r: r.deputies_mean,
        lambda r: (
            f"The principal ({r.principal_name}, {r.principal_composite:.1f}) scores "
            f"{-r.principal_gap:.1f} points below the deputies' mean "
            f"({r.deputies_mean:.1f}), beyond the score's uncertainty."
        ),
        lambda r: (
            f"主要负责人（{r.principal_name}，{r.principal_composite:.1f}）低于副职平均"
            f"（{r.deputies_mean:.1f}）{-r.principal_gap:.1f}分，超出得分不确定范围"
        ),
    )
    add(
        (df["principal_gap"] >= 1.5 * pg) & df["principal_gap_clear"],
        "principal_far_above_deputies",
        "principal",
        "info",
        lambda r: r.principal_gap,
        lambda r: r.deputies_mean,
        lambda r: (
            f"The principal ({r.principal_composite:.1f}) is {r.principal_gap:.1f} "
            f"points above the deputies' mean ({r.deputies_mean:.1f}): a thin "
            "deputy bench."
        ),
        lambda r: (
            f"主要负责人（{r.principal_composite:.1f}）高出副职平均"
            f"（{r.deputies_mean:.1f}）{r.principal_gap:.1f}分，副职力量偏弱"
        ),
    )
    # structure (info)
    old, young = int(_cfg("old_age")), int(_cfg("young_age"))
    ly = float(_cfg("long_tenure_years"))
    full = df["n_members"] > 0
    struct = [
        (
            full & (df["x_n_gender"] == df["n_members"]) & (df["n_female"] == 0),
            "no_woman",
            lambda r: 0,
            lambda r: r.share_female_pct,
            lambda r: "No woman on the team.",
            lambda r: "班子中无女性成员",
        ),
        (
            full & (df["x_n_edu"] == df["n_members"]) & (df["share_postgrad"] == 0),
            "no_postgraduate",
            lambda r: 0,
            lambda r: r.share_postgrad_pct,
            lambda r: "No member with a postgraduate degree.",
            lambda r: "班子中无研究生学历成员",
        ),
        (
            full & (df["x_n_age"] == df["n_members"]) & (df["min_age"] >= old),
            "all_over_age",
            lambda r: r.min_age,
            lambda r: old,
            lambda r: f"Every member is {old} or older (youngest {r.min_age:.0f}).",
            lambda r: f"班子成员均在{old}岁及以上（最小{r.min_age:.0f}岁）",
        ),
        (
            full
            & (df["x_n_age"] == df["n_members"])
            & (df["n_young"] == 0)
            & (df["min_age"] < old),
            "no_young_member",
            lambda r: r.min_age,
            lambda r: young,
            lambda r: f"No member under {young} (youngest {r.min_age:.0f}).",
            lambda r: f"班子中无{young}岁以下成员（最小{r.min_age:.0f}岁）",
        ),
        (
            df["age_z"] >= zw,
            "older_than_peers",
            lambda r: r.mean_age,
            lambda r: r.age_z,
            lambda r: (
                f"Mean age {r.mean_age:.1f} is high among "
                f"{_basis_txt(r.x_mean_age_basis, r.unit_type)[0]} (z {r.age_z:+.1f})."
            ),
            lambda r: (
                f"平均年龄{r.mean_age:.1f}岁，高于"
                f"{_basis_txt(r.x_mean_age_basis, r.unit_type)[1]}（标准分{r.age_z:+.1f}）"
            ),
        ),
        (
            full
            & (df["x_n_since"] == df["n_members"])
            & (df["n_members"] >= 3)
            & (df["n_appointment_years"] == 1),
            "same_year_appointed",
            lambda r: r.n_appointment_years,
            lambda r: np.nan,
            lambda r: "Every member took up the post in the same year.",
            lambda r: "班子成员均为同一年任职",
        ),
        (
            df["n_long_tenure"] > 0,
            "long_tenure",
            lambda r: r.n_long_tenure,
            lambda r: ly,
            lambda r: (
                f"{r.n_long_tenure:.0f} member(s) {ly:.0f} years or longer in the post "
                f"(longest {r.max_tenure:.1f})."
            ),
            lambda r: f"{r.n_long_tenure:.0f}名成员任现职满{ly:.0f}年（最长{r.max_tenure:.1f}年）",
        ),
    ]
    for mask, code, value, ref, en, zh in struct:
        add(mask, code, "structure", "info", value, ref, en, zh)
    # trend
    tw, tc = float(_cfg("trend_watch_points")), float(_cfg("trend_concern_points"))
    add(
        df["change_clear"] & (df["composite_change"] <= -tw),
        "composite_decline",
        "trend",
        lambda r: "concern" if r.composite_change <= -tc else "watch",
        lambda r: r.composite_change,
        lambda r: r.prev_composite,
        lambda r: (
            f"Team composite fell {-r.composite_change:.1f} points since "
            f"{r.prev_period_id} ({r.prev_composite:.1f} → {r.team_composite:.1f}), "
            f"beyond the bootstrap uncertainty (z {r.change_z:+.1f})."
        ),
        lambda r: (
            f"班子综合得分较{r.prev_period_label}下降{-r.composite_change:.1f}分"
            f"（{r.prev_composite:.1f}→{r.team_composite:.1f}），超出抽样不确定范围"
        ),
    )
    add(
        df["members_change_clear"] & (df["members_change"] <= -tw),
        "members_decline",
        "trend",
        "watch",
        lambda r: r.members_change,
        lambda r: r.members_change_z,
        lambda r: (
            f"Members' mean composite fell {-r.members_change:.1f} points since "
            f"{r.prev_period_id}, beyond the bootstrap uncertainty."
        ),
        lambda r: (
            f"班子成员平均得分较{r.prev_period_label}下降{-r.members_change:.1f}分，超出抽样不确定范围"
        ),
    )
    add(
        df["change_clear"] & (df["composite_change"] >= tw),
        "composite_rise",
        "trend",
        "info",
        lambda r: r.composite_change,
        lambda r: r.prev_composite,
        lambda r: (
            f"Team composite rose {r.composite_change:.1f} points since "
            f"{r.prev_period_id} ({r.prev_composite:.1f} → {r.team_composite:.1f})."
        ),
        lambda r: (
            f"班子综合得分较{r.prev_period_label}上升{r.composite_change:.1f}分"
            f"（{r.prev_composite:.1f}→{r.team_composite:.1f}）"
        ),
    )
    add(
        df["change_flagged"].fillna(False) & (df["composite_change"].abs() >= tw),
        "change_driven_by_flags",
        "trend",
        "info",
        lambda r: r.composite_change,
        lambda r: r.prev_composite,
        lambda r: (
            f"Team composite moved {r.composite_change:+.1f} points since {r.prev_period_id} "
            f"({r.prev_composite:.1f} → {r.team_composite:.1f}), but flagged sheets drive it: "
            "without them the change is within the uncertainty."
        ),
        lambda r: (
            f"班子综合得分较{r.prev_period_label}变化{r.composite_change:+.1f}分"
            f"（{r.prev_composite:.1f}→{r.team_composite:.1f}），但由异常测评票造成："
            "剔除异常测评票后变化在不确定范围之内"
        ),
    )
    # talks
    pw, pc = float(_cfg("talk_p_watch")), float(_cfg("talk_p_concern"))
    mn = int(_cfg("talk_min_negative"))
    add(
        (df["talk_p"] <= pw)
        & (df["mentions_negative"] >= mn)
        & (df["share_negative"] > df["city_share_negative"]),
        "talk_negative_high",
        "talks",
        lambda r: "concern" if r.talk_p <= pc else "watch",
        lambda r: r.share_negative,
        lambda r: r.city_share_negative,
        lambda r: (
            f"Talks: {r.mentions_negative} of {r.mentions} mentions of the team and its "
            f"members negative ({r.share_negative:.0%} vs the city's "
            f"{r.city_share_negative:.0%}, p {r.talk_p:.2g}); mostly "
            f"{r.x_neg_topics_en}."
        ),
        lambda r: (
            f"个别谈话中涉及班子及成员的{r.mentions}条意见有{r.mentions_negative}条负面"
            f"（{r.share_negative:.0%}，全市为{r.city_share_negative:.0%}，"
            f"p = {r.talk_p:.2g}），主要涉及{r.x_neg_topics_zh}"
        ),
    )
    cols = [
        "period_id",
        "unit_id",
        "code",
        "group",
        "level",
        "value",
        "reference",
        "text_en",
        "text_zh",
    ]
    out = pd.DataFrame(rows, columns=cols)

    # escalations: structure gaps together, several watch signals
    sw = int(_cfg("structure_gaps_watch"))
    s = (
        out[out["group"] == "structure"]
        .groupby(["period_id", "unit_id"])
        .agg(n=("code", "size"), en=("text_en", " ".join), zh=("text_zh", "；".join))
    )
    s = s[s["n"] >= sw].reset_index()
    esc = [
        pd.DataFrame(
            {
                "period_id": s["period_id"],
                "unit_id": s["unit_id"],
                "code": "structure_unbalanced",
                "group": "structure",
                "level": "watch",
                "value": s["n"],
                "reference": sw,
                "text_en": s["n"].astype(str) + " structural gaps at once: " + s["en"],
                "text_zh": "班子结构存在" + s["n"].astype(str) + "项短板：" + s["zh"],
            }
        )
    ]
    out = pd.concat([out, *esc], ignore_index=True) if len(s) else out
    w2c = int(_cfg("watch_to_concern"))
    watch = out[out["level"] == "watch"]
    cnt = watch.groupby(["period_id", "unit_id"])["group"].nunique().rename("n").reset_index()
    worst = out[out["level"] == "concern"][["period_id", "unit_id"]].drop_duplicates()
    cnt = cnt.merge(worst.assign(has=True), on=["period_id", "unit_id"], how="left")
    sev = cnt[cnt["has"].isna() & (cnt["n"] >= w2c)]
    if len(sev):
        out = pd.concat(
            [
                out,
                pd.DataFrame(
                    {
                        "period_id": sev["period_id"],
                        "unit_id": sev["unit_id"],
                        "code": "several_watch_signals",
                        "group": "verdict",
                        "level": "concern",
                        "value": sev["n"],
                        "reference": w2c,
                        "text_en": "Watch signals in "
                        + sev["n"].astype(str)
                        + " separate areas at once "
                        "(threshold " + str(w2c) + ").",
                        "text_zh": "同时在"
                        + sev["n"].astype(str)
                        + "个方面出现需关注信号（阈值"
                        + str(w2c)
                        + "个）",
                    }
                ),
            ],
            ignore_index=True,
        )
    out["_rank"] = out["level"].map({"concern": 0, "watch": 1, "info": 2})
    out = out.sort_values(["period_id", "unit_id", "_rank", "group", "code"]).drop(columns="_rank")
    return out.reset_index(drop=True)


def _missing(df: pd.DataFrame) -> pd.Series:
    mp = int(_cfg("min_peers"))
    conds = {
        "no_team_composite": df["team_composite"].isna(),
        "no_member_scores": df["n_scored"] < 2,
        "no_principal_score": df["principal_composite"].isna(),
        "no_deputy_scores": df["deputies_mean"].isna(),
        "no_team_ballots": df["climate_overall"].isna()
        if "climate_overall" in df
        else pd.Series(True, index=df.index),
        "team_member_sheets_below_floor": df["x_tm_below_floor"].fillna(False).astype(bool),
        "no_satisfaction": df["satisfaction"].isna(),
        "no_questionnaire": df["questionnaire"].isna() & df["satisfaction"].notna(),
        "no_third_party": df["third_party"].isna() & df["satisfaction"].notna(),
        "no_previous_period": df["prev_composite"].isna(),
        "no_talks": df["n_talks"] == 0,
        "structure_incomplete": df["x_incomplete"].fillna(False).astype(bool),
        "few_peers": df.groupby(["period_id", "unit_type"])["unit_id"].transform("size") < mp,
    }
    if "climate_overall" not in df:
        clim = [
            c for c in df.columns if c.startswith("climate_") and not c.endswith(("_z", "_pct"))
        ]
        conds["no_team_ballots"] = (
            df[clim].isna().all(axis=1) if clim else pd.Series(True, index=df.index)
        )
    m = pd.DataFrame({k: v.fillna(False).astype(bool) for k, v in conds.items()})
    codes = list(m.columns)
    arr = m.to_numpy()
    return pd.Series(
        [";".join(c for c, f in zip(codes, row, strict=True) if f) for row in arr], index=df.index
    )
