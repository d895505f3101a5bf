-- patent_tags gains mass, the sum of the weights of all of a patent's tags in its
-- system, so that a patent's share in a sector is one read of the sector's tags'
-- rows. See the DuckDB migration of the same name. The table is rebuilt to keep the
-- fact tables' column order.
CREATE TABLE patent_tags_mass (
    patent_id text COLLATE "C" NOT NULL,
    year integer,
    system text COLLATE "C" NOT NULL,
    tag text COLLATE "C" NOT NULL,
    weight double precision NOT NULL,
    method text COLLATE "C",
    evidence text COLLATE "C",
    mass double precision,
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
INSERT INTO patent_tags_mass
    SELECT patent_id, year, system, tag, weight, method, evidence,
        sum(weight) OVER (PARTITION BY dataset, patent_id, system), dataset, source
    FROM patent_tags ORDER BY system, tag;
DROP TABLE patent_tags;
ALTER TABLE patent_tags_mass RENAME TO patent_tags;
CREATE INDEX patent_tags_dataset ON patent_tags (dataset);
CREATE INDEX patent_tags_tag ON patent_tags (tag);
