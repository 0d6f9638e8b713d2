-- sheet_subject: what one ballot sheet says about one subject.
-- Grain: (period_id, ballot_id, subject_type, subject_id).
-- Units: mean / sd / lo / hi on the items' own scale; pos = mean position 0–1 (see
-- stg_ballots); n_items = items marked.  Read by the democratic channel, the rater model,
-- the bootstrap and the sheet detectors.
WITH marks AS (
    SELECT * FROM {{ ref('stg_ballots') }}
)
SELECT period_id, unit_id, ballot_id, rater_group, subject_type, subject_id,
       avg(score) AS mean, count(*) AS n_items, stddev_pop(score) AS sd,
       min(score) AS lo, max(score) AS hi, avg(pos) AS pos
FROM marks
GROUP BY ALL
