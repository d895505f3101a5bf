-- statement gains ekey, DuckDB's hash of entity_id, and its rows are kept in order
-- of it (each load writes its rows so), so that zone maps (the smallest and largest
-- value of each block of rows) find one entity's statements in a block or two per
-- dataset: 1 ms instead of 70 ms for a firm's statements at a hundred million
-- statements. Ids cannot serve as the key themselves: DuckDB keeps 8 bytes of a
-- string for its zone maps, and ids share longer prefixes ("world-firm-"). Readers
-- filter on ekey = hash(id) AND entity_id = id; cipmap_meta 'statement_key' holds
-- hash('cipmap') as it was when the keys were computed, so that a DuckDB whose
-- hash differs recomputes them (or, read-only, reads without them).
CREATE TABLE statement_keyed (
    entity_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    property VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    original VARCHAR,
    lang VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    ekey UBIGINT NOT NULL
);
INSERT INTO statement_keyed
    SELECT entity_id, schema, property, value, original, lang, dataset, source, first_seen, last_seen, hash(entity_id)
    FROM statement ORDER BY hash(entity_id);
DROP TABLE statement;
ALTER TABLE statement_keyed RENAME TO statement;
INSERT OR REPLACE INTO cipmap_meta VALUES ('statement_key', CAST(hash('cipmap') AS VARCHAR));
