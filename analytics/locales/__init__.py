"""UI strings, one module per page (merged by analytics.i18n)."""
