-- Two more typed fact tables, the same as in the DuckDB store
-- (duckdb/migrations/003_clusters_judgements.sql), in PostgreSQL types: the clusters
-- of firm records that cipmap resolve makes and reviewers' judgements on pairs of
-- records (written by cipmap review, and as the pending review queue by cipmap
-- resolve). As tags and crosswalk_edges, their columns are those of
-- cipmap.FactTables, then dataset and source, and they are queried by name.
--
-- Distribution (Citus), after this migration:
--
--   SELECT create_distributed_table('clusters', 'entity_id', colocate_with => 'statement');
--   SELECT create_reference_table('judgements');  -- small, read whole by every resolve

-- One row per firm record: cluster_id is the canonical firm's id, stable across
-- runs; linked_to is the record it was linked to (NULL for a cluster's first), with
-- the probability of that link, how it was made and each comparison's weight.
-- explanation is not indexed: it is long free text. Distribution column: entity_id.
CREATE TABLE clusters (
    entity_id text COLLATE "C" NOT NULL,
    cluster_id text COLLATE "C" NOT NULL,
    linked_to text COLLATE "C",
    probability double precision NOT NULL,
    method text COLLATE "C",
    explanation text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX clusters_entity_id ON clusters (entity_id);
CREATE INDEX clusters_cluster_id ON clusters (cluster_id);
CREATE INDEX clusters_dataset ON clusters (dataset);

-- One row per decision on a pair of records (left_id < right_id): "same",
-- "different", "unsure", or "pending" in the review queue. decided_at is RFC 3339
-- text, as the writer gives it.
CREATE TABLE judgements (
    left_id text COLLATE "C" NOT NULL,
    right_id text COLLATE "C" NOT NULL,
    decision text COLLATE "C" NOT NULL,
    reviewer text COLLATE "C",
    decided_at text COLLATE "C",
    note text COLLATE "C",
    dataset text COLLATE "C" NOT NULL,
    source text COLLATE "C"
);
CREATE INDEX judgements_dataset ON judgements (dataset);
