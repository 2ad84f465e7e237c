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
