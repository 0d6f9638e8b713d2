"""Evidence is a template key plus typed values, rendered in both languages; nothing is
rewritten by pattern matching afterwards."""

from __future__ import annotations

import re
from pathlib import Path

from analytics import i18n
from analytics.texts import Lookup, Text, render

ROOT = Path(__file__).resolve().parents[1]


def test_every_flag_carries_its_template_and_renders_the_same(demo_views):
    flags = demo_views.execute(
        "SELECT flag_type, evidence, evidence_zh, evidence_text FROM r.flags"
    ).df()
    assert len(flags) > 50
    lookup = Lookup.from_db(demo_views)
    codes = [k.split(".", 1)[1] for k in i18n.STRINGS if k.startswith("group.")]
    period_ids = [r[0] for r in demo_views.execute("SELECT period_id FROM periods").fetchall()]
    for r in flags.itertuples(index=False):
        assert r.evidence_text, r.flag_type
        text = Text.from_json(r.evidence_text)
        assert text.key.startswith("ev."), text.key
        # the stored sentences are exactly what the template renders, in either language
        assert render(text, lang="en", lookup=lookup) == r.evidence
        assert render(text, lang="zh", lookup=lookup) == r.evidence_zh
        for sentence in (r.evidence, r.evidence_zh):
            assert "{" not in sentence and "None" not in sentence, sentence
        # codes never reach a reader: rater groups in words, periods by label in Chinese
        assert not any(re.search(rf"\b{c}\b", r.evidence_zh) for c in codes), r.evidence_zh
        assert not any(re.search(rf"\b{c}\b", r.evidence) for c in codes if "_" in c), r.evidence
        for p in period_ids:
            assert not re.search(rf"(?<![\w-]){p}(?![\w-])", r.evidence_zh), r.evidence_zh


def test_cadres_are_named_by_the_renderer(demo_views):
    row = demo_views.execute(
        "SELECT f.evidence, f.evidence_zh, c.name, c.cadre_id FROM r.flags f "
        "JOIN cadres c ON c.cadre_id = f.subject_id WHERE f.flag_type = 'favoritism' LIMIT 1"
    ).fetchone()
    evidence, evidence_zh, name, cadre_id = row
    assert f"{name} ({cadre_id})" in evidence
    assert f"{name}（{cadre_id}）" in evidence_zh


def test_no_sentence_is_rewritten_by_pattern():
    """The results store renders nothing by regex: no re.sub over evidence or reasons."""
    src = (ROOT / "analytics" / "results.py").read_text(encoding="utf-8")
    assert "re.compile" not in src and ".sub(" not in src
    flags_init = (ROOT / "analytics" / "flags" / "__init__.py").read_text(encoding="utf-8")
    assert "plain_groups" not in flags_init and "GROUP_WORDS" not in flags_init
