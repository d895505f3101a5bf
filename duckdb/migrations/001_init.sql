-- The statement store: datasets, statements with provenance, entities, typed fact tables.
CREATE TABLE cipmap_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE dataset (
    name VARCHAR PRIMARY KEY,
    title VARCHAR,
    version VARCHAR NOT NULL,
    source VARCHAR,
    licence VARCHAR,
    files VARCHAR,
    ingested_at TIMESTAMP NOT NULL,
    first_ingested_at TIMESTAMP NOT NULL,
    rows BIGINT NOT NULL,
    entities BIGINT NOT NULL,
    statements BIGINT NOT NULL,
    facts BIGINT NOT NULL,
    rejects BIGINT NOT NULL
);

-- One row per fact and source record. A fact is (dataset, entity_id, property,
-- value); its id (cipmap.StatementID) is computed by the statements view rather than
-- stored, which saves 40 incompressible bytes a row.
CREATE TABLE statement (
    entity_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    property VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    original VARCHAR,
    lang VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL
);

-- One row per entity and dataset that states it.
CREATE TABLE entity (
    id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    caption VARCHAR,
    dataset VARCHAR NOT NULL,
    statements BIGINT NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL
);

CREATE TABLE financials (
    entity_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    currency VARCHAR,
    revenue DOUBLE,
    export_revenue DOUBLE,
    loans DOUBLE,
    subsidies DOUBLE,
    employees BIGINT,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);

CREATE TABLE trade_flows (
    year INTEGER NOT NULL,
    reporter VARCHAR NOT NULL,
    partner VARCHAR NOT NULL,
    hs6 VARCHAR NOT NULL,
    flow VARCHAR,
    value DOUBLE,
    currency VARCHAR,
    quantity DOUBLE,
    quantity_unit VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);

CREATE VIEW statements AS
    SELECT sha1(dataset || chr(31) || entity_id || chr(31) || property || chr(31) || value) AS id, *
    FROM statement;
CREATE VIEW datasets AS SELECT * FROM dataset;
CREATE VIEW entities AS
    SELECT id, min(schema) AS schema, min(caption) AS caption,
           string_agg(DISTINCT dataset, ',' ORDER BY dataset) AS datasets, CAST(sum(statements) AS BIGINT) AS statements,
           min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM entity GROUP BY id;
