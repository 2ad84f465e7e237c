-- The queries of the printed refresh summary (warehouse/summary.py), on the published warehouse.

-- name: runs
-- The run's row per source: what each harvest did and whether it was published.
SELECT source, status, published, reason, pages_fetched, not_modified, errors, skipped_by_policy
FROM run
WHERE run_id = ?
ORDER BY source

-- name: sizes
-- Per institution: programmes, course units and flags in the warehouse.
SELECT i.institution_id,
       (SELECT count(*) FROM programme p WHERE p.institution_id = i.institution_id),
       (SELECT count(*) FROM course_unit c WHERE c.institution_id = i.institution_id),
       (SELECT count(*) FROM flag f WHERE f.institution_id = i.institution_id)
FROM institution i
ORDER BY 1

-- name: flags
-- Flags per institution and rule, the most frequent first.
SELECT institution_id, rule_id, severity, count(*)
FROM flag
GROUP BY ALL
ORDER BY 1, 4 DESC

-- name: years
-- Per institution, its programmes per academic year ("2022: 31, 2023: 71").
SELECT institution_id, string_agg(academic_year || ': ' || n, ', ' ORDER BY academic_year)
FROM (SELECT institution_id, academic_year, count(*) AS n FROM programme GROUP BY ALL)
GROUP BY 1
