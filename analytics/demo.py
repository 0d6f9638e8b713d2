"""Demo-data generator: a realistic city (or province) with known, planted anomalies.

Interface
---------
``build_demo(seed=7, scale="city", clean=False) -> Demo``.  ``Demo.answer_key`` (one row per
planted item: flag_type, period_id, subject_type, subject_id, unit_id, rater_group, detail)
and most of ``Demo.summary`` are known at once; ``Demo.tables(progress)`` then yields
``(table, frame)`` in foreign-key order (areas, units, cadres, periods, items, ballots,
performance, surveys, third_party, superior_opinions, self_assessments, verifications, talks,
talk_mentions).  Every frame has exactly the columns of CONTRACT.md §1 in the contract's
order; IDs and text are pandas 3 ``str`` columns (Arrow-backed), counts and marks int64, other
numbers float64 (``self_assessments.score`` is float64 as in ``analytics.schema``), dates
``YYYY-MM-DD`` and timestamps ``2026-02-14T09:31:05+08:00``.  Ballots come in chunks of at most
``BALLOT_CHUNK_ROWS`` rows (one or more per period), period tables one frame per period, so
the province scale runs in bounded memory.  The same ``(seed, scale, clean)`` gives identical
frames: every unit and period draws from its own ``SeedSequence([seed, purpose, unit,
period])``, so chunking cannot change the data, and ``clean=True`` shares every natural draw
with the planted variant (only the plants differ).

Scales
------
* ``city``: 12 areas ``01``..``12`` (第一考察责任区 ...), 103 units (19 party, 38 government,
  12 district, 12 enterprise, 22 institution; ``unit_id`` = area + 2-digit sequence, e.g.
  ``0103``), about 2,000 cadres (``cadre_id`` = unit_id + 3 digits), 4 quarters 2025Q4-2026Q3,
  about 33,000 sheets and 1.54 M ballot rows.
* ``province``: 15 cities x the same 103 unit templates (names prefixed 江城市, 海阳市 ...),
  180 areas ``001``..``180``, 1,545 units (5-digit ids), ~30,000 cadres, ~23 M ballot rows.
  Planted counts are multiplied by 15.

People and sessions
-------------------
Each unit has a team (tier ``team``: 1 principal, 2-4 deputies, the rest members; 5-7 in
party units and institutions, 6-8 in government and enterprises, 8-9 in districts), 5-14
middle-level heads and 0-8 heads of subordinate units (most in districts and enterprises).
One democratic-evaluation session per unit and period has 30-150 sheets (growing with the log
of staff_count): every team member (``team_member``; a member's sheet skips their own rows),
the middle heads (``middle_manager``, one may be absent), heads and deputies of subordinate
units (``subordinate_unit``), 8-20 ``service_recipient`` and 5-12 ``representative`` sheets in
government and district units (0-5 representatives in institutions), 3-6 ``retired`` in about
a third of units, and ``staff`` for the rest (at least 8).  Sheet order is shuffled; ballot_id
is ``<period>-<unit>-<sheet no.>``.  Every sheet rates the team (subject_id = unit_id) on the 6
team items and every team member on the 6 cadre items, 1-4.  Middle and subordinate heads are
never rated on ballots.

Latent model (latent units; marks are ordinal cuts of a normal latent)
---------------------------------------------------------------------
* true quality of a cadre ``q ~ N(0, 0.6)`` truncated at +/-2 SD, balanced by gender by
  construction; of a team ``0.5 x mean(q of its members) + N(0, 0.5)``; both drift by
  ``N(0, 0.12)`` a period (random walk);
* a persistent per-dimension deviation ``N(0, 0.25)`` per subject, and item easiness
  (political/integrity +0.25, achievement/style -0.15, ...);
* city-wide rater-group offsets ``GROUP_OFFSET``: team_member +0.30, middle_manager +0.15,
  subordinate_unit +0.40, staff +0.45, service_recipient -0.30, representative -0.10,
  retired 0.0; unit climate ``N(0, 0.20)``; a group's mood in one session ``N(0, 0.12)``;
* a sheet's own leniency ``N(0, 0.35)``, its view of one subject ``N(0, 0.25)``, one mark's
  noise ``N(0, 0.60)``; cut at ``TAU`` = -1.85, -1.05, 0.10 -> about 60% 4 (好), 31% 3, 7% 2,
  2% 1.  Natural constant sheets are all-4 only, about 0.37% of sheets (123 of 32,988 at seed
  7; they are real enthusiasm, not planted, and appear in both variants).
* performance z = ``0.5 x q/SD + 0.87 x (persistent + period noise)``: each indicator scores
  ``max x clip(0.80 + 0.05 z + N(0, 0.025), 0.35, 1)``.  Unit indicators (P01.., 5-8, by unit
  type) follow the team, portfolio indicators (1-3 per team member, cadre_id set) the cadre.
* questionnaires: unit satisfaction ``0.35 x team z + N(0, 0.2)`` (+0.2 service bodies, -0.3
  regulators), a respondent ``N(0, 0.5)``, an item ``N(0, 0.75)``, cut into 1-5 (mean about
  3.5; natural identical answer vectors reach ~16 per unit, source and quarter, spread over the
  quarter).  Third-party satisfaction: 82-87 by unit type, -7 regulators, +3 service bodies,
  ``6 x`` the same unit satisfaction, ``N(0, 2)`` per unit and ``N(0, 1.5)`` per provider.
* superior opinions: ``0.8 x z + N(0, 0.6)`` cut into 1-4 (about 42% 4, 44% 3); self-assessment:
  ``q + deviation + easiness + 0.55 + N(0, 0.35)`` cut like the ballots (about 75% 4).
* talks: each unit has one talk round a year, in the period ``talk_period`` (units spread
  evenly over the four quarters), interviewing every cadre of the unit once plus 1-4 staff and
  sometimes one other person; 6-9 talks a working day; durations log-normal around 48 (team),
  36-38 (middle, subordinate) and 28 minutes (staff), principal about 85, clipped to 15-150.
  Each talk has 1-4 mentions of the team or a team member other than the interviewee; stance
  from ``0.9 x z + N(0, 1)`` (about 55% positive, 32% neutral, 13% negative).
* realistic gaps: 5% of unit-periods have no third-party survey, 4% no superior opinions, and
  each subject misses its superior opinion in 10% of periods; 15% of verified claims are
  ``partial``.

Planted effects (``clean=False``; counts at city scale)
-------------------------------------------------------
Every plant sits in its own unit-period (no two plants share one; fresh units preferred,
periods rotated), chosen by the seeded generator.

* straight_lining (20): one non-team-member sheet is set to one constant mark on every row
  (3: 45%, 2: 35%, 4: 12%, 1: 8%).
* misfit_ballot (15): one sheet mirrored (5 - natural mark, 60%) or drawn uniformly from 1-4
  (40%); never constant.
* duplicate_ballots (4): 6-12 sheets of one group with at least 10 sheets copy that group's
  most distinctive sheet (most marks below 4), submitted within 4 minutes.
* rater_leniency (4) / rater_severity (4): one group (>= 8 sheets) gets +1.6 / -1.4 latent on
  every mark; leniency only in units below the median standing (room below the ceiling).
* halo (4): every sheet of one group gives each subject one mark on all items (mark from the
  subject's latent mean + N(0, 0.6)); marks differ across subjects.
* central_tendency (4): every sheet of one group is mapped into 2-3 (4 -> 3 80% / 2, 3 -> 3
  45% / 2, 1-2 -> 2), never constant.
* favoritism (5): a non-lenient group (middle_manager, subordinate_unit, service_recipient,
  representative; >= 8 sheets) rates the unit's lowest-standing deputy/member +2.0 latent.
* targeted_rating (5): 8-15 sheets of one group give one team member 1 on every item.
* source_divergence (6: 4 cadres, 2 teams): a top-10% subject's performance z is set to -4.0
  (ballots minus performance positive), or a bottom-10% subject's to +4.0.
* self_inflation (6: 4 cadres, 2 teams): a subject from the 5th-15th percentile of standing
  (true quality plus the planted gender bias, as the ballots see it) declines by
  1.0 latent that period in every channel (performance z -1.6 extra) and scores itself 4 on
  every item.
* survey_anomaly (3): 22-30 extra identical responses (55555 or 55455) from one source within
  5 minutes, mixed into the numbering.
* satisfaction_gap (3): questionnaires +1.0 latent with third party -14 points, or
  questionnaires -1.5 latent with third party +12.
* group_bias (1 row, all periods): female team cadres' ballot latent -0.35 (about -0.2 marks).
  Performance, self-assessment, superiors and talks are unaffected.
* talk_coverage_gap (6): in a talk round, 1-3 required cadres (not the principal) get no talk
  (4), or about 80% of talks last 8-18 minutes (2).
* talk_vote_conflict (4): a top-10% cadre's mentions turn 85% negative, or a bottom-10%
  cadre's 85% positive, in its talk round; extra mentions ensure at least 8.
* verification_refuted (5): 1-3 claims ``refuted`` (the only refuted claims in the data).

Modules
-------
This module holds the interface; the generator is split by concern: ``demo_model`` (table
shapes, the latent model's constants, seeded generators, frame builders), ``demo_world`` (areas,
units, cadres, latent quality, sessions and the table iteration), ``demo_plants`` (planning the
planted effects and the answer key), ``demo_channels`` (ballots and the other channels) and
``demo_names`` (the name lists).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from analytics import demo_names as words
from analytics.demo_world import _World


@dataclass
class Demo:
    """A generated demo: reference data and planted answer key up front, tables on demand."""

    answer_key: pd.DataFrame
    summary: dict
    _world: _World = field(repr=False)

    def tables(
        self, progress: Callable[[float, str], None] | None = None
    ) -> Iterator[tuple[str, pd.DataFrame]]:
        """Yield ``(table, frame)`` in foreign-key order; big tables come in several chunks."""
        yield from self._world.tables(progress, self.summary)


def build_demo(seed: int = 7, scale: str = "city", clean: bool = False) -> Demo:
    """Plan a demo: reference data, latent quality, sessions and planted effects.

    The big tables are produced lazily by :meth:`Demo.tables`.  Same arguments, same data.
    """
    world = _World(seed, scale, clean)
    summary = {
        "seed": int(seed),
        "scale": scale,
        "clean": bool(clean),
        "areas": len(world.area_ids),
        "units": world.U,
        "cadres": world.C,
        "team_cadres": int((world.cad_tier == 0).sum()),
        "periods": world.P,
        "items": len(words.ITEMS),
        "sessions": world.U * world.P,
        "sheets": int(sum(len(g) for gl in world.sess_groups for g in gl)),
        "ballot_rows": int(world.session_rows.sum()),
        "planted": len(world.key_rows),
    }
    return Demo(answer_key=world.answer_key(), summary=summary, _world=world)
