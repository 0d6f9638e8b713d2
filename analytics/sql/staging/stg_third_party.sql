-- stg_third_party: one row per third-party survey result (provider × unit × period).
-- Grain: (period_id, unit_id, provider).
-- Units: satisfaction already on 0–100; sample_size respondents; var_100 is the binomial
-- sampling variance of the result in (0–100 points)², p(1 − p) / n × 100².
SELECT period_id, unit_id, provider, sample_size, satisfaction,
       (satisfaction / 100) * (1 - satisfaction / 100) / sample_size * 10000 AS var_100
FROM third_party
WHERE period_id IN {{ periods }}
