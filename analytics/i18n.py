"""The translation layer: every user-facing string of the dashboard, in zh-CN and English.

``t(key, lang, **values)`` looks a key up and formats it.  Chinese is the default language.
A test proves both languages define every key, so a page can never show a raw key.
"""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    # frame
    "app.title": {"zh": "研判 · 领导班子和干部综合研判", "en": "Yanpan · Comprehensive judgment"},
    "app.short": {"zh": "研判", "en": "Yanpan"},
    "app.language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "app.database": {"zh": "数据库：{name}", "en": "Database: {name}"},
    "app.snapshot": {"zh": "数据版本 {snapshot}", "en": "Data version {snapshot}"},
    "app.building_demo": {"zh": "首次启动：正在生成演示数据库…",
                          "en": "First start: building the demo database…"},
    "app.demo_built": {"zh": "演示数据库已生成（{seconds:.0f} 秒）",
                       "en": "Demo database built ({seconds:.0f} s)"},
    "app.no_database": {
        "zh": "配置的数据库 {path} 中还没有数据。请在“数据”页导入数据包，或运行 "
              "`python -m analytics import 数据包 --db {path}`。",
        "en": "The configured database {path} holds no data yet. Import a bundle on the "
              "Data page or run `python -m analytics import BUNDLE --db {path}`."},
    "app.db_error": {"zh": "无法打开数据库：{error}", "en": "Cannot open the database: {error}"},
    "nav.data": {"zh": "数据", "en": "Data"},
    "nav.section.manage": {"zh": "管理", "en": "Manage"},
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
    "col.period": {"zh": "考核周期", "en": "Period"},
    "col.channel": {"zh": "渠道", "en": "Channel"},
    "col.units": {"zh": "覆盖单位", "en": "Units covered"},
    "col.coverage": {"zh": "覆盖率", "en": "Coverage"},
    "col.rows": {"zh": "记录数", "en": "Rows"},
    "col.unit": {"zh": "单位", "en": "Unit"},
    "col.area": {"zh": "责任区", "en": "Area"},
    "col.missing": {"zh": "缺少的渠道", "en": "Missing channels"},
    "col.loaded_at": {"zh": "导入时间", "en": "Loaded at"},
    "col.source": {"zh": "来源", "en": "Source"},
    "col.kind": {"zh": "类型", "en": "Kind"},
    "col.tables": {"zh": "各表行数", "en": "Rows per table"},
    "col.warnings": {"zh": "警告", "en": "Warnings"},
    # evidence channels
    "channel.ballots": {"zh": "民主测评", "en": "Democratic evaluation"},
    "channel.performance": {"zh": "绩效考核", "en": "Performance"},
    "channel.surveys": {"zh": "调查问卷", "en": "Questionnaires"},
    "channel.third_party": {"zh": "第三方满意度", "en": "Third-party satisfaction"},
    "channel.superior_opinions": {"zh": "上级部门意见", "en": "Superior opinions"},
    "channel.self_assessments": {"zh": "自评自查", "en": "Self-assessment"},
    "channel.verifications": {"zh": "实地印证", "en": "On-site verification"},
    "channel.talks": {"zh": "个别谈话（近12个月）", "en": "Talks (last 12 months)"},
    "kind.import": {"zh": "导入", "en": "import"},
    "kind.demo": {"zh": "演示数据", "en": "demo"},
    "kind.upgrade": {"zh": "结构升级", "en": "schema upgrade"},
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (falling back to Chinese), formatted with values."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text
