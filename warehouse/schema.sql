-- The published warehouse's tables: generated from registry/tables.py by `python -m registry.tables`.
-- Do not edit: change the specification and generate again (a test keeps the two equal).

CREATE TABLE institution (
    institution_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    qualification_framework VARCHAR NOT NULL,
    hours_per_credit_min DOUBLE NOT NULL,
    hours_per_credit_max DOUBLE NOT NULL,
    credits_min DOUBLE NOT NULL,
    credits_max DOUBLE NOT NULL,
    domains VARCHAR[] NOT NULL,
    website VARCHAR NOT NULL,
    PRIMARY KEY (institution_id)
);
COMMENT ON TABLE institution IS 'One row per institution in the registry, with the national rules that apply to it.';
COMMENT ON COLUMN institution.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN institution.name IS 'The institution''s official name.';
COMMENT ON COLUMN institution.country IS 'Country, ISO 3166-1 alpha-2 (BE, NL).';
COMMENT ON COLUMN institution.region IS 'Region whose rules apply (Flanders, Netherlands).';
COMMENT ON COLUMN institution.qualification_framework IS 'National qualifications framework (VKS, NLQF).';
COMMENT ON COLUMN institution.hours_per_credit_min IS 'Lowest study hours per credit the national band allows.';
COMMENT ON COLUMN institution.hours_per_credit_max IS 'Highest study hours per credit the national band allows.';
COMMENT ON COLUMN institution.credits_min IS 'Smallest size of a micro-credential under the national rule, in credits.';
COMMENT ON COLUMN institution.credits_max IS 'Largest size of a micro-credential under the national rule (warning above it), in credits.';
COMMENT ON COLUMN institution.domains IS 'The institution''s own web domains: the only ones the spiders follow.';
COMMENT ON COLUMN institution.website IS 'The institution''s website.';

CREATE TABLE programme (
    registry_id VARCHAR NOT NULL,
    institution_id VARCHAR NOT NULL,
    source_code VARCHAR,
    academic_year INTEGER NOT NULL,
    academic_year_raw VARCHAR,
    title VARCHAR,
    title_language VARCHAR,
    programme_type VARCHAR,
    url VARCHAR NOT NULL,
    faculty VARCHAR,
    campus VARCHAR,
    credits_ects DOUBLE,
    credits_min DOUBLE,
    credits_max DOUBLE,
    credits_raw VARCHAR,
    credits_reason VARCHAR,
    study_hours INTEGER,
    study_hours_raw VARCHAR,
    study_hours_reason VARCHAR,
    study_hours_derived BOOLEAN,
    study_hours_factor DOUBLE,
    contact_hours INTEGER,
    contact_hours_raw VARCHAR,
    contact_hours_reason VARCHAR,
    semester VARCHAR,
    semester_raw VARCHAR,
    semester_reason VARCHAR,
    languages VARCHAR[],
    languages_raw VARCHAR,
    languages_reason VARCHAR,
    delivery_mode VARCHAR,
    delivery_mode_raw VARCHAR,
    delivery_mode_reason VARCHAR,
    eqf_level INTEGER,
    national_level VARCHAR,
    level_raw VARCHAR,
    level_reason VARCHAR,
    fee_eur DECIMAL(12, 2),
    fee_eur_derived BOOLEAN,
    fee_fixed_eur DECIMAL(12, 2),
    fee_per_credit_eur DECIMAL(12, 2),
    fee_tiers STRUCT(label VARCHAR, amount_eur DECIMAL(12, 2))[],
    fee_covers VARCHAR,
    fee_raw VARCHAR,
    fee_reason VARCHAR,
    start_date DATE,
    start_date_raw VARCHAR,
    end_date DATE,
    end_date_raw VARCHAR,
    learning_outcomes VARCHAR[],
    assessment VARCHAR,
    participation_form VARCHAR,
    quality_assurance VARCHAR,
    prerequisites VARCHAR,
    stackability VARCHAR,
    course_unit_count INTEGER,
    offered_credits_sum DOUBLE,
    source_url VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ,
    last_verified_at TIMESTAMPTZ,
    http_status INTEGER,
    body_sha256 VARCHAR,
    spider VARCHAR,
    spider_version VARCHAR,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (registry_id, academic_year)
);
COMMENT ON TABLE programme IS 'One row per micro-credential per academic year, as published by the institution: every normalised field beside its raw text and the reason when it is null, with provenance.';
COMMENT ON COLUMN programme.registry_id IS 'Stable identifier across runs: ''{institution}:{the institution''s own code or slug}''.';
COMMENT ON COLUMN programme.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN programme.source_code IS 'The institution''s own code for the programme, when it has one.';
COMMENT ON COLUMN programme.academic_year IS 'Academic year as its start year: 2024 means 2024-2025.';
COMMENT ON COLUMN programme.academic_year_raw IS 'The academic year as written on the page.';
COMMENT ON COLUMN programme.title IS 'Title as published.';
COMMENT ON COLUMN programme.title_language IS 'Language of the title (ISO 639-1).';
COMMENT ON COLUMN programme.programme_type IS 'The kind of programme, as the institution labels it (e.g. micro-credential, summer school).';
COMMENT ON COLUMN programme.url IS 'The record''s public page.';
COMMENT ON COLUMN programme.faculty IS 'Faculty or school that offers it.';
COMMENT ON COLUMN programme.campus IS 'Campus or city where it is taught, as published.';
COMMENT ON COLUMN programme.credits_ects IS 'Credits in ECTS (EC in the Netherlands), a number; null when not published, not readable, or published as a range (reason ''range'': see credits_min and credits_max).';
COMMENT ON COLUMN programme.credits_min IS 'Smallest credits the page offers: the low end of a range or tiers (''2-5 ECTS'' gives 2), equal to credits_ects for a single size; null when no credits could be read.';
COMMENT ON COLUMN programme.credits_max IS 'Largest credits the page offers: the high end of a range or tiers, base + add-on for ''4 ECTS (+2 with a paper)'' (6); equal to credits_ects for a single size.';
COMMENT ON COLUMN programme.credits_raw IS 'Credits exactly as written on the page.';
COMMENT ON COLUMN programme.credits_reason IS 'Why credits_ects is null: absent, unparseable, range, hours_not_credits, negative_sentinel (null when it has a value).';
COMMENT ON COLUMN programme.study_hours IS 'Study load in hours, kept separate from credits; published or derived (see study_hours_derived).';
COMMENT ON COLUMN programme.study_hours_raw IS 'Study hours as written on the page.';
COMMENT ON COLUMN programme.study_hours_reason IS 'Why study_hours is null.';
COMMENT ON COLUMN programme.study_hours_derived IS 'True when study_hours was computed from credits rather than published.';
COMMENT ON COLUMN programme.study_hours_factor IS 'Hours per credit used when study_hours was derived.';
COMMENT ON COLUMN programme.contact_hours IS 'Contact hours (lectures, exercises, seminars...), a part of the study hours: as labelled, or the sum of the teaching activities'' hours the text gives.';
COMMENT ON COLUMN programme.contact_hours_raw IS 'The text contact_hours was read from, as written (a contact-hours field, or the study-hours text when that names contact time).';
COMMENT ON COLUMN programme.contact_hours_reason IS 'Why contact_hours is null: absent (no contact hours published), unparseable, ...';
COMMENT ON COLUMN programme.semester IS 'When it is taught: S1, S2, YEAR, SUMMER or WINTER.';
COMMENT ON COLUMN programme.semester_raw IS 'Semester as written on the page.';
COMMENT ON COLUMN programme.semester_reason IS 'Why semester is null (not_offered: a UGent study-guide code in parentheses).';
COMMENT ON COLUMN programme.languages IS 'Languages of instruction as ISO 639-1 codes, lower case, in the order written.';
COMMENT ON COLUMN programme.languages_raw IS 'Languages as written on the page.';
COMMENT ON COLUMN programme.languages_reason IS 'Why languages is null.';
COMMENT ON COLUMN programme.delivery_mode IS 'How it is taught: on_site, online, hybrid, blended or distance.';
COMMENT ON COLUMN programme.delivery_mode_raw IS 'Delivery mode as written on the page.';
COMMENT ON COLUMN programme.delivery_mode_reason IS 'Why delivery_mode is null.';
COMMENT ON COLUMN programme.eqf_level IS 'European Qualifications Framework level, 1-8.';
COMMENT ON COLUMN programme.national_level IS 'Level in the national framework (VKS in Flanders, NLQF in the Netherlands).';
COMMENT ON COLUMN programme.level_raw IS 'Level as written on the page.';
COMMENT ON COLUMN programme.level_reason IS 'Why eqf_level is null.';
COMMENT ON COLUMN programme.fee_eur IS 'Participation fee in EUR: as published, or derived from a formula (see fee_eur_derived); null for tiers (see fee_tiers).';
COMMENT ON COLUMN programme.fee_eur_derived IS 'True when fee_eur was computed as fee_fixed_eur + fee_per_credit_eur x credits_ects rather than published; false when published; null when there is no fee.';
COMMENT ON COLUMN programme.fee_fixed_eur IS 'A fee formula''s fixed part in EUR (''EUR 250 plus EUR 40 per credit'' gives 250).';
COMMENT ON COLUMN programme.fee_per_credit_eur IS 'A fee formula''s amount per credit in EUR (''EUR 250 plus EUR 40 per credit'' gives 40).';
COMMENT ON COLUMN programme.fee_tiers IS 'Fees that differ by kind of participant, registration date or sector: each amount in EUR with its label as written (''PhD students'', ''Early bird''), in the order published.';
COMMENT ON COLUMN programme.fee_covers IS 'What the fee covers, as published (e.g. the whole programme, per course unit).';
COMMENT ON COLUMN programme.fee_raw IS 'Fee as written on the page.';
COMMENT ON COLUMN programme.fee_reason IS 'Why fee_eur is null.';
COMMENT ON COLUMN programme.start_date IS 'First day of teaching, when published.';
COMMENT ON COLUMN programme.start_date_raw IS 'Start date as written on the page.';
COMMENT ON COLUMN programme.end_date IS 'Last day of teaching, when published.';
COMMENT ON COLUMN programme.end_date_raw IS 'End date as written on the page.';
COMMENT ON COLUMN programme.learning_outcomes IS 'Learning outcomes, one list item per outcome (Annex I element).';
COMMENT ON COLUMN programme.assessment IS 'Type of assessment, as published (Annex I element).';
COMMENT ON COLUMN programme.participation_form IS 'Form of participation (e.g. on site, online), as published (Annex I element).';
COMMENT ON COLUMN programme.quality_assurance IS 'Type of quality assurance that underpins it (Annex I element).';
COMMENT ON COLUMN programme.prerequisites IS 'Prerequisites to enrol, as published (Annex I optional element).';
COMMENT ON COLUMN programme.stackability IS 'Integration and stackability options, as published (Annex I optional element).';
COMMENT ON COLUMN programme.course_unit_count IS 'Number of course units listed in the programme''s table.';
COMMENT ON COLUMN programme.offered_credits_sum IS 'Sum of the credits of the programme''s offered course units.';
COMMENT ON COLUMN programme.source_url IS 'The public page the row was extracted from.';
COMMENT ON COLUMN programme.fetched_at IS 'When the page was fetched (UTC).';
COMMENT ON COLUMN programme.last_verified_at IS 'When the site last confirmed the page, by a 200 or a 304 (UTC). Older than the run when the revisit policy did not ask for the page that night; never more than 7 days old unless the page failed since (README, Revisit policy).';
COMMENT ON COLUMN programme.http_status IS 'HTTP status of the page when it was fetched (200, or 304 when revalidated from the cache).';
COMMENT ON COLUMN programme.body_sha256 IS 'SHA-256 of the page body the record was extracted from.';
COMMENT ON COLUMN programme.spider IS 'The spider that extracted it.';
COMMENT ON COLUMN programme.spider_version IS 'The version of that spider''s extraction code.';
COMMENT ON COLUMN programme.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';

CREATE TABLE course_unit (
    course_key VARCHAR NOT NULL,
    institution_id VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    academic_year INTEGER NOT NULL,
    academic_year_raw VARCHAR,
    name VARCHAR,
    credits_ects DOUBLE,
    credits_min DOUBLE,
    credits_max DOUBLE,
    credits_raw VARCHAR,
    credits_reason VARCHAR,
    study_hours INTEGER,
    study_hours_raw VARCHAR,
    study_hours_reason VARCHAR,
    contact_hours INTEGER,
    contact_hours_raw VARCHAR,
    contact_hours_reason VARCHAR,
    semester VARCHAR,
    semester_raw VARCHAR,
    semester_reason VARCHAR,
    semester_offering VARCHAR,
    languages VARCHAR[],
    languages_raw VARCHAR,
    languages_reason VARCHAR,
    lecturers VARCHAR[],
    learning_outcomes VARCHAR[],
    assessment VARCHAR,
    url VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ,
    last_verified_at TIMESTAMPTZ,
    http_status INTEGER,
    body_sha256 VARCHAR,
    spider VARCHAR,
    spider_version VARCHAR,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (institution_id, code, academic_year)
);
COMMENT ON TABLE course_unit IS 'One row per course unit per academic year, from the course sheets a programme links to.';
COMMENT ON COLUMN course_unit.course_key IS 'Course unit key: ''{institution}:{code}:{academic year}''.';
COMMENT ON COLUMN course_unit.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN course_unit.code IS 'The institution''s own course code (UGent [A-Z]\d{6}, UAntwerp \d{4}[A-Z]{6}, RUG Ocasys code).';
COMMENT ON COLUMN course_unit.academic_year IS 'Academic year as its start year: 2024 means 2024-2025.';
COMMENT ON COLUMN course_unit.academic_year_raw IS 'The academic year as written on the page.';
COMMENT ON COLUMN course_unit.name IS 'The course unit''s name.';
COMMENT ON COLUMN course_unit.credits_ects IS 'Credits in ECTS (EC in the Netherlands), a number; null when not published, not readable, or published as a range (reason ''range'': see credits_min and credits_max).';
COMMENT ON COLUMN course_unit.credits_min IS 'Smallest credits the page offers: the low end of a range or tiers (''2-5 ECTS'' gives 2), equal to credits_ects for a single size; null when no credits could be read.';
COMMENT ON COLUMN course_unit.credits_max IS 'Largest credits the page offers: the high end of a range or tiers, base + add-on for ''4 ECTS (+2 with a paper)'' (6); equal to credits_ects for a single size.';
COMMENT ON COLUMN course_unit.credits_raw IS 'Credits exactly as written on the page.';
COMMENT ON COLUMN course_unit.credits_reason IS 'Why credits_ects is null: absent, unparseable, range, hours_not_credits, negative_sentinel (null when it has a value).';
COMMENT ON COLUMN course_unit.study_hours IS 'Study load in hours, kept separate from credits; published or derived (see study_hours_derived).';
COMMENT ON COLUMN course_unit.study_hours_raw IS 'Study hours as written on the page.';
COMMENT ON COLUMN course_unit.study_hours_reason IS 'Why study_hours is null.';
COMMENT ON COLUMN course_unit.contact_hours IS 'Contact hours (lectures, exercises, seminars...), a part of the study hours: as labelled, or the sum of the teaching activities'' hours the text gives.';
COMMENT ON COLUMN course_unit.contact_hours_raw IS 'The text contact_hours was read from, as written (a contact-hours field, or the study-hours text when that names contact time).';
COMMENT ON COLUMN course_unit.contact_hours_reason IS 'Why contact_hours is null: absent (no contact hours published), unparseable, ...';
COMMENT ON COLUMN course_unit.semester IS 'When it is taught: S1, S2, YEAR, SUMMER or WINTER.';
COMMENT ON COLUMN course_unit.semester_raw IS 'Semester as written on the page.';
COMMENT ON COLUMN course_unit.semester_reason IS 'Why semester is null (not_offered: a UGent study-guide code in parentheses).';
COMMENT ON COLUMN course_unit.semester_offering IS 'UGent study guide: the letter before the semester code (A1, B2) that marks one of several offerings of the same course; null otherwise.';
COMMENT ON COLUMN course_unit.languages IS 'Languages of instruction as ISO 639-1 codes, lower case, in the order written.';
COMMENT ON COLUMN course_unit.languages_raw IS 'Languages as written on the page.';
COMMENT ON COLUMN course_unit.languages_reason IS 'Why languages is null.';
COMMENT ON COLUMN course_unit.lecturers IS 'Lecturers, as listed on the course sheet.';
COMMENT ON COLUMN course_unit.learning_outcomes IS 'Learning outcomes, one list item per outcome (Annex I element).';
COMMENT ON COLUMN course_unit.assessment IS 'Type of assessment, as published (Annex I element).';
COMMENT ON COLUMN course_unit.url IS 'The course sheet''s public page.';
COMMENT ON COLUMN course_unit.fetched_at IS 'When the page was fetched (UTC).';
COMMENT ON COLUMN course_unit.last_verified_at IS 'When the site last confirmed the page, by a 200 or a 304 (UTC). Older than the run when the revisit policy did not ask for the page that night; never more than 7 days old unless the page failed since (README, Revisit policy).';
COMMENT ON COLUMN course_unit.http_status IS 'HTTP status of the page when it was fetched (200, or 304 when revalidated from the cache).';
COMMENT ON COLUMN course_unit.body_sha256 IS 'SHA-256 of the page body the record was extracted from.';
COMMENT ON COLUMN course_unit.spider IS 'The spider that extracted it.';
COMMENT ON COLUMN course_unit.spider_version IS 'The version of that spider''s extraction code.';
COMMENT ON COLUMN course_unit.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';

CREATE TABLE programme_course (
    registry_id VARCHAR NOT NULL,
    institution_id VARCHAR NOT NULL,
    course_code VARCHAR NOT NULL,
    academic_year INTEGER NOT NULL,
    offered BOOLEAN NOT NULL,
    position INTEGER,
    course_name VARCHAR,
    credits_ects DOUBLE,
    credits_raw VARCHAR,
    semester VARCHAR,
    semester_raw VARCHAR,
    semester_reason VARCHAR,
    semester_offering VARCHAR,
    languages VARCHAR[],
    languages_raw VARCHAR,
    source_url VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (registry_id, course_code, academic_year)
);
COMMENT ON TABLE programme_course IS 'Which course units make up which programme (programme x course unit x year), as printed in the programme''s table, including units listed but not offered this year.';
COMMENT ON COLUMN programme_course.registry_id IS 'Stable identifier across runs: ''{institution}:{the institution''s own code or slug}''.';
COMMENT ON COLUMN programme_course.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN programme_course.course_code IS 'The course unit''s code, as in course_unit.code.';
COMMENT ON COLUMN programme_course.academic_year IS 'Academic year as its start year: 2024 means 2024-2025.';
COMMENT ON COLUMN programme_course.offered IS 'False when the programme lists the unit as not offered this year (UGent tr.nietaangeboden rows).';
COMMENT ON COLUMN programme_course.position IS 'Position of the unit in the programme''s table.';
COMMENT ON COLUMN programme_course.course_name IS 'The course unit''s name as printed in the programme''s table.';
COMMENT ON COLUMN programme_course.credits_ects IS 'The unit''s credits as printed in the programme''s table.';
COMMENT ON COLUMN programme_course.credits_raw IS 'Credits exactly as written on the page.';
COMMENT ON COLUMN programme_course.semester IS 'The unit''s semester as printed in the programme''s table.';
COMMENT ON COLUMN programme_course.semester_raw IS 'Semester as written on the page.';
COMMENT ON COLUMN programme_course.semester_reason IS 'Why semester is null (not_offered: a UGent study-guide code in parentheses).';
COMMENT ON COLUMN programme_course.semester_offering IS 'UGent study guide: the letter before the semester code (A1, B2) that marks one of several offerings of the same course; null otherwise.';
COMMENT ON COLUMN programme_course.languages IS 'The unit''s languages as printed in the programme''s table.';
COMMENT ON COLUMN programme_course.languages_raw IS 'Languages as written on the page.';
COMMENT ON COLUMN programme_course.source_url IS 'The public page the row was extracted from.';
COMMENT ON COLUMN programme_course.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';

CREATE TABLE flag (
    run_id VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    institution_id VARCHAR,
    record_key VARCHAR NOT NULL,
    academic_year INTEGER,
    field VARCHAR,
    value VARCHAR,
    message VARCHAR NOT NULL,
    url VARCHAR
);
COMMENT ON TABLE flag IS 'One row per registry rule broken per record per run: the explanation in plain words, the value that broke it and the page it came from.';
COMMENT ON COLUMN flag.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';
COMMENT ON COLUMN flag.rule_id IS 'The registry rule (see the rule table).';
COMMENT ON COLUMN flag.severity IS 'error, warning or info.';
COMMENT ON COLUMN flag.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN flag.record_key IS 'The flagged record: a registry_id for a programme, a course_key for a course unit, or the source for a harvest-level rule.';
COMMENT ON COLUMN flag.academic_year IS 'Academic year as its start year: 2024 means 2024-2025.';
COMMENT ON COLUMN flag.field IS 'The field that breaks the rule (null for rules on the whole record).';
COMMENT ON COLUMN flag.value IS 'The value that breaks the rule, as text.';
COMMENT ON COLUMN flag.message IS 'The explanation of this flag in plain words.';
COMMENT ON COLUMN flag.url IS 'The page the flagged value came from.';

CREATE TABLE rule (
    rule_id VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    blocking BOOLEAN NOT NULL,
    title VARCHAR NOT NULL,
    standard VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    applies_to VARCHAR[] NOT NULL,
    record VARCHAR NOT NULL,
    explanation VARCHAR NOT NULL,
    PRIMARY KEY (rule_id)
);
COMMENT ON TABLE rule IS 'The registry rules checked on every refresh, with the standard each comes from.';
COMMENT ON COLUMN rule.rule_id IS 'The registry rule (see the rule table).';
COMMENT ON COLUMN rule.severity IS 'error, warning or info.';
COMMENT ON COLUMN rule.blocking IS 'True when breaking it stops a source from being published (the last good data is kept instead).';
COMMENT ON COLUMN rule.title IS 'The rule''s short name.';
COMMENT ON COLUMN rule.standard IS 'The standard or rule the check comes from.';
COMMENT ON COLUMN rule.citation IS 'Where the standard says so.';
COMMENT ON COLUMN rule.applies_to IS 'The institutions it applies to (''*'' for all).';
COMMENT ON COLUMN rule.record IS 'What it is checked on: programme, course_unit or harvest.';
COMMENT ON COLUMN rule.explanation IS 'The rule in plain words.';

CREATE TABLE run (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    started_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ,
    live BOOLEAN,
    pages_fetched INTEGER,
    not_modified INTEGER,
    errors INTEGER,
    items INTEGER,
    programmes INTEGER,
    course_units INTEGER,
    status VARCHAR NOT NULL,
    published BOOLEAN NOT NULL,
    reason VARCHAR,
    published_run_id VARCHAR,
    skipped_by_policy INTEGER,
    bytes_received BIGINT,
    polite_seconds DOUBLE,
    PRIMARY KEY (run_id, source)
);
COMMENT ON TABLE run IS 'One row per refresh and source: what was harvested, how many pages answered 200 or 304, whether the source was published and why (or why not).';
COMMENT ON COLUMN run.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';
COMMENT ON COLUMN run.source IS 'The institution harvested.';
COMMENT ON COLUMN run.started_at IS 'When the source''s harvest started (UTC).';
COMMENT ON COLUMN run.ended_at IS 'When the source''s part of the refresh ended (UTC).';
COMMENT ON COLUMN run.live IS 'True when the public sites were crawled, false for the bundled snapshot.';
COMMENT ON COLUMN run.pages_fetched IS 'Pages answered with content (HTTP 200).';
COMMENT ON COLUMN run.not_modified IS 'Pages answered 304 Not Modified (revalidated from the HTTP cache).';
COMMENT ON COLUMN run.errors IS 'Harvest issues recorded (see harvest_issue).';
COMMENT ON COLUMN run.items IS 'Items the spider landed.';
COMMENT ON COLUMN run.programmes IS 'Programme records the harvest produced.';
COMMENT ON COLUMN run.course_units IS 'Number of course units.';
COMMENT ON COLUMN run.status IS 'harvested, harvest_failed, blocked or kept.';
COMMENT ON COLUMN run.published IS 'True when this run''s harvest of the source is what the warehouse now holds.';
COMMENT ON COLUMN run.reason IS 'Why it was published or not, in plain words.';
COMMENT ON COLUMN run.published_run_id IS 'The run whose rows the warehouse holds for this source after this run.';
COMMENT ON COLUMN run.skipped_by_policy IS 'Detail pages the revisit policy did not request (not due; their last good data replayed from the parse memo).';
COMMENT ON COLUMN run.bytes_received IS 'Body bytes the source''s sites sent in this harvest.';
COMMENT ON COLUMN run.polite_seconds IS 'How long this harvest would take live at each site''s polite rate (requests x robots.txt Crawl-delay, else the AutoThrottle start delay), summed over the source''s sites.';

CREATE TABLE programme_history (
    registry_id VARCHAR NOT NULL,
    academic_year INTEGER NOT NULL,
    institution_id VARCHAR NOT NULL,
    record_hash VARCHAR NOT NULL,
    title VARCHAR,
    credits_ects DOUBLE,
    semester VARCHAR,
    languages VARCHAR[],
    url VARCHAR,
    change VARCHAR NOT NULL,
    changed_fields VARCHAR[],
    valid_from_run VARCHAR NOT NULL,
    valid_from TIMESTAMPTZ NOT NULL,
    valid_to_run VARCHAR,
    valid_to TIMESTAMPTZ,
    is_current BOOLEAN NOT NULL
);
COMMENT ON TABLE programme_history IS 'Slowly changing history (SCD type 2) of programmes: one row per version, valid from the run that saw it until the run that changed or withdrew it. Withdrawn programmes are closed, never deleted.';
COMMENT ON COLUMN programme_history.registry_id IS 'Stable identifier across runs: ''{institution}:{the institution''s own code or slug}''.';
COMMENT ON COLUMN programme_history.academic_year IS 'Academic year as its start year: 2024 means 2024-2025.';
COMMENT ON COLUMN programme_history.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN programme_history.record_hash IS 'Hash of the tracked fields; a new version starts when it changes.';
COMMENT ON COLUMN programme_history.title IS 'Title as published.';
COMMENT ON COLUMN programme_history.credits_ects IS 'Credits in ECTS (EC in the Netherlands), a number; null when not published, not readable, or published as a range (reason ''range'': see credits_min and credits_max).';
COMMENT ON COLUMN programme_history.semester IS 'When it is taught: S1, S2, YEAR, SUMMER or WINTER.';
COMMENT ON COLUMN programme_history.languages IS 'Languages of instruction as ISO 639-1 codes, lower case, in the order written.';
COMMENT ON COLUMN programme_history.url IS 'The record''s public page.';
COMMENT ON COLUMN programme_history.change IS 'added, changed or withdrawn.';
COMMENT ON COLUMN programme_history.changed_fields IS 'For a change: the fields whose value differs from the previous version.';
COMMENT ON COLUMN programme_history.valid_from_run IS 'The run that first saw this version.';
COMMENT ON COLUMN programme_history.valid_from IS 'When this version became valid (UTC).';
COMMENT ON COLUMN programme_history.valid_to_run IS 'The run that replaced or withdrew it (null while current).';
COMMENT ON COLUMN programme_history.valid_to IS 'When it stopped being valid (null while current).';
COMMENT ON COLUMN programme_history.is_current IS 'True for the latest version of each programme and year.';

CREATE TABLE raw_programme (
    institution_id VARCHAR,
    run_id VARCHAR,
    record JSON
);
COMMENT ON TABLE raw_programme IS 'Programme items exactly as the spider landed them (strings as on the page), with provenance: the raw layer every normalised value can be traced back to.';
COMMENT ON COLUMN raw_programme.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN raw_programme.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';
COMMENT ON COLUMN raw_programme.record IS 'The item as landed, as JSON (strings as on the page, with provenance).';

CREATE TABLE raw_programme_course (
    institution_id VARCHAR,
    run_id VARCHAR,
    record JSON
);
COMMENT ON TABLE raw_programme_course IS 'Programme-to-course rows exactly as the spider landed them, with provenance.';
COMMENT ON COLUMN raw_programme_course.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN raw_programme_course.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';
COMMENT ON COLUMN raw_programme_course.record IS 'The row as landed, as JSON (with provenance).';

CREATE TABLE raw_course_unit (
    institution_id VARCHAR,
    run_id VARCHAR,
    record JSON
);
COMMENT ON TABLE raw_course_unit IS 'Course-unit items exactly as the spider landed them, with provenance.';
COMMENT ON COLUMN raw_course_unit.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN raw_course_unit.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';
COMMENT ON COLUMN raw_course_unit.record IS 'The item as landed, as JSON (with provenance).';

CREATE TABLE harvest_issue (
    institution_id VARCHAR,
    run_id VARCHAR,
    page_kind VARCHAR,
    reason VARCHAR,
    detail VARCHAR,
    source_url VARCHAR,
    http_status INTEGER,
    fetched_at TIMESTAMPTZ
);
COMMENT ON TABLE harvest_issue IS 'Every page the harvest could not use, and why (HTTP error, broken page, layout change): nothing is dropped silently.';
COMMENT ON COLUMN harvest_issue.institution_id IS 'The institution: ugent, uantwerpen or rug.';
COMMENT ON COLUMN harvest_issue.run_id IS 'The refresh run (UTC timestamp and a random suffix; run ids sort in time order).';
COMMENT ON COLUMN harvest_issue.page_kind IS 'What kind of page it was (listing, programme, course sheet, API...).';
COMMENT ON COLUMN harvest_issue.reason IS 'Why the page could not be used (http_500, timeout, layout_changed...).';
COMMENT ON COLUMN harvest_issue.detail IS 'More detail on the reason, when there is any.';
COMMENT ON COLUMN harvest_issue.source_url IS 'The public URL that failed.';
COMMENT ON COLUMN harvest_issue.http_status IS 'HTTP status of the page when it was fetched (200, or 304 when revalidated from the cache).';
COMMENT ON COLUMN harvest_issue.fetched_at IS 'When the page was fetched (UTC).';
