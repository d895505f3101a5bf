-- The entities that are not relations (firms, persons, funds, government bodies,
-- policies, programs...), one row per entity and dataset, with their caption and
-- the attributes that analyses read of many entities at once as columns: name,
-- English name, founding date as stated, province, region and credit code
-- (internal/sqlview.NodeRows). Trace names the entities it reached from it, and
-- sector reads where and when its firms were founded, instead of pivoting the
-- statement table. Like edges it holds nothing that the statements do not: Load
-- replaces a dataset's nodes, and Open rebuilds the table when its definition
-- changes (cipmap_meta 'nodes').
CREATE TABLE nodes (
    id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    caption VARCHAR,
    name VARCHAR,
    name_en VARCHAR,
    founded VARCHAR,
    province VARCHAR,
    region VARCHAR,
    uscc VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);
