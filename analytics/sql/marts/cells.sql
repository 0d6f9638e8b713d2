-- cells: how often each mark was given.
-- Grain: (period_id, unit_id, rater_group, subject_type, subject_id, item_id, score).
-- Units: n = number of marks.  Read by the rater model and the group detectors.
WITH marks AS (
    SELECT * FROM {{ ref('stg_ballots') }}
)
SELECT period_id, unit_id, rater_group, subject_type, subject_id, item_id, score,
       count(*) AS n
FROM marks
GROUP BY ALL
