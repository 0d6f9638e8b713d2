"""Reasons of the importer's report (``reason.*``) and its warnings (``warning.*``).

The English templates are the sentences the CLI prints (CONTRACT.md); those of the bundle
reader (:mod:`analytics.bundle`) must stay word for word what it writes, since
:func:`analytics.reasons.structure` recognises its sentences by them.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # analytics.validate: types and ranges
    "reason.required": {"zh": "此项必填", "en": "a value is required"},
    "reason.whole_number": {"zh": "须为整数", "en": "must be a whole number"},
    "reason.number": {
        "zh": "须为数字（用小数点，不用千位分隔符）",
        "en": "must be a number (decimal point, no thousands separator)",
    },
    "reason.iso_date": {
        "zh": "须为 ISO 8601 日期，如 2026-03-31",
        "en": "must be an ISO 8601 date such as 2026-03-31",
    },
    "reason.iso_timestamp": {
        "zh": "须为 ISO 8601 时间，如 2026-03-31T09:30:00+08:00",
        "en": "must be an ISO 8601 timestamp such as 2026-03-31T09:30:00+08:00",
    },
    "reason.one_of": {"zh": "须为以下取值之一：{choices}", "en": "must be one of: {choices}"},
    "reason.range_one": {"zh": "须 {a}", "en": "must be {a}"},
    "reason.range_two": {"zh": "须 {a} 且 {b}", "en": "must be {a} and {b}"},
    "reason.duplicate_key": {
        "zh": "主键（{keys}）与数据包中前面的记录重复（首次出现在第 {first} 行）",
        "en": "the key ({keys}) repeats an earlier row of the bundle (first at row {first})",
    },
    # analytics.validate: references and cross-table rules
    "reason.unknown_reference": {
        "zh": "{ref}表中没有此 {column}（数据包和数据库中均没有）",
        "en": "no {ref} row has this {column} (neither in the bundle nor in the database)",
    },
    "reason.unknown_cadre_subject": {
        "zh": "subject_type 为 cadre，但没有此编号的干部",
        "en": "subject_type is cadre but no cadre has this id",
    },
    "reason.unknown_team_subject": {
        "zh": "subject_type 为 team，但没有此编号的单位（领导班子的 subject_id 即其 unit_id）",
        "en": "subject_type is team but no unit has this id (a team's subject_id is its unit_id)",
    },
    "reason.item_subject_type": {
        "zh": "测评项目 {item} 是{subject_type}测评项目",
        "en": "item {item} is a {subject_type} item",
    },
    "reason.item_scale": {
        "zh": "测评项目 {item} 的得分须在 {lo} 至 {hi} 之间",
        "en": "must be between {lo} and {hi} for item {item}",
    },
    "reason.end_before_start": {
        "zh": "end_date 早于 start_date {start}",
        "en": "end_date is before start_date {start}",
    },
    "reason.empty_scale": {
        "zh": "scale_max 须大于 scale_min（{lo}）",
        "en": "scale_max must be greater than scale_min ({lo})",
    },
    "reason.above_max_score": {"zh": "超过满分 max_score {max}", "en": "exceeds max_score {max}"},
    "reason.no_such_cadre": {"zh": "没有此编号的干部", "en": "no cadre has this id"},
    "reason.cadre_of_other_unit": {
        "zh": "该干部属于单位 {cadre_unit}，不属于单位 {unit}",
        "en": "the cadre belongs to unit {cadre_unit}, not to unit {unit}",
    },
    "reason.unknown_interviewee": {
        "zh": "interviewee_id 须为干部编号（cadre_id）；没有此编号的干部",
        "en": "interviewee_id must be a cadre_id; no cadre has this id",
    },
    "reason.ballot_rows_disagree": {
        "zh": "同一张测评票在第 {first} 行为 {diff}",
        "en": "the same sheet has {diff} on row {first}",
    },
    "reason.ballot_disagrees_with_db": {
        "zh": "数据库中已有这张测评票，其 {diff}",
        "en": "the database already holds this sheet with {diff}",
    },
    # analytics.bundle: reading the files
    "reason.file_empty": {
        "zh": "文件为空（至少需要一行表头）",
        "en": "the file is empty (it needs at least a header row)",
    },
    "reason.file_utf16": {
        "zh": "文件为 UTF-16 文本；请另存为 CSV UTF-8 或 GBK",
        "en": "the file is UTF-16 text; save it as CSV UTF-8 or GBK",
    },
    "reason.file_binary": {
        "zh": "文件是二进制文件，不是 CSV 文本",
        "en": "the file is binary, not CSV text",
    },
    "reason.file_encoding": {
        "zh": "文件既不是 UTF-8 也不是 GB18030/GBK 文本",
        "en": "the file is neither UTF-8 nor GB18030/GBK text",
    },
    "reason.field_count": {
        "zh": "该记录有 {n} 个字段，表头有 {width} 个",
        "en": "the record has {n} fields, the header has {width}",
    },
    "reason.csv_parse": {
        "zh": "无法解析该记录（{detail}）",
        "en": "cannot parse the record ({detail})",
    },
    "reason.csv_unreadable": {"zh": "无法读取该 CSV 文件（{detail}）", "en": "{detail}"},
    "reason.no_header": {
        "zh": "第一行须为列名表头",
        "en": "the first line must be a header naming the columns",
    },
    "reason.no_sheet_header": {
        "zh": "工作表第 1 行须为列名",
        "en": "row 1 of the sheet must name the columns",
    },
    "reason.duplicate_column": {
        "zh": "该列在表头中出现不止一次",
        "en": "the column appears more than once in the header",
    },
    "reason.missing_column": {
        "zh": "表头缺少必填列",
        "en": "required column is missing from the header",
    },
    "reason.not_xlsx": {
        "zh": "不是可读取的 .xlsx 工作簿（{detail}）",
        "en": "not a readable .xlsx workbook ({detail})",
    },
    "reason.no_sheet": {
        "zh": "没有以表名命名的工作表；工作表名须为表名，如 {tables}",
        "en": "no sheet is named after a table; sheet names must be table names such as {tables}",
    },
    "reason.not_found": {"zh": "文件或文件夹不存在", "en": "no such file or folder"},
    "reason.not_bundle": {
        "zh": "数据包应为 CSV 文件的文件夹、其 .zip 压缩包，或一个 .xlsx 工作簿",
        "en": "a bundle is a folder of CSV files, a .zip of them, or one .xlsx workbook",
    },
    "reason.no_table_file": {
        "zh": "没有以表名命名的文件（应为如 {examples} …）",
        "en": "no file is named after a table (expected e.g. {examples} …)",
    },
    "reason.duplicate_table": {
        "zh": "数据包中 {table} 出现两次（另见 {other}）",
        "en": "the bundle holds {table} twice (also {other})",
    },
    "reason.not_zip": {
        "zh": "不是可读取的 .zip 压缩包（{detail}）",
        "en": "not a readable .zip archive ({detail})",
    },
    "reason.cannot_extract": {"zh": "无法解压（{detail}）", "en": "cannot extract ({detail})"},
    "reason.mixed_zip": {
        "zh": ".zip 压缩包只能包含 CSV 文件或一个 .xlsx 工作簿，不能两者都有",
        "en": "a .zip holds either CSV files or one .xlsx workbook, not both",
    },
    "reason.other": {"zh": "{detail}", "en": "{detail}"},
    # analytics.bundle: warnings
    "warning.ignored_columns": {
        "zh": "{label}：已忽略数据规范之外的列：{columns}",
        "en": "{label}: ignored column(s) not in the contract: {columns}",
    },
    "warning.ignored_sheet": {
        "zh": "{label}：已忽略工作表 {sheet}（没有以此命名的表）",
        "en": "{label}: ignored sheet {sheet} (no table of that name)",
    },
    "warning.ignored_in_folder": {
        "zh": "{label}：已忽略（文件夹数据包只读取 .csv 文件）",
        "en": "{label}: ignored (a folder bundle holds .csv files)",
    },
    "warning.ignored_no_table": {
        "zh": "{label}：已忽略（没有名为 {name} 的表）",
        "en": "{label}: ignored (no table named {name})",
    },
    "warning.ignored_in_zip": {
        "zh": "{label}：已忽略（不是 .csv/.xlsx 文件）",
        "en": "{label}: ignored (not .csv/.xlsx)",
    },
}
