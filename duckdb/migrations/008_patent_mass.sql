-- patent_tags gains mass, the sum of the weights of all of a patent's tags in its
-- system, so that a patent's share in a sector is one read of the sector's tags'
-- rows (sum(weight) / mass) instead of a second read of all the patent's tags; and
-- its rows are kept in order of system and tag, so that zone maps skip the blocks of
-- other tags. The table is rebuilt to keep the fact tables' column order (the
-- cipmap.FactTables columns, then dataset and source).
CREATE TABLE patent_tags_mass (
    patent_id VARCHAR NOT NULL,
    year INTEGER,
    system VARCHAR NOT NULL,
    tag VARCHAR NOT NULL,
    weight DOUBLE NOT NULL,
    method VARCHAR,
    evidence VARCHAR,
    mass DOUBLE,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);
INSERT INTO patent_tags_mass
    SELECT patent_id, year, system, tag, weight, method, evidence,
        sum(weight) OVER (PARTITION BY dataset, patent_id, system), dataset, source
    FROM patent_tags ORDER BY system, tag;
DROP TABLE patent_tags;
ALTER TABLE patent_tags_mass RENAME TO patent_tags;
