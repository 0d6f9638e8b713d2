"""Strings of the Data page (数据)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # data status page
    "data.title": {"zh": "数据状态", "en": "Data status"},
    "data.caption": {
        "zh": "各考核周期、各渠道已导入的数据：单位覆盖情况与记录数。",
        "en": "What is loaded per assessment period and channel: units covered and rows.",
    },
    "data.metric.areas": {"zh": "考察责任区", "en": "Areas"},
    "data.metric.units": {"zh": "单位", "en": "Units"},
    "data.metric.cadres": {"zh": "干部", "en": "Cadres"},
    "data.metric.periods": {"zh": "考核周期", "en": "Periods"},
    "data.metric.sheets": {"zh": "测评票", "en": "Ballot sheets"},
    "data.coverage.title": {
        "zh": "渠道覆盖（有数据的单位数 / 单位总数）",
        "en": "Channel coverage (units with data / all units)",
    },
    "data.coverage.rows": {"zh": "记录数", "en": "Rows"},
    "data.gaps.title": {"zh": "缺少渠道数据的单位", "en": "Units lacking a channel"},
    "data.gaps.none": {
        "zh": "本周期所有单位各渠道数据齐全。",
        "en": "Every unit has every channel this period.",
    },
    "data.gaps.period": {"zh": "考核周期", "en": "Period"},
    "data.history.title": {"zh": "导入记录", "en": "Import history"},
    "data.history.empty": {"zh": "尚无导入记录。", "en": "No imports yet."},
    # import
    "data.import.title": {"zh": "导入数据包", "en": "Import a bundle"},
    "data.import.label": {
        "zh": "选择数据包文件（.xlsx、CSV 压缩包 .zip，或单个 表名.csv）",
        "en": "Choose a bundle file (.xlsx, a .zip of CSV files, or one <table>.csv)",
    },
    "data.import.help": {
        "zh": "工作簿的工作表名、CSV 的文件名须为表名（如 units、cadres、ballots、talks）。"
        "CSV 可为 UTF-8 或 GBK/GB18030 编码。数据包可只含部分表；与库中主键相同的记录会被"
        "替换。整个数据包全部通过校验才会导入，否则数据库保持不变。",
        "en": "Sheet names of a workbook and file names of CSVs must be table names (units, "
        "cadres, ballots, talks, …). CSV may be UTF-8 or GBK/GB18030. A bundle may hold "
        "some tables only; rows with a key the database holds replace them. The bundle "
        "is loaded only if all of it passes validation; otherwise the database stays "
        "as it was.",
    },
    "data.import.caption": {
        "zh": "导入会生成新的数据版本，页面随即读取新数据，无需重启；新数据版本的分析结果首次打开时"
        "计算（全市约 15 秒）。",
        "en": "An import publishes a new data version that the dashboard reads at once, with "
        "no restart; the analysis of a new version is computed when first opened "
        "(about 15 s for a city).",
    },
    "data.import.chosen": {
        "zh": "已选择 {name}。点击“校验并导入”开始；全部通过校验才会导入。",
        "en": "{name} chosen. Validation starts when you click “Validate and import”; "
        "nothing is loaded unless all of it passes.",
    },
    "data.import.widget": {
        "zh": "把文件拖到上方框内（Drag and drop a file here），或点击“Upload”选择文件；"
        "每个文件不超过 {mb} MB。框内英文为 Streamlit 组件自带文字，无法更改。",
        "en": "Drag a file onto the box above or click “Upload” to choose one; up to {mb} MB "
        "per file.",
    },
    "data.import.go": {"zh": "校验并导入", "en": "Validate and import"},
    "data.import.step.start": {"zh": "准备中…", "en": "Starting…"},
    "data.import.step.reading": {"zh": "正在读取数据包…", "en": "Reading the bundle…"},
    "data.import.step.validating": {"zh": "正在校验…", "en": "Validating…"},
    "data.import.step.loading": {
        "zh": "正在写入新的数据版本…",
        "en": "Loading into a new data version…",
    },
    "data.import.step.done": {"zh": "完成", "en": "Done"},
    "data.import.loaded": {
        "zh": "已导入 {name}：{tables} 张表共 {rows:,} 行（用时 {seconds:.1f} 秒），"
        "当前数据版本 {snapshot}。",
        "en": "Imported {name}: {rows:,} rows in {tables} table(s) ({seconds:.1f} s); the "
        "data version is now {snapshot}.",
    },
    "data.import.rejected": {
        "zh": "{name} 未通过校验：{rules} 类规则共 {n:,} 处问题。数据未导入，数据库保持不变。"
        "请按下表修改后重新上传。",
        "en": "{name} was rejected: {n:,} problem(s) under {rules} rule(s). Nothing was "
        "loaded and the database is unchanged. Fix the rows below and upload again.",
    },
    "data.import.bad_type": {
        "zh": "{name} 不是数据包文件：请上传 .xlsx 工作簿、CSV 文件的 .zip 压缩包或单个 表名.csv。",
        "en": "{name} is not a bundle file: upload an .xlsx workbook, a .zip of CSV files "
        "or one <table>.csv.",
    },
    "data.import.db_error": {"zh": "无法导入：{message}", "en": "Cannot import: {message}"},
    "data.import.rows_title": {
        "zh": "问题明细（每类规则最多列出前若干行）",
        "en": "Problem rows (the first rows of each rule)",
    },
    "data.import.reason_note": {
        "zh": "行号为该记录在文件中的起始行（表头为第 1 行；工作簿为工作表行号）。下载的问题明细中"
        "reason 列为英文原因（与命令行一致），reason_zh 列为中文原因。",
        "en": "Row numbers are the line on which the record starts in the file (the header "
        "is line 1; in a workbook, the sheet's row). The downloaded rows give the reason "
        "in English (reason, as the command line prints it) and in Chinese (reason_zh).",
    },
    "data.import.download_report": {
        "zh": "下载校验报告（文本）",
        "en": "Download the report (text)",
    },
    "data.import.download_rows": {"zh": "下载问题明细（CSV）", "en": "Download the rows (CSV)"},
    "data.import.warnings": {
        "zh": "提示 {n} 条（已忽略的文件、工作表或列）",
        "en": "{n} warning(s): files, sheets or columns ignored",
    },
    "data.import.col.table": {"zh": "表", "en": "Table"},
    "data.import.col.rule": {"zh": "规则", "en": "Rule"},
    "data.import.col.total": {"zh": "问题数", "en": "Problems"},
    "data.import.col.listed": {"zh": "已列出", "en": "Listed"},
    "data.import.col.file": {"zh": "文件", "en": "File"},
    "data.import.col.row": {"zh": "行号", "en": "Row"},
    "data.import.col.column": {"zh": "列", "en": "Column"},
    "data.import.col.value": {"zh": "值", "en": "Value"},
    "data.import.col.reason": {"zh": "原因", "en": "Reason"},
    # export
    "data.export.title": {"zh": "导出数据包", "en": "Export bundle"},
    "data.export.caption": {
        "zh": "将当前数据版本的全部表导出为 CSV（UTF-8，按主键排序）并打包为 .zip，可直接重新导入。"
        "全市数据约需 10 秒生成。",
        "en": "Every table of the current data version as CSV (UTF-8, sorted by key) in one "
        ".zip that the import accepts as it is. A city takes about 10 s to build.",
    },
    "data.export.button": {"zh": "下载导出数据包（.zip）", "en": "Download the export (.zip)"},
    # the importer's rules
    "data.rule.bundle not found": {"zh": "找不到数据包", "en": "bundle not found"},
    "data.rule.not a bundle": {"zh": "不是数据包", "en": "not a bundle"},
    "data.rule.unreadable file": {"zh": "文件无法读取", "en": "unreadable file"},
    "data.rule.no table in bundle": {"zh": "数据包中没有可识别的表", "en": "no table in bundle"},
    "data.rule.mixed bundle": {"zh": "压缩包内容混杂", "en": "mixed bundle"},
    "data.rule.duplicate table": {"zh": "表重复", "en": "duplicate table"},
    "data.rule.missing header": {"zh": "缺少表头", "en": "missing header"},
    "data.rule.duplicate column": {"zh": "列重复", "en": "duplicate column"},
    "data.rule.missing required column": {"zh": "缺少必填列", "en": "missing required column"},
    "data.rule.wrong number of fields": {"zh": "字段数与表头不符", "en": "wrong number of fields"},
    "data.rule.malformed CSV": {"zh": "CSV 格式错误", "en": "malformed CSV"},
    "data.rule.missing required value": {"zh": "必填值为空", "en": "missing required value"},
    "data.rule.not a whole number": {"zh": "不是整数", "en": "not a whole number"},
    "data.rule.not a number": {"zh": "不是数字", "en": "not a number"},
    "data.rule.not an ISO date": {"zh": "日期格式错误（应为 YYYY-MM-DD）", "en": "not an ISO date"},
    "data.rule.not an ISO timestamp": {"zh": "时间格式错误", "en": "not an ISO timestamp"},
    "data.rule.value not allowed": {"zh": "取值不在允许范围内", "en": "value not allowed"},
    "data.rule.value out of range": {"zh": "数值超出范围", "en": "value out of range"},
    "data.rule.duplicate key": {"zh": "主键重复", "en": "duplicate key"},
    "data.rule.unknown reference": {"zh": "引用的编号不存在", "en": "unknown reference"},
    "data.rule.unknown subject": {"zh": "评价对象不存在", "en": "unknown subject"},
    "data.rule.unknown interviewee": {"zh": "谈话对象不存在", "en": "unknown interviewee"},
    "data.rule.subject type differs from the item's": {
        "zh": "评价对象类型与测评项目不符",
        "en": "subject type differs from the item's",
    },
    "data.rule.portfolio cadre not of this unit": {
        "zh": "分管干部不属于该单位",
        "en": "portfolio cadre not of this unit",
    },
    "data.rule.score above max_score": {"zh": "得分超过满分", "en": "score above max_score"},
    "data.rule.score outside the item's scale": {
        "zh": "得分超出测评项目的分值范围",
        "en": "score outside the item's scale",
    },
    "data.rule.empty scale": {"zh": "分值范围为空", "en": "empty scale"},
    "data.rule.end before start": {"zh": "结束日期早于开始日期", "en": "end before start"},
    "data.rule.a ballot's rows disagree": {
        "zh": "同一张测评票的各行不一致",
        "en": "a ballot's rows disagree",
    },
    "data.rule.a ballot's rows disagree with the database": {
        "zh": "测评票与库中同一票不一致",
        "en": "a ballot's rows disagree with the database",
    },
}
