-- Two more typed fact tables: the clusters of firm records that cipmap resolve makes
-- (each record, the canonical firm it belongs to and the link that put it there) and
-- reviewers' judgements on pairs of records (written by cipmap review, and as the
-- pending review queue by cipmap resolve). As tags and crosswalk_edges, their columns
-- are those of cipmap.FactTables, then dataset and source, and they are queried by
-- name: the table names are the stable interface.
--
-- Like the other tables they have no indexes: DuckDB keeps min/max zone maps per row
-- group, and an index would slow every bulk load and dataset replacement.

-- One row per firm record: cluster_id is the canonical firm's id, stable across
-- runs; linked_to is the record it was linked to (NULL for a cluster's first), with
-- the probability of that link, how it was made and each comparison's weight.
CREATE TABLE clusters (
    entity_id VARCHAR NOT NULL,
    cluster_id VARCHAR NOT NULL,
    linked_to VARCHAR,
    probability DOUBLE NOT NULL,
    method VARCHAR,
    explanation VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);

-- One row per decision on a pair of records (left_id < right_id): "same",
-- "different", "unsure", or "pending" in the review queue. decided_at is RFC 3339
-- text, as the writer gives it.
CREATE TABLE judgements (
    left_id VARCHAR NOT NULL,
    right_id VARCHAR NOT NULL,
    decision VARCHAR NOT NULL,
    reviewer VARCHAR,
    decided_at VARCHAR,
    note VARCHAR,
    dataset VARCHAR NOT NULL,
    source VARCHAR
);
