"""The flag registry: one entry per flag type, saying everything the product knows about it.

Importing this module imports every detector module (their ``@detector`` registrations
run) and builds :data:`SPECS`, one :class:`FlagSpec` per type in ``FLAG_TYPES``:

* ``detector`` — the function that computes the flags, with ``source`` its file and line
  (``analytics/flags/ballots.py:512``): the one hop from a flag on any page to its code;
* ``config`` — its section of config/yanpan.toml (``[flags.<type>]``) and the defaults
  declared beside the detector;
* ``subject`` — what the flags are about (ballot, cadre, team, unit, rater_group);
* ``evidence`` — the kind of comparison chart the Anomalies page draws from the flag's
  ``details`` (:mod:`analytics.views.anomalies` maps each kind to its builder);
* ``methods`` / ``statistic`` — translation keys of the method text and of what the effect
  size (flags.statistic) means, and ``methods_anchor`` its section of docs/METHODS.md.

A new flag type is added here (and to ``FLAG_TYPES``); a test checks that every type has a
detector, a config section, translated texts and a METHODS.md section.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from analytics.flags import DEFAULTS, DETECTORS, FLAG_TYPES, Detector

for _p in sorted(Path(__file__).parent.glob("*.py")):
    if _p.stem not in ("__init__", "registry"):
        import_module(f"analytics.flags.{_p.stem}")

_ROOT = Path(__file__).resolve().parents[2]

# flag type → (subject type of its flags, evidence chart kind)
_DECLARED: dict[str, tuple[str, str]] = {
    "straight_lining": ("ballot", "sheets"),
    "misfit_ballot": ("ballot", "sheets"),
    "duplicate_ballots": ("ballot", "sheets"),
    "rater_leniency": ("rater_group", "session_groups"),
    "rater_severity": ("rater_group", "session_groups"),
    "central_tendency": ("rater_group", "session_groups"),
    "halo": ("rater_group", "session_groups"),
    "favoritism": ("cadre", "subject_groups"),
    "targeted_rating": ("cadre", "subject_groups"),
    "group_bias": ("rater_group", "group_levels"),
    "source_divergence": ("cadre", "channels"),
    "self_inflation": ("cadre", "self_vs_others"),
    "satisfaction_gap": ("unit", "satisfaction"),
    "survey_anomaly": ("unit", "survey_times"),
    "verification_refuted": ("unit", "claims"),
    "talk_vote_conflict": ("cadre", "talks_vs_ballots"),
    "talk_coverage_gap": ("unit", "talk_coverage"),
}


@dataclass(frozen=True)
class FlagSpec:
    flag_type: str
    subject: str
    detector: Detector
    evidence: str

    @property
    def config(self) -> str:
        return f"flags.{self.flag_type}"

    @property
    def defaults(self) -> dict:
        return dict(DEFAULTS.get(self.flag_type, {}))

    @property
    def methods(self) -> str:
        return f"anomalies.method.{self.flag_type}"

    @property
    def statistic(self) -> str:
        return f"anomalies.stat.{self.flag_type}"

    @property
    def methods_anchor(self) -> str:
        """docs/METHODS.md and the anchor of its "### <type> (`<file>.py`)" section."""
        stem = Path(inspect.getsourcefile(inspect.unwrap(self.detector))).stem
        return f"docs/METHODS.md#{self.flag_type}-{stem}py"

    @property
    def source(self) -> str:
        """``path:line function`` of the detector, relative to the repository."""
        fn = inspect.unwrap(self.detector)
        path = Path(inspect.getsourcefile(fn)).resolve()
        line = inspect.getsourcelines(fn)[1]
        try:
            rel = path.relative_to(_ROOT)
        except ValueError:
            rel = path
        return f"{rel}:{line} {fn.__name__}"


def _build() -> dict[str, FlagSpec]:
    missing = [ft for ft in FLAG_TYPES if ft not in DETECTORS or ft not in _DECLARED]
    if missing:
        raise RuntimeError(f"flag types without a detector or registry entry: {missing}")
    return {
        ft: FlagSpec(ft, _DECLARED[ft][0], DETECTORS[ft][0], _DECLARED[ft][1]) for ft in FLAG_TYPES
    }


SPECS: dict[str, FlagSpec] = _build()
