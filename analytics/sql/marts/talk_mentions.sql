-- talk_mentions: what the coded talks of a period say about one subject.
-- Grain: (period_id, subject_type, subject_id), for talks held in that period.
-- Units: counts of mentions by stance, distinct talks, share_negative = negative / all.
-- talk_unit is the unit where (most of) the talks were held.  Read by the talk detectors.
WITH mentions AS (
    SELECT t.period_id, t.unit_id AS talk_unit, m.talk_id, m.subject_type, m.subject_id,
           m.stance
    FROM talk_mentions m
    JOIN talks t USING (talk_id)
    WHERE t.period_id IN {{ periods }}
)
SELECT period_id, subject_type, subject_id, mode(talk_unit) AS talk_unit,
       count(*) FILTER (WHERE stance = 'positive') AS pos,
       count(*) FILTER (WHERE stance = 'neutral') AS neu,
       count(*) FILTER (WHERE stance = 'negative') AS neg,
       count(*) AS mentions, count(DISTINCT talk_id) AS n_talks,
       count(*) FILTER (WHERE stance = 'negative') / count(*) AS share_negative
FROM mentions
GROUP BY ALL
