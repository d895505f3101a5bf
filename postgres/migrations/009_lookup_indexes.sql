-- Indexes for the lookup views (internal/sqlview.ByIDRows and FactsByIDRows, which
-- PostgreSQL keeps as views: by_id and facts_by_id): the patents of an applicant
-- and the tags of a patent, read by the pages of firms. The ends of edges, the ids
-- of nodes and the entities of tags have theirs already.
CREATE INDEX patent_facts_applicant_id ON patent_facts (applicant_id);
CREATE INDEX patent_tags_patent_id ON patent_tags (patent_id);
