-- coverage: per period and channel, how many units have data (of all units) and the rows.
-- (follows unit_channels.sql)
SELECT p.period_id, p.label, c.channel,
       count(r.unit_id) AS units_covered,
       (SELECT count(*) FROM units) AS units_total,
       count(r.unit_id) / greatest((SELECT count(*) FROM units), 1) AS coverage,
       coalesce(sum(r.n), 0) AS n_rows
FROM periods p
CROSS JOIN (SELECT unnest(['ballots', 'performance', 'surveys', 'third_party',
                           'superior_opinions', 'self_assessments', 'verifications',
                           'talks']) AS channel) c
LEFT JOIN rows_per_channel r ON r.period_id = p.period_id AND r.channel = c.channel
GROUP BY p.period_id, p.label, p.start_date, c.channel
ORDER BY p.start_date, p.period_id, c.channel
