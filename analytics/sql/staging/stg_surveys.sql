-- stg_surveys: one row per questionnaire answer (respondent × item).
-- Grain: (response_id, item_id).
-- Units: score on the questionnaire scale fixed by the import schema (surveys.score,
-- {{ scale_min('surveys.score') }}–{{ scale_max('surveys.score') }}); score_100 rescales it
-- to 0–100 (0 = the scale minimum); ts = submission time in epoch seconds (NULL if unknown).
SELECT response_id, period_id, unit_id, source, item_id, score,
       (score - {{ scale_min('surveys.score') }}) * 100.0
           / ({{ scale_max('surveys.score') }} - {{ scale_min('surveys.score') }}) AS score_100,
       epoch(submitted_at) AS ts
FROM surveys
WHERE period_id IN {{ periods }}
