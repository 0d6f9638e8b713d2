-- group_sessions: one rater group's evaluation session in one unit.
-- Grain: (period_id, unit_id, rater_group).
-- Units: n_sheets = distinct sheets (the anonymity floor is counted in these), n_marks,
-- mean_pos = mean position 0–1 over every mark of the session.  Materialised with the
-- results (r.group_sessions) and read by the views that break a result down by rater group
-- or decide whether a group may be named (analytics.privacy.can_name_group).
WITH marks AS (
    SELECT * FROM {{ ref('stg_ballots') }}
)
SELECT period_id, unit_id, rater_group, count(DISTINCT ballot_id) AS n_sheets,
       count(*) AS n_marks, avg(pos) AS mean_pos
FROM marks
GROUP BY ALL
