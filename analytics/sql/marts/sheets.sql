-- sheets: one ballot sheet as a whole.
-- Grain: (period_id, ballot_id).
-- Units: counts of marks, subjects and distinct values; mean / lo / hi on the items' own
-- scale.  Context.sheets; the ballot detectors pack their own sheet blocks from ballots.
WITH marks AS (
    SELECT * FROM {{ ref('stg_ballots') }}
)
SELECT period_id, unit_id, ballot_id, rater_group, count(*) AS n_marks,
       count(DISTINCT subject_type || ':' || subject_id) AS n_subjects,
       count(DISTINCT score) AS n_values, avg(score) AS mean,
       min(score) AS lo, max(score) AS hi
FROM marks
GROUP BY ALL
