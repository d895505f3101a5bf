-- The fact rows that pages read of one entity, by the hash of the id they are read
-- by (internal/sqlview.FactsByIDRows): the patents an entity applied for (side
-- 'applicant'), a patent's tags ('patent') and an entity's own tags ('entity').
-- In order of key, like by_id; filled by Open (cipmap_meta 'facts_by_id').
CREATE TABLE facts_by_id (
    key UBIGINT NOT NULL,
    end_id VARCHAR NOT NULL,
    side VARCHAR NOT NULL,
    patent_id VARCHAR,
    applicants INTEGER,
    system VARCHAR,
    tag VARCHAR,
    weight DOUBLE,
    dataset VARCHAR NOT NULL
);
