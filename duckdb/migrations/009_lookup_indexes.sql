-- Indexes (ART) for the lookups of one entity's neighbours: a firm page's flows,
-- staff and designations, and its ownership neighbourhood (ownership.Around), read
-- edges by to_id and from_id and names from nodes by id. Without them each lookup
-- scans the table: at a million firms 150 ms for the edges of one firm, 3 ms with
-- the index. DuckDB uses an index for an equality or a short IN list of literals; a
-- join of thousands of ids still scans, which for those is faster. The statement
-- table has none: at a hundred million statements the index would take gigabytes.
CREATE INDEX IF NOT EXISTS edges_from ON edges (from_id);
CREATE INDEX IF NOT EXISTS edges_to ON edges (to_id);
CREATE INDEX IF NOT EXISTS nodes_id ON nodes (id);
-- A firm's patents and their tags, for its page.
CREATE INDEX IF NOT EXISTS patent_facts_applicant ON patent_facts (applicant_id);
CREATE INDEX IF NOT EXISTS patent_tags_patent ON patent_tags (patent_id);
