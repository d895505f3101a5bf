package cipmap

import (
	"context"
	"time"
)

// Store keeps statements, fact tables and datasets. The duckdb package implements it
// on an embedded file, the postgres package on a server; both pass the same
// conformance suite (storetest).
type Store interface {
	// Load writes a new version of ds in one transaction: fill writes the version's
	// facts through w; then the dataset's previous facts are replaced by them, keeping
	// the first-seen date of every statement that was already there. fill may set
	// ds.Rows and ds.Rejects; Load sets the other counts and IngestedAt. If the stored
	// version of ds.Name equals ds.Version, Load writes nothing, does not call fill
	// and returns a result with Unchanged set. If fill or the commit fails, the store
	// is left as it was.
	Load(ctx context.Context, ds *Dataset, fill func(w Writer) error) (*LoadResult, error)

	// Dataset returns the stored dataset named name, or an ENOTFOUND error.
	Dataset(ctx context.Context, name string) (*Dataset, error)
	// Datasets returns every stored dataset, sorted by name.
	Datasets(ctx context.Context) ([]Dataset, error)
	// DeleteDataset removes a dataset and all its facts.
	DeleteDataset(ctx context.Context, name string) error

	// Entity returns the entity with its statements, or an ENOTFOUND error.
	Entity(ctx context.Context, id string) (*Entity, error)
	// Search finds entities whose names contain the query text.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
	// Statements calls fn for each statement matching f, ordered by entity id.
	Statements(ctx context.Context, f StatementFilter, fn func(*Statement) error) error
	// Query runs one read-only SQL query. A statement that would write is refused
	// with an EREADONLY error.
	Query(ctx context.Context, sql string, args ...any) (*Table, error)
	// Stats counts what the store holds.
	Stats(ctx context.Context) (*Stats, error)

	Close() error
}

// Writer takes the facts of one dataset version during Store.Load.
type Writer interface {
	Statement(s *Statement) error
	Financial(f *Financial) error
	TradeFlow(t *TradeFlow) error
	Tag(t *TagFact) error
	// CrosswalkEdge writes one edge of a crosswalk; its Source is the record it came
	// from.
	CrosswalkEdge(e *CrosswalkEdge) error
	Cluster(c *ClusterMember) error
	Judgement(j *Judgement) error
	Patent(p *Patent) error
	PatentTag(t *PatentTag) error
}

// LoadResult reports what Store.Load did.
type LoadResult struct {
	Dataset   Dataset
	Unchanged bool
	// Previous is the version that was replaced, "" if the dataset is new.
	Previous string
	// Added and Removed count statements new in this version and gone from the last.
	Added   int64
	Removed int64
}

// SearchQuery asks for entities by name.
type SearchQuery struct {
	Text    string
	Schemas []string // only these schemas, if any
	Limit   int
}

// SearchHit is one entity found by Search, with the value that matched.
type SearchHit struct {
	EntityID string  `json:"id"`
	Schema   string  `json:"schema"`
	Caption  string  `json:"caption"`
	Property string  `json:"property"`
	Value    string  `json:"value"`
	Score    float64 `json:"score"`
	Datasets string  `json:"datasets"`
}

// StatementFilter narrows Store.Statements; zero fields match everything.
type StatementFilter struct {
	Dataset  string
	EntityID string
	// EntityIDs, if any, are the entities whose statements to read: a page's
	// relations or an ownership neighbourhood. A store finds a few by its key or
	// index rather than by a scan.
	EntityIDs  []string
	Schemas    []string
	Properties []string // only these properties, if any
	// Unordered lets the store return statements in any order, for a caller that
	// groups them itself: on millions of statements it spares the store a sort
	// that costs it as much memory again.
	Unordered bool
	// Grouped lets the store return the entities in any order, each entity's
	// statements together (in no set order), for a caller that takes one entity at
	// a time: DuckDB then sorts parts of about a million statements instead of
	// the whole result. It overrides Unordered.
	Grouped bool
}

// Table is the result of a query: column names and rows of values.
type Table struct {
	Columns []string
	Rows    [][]any
}

// LookupQuery asks for what a store knows of some entities apart from their
// statements: the rows of a lookup table whose end_id is one of IDs. The by_id
// table (internal/sqlview.ByIDColumns) holds the entities' node rows and the edges
// from them and to them; facts_by_id (FactsByIDColumns) the patents they applied
// for, a patent's tags and an entity's own tags.
type LookupQuery struct {
	// Table is by_id (when empty) or facts_by_id.
	Table string
	IDs   []string
	// Sides picks the rows, all when empty. In by_id: "node", "from" (edges from
	// the ids), "to" (edges to them). In facts_by_id: "applicant" (the patents the
	// ids applied for), "patent" (the tags of the patents of the ids), "entity"
	// (the tags of the ids).
	Sides []string
	// Columns are the table's columns returned, in order; all when empty.
	Columns []string
}

// A Looker answers a LookupQuery faster than a query of the table would:
// DuckDB reads the few blocks of rows that hold each id's key. Stores that are not
// Lookers are asked with a query (internal/sqlview.Lookup).
type Looker interface {
	Lookup(ctx context.Context, q LookupQuery) (*Table, error)
}

// Caption is what a page shows of an entity it links to: its schema, caption and
// English name, each the least over the entity's datasets (as the node rows of the
// by_id lookup table give them).
type Caption struct {
	Schema, Caption, NameEn string
}

// A Captioner names entities from memory (a server's search index), without a
// query: Captions returns the Caption of each of ids it holds and leaves the others
// out (relations, entities without a name, or every id when it holds none).
type Captioner interface {
	Captions(ids []string) map[string]Caption
}

// A RowStreamer runs a read-only query as Store.Query does, but hands each row to
// fn as it is read instead of keeping the table: a query of millions of rows (the
// whole ownership graph) would otherwise hold them all at once. fn may not keep
// row, which the next row reuses. Stores that are not RowStreamers are asked with
// Query (internal/sqlview.QueryEach).
type RowStreamer interface {
	QueryEach(ctx context.Context, query string, args []any, fn func(row []any) error) error
}

// Stats counts the contents of a store.
type Stats struct {
	Datasets   int64            `json:"datasets"`
	Entities   int64            `json:"entities"`
	Statements int64            `json:"statements"`
	BySchema   map[string]int64 `json:"by_schema"`
	Facts      map[string]int64 `json:"facts"`
}

// Clock returns the current time; stores and ingest take one so tests are
// deterministic.
type Clock func() time.Time
