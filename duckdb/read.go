package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	duck "github.com/duckdb/duckdb-go/v2"
)

const statementColumns = `sha1(dataset || chr(31) || entity_id || chr(31) || property || chr(31) || value), entity_id, schema, property, value, coalesce(original, ''), coalesce(lang, ''),
	dataset, coalesce(source, ''), first_seen, last_seen`

func scanStatement(rows *sql.Rows, s *cipmap.Statement) error {
	if err := rows.Scan(&s.ID, &s.EntityID, &s.Schema, &s.Property, &s.Value, &s.Original, &s.Lang,
		&s.Dataset, &s.Source, &s.FirstSeen, &s.LastSeen); err != nil {
		return err
	}
	s.FirstSeen = s.FirstSeen.UTC()
	s.LastSeen = s.LastSeen.UTC()
	return nil
}

// Entity returns the entity with every statement about it.
func (db *DB) Entity(ctx context.Context, id string) (*cipmap.Entity, error) {
	e := &cipmap.Entity{ID: id}
	if err := db.entityHeader(ctx, e); err != nil {
		return nil, err
	}
	err := db.Statements(ctx, cipmap.StatementFilter{EntityID: id}, func(s *cipmap.Statement) error {
		e.Statements = append(e.Statements, *s)
		return nil
	})
	cipmap.SortStatements(e.Statements)
	return e, err
}

// entityHeader reads the schema and caption of e.ID (the least of each over its
// datasets), or returns ENOTFOUND. A server's search index holds them for every
// entity with a name (a firm, not a relation): no query. The node rows of by_id
// find an entity that is not a relation by its key (the nodes table, in a file
// from before by_id); the entity table the rest (and everything in a file from
// before nodes).
func (db *DB) entityHeader(ctx context.Context, e *cipmap.Entity) error {
	if schema, caption, ok := db.indexedEntity(e.ID); ok {
		e.Schema, e.Caption = schema, caption
		return nil
	}
	var err error
	if db.lookup("by_id") && db.keyed {
		err = db.sql.QueryRowContext(ctx, "SELECT min(schema), min(caption) FROM by_id WHERE key = hash(?) AND end_id = ? AND side = 'node' HAVING count(*) > 0", e.ID, e.ID).Scan(&e.Schema, &e.Caption)
	} else {
		err = db.sql.QueryRowContext(ctx, "SELECT min(schema), min(caption) FROM nodes WHERE id = ? HAVING count(*) > 0", e.ID).Scan(&e.Schema, &e.Caption)
	}
	if err != nil {
		err = db.sql.QueryRowContext(ctx, "SELECT min(schema), min(caption) FROM entity WHERE id = ? HAVING count(*) > 0", e.ID).Scan(&e.Schema, &e.Caption)
	}
	if err == sql.ErrNoRows {
		return cipmap.Errorf(cipmap.ENOTFOUND, "no entity with id %q", e.ID)
	}
	return err
}

// Statements streams the statements matching f, ordered by entity, property, value
// and source.
func (db *DB) Statements(ctx context.Context, f cipmap.StatementFilter, fn func(*cipmap.Statement) error) error {
	if len(f.EntityIDs) > 1 { // each once, as from the copy and IN
		f.EntityIDs = slices.Compact(slices.Sorted(slices.Values(f.EntityIDs)))
	}
	if pc := db.points(); pc.answersStatements(f) {
		return pc.statements(f, fn)
	}
	if n := len(f.EntityIDs); n > lookupPart && n <= lookupKeyed && db.keyed {
		// In parts, in order of id, so the statements stay in order.
		ids := slices.Compact(slices.Sorted(slices.Values(f.EntityIDs)))
		for part := range slices.Chunk(ids, lookupPart) {
			g := f
			g.EntityIDs = part
			if err := db.Statements(ctx, g, fn); err != nil {
				return err
			}
		}
		return nil
	}
	var where []string
	var args []any
	if f.Dataset != "" {
		where = append(where, "dataset = ?")
		args = append(args, f.Dataset)
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = ?")
		args = append(args, f.EntityID)
		if db.keyed {
			where = append(where, "ekey = hash(?)")
			args = append(args, f.EntityID)
		}
	}
	from := "statement"
	var fromArgs []any
	if n := len(f.EntityIDs); n > 0 {
		// A few hundred ids each by its key, which zone maps find (an IN list
		// of keys is not pruned so: nine entities took 0.7 s); more by a join,
		// which scans.
		if n <= lookupKeyed && db.keyed {
			parts := make([]string, n)
			for i, id := range f.EntityIDs {
				parts[i] = "SELECT * FROM statement WHERE ekey = hash(?) AND entity_id = ?"
				fromArgs = append(fromArgs, id, id)
			}
			from = "(" + strings.Join(parts, " UNION ALL ") + ") statement"
		} else if joined := strings.Join(f.EntityIDs, "\x1f"); strings.Count(joined, "\x1f") == n-1 {
			where = append(where, "entity_id IN (SELECT unnest(string_to_array(?, chr(31))))")
			args = append(args, joined)
		} else { // an id holds the separator
			where = append(where, "entity_id IN ("+placeholders(n)+")")
			for _, id := range f.EntityIDs {
				args = append(args, id)
			}
		}
	}
	if len(f.Schemas) > 0 {
		where = append(where, "schema IN ("+placeholders(len(f.Schemas))+")")
		for _, s := range f.Schemas {
			args = append(args, s)
		}
	}
	if len(f.Properties) > 0 {
		where = append(where, "property IN ("+placeholders(len(f.Properties))+")")
		for _, p := range f.Properties {
			args = append(args, p)
		}
	}
	q := "SELECT " + statementColumns + " FROM " + from
	args = append(fromArgs, args...)
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	unordered := f.Unordered || f.Grouped
	if !unordered || f.EntityID != "" || len(f.EntityIDs) > 0 {
		switch {
		case !unordered:
			q += " ORDER BY entity_id, property, value, dataset, source"
		case f.Grouped:
			q += " ORDER BY entity_id"
		}
		return db.scanStatements(ctx, q, args, fn)
	}
	// Parts split the entities by hash, so a part sorted by entity gives each
	// entity's statements together.
	order := ""
	if f.Grouped {
		order = " ORDER BY entity_id"
	}
	// The driver materialises a query's whole result inside DuckDB before the
	// first row comes (over a gigabyte for the Firm statements of a million
	// records), so a big unordered read goes in parts of about a million
	// statements, the entities split by hash; a part is a scan with a filter.
	var n int64
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM ("+q+")", args...).Scan(&n); err != nil {
		return err
	}
	parts := (n + statementsPerPart - 1) / statementsPerPart
	if parts <= 1 {
		return db.scanStatements(ctx, q+order, args, fn)
	}
	if len(where) > 0 {
		q += " AND "
	} else {
		q += " WHERE "
	}
	q += "hash(entity_id) % ? = ?" + order
	for k := int64(0); k < parts; k++ {
		if err := db.scanStatements(ctx, q, append(slices.Clip(args), parts, k), fn); err != nil {
			return err
		}
	}
	return nil
}

// statementsPerPart is the size of the parts an unordered read of statements
// goes in.
var statementsPerPart int64 = 1_000_000

func (db *DB) scanStatements(ctx context.Context, q string, args []any, fn func(*cipmap.Statement) error) error {
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var s cipmap.Statement
	for rows.Next() {
		if err := scanStatement(rows, &s); err != nil {
			return err
		}
		if err := fn(&s); err != nil {
			return err
		}
	}
	return rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// nameProperties lists the properties that Search looks in: every name-typed property
// and titles.
func nameProperties(schemas cipmap.Schemas) []string {
	seen := map[string]bool{}
	for _, s := range schemas {
		for name, p := range s.Properties {
			if p.Type == cipmap.TypeName || name == "title" || name == "title_en" {
				seen[name] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Search finds entities whose names or titles contain q.Text, case-insensitively.
// Exact matches score 1, prefixes 0.8, other containment less, by how much of the
// name the text covers.
func (db *DB) Search(ctx context.Context, q cipmap.SearchQuery) ([]cipmap.SearchHit, error) {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return nil, cipmap.Errorf(cipmap.EINVALID, "search needs some text")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	if ix := db.searchIndex(); ix != nil {
		return ix.find(q, text, limit), nil
	}
	props := nameProperties(db.schemas)
	args := []any{text, text, text}
	where := "s.property IN (" + placeholders(len(props)) + ") AND contains(lower(s.value), lower(?))"
	for _, p := range props {
		args = append(args, p)
	}
	args = append(args, text)
	if len(q.Schemas) > 0 {
		where += " AND s.schema IN (" + placeholders(len(q.Schemas)) + ")"
		for _, s := range q.Schemas {
			args = append(args, s)
		}
	}
	args = append(args, limit)
	query := `WITH hits AS (
		SELECT s.entity_id, s.schema, s.property, s.value,
		  CASE WHEN lower(s.value) = lower(?) THEN 1.0
		       WHEN starts_with(lower(s.value), lower(?)) THEN 0.8
		       ELSE 0.6 * length(?) / greatest(length(s.value), 1) END AS score,
		  s.dataset
		FROM statement s WHERE ` + where + `)
	SELECT h.entity_id, min(h.schema), coalesce(min(e.caption), ''), arg_max(h.property, h.score), arg_max(h.value, h.score),
	       max(h.score), string_agg(DISTINCT h.dataset, ',' ORDER BY h.dataset)
	FROM hits h LEFT JOIN entity e ON e.id = h.entity_id
	GROUP BY h.entity_id ORDER BY max(h.score) DESC, h.entity_id LIMIT ?`
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cipmap.SearchHit
	for rows.Next() {
		var h cipmap.SearchHit
		if err := rows.Scan(&h.EntityID, &h.Schema, &h.Caption, &h.Property, &h.Value, &h.Score, &h.Datasets); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// readOnlyTypes are the statement types Query runs.
var readOnlyTypes = map[duck.StmtType]bool{
	duck.STATEMENT_TYPE_SELECT:  true,
	duck.STATEMENT_TYPE_EXPLAIN: true,
}

// Query runs one read-only SQL statement. Statements of any other type than SELECT or
// EXPLAIN are refused, and the query runs in a transaction that is always rolled back.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*cipmap.Table, error) {
	t := &cipmap.Table{}
	err := db.queryEach(ctx, query, args, func(cols []string) { t.Columns = cols }, func(row []any) error {
		t.Rows = append(t.Rows, slices.Clone(row))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// QueryEach runs one read-only SQL statement, as Query does, and calls fn with each
// row as it is read (cipmap.RowStreamer).
func (db *DB) QueryEach(ctx context.Context, query string, args []any, fn func(row []any) error) error {
	return db.queryEach(ctx, query, args, nil, fn)
}

func (db *DB) queryEach(ctx context.Context, query string, args []any, columns func([]string), fn func(row []any) error) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Refuse anything but a single reading statement before running it.
	err = conn.Raw(func(dc any) error {
		stmt, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, query)
		if err != nil {
			return cipmap.WrapError(cipmap.EINVALID, err, "query")
		}
		defer stmt.Close()
		ds, ok := stmt.(*duck.Stmt)
		if !ok {
			return cipmap.Errorf(cipmap.EINTERNAL, "unexpected statement type %T", stmt)
		}
		t, err := ds.StatementType()
		if err != nil {
			return err
		}
		if !readOnlyTypes[t] {
			return cipmap.Errorf(cipmap.EREADONLY, "only reading queries (SELECT, EXPLAIN) are allowed; this statement would change the database or its settings")
		}
		return nil
	})
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return cipmap.WrapError(cipmap.EINVALID, err, "query")
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if columns != nil {
		columns(cols)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		clear(vals)
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Stats counts datasets, entities, statements by schema and fact rows.
func (db *DB) Stats(ctx context.Context) (*cipmap.Stats, error) {
	st := &cipmap.Stats{BySchema: map[string]int64{}, Facts: map[string]int64{}}
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM dataset").Scan(&st.Datasets); err != nil {
		return nil, err
	}
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM statement").Scan(&st.Statements); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT schema, count(DISTINCT id) FROM entity GROUP BY schema")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		st.BySchema[s] = n
		st.Entities += n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A file opened read-only may predate the migration that made a fact table: it
	// holds no rows of it.
	have, err := db.tables(ctx)
	if err != nil {
		return nil, err
	}
	for t := range cipmap.FactTables {
		var n int64
		if have[t] {
			if err := db.sql.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s", sqlview.Quote(t))).Scan(&n); err != nil {
				return nil, err
			}
		}
		st.Facts[t] = n
	}
	return st, nil
}

// tables returns the names of the tables in the database file.
func (db *DB) tables(ctx context.Context) (map[string]bool, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_catalog = current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out[name] = true
	}
	return out, rows.Err()
}

// lookupKeyed is the most ids Lookup (and Statements) find one by one by their
// keys, in queries of lookupPart ids each, one union of a part per id; more are
// found by a join, which scans the table once. At a million firms one id takes
// about 0.5 ms, and a scan of by_id about 250 ms. A union of 300 parts ran out of
// DuckDB's 600 MB.
const (
	lookupKeyed = 300
	lookupPart  = 32
)

// Lookup returns the rows of a lookup table whose end_id is one of q.IDs
// (cipmap.Looker). Each id is read by its key, so that zone maps skip every block
// but the one or two that hold it.
func (db *DB) Lookup(ctx context.Context, q cipmap.LookupQuery) (*cipmap.Table, error) {
	cols, err := sqlview.LookupColumns(q)
	if err != nil {
		return nil, err
	}
	if len(q.IDs) == 0 {
		return &cipmap.Table{Columns: sqlview.LookupNames(q)}, nil
	}
	if len(q.IDs) > 1 { // each once, as from the copy and IN
		q.IDs = slices.Compact(slices.Sorted(slices.Values(q.IDs)))
	}
	if pc := db.points(); pc.answersLookup(q) {
		return pc.lookup(q), nil
	}
	name := sqlview.LookupTable(q)
	table, keyed := name, db.keyed && db.lookup(name)
	if !keyed || len(q.IDs) > lookupKeyed {
		// The rows the table holds, from the tables it is derived from: the ids
		// go down to each part of its union, whose tables are smaller (edges
		// are a third of by_id) and in order of their ids. It is the only way
		// for a file from before the table, read-only.
		for _, t := range sqlview.DerivedTables {
			if t.Table == name {
				table = "(" + t.Rows(db.schemas, sqlview.DuckDB, "true") + ")"
			}
		}
	}
	var query string
	var args []any
	if keyed && len(q.IDs) > lookupPart && len(q.IDs) <= lookupKeyed {
		var out *cipmap.Table
		for part := range slices.Chunk(q.IDs, lookupPart) {
			p := q
			p.IDs = part
			t, err := db.Lookup(ctx, p)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = t
			} else {
				out.Rows = append(out.Rows, t.Rows...)
			}
		}
		return out, nil
	}
	if keyed && len(q.IDs) <= lookupPart {
		sides := ""
		if len(q.Sides) > 0 {
			sides = " AND side IN (" + placeholders(len(q.Sides)) + ")"
		}
		parts := make([]string, len(q.IDs))
		for i, id := range q.IDs {
			parts[i] = "SELECT " + cols + " FROM " + name + " WHERE key = hash(?) AND end_id = ?" + sides
			args = append(args, id, id)
			for _, s := range q.Sides {
				args = append(args, s)
			}
		}
		query = strings.Join(parts, "\nUNION ALL ")
	} else {
		query, args, err = sqlview.LookupQuery(q, table, 0)
		if err != nil {
			return nil, err
		}
		if len(args) > 0 { // one parameter, the ids
			query = strings.ReplaceAll(query, "$1", "?")
		}
	}
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	return scanTable(rows)
}

func scanTable(rows *sql.Rows) (*cipmap.Table, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	t := &cipmap.Table{Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, vals)
	}
	return t, rows.Err()
}
