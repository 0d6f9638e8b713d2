"""Strings of the portrait page (干部画像), including the templates of its summary."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "portrait.title": {"zh": "干部画像", "en": "Cadre portrait"},
    "portrait.caption": {
        "zh": "一名干部在所选考核周期的全貌：基本情况、同类比较中的位置及其不确定性、各维度、"
        "分测评主体评价、自评与他评、走势、分管绩效、谈话反映和评价异常。",
        "en": "One cadre in the chosen period: basic facts, standing among peers with its "
        "uncertainty, dimensions, rater groups, self against others, trend, portfolio "
        "results, talk mentions and flags.",
    },
    "portrait.pick_all": {
        "zh": "未选择单位：列表包含全市所有干部，可输入姓名搜索；在左侧选择单位可缩小范围。",
        "en": "No unit chosen: the list holds every cadre of the city (type to search); "
        "choose a unit in the sidebar to narrow it.",
    },
    "portrait.no_cadres": {
        "zh": "该单位没有干部记录。",
        "en": "This unit has no cadres on record.",
    },
    "portrait.no_period": {"zh": "没有考核周期数据。", "en": "There are no periods in the data."},
    # basic facts
    "portrait.fact.position": {"zh": "职务", "en": "Post"},
    "portrait.fact.unit": {"zh": "单位", "en": "Unit"},
    "portrait.fact.tier": {"zh": "层级", "en": "Tier"},
    "portrait.fact.role": {"zh": "班子职位", "en": "Role"},
    "portrait.fact.gender": {"zh": "性别", "en": "Gender"},
    "portrait.fact.age": {"zh": "年龄", "en": "Age"},
    "portrait.fact.tenure": {"zh": "任现职时间", "en": "Time in post"},
    "portrait.fact.education": {"zh": "学历", "en": "Education"},
    "portrait.fact.age_value": {"zh": "{age} 岁", "en": "{age}"},
    "portrait.fact.age_help": {
        "zh": "按出生年份计算，截至{period}末（{end}）。",
        "en": "From the birth year, as at the end of {period} ({end}).",
    },
    "portrait.fact.tenure_help": {
        "zh": "自 {since} 任现职，截至{period}末。",
        "en": "In post since {since}, counted to the end of {period}.",
    },
    "portrait.fact.unknown": {"zh": "未填", "en": "not recorded"},
    "portrait.fact.area": {"zh": "{area} · {unit_type}", "en": "{area} · {unit_type}"},
    "portrait.gender.F": {"zh": "女", "en": "Female"},
    "portrait.gender.M": {"zh": "男", "en": "Male"},
    "portrait.team_link": {"zh": "查看班子运行：{unit}", "en": "Team health of {unit}"},
    "portrait.tenure.unknown": {"zh": "任职时间未填", "en": "time in post not recorded"},
    "portrait.tenure.after": {"zh": "本期结束后任职", "en": "appointed after the period"},
    "portrait.tenure.months": {"zh": "{n}个月", "en": "{n} months"},
    "portrait.tenure.month_one": {"zh": "1个月", "en": "1 month"},
    "portrait.tenure.years": {"zh": "{n}年", "en": "{n} years"},
    "portrait.tenure.year_one": {"zh": "1年", "en": "1 year"},
    "portrait.tenure.join": {"zh": "{years}{months}", "en": "{years} {months}"},
    # what is not assessed
    "portrait.not_team": {
        "zh": "{tier}不参加民主测评，也不计算综合得分和排名（只有班子成员参加）。"
        "下面显示现有的其他信息：分管绩效、谈话反映和评价异常。",
        "en": "{tier}: not rated by democratic evaluation, so there is no composite score or "
        "rank (only team members are). What the data hold is shown below: portfolio results, "
        "talk mentions and flags.",
    },
    "portrait.not_scored": {
        "zh": "该干部在{period}没有综合得分（本期无测评或其他渠道数据）。",
        "en": "The cadre has no composite score in {period} (no ballots or other channel "
        "data in this period).",
    },
    # summary
    "portrait.summary.title": {"zh": "研判摘要", "en": "Summary for the briefing"},
    "portrait.summary.caption": {
        "zh": "根据本页数字按固定模板生成，可直接宣读；数字已四舍五入。",
        "en": "Generated from the figures on this page by fixed templates, ready to read "
        "out; numbers are rounded.",
    },
    "portrait.summary.copy": {"zh": "复制文本", "en": "Copy the text"},
    # standing
    "portrait.standing.title": {"zh": "同类比较中的位置", "en": "Standing among peers"},
    "portrait.metric.composite": {"zh": "综合得分", "en": "Composite"},
    "portrait.metric.composite_help": {
        "zh": "{level}% 区间 {lo}–{hi}；同类中位数 {median}（同类平均为 50）。",
        "en": "{level}% interval {lo}–{hi}; peer median {median} (the peer mean is 50).",
    },
    "portrait.metric.interval": {"zh": "{level}% 区间", "en": "{level}% interval"},
    "portrait.metric.rank": {"zh": "名次", "en": "Rank"},
    "portrait.metric.rank_value": {"zh": "{rank} / {n}", "en": "{rank} of {n}"},
    "portrait.metric.rank_interval": {"zh": "名次区间", "en": "Rank interval"},
    "portrait.metric.rank_interval_value": {"zh": "{lo}–{hi} / {n}", "en": "{lo}–{hi} of {n}"},
    "portrait.metric.percentile": {"zh": "百分位", "en": "Percentile"},
    "portrait.metric.percentile_value": {"zh": "{p}（{lo}–{hi}）", "en": "{p} ({lo}–{hi})"},
    "portrait.metric.peer": {"zh": "同类", "en": "Peer group"},
    "portrait.standing.caption": {
        "zh": "同类 = {peer}（本期 {n} 人）。百分位 = 同类中排在其后的比例；名次区间是 200 次"
        "自助重抽样名次的第 5–95 百分位，区间重叠的两人无法区分先后。绩效和上级意见无抽样"
        "模型，区间偏窄（下限）。",
        "en": "Peers = {peer} ({n} in this period). Percentile = share of the other peers "
        "ranked below; the rank interval spans the 5th–95th percentile of ranks over 200 "
        "bootstrap replicates, so two cadres whose intervals overlap cannot be told apart. "
        "Performance and superior opinions have no sampling model, so the interval is a "
        "lower bound.",
    },
    "portrait.channels.title": {"zh": "四个评价渠道", "en": "The four channels"},
    "portrait.channels.chart": {
        "zh": "各渠道在同类中的标准分",
        "en": "Channels as z-scores among peers",
    },
    "portrait.channels.x": {"zh": "标准分 z（0 = 同类平均）", "en": "z (0 = peer mean)"},
    "portrait.channels.y": {"zh": "渠道", "en": "Channel"},
    "portrait.channels.missing": {
        "zh": "缺少渠道：{channels}。综合得分按其余渠道的权重重新归一计算。",
        "en": "Missing channels: {channels}. The composite re-weights the other channels.",
    },
    "portrait.channels.complete": {"zh": "四个渠道齐全。", "en": "All four channels are present."},
    "portrait.channels.absent": {"zh": "缺失", "en": "missing"},
    "portrait.basis.sheets": {"zh": "{n} 张测评票", "en": "{n} sheets"},
    "portrait.basis.indicators": {"zh": "{n} 项指标", "en": "{n} indicators"},
    "portrait.basis.respondents": {"zh": "{n} 名受访者", "en": "{n} respondents"},
    "portrait.basis.departments": {"zh": "{n} 个部门", "en": "{n} departments"},
    "portrait.basis.sheets_one": {"zh": "1 张测评票", "en": "1 sheet"},
    "portrait.basis.indicators_one": {"zh": "1 项指标", "en": "1 indicator"},
    "portrait.basis.respondents_one": {"zh": "1 名受访者", "en": "1 respondent"},
    "portrait.basis.departments_one": {"zh": "1 个部门", "en": "1 department"},
    # dimensions
    "portrait.dims.title": {"zh": "测评维度", "en": "Dimensions"},
    "portrait.dims.chart": {
        "zh": "各维度平均分与同类中位数",
        "en": "Mean mark per dimension against the peer median",
    },
    "portrait.dims.axis": {"zh": "平均分（{lo}–{hi}）", "en": "Mean mark ({lo}–{hi})"},
    "portrait.dims.me": {"zh": "本人", "en": "This cadre"},
    "portrait.dims.peer": {"zh": "同类中位数", "en": "Peer median"},
    "portrait.dims.scale": {
        "zh": "评分为 {lo}–{hi} 分制（{lo} = 差／不称职，{hi} = 好／优秀）；平均分为本期所有测评票"
        "的原始分均值，未扣除测评主体宽严差异。同类中位数取 {n} 名同类干部（含本人）各自"
        "平均分的中位数。",
        "en": "Marks run {lo}–{hi} ({lo} = poor / unfit, {hi} = good / excellent); a mean is "
        "the raw mean over every sheet of the period, not adjusted for rater groups' "
        "leniency. The peer median is the median of the {n} peers' own means "
        "(this cadre included).",
    },
    "portrait.dims.none": {
        "zh": "本期没有该干部的测评票。",
        "en": "No ballot rated this cadre in this period.",
    },
    # self vs others
    "portrait.self.title": {"zh": "自评与他评", "en": "Self against others"},
    "portrait.self.chart": {"zh": "自评与他评平均分", "en": "Self-assessment against others' mean"},
    "portrait.self.self": {"zh": "自评", "en": "Self"},
    "portrait.self.others": {"zh": "他评平均", "en": "Others' mean"},
    "portrait.self.caption": {
        "zh": "差距 = 自评 − 他评平均；同类干部的中位差距为 {pg}（自评普遍偏高）。差距最大的维度"
        "标为 ▲。",
        "en": "Gap = self − others' mean; the peers' median gap is {pg} (self-ratings usually "
        "run high). The dimension with the largest gap is marked ▲.",
    },
    "portrait.self.none": {"zh": "本期没有自评数据。", "en": "No self-assessment in this period."},
    "portrait.self.largest": {"zh": "▲ 差距最大", "en": "▲ largest gap"},
    # rater groups
    "portrait.groups.title": {"zh": "分测评主体评价", "en": "Scores by rater group"},
    "portrait.groups.chart": {"zh": "各测评主体给出的平均分", "en": "Mean mark by rater group"},
    "portrait.groups.me": {"zh": "给本人的平均分", "en": "Mean for this cadre"},
    "portrait.groups.usual": {"zh": "该主体给同类干部的平均分", "en": "The group's mean for peers"},
    "portrait.groups.caption": {
        "zh": "“同类平均”为该测评主体本期给全部同类干部的平均分（各主体宽严不同）；“相对”= "
        "给本人的平均分 − 同类平均。误差条为 ±2 个标准误。",
        "en": '"Usual" is the group\'s mean mark for all peers this period (groups differ in '
        'leniency); "relative" = mean for this cadre − usual. Error bars are ±2 '
        "standard errors.",
    },
    "portrait.groups.secondary": {
        "zh": "另有 {n} 个测评主体一并隐去：否则可由总平均分推算出被隐去主体的评分。",
        "en": "{n} more groups hidden as well: otherwise the hidden group's marks could be "
        "worked out from the overall mean.",
    },
    "portrait.groups.secondary_one": {
        "zh": "另有 1 个测评主体一并隐去：否则可由总平均分推算出被隐去主体的评分。",
        "en": "One more group hidden as well: otherwise the hidden group's marks could be "
        "worked out from the overall mean.",
    },
    "portrait.groups.secondary_cell": {"zh": "一并隐去", "en": "hidden with the smaller group"},
    "portrait.groups.none": {"zh": "本期没有测评票。", "en": "No sheets in this period."},
    "portrait.groups.all_hidden": {
        "zh": "所有测评主体均因票数不足被隐去。",
        "en": "Every rater group is hidden by the anonymity floor.",
    },
    # trend
    "portrait.trend.title": {"zh": "综合得分走势", "en": "Trend"},
    "portrait.trend.chart": {
        "zh": "综合得分及其 {level}% 区间",
        "en": "Composite with its {level}% interval",
    },
    "portrait.trend.composite": {"zh": "综合得分", "en": "Composite"},
    "portrait.trend.peer": {"zh": "同类中位数", "en": "Peer median"},
    "portrait.trend.x": {"zh": "考核周期", "en": "Period"},
    "portrait.trend.y": {"zh": "综合得分（0–100）", "en": "Composite (0–100)"},
    "portrait.trend.caption": {
        "zh": "只显示截至所选周期的各期；两期区间重叠时，变化在不确定性范围之内。",
        "en": "Periods up to the chosen one; where two periods' intervals overlap, the "
        "change is within the uncertainty.",
    },
    # portfolio
    "portrait.portfolio.title": {"zh": "分管领域绩效", "en": "Portfolio performance"},
    "portrait.portfolio.own": {"zh": "分管指标完成率", "en": "Portfolio attainment"},
    "portrait.portfolio.unit": {"zh": "单位整体完成率", "en": "Unit total"},
    "portrait.portfolio.peer": {"zh": "同类干部中位数", "en": "Peers' median"},
    "portrait.portfolio.unit_help": {
        "zh": "单位自身 {n} 项指标的加权完成率（得分 ÷ 满分，按权重）。",
        "en": "Weighted attainment of the unit's own {n} indicators (score ÷ maximum, weighted).",
    },
    "portrait.portfolio.chart": {
        "zh": "各分管指标完成率",
        "en": "Attainment per portfolio indicator",
    },
    "portrait.portfolio.x": {"zh": "完成率（%）", "en": "Attainment (%)"},
    "portrait.portfolio.y": {"zh": "指标", "en": "Indicator"},
    "portrait.portfolio.unit_line": {"zh": "单位整体 {v}", "en": "Unit total {v}"},
    "portrait.portfolio.none_other": {
        "zh": "本期没有该干部的分管指标。",
        "en": "No portfolio indicators for this cadre in this period.",
    },
    "portrait.portfolio.none": {
        "zh": "本期没有该干部的分管指标；绩效渠道只用单位整体结果。",
        "en": "No portfolio indicators for this cadre in this period; the performance channel "
        "uses the unit's results alone.",
    },
    # talks
    "portrait.talks.title": {
        "zh": "谈话反映（近 12 个月）",
        "en": "Talk mentions (last 12 months)",
    },
    "portrait.talks.caption": {
        "zh": "{since} 至 {until}：{t} 次谈话中共提及该干部 {n} 次。只统计主题和倾向，不显示"
        "是谁说的。",
        "en": "{since} to {until}: {n} mentions of the cadre in {t} talks. Topics and stances "
        "only, never who said it.",
    },
    "portrait.talks.chart": {
        "zh": "谈话提及：主题与倾向",
        "en": "Talk mentions by topic and stance",
    },
    "portrait.talks.x": {"zh": "提及次数", "en": "Mentions"},
    "portrait.talks.y": {"zh": "主题", "en": "Topic"},
    "portrait.talks.notes": {
        "zh": "谈话要点（按出现次数，不含谈话对象）",
        "en": "Points raised (by frequency, without interviewees)",
    },
    "portrait.talks.none": {
        "zh": "近 12 个月（{since} 至 {until}）的谈话没有提及该干部。",
        "en": "No talk between {since} and {until} mentions this cadre.",
    },
    # flags
    "portrait.flags.title": {"zh": "评价异常", "en": "Flags"},
    "portrait.flags.caption": {
        "zh": "截至所选周期涉及该干部的全部评价异常，最新在前。",
        "en": "Every flag about this cadre up to the chosen period, newest first.",
    },
    "portrait.flags.none": {
        "zh": "截至本期没有涉及该干部的评价异常。",
        "en": "No flag concerns this cadre up to this period.",
    },
    "portrait.flags.open": {
        "zh": "到“评价异常”页查看本单位的全部评价异常",
        "en": "All flags of the unit on the Anomalies page",
    },
    "portrait.flags.stat": {
        "zh": "效应量 {stat} · 校正后 p {p}",
        "en": "Effect size {stat} · adjusted p {p}",
    },
    "portrait.flags.stat_only": {"zh": "效应量 {stat}", "en": "Effect size {stat}"},
    "portrait.flags.group": {"zh": "测评主体：{group}", "en": "Rater group: {group}"},
    "portrait.flags.all_periods": {"zh": "各期合并", "en": "all periods"},
    # table columns
    "portrait.col.dimension": {"zh": "维度", "en": "Dimension"},
    "portrait.col.mean": {"zh": "平均分", "en": "Mean"},
    "portrait.col.n_marks": {"zh": "评分数", "en": "Marks"},
    "portrait.col.peer_median": {"zh": "同类中位数", "en": "Peer median"},
    "portrait.col.diff": {"zh": "与同类差", "en": "vs peers"},
    "portrait.col.self": {"zh": "自评", "en": "Self"},
    "portrait.col.others": {"zh": "他评平均", "en": "Others' mean"},
    "portrait.col.gap": {"zh": "差距", "en": "Gap"},
    "portrait.col.note": {"zh": "说明", "en": "Note"},
    "portrait.col.usual": {"zh": "同类平均", "en": "Usual"},
    "portrait.col.relative": {"zh": "相对", "en": "Relative"},
    "portrait.col.value": {"zh": "得分（0–100）", "en": "Value (0–100)"},
    "portrait.col.z": {"zh": "标准分 z", "en": "z"},
    "portrait.col.weight": {"zh": "权重", "en": "Weight"},
    "portrait.col.basis": {"zh": "依据", "en": "Based on"},
    "portrait.col.indicator": {"zh": "指标", "en": "Indicator"},
    "portrait.col.score": {"zh": "得分", "en": "Score"},
    "portrait.col.max_score": {"zh": "满分", "en": "Maximum"},
    "portrait.col.pct": {"zh": "完成率 %", "en": "Attainment %"},
    "portrait.col.topic": {"zh": "主题", "en": "Topic"},
    "portrait.col.stance": {"zh": "倾向", "en": "Stance"},
    "portrait.col.point": {"zh": "要点", "en": "Point"},
    "portrait.col.count": {"zh": "次数", "en": "Times"},
    "portrait.col.total": {"zh": "合计", "en": "Total"},
    "portrait.col.ci_low": {"zh": "区间下限", "en": "Interval low"},
    "portrait.col.ci_high": {"zh": "区间上限", "en": "Interval high"},
    "portrait.col.rank_interval": {"zh": "名次区间", "en": "Rank interval"},
    # peer groups in words
    "portrait.peer.party": {"zh": "党群部门班子成员", "en": "team members of party departments"},
    "portrait.peer.government": {
        "zh": "政府部门班子成员",
        "en": "team members of government departments",
    },
    "portrait.peer.district": {"zh": "区县班子成员", "en": "team members of districts"},
    "portrait.peer.institution": {
        "zh": "事业单位班子成员",
        "en": "team members of public institutions",
    },
    "portrait.peer.enterprise": {
        "zh": "国有企业班子成员",
        "en": "team members of state-owned enterprises",
    },
    # summary templates (analytics.views.portrait_summary)
    "portrait.sum.standing": {
        "zh": "{name}（{unit}{position}）{period}综合得分 {c}（{level}% 区间 {lo}–{hi}），在 {n} 名"
        "{peer}中排第 {rank} 位；考虑不确定性，名次在第 {rl}–{rh} 位之间，高于 {pl}%–{ph}% "
        "的同类干部。",
        "en": "{name} ({position}, {unit}) has a composite of {c} in {period} ({level}% "
        "interval {lo}–{hi}): rank {rank} of {n} {peer}, and rank {rl}–{rh} once the "
        "uncertainty is allowed for, ahead of {pl}–{ph}% of peers.",
    },
    "portrait.sum.standing_exact": {
        "zh": "{name}（{unit}{position}）{period}综合得分 {c}（{level}% 区间 {lo}–{hi}），在 {n} 名"
        "{peer}中排第 {rank} 位，考虑不确定性后名次不变，高于 {p}% 的同类干部。",
        "en": "{name} ({position}, {unit}) has a composite of {c} in {period} ({level}% "
        "interval {lo}–{hi}): rank {rank} of {n} {peer}, a place the uncertainty does "
        "not change, ahead of {p}% of peers.",
    },
    "portrait.sum.standing_first": {
        "zh": "{name}（{unit}{position}）{period}综合得分 {c}（{level}% 区间 {lo}–{hi}），在 {n} 名"
        "{peer}中排第 1 位，考虑不确定性后名次不变。",
        "en": "{name} ({position}, {unit}) has a composite of {c} in {period} ({level}% "
        "interval {lo}–{hi}): first of {n} {peer}, a place the uncertainty does not "
        "change.",
    },
    "portrait.sum.standing_last": {
        "zh": "{name}（{unit}{position}）{period}综合得分 {c}（{level}% 区间 {lo}–{hi}），在 {n} 名"
        "{peer}中排最后一位（第 {rank} 位），考虑不确定性后名次不变。",
        "en": "{name} ({position}, {unit}) has a composite of {c} in {period} ({level}% "
        "interval {lo}–{hi}): last of {n} {peer} (rank {rank}), a place the uncertainty "
        "does not change.",
    },
    "portrait.sum.missing": {
        "zh": "；缺少{channels}，综合得分由其余渠道计算。",
        "en": "; {channels} is missing, so the composite rests on the other channels.",
    },
    "portrait.sum.facts": {
        "zh": "{name}，{unit}{position}（{tier}），{age} 岁，任现职{tenure}。",
        "en": "{name}, {position} of {unit} ({tier}), is {age} and has been in post for {tenure}.",
    },
    "portrait.sum.facts_no_age": {
        "zh": "{name}，{unit}{position}（{tier}），任现职{tenure}。",
        "en": "{name}, {position} of {unit} ({tier}), has been in post for {tenure}.",
    },
    "portrait.sum.not_team": {
        "zh": "只有班子成员参加民主测评并计算综合得分，因此没有得分、排名和维度画像。",
        "en": "Only team members are rated by ballots and scored, so there is no composite, "
        "rank or dimension profile.",
    },
    "portrait.sum.not_scored": {
        "zh": "{period}没有该干部的综合得分。",
        "en": "There is no composite score for the cadre in {period}.",
    },
    "portrait.sum.dims": {
        "zh": "与同类中位数相比（{lo}–{hi} 分制），相对最强的维度是{best}（{bm}，同类 {bp}），"
        "最弱的是{worst}（{wm}，同类 {wp}）。",
        "en": "Against the peer median on the {lo}–{hi} scale, the relatively strongest "
        "dimension is {best} ({bm} vs {bp}) and the weakest {worst} ({wm} vs {wp}).",
    },
    "portrait.sum.dims_all_above": {
        "zh": "各维度均高于同类中位数（{lo}–{hi} 分制），最突出的是{best}（{bm}，同类 {bp}），"
        "领先最少的是{worst}（{wm}，同类 {wp}）。",
        "en": "Every dimension is above the peer median on the {lo}–{hi} scale, most clearly "
        "{best} ({bm} vs {bp}), least {worst} ({wm} vs {wp}).",
    },
    "portrait.sum.dims_all_below": {
        "zh": "各维度均不高于同类中位数（{lo}–{hi} 分制），差距最小的是{best}（{bm}，同类 {bp}），"
        "最大的是{worst}（{wm}，同类 {wp}）。",
        "en": "No dimension is above the peer median on the {lo}–{hi} scale; the smallest "
        "shortfall is in {best} ({bm} vs {bp}), the largest in {worst} ({wm} vs {wp}).",
    },
    "portrait.sum.groups": {
        "zh": "测评主体之间有明显分歧：{hg}给出 {hm}，较其对同类干部的平均分 {hr}；{lg}给出 "
        "{lm}，较其平均分 {lr}（只比较票数不少于 {k} 张的测评主体）。",
        "en": "Rater groups disagree: {hg} give {hm}, {hr} against their usual mark for peers, "
        "while {lg} give {lm}, {lr} (only groups with at least {k} sheets are "
        "compared).",
    },
    "portrait.sum.self": {
        "zh": "自评均分 {s}，他评均分 {o}，差距 {g}（同类干部中位差距 {pg}），差距最大的是"
        "{item}（{tg}）。",
        "en": "The self-assessment averages {s} against {o} from others, a gap of {g} (peers' "
        "median gap {pg}); the largest gap is on {item} ({tg}).",
    },
    "portrait.sum.self_no_peers": {
        "zh": "自评均分 {s}，他评均分 {o}，差距 {g}，差距最大的是{item}（{tg}）。",
        "en": "The self-assessment averages {s} against {o} from others, a gap of {g}; the "
        "largest gap is on {item} ({tg}).",
    },
    "portrait.sum.trend_since": {
        "zh": "自{first_period}以来综合得分由 {first} 变为 {last}；",
        "en": "Since {first_period} the composite has gone from {first} to {last}; ",
    },
    "portrait.sum.trend_clear": {
        "zh": "与{prev_period}（{prev}）相比，本期变化 {change}，两期 {level}% 区间不重叠，"
        "变化明确。",
        "en": "against {prev_period} ({prev}) the change of {change} is clear, as the two "
        "{level}% intervals do not overlap.",
    },
    "portrait.sum.trend_unclear": {
        "zh": "与{prev_period}（{prev}）相比，本期变化 {change}，两期 {level}% 区间重叠，"
        "变化在不确定性范围之内。",
        "en": "against {prev_period} ({prev}) the change of {change} is within the "
        "uncertainty, as the two {level}% intervals overlap.",
    },
    "portrait.sum.first_period": {
        "zh": "这是第一个有综合得分的考核周期，暂无走势。",
        "en": "This is the first period with a composite score, so there is no trend yet.",
    },
    "portrait.sum.flags": {
        "zh": "截至本期有 {n} 条评价异常：{items}",
        "en": "{n} flags on record up to this period: {items}",
    },
    "portrait.sum.flag_one": {
        "zh": "截至本期有 1 条评价异常：{items}",
        "en": "One flag on record up to this period: {items}",
    },
    "portrait.sum.flag_item": {
        "zh": "{type}（{severity}，{period}）",
        "en": "{type} ({severity}, {period})",
    },
    "portrait.sum.flags_more": {"zh": "等（另有 {n} 条）", "en": " and {n} more"},
    "portrait.sum.all_periods": {"zh": "各期合并", "en": "all periods"},
    "portrait.sum.no_flags": {
        "zh": "截至本期没有涉及该干部的评价异常",
        "en": "No flag concerns the cadre up to this period",
    },
    "portrait.sum.talks": {
        "zh": "近 12 个月的谈话提及该干部 {n} 次（正面 {pos}、中性 {neu}、负面 {neg}，负面占 "
        "{share}%）",
        "en": "talks of the last 12 months mention the cadre {n} times ({pos} positive, {neu} "
        "neutral, {neg} negative: {share}% negative)",
    },
    "portrait.sum.talks_city": {
        "zh": "近 12 个月的谈话提及该干部 {n} 次（正面 {pos}、中性 {neu}、负面 {neg}），负面占 "
        "{share}%，同层级干部总体为 {city}%",
        "en": "talks of the last 12 months mention the cadre {n} times ({pos} positive, {neu} "
        "neutral, {neg} negative): {share}% negative against {city}% for cadres of the "
        "same tier city-wide",
    },
    "portrait.sum.no_talks": {
        "zh": "近 12 个月的谈话没有提及该干部",
        "en": "talks of the last 12 months do not mention the cadre",
    },
}
