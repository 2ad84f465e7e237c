-- What the quality report (quality/report.py) shows, read from the published warehouse by
-- pipelines/defs/report.py. One query per "-- name: ..." section; the names are quality.report.QUERY_NAMES.

-- name: institutions
SELECT * FROM institution ORDER BY name;

-- name: runs
-- The latest run per source.
SELECT source, run_id, started_at, ended_at, live, status, published, reason, published_run_id,
       pages_fetched, not_modified, errors, items, programmes, course_units
FROM run
QUALIFY row_number() OVER (PARTITION BY source ORDER BY run_id DESC, started_at DESC NULLS LAST) = 1
ORDER BY source;

-- name: counts
SELECT institution_id, academic_year, sum(programmes) AS programmes, sum(course_units) AS course_units
FROM (
    SELECT institution_id, academic_year, count(*) AS programmes, 0 AS course_units FROM programme GROUP BY ALL
    UNION ALL
    SELECT institution_id, academic_year, 0, count(*) FROM course_unit GROUP BY ALL
)
GROUP BY ALL ORDER BY institution_id, academic_year;

-- name: scorecard
SELECT * FROM scorecard;

-- name: coverage
SELECT * FROM annex_i_coverage;

-- name: side_by_side
SELECT * FROM rules_side_by_side;

-- name: flags
-- Every flag, with a link to its source page: the flag's own URL, else the programme's (of the flag's year,
-- or of any year when the flag has none) or the course unit's.
SELECT f.institution_id, f.rule_id, f.severity, f.record_key, f.academic_year, f.field, f.value, f.message,
       f.run_id,
       coalesce(
           f.url,
           (SELECT any_value(p.url) FROM programme p
            WHERE p.registry_id = f.record_key AND p.academic_year = coalesce(f.academic_year, p.academic_year)),
           (SELECT any_value(c.url) FROM course_unit c WHERE c.course_key = f.record_key)
       ) AS url
FROM flag f
ORDER BY f.institution_id, f.rule_id, f.record_key, f.academic_year NULLS FIRST, f.field, f.message;

-- name: offer
-- The current offer: each institution's latest academic year.
SELECT institution_id, academic_year, title, credits_ects, credits_min, credits_max, languages, semester,
       start_date, end_date, fee_eur, fee_eur_derived, fee_fixed_eur, fee_per_credit_eur, fee_tiers,
       errors, warnings, url
FROM programme_search WHERE is_current_year ORDER BY institution_id, title, registry_id;

-- name: rules
SELECT * FROM rule;
