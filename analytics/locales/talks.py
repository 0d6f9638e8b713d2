"""Strings of the Talks page (谈话)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "talks.title": {"zh": "个别谈话", "en": "Individual talks"},
    "talks.caption": {
        "zh": "每个单位每年开展一轮个别谈话，本页统计截至{period}的近十二个月"
        "（{first} 至 {last}）内的谈话。",
        "en": "Each unit holds one round of individual talks a year: this page counts the "
        "talks of the twelve months up to {period} ({first} to {last}).",
    },
    "talks.no_periods": {"zh": "尚未导入考核周期。", "en": "No assessment period is loaded."},
    "talks.no_talks": {
        "zh": "数据库中没有个别谈话记录（谈话渠道未导入）。可在“数据”页导入 talks 与 "
        "talk_mentions 表。",
        "en": "The database holds no talk records (the talk channel is not loaded). Import "
        "the talks and talk_mentions tables on the Data page.",
    },
    "talks.partial": {
        "zh": "数据自 {loaded} 起导入，早于此日期（窗口起于 {first}）的谈话不在库中："
        "谈话轮次在此之前的单位会显示为未覆盖。",
        "en": "Data are loaded from {loaded} only; talks before that (the window starts "
        "{first}) are not in the database, so a unit whose round came earlier looks "
        "uncovered.",
    },
    "talks.list_sep": {"zh": "、", "en": ", "},
    "talks.minutes": {"zh": "{n:.0f} 分钟", "en": "{n:.0f} min"},
    # coverage
    "talks.coverage.title": {"zh": "谈话覆盖", "en": "Coverage of the talk mandate"},
    "talks.coverage.caption": {
        "zh": "应谈对象：{tiers}须全部谈到（截至窗口末已在任者）。谈话记录中写明谈话对象"
        "即算谈到，不论在哪个单位谈；未写明对象的谈话按人数抵充同层级的应谈人员。",
        "en": "The mandate: every cadre of the tiers {tiers} in post by the window's end "
        "must be talked to. A cadre counts as covered when a talk names them as "
        "interviewee, wherever it was held; talks recorded without a name cover their "
        "tier by count.",
    },
    "talks.coverage.anon": {
        "zh": "其中 {n} 人由未写明对象的谈话按人数抵充。",
        "en": "{n} of them are covered by talks recorded without the interviewee's name.",
    },
    "talks.metric.covered": {"zh": "应谈对象覆盖率", "en": "Mandate covered"},
    "talks.metric.covered_help": {
        "zh": "已谈到的应谈对象 / 应谈对象总数",
        "en": "Required cadres talked to / all required",
    },
    "talks.metric.covered_of": {
        "zh": "已谈 {covered:,} 人 / 应谈 {required:,} 人",
        "en": "{covered:,} of {required:,} required cadres",
    },
    "talks.metric.units_full": {"zh": "全部谈到的单位", "en": "Units fully covered"},
    "talks.metric.units_gap": {"zh": "有遗漏的单位", "en": "Units with a gap"},
    "talks.metric.units_no_talk": {
        "zh": "其中 {n} 个单位近十二个月没有任何谈话",
        "en": "{n} of them held no talk at all in twelve months",
    },
    "talks.metric.talks": {"zh": "谈话人次（含一般干部职工）", "en": "Talks (all interviewees)"},
    "talks.chart.coverage": {
        "zh": "各责任区、各层级应谈对象覆盖率",
        "en": "Coverage by area and tier",
    },
    "talks.axis.tier": {"zh": "谈话对象层级", "en": "Interviewee tier"},
    "talks.col.required": {"zh": "应谈人数", "en": "Required"},
    "talks.col.covered": {"zh": "已谈人数", "en": "Covered"},
    "talks.col.missing": {"zh": "未谈人数", "en": "Not covered"},
    "talks.col.tier": {"zh": "层级", "en": "Tier"},
    "talks.col.role": {"zh": "班子职务类别", "en": "Role"},
    "talks.col.talks": {"zh": "谈话人次", "en": "Talks"},
    "talks.col.last_talk": {"zh": "最近谈话日期", "en": "Last talk"},
    "talks.col.in_post_since": {"zh": "任现职时间", "en": "In post since"},
    "talks.col.anon_tier": {"zh": "同层级未写明对象的谈话", "en": "Unnamed talks of the tier"},
    "talks.gaps.title": {
        "zh": "有遗漏的单位（各层级未谈人数）",
        "en": "Units with a gap (required cadres not covered, per tier)",
    },
    "talks.gaps.none": {
        "zh": "范围内所有单位的应谈对象均已谈到。",
        "en": "Every required cadre in scope has been talked to.",
    },
    "talks.gaps.drill": {"zh": "点击查看该单位的谈话情况", "en": "Open this unit's talks"},
    "talks.gaps.caption": {
        "zh": "在左侧选择单位可查看具体未谈人员。",
        "en": "Choose the unit in the sidebar to see who has not been talked to.",
    },
    "talks.uncovered.title": {"zh": "尚未谈到的应谈对象", "en": "Required cadres not yet heard"},
    "talks.uncovered.none": {
        "zh": "该单位的应谈对象均已谈到。",
        "en": "Every required cadre of this unit has been talked to.",
    },
    # flags
    "talks.flags.title": {"zh": "谈话相关评价异常", "en": "Talk flags"},
    "talks.flags.none": {
        "zh": "近十二个月范围内没有谈话覆盖不足或谈话与测评矛盾的评价异常。",
        "en": "No talk coverage gap or talk–vote conflict in the twelve months and scope.",
    },
    "talks.flags.caption": {
        "zh": "谈话覆盖不足按每轮谈话所在考核周期判断（相邻周期补谈只作提示）；谈话与测评矛盾"
        "比较某干部的测评得分与谈话中对其的正负面反映。",
        "en": "Coverage gaps are judged per talk round in its own period (make-up talks in "
        "an adjacent period are only noted); a talk–vote conflict compares a cadre's "
        "ballots with the stance of the talks' mentions of them.",
    },
    # durations
    "talks.durations.title": {"zh": "谈话时长", "en": "Talk durations"},
    "talks.durations.none": {
        "zh": "范围内近十二个月没有谈话。",
        "en": "No talk in the twelve months and scope.",
    },
    "talks.metric.median": {"zh": "时长中位数", "en": "Median duration"},
    "talks.metric.short": {"zh": "不足 {m:.0f} 分钟的谈话", "en": "Talks under {m:.0f} min"},
    "talks.metric.short_share": {"zh": "不足 {m:.0f} 分钟占比", "en": "Share under {m:.0f} min"},
    "talks.chart.durations": {"zh": "各层级谈话时长分布", "en": "Talk duration by tier"},
    "talks.chart.threshold": {"zh": "最低 {m:.0f} 分钟", "en": "minimum {m:.0f} min"},
    "talks.axis.minutes": {"zh": "时长（分钟）", "en": "Duration (minutes)"},
    "talks.durations.box_caption": {
        "zh": "箱体为上下四分位数，中线为中位数，虚线为平均数，须线延伸至最短和最长的谈话。",
        "en": "Boxes span the quartiles with the median inside, the dashed line is the "
        "mean, whiskers reach the shortest and longest talk.",
    },
    "talks.col.interviewee_tier": {"zh": "谈话对象层级", "en": "Interviewee tier"},
    "talks.col.median": {"zh": "中位数（分钟）", "en": "Median (min)"},
    "talks.col.q1": {"zh": "下四分位", "en": "Lower quartile"},
    "talks.col.q3": {"zh": "上四分位", "en": "Upper quartile"},
    "talks.col.min": {"zh": "最短", "en": "Shortest"},
    "talks.col.max": {"zh": "最长", "en": "Longest"},
    "talks.col.short": {"zh": "不足{m:.0f}分钟", "en": "Under {m:.0f} min"},
    "talks.col.short_share": {"zh": "短谈话占比", "en": "Short share"},
    "talks.rushed.title": {
        "zh": "谈话偏短的单位（时长中位数不足 {m:.0f} 分钟或短谈话占比过高）",
        "en": "Units with rushed talks (median under {m:.0f} min or many short talks)",
    },
    # mentions
    "talks.mentions.title": {"zh": "谈话反映情况", "en": "What the talks said"},
    "talks.mentions.caption": {
        "zh": "按被反映对象（干部或班子）汇总谈话中的正面、中性、负面反映，不对应到谈话对象，"
        "不显示谈话原文。近十二个月谈话少于 {k} 人次的单位不单独显示，以免推断出反映人。",
        "en": "Mentions are counted by who they are about (a cadre or the team), never by "
        "interviewee, and notes are not shown. A unit with fewer than {k} talks in "
        "the twelve months is not shown on its own, so no one can tell who said it.",
    },
    "talks.mentions.hidden": {
        "zh": "{n} 个单位近十二个月谈话少于 {k} 人次，未计入以下图表。",
        "en": "{n} unit(s) with fewer than {k} talks in the twelve months are left out below.",
    },
    "talks.mentions.unit_hidden": {
        "zh": "该单位近十二个月只有 {n} 人次谈话（少于 {k} 人次），为保护谈话对象不显示反映情况。",
        "en": "This unit held only {n} talk(s) in the twelve months (fewer than {k}); to "
        "protect the interviewees its mentions are not shown.",
    },
    "talks.mentions.none": {
        "zh": "范围内没有谈话反映记录。",
        "en": "No mention in the talks of this scope.",
    },
    "talks.chart.topics": {"zh": "谈话反映的主题与倾向", "en": "Mentions by topic and stance"},
    "talks.chart.unit_topics": {
        "zh": "本单位谈话反映的主题与倾向",
        "en": "This unit's mentions by topic and stance",
    },
    "talks.chart.units": {
        "zh": "各单位谈话反映倾向（{n} 个单位）",
        "en": "Stance of mentions per unit ({n} units)",
    },
    "talks.chart.units_top": {
        "zh": "负面反映占比最高的 {n} 个单位",
        "en": "The {n} units with the highest share of negative mentions",
    },
    "talks.chart.subjects": {
        "zh": "对班子及各干部的反映",
        "en": "Mentions of the team and each cadre",
    },
    "talks.axis.topic": {"zh": "主题", "en": "Topic"},
    "talks.axis.mentions": {"zh": "反映条数", "en": "Mentions"},
    "talks.axis.share": {"zh": "占比", "en": "Share"},
    "talks.axis.subject": {"zh": "被反映对象", "en": "Mentioned"},
    "talks.col.mentions": {"zh": "反映条数", "en": "Mentions"},
    "talks.col.negative_share": {"zh": "负面占比", "en": "Negative share"},
    "talks.col.team_mentions": {"zh": "其中反映班子", "en": "Of which about the team"},
    "talks.col.subject": {"zh": "被反映对象", "en": "Mentioned"},
    "talks.col.negative_topics": {"zh": "负面反映主题", "en": "Negative on"},
    "talks.col.positive_topics": {"zh": "正面反映主题", "en": "Positive on"},
    "talks.mentions.link_help": {
        "zh": "打开干部画像或班子运行页",
        "en": "Open the cadre's portrait or the team page",
    },
}
