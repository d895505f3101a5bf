-- The edges of every relation, derived from the statements when a dataset is loaded
-- (internal/sqlview.EdgeRows): one row per relation entity, role and pair of ends,
-- with its date, year, amount, currency and share as columns, and its dataset and
-- source record. Trace, path and sector read it instead of pivoting the statement
-- table at every step. It holds nothing that the statements do not: Load replaces
-- a dataset's edges with its statements, and Open rebuilds the whole table when the
-- definition of an edge changes (cipmap_meta 'edges').
CREATE TABLE edges (
    id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    from_id VARCHAR,
    to_id VARCHAR,
    date VARCHAR,
    end_date VARCHAR,
    year INTEGER,
    amount DOUBLE,
    currency VARCHAR,
    percentage VARCHAR,
    flow BOOLEAN NOT NULL,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);

-- Resource flows of every channel (cipmap.FlowChannels): giver, receiver, date and
-- amount as stated; the giver is NULL when the record names none (a listing on an
-- exchange that is not an entity). cipmap flows converts amounts to yuan.
CREATE VIEW flows AS
    SELECT id, schema, channel, from_id AS giver, to_id AS receiver, date, year, amount, currency, dataset, source
    FROM edges WHERE flow;
