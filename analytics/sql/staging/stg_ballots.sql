-- stg_ballots: one row per mark (sheet × subject × item) of the analysed periods.
-- Grain: (period_id, ballot_id, subject_type, subject_id, item_id).
-- Units: score on the item's own scale; pos = (score − scale_min) / (scale_max − scale_min),
-- 0 = the item's minimum, 1 = its top, so items of different scales can be averaged.
-- {{ set_aside }} is empty, or (flag-aware scores) leaves out the sheets set aside.
SELECT b.period_id, b.unit_id, b.ballot_id, b.rater_group, b.subject_type, b.subject_id,
       b.item_id, b.score, i.scale_min, i.scale_max,
       (b.score - i.scale_min) / (i.scale_max - i.scale_min) AS pos
FROM ballots b
JOIN items i USING (item_id)
WHERE b.period_id IN {{ periods }}
  {{ set_aside }}
