-- stg_superior: one row per superior department's opinion of a subject.
-- Grain: (period_id, subject_type, subject_id, department).
-- Units: rating on the schema's scale ({{ scale_min('superior_opinions.rating') }}–
-- {{ scale_max('superior_opinions.rating') }}); rating_100 rescales it to 0–100.
SELECT period_id, subject_type, subject_id, department, rating,
       (rating - {{ scale_min('superior_opinions.rating') }}) * 100.0
           / ({{ scale_max('superior_opinions.rating') }}
              - {{ scale_min('superior_opinions.rating') }}) AS rating_100
FROM superior_opinions
WHERE period_id IN {{ periods }}
