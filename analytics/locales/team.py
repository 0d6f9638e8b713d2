"""Strings of the team page (班子运行)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "team.title": {"zh": "班子运行", "en": "Team health"},
    "team.title_unit": {"zh": "班子运行 · {unit}", "en": "Team health · {unit}"},
    "team.caption": {
        "zh": "逐个单位研判领导班子运行状况：综合得分与同类比较、凝聚力、结构、氛围、趋势和谈话"
        "信号，以及研判信号的依据。",
        "en": "One leadership team at a time: standing among peer teams, cohesion, structure, "
        "climate, trend and talk signals, and the reasons behind the verdict.",
    },
    "team.header": {
        "zh": "{type} · {area} · {period} · 同类班子 {peers} 个",
        "en": "{type} · {area} · {period} · peer teams: {peers}",
    },
    "team.no_data": {
        "zh": "本周期没有该单位领导班子的分析结果（可能尚未导入该周期的数据）。",
        "en": "There is no analysis of this team for the period (its data may not be loaded yet).",
    },
    "team.pct": {"zh": "第{p}百分位", "en": "percentile {p}"},
    # the list (no unit chosen)
    "team.list.title": {"zh": "{period}各班子研判信号", "en": "Team verdicts, {period}"},
    "team.list.caption": {
        "zh": "按研判信号排序：“需重点关注”在前，其次“需关注”，再次“运行正常”；"
        "同等信号下综合得分低者在前。"
        "选中一行即打开该班子。",
        "en": "Ranked by verdict: needs close attention first, then needs attention, then "
        "sound; within a verdict, the lowest composite first. Select a row to open the team.",
    },
    "team.list.empty": {
        "zh": "本周期没有班子分析结果。",
        "en": "No team analysis for this period.",
    },
    "team.col.n_concern": {"zh": "需重点关注项", "en": "Needing close attention"},
    "team.col.n_watch": {"zh": "需关注项", "en": "Needing attention"},
    "team.col.first_reason": {"zh": "主要依据", "en": "Main reason"},
    "team.col.open": {"zh": "打开", "en": "Open"},
    "team.open_team": {"zh": "查看班子", "en": "Open team"},
    # verdict and reasons
    "team.verdict.label": {"zh": "研判信号", "en": "Verdict"},
    "team.verdict.counts": {
        "zh": "{concern} 项需重点关注、{watch} 项需关注",
        "en": "reasons: {concern} needing close attention, {watch} needing attention",
    },
    "team.reasons.title": {"zh": "研判依据", "en": "Reasons"},
    "team.reasons.none": {
        "zh": "本周期没有需要关注的信号。",
        "en": "No signal calls for attention this period.",
    },
    "team.reasons.rule": {
        "zh": "规则：任一依据为“需重点关注”则结论为需重点关注；否则任一为“需关注”则为需关注；"
        "否则为运行正常。“提示”只作说明，不影响结论。凝聚力和成员分化只依据少量测评票或得分，单独不超过"
        "“需关注”；{n} 个以上方面同时出现“需关注”即升为需重点关注。阈值见配置 [team_health]。",
        "en": "Rule: needs close attention if any reason does; otherwise needs attention if "
        "any reason does; otherwise sound. Notes (info) explain but never move the "
        "verdict. Cohesion and spread rest on few sheets or scores and alone never "
        "exceed needs attention; signals needing attention in {n} or more areas at "
        "once make it needs close attention. Thresholds: "
        "[team_health] in the configuration.",
    },
    "team.missing": {"zh": "未能评估：{items}", "en": "Not assessed: {items}"},
    "team.level.concern": {"zh": "需重点关注", "en": "Needs close attention"},
    "team.level.watch": {"zh": "需关注", "en": "Needs attention"},
    "team.level.info": {"zh": "提示", "en": "Note"},
    "team.group.verdict": {"zh": "综合", "en": "Overall"},
    "team.group.cohesion": {"zh": "凝聚力", "en": "Cohesion"},
    "team.group.climate": {"zh": "班子氛围", "en": "Climate"},
    "team.group.satisfaction": {"zh": "满意度", "en": "Satisfaction"},
    "team.group.spread": {"zh": "成员分化", "en": "Spread of members"},
    "team.group.principal": {"zh": "主要负责人与副职", "en": "Principal and deputies"},
    "team.group.structure": {"zh": "班子结构", "en": "Structure"},
    "team.group.trend": {"zh": "趋势", "en": "Trend"},
    "team.group.talks": {"zh": "谈话信号", "en": "Talk signals"},
    # standing and channels
    "team.standing.title": {"zh": "综合得分与同类比较", "en": "Standing among peer teams"},
    "team.metric.composite": {"zh": "班子综合得分", "en": "Team composite"},
    "team.metric.rank": {"zh": "同类排名", "en": "Rank among peers"},
    "team.metric.rank_interval": {"zh": "排名区间（90%）", "en": "Rank interval (90%)"},
    "team.metric.change": {"zh": "较{prev}", "en": "since {prev}"},
    "team.rank_value": {"zh": "{rank} / {n}", "en": "{rank} of {n}"},
    "team.standing.method": {
        "zh": "综合得分是同类班子（{type}）内的 T 分数（同类平均 50，标准差 10），由{weights}"
        "加权而成（缺少的渠道不计，其余按比例）。90% 区间和排名区间来自贝叶斯自助法；"
        "绩效和上级意见没有抽样模型，故区间是下限。排名区间重叠的班子无法区分先后。",
        "en": "The composite is a T-score among peer teams ({type}; peer mean 50, SD 10), "
        "weighting {weights} (a missing channel is left out, the others re-weighted). "
        "The 90% and rank intervals come from a Bayesian bootstrap; performance and "
        "superior opinions have no sampling model, so the intervals are lower bounds. "
        "Teams whose rank intervals overlap cannot be told apart.",
    },
    "team.weight_item": {"zh": "{channel} {w:.0f}%", "en": "{channel} {w:.0f}%"},
    "team.channels.chart": {
        "zh": "各渠道得分与同类班子分布",
        "en": "Channels against the peer teams",
    },
    "team.channels.x": {"zh": "渠道得分（0–100）", "en": "Channel score (0–100)"},
    "team.channels.y": {"zh": "渠道", "en": "Channel"},
    "team.peers_box": {
        "zh": "同类班子（四分位、中位数、最低–最高）",
        "en": "Peer teams (quartiles, median, lowest–highest)",
    },
    "team.hover_value": {"zh": "得分", "en": "score"},
    "team.channels.caption": {
        "zh": "菱形为本班子；方框为同类班子的上下四分位和中位数，须线为同类最低和最高。"
        "z 为同类班子内的标准分，百分位按同类班子中位次计算。",
        "en": "Diamond: this team; box: the peer teams' quartiles and median, whiskers: the "
        "lowest and highest peer. z is the standard score among peer teams; the "
        "percentile is the mid-rank among them.",
    },
    "team.col.weight": {"zh": "权重", "en": "Weight"},
    "team.col.value": {"zh": "得分", "en": "Score"},
    "team.col.z": {"zh": "标准分 z", "en": "z"},
    "team.col.pct_peers": {"zh": "同类百分位", "en": "Percentile (peers)"},
    "team.col.pct_city": {"zh": "全市百分位", "en": "Percentile (city)"},
    "team.col.median": {"zh": "同类中位数", "en": "Peer median"},
    "team.col.iqr": {"zh": "同类四分位区间", "en": "Peer quartiles"},
    "team.col.measure": {"zh": "指标", "en": "Measure"},
    "team.col.meaning": {"zh": "含义", "en": "What it means"},
    # members
    "team.members.title": {"zh": "班子成员", "en": "Team members"},
    "team.members.caption": {
        "zh": "成员综合得分在同类班子成员（{type}）中比较，排名区间为 90% 自助法区间。"
        "点击“查看画像”或选中一行打开干部画像；异常数为本周期针对该干部的检测结果。",
        "en": "Members' composites are compared with peer-team members ({type}); rank "
        "intervals are 90% bootstrap intervals. Click “Portrait” or select a row to "
        "open the cadre's portrait; flags are this period's detections on the cadre.",
    },
    "team.members.chart": {
        "zh": "班子成员综合得分（90% 区间）",
        "en": "Members' composites (90% intervals)",
    },
    "team.members.x": {"zh": "综合得分（同类 T 分）", "en": "Composite (T-score among peers)"},
    "team.members.y": {"zh": "成员", "en": "Member"},
    "team.members.none": {
        "zh": "该单位没有登记班子成员。",
        "en": "No team member is registered for this unit.",
    },
    "team.members.open": {"zh": "查看画像", "en": "Portrait"},
    "team.members.flags_help": {
        "zh": "本周期针对该干部的异常数",
        "en": "Flags on the cadre this period",
    },
    "team.ref_peer_mean": {"zh": "同类平均 50", "en": "peer mean 50"},
    "team.col.role": {"zh": "角色", "en": "Role"},
    "team.col.portrait": {"zh": "画像", "en": "Portrait"},
    "team.col.missing_channels": {"zh": "缺少渠道", "en": "Missing channels"},
    # cohesion
    "team.cohesion.title": {"zh": "凝聚力", "en": "Cohesion"},
    "team.cohesion.caption": {
        "zh": "依据班子成员本人填写的 {n} 张测评票，与全市所有班子比较（各类单位的班子成员评价"
        "习惯相近）。rwg(J) 为组内一致性（James、Demaree 和 Wolf，1984）：1 表示完全一致，"
        "0 相当于随机作答。只依据少量测评票，单独不超过“需关注”。",
        "en": "From the {n} sheets the team members filled in themselves, compared with every "
        "team of the city (team members rate alike across unit types). rwg(J) is "
        "within-group agreement (James, Demaree & Wolf 1984): 1 = full agreement, 0 = as "
        "if at random. Resting on few sheets, cohesion alone never exceeds needs attention.",
    },
    "team.cohesion.floor": {
        "zh": "本周期班子成员测评票 {n} 张，少于匿名保护下限 {k} 张，不计算凝聚力指标。",
        "en": "The team members cast {n} sheet(s) on their team this period, fewer than the "
        "anonymity floor of {k}: cohesion is not computed.",
    },
    "team.cohesion.none": {
        "zh": "本周期没有班子成员评价本班子的测评票。",
        "en": "No team-member sheets on the team this period.",
    },
    "team.m.rwg": {"zh": "评价一致性 rwg(J)", "en": "Agreement rwg(J)"},
    "team.m.tm_item_sd": {"zh": "成员评分平均标准差（档）", "en": "Mean item SD (scale points)"},
    "team.m.own_unity": {
        "zh": "成员对本班子团结协作的评价（0–100）",
        "en": "Members' own rating of unity (0–100)",
    },
    "team.m.own_view_gap": {
        "zh": "成员自评班子 − 其他主体评价（分）",
        "en": "Members' view − others' view (points)",
    },
    "team.m.colleague_gap": {
        "zh": "成员互评 − 其他主体对同一成员评价（分）",
        "en": "Members on colleagues − others on them (points)",
    },
    "team.mean.rwg": {
        "zh": "越低，成员之间对班子的看法分歧越大",
        "en": "lower = members disagree more about their team",
    },
    "team.mean.tm_item_sd": {
        "zh": "同一测评项目上成员评分的离散程度",
        "en": "how far members' marks on one item spread",
    },
    "team.mean.own_unity": {
        "zh": "0 为全部最低档，100 为全部最高档",
        "en": "0 = every mark at the minimum, 100 = at the maximum",
    },
    "team.mean.own_view_gap": {
        "zh": "负值：班子自我评价低于单位其他人的评价",
        "en": "negative: the team sees itself worse than the unit does",
    },
    "team.mean.colleague_gap": {
        "zh": "偏低：成员相互评价比单位其他人更严",
        "en": "low: members rate one another harsher than others do",
    },
    # structure
    "team.structure.title": {"zh": "班子结构与成员分化", "en": "Structure and spread"},
    "team.structure.caption": {
        "zh": "班子成员截至考核周期末的情况；年龄按周期末年份减出生年份计算，任职年限自任现职"
        "之日起算。百分位为与同类班子比较。",
        "en": "Team members as of the period's end; age is the end year minus the birth "
        "year, tenure counts from taking up the current post. Percentiles compare "
        "with peer teams.",
    },
    "team.s.members": {"zh": "班子成员", "en": "Members"},
    "team.s.members_value": {"zh": "{n} 人", "en": "{n}"},
    "team.s.scored_help": {
        "zh": "其中 {n} 人有本周期综合得分",
        "en": "{n} of them scored this period",
    },
    "team.s.age": {"zh": "平均年龄", "en": "Mean age"},
    "team.s.age_value": {"zh": "{v:.1f} 岁", "en": "{v:.1f} years"},
    "team.s.age_help": {
        "zh": "最小 {lo} 岁，最大 {hi} 岁；同类比较 z {z}",
        "en": "youngest {lo}, oldest {hi}; z among peers {z}",
    },
    "team.s.female": {"zh": "女性占比", "en": "Share of women"},
    "team.s.female_help": {"zh": "{n} 人；同类班子{pct}", "en": "{n}; {pct} among peer teams"},
    "team.s.postgrad": {"zh": "研究生学历占比", "en": "Postgraduate share"},
    "team.s.tenure": {"zh": "平均任现职年限", "en": "Mean years in post"},
    "team.s.tenure_value": {"zh": "{v:.1f} 年", "en": "{v:.1f} years"},
    "team.s.tenure_help": {
        "zh": "最长 {max} 年；{n} 人任现职满 {years:.0f} 年；任职分布在 {y} 个不同年份；"
        "同类比较 z {z}",
        "en": "longest {max} years; {n} member(s) {years:.0f}+ years in post; "
        "appointments in {y} different year(s); z among peers {z}",
    },
    "team.s.pct_help": {"zh": "同类班子{pct}", "en": "{pct} among peer teams"},
    "team.s.principal": {
        "zh": "**主要负责人与副职**：{name} 综合得分 {p:.1f}，{n} 名副职平均 {d:.1f}，"
        "相差 {gap:+.1f} 分，{clear}。",
        "en": "**Principal and deputies**: {name} scores {p:.1f}, the {n} deputies average "
        "{d:.1f}: a gap of {gap:+.1f} points, {clear}.",
    },
    "team.s.gap_clear": {
        "zh": "超出主要负责人得分的 90% 区间（差异可以确认）",
        "en": "beyond the principal's 90% interval (a real difference)",
    },
    "team.s.gap_unclear": {
        "zh": "在主要负责人得分的 90% 区间之内（不能确认有差异）",
        "en": "within the principal's 90% interval (not distinguishable)",
    },
    "team.s.spread": {
        "zh": "**成员分化**：{n} 名成员综合得分标准差 {sd:.1f}（{pct}），极差 {range}；"
        "最低为 {low_name}（{low}），成员平均 {mean}。",
        "en": "**Spread**: the {n} members' composites have SD {sd:.1f} ({pct} among peer "
        "teams) and range {range}; lowest {low_name} ({low}); mean {mean}.",
    },
    # climate
    "team.climate.title": {"zh": "班子氛围与满意度", "en": "Climate and satisfaction"},
    "team.climate.chart": {
        "zh": "班子测评各维度与同类班子分布",
        "en": "Team-sheet dimensions against the peer teams",
    },
    "team.climate.x": {
        "zh": "得分（0–100，已扣除各测评主体宽严差异）",
        "en": "Score (0–100, rater groups' leniency removed)",
    },
    "team.climate.y": {"zh": "测评维度", "en": "Dimension"},
    "team.climate.caption": {
        "zh": "所有测评票对本班子各测评项目的评分位置（0 = 全部最低档，100 = 全部最高档），"
        "已扣除各类测评主体在全市的宽严偏差，服务对象等较严格的评价人群不会使单位吃亏；"
        "与同类班子比较（同类少于 {m} 个时与全市比较）。",
        "en": "Where all sheets put the team on each item (0 = every mark at the minimum, "
        "100 = at the maximum), after removing each rater group's city-wide leniency, "
        "so that harsher audiences such as service recipients do not penalise a unit; "
        "compared with peer teams (the city when fewer than {m}).",
    },
    "team.climate.none": {
        "zh": "本周期没有对本班子的测评票。",
        "en": "No ballots on the team this period.",
    },
    "team.satisfaction.text": {
        "zh": "**满意度** {sat}（{pct}）：问卷 {q}，第三方 {t}，两者之差 {gap}（全市比较 z {z}）。"
        "问卷按 (均值 − 1) / 4 × 100 折算，与第三方结果按样本量合并。",
        "en": "**Satisfaction** {sat} ({pct}): questionnaires {q}, third party {t}, gap "
        "{gap} (z vs the city {z}). Questionnaires as (mean − 1) / 4 × 100, pooled with "
        "the third party by sample size.",
    },
    "team.satisfaction.none": {
        "zh": "**满意度**：本周期没有问卷或第三方满意度数据。",
        "en": "**Satisfaction**: no questionnaire or third-party data this period.",
    },
    "team.groups.title": {
        "zh": "各测评主体对班子的评价",
        "en": "How each rater group rated the team",
    },
    "team.groups.caption": {
        "zh": "原始评分位置（未扣除宽严差异），与同一类测评主体在全市对各班子的平均评价比较。"
        "少于 {k} 张测评票的测评主体不单独显示（匿名保护）。",
        "en": "Raw positions (leniency not removed) against the same rater group's mean on "
        "every team of the city. Groups with fewer than {k} sheets are not shown on "
        "their own (anonymity floor).",
    },
    "team.groups.complement": {"zh": "一并隐去（防推算）", "en": "also hidden (inference)"},
    "team.groups.complement_note": {
        "zh": "被隐去的测评主体合计少于 {k} 张测评票时，再隐去票数最少的其他类别，使任何可由页面"
        "数字推算出的结果都不少于 {k} 张测评票。",
        "en": "When the hidden groups hold fewer than {k} sheets together, the smallest other "
        "groups are hidden too, so that nothing derivable from the figures on this page rests "
        "on fewer than {k} sheets.",
    },
    "team.col.privacy": {"zh": "匿名保护", "en": "Anonymity"},
    "team.col.position": {"zh": "对本班子（0–100）", "en": "On this team (0–100)"},
    "team.col.city_position": {"zh": "该主体全市平均", "en": "Group's city mean"},
    "team.col.difference": {"zh": "差值", "en": "Difference"},
    # trend
    "team.trend.title": {"zh": "趋势", "en": "Trend"},
    "team.trend.chart": {
        "zh": "班子综合得分变化（90% 区间）",
        "en": "Team composite over time (90% intervals)",
    },
    "team.trend.x": {"zh": "考核周期", "en": "Period"},
    "team.trend.y": {"zh": "综合得分（同类 T 分）", "en": "Composite (T-score among peers)"},
    "team.trend.current": {"zh": "本期", "en": "this period"},
    "team.trend.line": {"zh": "班子综合得分", "en": "Team composite"},
    "team.trend.caption": {
        "zh": "综合得分是在同类班子中的相对位置，变化即在同类中位置的变化。变化的 z = 变化 ÷ "
        "两期标准误的合成（标准误由 90% 区间推算）；|z| ≥ {zq:.2f} 即超出自助法不确定范围。"
        "标记的颜色和形状表示该期研判信号。",
        "en": "The composite is a standing among peer teams, so a change is a change of "
        "standing. z of a change = change ÷ the combined standard errors of both "
        "periods (from the 90% intervals); |z| ≥ {zq:.2f} exceeds the bootstrap "
        "uncertainty. Marker colour and shape show each period's verdict.",
    },
    "team.trend.now": {
        "zh": "**较{prev}**：班子综合得分 {change:+.1f} 分（z {z:+.1f}），{clear}；"
        "成员平均 {mchange}（{mclear}）。",
        "en": "**Since {prev}**: team composite {change:+.1f} points "
        "(z {z:+.1f}), {clear}; members' mean {mchange} ({mclear}).",
    },
    "team.trend.first": {"zh": "没有上一周期可比。", "en": "No previous period to compare."},
    "team.trend.clear": {"zh": "超出抽样不确定范围", "en": "beyond the bootstrap uncertainty"},
    "team.trend.unclear": {"zh": "在抽样不确定范围之内", "en": "within the bootstrap uncertainty"},
    "team.col.change_z": {"zh": "变化 z", "en": "Change z"},
    "team.col.change_clear": {"zh": "超出不确定范围", "en": "Beyond uncertainty"},
    "team.col.member_mean": {"zh": "成员平均", "en": "Members' mean"},
    # talks
    "team.talks.title": {"zh": "谈话信号", "en": "Talk signals"},
    "team.talks.n_talks": {"zh": "本单位谈话人次", "en": "Talks in the unit"},
    "team.talks.mentions": {"zh": "涉及班子及成员的意见", "en": "Mentions of team and members"},
    "team.talks.negative": {"zh": "负面意见占比", "en": "Negative share"},
    "team.talks.city": {"zh": "全市 {city:.0%}", "en": "city {city:.0%}"},
    "team.talks.p": {"zh": "单侧二项检验 p", "en": "One-sided binomial p"},
    "team.talks.caption": {
        "zh": "统计本周期个别谈话中对本班子及其成员的意见（只计条数，不对应任何谈话对象）。"
        "负面占比与全市基准比较：单侧二项检验 P(X ≥ 负面条数)；p ≤ {pw} 为需关注、"
        "≤ {pc} 为需重点关注，且负面不少于 {mn} 条。",
        "en": "Mentions of the team and its members in this period's talks (counts only, "
        "never attributed to an interviewee). The negative share is tested against the "
        "city's: one-sided binomial P(X ≥ negatives); p ≤ {pw} needs attention, ≤ {pc} "
        "close attention, with at least {mn} negative mentions.",
    },
    "team.talks.hidden": {
        "zh": "本单位本期只有 {n} 人次谈话（少于 {k} 人次），"
        "为保护谈话对象不显示意见的倾向与主题。",
        "en": "The unit held only {n} talk(s) this period (fewer than {k}); to protect the "
        "interviewees, the mentions' stance and topics are not shown.",
    },
    "team.talks.chart": {"zh": "谈话意见的主题与倾向", "en": "Talk mentions by topic and stance"},
    "team.talks.x": {"zh": "意见条数", "en": "Mentions"},
    "team.talks.y": {"zh": "主题", "en": "Topic"},
    "team.talks.none": {
        "zh": "本周期该单位没有个别谈话记录。",
        "en": "No talks were held in this unit this period.",
    },
    "team.talks.no_mentions": {
        "zh": "本周期谈话中没有涉及班子及成员的意见。",
        "en": "No talk this period mentioned the team or its members.",
    },
    # flags
    "team.flags.title": {"zh": "本单位评价异常", "en": "Flags in this unit"},
    "team.flags.caption": {
        "zh": "本周期与本单位有关的检测结果（测评票、测评主体、干部、班子和单位），"
        "按严重程度排序。",
        "en": "This period's detections concerning the unit (sheets, rater groups, cadres, "
        "the team and the unit), most severe first.",
    },
    "team.flags.none": {
        "zh": "本周期本单位没有评价异常。",
        "en": "No flags in this unit this period.",
    },
    "team.flags.link": {
        "zh": "在“评价异常”页查看本单位",
        "en": "Open this unit on the Anomalies page",
    },
    "team.yes": {"zh": "是", "en": "yes"},
    "team.no": {"zh": "否", "en": "no"},
}
