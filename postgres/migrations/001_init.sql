-- The statement store on PostgreSQL: the same tables, columns and views as the DuckDB
-- store (duckdb/migrations/001_init.sql), in PostgreSQL types.
--
-- Text columns use the "C" collation, so that ORDER BY, min() and GROUP BY compare
-- bytes as DuckDB does: sort orders, captions and the schema views come out the same
-- on both stores, whatever the database's locale. Times are timestamptz and written
-- in UTC.
--
-- Distribution (Citus): the distribution column is the entity id, so that every fact
-- about one entity lives on one node. Nothing here calls Citus; on a Citus
-- coordinator an operator would run, after this migration:
--
--   SELECT create_distributed_table('statement', 'entity_id');
--   SELECT create_distributed_table('entity', 'id', colocate_with => 'statement');
--   SELECT create_distributed_table('financials', 'entity_id', colocate_with => 'statement');
--   SELECT create_distributed_table('trade_flows', 'hs6');  -- trade flows name no entity
--   SELECT create_reference_table('dataset');
--   SELECT create_reference_table('cipmap_meta');
--
-- No distributed table has a primary key or unique constraint, which Citus would
-- require to include the distribution column.

CREATE TABLE cipmap_meta (
    key text COLLATE "C" PRIMARY KEY,
    value text COLLATE "C" NOT NULL
);

CREATE TABLE dataset (
    name text COLLATE "C" PRIMARY KEY,
    title text COLLATE "C",
    version text COLLATE "C" NOT NULL,
    source text COLLATE "C",
    licence text COLLATE "C",
    files text COLLATE "C",
    ingested_at timestamptz NOT NULL,
    first_ingested_at timestamptz NOT NULL,
    rows bigint NOT NULL,
    entities bigint NOT NULL,
    statements bigint NOT NULL,
    facts bigint NOT NULL,
    rejects bigint NOT NULL
);

-- One row per fact and source record; id is the same for the same fact in every
-- version of a dataset (see cipmap.StatementID). Distribution column: entity_id.
CREATE TABLE statement (
    id text COLLATE "C" NOT NULL,
    entity_id text COLLATE "C" NOT NULL,
    schema text COLLATE "C" NOT NULL,
    property text COLLATE "C" NOT NULL,
    value text COLLATE "C" NOT NULL,
    original text COLLATE "C",
    lang text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C",
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL
);
-- value is not indexed: a btree entry cannot exceed about 2.7 kB, and values may be
-- long free text. Search scans the name properties.
CREATE INDEX statement_entity_id ON statement (entity_id);
CREATE INDEX statement_dataset ON statement (dataset);

-- One row per entity and dataset that states it. Distribution column: id (the entity
-- id).
CREATE TABLE entity (
    id text COLLATE "C" NOT NULL,
    schema text COLLATE "C" NOT NULL,
    caption text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    statements bigint NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL
);
CREATE INDEX entity_id ON entity (id);
CREATE INDEX entity_dataset ON entity (dataset);

-- Firm-year financials. Distribution column: entity_id.
CREATE TABLE financials (
    entity_id text COLLATE "C" NOT NULL,
    year integer NOT NULL,
    currency text COLLATE "C",
    revenue double precision,
    export_revenue double precision,
    loans double precision,
    subsidies double precision,
    employees bigint,
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX financials_dataset ON financials (dataset);

CREATE TABLE trade_flows (
    year integer NOT NULL,
    reporter text COLLATE "C" NOT NULL,
    partner text COLLATE "C" NOT NULL,
    hs6 text COLLATE "C" NOT NULL,
    flow text COLLATE "C",
    value double precision,
    currency text COLLATE "C",
    quantity double precision,
    quantity_unit text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX trade_flows_dataset ON trade_flows (dataset);

CREATE VIEW statements AS SELECT * FROM statement;
CREATE VIEW datasets AS SELECT * FROM dataset;
CREATE VIEW entities AS
    SELECT id, min(schema) AS schema, min(caption) AS caption,
           string_agg(DISTINCT dataset, ',' ORDER BY dataset) AS datasets, CAST(sum(statements) AS bigint) AS statements,
           min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM entity GROUP BY id;
