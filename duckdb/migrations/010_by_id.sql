-- What is known of each entity apart from its statements, found by the hash of its
-- id (internal/sqlview.ByIDRows): every edge twice, under each end (side 'from'
-- and 'to'), and every node once (side 'node'), with key = hash(end_id). Kept in
-- order of key (Reorder), so that DuckDB's zone maps find one entity's rows in a
-- block or two: the edges of a firm take 2 ms instead of 110 ms at a million
-- firms. Like edges and nodes it holds nothing that the statements do not, and
-- Open fills it (cipmap_meta 'by_id').
CREATE TABLE by_id (
    key UBIGINT NOT NULL,
    end_id VARCHAR NOT NULL,
    side VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    role VARCHAR,
    target VARCHAR,
    channel VARCHAR,
    from_id VARCHAR,
    to_id VARCHAR,
    date VARCHAR,
    end_date VARCHAR,
    year INTEGER,
    amount DOUBLE,
    currency VARCHAR,
    percentage VARCHAR,
    flow BOOLEAN,
    caption VARCHAR,
    name_en VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);
