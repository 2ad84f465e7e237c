-- The published warehouse: one DuckDB file. Tables and columns named in DESIGN §3 are a contract with
-- analysts, dashboards and outside checks; everything else here is added to serve them.

CREATE TABLE institution (
    institution_id            VARCHAR PRIMARY KEY,   -- ugent, uantwerpen, rug
    name                      VARCHAR NOT NULL,
    country                   VARCHAR NOT NULL,      -- ISO 3166-1 alpha-2
    region                    VARCHAR NOT NULL,      -- Flanders / Netherlands
    qualification_framework   VARCHAR NOT NULL,      -- VKS / NLQF
    hours_per_credit_min      DOUBLE NOT NULL,       -- BE 25, NL 28
    hours_per_credit_max      DOUBLE NOT NULL,       -- BE 30, NL 28
    credits_min               DOUBLE NOT NULL,       -- national micro-credential size rule
    credits_max               DOUBLE NOT NULL,
    domains                   VARCHAR[] NOT NULL,    -- the institution's own web domains
    website                   VARCHAR NOT NULL
);

CREATE TABLE programme (
    registry_id          VARCHAR NOT NULL,   -- stable across runs: '{institution}:{source code or slug}'
    institution_id       VARCHAR NOT NULL,
    source_code          VARCHAR,
    academic_year        INTEGER NOT NULL,   -- start year: 2024 = 2024-2025
    academic_year_raw    VARCHAR,
    title                VARCHAR,
    title_language       VARCHAR,
    programme_type       VARCHAR,
    url                  VARCHAR NOT NULL,
    faculty              VARCHAR,
    campus               VARCHAR,
    credits_ects         DOUBLE,             -- null for a range (credits_reason 'range')
    credits_min          DOUBLE,             -- a range's or tiers' smallest credits; = credits_ects otherwise
    credits_max          DOUBLE,             -- a range's or tiers' largest credits; = credits_ects otherwise
    credits_raw          VARCHAR,
    credits_reason       VARCHAR,
    study_hours          INTEGER,
    study_hours_raw      VARCHAR,
    study_hours_reason   VARCHAR,
    study_hours_derived  BOOLEAN,            -- true when computed from credits, not published
    study_hours_factor   DOUBLE,             -- hours per credit used when derived
    contact_hours        INTEGER,            -- part of the study hours: lectures, exercises, seminars...
    contact_hours_raw    VARCHAR,
    contact_hours_reason VARCHAR,
    semester             VARCHAR,            -- S1, S2, YEAR, SUMMER, WINTER
    semester_raw         VARCHAR,
    semester_reason      VARCHAR,
    languages            VARCHAR[],          -- ISO 639-1, in the order written
    languages_raw        VARCHAR,
    languages_reason     VARCHAR,
    delivery_mode        VARCHAR,
    delivery_mode_raw    VARCHAR,
    delivery_mode_reason VARCHAR,
    eqf_level            INTEGER,
    national_level       VARCHAR,
    level_raw            VARCHAR,
    level_reason         VARCHAR,
    fee_eur              DECIMAL(12, 2),
    fee_eur_derived      BOOLEAN,            -- true when computed: fixed part + rate x credits
    fee_fixed_eur        DECIMAL(12, 2),     -- a formula's fixed part
    fee_per_credit_eur   DECIMAL(12, 2),     -- a formula's amount per credit
    fee_tiers            STRUCT(label VARCHAR, amount_eur DECIMAL(12, 2))[],  -- fees by participant, date, sector
    fee_covers           VARCHAR,
    fee_raw              VARCHAR,
    fee_reason           VARCHAR,
    start_date           DATE,
    start_date_raw       VARCHAR,
    end_date             DATE,
    end_date_raw         VARCHAR,
    learning_outcomes    VARCHAR[],
    assessment           VARCHAR,
    participation_form   VARCHAR,
    quality_assurance    VARCHAR,
    prerequisites        VARCHAR,
    stackability         VARCHAR,
    course_unit_count    INTEGER,
    offered_credits_sum  DOUBLE,             -- sum of the offered course units' credits
    source_url           VARCHAR NOT NULL,
    fetched_at           TIMESTAMPTZ,
    last_verified_at     TIMESTAMPTZ,        -- when the site last confirmed the page (revisit policy)
    http_status          INTEGER,
    body_sha256          VARCHAR,
    spider               VARCHAR,
    spider_version       VARCHAR,
    run_id               VARCHAR NOT NULL,
    PRIMARY KEY (registry_id, academic_year)
);

CREATE TABLE course_unit (
    course_key           VARCHAR NOT NULL,   -- '{institution}:{code}:{year}'
    institution_id       VARCHAR NOT NULL,
    code                 VARCHAR NOT NULL,
    academic_year        INTEGER NOT NULL,
    academic_year_raw    VARCHAR,
    name                 VARCHAR,
    credits_ects         DOUBLE,
    credits_min          DOUBLE,
    credits_max          DOUBLE,
    credits_raw          VARCHAR,
    credits_reason       VARCHAR,
    study_hours          INTEGER,
    study_hours_raw      VARCHAR,
    study_hours_reason   VARCHAR,
    contact_hours        INTEGER,
    contact_hours_raw    VARCHAR,
    contact_hours_reason VARCHAR,
    semester             VARCHAR,
    semester_raw         VARCHAR,
    semester_reason      VARCHAR,
    semester_offering    VARCHAR,            -- UGent study guide: the offering letter (A1 -> A)
    languages            VARCHAR[],
    languages_raw        VARCHAR,
    languages_reason     VARCHAR,
    lecturers            VARCHAR[],
    learning_outcomes    VARCHAR[],
    assessment           VARCHAR,
    url                  VARCHAR NOT NULL,
    fetched_at           TIMESTAMPTZ,
    last_verified_at     TIMESTAMPTZ,        -- when the site last confirmed the page (revisit policy)
    http_status          INTEGER,
    body_sha256          VARCHAR,
    spider               VARCHAR,
    spider_version       VARCHAR,
    run_id               VARCHAR NOT NULL,
    PRIMARY KEY (institution_id, code, academic_year)
);

CREATE TABLE programme_course (
    registry_id          VARCHAR NOT NULL,
    institution_id       VARCHAR NOT NULL,
    course_code          VARCHAR NOT NULL,
    academic_year        INTEGER NOT NULL,
    offered              BOOLEAN NOT NULL,   -- false for UGent tr.nietaangeboden rows
    position             INTEGER,
    course_name          VARCHAR,
    credits_ects         DOUBLE,             -- as printed in the programme's table
    credits_raw          VARCHAR,
    semester             VARCHAR,
    semester_raw         VARCHAR,
    semester_reason      VARCHAR,
    semester_offering    VARCHAR,
    languages            VARCHAR[],
    languages_raw        VARCHAR,
    source_url           VARCHAR NOT NULL,
    run_id               VARCHAR NOT NULL,
    PRIMARY KEY (registry_id, course_code, academic_year)
);

CREATE TABLE flag (
    run_id          VARCHAR NOT NULL,
    rule_id         VARCHAR NOT NULL,
    severity        VARCHAR NOT NULL,        -- error / warning / info
    institution_id  VARCHAR,
    record_key      VARCHAR NOT NULL,        -- a registry_id (programme) or course key
    academic_year   INTEGER,
    field           VARCHAR,
    value           VARCHAR,
    message         VARCHAR NOT NULL,        -- the explanation in plain words
    url             VARCHAR
);

CREATE TABLE rule (
    rule_id         VARCHAR PRIMARY KEY,
    severity        VARCHAR NOT NULL,
    blocking        BOOLEAN NOT NULL,
    title           VARCHAR NOT NULL,
    standard        VARCHAR NOT NULL,
    citation        VARCHAR NOT NULL,
    applies_to      VARCHAR[] NOT NULL,
    record          VARCHAR NOT NULL,        -- what it is checked on: programme, course_unit, harvest
    explanation     VARCHAR NOT NULL
);

CREATE TABLE run (
    run_id            VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    started_at        TIMESTAMPTZ,
    ended_at          TIMESTAMPTZ,
    live              BOOLEAN,
    pages_fetched     INTEGER,
    not_modified      INTEGER,                -- 304 answers
    errors            INTEGER,                -- harvest issues recorded
    items             INTEGER,
    programmes        INTEGER,
    course_units      INTEGER,
    status            VARCHAR NOT NULL,       -- harvested / harvest_failed / blocked / kept
    published         BOOLEAN NOT NULL,
    reason            VARCHAR,                -- why published or not, in plain words
    published_run_id  VARCHAR,                -- run whose rows are in this warehouse for the source
    skipped_by_policy INTEGER,                -- detail pages the revisit policy did not request tonight
    bytes_received    BIGINT,                 -- body bytes the sites sent
    polite_seconds    DOUBLE,                 -- how long the night would take live at each site's polite rate
    PRIMARY KEY (run_id, source)
);

CREATE TABLE programme_history (
    registry_id        VARCHAR NOT NULL,
    academic_year      INTEGER NOT NULL,
    institution_id     VARCHAR NOT NULL,
    record_hash        VARCHAR NOT NULL,      -- hash of the normalised fields below
    title              VARCHAR,
    credits_ects       DOUBLE,
    semester           VARCHAR,
    languages          VARCHAR[],
    url                VARCHAR,
    change             VARCHAR NOT NULL,      -- added / changed / withdrawn
    changed_fields     VARCHAR[],
    valid_from_run     VARCHAR NOT NULL,
    valid_from         TIMESTAMPTZ NOT NULL,
    valid_to_run       VARCHAR,
    valid_to           TIMESTAMPTZ,           -- null while current
    is_current         BOOLEAN NOT NULL
);

-- Raw rows exactly as landed, beside the normalised tables (provenance on every row).
CREATE TABLE raw_programme (institution_id VARCHAR, run_id VARCHAR, record JSON);
CREATE TABLE raw_programme_course (institution_id VARCHAR, run_id VARCHAR, record JSON);
CREATE TABLE raw_course_unit (institution_id VARCHAR, run_id VARCHAR, record JSON);
CREATE TABLE harvest_issue (
    institution_id VARCHAR, run_id VARCHAR, page_kind VARCHAR, reason VARCHAR, detail VARCHAR,
    source_url VARCHAR, http_status INTEGER, fetched_at TIMESTAMPTZ
);
