"""Anomaly and bias flags (CONTRACT.md §2, flags.csv): the common vocabulary.

A detector is a function ``detect(ctx) -> list[Flag]`` registered with :func:`detector`
under its flag type; :func:`run_all` runs every registered detector on a
:class:`analytics.context.Context` and returns one frame in flags.csv's columns plus
``evidence_zh`` (the same sentence in Chinese) and ``details`` (structured evidence for the
pages, a dict).

Rules every detector follows (see docs/METHODS.md):
* each flag carries an effect size (``statistic``, signed where a direction exists:
  positive = more lenient / higher than expected), a p-value where a test applies, a
  severity, and one plain sentence of evidence in both languages;
* p-values of one flag type are adjusted together (Benjamini–Hochberg, :func:`bh`) and the
  severity is graded on the adjusted value (:func:`grade`); the reported ``p_value`` is the
  adjusted one;
* thresholds come from :func:`setting` (``[flags.<type>]`` in the user's config), with the
  defaults declared next to the detector and listed in config/yanpan.toml.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analytics import config

# what a flag is about (the demo's answer key names its planted effects by the same columns)
FLAG_KEY = ("flag_type", "period_id", "subject_type", "subject_id", "unit_id", "rater_group")
FLAG_COLUMNS = [
    *FLAG_KEY,
    "severity",
    "statistic",
    "p_value",
    "evidence",
]
EXTRA_COLUMNS = ["evidence_zh", "details", "evidence_text"]
SEVERITIES = ("info", "warning", "critical")
# the one ordering of severities: 0 = critical first (stored as flags.severity_rank)
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
# the families of flag types: sheets (one ballot sheet or a cluster of them) and rater groups
# (a group's marking in a session) name a rater group; the others do not
SHEET_TYPES = ("straight_lining", "misfit_ballot", "duplicate_ballots")
GROUP_TYPES = (
    "rater_leniency",
    "rater_severity",
    "halo",
    "central_tendency",
    "favoritism",
    "targeted_rating",
)
FLAG_TYPES = (
    *SHEET_TYPES,
    *GROUP_TYPES,
    "source_divergence",
    "self_inflation",
    "survey_anomaly",
    "satisfaction_gap",
    "group_bias",
    "talk_coverage_gap",
    "talk_vote_conflict",
    "verification_refuted",
)


@dataclass
class Flag:
    flag_type: str
    period_id: str | None
    subject_type: str
    subject_id: str
    unit_id: str | None
    rater_group: str | None
    severity: str
    statistic: float
    p_value: float | None
    evidence: Any  # analytics.texts.Text: template key and values, rendered per language
    evidence_zh: str | None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def on_unit(
        cls,
        flag_type: str,
        period_id: str | None,
        unit_id: str,
        severity: str,
        statistic: float,
        p_value: float | None,
        text: Any,
        details: dict[str, Any],
    ) -> Flag:
        """A flag about a unit as a whole: the unit is its subject, no rater group is named."""
        who = ("unit", unit_id, unit_id, None)  # subject type and id, unit, rater group
        return cls(flag_type, period_id, *who, severity, statistic, p_value, text, None, details)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"bad severity {self.severity!r}")
        if self.flag_type not in FLAG_TYPES:
            raise ValueError(f"unknown flag type {self.flag_type!r}")


Detector = Callable[[Any], list[Flag]]
DETECTORS: dict[str, list[Detector]] = {}
DEFAULTS: dict[str, dict[str, Any]] = {}


def detector(*flag_types: str, defaults: dict[str, Any] | None = None):
    """Register ``fn`` as the detector of ``flag_types`` with its threshold defaults."""

    def register(fn: Detector) -> Detector:
        for ft in flag_types:
            if ft not in FLAG_TYPES:
                raise ValueError(f"unknown flag type {ft!r}")
            DETECTORS.setdefault(ft, []).append(fn)
            DEFAULTS.setdefault(ft, {}).update(defaults or {})
        return fn

    return register


def setting(flag_type: str, key: str) -> Any:
    """A threshold: the user's ``[flags.<flag_type>] key``, else the detector's default."""
    user = config.settings().get("flags", {}).get(flag_type, {})
    if key in user:
        return user[key]
    return DEFAULTS[flag_type][key]


def bh(p_values: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (NaN stays NaN) within one family."""
    p = np.asarray(p_values, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        from scipy import stats  # here: importing scipy.stats costs ~1 s, pages never need it

        out[ok] = stats.false_discovery_control(np.clip(p[ok], 0, 1), method="bh")
    return out


def grade(
    p_adj: float | None,
    effect: float,
    *,
    warn_effect: float,
    crit_effect: float,
    warn_p: float = 0.01,
    crit_p: float = 0.001,
) -> str | None:
    """Severity from an adjusted p-value and |effect|; None when it is not worth a flag.

    critical: p ≤ crit_p and |effect| ≥ crit_effect; warning: p ≤ warn_p and
    |effect| ≥ warn_effect; info: p ≤ 0.05 and |effect| ≥ warn_effect / 2 (noted, no alarm).
    Without a test (p None) only the effect counts.
    """
    e = abs(effect)
    p = 0.0 if p_adj is None or (isinstance(p_adj, float) and math.isnan(p_adj)) else p_adj
    if p <= crit_p and e >= crit_effect:
        return "critical"
    if p <= warn_p and e >= warn_effect:
        return "warning"
    if p <= 0.05 and e >= warn_effect / 2:
        return "info"
    return None


def flags_frame(flags: list[Flag], lookup=None) -> pd.DataFrame:
    """Flags in flags.csv's columns plus ``evidence_zh``, ``details`` and ``evidence_text``
    (the sentence's template key and values as JSON, so any reader renders it again).

    A detector gives its evidence as a :class:`analytics.texts.Text`; it is rendered here
    in both languages with ``lookup`` (names of cadres and units, period labels)."""
    from analytics import texts

    rows = []
    for f in flags:
        row = {c: getattr(f, c) for c in FLAG_COLUMNS + ["evidence_zh"]}
        if isinstance(f.evidence, texts.Text):
            row["evidence"] = texts.render(f.evidence, lang="en", lookup=lookup)
            row["evidence_zh"] = texts.render(f.evidence, lang="zh", lookup=lookup)
            row["evidence_text"] = f.evidence.to_json()
        else:
            row["evidence_text"] = None
        row["details"] = f.details
        rows.append(row)
    return pd.DataFrame(rows, columns=FLAG_COLUMNS + EXTRA_COLUMNS)


def run_all(ctx, only: list[str] | None = None) -> pd.DataFrame:
    """Run every registered detector (or those of ``only``); one frame of flags."""
    from analytics.flags import registry  # noqa: F401  (imports every detector module)

    seen: set[Detector] = set()
    flags: list[Flag] = []
    for ft in FLAG_TYPES:
        if only and ft not in only:
            continue
        for fn in DETECTORS.get(ft, []):
            if fn in seen:
                continue
            seen.add(fn)
            flags.extend(f for f in fn(ctx) if not only or f.flag_type in only)
    from analytics.texts import Lookup

    df = flags_frame(flags, Lookup.from_db(ctx.con))
    df["severity_rank"] = df["severity"].map(SEVERITY_RANK).astype("int64")
    return df.sort_values(
        ["flag_type", "period_id", "severity_rank", "subject_id"], na_position="first"
    ).reset_index(drop=True)


def defaults_toml() -> str:
    """The ``[flags.<type>]`` sections of config/yanpan.toml: every detector threshold with
    its default and the comment written beside it in the detector's module."""
    import inspect
    import json
    import re

    from analytics.flags import registry  # noqa: F401

    # a key's comment is used only when the module comments that key one way (the same key
    # may mean different things for two detectors of one module)
    found: dict[str, set[str]] = {}
    import importlib

    for fns in DETECTORS.values():
        for fn in fns:
            src = inspect.getsource(inspect.getmodule(fn))
            # settings shared by a module's detectors may live in a module it imports from
            for dep in re.findall(r"^from (analytics\.flags\.\w+) import", src, re.M):
                src += "\n" + inspect.getsource(importlib.import_module(dep))
            for line in src.splitlines():
                m = re.match(r'\s*"(\w+)":\s*[^#]*#\s*(.+)$', line)
                if m:
                    found.setdefault(f"{fn.__module__}:{m.group(1)}", set()).add(m.group(2).strip())
    comments = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
    out = []
    for ft in FLAG_TYPES:
        if not DEFAULTS.get(ft):
            continue
        module = DETECTORS[ft][0].__module__
        out.append(f"\n[flags.{ft}]  # {module.replace('.', '/')}.py")
        for key, value in DEFAULTS[ft].items():
            note = comments.get(f"{module}:{key}")
            if note:
                out.append(f"# {note}")
            out.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(out) + "\n"
