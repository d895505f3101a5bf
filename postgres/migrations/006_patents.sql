-- Patents as two typed fact tables, as in the DuckDB store
-- (duckdb/migrations/006_patents.sql): patent_facts, one row per patent and
-- applicant, and patent_tags, one row per patent and technology tag (weights from
-- the IPC → CTT crosswalk, summing to at most 1 per patent).
--
-- Distribution (Citus): both tables by patent_id, colocated, so that a patent's
-- applicants and tags live on one node:
--
--   SELECT create_distributed_table('patent_facts', 'patent_id');
--   SELECT create_distributed_table('patent_tags', 'patent_id', colocate_with => 'patent_facts');
CREATE TABLE patent_facts (
    patent_id text COLLATE "C" NOT NULL,
    applicant_id text COLLATE "C",
    applicant_name text COLLATE "C",
    applicants integer NOT NULL,
    office text COLLATE "C",
    kind text COLLATE "C",
    application_number text COLLATE "C",
    title text COLLATE "C",
    ipc text COLLATE "C",
    ipc_main text COLLATE "C",
    year integer,
    application_date text COLLATE "C",
    publication_date text COLLATE "C",
    grant_date text COLLATE "C",
    status text COLLATE "C",
    region text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX patent_facts_dataset ON patent_facts (dataset);
CREATE INDEX patent_facts_patent_id ON patent_facts (patent_id);

CREATE TABLE patent_tags (
    patent_id text COLLATE "C" NOT NULL,
    year integer,
    system text COLLATE "C" NOT NULL,
    tag text COLLATE "C" NOT NULL,
    weight double precision NOT NULL,
    method text COLLATE "C",
    evidence text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX patent_tags_dataset ON patent_tags (dataset);
CREATE INDEX patent_tags_tag ON patent_tags (tag);
