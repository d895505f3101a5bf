-- Patents as two typed fact tables, so that millions of them load and aggregate as
-- columns rather than as Patent entities with a dozen statements each (the Patent
-- schema and its `patents` view remain for small, richly described sets).
--
-- patent_facts: one row per patent and applicant, written by mapping files
-- (`facts: - table: patent_facts`). applicants is the number of applicants of the
-- patent, so that a count by firm gives each 1/applicants. Dates are ISO 8601 text as
-- given (possibly only a year); year is the application year.
--
-- patent_tags: one row per patent and technology tag, written by cipmap patents tag
-- from the IPC codes through the IPC → CTT crosswalk; a patent's weights sum to at
-- most 1, so patents count fractionally. year is repeated from patent_facts so that
-- counts by tag and year need no join.
--
-- As the other fact tables: columns of cipmap.FactTables, then dataset and source; no
-- indexes (DuckDB's zone maps suffice and indexes slow bulk loads).
CREATE TABLE patent_facts (
    patent_id VARCHAR NOT NULL,
    applicant_id VARCHAR,
    applicant_name VARCHAR,
    applicants INTEGER NOT NULL,
    office VARCHAR,
    kind VARCHAR,
    application_number VARCHAR,
    title VARCHAR,
    ipc VARCHAR,
    ipc_main VARCHAR,
    year INTEGER,
    application_date VARCHAR,
    publication_date VARCHAR,
    grant_date VARCHAR,
    status VARCHAR,
    region VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);

CREATE TABLE patent_tags (
    patent_id VARCHAR NOT NULL,
    year INTEGER,
    system VARCHAR NOT NULL,
    tag VARCHAR NOT NULL,
    weight DOUBLE NOT NULL,
    method VARCHAR,
    evidence VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);
