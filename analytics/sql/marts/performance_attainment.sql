-- performance_attainment: weighted indicator attainment of a unit, or of one cadre's
-- portfolio.
-- Grain: (period_id, unit_id, cadre_id); cadre_id NULL = the unit's own indicators.
-- Units: attain = Σ weight · attain_100 / Σ weight (0–100), n_indicators.  The performance
-- channel combines a cadre's portfolio with the unit's (analytics.channels).
WITH indicators AS (
    SELECT * FROM {{ ref('stg_performance') }}
)
SELECT period_id, unit_id, cadre_id, sum(weight * attain_100) / sum(weight) AS attain,
       count(*) AS n_indicators
FROM indicators
GROUP BY ALL
