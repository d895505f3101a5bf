-- Two more typed fact tables: the technology tags given to entities' property values
-- (written by cipmap tag --dataset) and the weighted edges of crosswalks between code
-- systems (written by cipmap crosswalk import and crosswalk learn). As financials and
-- trade_flows, their columns are those of cipmap.FactTables, then dataset and source,
-- and they are queried by name: the table names are the stable interface.
--
-- Like the other tables they have no indexes: DuckDB keeps min/max zone maps per row
-- group, and an index would slow every bulk load and dataset replacement.

-- One row per tag of a tagged value; statement_id leads back to the statement whose
-- value was tagged.
CREATE TABLE tags (
    entity_id VARCHAR NOT NULL,
    property VARCHAR,
    value VARCHAR,
    system VARCHAR NOT NULL,
    tag VARCHAR NOT NULL,
    weight DOUBLE NOT NULL,
    method VARCHAR,
    evidence VARCHAR,
    confidence DOUBLE NOT NULL,
    statement_id VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);

-- One row per edge: weight is the share of from_code's mass that goes to to_code.
CREATE TABLE crosswalk_edges (
    from_system VARCHAR NOT NULL,
    from_code VARCHAR NOT NULL,
    to_system VARCHAR NOT NULL,
    to_code VARCHAR NOT NULL,
    weight DOUBLE NOT NULL,
    weight_type VARCHAR,
    partial BOOLEAN NOT NULL,
    valid_from VARCHAR,
    valid_to VARCHAR,
    sample_size BIGINT NOT NULL,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);
