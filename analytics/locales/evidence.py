"""Evidence sentences of the flags: template keys with typed values (analytics.texts).

Detectors return ``Text("ev.<type>...", values)``; analytics.flags.flags_frame renders them
in both languages with the names of the database (cadres as "name (id)", periods by label
in Chinese, rater groups in words) and the one number formatter.  Nothing is rewritten
afterwards.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # shared phrases
    "ev.dir.above": {"zh": "偏高", "en": "above"},
    "ev.dir.below": {"zh": "偏低", "en": "below"},
    "ev.what.team": {"zh": "领导班子", "en": "the team"},
    "ev.what.cadre": {"zh": "干部{cadre}", "en": "{cadre}"},
    "ev.list.sep": {"zh": "、", "en": ", "},
    # rater_leniency / rater_severity
    "ev.rater_shift": {
        "zh": "{group}（{n} 张测评票）对本单位测评对象平均打 {mean} 分，其他测评主体类别对同一"
        "对象为 {ref} 分{excluded}；潜在尺度上相差 {y} 个标准差，而该类别通常为 {mu}"
        "（单位间标准差 {sd}），即比其常态{direction} {effect} 个标准差，校正后 p {p_rel}。"
        "{note}",
        "en": "{group} ({n} sheets) average {mean} on this unit's subjects where the other "
        "groups give the same subjects {ref}{excluded}: a shift of {y} cell SD against their "
        "usual {mu} (unit-to-unit SD {sd}), i.e. {effect} SD {direction} the usual offset of "
        "{group2}, adjusted p {p}.{note}",
    },
    "ev.rater_shift.excluded": {
        "zh": "（{groups}本身评分异常，未计入比较）",
        "en": " ({groups} left out of the comparison as deviant themselves)",
    },
    "ev.rater_shift.central_note": {
        "zh": "该类别评分同时集中于中间档次（见趋中评分标记），低分主要由此造成，故仅作提示。",
        "en": " Its marks also crowd the middle of the scale (central tendency), which "
        "explains the low level; kept as a note.",
    },
    # central_tendency
    "ev.central_tendency": {
        "zh": "{group}（{n} 张测评票）只有 {obs} 的评分落在最高或最低档，按其自身评分水平应有 "
        "{expected}（其他类别为 {others}），评分明显趋中，扣除该类别常态后少 {shortfall}，"
        "校正后 p {p_rel}。",
        "en": "{group} ({n} sheets) put {obs} of their marks at either end of the scale where "
        "{expected} was expected at their own level ({others} among the other groups); "
        "shortfall {shortfall} beyond the usual for {group2}, adjusted p {p}.",
    },
    # halo
    "ev.halo": {
        "zh": "{group}（{n} 张测评票）在非满分的评价中有 {share} 对同一测评对象的各项目一律打"
        "同一分，按相同分数水平应约为 {expected}（其他类别 {others}），各维度未加区分"
        "（晕轮效应）；比其他类别多 {excess}，超出该类别常态 {beyond}，校正后 p {p_rel}。",
        "en": "{group} ({n} sheets) give one and the same mark to every item of a subject in "
        "{share} of their ratings below the top, where {expected} would be expected at the "
        "same levels (other groups {others}): dimensions are not told apart (halo); excess "
        "{excess} over the other groups, {beyond} beyond the usual for {group2}, adjusted p "
        "{p}.",
    },
    # favoritism
    "ev.favoritism": {
        "zh": "{group}（{n} 张测评票）给{what}平均 {mean} 分，其他测评主体类别为 {ref} 分；"
        "扣除该类别通常的偏差后，对此对象偏高 {dev} 分，对本单位其他测评对象为 {other} 分，"
        "单独偏高 {y} 分（超出常态 {effect}），校正后 p {p_rel}。{note}",
        "en": "{group} ({n} sheets) give {what} {mean} where the other groups give {ref}; "
        "beyond the usual offset of {group2} that is {dev} marks on this subject against "
        "{other} on the unit's other subjects: {y} marks of favour ({effect} beyond the "
        "usual), adjusted p {p}.{note}",
    },
    "ev.favoritism.group_wide": {
        "zh": "该类别对本单位整体评分亦有异常（见其类别标记），在高分段可能表现为个别对象偏高，"
        "故仅作提示。",
        "en": " {group} also rate the unit's subjects differently as a whole (see its group "
        "flags), which can show unevenly near the top of the scale; kept as a note.",
    },
    # targeted_rating
    "ev.targeted_rating": {
        "zh": "{who}对{what}的全部项目一律打最低分 {min_mark}，而其余 {n_others} 张测评票对其"
        "平均为 {other_mean} 分{elsewhere}；按偶然推算期望仅 {expected} 张，校正后 p {p_rel}。",
        "en": "{who} give {what} the minimum mark {min_mark} on every item while the other "
        "{n_others} sheets average {other_mean} on this subject{elsewhere}; expected by "
        "chance {expected}, adjusted p {p}.",
    },
    "ev.targeted_rating.who_one": {
        "zh": "{k} 张{group}测评票",
        "en": "{k} sheets from {group}",
    },
    "ev.targeted_rating.who_many": {
        "zh": "{k} 张测评票（{parts}）",
        "en": "{k} sheets ({parts})",
    },
    "ev.targeted_rating.part": {"zh": "{group} {n} 张", "en": "{n} from {group}"},
    "ev.targeted_rating.part_small": {
        "zh": "人数较少的测评主体 {n} 张",
        "en": "{n} from small groups",
    },
    "ev.targeted_rating.elsewhere": {
        "zh": "，且这些测评票对其他测评对象平均为 {mean} 分，评分正常",
        "en": " and the same sheets rate the other subjects {mean}",
    },
    # straight_lining
    "ev.straight_lining": {
        "zh": "测评票 {ballot}{group}对 {n_subjects} 个测评对象的全部 {n_marks} 个测评项目一律打 "
        "{mark} 分；{chance}。",
        "en": "Sheet {ballot}{group} gives the same mark {mark} to all {n_marks} items of "
        "{n_subjects} subjects; {chance}.",
    },
    "ev.sheet.group": {"zh": "（{group}）", "en": " ({group})"},
    "ev.straight_lining.chance": {
        "zh": "按本场次其他测评票推算，整票同分为 {mark} 的概率为 {prob}（校正后 p {p_rel}）",
        "en": "a sheet of this session is constant at {mark} with probability {prob} "
        "(adjusted p {p})",
    },
    "ev.straight_lining.alone": {
        "zh": "本场次没有其他测评票可作比较",
        "en": "no other sheet in the session to compare with",
    },
    # misfit_ballot
    "ev.misfit_ballot": {
        "zh": "测评票 {ballot}{group}与本场次共识明显不一致：{why}；拟合均方 {outfit}"
        "（常态约为 1），校正后 p {p_rel}。",
        "en": "Sheet {ballot}{group} contradicts its session: {why}; outfit {outfit} "
        "(1 = ordinary), adjusted p {p}.",
    },
    "ev.misfit.sep": {"zh": "；", "en": "; "},
    "ev.misfit.against": {
        "zh": "评分走向与本场次共识相反（相关系数 {rho}）",
        "en": "its marks run against the session's profile (correlation {rho})",
    },
    "ev.misfit.ignore": {
        "zh": "评分走向与本场次共识无关（相关系数 {rho}）",
        "en": "its marks ignore the session's profile (correlation {rho})",
    },
    "ev.misfit.harsh": {
        "zh": "明显低于本类别其他测评票（平均偏离 {shift} 分）",
        "en": "it is far harsher than its own group (mean deviation {shift} marks)",
    },
    "ev.misfit.random": {"zh": "评分离散，近乎随机", "en": "its marks scatter as if at random"},
    "ev.misfit.depart": {"zh": "评分偏离共识", "en": "its marks depart from the consensus"},
    # duplicate_ballots
    "ev.duplicate_ballots": {
        "zh": "本场次 {n_session} 张测评票中有 {m} 张完全一致（{who}{when}）；按偶然一致推算，"
        "此类票组的期望个数为 {expected}，校正后 p {p_rel}。",
        "en": "{m} of {n_session} sheets in this session are identical ({who}{when}); "
        "expected number of such clusters by chance {expected}, adjusted p {p}.",
    },
    "ev.duplicate.one": {"zh": "均来自{group}", "en": "all from {group}"},
    "ev.duplicate.some": {"zh": "来自{groups}等", "en": "from {groups} and others"},
    "ev.duplicate.small": {"zh": "来自人数较少的测评主体", "en": "from small rater groups"},
    "ev.duplicate.when": {
        "zh": "，提交时间相差不超过 {minutes} 分钟",
        "en": ", submitted within {minutes} minutes",
    },
    # talk_coverage_gap
    "ev.talk_coverage_gap": {
        "zh": "个别谈话不到位：{parts}。",
        "en": "Talk round incomplete: {parts}.",
    },
    "ev.talk.missing": {
        "zh": "应谈{n_req}名干部中有{n_missing}人未谈话：{cadres}",
        "en": "{n_missing} of {n_req} required cadres had no talk ({cadres})",
    },
    "ev.talk.missing_cadre": {"zh": "{tier}{cadre}", "en": "{tier} {cadre}"},
    "ev.talk.short": {
        "zh": "{n_talks}次谈话中有{n_short}次不足{min_minutes}分钟（时长中位数{median}分钟）",
        "en": "{n_short} of {n_talks} talks lasted less than {min_minutes} minutes "
        "(median {median})",
    },
    "ev.talk.made_up": {
        "zh": "{n}名应谈干部在相邻考核周期补谈",
        "en": "{n} required cadres were heard only in the adjacent period",
    },
    "ev.list.semicolon": {"zh": "；", "en": "; "},
    # source_divergence
    "ev.source_divergence": {
        "zh": "{shape}：同类比较中民主测评 {democratic}（标准分 {n_dem}），{own} {results}"
        "（z {z_results}），相差 {gap} 个标准差，校正后 p {p_rel}。",
        "en": "{shape}: democratic {democratic} (normal score {n_dem}) vs {own} {results} "
        "(z {z_results}) among {peers}; gap {gap} SD, adjusted p {p}.",
    },
    "ev.divergence.high": {"zh": "测评高而实绩低", "en": "Ballots high but results low"},
    "ev.divergence.low": {"zh": "测评低而实绩高", "en": "Ballots low but results high"},
    "ev.divergence.portfolio": {"zh": "分管领域实绩", "en": "portfolio results"},
    "ev.divergence.performance": {"zh": "绩效", "en": "performance"},
    "ev.peers.team": {"zh": "同类班子", "en": "peer teams"},
    "ev.peers.cadre": {"zh": "同类班子成员", "en": "peer team members"},
    # self_inflation
    "ev.self_inflation": {
        "zh": "{who}自评均分{self}，同一{n_items}个测评项目的他评均分{others}（{n_marks}个评分）。"
        "他评处于同等水平者自评通常为{expected}，该自评高出正常水平{excess}分，自评明显偏高"
        "（{p_phrase}）。",
        "en": "{who} self-assessment averages {self} against {others} from others' {n_marks} "
        "marks on the same {n_items} items; subjects rated like this normally give themselves "
        "{expected}, so the self-assessment is {excess_signed} marks above the natural "
        "self-inflation ({p_phrase}).",
    },
    "ev.who.team": {"zh": "该班子", "en": "The team's"},
    "ev.who.cadre": {"zh": "该干部", "en": "The cadre's"},
    # survey_anomaly
    "ev.survey_anomaly": {
        "zh": "问卷疑似造假：{parts}。",
        "en": "Questionnaires look fabricated: {parts}.",
    },
    "ev.survey.burst": {
        "zh": "{m}份答案完全相同的{source}问卷（{vector}）在{minutes}分钟内集中提交，"
        "正常情况下该时段预期仅{expected}份（{p_phrase}）",
        "en": "{m} identical {source} responses ({vector}) arrived within {minutes} minutes "
        "where {expected} would be expected ({p_phrase})",
    },
    "ev.survey.outside": {
        "zh": "{n}份问卷的提交时间不在本考核周期内（{first}至{last}）",
        "en": "{n} responses were submitted outside the period ({first} to {last})",
    },
    "ev.survey.source.grassroots": {"zh": "基层单位", "en": "grassroots"},
    "ev.survey.source.service_recipient": {"zh": "服务对象", "en": "service-recipient"},
    # satisfaction_gap
    "ev.satisfaction_gap": {
        "zh": "本单位自行组织的问卷满意度为{q}（{n_q}人），按同类单位的常规差异及本单位以往情况，"
        "第三方满意度应约为{expected}，实际第三方测评为{tp}（样本{n_tp}），{direction}预期"
        "{gap}分（{p_phrase}）。",
        "en": "Own questionnaires give {q} ({n_q} respondents), which in units of this type and "
        "this unit's usual offset goes with a third-party result of {expected}; the third "
        "parties measured {tp} (n = {n_tp}), {gap} points {direction} than expected "
        "({p_phrase}).",
    },
    "ev.lower": {"zh": "低于", "en": "lower"},
    "ev.higher": {"zh": "高于", "en": "higher"},
    # verification_refuted
    "ev.verification_refuted": {
        "zh": "实地印证的{n_claims}项情况中有{n_refuted}项被否定（{claims}）{partial}。",
        "en": "{n_refuted} of {n_claims} claims checked on site refuted ({claims}){partial}.",
    },
    "ev.verification.partial_too": {
        "zh": "，另有{n}项仅部分属实",
        "en": " and {n} only partly confirmed",
    },
    "ev.verification.partial_only": {
        "zh": "实地印证的{n_claims}项情况中有{n_partial}项仅部分属实，无被否定事项。",
        "en": "{n_partial} of {n_claims} claims checked on site were only partly confirmed; "
        "none was refuted (a note, not an alarm).",
    },
    # talk_coverage_gap without any talk
    "ev.talk.no_round_year": {
        "zh": "自{since}起的十二个月内该单位未开展任何个别谈话，缺少年度谈话。",
        "en": "No talk was held with anyone of the unit in the twelve months since {since}: "
        "the yearly talk round is missing.",
    },
    "ev.talk.no_round_partial": {
        "zh": "已导入的考核周期内该单位没有个别谈话记录（导入数据不足一年，谈话可能尚未安排）。",
        "en": "No talk with anyone of the unit in the loaded periods (less than a year is "
        "loaded, so the round may still come).",
    },
    # talk_vote_conflict
    "ev.talk_vote_conflict.high": {
        "zh": "该干部民主测评得分{democratic}，居全市{where}，但谈话中被提及{n}次，"
        "负面反映{neg}次、正面{pos}次，而同等测评水平的干部负面反映仅约{expected}（{p_phrase}）。",
        "en": "Ballots place the cadre in the city's {where} (democratic {democratic}, z {z}) "
        "but {neg} of {n} talk mentions are negative and {pos} positive, where about "
        "{expected} negative would be expected at this ballot level ({p_phrase}).",
    },
    "ev.talk_vote_conflict.low": {
        "zh": "该干部民主测评得分{democratic}，居全市{where}，但谈话中被提及{n}次，"
        "正面评价{pos}次、负面反映{neg}次，而同等测评水平的干部正面评价仅约{expected}（{p_phrase}）。",
        "en": "Ballots place the cadre in the city's {where} (democratic {democratic}, z {z}) "
        "but {pos} of {n} talk mentions are positive and {neg} negative, where about "
        "{expected} positive would be expected at this ballot level ({p_phrase}).",
    },
    "ev.where.top": {"zh": "前{share}", "en": "top {share}"},
    "ev.where.bottom": {"zh": "后{share}", "en": "bottom {share}"},
    # group_bias
    "ev.group_bias": {
        "zh": "在业绩、职务和同类单位相同的情况下，{who}的民主测评得分比{ref}{direction}"
        "{sd}个标准差（{points}分）（{n_periods}个周期{n_cadres}名干部的{n_obs}个评分，按干部聚类的稳健Wald"
        "检验，{p_phrase}）。",
        "en": "On the democratic channel {who} are rated {sd} SD ({points} points) {direction} "
        "than {ref} with the same performance, role and peer group ({n_obs} ratings of "
        "{n_cadres} cadres over {n_periods} periods, cluster-robust Wald test, {p_phrase}).",
    },
    "ev.bias.gender.F": {"zh": "女性干部", "en": "women"},
    "ev.bias.gender.M": {"zh": "男性干部", "en": "men"},
    "ev.bias.level": {"zh": "{attr}为{level}的干部", "en": "cadres with {attr} {level}"},
    "ev.bias.ref": {"zh": "{level}的干部", "en": "those with {level}"},
    "ev.bias.attr.age_band": {"zh": "年龄段", "en": "age band"},
    "ev.bias.attr.education": {"zh": "学历", "en": "education"},
    "ev.lower_adj": {"zh": "低", "en": "lower"},
    "ev.higher_adj": {"zh": "高", "en": "higher"},
}
