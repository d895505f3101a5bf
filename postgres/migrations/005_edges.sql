-- The edges of every relation, derived from the statements when a dataset is loaded
-- (internal/sqlview.EdgeRows): one row per relation entity, role and pair of ends,
-- with its date, year, amount, currency and share as columns, and its dataset and
-- source record. Trace, path and sector read it instead of pivoting the statement
-- table at every step. It holds nothing that the statements do not: Load replaces
-- a dataset's edges with its statements, and Open rebuilds the whole table when the
-- definition of an edge changes (cipmap_meta 'edges').
CREATE TABLE edges (
    id text COLLATE "C" NOT NULL,
    schema text COLLATE "C" NOT NULL,
    role text COLLATE "C" NOT NULL,
    target text COLLATE "C" NOT NULL,
    channel text COLLATE "C" NOT NULL,
    from_id text COLLATE "C",
    to_id text COLLATE "C",
    date text COLLATE "C",
    end_date text COLLATE "C",
    year integer,
    amount double precision,
    currency text COLLATE "C",
    percentage text COLLATE "C",
    flow boolean NOT NULL,
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);

-- Resource flows of every channel (cipmap.FlowChannels): giver, receiver, date and
-- amount as stated; the giver is NULL when the record names none (a listing on an
-- exchange that is not an entity). cipmap flows converts amounts to yuan.
CREATE VIEW flows AS
    SELECT id, schema, channel, from_id AS giver, to_id AS receiver, date, year, amount, currency, dataset, source
    FROM edges WHERE flow;

CREATE INDEX edges_dataset ON edges (dataset);
CREATE INDEX edges_from ON edges (from_id);
CREATE INDEX edges_to ON edges (to_id);
