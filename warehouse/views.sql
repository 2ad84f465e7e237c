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
        ('notional_workload_ects', true, p.credits_ects IS NOT NULL),
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

-- The Flemish and Dutch rules side by side, applied to every programme whatever its country.
CREATE OR REPLACE VIEW rules_side_by_side AS
SELECT institution_id, academic_year, count(*) AS programmes,
       count(*) FILTER (credits_ects IS NOT NULL) AS with_credits,
       count(*) FILTER (credits_ects BETWEEN 3 AND 20) AS meets_flanders_size_3_20,
       count(*) FILTER (credits_ects BETWEEN 3 AND 30) AS meets_netherlands_size_3_30,
       count(*) FILTER (NOT study_hours_derived AND study_hours IS NOT NULL AND credits_ects > 0) AS with_published_hours,
       count(*) FILTER (NOT study_hours_derived AND study_hours / credits_ects BETWEEN 25 AND 30) AS meets_be_hours_25_30,
       count(*) FILTER (NOT study_hours_derived AND study_hours / credits_ects = 28) AS meets_nl_hours_28
FROM programme
GROUP BY ALL
ORDER BY institution_id, academic_year;
