package sqlview

import (
	"strings"

	"github.com/cipmap/cipmap"
)

// NodeColumns are the columns of the nodes table, in order.
var NodeColumns = []string{"id", "schema", "caption", "name", "name_en", "founded", "province", "region", "uscc",
	"dataset", "source"}

// nodeAttrs are the properties read into the nodes table's columns of the same name.
var nodeAttrs = []string{"name", "name_en", "founded", "province", "region", "uscc"}

// NodeRows returns a query of the nodes stated by the statements that satisfy where
// (an SQL condition on the statement and entity tables' dataset column without
// parameters, such as "dataset = 'pla'"), with the columns of NodeColumns: one row
// per entity and dataset of every schema that is not a relation (firms, persons,
// funds, government bodies, policies, programs...), with its caption from the entity
// table and, where stated, its name, English name, founding date (as stated),
// province, region and credit code; source is the first record (in order of the
// source text) that states one of them. It reads the dataset's entity rows, so it
// runs after them.
//
// The table exists because an entity's attributes otherwise have to be pivoted from
// the statement table, the largest of all, whenever trace names the firms it
// reached or sector reads where and when its firms were founded: at a million firms
// that pivot alone took longer than either command's target.
func NodeRows(schemas cipmap.Schemas, d Dialect, where string) string {
	var things []string
	for _, s := range sortedSchemas(schemas) {
		if s.Edge == nil {
			things = append(things, Literal(s.Name))
		}
	}
	if len(things) == 0 {
		return "SELECT " + strings.Repeat("NULL, ", len(NodeColumns)-1) + "NULL WHERE false"
	}
	var pivot, cols []string
	for _, p := range nodeAttrs {
		pivot = append(pivot, "min(value) FILTER (WHERE property = "+Literal(p)+") AS "+Quote(p))
		cols = append(cols, "p."+Quote(p))
	}
	in := strings.Join(things, ", ")
	return `SELECT e.id, e.schema, e.caption, ` + strings.Join(cols, ", ") + `, e.dataset, p.source
FROM (SELECT id, schema, caption, dataset FROM entity WHERE (` + where + `) AND schema IN (` + in + `)) e
LEFT JOIN (
	SELECT entity_id, dataset, min(source) AS source, ` + strings.Join(pivot, ", ") + `
	FROM statement WHERE (` + where + `) AND schema IN (` + in + `) AND property IN (` + strings.Join(quoteAll(nodeAttrs), ", ") + `)
	GROUP BY entity_id, dataset
) p ON p.entity_id = e.id AND p.dataset = e.dataset`
}

// Derived is a table that a store derives from its statements: filled for each
// dataset when it is loaded, replaced and deleted with it, and rebuilt whole when
// the store opens a database whose table was built by another definition (the hash
// of Query, kept in cipmap_meta under the table's name).
type Derived struct {
	Table string
	// Rows returns the query of the table's rows from the statements (and the
	// tables derived before it) that satisfy where.
	Rows func(schemas cipmap.Schemas, d Dialect, where string) string
	// Order is the column the rows are written in order of, so that DuckDB's
	// zone maps (the smallest and largest value of each block of rows) skip all
	// but a few blocks when the table is read for a few values of it: edges from a
	// few funds, or the names of a few firms. At a million firms that takes the
	// edges of 95 funds from 0.24 s to 0.06 s; an ART index was slower still,
	// since it fetches matching rows one at a time.
	Order string
	// PostgresView says PostgreSQL keeps the table as a view of its Rows, which
	// its B-tree indexes on the tables below answer as fast: the table exists
	// only for DuckDB, whose zone maps need the rows in order of the key.
	PostgresView bool
}

// DerivedTables are the derived tables, in the order they are built.
var DerivedTables = []Derived{
	{Table: "edges", Rows: EdgeRows, Order: "from_id"},
	{Table: "nodes", Rows: NodeRows, Order: "id"},
	{Table: "by_id", Rows: ByIDRows, Order: "key", PostgresView: true},
	{Table: "facts_by_id", Rows: FactsByIDRows, Order: "key", PostgresView: true},
}

// Query returns the query of the table's rows, in order. A load writes its
// dataset's rows without the order (Rows): inside the load's transaction, beside
// the dataset's new statements, an ordered insert ran out of DuckDB's 600 MB at a
// million firms. The store puts the whole table in order afterwards (Reorder).
func (t Derived) Query(schemas cipmap.Schemas, d Dialect, where string) string {
	return "SELECT * FROM (" + t.Rows(schemas, d, where) + ") r ORDER BY " + Quote(t.Order)
}

// Hash identifies the table's definition.
func (t Derived) Hash(schemas cipmap.Schemas, d Dialect) string {
	return shortHash(t.Query(schemas, d, "true"))
}
