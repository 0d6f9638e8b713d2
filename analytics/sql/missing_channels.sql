-- missing_channels: for one period ($1), every unit lacking one or more channels.
-- (follows unit_channels.sql)
SELECT u.unit_id, u.name AS unit_name, a.name AS area_name,
       list(c.channel ORDER BY c.channel) AS missing
FROM units u
JOIN areas a USING (area_id)
CROSS JOIN (SELECT unnest(['ballots', 'performance', 'surveys', 'third_party',
                           'superior_opinions', 'self_assessments', 'verifications',
                           'talks']) AS channel) c
ANTI JOIN (SELECT * FROM rows_per_channel WHERE period_id = $1) r
    ON r.unit_id = u.unit_id AND r.channel = c.channel
GROUP BY u.unit_id, u.name, a.name
ORDER BY u.unit_id
