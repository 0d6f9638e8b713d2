-- superior: superior departments' opinion of a subject.
-- Grain: (period_id, subject_type, subject_id).
-- Units: superior = mean of the departments' ratings on 0–100 (stg_superior);
-- n_departments.  Read by the superior channel and the views.
WITH opinions AS (
    SELECT * FROM {{ ref('stg_superior') }}
)
SELECT period_id, subject_type, subject_id, avg(rating_100) AS superior,
       count(*) AS n_departments
FROM opinions
GROUP BY ALL
