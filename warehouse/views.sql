-- Analyst views, created in every published warehouse.

CREATE OR REPLACE VIEW programme_current AS
SELECT p.*
FROM programme p
QUALIFY academic_year = max(academic_year) OVER (PARTITION BY institution_id);

CREATE OR REPLACE VIEW flag_summary AS
SELECT f.institution_id, f.rule_id, r.severity, r.title, count(*) AS flags
FROM flag f JOIN rule r USING (rule_id)
GROUP BY ALL
ORDER BY institution_id, flags DESC;

CREATE OR REPLACE VIEW offer_by_year AS
SELECT institution_id, academic_year, count(*) AS programmes,
       sum(credits_ects) AS total_credits, median(credits_ects) AS median_credits
FROM programme
GROUP BY ALL
ORDER BY institution_id, academic_year;

-- Per institution, academic year and applicable rule: how many records were checked and how many meet it.
CREATE OR REPLACE VIEW scorecard AS
WITH population AS (
    SELECT institution_id, academic_year, 'programme' AS record, count(*) AS records FROM programme GROUP BY ALL
    UNION ALL
    SELECT institution_id, academic_year, 'course_unit', count(*) FROM course_unit GROUP BY ALL
), failing AS (
    SELECT institution_id, academic_year, rule_id, count(DISTINCT record_key) AS failing
    FROM flag WHERE academic_year IS NOT NULL GROUP BY ALL
)
SELECT p.institution_id, p.academic_year, r.rule_id, r.severity, r.title, r.record, p.records,
       coalesce(f.failing, 0) AS records_failing,
       p.records - coalesce(f.failing, 0) AS records_meeting,
       round(1 - coalesce(f.failing, 0) / p.records, 4) AS share_meeting
FROM population p
JOIN rule r ON r.record = p.record
           AND (list_contains(r.applies_to, '*') OR list_contains(r.applies_to, p.institution_id))
LEFT JOIN failing f USING (institution_id, academic_year, rule_id)
ORDER BY p.institution_id, p.academic_year, r.rule_id;

-- EU Council Recommendation 2022/C 243/02, Annex I: share of programmes publishing each element.
CREATE OR REPLACE VIEW annex_i_coverage AS
WITH elements AS (
    SELECT p.institution_id, p.academic_year, e.element, e.mandatory, e.present
    FROM programme p JOIN institution i USING (institution_id),
    LATERAL (VALUES
        ('title', true, p.title IS NOT NULL),
        ('issuer_country', true, i.country IS NOT NULL),
        ('awarding_body', true, i.name IS NOT NULL),
        ('learning_outcomes', true, coalesce(len(p.learning_outcomes), 0) > 0),
        ('notional_workload_ects', true, p.credits_ects IS NOT NULL OR p.credits_min IS NOT NULL),
        ('level', true, p.eqf_level IS NOT NULL),
        ('type_of_assessment', true, p.assessment IS NOT NULL),
        ('form_of_participation', true, p.participation_form IS NOT NULL),
        ('type_of_quality_assurance', true, p.quality_assurance IS NOT NULL),
        ('prerequisites', false, p.prerequisites IS NOT NULL),
        ('stackability', false, p.stackability IS NOT NULL)
    ) AS e(element, mandatory, present)
)
SELECT institution_id, academic_year, element, mandatory, count(*) AS programmes,
       count(*) FILTER (present) AS programmes_publishing,
       round(count(*) FILTER (present) / count(*), 4) AS coverage
FROM elements GROUP BY ALL
ORDER BY institution_id, academic_year, mandatory DESC, element;

-- The Flemish and Dutch rules side by side, applied to every programme whatever its country. The thresholds are
-- the ones the institution table holds for each region (the column names keep today's figures for analysts).
CREATE OR REPLACE VIEW rules_side_by_side AS
WITH region_rule AS (
    SELECT region, min(credits_min) AS credits_min, max(credits_max) AS credits_max,
           min(hours_per_credit_min) AS hours_min, max(hours_per_credit_max) AS hours_max
    FROM institution GROUP BY region
), flanders AS (
    SELECT * FROM region_rule WHERE region = 'Flanders'
), netherlands AS (
    SELECT * FROM region_rule WHERE region = 'Netherlands'
)
SELECT p.institution_id, p.academic_year, count(*) AS programmes,
       count(*) FILTER (p.credits_ects IS NOT NULL) AS with_credits,
       count(*) FILTER (p.credits_ects BETWEEN fl.credits_min AND fl.credits_max) AS meets_flanders_size_3_20,
       count(*) FILTER (p.credits_ects BETWEEN nl.credits_min AND nl.credits_max) AS meets_netherlands_size_3_30,
       count(*) FILTER (NOT p.study_hours_derived AND p.study_hours IS NOT NULL AND p.credits_ects > 0)
           AS with_published_hours,
       count(*) FILTER (NOT p.study_hours_derived AND p.study_hours / p.credits_ects BETWEEN fl.hours_min AND fl.hours_max)
           AS meets_be_hours_25_30,
       count(*) FILTER (NOT p.study_hours_derived AND p.study_hours / p.credits_ects BETWEEN nl.hours_min AND nl.hours_max)
           AS meets_nl_hours_28
FROM programme p
LEFT JOIN flanders fl ON true
LEFT JOIN netherlands nl ON true
GROUP BY p.institution_id, p.academic_year
ORDER BY p.institution_id, p.academic_year;

-- ---------------------------------------------------------------------------------------------------------
-- The offer, sliced the way analysts and the dashboard ask for it.

-- Credits in bands; `band_order` sorts them. Bands are closed at the top: 3–6 holds 3 and 6.
CREATE OR REPLACE VIEW credits_distribution AS
SELECT institution_id, academic_year,
       CASE WHEN credits_ects IS NULL THEN 'unknown'
            WHEN credits_ects < 3 THEN '< 3'
            WHEN credits_ects <= 6 THEN '3–6'
            WHEN credits_ects <= 10 THEN '6–10'
            WHEN credits_ects <= 20 THEN '10–20'
            WHEN credits_ects <= 30 THEN '20–30'
            ELSE '> 30' END AS credits_band,
       CASE WHEN credits_ects IS NULL THEN 7
            WHEN credits_ects < 3 THEN 1
            WHEN credits_ects <= 6 THEN 2
            WHEN credits_ects <= 10 THEN 3
            WHEN credits_ects <= 20 THEN 4
            WHEN credits_ects <= 30 THEN 5
            ELSE 6 END AS band_order,
       count(*) AS programmes
FROM programme
GROUP BY ALL
ORDER BY institution_id, academic_year, band_order;

-- One row per language a programme is taught in; a bilingual programme counts once for each language.
CREATE OR REPLACE VIEW language_offer AS
SELECT institution_id, academic_year, coalesce(language, 'unknown') AS language, count(*) AS programmes
FROM (
    SELECT institution_id, academic_year,
           unnest(CASE WHEN len(languages) > 0 THEN languages ELSE [NULL] END) AS language
    FROM programme
)
GROUP BY ALL
ORDER BY institution_id, academic_year, programmes DESC, language;

CREATE OR REPLACE VIEW semester_offer AS
SELECT institution_id, academic_year, coalesce(semester, 'unknown') AS semester,
       coalesce(list_position(['S1', 'S2', 'YEAR', 'SUMMER', 'WINTER'], semester), 6) AS semester_order,
       count(*) AS programmes
FROM programme
GROUP BY ALL
ORDER BY institution_id, academic_year, semester_order;

-- The trend over refreshes: how many programme records were in the registry after each published refresh.
CREATE OR REPLACE VIEW offer_by_refresh AS
WITH refreshes AS (
    SELECT run_id, source AS institution_id, max(ended_at) AS refreshed_at
    FROM run WHERE published GROUP BY ALL
)
SELECT r.run_id, r.refreshed_at, r.institution_id,
       count(h.registry_id) AS programmes,
       count(DISTINCT h.registry_id) AS micro_credentials
FROM refreshes r
LEFT JOIN programme_history h
       ON h.institution_id = r.institution_id AND h.change <> 'withdrawn'
      AND h.valid_from_run <= r.run_id AND (h.valid_to_run IS NULL OR h.valid_to_run > r.run_id)
GROUP BY ALL
ORDER BY r.institution_id, r.run_id;

-- Every change the history recorded, newest first: what was added, changed (and which fields) or withdrawn.
CREATE OR REPLACE VIEW programme_changes AS
SELECT h.valid_from_run AS run_id, h.valid_from AS changed_at, h.institution_id, h.registry_id,
       h.academic_year, h.title, h.change, h.changed_fields, h.credits_ects, h.semester, h.languages, h.url
FROM programme_history h
ORDER BY changed_at DESC, institution_id, registry_id, academic_year;

-- What changed between two refreshes: changes_between('run A', 'run B') lists the changes recorded after run
-- A up to and including run B. Run ids sort in time order.
CREATE OR REPLACE MACRO changes_between(from_run, to_run) AS TABLE
SELECT * FROM programme_changes WHERE run_id > from_run AND run_id <= to_run;

-- Every flag with its rule, the record's title and the page it came from: the drill-down behind the scorecard.
CREATE OR REPLACE VIEW flag_detail AS
SELECT f.run_id, f.institution_id, f.rule_id, f.severity, r.title AS rule_title, r.standard, r.citation,
       r.record AS record_kind, f.record_key, f.academic_year,
       coalesce(p.title, c.name) AS record_title, f.field, f.value, f.message, r.explanation,
       coalesce(f.url, p.url, c.url) AS url
FROM flag f
JOIN rule r USING (rule_id)
LEFT JOIN programme p ON r.record = 'programme' AND p.registry_id = f.record_key
                     AND p.academic_year IS NOT DISTINCT FROM f.academic_year
LEFT JOIN course_unit c ON r.record = 'course_unit' AND c.course_key = f.record_key
ORDER BY f.institution_id, list_position(['error', 'warning', 'info'], f.severity), f.rule_id, f.record_key;

-- One row per programme and year, ready to search and filter across institutions (as Nova Academy does):
-- institution, language, credits, semester, area (the faculty or school), start date, and free text; with
-- what a reader shows of it: credit ranges, contact hours, end date, fee tiers and formulas.
CREATE OR REPLACE VIEW programme_search AS
SELECT p.registry_id, p.institution_id, i.name AS institution_name, p.academic_year,
       p.academic_year || '-' || (p.academic_year + 1) AS academic_year_label,
       p.title, p.credits_ects, p.credits_min, p.credits_max, p.study_hours, p.contact_hours, p.semester,
       p.languages, p.delivery_mode, p.faculty AS area, p.start_date, p.end_date, p.fee_eur, p.fee_eur_derived,
       p.fee_fixed_eur, p.fee_per_credit_eur, p.fee_tiers, p.learning_outcomes,
       concat_ws(' ', p.title, array_to_string(p.learning_outcomes, ' ')) AS search_text,
       coalesce(fl.errors, 0) AS errors, coalesce(fl.warnings, 0) AS warnings,
       coalesce(fl.rules_broken, []) AS rules_broken,
       p.academic_year = max(p.academic_year) OVER (PARTITION BY p.institution_id) AS is_current_year,
       p.url
FROM programme p
JOIN institution i USING (institution_id)
LEFT JOIN (
    SELECT record_key AS registry_id, academic_year,
           count(*) FILTER (severity = 'error') AS errors,
           count(*) FILTER (severity = 'warning') AS warnings,
           list(DISTINCT rule_id ORDER BY rule_id) AS rules_broken
    FROM flag GROUP BY ALL
) fl USING (registry_id, academic_year)
ORDER BY p.institution_id, p.academic_year DESC, p.title;
