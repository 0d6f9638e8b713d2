-- survey_respondents: one questionnaire respondent.
-- Grain: response_id (one respondent answers for one unit and period).
-- Units: value_100 = the respondent's mean answer on 0–100 (stg_surveys), n_items answered,
-- score_sum on the questionnaire's own scale, ts = submission time (epoch s, NULL if none).
-- The respondent, not the answer, is the unit of the questionnaire: a respondent who
-- answers more items does not weigh more.
WITH answers AS (
    SELECT * FROM {{ ref('stg_surveys') }}
)
SELECT period_id, unit_id, response_id, any_value(source) AS source,
       avg(score_100) AS value_100, count(*) AS n_items, sum(score) AS score_sum,
       min(ts) AS ts
FROM answers
GROUP BY period_id, unit_id, response_id
