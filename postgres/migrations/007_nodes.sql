-- The entities that are not relations, one row per entity and dataset, with their
-- caption and the attributes analyses read of many entities at once as columns
-- (internal/sqlview.NodeRows). See the DuckDB migration of the same name.
CREATE TABLE nodes (
    id text COLLATE "C" NOT NULL,
    schema text COLLATE "C" NOT NULL,
    caption text COLLATE "C",
    name text COLLATE "C",
    name_en text COLLATE "C",
    founded text COLLATE "C",
    province text COLLATE "C",
    region text COLLATE "C",
    uscc text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);

CREATE INDEX nodes_id ON nodes (id);
CREATE INDEX nodes_dataset ON nodes (dataset);
