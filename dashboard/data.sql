-- Every query of more than one line the dashboard runs (dashboard/data.py), on the published warehouse.
-- {where} and the like are WHERE clauses data.py builds from bound parameters (?); no value is written here.

-- name: latest_years
-- Each institution's latest academic year (its current offer), in the registry's order.
SELECT p.institution_id, max(p.academic_year)
FROM programme p JOIN institution i USING (institution_id)
GROUP BY ALL
ORDER BY min(i.rowid)

-- name: languages
SELECT language FROM language_offer WHERE language <> 'unknown'
GROUP BY ALL ORDER BY sum(programmes) DESC, language

-- name: semesters
SELECT semester FROM semester_offer WHERE semester <> 'unknown'
GROUP BY ALL ORDER BY min(semester_order)

-- name: current_offer
-- Per institution: its latest year's programmes and credits, beside the year before's programmes.
WITH ranked AS (
    SELECT o.*, lead(o.programmes) OVER (PARTITION BY o.institution_id ORDER BY o.academic_year DESC)
           AS previous_programmes,
           row_number() OVER (PARTITION BY o.institution_id ORDER BY o.academic_year DESC) AS rank
    FROM offer_by_year o WHERE {where}
)
SELECT r.institution_id, i.name, r.academic_year, r.programmes, r.previous_programmes,
       r.total_credits, r.median_credits
FROM ranked r JOIN institution i USING (institution_id)
WHERE r.rank = 1
ORDER BY i.rowid

-- name: offer_by_year
SELECT i.name AS institution, o.academic_year, o.academic_year || '-' || (o.academic_year + 1)
       AS year, o.programmes, o.total_credits, o.median_credits
FROM offer_by_year o JOIN institution i USING (institution_id)
WHERE {where} ORDER BY i.rowid, o.academic_year

-- name: credits_distribution
SELECT i.name AS institution, c.credits_band, min(c.band_order) AS band_order,
       sum(c.programmes)::BIGINT AS programmes
FROM credits_distribution c JOIN institution i USING (institution_id)
WHERE {where} GROUP BY ALL ORDER BY band_order, institution

-- name: language_offer
SELECT i.name AS institution, l.language, sum(l.programmes)::BIGINT AS programmes
FROM language_offer l JOIN institution i USING (institution_id)
WHERE {where} GROUP BY ALL ORDER BY programmes DESC, institution

-- name: semester_offer
SELECT i.name AS institution, s.semester, min(s.semester_order) AS semester_order,
       sum(s.programmes)::BIGINT AS programmes
FROM semester_offer s JOIN institution i USING (institution_id)
WHERE {where} GROUP BY ALL ORDER BY semester_order, institution

-- name: offer_by_refresh
SELECT i.name AS institution, r.run_id, r.refreshed_at,
       strftime(min(r.refreshed_at) OVER (PARTITION BY r.run_id), '%Y-%m-%d %H:%M') AS refresh,
       r.programmes, r.micro_credentials
FROM offer_by_refresh r JOIN institution i USING (institution_id)
WHERE {where} ORDER BY r.run_id, i.rowid

-- name: last_refresh
-- The latest run of each source: its status, whether it was published, and why.
SELECT coalesce(i.name, r.source) AS source, r.run_id, r.started_at, r.ended_at, r.status,
       r.published, r.reason, r.pages_fetched, r.not_modified, r.errors, r.programmes,
       r.published_run_id
FROM run r LEFT JOIN institution i ON i.institution_id = r.source
WHERE {where}
QUALIFY row_number() OVER (PARTITION BY r.source ORDER BY r.run_id DESC) = 1
ORDER BY i.rowid

-- name: search
-- {limit} is empty or "LIMIT ?".
SELECT s.registry_id, s.title, s.institution_name AS institution, s.academic_year,
       s.academic_year_label AS year, s.credits_ects AS credits, s.credits_min, s.credits_max,
       s.study_hours, s.contact_hours, s.languages, s.semester, s.delivery_mode, s.area,
       s.start_date, s.end_date, s.fee_eur, s.fee_eur_derived, s.fee_fixed_eur,
       s.fee_per_credit_eur, s.fee_tiers, s.errors, s.warnings, s.rules_broken, s.url,
       s.learning_outcomes
FROM programme_search s JOIN institution i USING (institution_id)
WHERE {where}
ORDER BY i.rowid, s.academic_year DESC, s.title, s.registry_id
{limit}

-- name: search_by_institution
-- Matches per institution (zero included) and how many of them break a registry rule.
WITH hits AS (SELECT s.* FROM programme_search s WHERE {where})
SELECT i.institution_id, i.name AS institution, count(h.registry_id) AS programmes,
       count(h.registry_id) FILTER (len(h.rules_broken) > 0) AS breaking_a_rule,
       coalesce(sum(h.errors), 0)::BIGINT AS error_flags,
       coalesce(sum(h.warnings), 0)::BIGINT AS warning_flags
FROM institution i LEFT JOIN hits h USING (institution_id)
WHERE {institutions}
GROUP BY ALL ORDER BY min(i.rowid)

-- name: search_flags
-- The flags on the matching programmes: which rule each breaks and why.
SELECT d.institution_id, s.institution_name AS institution, s.academic_year_label AS year,
       d.record_key AS registry_id, d.record_title AS title, d.rule_id, d.severity, d.rule_title, d.field, d.value,
       d.message, d.url
FROM flag_detail d
JOIN programme_search s ON s.registry_id = d.record_key AND s.academic_year = d.academic_year
JOIN institution i ON i.institution_id = s.institution_id
WHERE d.record_kind = 'programme' AND {where}
ORDER BY i.rowid, s.academic_year DESC, d.record_title,
         list_position(['error', 'warning', 'info'], d.severity), d.rule_id

-- name: scorecard
SELECT s.institution_id, i.name AS institution, s.academic_year,
       s.academic_year || '-' || (s.academic_year + 1) AS year, s.rule_id, s.severity,
       s.title, s.record, s.records, s.records_failing, s.records_meeting, s.share_meeting
FROM scorecard s JOIN institution i USING (institution_id)
WHERE {where}
ORDER BY i.rowid, s.academic_year DESC, list_position(['error', 'warning', 'info'], s.severity),
         s.records_failing DESC, s.rule_id

-- name: flagged_rules
-- The rules with at least one flag in scope, errors first, with their flag counts.
SELECT d.rule_id, d.rule_title, d.severity, count(*) AS flags,
       count(DISTINCT d.institution_id) AS institutions
FROM flag_detail d WHERE {where}
GROUP BY d.rule_id, d.rule_title, d.severity
ORDER BY list_position(['error', 'warning', 'info'], d.severity), flags DESC, d.rule_id

-- name: rule
SELECT rule_id, severity, blocking, title, standard, citation, applies_to, record, explanation
FROM rule WHERE rule_id = ?

-- name: flag_detail
SELECT i.name AS institution, d.institution_id, d.academic_year,
       CASE WHEN d.academic_year IS NULL THEN NULL
            ELSE d.academic_year || '-' || (d.academic_year + 1) END AS year,
       d.record_kind, d.record_key, d.record_title, d.field, d.value, d.message, d.url
FROM flag_detail d JOIN institution i USING (institution_id)
WHERE d.rule_id = ? AND {where}
ORDER BY i.rowid, d.academic_year DESC NULLS LAST, d.record_title, d.record_key, d.field

-- name: annex_i_coverage
SELECT i.name AS institution, a.academic_year, a.element, a.mandatory, a.programmes,
       a.programmes_publishing, a.coverage
FROM annex_i_coverage a JOIN institution i USING (institution_id)
WHERE {where}
ORDER BY i.rowid, a.academic_year DESC, a.mandatory DESC, a.element
