package sqlview

import (
	"context"
	"slices"
	"strings"

	"github.com/cipmap/cipmap"
)

// ByIDColumns are the columns of the by_id table, in order: the key and the id it
// is the hash of, the side (from, to or node), then the columns of the edge or the
// node (of a node, only what pages read of many at once: caption and English
// name, so that a load copies little), NULL where the row is of the other kind.
var ByIDColumns = []string{"key", "end_id", "side", "id", "schema", "role", "target", "channel", "from_id", "to_id",
	"date", "end_date", "year", "amount", "currency", "percentage", "flow", "caption", "name_en", "dataset", "source"}

// ByIDRows returns the query of the by_id table: every edge twice, once under
// each end (side 'from' with end_id = from_id, side 'to' with end_id = to_id), and
// every node once (side 'node'), each with key = the store's hash of end_id. Kept
// in order of key, it lets DuckDB find all that is known of one entity apart from
// its statements (its node rows, the edges from it and those to it) by reading a
// block or two, where edges and nodes, which are in order of other columns, take
// a scan: 2 ms instead of 110 ms for a firm's edges at a million firms. The key
// is needed because DuckDB's zone maps keep 8 bytes of a string, and ids share
// longer prefixes ("world-firm-"). An ART index on the ids found them as fast but
// is held in memory, and at a million firms outgrew the 600 MB a load may use.
func ByIDRows(_ cipmap.Schemas, d Dialect, where string) string {
	edge := func(side, end string) string {
		return "SELECT " + d.Hash(end) + " AS key, " + end + " AS end_id, '" + side + "' AS side, " +
			"id, schema, role, target, channel, from_id, to_id, date, end_date, year, amount, currency, percentage, flow, " +
			"CAST(NULL AS " + d.Text + ") AS caption, CAST(NULL AS " + d.Text + ") AS name_en, " +
			"dataset, source FROM edges WHERE (" + where + ") AND " + end + " IS NOT NULL"
	}
	return edge("from", "from_id") + "\nUNION ALL " + edge("to", "to_id") + `
UNION ALL SELECT ` + d.Hash("id") + `, id, 'node', id, schema,
	NULL, NULL, NULL, NULL, NULL, -- role, target, channel, from_id, to_id
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, -- date, end_date, year, amount, currency, percentage, flow
	caption, name_en, dataset, source FROM nodes WHERE (` + where + `)`
}

// FactsByIDColumns are the columns of the facts_by_id table, in order.
var FactsByIDColumns = []string{"key", "end_id", "side", "patent_id", "applicants", "system", "tag", "weight", "dataset"}

// FactsByIDRows returns the query of the facts_by_id table: the fact rows that
// pages read of one entity, each under the id it is read by, with key = the
// store's hash of end_id, as by_id does for edges and nodes: side 'applicant' for
// the patents an entity applied for (patent_facts, with their numbers of
// applicants), 'patent' for a patent's technology tags (patent_tags), and 'entity'
// for an entity's own tags (tags). A firm's patents and their tags are then two
// reads of a few blocks each instead of scans of millions of rows (about 0.5 s
// each at five million patents).
func FactsByIDRows(_ cipmap.Schemas, d Dialect, where string) string {
	return `SELECT ` + d.Hash("applicant_id") + ` AS key, applicant_id AS end_id, 'applicant' AS side, patent_id, applicants,
	CAST(NULL AS ` + d.Text + `) AS system, CAST(NULL AS ` + d.Text + `) AS tag, CAST(NULL AS ` + d.Double + `) AS weight, dataset
FROM patent_facts WHERE (` + where + `) AND applicant_id IS NOT NULL
UNION ALL SELECT ` + d.Hash("patent_id") + `, patent_id, 'patent', patent_id, NULL, system, tag, weight, dataset
FROM patent_tags WHERE (` + where + `)
UNION ALL SELECT ` + d.Hash("entity_id") + `, entity_id, 'entity', NULL, NULL, system, tag, weight, dataset
FROM tags WHERE (` + where + `)`
}

// lookupTables are the tables a LookupQuery may read, with their columns and sides.
var lookupTables = map[string]struct{ columns, sides []string }{
	"by_id":       {ByIDColumns, []string{"node", "from", "to"}},
	"facts_by_id": {FactsByIDColumns, []string{"applicant", "patent", "entity"}},
}

// LookupTable returns the table q reads: by_id unless it names another.
func LookupTable(q cipmap.LookupQuery) string {
	if q.Table == "" {
		return "by_id"
	}
	return q.Table
}

// Lookup answers q from st: by the store's own Lookup when it has one, otherwise
// by a query of the table (a view in PostgreSQL, whose indexes on the tables below
// find the rows).
func Lookup(ctx context.Context, st cipmap.Store, q cipmap.LookupQuery) (*cipmap.Table, error) {
	if l, ok := st.(cipmap.Looker); ok {
		return l.Lookup(ctx, q)
	}
	query, args, err := LookupQuery(q, LookupTable(q), 1000)
	if err != nil {
		return nil, err
	}
	return st.Query(ctx, query, args...)
}

// QueryEach runs query on st and calls fn with each row: as it is read when st is a
// RowStreamer, else from the table Query returns.
func QueryEach(ctx context.Context, st cipmap.Store, query string, args []any, fn func(row []any) error) error {
	if r, ok := st.(cipmap.RowStreamer); ok {
		return r.QueryEach(ctx, query, args, fn)
	}
	t, err := st.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	for _, row := range t.Rows {
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// LookupQuery returns the query of q's rows from table (q's table, or a subquery of
// its rows), with ids as literals up to maxLiterals of them and as one parameter
// ($1) beyond.
func LookupQuery(q cipmap.LookupQuery, table string, maxLiterals int) (string, []any, error) {
	cols, err := LookupColumns(q)
	if err != nil {
		return "", nil, err
	}
	set, args := IDSet(q.IDs, maxLiterals)
	where := "end_id IN " + set
	if len(q.Sides) > 0 {
		where += " AND side IN (" + strings.Join(quoteAll(q.Sides), ", ") + ")"
	}
	return "SELECT " + cols + " FROM " + table + " WHERE " + where, args, nil
}

// LookupColumns returns q's columns as a select list. It refuses a table, side or
// column that is not one of lookupTables'.
func LookupColumns(q cipmap.LookupQuery) (string, error) {
	t, ok := lookupTables[LookupTable(q)]
	if !ok {
		return "", cipmap.Errorf(cipmap.EINVALID, "lookup: no table %q; there are by_id and facts_by_id", q.Table)
	}
	for _, s := range q.Sides {
		if !slices.Contains(t.sides, s) {
			return "", cipmap.Errorf(cipmap.EINVALID, "lookup: side %q is not one of %s", s, strings.Join(t.sides, ", "))
		}
	}
	cols := q.Columns
	if len(cols) == 0 {
		cols = t.columns
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		if !slices.Contains(t.columns, c) {
			return "", cipmap.Errorf(cipmap.EINVALID, "lookup: %s has no column %q; it has %s", LookupTable(q), c, strings.Join(t.columns, ", "))
		}
		out[i] = Quote(c)
	}
	return strings.Join(out, ", "), nil
}

// LookupNames returns the names of q's columns.
func LookupNames(q cipmap.LookupQuery) []string {
	if len(q.Columns) > 0 {
		return slices.Clone(q.Columns)
	}
	return slices.Clone(lookupTables[LookupTable(q)].columns)
}
