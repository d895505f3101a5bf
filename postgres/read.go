package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// querier is what the pool and a transaction have in common.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

const datasetSelect = `SELECT name, coalesce(title, ''), version, coalesce(source, ''), coalesce(licence, ''),
	coalesce(files, ''), ingested_at, rows, entities, statements, facts, rejects, coalesce(params, '') FROM dataset`

// Dataset returns the stored dataset named name.
func (db *DB) Dataset(ctx context.Context, name string) (*cipmap.Dataset, error) {
	return datasetIn(ctx, db.pool, name)
}

func datasetIn(ctx context.Context, q querier, name string) (*cipmap.Dataset, error) {
	rows, err := q.Query(ctx, datasetSelect+" WHERE name = $1", name)
	if err != nil {
		return nil, err
	}
	ds, err := scanDatasets(rows)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no dataset named %q", name)
	}
	return &ds[0], nil
}

// Datasets returns every dataset, by name.
func (db *DB) Datasets(ctx context.Context) ([]cipmap.Dataset, error) {
	rows, err := db.pool.Query(ctx, datasetSelect+" ORDER BY name")
	if err != nil {
		return nil, err
	}
	return scanDatasets(rows)
}

func scanDatasets(rows pgx.Rows) ([]cipmap.Dataset, error) {
	defer rows.Close()
	var out []cipmap.Dataset
	for rows.Next() {
		var d cipmap.Dataset
		var files string
		if err := rows.Scan(&d.Name, &d.Title, &d.Version, &d.Source, &d.Licence, &files, &d.IngestedAt,
			&d.Rows, &d.Entities, &d.Statements, &d.Facts, &d.Rejects, &d.Params); err != nil {
			return nil, err
		}
		if files != "" {
			d.Files = strings.Split(files, "\n")
		}
		d.IngestedAt = d.IngestedAt.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeleteDataset removes a dataset and its facts in one transaction.
func (db *DB) DeleteDataset(ctx context.Context, name string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := lockDatasetTx(ctx, tx, name); err != nil {
			return err
		}
		if _, err := datasetIn(ctx, tx, name); err != nil {
			return err
		}
		for _, t := range append(append([]string{"statement", "entity", "edges", "nodes"}, factTables...), "dataset") {
			col := "dataset"
			if t == "dataset" {
				col = "name"
			}
			if _, err := tx.Exec(ctx, "DELETE FROM "+t+" WHERE "+col+" = $1", name); err != nil {
				return fmt.Errorf("delete dataset %s: %w", name, err)
			}
		}
		return nil
	})
}

const statementSelect = `SELECT id, entity_id, schema, property, value, coalesce(original, ''), coalesce(lang, ''),
	dataset, coalesce(source, ''), first_seen, last_seen FROM statement`

func scanStatement(rows pgx.Rows, s *cipmap.Statement) error {
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
	err := db.pool.QueryRow(ctx, "SELECT min(schema), coalesce(min(caption), '') FROM entity WHERE id = $1 HAVING count(*) > 0", id).Scan(&e.Schema, &e.Caption)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no entity with id %q", id)
	}
	if err != nil {
		return nil, err
	}
	err = db.Statements(ctx, cipmap.StatementFilter{EntityID: id}, func(s *cipmap.Statement) error {
		e.Statements = append(e.Statements, *s)
		return nil
	})
	cipmap.SortStatements(e.Statements)
	return e, err
}

// Statements streams the statements matching f, ordered by entity, property, value,
// dataset and source. Rows come from the server as fn consumes them.
func (db *DB) Statements(ctx context.Context, f cipmap.StatementFilter, fn func(*cipmap.Statement) error) error {
	var where []string
	var args []any
	if f.Dataset != "" {
		args = append(args, f.Dataset)
		where = append(where, fmt.Sprintf("dataset = $%d", len(args)))
	}
	if f.EntityID != "" {
		args = append(args, f.EntityID)
		where = append(where, fmt.Sprintf("entity_id = $%d", len(args)))
	}
	if len(f.EntityIDs) > 0 {
		args = append(args, f.EntityIDs)
		where = append(where, fmt.Sprintf("entity_id = ANY($%d)", len(args)))
	}
	if len(f.Schemas) > 0 {
		args = append(args, f.Schemas)
		where = append(where, fmt.Sprintf("schema = ANY($%d)", len(args)))
	}
	if len(f.Properties) > 0 {
		args = append(args, f.Properties)
		where = append(where, fmt.Sprintf("property = ANY($%d)", len(args)))
	}
	q := statementSelect
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if !f.Unordered || f.Grouped {
		q += " ORDER BY entity_id, property, value, dataset, source"
	}
	rows, err := db.pool.Query(ctx, q, args...)
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

// searchQuery scores each matching statement (exact 1, prefix 0.8, other containment
// 0.6 times the share of the value the text covers, computed as DuckDB does: an exact
// product, then a floating-point division), keeps the best-scoring statement of each
// entity (ties to the first property and value), and orders entities by score, then
// id. Case is folded with the database's default collation, since the columns' "C"
// collation folds ASCII letters only.
const searchQuery = `WITH hits AS (
		SELECT s.entity_id, s.schema, s.property, s.value, s.dataset,
		  CASE WHEN lower(s.value COLLATE "default") = lower($1::text) THEN 1.0
		       WHEN starts_with(lower(s.value COLLATE "default"), lower($1::text)) THEN 0.8
		       ELSE CAST(0.6 * length($1::text) AS double precision) / greatest(length(s.value), 1) END AS score
		FROM statement s
		WHERE s.property = ANY($2::text[]) AND strpos(lower(s.value COLLATE "default"), lower($1::text)) > 0
		  AND (cardinality($3::text[]) = 0 OR s.schema = ANY($3))
	), best AS (
		SELECT DISTINCT ON (entity_id) entity_id, property, value, score
		FROM hits ORDER BY entity_id, score DESC, property, value
	), agg AS (
		SELECT entity_id, min(schema) AS schema, string_agg(DISTINCT dataset, ',' ORDER BY dataset) AS datasets
		FROM hits GROUP BY entity_id
	)
	SELECT b.entity_id, a.schema, coalesce((SELECT min(e.caption) FROM entity e WHERE e.id = b.entity_id), ''),
	       b.property, b.value, b.score, a.datasets
	FROM best b JOIN agg a ON a.entity_id = b.entity_id
	ORDER BY b.score DESC, b.entity_id LIMIT $4`

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
	schemas := q.Schemas
	if schemas == nil {
		schemas = []string{}
	}
	rows, err := db.pool.Query(ctx, searchQuery, text, nameProperties(db.schemas), schemas, limit)
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

// readingKeywords are the first words of the statements Query runs.
var readingKeywords = map[string]bool{
	"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true, "EXPLAIN": true, "SHOW": true,
}

// Query runs one read-only SQL statement. The statement is parsed first, so that bad
// SQL is an EINVALID error; statements that do not begin as a reading statement
// (SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW) are refused with EREADONLY; the rest
// run in a read-only transaction that is always rolled back, where an attempt to
// write (a data-modifying WITH, SELECT INTO) is refused with EREADONLY too.
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

// QueryEach runs one read-only query, as Query does, and calls fn with each row as
// it is read (cipmap.RowStreamer).
func (db *DB) QueryEach(ctx context.Context, query string, args []any, fn func(row []any) error) error {
	return db.queryEach(ctx, query, args, nil, fn)
}

func (db *DB) queryEach(ctx context.Context, query string, args []any, columns func([]string), fn func(row []any) error) error {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	// Parse and describe the statement without running it. PostgreSQL refuses more
	// than one statement here.
	if _, err := tx.Conn().Prepare(ctx, "", query); err != nil {
		return queryError(ctx, tx.Conn(), err)
	}
	if kw := firstKeyword(query); !readingKeywords[kw] {
		return cipmap.Errorf(cipmap.EREADONLY, "only reading queries (SELECT, EXPLAIN) are allowed; this statement would change the database or its settings")
	}
	rows, err := tx.Query(ctx, query, append([]any{pgx.QueryExecModeDescribeExec}, args...)...)
	if err != nil {
		return queryError(ctx, tx.Conn(), err)
	}
	defer rows.Close()
	if columns != nil {
		fields := rows.FieldDescriptions()
		cols := make([]string, len(fields))
		for i, f := range fields {
			cols[i] = f.Name
		}
		columns(cols)
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return queryError(ctx, tx.Conn(), err)
		}
		for i, v := range vals {
			vals[i] = goValue(v)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return queryError(ctx, tx.Conn(), err)
	}
	return nil
}

// queryError maps PostgreSQL's errors for an ad-hoc query to cipmap's codes: a
// write in the read-only transaction is EREADONLY, any other error the server or pgx
// finds in the query or its arguments EINVALID, and a lost connection EINTERNAL.
func queryError(ctx context.Context, conn *pgx.Conn, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "25006": // read_only_sql_transaction
			return cipmap.WrapError(cipmap.EREADONLY, err, "only reading queries are allowed")
		case pgErr.Code == "42601" && strings.Contains(pgErr.Message, "multiple commands"):
			return cipmap.Errorf(cipmap.EINVALID, "query: give one SQL statement, not several")
		}
		return cipmap.WrapError(cipmap.EINVALID, err, "query")
	}
	if conn.IsClosed() {
		return cipmap.WrapError(cipmap.EINTERNAL, err, "query")
	}
	return cipmap.WrapError(cipmap.EINVALID, err, "query")
}

// firstKeyword returns the first word of an SQL statement in upper case, after
// whitespace, comments and opening parentheses.
func firstKeyword(q string) string {
	for {
		q = strings.TrimLeftFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return ""
			}
			q = q[i+1:]
		case strings.HasPrefix(q, "/*"):
			// Block comments nest in PostgreSQL.
			depth, i := 0, 0
			for i < len(q) {
				if strings.HasPrefix(q[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(q[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
			if depth != 0 {
				return ""
			}
			q = q[i:]
		default:
			end := strings.IndexFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && r != '_' })
			if end < 0 {
				end = len(q)
			}
			return strings.ToUpper(q[:end])
		}
	}
}

// goValue turns a value decoded by pgx into a plain Go value: integers as int64,
// numeric and real as float64, times in UTC, and other PostgreSQL types as their text.
func goValue(v any) any {
	switch x := v.(type) {
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case time.Time:
		return x.UTC()
	case pgtype.Numeric:
		f, err := x.Float64Value()
		if err != nil || !f.Valid {
			return nil
		}
		return f.Float64
	case [16]byte: // uuid
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case netip.Prefix:
		return x.String()
	case driver.Valuer:
		if dv, err := x.Value(); err == nil {
			return dv
		}
	}
	return v
}

// Stats counts datasets, entities, statements by schema and fact rows.
func (db *DB) Stats(ctx context.Context) (*cipmap.Stats, error) {
	st := &cipmap.Stats{BySchema: map[string]int64{}, Facts: map[string]int64{}}
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM dataset").Scan(&st.Datasets); err != nil {
		return nil, err
	}
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM statement").Scan(&st.Statements); err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, "SELECT schema, count(DISTINCT id) FROM entity GROUP BY schema")
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
	for t := range cipmap.FactTables {
		var n int64
		if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM "+sqlview.Quote(t)).Scan(&n); err != nil {
			return nil, err
		}
		st.Facts[t] = n
	}
	return st, nil
}
