-- unit_channels: a WITH clause defining rows_per_channel, one row per (period, unit, channel)
-- that has data, with its row count. Superior opinions and self-assessments concern a team
-- (subject_id = unit_id) or a cadre (mapped to the cadre's unit). Queries that use it are
-- appended after this clause (see analytics.status).
WITH subject_unit AS (
    SELECT 'team' AS subject_type, unit_id AS subject_id, unit_id FROM units
    UNION ALL
    SELECT 'cadre', cadre_id, unit_id FROM cadres
),
rows_per_channel AS (
    SELECT period_id, unit_id, 'ballots' AS channel, count(*) AS n FROM ballots GROUP BY ALL
    UNION ALL SELECT period_id, unit_id, 'performance', count(*) FROM performance GROUP BY ALL
    UNION ALL SELECT period_id, unit_id, 'surveys', count(*) FROM surveys GROUP BY ALL
    UNION ALL SELECT period_id, unit_id, 'third_party', count(*) FROM third_party GROUP BY ALL
    UNION ALL
    SELECT o.period_id, s.unit_id, 'superior_opinions', count(*)
    FROM superior_opinions o JOIN subject_unit s USING (subject_type, subject_id) GROUP BY ALL
    UNION ALL
    SELECT a.period_id, s.unit_id, 'self_assessments', count(*)
    FROM self_assessments a JOIN subject_unit s USING (subject_type, subject_id) GROUP BY ALL
    UNION ALL SELECT period_id, unit_id, 'verifications', count(*) FROM verifications GROUP BY ALL
    UNION ALL
    -- talks come in one round a year per unit: a unit has the channel in a period when it
    -- had talks in the twelve months ending with that period
    SELECT p.period_id, t.unit_id, 'talks', count(*)
    FROM periods p
    JOIN talks t ON t.talk_date > p.end_date - INTERVAL 365 DAY AND t.talk_date <= p.end_date
    GROUP BY ALL
)
