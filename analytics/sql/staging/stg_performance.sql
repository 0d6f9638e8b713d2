-- stg_performance: one row per performance indicator with a positive weight.
-- Grain: (period_id, unit_id, indicator_id); cadre_id set for a cadre's portfolio indicator.
-- Units: attain_100 = score / max_score × 100 (attainment, 0–100 and above for over-
-- achievement); weight defaults to 1.
SELECT period_id, unit_id, indicator_id, cadre_id, coalesce(weight, 1) AS weight,
       score / max_score * 100 AS attain_100
FROM performance
WHERE period_id IN {{ periods }} AND coalesce(weight, 1) > 0
