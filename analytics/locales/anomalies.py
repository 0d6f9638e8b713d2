"""Strings of the anomalies page (评价异常): the analysts' workbench."""

from __future__ import annotations

_PAGE: dict[str, tuple[str, str]] = {
    "title": ("评价异常", "Anomalies and bias"),
    "caption": (
        "每一条评价异常及其依据。可按类型、等级、对象、单位和周期筛选；"
        "点选表格中的一行（或在下方选择）即可查看检验过程、数值与对比图。",
        "Every flag with its evidence. Filter by type, severity, subject, unit and "
        "period; select a row of the table (or pick a flag below) to see the test, its "
        "numbers and the comparison chart.",
    ),
    "pooled_note": (
        "跨周期合并检验的评价异常（如群体系统偏差）属于每个周期，始终列出。",
        "Flags tested over all periods pooled (such as group bias) belong to every "
        "period and are always listed.",
    ),
    "citywide_note": (
        "已选择责任区或单位：全市层面的评价异常（群体系统偏差）见“群体偏差”标签页。",
        "An area or unit is chosen: city-wide flags (group bias) are on the “Group bias” tab.",
    ),
    # filters
    "filter.type": ("异常类型", "Flag type"),
    "filter.severity": ("等级", "Severity"),
    "filter.subject": ("对象类型", "Subject type"),
    "filter.all": ("全部", "All"),
    # metrics
    "metric.total": ("评价异常总数", "Flags"),
    "metric.units": ("涉及单位", "Units involved"),
    # tabs
    "tab.flags": ("评价异常清单", "Flags"),
    "tab.map": ("单位 × 测评主体", "Unit × rater group"),
    "tab.reliability": ("测评信度", "Session reliability"),
    "tab.bias": ("群体偏差", "Group bias"),
    # the flag table
    "table.title": ("评价异常清单", "Flags"),
    "table.caption": (
        "按等级排序（严重在前），同等级按校正后 p 值。效应量的含义随类型而定，"
        "见详情。p 值为同类型内 Benjamini–Hochberg 校正后的值。",
        "Sorted by severity (critical first), then by adjusted p. The meaning of "
        "the effect size depends on the type (see the details). p-values are "
        "Benjamini–Hochberg adjusted within each flag type.",
    ),
    "table.empty": ("当前筛选条件下没有评价异常。", "No flag matches the current filters."),
    "col.subject": ("对象", "Subject"),
    "col.subject_type": ("对象类型", "Subject type"),
    "col.period": ("周期", "Period"),
    "col.open": ("链接", "Link"),
    "open": ("打开", "Open"),
    "pooled": ("全部周期（合并）", "All periods (pooled)"),
    "pick": ("查看详情的评价异常", "Flag shown in detail"),
    "pick_help": ("在表格中点选一行，或在此直接选择。", "Select a row in the table, or pick here."),
    # evidence panel
    "ev.title": ("评价异常依据", "Evidence"),
    "ev.test": ("检验与数值", "The test and its numbers"),
    "ev.method": ("检验方法：{text}", "Method: {text}"),
    "ev.statistic": ("效应量的含义：{text}", "Effect size: {text}"),
    "ev.measure": ("指标", "Measure"),
    "ev.value": ("数值", "Value"),
    "ev.portrait": ("干部画像：{name}", "Cadre portrait: {name}"),
    "ev.team": ("班子运行：{name}", "Team health: {name}"),
    "ev.no_chart": ("该评价异常没有可比较的原始数据。", "No raw data to compare for this flag."),
    "ev.sheet_group_hidden": (
        "该测评票所属测评主体在本场次少于 {k} 张票，图中不显示其类别。",
        "This sheet's rater group cast fewer than {k} sheets in the session; the chart does "
        "not name it.",
    ),
    "ev.complement": (
        "被隐去的测评主体合计少于 {k} 张测评票，图中再隐去票数最少的其他类别，"
        "以免由“其他类别”的合计数值推算出被隐去主体的评分。",
        "The hidden groups hold fewer than {k} sheets together, so the smallest other groups "
        "are hidden too: otherwise the hidden groups' marks could be worked out from the "
        "other groups' pooled figure.",
    ),
    "ev.more": ("等，共 {n} 项", "… {n} in all"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # map
    "map.title": ("单位 × 测评主体：最高异常等级", "Unit × rater group: worst flag severity"),
    "map.caption": (
        "每格为该单位该测评主体本期评价异常中的最高等级，数字为异常条数；"
        "只统计带测评主体的评价异常（测评票、测评主体和偏袒类），并遵循当前筛选。"
        "测评票少于 {k} 张的测评主体不显示。",
        "Each cell is the worst severity among the flags of that unit and rater "
        "group, the number is the count of flags; only flags that name a rater "
        "group (ballot, rater-group and favouritism flags) under the current "
        "filters. Rater groups with fewer than {k} sheets are not shown.",
    ),
    "map.x": ("测评主体", "Rater group"),
    "map.y": ("单位", "Unit"),
    "map.count": ("异常条数", "Flags"),
    "map.empty": (
        "当前筛选条件下没有涉及测评主体的评价异常。",
        "No flag names a rater group under the current filters.",
    ),
    "map.units_without": (
        "范围内另有 {n} 个单位没有涉及测评主体的评价异常，未列出。",
        "{n} more units in scope have no rater-group flag and are not listed.",
    ),
    # reliability
    "rel.title": ("测评信度（每个单位的测评场次）", "Reliability of each session (unit)"),
    "rel.caption": (
        "Krippendorff α 和 ICC(2,1) 衡量单张测评票之间的一致性，ICC(2,k) 衡量全场平均分的可靠性。"
        "前两者多在“不可靠/较差”区间、而 ICC(2,k) 多在“优秀”区间，意味着：单张票的评分不足为凭，"
        "按全场平均后的得分是可靠的。评分集中在“好”档也会压低前两个系数。",
        "Krippendorff's α and ICC(2,1) measure how far single sheets agree; ICC(2,k) measures "
        "how reliable the session's averaged scores are. When the first two sit in the "
        "“unreliable/poor” bands and ICC(2,k) in “excellent”, single marks are not to be "
        "relied on but the averages are. Marks crowding the top of the scale also depress the "
        "first two coefficients.",
    ),
    "rel.sessions": ("场次数", "Sessions"),
    "rel.median_alpha": ("α 中位数", "Median α"),
    "rel.median_icc1": ("ICC(2,1) 中位数", "Median ICC(2,1)"),
    "rel.median_icck": ("ICC(2,k) 中位数", "Median ICC(2,k)"),
    "rel.chart": (
        "各场次信度系数分布（底色为分档）",
        "Reliability coefficients of the sessions (shading marks the bands)",
    ),
    "rel.x": ("系数值", "Coefficient"),
    "rel.y": ("系数", "Coefficient"),
    "rel.alpha": ("Krippendorff α（单张票）", "Krippendorff's α (single sheets)"),
    "rel.icc1": ("ICC(2,1)（单张票）", "ICC(2,1) (single sheets)"),
    "rel.icck": ("ICC(2,k)（全场平均）", "ICC(2,k) (session average)"),
    "rel.col.alpha_band": ("α 分档", "α band"),
    "rel.col.icc_band": ("ICC(2,1) 分档", "ICC(2,1) band"),
    "rel.col.icc_sheets": ("ICC 所用票数", "Sheets in ICC"),
    "rel.empty": ("范围内没有测评场次。", "No session in scope."),
    "band.reliable": ("可靠", "reliable"),
    "band.tentative": ("仅供参考", "tentative"),
    "band.unreliable": ("不可靠", "unreliable"),
    "band.excellent": ("优秀", "excellent"),
    "band.good": ("良好", "good"),
    "band.moderate": ("中等", "moderate"),
    "band.poor": ("较差", "poor"),
    # rater groups / group bias
    "rg.title": (
        "测评主体的宽严（全市多面 Rasch 模型）",
        "Severity of the rater groups (city-wide many-facet Rasch model)",
    ),
    "rg.caption": (
        "每个周期按全市数据估计各测评主体的严厉度（logit，越大越严，各类别平均为 0），"
        "须线为 95% 区间。拟合均方（infit/outfit）接近 1 为正常，明显大于 1.3 说明评分"
        "杂乱。这是测评主体的常态差异，已在民主测评得分中扣除；单个单位内的异常见评价异常。",
        "Each period, every rater group's severity is estimated from the whole city "
        "(logits, higher = harsher, the groups average 0); whiskers are 95% "
        "intervals. Fit mean squares (infit/outfit) near 1 are ordinary; well above "
        "1.3 means erratic marks. These usual differences are removed from the "
        "democratic score; departures within one unit are what the flags test.",
    ),
    "rg.chart": ("各测评主体严厉度（±95% 区间）", "Rater-group severity (±95% interval)"),
    "rg.x": ("严厉度（logit，越大越严）", "Severity (logits, higher = harsher)"),
    "rg.y": ("测评主体", "Rater group"),
    "rg.legend": ("周期", "Period"),
    "rg.complement": (
        "被隐去的测评主体合计少于 {k} 张测评票，再隐去票数最少的其他类别：各主体严厉度以均值为零"
        "定位，否则可由其余主体推算出被隐去主体的数值。",
        "The hidden groups hold fewer than {k} sheets together, so the smallest other groups "
        "are hidden too: the severities are centred on zero, so a hidden group's value could "
        "otherwise be worked out from the others.",
    ),
    "rg.col.severity": ("严厉度（logit）", "Severity (logits)"),
    "rg.col.se": ("标准误", "SE"),
    "rg.col.infit": ("Infit 均方", "Infit MnSq"),
    "rg.col.outfit": ("Outfit 均方", "Outfit MnSq"),
    "rg.col.marks": ("评分个数", "Marks"),
    "rg.table": ("本期各测评主体（{period}）", "Rater groups in {period}"),
    "gb.title": (
        "按个人属性的系统偏差（全市，跨周期合并）",
        "Bias by personal attribute (city-wide, all periods pooled)",
    ),
    "gb.caption": (
        "检验在业绩、职务和同类单位相同的情况下，"
        "民主测评得分是否随性别、年龄段、学历而系统不同。只列出达到警告标准的属性。",
        "Tests whether democratic scores differ by gender, age band or education "
        "beyond what performance, role and peer group explain. Only attributes that "
        "reach a flag are listed.",
    ),
    "gb.none": ("未发现按个人属性的系统偏差。", "No bias by personal attribute was found."),
    # evidence charts
    "ch.sheet.title": (
        "测评票 {ballot} 的评分与本场次其他测评票均值",
        "Sheet {ballot}: its marks vs the session's other sheets",
    ),
    "ch.dup.title": (
        "{n} 张雷同测评票的共同评分与本场次其他测评票均值",
        "The {n} identical sheets' marks vs the session's other sheets",
    ),
    "ch.sheet.x": ("测评对象 / 测评项目", "Subject / item"),
    "ch.sheet.y": ("评分", "Mark"),
    "ch.sheet.mark": ("该票评分", "This sheet"),
    "ch.dup.mark": ("雷同票评分", "Identical sheets"),
    "ch.sheet.mean": ("本场次其他票均值", "Other sheets' mean"),
    "ch.group.mean_title": (
        "本场次各测评主体的平均评分",
        "Mean mark of each rater group in the session",
    ),
    "ch.group.extreme_title": (
        "本场次各测评主体的评分分布",
        "Mark distribution of each rater group in the session",
    ),
    "ch.group.flat_title": (
        "本场次各测评主体“各项目同分”的比例（非满分评价）",
        "Share of one-mark ratings (below the top) per rater group",
    ),
    "ch.group.x": ("测评主体（测评票数）", "Rater group (sheets)"),
    "ch.group.mean_y": ("平均评分", "Mean mark"),
    "ch.group.share_y": ("占比", "Share"),
    "ch.group.flagged": ("被标记的测评主体", "Flagged group"),
    "ch.group.others": ("其他测评主体", "Other groups"),
    "ch.group.mark": ("{mark} 分", "mark {mark}"),
    "ch.subj.title": (
        "各测评主体对{name}与对本单位其他对象的平均评分",
        "Mean mark per rater group: {name} vs the unit's other subjects",
    ),
    "ch.subj.on": ("对{name}", "On {name}"),
    "ch.subj.else": ("对本单位其他对象", "On the unit's other subjects"),
    "ch.subj.cluster": ("被标记的票组", "Flagged sheets"),
    "ch.reg.title": (
        "回归系数（以民主测评标准差计，±95% 区间）",
        "Regression coefficients (SD of the democratic score, ±95% interval)",
    ),
    "ch.reg.x": ("效应（标准差）", "Effect (SD)"),
    "ch.reg.y": ("变量", "Term"),
    "ch.levels.title": (
        "各周期按{attr}的民主测评平均分（未调整）",
        "Mean democratic score by {attr} per period (unadjusted)",
    ),
    "ch.levels.y": ("民主测评得分（0–100）", "Democratic score (0–100)"),
    "ch.channels.title": ("{name}各渠道得分与同类平均", "{name}: channels vs the peer mean"),
    "ch.channels.x": ("渠道", "Channel"),
    "ch.channels.y": ("得分（0–100）", "Score (0–100)"),
    "ch.channels.subject": ("本对象", "This subject"),
    "ch.channels.peers": ("同类平均（{peer}）", "Peer mean ({peer})"),
    "ch.channels.results": ("本人分管实绩", "Own portfolio results"),
    "ch.self.title": (
        "自评、他评与同等水平者的通常自评",
        "Self, others and the usual self-mark at that level",
    ),
    "ch.self.x": ("测评项目", "Item"),
    "ch.self.y": ("平均评分", "Mean mark"),
    "ch.self.self": ("自评", "Self"),
    "ch.self.others": ("他评", "Others"),
    "ch.self.expected": ("通常自评", "Usual self-mark"),
    "ch.sat.title": (
        "本单位问卷满意度与第三方满意度（各周期）",
        "Own questionnaires vs third-party satisfaction (by period)",
    ),
    "ch.sat.y": ("满意度（0–100）", "Satisfaction (0–100)"),
    "ch.sat.own": ("本单位问卷", "Own questionnaires"),
    "ch.sat.third": ("第三方测评", "Third party"),
    "ch.sat.expected": ("预期第三方结果", "Expected third-party result"),
    "ch.survey.title": (
        "问卷累计提交份数（红点为集中提交的雷同问卷）",
        "Questionnaires received over time (red: the identical burst)",
    ),
    "ch.survey.x": ("提交时间", "Submitted at"),
    "ch.survey.y": ("累计份数", "Responses so far"),
    "ch.survey.burst": ("雷同集中提交", "Identical burst"),
    "ch.claims.title": ("本单位实地印证结果（各周期）", "On-site verification results by period"),
    "ch.claims.y": ("事项数", "Claims"),
    "ch.talk.title": (
        "谈话中的提及：实际与按测评水平的预期",
        "Talk mentions: observed vs expected at this ballot level",
    ),
    "ch.talk.x": ("倾向", "Stance"),
    "ch.talk.y": ("占提及次数比例", "Share of mentions"),
    "ch.talk.observed": ("实际（{n} 次提及）", "Observed ({n} mentions)"),
    "ch.talk.expected": ("按测评水平预期", "Expected at this ballot level"),
    "ch.dur.title": (
        "本轮谈话时长分布（虚线为最低时长 {m} 分钟）",
        "Talk durations of the round (dashed: the {m}-minute minimum)",
    ),
    "ch.dur.x": ("时长（分钟）", "Duration (minutes)"),
    "ch.dur.y": ("谈话次数", "Talks"),
    "ch.dur.legend": ("谈话对象层级", "Interviewee tier"),
    "tbl.missing": ("未谈话的应谈干部", "Required cadres without a talk"),
    "tbl.items": ("分项目比较", "Item by item"),
    "tbl.claims": ("印证事项", "Claims checked"),
    "tbl.providers": ("第三方测评机构", "Third-party providers"),
    "tbl.regression": ("回归结果", "Regression"),
    "tbl.other": ("{name}", "{name}"),
    "tcol.item": ("测评项目", "Item"),
    "tcol.self": ("自评", "Self"),
    "tcol.others": ("他评", "Others"),
    "tcol.expected_self": ("通常自评", "Usual self-mark"),
    "tcol.n_marks": ("他评评分数", "Others' marks"),
    "tcol.claim_id": ("编号", "ID"),
    "tcol.claim": ("所称情况", "Claim"),
    "tcol.result": ("印证结果", "Result"),
    "tcol.note": ("说明", "Note"),
    "tcol.provider": ("机构", "Provider"),
    "tcol.sample_size": ("样本量", "Sample"),
    "tcol.satisfaction": ("满意度", "Satisfaction"),
    "tcol.term": ("变量", "Term"),
    "tcol.coef": ("系数（分）", "Coefficient (points)"),
    "tcol.se": ("稳健标准误", "Robust SE"),
    "tcol.t": ("t 值", "t"),
    "tcol.p": ("p 值", "p"),
    "tcol.coef_sd": ("系数（标准差）", "Coefficient (SD)"),
    "tcol.cadre": ("干部", "Cadre"),
    "tcol.tier": ("层级", "Tier"),
    "tcol.role": ("职务类别", "Role"),
    "tcol.anonymous": ("同层级匿名谈话", "Anonymous talks of the tier"),
    # codes met in the details
    "attr.gender": ("性别", "gender"),
    "attr.age_band": ("年龄段", "age band"),
    "attr.education": ("学历", "education"),
    "level.F": ("女", "women"),
    "level.M": ("男", "men"),
    "source.grassroots": ("基层单位", "grassroots units"),
    "source.service_recipient": ("服务对象", "service recipients"),
    "result.confirmed": ("属实", "confirmed"),
    "result.partial": ("部分属实", "partial"),
    "result.refuted": ("不属实", "refuted"),
}

# the labels of the keys of a flag's ``details`` (what the detectors record)
_KEYS: dict[str, tuple[str, str]] = {
    "statistic": ("效应量", "Effect size"),
    "p_value": ("校正后 p 值（BH）", "Adjusted p (BH)"),
    "p_raw": ("未校正 p 值", "Unadjusted p"),
    "z": ("z 值", "z"),
    "n_sheets": ("测评票数", "Sheets"),
    "n_other_sheets": ("其他类别测评票数", "Other groups' sheets"),
    "n_reference_sheets": ("参照测评票数", "Reference sheets"),
    "session_sheets": ("本场次测评票数", "Sheets in the session"),
    "sheets_rating_subject": ("评价该对象的测评票数", "Sheets rating the subject"),
    "marks": ("评分个数", "Marks"),
    "n_marks": ("评分个数", "Marks"),
    "n_subjects": ("测评对象数", "Subjects"),
    "ballot_ids": ("测评票编号", "Sheet IDs"),
    "mark": ("统一打分", "The one mark"),
    "at_scale_top": ("是否为最高档", "At the top of the scale"),
    "session_mean_mark": ("本场次平均评分", "Session's mean mark"),
    "null_probability": ("本场次整票同分的概率", "Chance of such a constant sheet"),
    "expected_in_session": ("本场次期望张数", "Expected in the session"),
    "outfit": ("拟合均方（outfit）", "Outfit mean square"),
    "correlation_with_consensus": ("与场次共识的相关", "Correlation with the consensus"),
    "mean_deviation": ("平均偏离（分）", "Mean deviation (marks)"),
    "residual_variance": ("残差方差", "Residual variance"),
    "tilt_vs_group": ("相对本类别的倾斜", "Tilt vs its group"),
    "z_location": ("z：水平", "z: location"),
    "z_agreement": ("z：一致性", "z: agreement"),
    "z_dispersion": ("z：离散", "z: dispersion"),
    "z_random": ("z：随机打分", "z: random marking"),
    "chi_bar_square": ("χ̄² 统计量", "Chi-bar-square"),
    "size": ("雷同票张数", "Identical sheets"),
    "rater_groups": ("测评主体", "Rater groups"),
    "submitted_at": ("提交时间", "Submitted at"),
    "span_minutes": ("提交时间跨度（分钟）", "Span (minutes)"),
    "expected_clusters": ("偶然出现的期望组数", "Expected clusters by chance"),
    "marks_below_top": ("非最高档评分数", "Marks below the top"),
    "other_clusters": ("其他雷同票组", "Other clusters"),
    "group_mean_mark": ("该类别平均评分", "Group's mean mark"),
    "others_mean_mark": ("其他类别平均评分", "Other groups' mean mark"),
    "latent_shift": ("潜在尺度偏移（标准差）", "Latent shift (SD)"),
    "usual_shift": ("该类别通常偏移", "Usual shift of the group type"),
    "between_unit_sd": ("单位间标准差", "Between-unit SD"),
    "within_se": ("本场次标准误", "Within-session SE"),
    "reference_excludes": ("参照中排除的类别", "Excluded from the reference"),
    "central_tendency_also": ("同时趋中", "Also central tendency"),
    "extreme_share": ("两端评分占比", "Share at either end"),
    "expected_share_at_own_level": ("按自身水平的期望占比", "Expected share at its level"),
    "other_groups_share": ("其他类别占比", "Other groups' share"),
    "usual_excess": ("该类别通常偏差", "Usual excess of the group type"),
    "flat_share": ("各项目同分的比例", "Share of one-mark ratings"),
    "expected_flat_share": ("期望比例", "Expected share"),
    "other_groups_flat_share": ("其他类别比例", "Other groups' share"),
    "informative_ratings": ("非满分评价数", "Ratings below the top"),
    "flat_ratings": ("各项目同分的评价数", "One-mark ratings"),
    "excess_vs_other_groups": ("比其他类别多", "Excess over the other groups"),
    "group_mean_on_subject": ("该类别对该对象平均分", "Group's mean on the subject"),
    "other_groups_mean_on_subject": ("其他类别对该对象平均分", "Other groups' mean on the subject"),
    "departure_on_subject": ("对该对象的偏离", "Departure on the subject"),
    "departure_elsewhere": ("对其他对象的偏离", "Departure on other subjects"),
    "favour": ("偏袒幅度（分）", "Favour (marks)"),
    "usual": ("该类别通常值", "Usual for the group type"),
    "group_wide_effect": ("该类别整体异常", "Group-wide effect"),
    "minimum_mark": ("最低分", "Minimum mark"),
    "others_mean_on_subject": ("其余测评票对该对象平均分", "Other sheets' mean on the subject"),
    "cluster_mean_elsewhere": ("这些票对其他对象平均分", "These sheets' mean elsewhere"),
    "expected_by_chance": ("偶然出现的期望张数", "Expected by chance"),
    "typical_adjusted_mean": ("调整后的典型平均分", "Typical adjusted mean"),
    "spread": ("稳健离散度", "Robust spread"),
    "democratic": ("民主测评得分", "Democratic score"),
    "performance": ("绩效得分", "Performance score"),
    "results": ("分管实绩", "Own results"),
    "normal_democratic": ("民主测评标准分", "Democratic normal score"),
    "z_results": ("实绩 z 值", "Results z"),
    "satisfaction": ("满意度", "Satisfaction"),
    "superior": ("上级意见得分", "Superior opinion"),
    "peer_group": ("同类组", "Peer group"),
    "peer_correlation": ("同类中两渠道相关", "Correlation of the channels among peers"),
    "self_mean": ("自评均分", "Self mean"),
    "others_mean": ("他评均分", "Others' mean"),
    "expected_self_mean": ("同等水平者通常自评", "Usual self mean at that level"),
    "natural_gap": ("正常自评偏高", "Natural self-inflation"),
    "gap": ("自评减他评", "Self minus others"),
    "excess": ("超出正常的偏高", "Excess over the natural gap"),
    "n_items": ("比较的项目数", "Items compared"),
    "n_other_marks": ("他评评分数", "Others' marks"),
    "items": ("分项目比较", "Item by item"),
    "n_responses": ("问卷份数", "Responses"),
    "window_minutes": ("检测时间窗（分钟）", "Window (minutes)"),
    "burst_vector": ("雷同答案", "Identical answer vector"),
    "burst_source": ("来源", "Source"),
    "burst_size": ("集中提交份数", "Responses in the burst"),
    "vector_count": ("该答案总份数", "Responses with that vector"),
    "source_responses": ("该来源问卷份数", "Responses of that source"),
    "expected_in_window": ("时间窗内期望份数", "Expected in the window"),
    "expected_count_independent_items": (
        "按各题独立推算的期望份数",
        "Expected if items independent",
    ),
    "burst_first": ("首份提交", "First of the burst"),
    "burst_last": ("末份提交", "Last of the burst"),
    "burst_minutes": ("集中提交用时（分钟）", "Burst span (minutes)"),
    "burst_response_ids": ("雷同问卷编号", "Response IDs of the burst"),
    "collection_hours": ("收集问卷的小时数", "Hours with responses"),
    "satisfaction_without_burst": ("去除雷同后的满意度", "Satisfaction without the burst"),
    "shift_points": ("满意度被抬高（分）", "Shift (points)"),
    "other_bursts": ("其他雷同批次", "Other bursts"),
    "outside_period": ("周期外提交份数", "Submitted outside the period"),
    "outside_response_ids": ("周期外问卷编号", "Responses outside the period"),
    "outside_first": ("周期外最早", "First outside"),
    "outside_last": ("周期外最晚", "Last outside"),
    "questionnaire": ("本单位问卷满意度", "Own questionnaire satisfaction"),
    "respondents": ("问卷人数", "Respondents"),
    "third_party": ("第三方满意度", "Third-party satisfaction"),
    "third_party_sample": ("第三方样本量", "Third-party sample"),
    "providers": ("第三方测评机构", "Third-party providers"),
    "expected_third_party": ("预期第三方结果", "Expected third-party result"),
    "expected_from_peers": ("按同类单位推算", "Expected from peers"),
    "unit_offset": ("本单位通常偏差", "Unit's usual offset"),
    "unit_offset_weight": ("通常偏差的权重", "Weight of the usual offset"),
    "gap_points": ("差距（分）", "Gap (points)"),
    "se_sampling": ("抽样标准误", "Sampling SE"),
    "model": ("模型", "Model"),
    "n_claims": ("印证事项数", "Claims checked"),
    "n_refuted": ("不属实", "Refuted"),
    "n_partial": ("部分属实", "Partial"),
    "refuted_claim_ids": ("不属实事项", "Refuted claims"),
    "partial_claim_ids": ("部分属实事项", "Partial claims"),
    "claims": ("印证事项", "Claims"),
    "required": ("应谈人数", "Required cadres"),
    "heard": ("已谈人数", "Heard"),
    "missing": ("未谈人数", "Missing"),
    "missing_cadres": ("未谈话的干部", "Cadres without a talk"),
    "covered_by_anonymous_talks": ("由匿名谈话覆盖", "Covered by anonymous talks"),
    "made_up_in_adjacent_period": ("在相邻季度补谈", "Made up in the adjacent quarter"),
    "n_talks": ("谈话次数", "Talks"),
    "median_minutes": ("时长中位数（分钟）", "Median duration (minutes)"),
    "min_minutes": ("最低时长（分钟）", "Minimum duration (minutes)"),
    "short_talks": ("过短谈话数", "Short talks"),
    "short_share": ("过短谈话占比", "Share of short talks"),
    "required_tiers": ("应谈层级", "Required tiers"),
    "democratic_z": ("民主测评 z 值", "Democratic z"),
    "democratic_percentile": ("全市百分位", "City percentile"),
    "mentions": ("提及次数", "Mentions"),
    "n_mentions": ("提及总数", "Mentions in all"),
    "expected_shares": ("按测评水平预期的比例", "Expected shares"),
    "expected_mean_stance": ("预期平均倾向", "Expected mean stance"),
    "observed_mean_stance": ("实际平均倾向", "Observed mean stance"),
    "base_rate_model": ("全市基准模型", "City base-rate model"),
    "attribute": ("属性", "Attribute"),
    "reference": ("参照水平", "Reference level"),
    "level": ("比较水平", "Compared level"),
    "effect_sd": ("效应（标准差）", "Effect (SD)"),
    "effect_points": ("效应（分）", "Effect (points)"),
    "wald_chi2": ("Wald χ²", "Wald chi-square"),
    "df": ("自由度", "df"),
    "sd_democratic": ("民主测评标准差", "SD of the democratic score"),
    "r2_within": ("组内 R²", "Within R²"),
    "n_obs": ("评分个数（干部×周期）", "Observations (cadre × period)"),
    "n_cadres": ("干部人数", "Cadres"),
    "levels_cadres": ("各水平干部数", "Cadres per level"),
    "level_means_democratic": ("各水平民主测评平均分", "Mean democratic score per level"),
    "regression": ("回归结果", "Regression"),
    "periods": ("合并的周期", "Periods pooled"),
}

_STAT: dict[str, tuple[str, str]] = {
    "straight_lining": (
        "统一打分减本场次其他票平均分（分，正为偏高）",
        "the constant mark minus the mean of the session's other sheets "
        "(marks; positive = more lenient)",
    ),
    "misfit_ballot": (
        "拟合均方 outfit（常态约为 1，反向打分远大于 10）",
        "outfit mean square (≈ 1 ordinary; a reversed sheet ≫ 10)",
    ),
    "duplicate_ballots": ("雷同票张数", "the number of identical sheets"),
    "rater_leniency": (
        "潜在尺度上超出该类别常态的偏移（标准差）",
        "latent shift beyond the group type's usual (SD)",
    ),
    "rater_severity": (
        "潜在尺度上低于该类别常态的偏移（标准差）",
        "latent shift below the group type's usual (SD)",
    ),
    "halo": (
        "各项目同分比例超出其他类别的部分",
        "excess share of one-mark ratings over the other groups",
    ),
    "central_tendency": (
        "两端评分占比低于期望的部分（负为趋中）",
        "shortfall of marks at either end (negative = crowding the middle)",
    ),
    "favoritism": (
        "对该对象的偏高幅度，超出常态部分（分）",
        "favour to the subject beyond the usual (marks)",
    ),
    "targeted_rating": (
        "票组评分减其余测评票平均分（分）",
        "the cluster's mark minus the other sheets' mean (marks)",
    ),
    "group_bias": (
        "属性效应（民主测评标准差）",
        "the attribute's effect (SD of the democratic score)",
    ),
    "self_inflation": (
        "自评超出正常偏高的部分（分）",
        "self marks above the natural self-inflation (marks)",
    ),
    "source_divergence": (
        "民主测评减实绩（标准差，正为测评高实绩低）",
        "ballots minus results (SD; positive = ballots high, results low)",
    ),
    "satisfaction_gap": (
        "预期减实际第三方满意度（分，正为自评问卷偏高）",
        "expected minus observed third-party satisfaction (points; positive "
        "= own questionnaires too favourable)",
    ),
    "survey_anomaly": ("可疑问卷份数", "the number of suspect responses"),
    "verification_refuted": ("不属实事项数", "the number of refuted claims"),
    "talk_coverage_gap": (
        "谈话轮次的缺口比例（0–1，越大越不到位：未谈到的应谈干部占比、时长不足的程度或短时谈话占比，取其大者）",
        "shortfall of the talk round as a share (0–1, larger = less complete: required cadres "
        "without a talk, the duration short of the minimum, or short talks, whichever is "
        "largest)",
    ),
    "talk_vote_conflict": ("测评倾向减谈话倾向（−1…+1）", "ballots minus talks on −1 … +1"),
}

_METHOD: dict[str, tuple[str, str]] = {
    "straight_lining": (
        "整票同分是事实而非估计；严重程度按本场次其他测评票（保留各自宽严）推算同分整票出现的概率，"
        "并做 BH 校正。",
        "A constant sheet is a fact; its severity comes from the chance of such a sheet "
        "given the session's other sheets (each with its own leniency), BH-adjusted.",
    ),
    "misfit_ballot": (
        "以本场次留一共识（扣除所属类别偏差）为参照，对水平、一致性、离散和随机打分四个单侧分量做场次内"
        "稳健 z，合成 χ̄² 检验，BH 校正；等级同时看 outfit。",
        "Against the session's leave-one-out consensus (group offset removed): robust z of "
        "location, agreement, dispersion and random marking within the session, combined in a "
        "chi-bar-square test, BH-adjusted; severity also needs the outfit.",
    ),
    "duplicate_ballots": (
        "在测评票相互独立（保留各自宽严）的假设下，计算同一场次出现这样一组完全相同测评票的期望组数，"
        "BH 校正。",
        "The expected number of such identical clusters if sheets were independent given "
        "their own leniency, BH-adjusted.",
    ),
    "rater_leniency": (
        "累积 probit 模型下，该类别相对本场次其他类别对同一对象的偏移，与该类别在全市的常态"
        "（DerSimonian–Laird 随机效应）比较，单侧检验，BH 校正。",
        "Cumulative-probit shift of the group against the session's other groups on the same "
        "subjects, judged against the group type's city-wide usual (DerSimonian–Laird random "
        "effects); one-sided, BH-adjusted.",
    ),
    "rater_severity": (
        "累积 probit 模型下，该类别相对本场次其他类别对同一对象的偏移，与该类别在全市的常态"
        "（DerSimonian–Laird 随机效应）比较，单侧检验，BH 校正。",
        "Cumulative-probit shift of the group against the session's other groups on the same "
        "subjects, judged against the group type's city-wide usual (DerSimonian–Laird random "
        "effects); one-sided, BH-adjusted.",
    ),
    "halo": (
        "在非满分的评价中，给同一对象各项目打同一分的比例，与相同分数水平下的期望以及其他类别比较，"
        "再与该类别常态比较，单侧检验，BH 校正。",
        "Among ratings below the top, the share giving one mark to every item, against the "
        "share expected at the same totals and the other groups, judged against the group "
        "type's usual; one-sided, BH-adjusted.",
    ),
    "central_tendency": (
        "按该类别自身评分水平推算落在两端的期望比例，与实际比例比较，并扣除该类别常态，"
        "单侧检验，BH 校正。",
        "The share of marks at either end against the share expected at the group's own "
        "level, beyond the group type's usual; one-sided, BH-adjusted.",
    ),
    "favoritism": (
        "该类别对该对象的评分相对其他类别的偏离，减去同一批测评票对本单位其他对象的偏离，"
        "与该类别常态比较，单侧检验，BH 校正。",
        "The group's departure from the other groups on this subject minus the same sheets' "
        "departure on the unit's other subjects, judged against the group type's usual; "
        "one-sided, BH-adjusted.",
    ),
    "targeted_rating": (
        "按测评票自身宽严校正后，推算对该对象全部打最低分的票数的泊松期望，检验实际票数，BH 校正。",
        "The Poisson expectation of sheets giving this subject the minimum everywhere, given "
        "each sheet's own leniency, against the observed count; BH-adjusted.",
    ),
    "group_bias": (
        "民主测评得分对绩效、职务、属性和单位类型×周期固定效应回归（跨周期合并），按干部聚类的稳健"
        "Wald 检验，属性间 BH 校正。",
        "Democratic score regressed on performance, role, the attribute and unit type × "
        "period fixed effects (periods pooled); cluster-robust Wald test by cadre, "
        "BH-adjusted across attributes.",
    ),
    "self_inflation": (
        "有序 probit 模型按他评水平预测自评（已包含正常的自评偏高），对自评之和做精确中点 p 检验，"
        "BH 校正。",
        "An ordered probit predicts self marks from how others rate (natural self-inflation "
        "included); exact mid-p test of the sum of self marks, BH-adjusted.",
    ),
    "source_divergence": (
        "民主测评标准分减实绩 z 值；在两渠道相关为 ρ 的二元正态零假设下差值服从 N(0, 2(1−ρ))，"
        "双侧检验，BH 校正。",
        "Democratic normal score minus the results z; under a bivariate-normal null with "
        "the channels' correlation ρ the difference is N(0, 2(1−ρ)); two-sided, "
        "BH-adjusted.",
    ),
    "satisfaction_gap": (
        "第三方满意度对本单位问卷满意度和单位类型做稳健回归，扣除本单位通常偏差，方差含两种来源的"
        "抽样误差，双侧检验，BH 校正。",
        "Third-party satisfaction regressed robustly on the unit's own questionnaires and "
        "unit type, the unit's usual offset removed, both sampling errors in the variance; "
        "two-sided, BH-adjusted.",
    ),
    "survey_anomaly": (
        "同一答案在 10 分钟内集中提交的最大份数，在提交时间均匀分布的假设下做并集界检验；"
        "另计周期外提交的问卷。",
        "The largest number of identical responses within 10 minutes, tested with a union "
        "bound under uniform submission times; responses outside the period are counted "
        "too.",
    ),
    "verification_refuted": (
        "计数，不做检验：1 项不属实为警告，2 项及以上为严重；仅有部分属实为提示。",
        "A count, no test: one refuted claim is a warning, two or more critical; partial "
        "claims alone are info.",
    ),
    "talk_coverage_gap": (
        "在谈话轮次所在周期检查应谈层级（班子成员、中层正职、下属单位负责人）是否全部谈到，"
        "以及谈话时长是否达到最低要求。",
        "In the period of the talk round: whether every cadre of the required tiers had a "
        "talk, and whether the talks reached the minimum duration.",
    ),
    "talk_vote_conflict": (
        "全市谈话倾向按民主测评水平建立有序 probit 基准，对相反与支持的提及之差做精确检验，"
        "按 5% 错误发现率 BH 校正。",
        "The city's stance rates as an ordered probit on the democratic z; exact test of "
        "contrary minus supporting mentions, BH at a 5% false-discovery rate.",
    ),
}

STRINGS: dict[str, dict[str, str]] = {
    "anomalies.ev.source": {
        "zh": "计算代码：`{source}`；阈值：config/yanpan.toml 的 `[{section}]`。",
        "en": "Computed by `{source}`; thresholds in `[{section}]` of config/yanpan.toml.",
    },
    **{f"anomalies.{k}": {"zh": zh, "en": en} for k, (zh, en) in _PAGE.items()},
    **{f"anomalies.key.{k}": {"zh": zh, "en": en} for k, (zh, en) in _KEYS.items()},
    **{f"anomalies.stat.{k}": {"zh": zh, "en": en} for k, (zh, en) in _STAT.items()},
    **{f"anomalies.method.{k}": {"zh": zh, "en": en} for k, (zh, en) in _METHOD.items()},
}
