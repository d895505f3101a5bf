-- Two more typed fact tables, the same as in the DuckDB store
-- (duckdb/migrations/002_tags_crosswalks.sql), in PostgreSQL types: the technology
-- tags given to entities' property values (written by cipmap tag --dataset) and the
-- weighted edges of crosswalks between code systems (written by cipmap crosswalk
-- import and crosswalk learn). As financials and trade_flows, their columns are those
-- of cipmap.FactTables, then dataset and source, and they are queried by name.
--
-- Distribution (Citus), after this migration:
--
--   SELECT create_distributed_table('tags', 'entity_id', colocate_with => 'statement');
--   SELECT create_reference_table('crosswalk_edges');  -- small, joined to everything

-- One row per tag of a tagged value; statement_id leads back to the statement whose
-- value was tagged. value is not indexed: it may be long free text (a business
-- scope). Distribution column: entity_id.
CREATE TABLE tags (
    entity_id text COLLATE "C" NOT NULL,
    property text COLLATE "C",
    value text COLLATE "C",
    system text COLLATE "C" NOT NULL,
    tag text COLLATE "C" NOT NULL,
    weight double precision NOT NULL,
    method text COLLATE "C",
    evidence text COLLATE "C",
    confidence double precision NOT NULL,
    statement_id text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX tags_entity_id ON tags (entity_id);
CREATE INDEX tags_dataset ON tags (dataset);

-- One row per edge: weight is the share of from_code's mass that goes to to_code.
CREATE TABLE crosswalk_edges (
    from_system text COLLATE "C" NOT NULL,
    from_code text COLLATE "C" NOT NULL,
    to_system text COLLATE "C" NOT NULL,
    to_code text COLLATE "C" NOT NULL,
    weight double precision NOT NULL,
    weight_type text COLLATE "C",
    partial boolean NOT NULL,
    valid_from text COLLATE "C",
    valid_to text COLLATE "C",
    sample_size bigint NOT NULL,
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX crosswalk_edges_dataset ON crosswalk_edges (dataset);
