"""Strings of the Overview page (总览)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "overview.caption": {
        "zh": "{period} · {scope}。班子和干部的综合得分是同类单位内的标准分（同类均值 50，"
        "标准差 10），区间为 90% 置信区间。",
        "en": "{period} · {scope}. Composites of teams and cadres are standard scores within "
        "their peer group (peer mean 50, SD 10); intervals are 90% intervals.",
    },
    "overview.no_period": {
        "zh": "数据库中还没有考核周期。",
        "en": "The database holds no assessment period yet.",
    },
    # scope and breadcrumb
    "overview.scope.city": {"zh": "全市", "en": "City"},
    "overview.scope.city_units": {"zh": "全市 {n} 个单位", "en": "the whole city, {n} units"},
    "overview.scope.area_units": {
        "zh": "{area}（组长 {leader}）{n} 个单位",
        "en": "{area} (led by {leader}), {n} units",
    },
    "overview.scope.unit": {"zh": "{unit}（{area}）", "en": "{unit} ({area})"},
    "overview.crumb.help": {"zh": "返回上一层", "en": "Back up one level"},
    # headline
    "overview.metric.units": {"zh": "单位", "en": "Units"},
    "overview.metric.units_help": {
        "zh": "范围内的单位数；{scored} 个班子有综合得分。",
        "en": "Units in scope; {scored} teams have a composite.",
    },
    "overview.metric.median": {"zh": "中位数", "en": "Median"},
    "overview.metric.median_help": {
        "zh": "范围内各班子综合得分的中位数（同类内标准分，同类均值 50）。",
        "en": "Median of the teams' composites in scope (standard score within the peer "
        "group; peer mean 50).",
    },
    "overview.metric.coverage": {"zh": "数据覆盖", "en": "Coverage"},
    "overview.metric.coverage_help": {
        "zh": "本周期 8 个渠道 × 单位中有数据的比例；{complete}/{units} 个单位各渠道齐全。",
        "en": "Share of the 8 channels × units with data this period; {complete} of {units} "
        "units have every channel.",
    },
    "overview.metric.verdict_help": {
        "zh": "班子运行研判结论，依据凝聚力、结构、氛围、趋势、谈话等方面的信号；"
        "与评价异常（测评数据本身的问题）分开统计。",
        "en": "Team-health verdict, resting on cohesion, structure, climate, trend and talks "
        "signals; counted apart from the flags (problems in the ratings themselves).",
    },
    "overview.metric.flags_help": {
        "zh": "本周期范围内的评价异常（含跨周期汇总检验的评价异常）。",
        "en": "Anomaly flags of the scope this period (including flags pooled over periods).",
    },
    "overview.metric.vs_prev": {"zh": "变化较{prev}", "en": "change vs {prev}"},
    "overview.group.scope": {"zh": "范围与数据", "en": "Scope and data"},
    "overview.group.verdicts": {"zh": "班子研判", "en": "Teams by verdict"},
    "overview.group.flags": {"zh": "异常等级", "en": "Flags by severity"},
    # city level
    "overview.areas.title": {"zh": "各考察责任区", "en": "Responsibility areas"},
    "overview.areas.hint": {
        "zh": "选择一行，进入该责任区的单位。",
        "en": "Select a row to open that area's units.",
    },
    "overview.col.leader": {"zh": "组长", "en": "Led by"},
    "overview.col.units": {"zh": "单位数", "en": "Units"},
    "overview.col.mean": {"zh": "平均综合得分", "en": "Mean composite"},
    "overview.col.median": {"zh": "综合得分中位数", "en": "Median composite"},
    "overview.col.lacking": {"zh": "缺数据单位", "en": "Units lacking data"},
    "overview.col.reasons": {"zh": "研判要点", "en": "Reasons"},
    "overview.col.prev": {"zh": "上期", "en": "Before"},
    "overview.col.now": {"zh": "本期", "en": "Now"},
    "overview.col.clear": {"zh": "超出区间", "en": "Beyond CI"},
    "overview.col.role": {"zh": "职位类别", "en": "Role"},
    "overview.col.clear_help": {
        "zh": "变化大于两期自助法（bootstrap）区间所示的不确定性。",
        "en": "The change exceeds the uncertainty of both periods' bootstrap intervals.",
    },
    "overview.col.subject": {"zh": "对象", "en": "Subject"},
    "overview.col.share": {"zh": "覆盖率", "en": "Coverage"},
    # area level
    "overview.units.title": {"zh": "{area}的单位", "en": "Units of {area}"},
    "overview.units.hint": {
        "zh": "选择一行，打开该单位的班子运行页。",
        "en": "Select a row to open the unit's team-health page.",
    },
    # unit level
    "overview.card.verdict": {"zh": "研判结论", "en": "Verdict"},
    "overview.card.composite": {"zh": "班子综合得分", "en": "Team composite"},
    "overview.card.composite_help": {"zh": "90% 区间 {ci}", "en": "90% interval {ci}"},
    "overview.card.rank": {"zh": "同类排名", "en": "Rank among peers"},
    "overview.card.rank_value": {"zh": "{rank} / {peers}", "en": "{rank} of {peers}"},
    "overview.card.rank_help": {
        "zh": "在{peer}中的名次；90% 排名区间 {interval}。",
        "en": "Rank among {peer}; 90% rank interval {interval}.",
    },
    "overview.card.change": {"zh": "较上期变化", "en": "Change"},
    "overview.card.change_help": {
        "zh": "与 {prev} 相比（{before:.1f} → {now:.1f}）。",
        "en": "Compared with {prev} ({before:.1f} → {now:.1f}).",
    },
    "overview.card.clear": {"zh": "超出不确定区间", "en": "beyond the interval"},
    "overview.card.within": {"zh": "在不确定区间内", "en": "within the interval"},
    "overview.card.flags": {"zh": "评价异常", "en": "Flags"},
    "overview.card.flags_by": {
        "zh": "严重 {critical} · 警告 {warning} · 提示 {info}",
        "en": "{critical} critical · {warning} warning · {info} info",
    },
    "overview.card.flags_help": {
        "zh": "本周期本单位的异常数（含跨周期汇总检验的评价异常），下方按等级分列。",
        "en": "Flags of this unit this period (including flags pooled over periods), by "
        "severity below.",
    },
    "overview.card.reasons": {"zh": "研判要点", "en": "Reasons"},
    "overview.card.good": {"zh": "未发现需关注的问题。", "en": "Nothing calls for attention."},
    "overview.card.notes": {"zh": "提示（{n} 条）", "en": "Notes ({n})"},
    "overview.card.unit_flags": {"zh": "本单位评价异常", "en": "Flags of this unit"},
    "overview.card.no_flags": {
        "zh": "本周期本单位没有评价异常。",
        "en": "No flag for this unit this period.",
    },
    "overview.card.members": {"zh": "班子成员", "en": "Team members"},
    "overview.card.members_hint": {
        "zh": "选择一行，打开该干部的画像。",
        "en": "Select a row to open the cadre's portrait.",
    },
    "overview.card.missing": {
        "zh": "本周期缺少：{channels}",
        "en": "Lacking this period: {channels}",
    },
    "overview.card.no_team": {
        "zh": "本周期该单位还没有班子综合得分（缺少民主测评等评分数据）。",
        "en": "No team composite for this unit this period (no ballots or other scores).",
    },
    "overview.link.team": {"zh": "班子运行详情", "en": "Team health details"},
    "overview.link.anomalies": {"zh": "查看评价异常", "en": "Open the anomalies"},
    "overview.link.data": {"zh": "数据状态", "en": "Data status"},
    "overview.verdict_none": {"zh": "未研判", "en": "Not assessed"},
    # distribution
    "overview.dist.section": {"zh": "综合得分分布", "en": "Composite distribution"},
    "overview.dist.title": {
        "zh": "各责任区班子综合得分（{period}）",
        "en": "Team composites per responsibility area, {period}",
    },
    "overview.dist.x": {
        "zh": "班子综合得分（同类内标准分）",
        "en": "Team composite (standard score among peers)",
    },
    "overview.dist.y": {"zh": "考察责任区", "en": "Responsibility area"},
    "overview.dist.caption": {
        "zh": "每个点是一个班子；箱体为四分位范围，虚线为同类均值 50。得分在同类单位（单位类型）"
        "内标准化，因此责任区之间比较的是班子在同类中的相对位置。",
        "en": "Each point is a team; boxes span the quartiles; the dotted line is the peer "
        "mean 50. Scores are standardised "
        "within peer groups (unit type), so areas are compared by where their teams "
        "stand among their peers.",
    },
    # flags
    "overview.flags.section": {"zh": "评价异常", "en": "Flags"},
    "overview.flags.title": {
        "zh": "评价异常：类型与等级（{scope}，{period}）",
        "en": "Flags by type and severity: {scope}, {period}",
    },
    "overview.flags.caption": {
        "zh": "含本周期的评价异常和跨周期汇总检验的评价异常；“提示”是备注，不是警报。",
        "en": "Flags of this period and flags of tests pooled over periods; “info” is a "
        "note, never an alarm.",
    },
    "overview.flags.x": {"zh": "异常数", "en": "Number of flags"},
    "overview.flags.y": {"zh": "异常类型", "en": "Flag type"},
    "overview.flags.none": {
        "zh": "本周期范围内没有评价异常。",
        "en": "No flag in scope this period.",
    },
    # movers
    "overview.movers.title": {
        "zh": "较上一周期变化最大",
        "en": "Biggest movers since the last period",
    },
    "overview.movers.caption": {
        "zh": "与{prev}相比。综合得分为同类中的标准分，变化即同类中相对位置的变化；"
        "{teams_clear}/{teams} 个班子、{cadres_clear}/{cadres} 名班子成员的变化超出"
        "不确定区间。",
        "en": "Compared with {prev}. Composites are standard scores among peers, so a change "
        "is a change of standing among peers; {teams_clear} of {teams} teams and "
        "{cadres_clear} of {cadres} team members moved beyond the uncertainty "
        "interval.",
    },
    "overview.movers.caption_unit": {
        "zh": "与{prev}相比；{cadres_clear}/{cadres} 名班子成员的变化超出不确定区间。",
        "en": "Compared with {prev}; {cadres_clear} of {cadres} team members moved beyond "
        "the uncertainty interval.",
    },
    "overview.movers.first": {
        "zh": "{period}是第一个考核周期，没有上一周期可比。",
        "en": "{period} is the first assessment period: there is no previous period to "
        "compare with.",
    },
    "overview.movers.clear_only": {
        "zh": "只看超出不确定区间的变化",
        "en": "Only changes beyond the uncertainty interval",
    },
    "overview.movers.teams": {"zh": "领导班子", "en": "Teams"},
    "overview.movers.cadres": {"zh": "班子成员", "en": "Team members"},
    "overview.movers.up": {"zh": "上升最多", "en": "Top risers"},
    "overview.movers.down": {"zh": "下降最多", "en": "Top fallers"},
    "overview.movers.none": {"zh": "没有符合条件的变化。", "en": "No such change."},
    "overview.movers.teams_hint": {
        "zh": "选择一行，打开该班子的运行页。",
        "en": "Select a row to open the team's page.",
    },
    "overview.movers.cadres_hint": {
        "zh": "选择一行，打开该干部的画像。",
        "en": "Select a row to open the cadre's portrait.",
    },
    # coverage
    "overview.coverage.title": {"zh": "数据覆盖", "en": "Data coverage"},
    "overview.coverage.caption": {
        "zh": "本周期 {complete}/{units} 个单位各渠道数据齐全。个别谈话按近 12 个月计"
        "（每个单位一年一轮）。",
        "en": "{complete} of {units} units have every channel this period. Talks count over "
        "the last 12 months (one round a year per unit).",
    },
    "overview.coverage.channels": {"zh": "各渠道", "en": "By channel"},
    "overview.coverage.gaps": {"zh": "缺少渠道数据的单位", "en": "Units lacking a channel"},
    "overview.coverage.none": {
        "zh": "范围内所有单位本周期各渠道数据齐全。",
        "en": "Every unit in scope has every channel this period.",
    },
    "overview.coverage.covered": {"zh": "有数据单位", "en": "Units with data"},
}
