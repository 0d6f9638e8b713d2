-- unit_satisfaction: how satisfied the people a unit serves are, per unit and period.
-- Grain: (period_id, unit_id); a unit appears when it has questionnaires or third-party
-- results.
-- Units (all 0–100):
--   questionnaire = mean over respondents of each respondent's mean answer
--                   (survey_respondents); n_respondents, sd_q = SD of respondent means;
--   third_party   = providers' results weighted by sample size; n_third_party = total
--                   sample; var_third_party = binomial sampling variance of that mean;
--   satisfaction  = both pooled by sample size (respondents + third-party sample).
-- Read by the satisfaction channel, its bootstrap, the satisfaction_gap detector, team
-- health, the portrait and the Anomalies evidence.
WITH respondents AS (
    SELECT * FROM {{ ref('survey_respondents') }}
), questionnaire AS (
    SELECT period_id, unit_id, avg(value_100) AS questionnaire,
           count(*) AS n_respondents, stddev_samp(value_100) AS sd_q
    FROM respondents
    GROUP BY ALL
), tp AS (
    SELECT * FROM {{ ref('stg_third_party') }}
), third_party AS (
    SELECT period_id, unit_id,
           sum(satisfaction * sample_size) / sum(sample_size) AS third_party,
           sum(sample_size) AS n_third_party,
           sum(sample_size^2 * var_100) / sum(sample_size)^2 AS var_third_party,
           count(*) AS n_providers,
           list({'provider': provider, 'sample_size': sample_size,
                 'satisfaction': satisfaction} ORDER BY provider) AS providers
    FROM tp
    GROUP BY ALL
)
SELECT period_id, unit_id, q.questionnaire, q.n_respondents, q.sd_q,
       t.third_party, t.n_third_party, t.var_third_party, t.n_providers, t.providers,
       (coalesce(q.questionnaire * q.n_respondents, 0)
           + coalesce(t.third_party * t.n_third_party, 0))
         / (coalesce(q.n_respondents, 0) + coalesce(t.n_third_party, 0)) AS satisfaction,
       coalesce(q.n_respondents, 0) + coalesce(t.n_third_party, 0) AS n_pooled
FROM questionnaire q
FULL JOIN third_party t USING (period_id, unit_id)
