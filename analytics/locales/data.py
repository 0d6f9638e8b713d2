"""Strings of the Data page (数据)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # data status page
    "data.title": {"zh": "数据状态", "en": "Data status"},
    "data.caption": {
        "zh": "各考核周期、各渠道已导入的数据：单位覆盖情况与记录数。",
        "en": "What is loaded per assessment period and channel: units covered and rows."},
    "data.metric.areas": {"zh": "考察责任区", "en": "Areas"},
    "data.metric.units": {"zh": "单位", "en": "Units"},
    "data.metric.cadres": {"zh": "干部", "en": "Cadres"},
    "data.metric.periods": {"zh": "考核周期", "en": "Periods"},
    "data.metric.sheets": {"zh": "测评票", "en": "Ballot sheets"},
    "data.coverage.title": {"zh": "渠道覆盖（有数据的单位数 / 单位总数）",
                            "en": "Channel coverage (units with data / all units)"},
    "data.coverage.rows": {"zh": "记录数", "en": "Rows"},
    "data.gaps.title": {"zh": "缺少渠道数据的单位", "en": "Units lacking a channel"},
    "data.gaps.none": {"zh": "本周期所有单位各渠道数据齐全。",
                       "en": "Every unit has every channel this period."},
    "data.gaps.period": {"zh": "考核周期", "en": "Period"},
    "data.history.title": {"zh": "导入记录", "en": "Import history"},
    "data.history.empty": {"zh": "尚无导入记录。", "en": "No imports yet."},
}
