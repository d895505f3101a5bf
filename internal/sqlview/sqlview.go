// Package sqlview writes the SQL that both stores share: the stable views over the
// statement table (one per schema, with the current value of each property as a
// column) and the expression that picks an entity's caption. The SQL is plain enough
// to run on DuckDB and PostgreSQL alike; Dialect covers the few differences.
package sqlview

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
)

// Dialect names the SQL types and casts that differ between stores.
type Dialect struct {
	Double string // "DOUBLE" or "double precision"
	BigInt string // "BIGINT"
	Text   string // "VARCHAR" or "text"
	// try says the store has TRY_CAST (DuckDB); without it, casts of text that may
	// not be a number are guarded by a pattern (PostgreSQL).
	try bool
}

// DuckDB and Postgres are the two dialects cipmap speaks.
var (
	DuckDB   = Dialect{Double: "DOUBLE", BigInt: "BIGINT", Text: "VARCHAR", try: true}
	Postgres = Dialect{Double: "double precision", BigInt: "bigint", Text: "text"}
)

// Hash returns the store's 64-bit hash of a text expression: DuckDB's hash, or
// PostgreSQL's hashtextextended with seed 0. The two differ; each store compares
// only hashes it computed itself.
func (d Dialect) Hash(expr string) string {
	if d.try {
		return "hash(" + expr + ")"
	}
	return "hashtextextended(" + expr + ", 0)"
}

// List returns a one-element list (an array in PostgreSQL) of expr.
func (d Dialect) List(expr string) string {
	if d.try {
		return "[" + expr + "]"
	}
	return "ARRAY[" + expr + "]"
}

// DistinctList returns the aggregate of the distinct values of expr in rows where
// cond holds, as a list (an array in PostgreSQL); NULL when there are none.
func (d Dialect) DistinctList(expr, cond string) string {
	if d.try {
		// DuckDB aggregates DISTINCT with a hash table per group; deduplicating
		// each group's short list afterwards takes far less memory.
		return "CASE WHEN count(*) FILTER (WHERE " + cond + ") > 0 THEN list_distinct(array_agg(" + expr + ") FILTER (WHERE " + cond + ")) END"
	}
	return "array_agg(DISTINCT " + expr + ") FILTER (WHERE " + cond + ")"
}

// TryDouble returns expr (text) as a number, NULL where it is not one.
func (d Dialect) TryDouble(expr string) string {
	if d.try {
		return "TRY_CAST(" + expr + " AS DOUBLE)"
	}
	return "CASE WHEN " + expr + ` ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' THEN CAST(` + expr + " AS double precision) END"
}

// TryInt returns expr (text) as an integer, NULL where it is not one.
func (d Dialect) TryInt(expr string) string {
	if d.try {
		return "TRY_CAST(" + expr + " AS INTEGER)"
	}
	return "CASE WHEN " + expr + ` ~ '^\s*[-+]?[0-9]{1,9}\s*$' THEN CAST(trim(` + expr + ") AS integer) END"
}

// TryYear returns the year of a date (text starting with four digits), NULL when it
// does not start with one.
func (d Dialect) TryYear(expr string) string {
	y := "substr(" + expr + ", 1, 4)"
	if d.try {
		return "CASE WHEN regexp_full_match(" + y + ", '[0-9]{4}') THEN CAST(" + y + " AS INTEGER) END"
	}
	return "CASE WHEN " + y + " ~ '^[0-9]{4}$' THEN CAST(" + y + " AS integer) END"
}

// shortHash is a hex SHA-256 of s.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Quote quotes an SQL identifier.
func Quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Literal quotes an SQL string literal.
func Literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// sortedSchemas returns the schemas in name order so generated SQL is stable.
func sortedSchemas(schemas cipmap.Schemas) []*cipmap.Schema {
	out := make([]*cipmap.Schema, 0, len(schemas))
	for _, s := range schemas {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Views returns the CREATE VIEW statements for the stable views: entities, and one
// per schema named by Schema.View. The statements replace existing views.
// The statement table is statement(entity_id, schema, property, value, ...) and the
// entity table entity(id, schema, caption, dataset, first_seen, last_seen).
func Views(schemas cipmap.Schemas, d Dialect) []string {
	var out []string
	for _, s := range sortedSchemas(schemas) {
		out = append(out, fmt.Sprintf("DROP VIEW IF EXISTS %s", Quote(s.View)))
		out = append(out, schemaView(s, d))
	}
	return out
}

func schemaView(s *cipmap.Schema, d Dialect) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE VIEW %s AS SELECT entity_id AS id", Quote(s.View))
	for _, name := range s.PropertyNames() {
		p := s.Properties[name]
		val := fmt.Sprintf("min(value) FILTER (WHERE property = %s)", Literal(name))
		switch p.Type {
		case cipmap.TypeAmount, cipmap.TypeNumber:
			val = fmt.Sprintf("CAST(%s AS %s)", val, d.Double)
		case cipmap.TypeInteger, cipmap.TypeYear:
			val = fmt.Sprintf("CAST(%s AS %s)", val, d.BigInt)
		}
		fmt.Fprintf(&b, ", %s AS %s", val, Quote(name))
	}
	b.WriteString(", string_agg(DISTINCT dataset, ',' ORDER BY dataset) AS datasets, min(first_seen) AS first_seen, max(last_seen) AS last_seen")
	fmt.Fprintf(&b, " FROM statement WHERE schema = %s GROUP BY entity_id", Literal(s.Name))
	return b.String()
}

// CaptionRanks returns the rows (schema, property, rank) that rank each schema's
// caption properties, as an SQL VALUES list with columns schema, property, rank.
func CaptionRanks(schemas cipmap.Schemas) string {
	var rows []string
	for _, s := range sortedSchemas(schemas) {
		for i, p := range s.Caption {
			rows = append(rows, fmt.Sprintf("(%s, %s, %d)", Literal(s.Name), Literal(p), i))
		}
	}
	if len(rows) == 0 {
		rows = append(rows, "('', '', 0)")
	}
	return "(VALUES " + strings.Join(rows, ", ") + ") AS r(schema, property, rank)"
}

// EntityRows returns a query of the entity rows of one dataset, computed from its
// statements: id, schema, caption (the value of the best-ranked caption property, the
// smallest such value if there are several, else the id), dataset, statement count,
// first and last seen. The dataset name is the query's one parameter, written as
// param (? or $1), which the query uses twice.
func EntityRows(schemas cipmap.Schemas, param string) string {
	return `WITH e AS (
	SELECT entity_id, min(schema) AS schema, min(dataset) AS dataset, count(*) AS n,
	       min(first_seen) AS first_seen, max(last_seen) AS last_seen
	FROM statement WHERE dataset = ` + param + ` GROUP BY entity_id
), c AS (
	SELECT s.entity_id, substr(min(lpad(CAST(r.rank AS VARCHAR), 3, '0') || s.value), 4) AS caption
	FROM statement s JOIN ` + CaptionRanks(schemas) + ` ON r.schema = s.schema AND r.property = s.property
	WHERE s.dataset = ` + param + ` AND s.property IN (` + captionProperties(schemas) + `)
	GROUP BY s.entity_id
)
SELECT e.entity_id, e.schema, coalesce(c.caption, e.entity_id), e.dataset, e.n, e.first_seen, e.last_seen
FROM e LEFT JOIN c ON c.entity_id = e.entity_id`
}

// EntityRowsOnePass is EntityRows computed in one aggregation over the dataset's
// statements, joined only to the small caption-rank list. PostgreSQL uses it: joining
// two aggregates of millions of rows invites a nested-loop plan when its statistics
// are stale. The dataset name is the one parameter, used once.
func EntityRowsOnePass(schemas cipmap.Schemas, param string) string {
	return `SELECT s.entity_id, min(s.schema), coalesce(substr(min(CASE WHEN r.rank IS NOT NULL
	         THEN lpad(CAST(r.rank AS VARCHAR), 3, '0') || s.value END), 4), s.entity_id),
	       min(s.dataset), count(*), min(s.first_seen), max(s.last_seen)
	FROM statement s LEFT JOIN ` + CaptionRanks(schemas) + ` ON r.schema = s.schema AND r.property = s.property
	WHERE s.dataset = ` + param + ` GROUP BY s.entity_id`
}

// captionProperties lists every property that is a caption of some schema, as SQL
// literals.
func captionProperties(schemas cipmap.Schemas) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range sortedSchemas(schemas) {
		for _, p := range s.Caption {
			if !seen[p] {
				seen[p] = true
				out = append(out, Literal(p))
			}
		}
	}
	if len(out) == 0 {
		return "''"
	}
	return strings.Join(out, ", ")
}

// IDSet returns an SQL set of ids for "x IN ...", for both stores: up to
// maxLiterals ids as a list of literals (which PostgreSQL answers from an index and
// DuckDB prunes by zone maps), more as one text parameter ($1) split into rows,
// which both stores join by a scan and parse in no time, where a list of tens of
// thousands of literals takes DuckDB longer to parse than to run. Ids that hold the
// separator go as literals.
func IDSet(ids []string, maxLiterals int) (string, []any) {
	literal := len(ids) <= maxLiterals
	for _, id := range ids {
		literal = literal || strings.ContainsRune(id, 0x1f)
	}
	if literal {
		q := make([]string, len(ids))
		for i, id := range ids {
			q[i] = Literal(id)
		}
		return "(" + strings.Join(q, ", ") + ")", nil
	}
	return "(SELECT unnest(string_to_array($1, chr(31))))", []any{strings.Join(ids, "\x1f")}
}
