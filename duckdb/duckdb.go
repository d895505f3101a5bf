// Package duckdb implements cipmap.Store on an embedded DuckDB file, cipmap's default
// store: one file, no server. Bulk writes go through DuckDB's Appender into temporary
// staging tables and are moved into place by set-based SQL inside one transaction, so a
// failed or killed ingest leaves the previous state intact.
//
// Only one process can open a DuckDB file for writing. A second process gets an
// ELOCKED error that names the process holding the file.
package duckdb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	duck "github.com/duckdb/duckdb-go/v2"
)

// Compile-time check that DB is a store.
var _ cipmap.Store = (*DB)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure Open.
type Options struct {
	// ReadOnly opens the file without the write lock, so several readers may share it.
	ReadOnly bool
	// Schemas define the per-schema views and entity captions. Required.
	Schemas cipmap.Schemas
	// Now is the clock; nil means time.Now.
	Now cipmap.Clock
	// TempDir holds the staging files of a load; "" means the system's.
	TempDir string
	// MemoryLimit caps DuckDB's memory (its buffer pool), such as "600MB"; beyond it
	// DuckDB spills to a temporary folder beside the file. "" means
	// DefaultMemoryLimit, or DefaultReadMemoryLimit for a file opened read-only.
	MemoryLimit string
}

// DefaultMemoryLimit keeps a million-row ingest under 1 GB of memory in all, and
// leaves room for the Go heap of cipmap resolve; set Options.MemoryLimit (or
// CIPMAP_DUCKDB_MEMORY for the command) higher for big analytical queries.
const DefaultMemoryLimit = "600MB"

// DefaultReadMemoryLimit is the cap for a file opened read-only, as the analyses
// and cipmap serve open it: their joins of millions of patents and flows spill to
// disk under 600 MB (a sector profile at a million firms took 2.2 s instead of
// 1.5 s), and they hold little in Go.
const DefaultReadMemoryLimit = "2GB"

// DB is a DuckDB-backed store.
type DB struct {
	path string
	sql  *sql.DB
	// closed says Close has run: a reader still running then (a page a server
	// builds as it shuts down) gets sql's "database is closed".
	closed   atomic.Bool
	readOnly bool
	noParams bool // a file from before migration 004, opened read-only
	// keyed says that statement.ekey is hash(entity_id) by this DuckDB's hash
	// (migration 009), so that readers of one entity may filter on it.
	keyed bool
	// lookups holds the lookup tables that are built and whole (by_id,
	// facts_by_id: migrations 010 and 011), which Lookup reads by key when keyed.
	// A load leaves them stale (cipmap_meta says 'stale') until Reorder rebuilds
	// them in order; meanwhile, and in a file from before them opened read-only,
	// Lookup reads the rows they would hold from their sources.
	lookupsMu sync.RWMutex
	lookups   map[string]bool
	schemas   cipmap.Schemas
	now       cipmap.Clock
	tempDir   string
	searchState
	pointsState
}

// Open opens (and, unless read-only, creates and migrates) the DuckDB file at path.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.Schemas == nil {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "duckdb.Open: no schemas given")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, cipmap.Errorf(cipmap.ENOTFOUND, "database %s does not exist; create it with `cipmap ingest` or `cipmap init`", path)
		}
	}
	dsn := path
	if opts.ReadOnly {
		dsn += "?access_mode=READ_ONLY"
	}
	limit := opts.MemoryLimit
	switch {
	case limit != "":
	case opts.ReadOnly:
		limit = DefaultReadMemoryLimit
	default:
		limit = DefaultMemoryLimit
	}
	connector, err := duck.NewConnector(dsn, func(execer driver.ExecerContext) error {
		// Rows of a load need no order, and without it DuckDB inserts in parallel
		// with less memory.
		for _, q := range []string{
			"SET memory_limit = '" + strings.ReplaceAll(limit, "'", "") + "'",
			"SET preserve_insertion_order = false",
		} {
			if _, err := execer.ExecContext(context.Background(), q, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, openError(path, err)
	}
	sdb := sql.OpenDB(connector)
	// Keep the connections a busy server opened: database/sql keeps two idle by
	// default and closes the rest after each query, and each new one runs the
	// settings above again (a sixth of a cold firm page's time under load).
	sdb.SetMaxIdleConns(64)
	db := &DB{path: path, sql: sdb, readOnly: opts.ReadOnly, schemas: opts.Schemas, now: opts.Now, tempDir: opts.TempDir}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, openError(path, err)
	}
	if opts.ReadOnly {
		var n int
		err := sdb.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'cipmap_migrations'").Scan(&n)
		if err != nil || n == 0 {
			sdb.Close()
			return nil, cipmap.Errorf(cipmap.ENOTFOUND, "%s is not a cipmap database (no migrations table)", path)
		}
		err = sdb.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'dataset' AND column_name = 'params'").Scan(&n)
		if err != nil {
			sdb.Close()
			return nil, openError(path, err)
		}
		db.noParams = n == 0
		if err := db.checkKey(ctx); err != nil {
			sdb.Close()
			return nil, err
		}
		return db, nil
	}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	if err := db.checkKey(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

var lockRe = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// openError turns DuckDB's open failures into errors a person can act on.
func openError(path string, err error) error {
	msg := err.Error()
	if m := lockRe.FindStringSubmatch(msg); m != nil {
		return cipmap.Errorf(cipmap.ELOCKED,
			"database %s is in use by another process (PID %s, %s); a DuckDB file can be opened by one process at a time: stop that process (for example a running `cipmap serve`), or use PostgreSQL for shared access",
			path, m[2], m[1])
	}
	if strings.Contains(msg, "Could not set lock") {
		return cipmap.WrapError(cipmap.ELOCKED, err, "database %s is in use by another process", path)
	}
	return cipmap.WrapError(cipmap.EINTERNAL, err, "open %s", path)
}

// Path returns the file the store is on.
func (db *DB) Path() string { return db.path }

// SQL returns the underlying database handle, for benchmarks and tests.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the database.
func (db *DB) Close() error {
	if !db.closed.CompareAndSwap(false, true) {
		return nil
	}
	// Readers after Close get an error from sql, not answers from memory.
	db.pointsMu.Lock()
	db.pointCp = nil
	db.pointsMu.Unlock()
	// A command that loaded leaves the lookup tables whole (cipmap ingest has
	// already, in Reorder).
	var err error
	if !db.readOnly {
		err = db.RefreshLookups(context.Background())
	}
	return errors.Join(err, db.sql.Close())
}

// RefreshLookups rebuilds, whole and in order of key, the lookup tables (by_id,
// facts_by_id) that loads left stale, each in its own transaction. Close calls it,
// and Reorder; cipmap serve after an ingest through the API.
func (db *DB) RefreshLookups(ctx context.Context) error {
	if db.readOnly {
		return nil
	}
	for _, t := range sqlview.DerivedTables {
		if !t.PostgresView || db.lookup(t.Table) {
			continue
		}
		if err := db.build(ctx, t); err != nil {
			return err
		}
		db.setLookup(t.Table, true)
	}
	return nil
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction, then (re)creates the schema views when the schemas changed.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS cipmap_migrations (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		var n int
		if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM cipmap_migrations WHERE version = ?", version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO cipmap_migrations VALUES (?, ?, ?)", version, base, db.now().UTC()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	if err := db.ensureViews(ctx); err != nil {
		return err
	}
	return db.ensureDerived(ctx)
}

// checkKey sets db.keyed: the statement keys (and those of by_id) were computed by
// the hash this DuckDB computes. A file opened for writing by a DuckDB whose hash
// differs has its keys recomputed; read-only, it is read without them. It sets
// db.lookups to the lookup tables that are built.
func (db *DB) checkKey(ctx context.Context) error {
	var have, now string
	err := db.sql.QueryRowContext(ctx, "SELECT value FROM cipmap_meta WHERE key = 'statement_key'").Scan(&have)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // a file from before migration 009, opened read-only
	}
	if err != nil {
		return err
	}
	if err := db.sql.QueryRowContext(ctx, "SELECT CAST(hash('cipmap') AS VARCHAR)").Scan(&now); err != nil {
		return err
	}
	if have != now && !db.readOnly {
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, "UPDATE statement SET ekey = hash(entity_id)"); err != nil {
			return fmt.Errorf("recompute the statement keys: %w", err)
		}
		for _, t := range []string{"by_id", "facts_by_id"} {
			if _, err := tx.ExecContext(ctx, "UPDATE "+t+" SET key = hash(end_id)"); err != nil {
				return fmt.Errorf("recompute the %s keys: %w", t, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO cipmap_meta VALUES ('statement_key', ?)", now); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		have = now
	}
	db.keyed = have == now
	lookups := map[string]bool{}
	for _, t := range sqlview.DerivedTables {
		if !t.PostgresView {
			continue
		}
		var v string
		err := db.sql.QueryRowContext(ctx, "SELECT value FROM cipmap_meta WHERE key = ?", t.Table).Scan(&v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		lookups[t.Table] = v == t.Hash(db.schemas, sqlview.DuckDB)
	}
	db.lookupsMu.Lock()
	db.lookups = lookups
	db.lookupsMu.Unlock()
	return nil
}

// ensureDerived rebuilds each derived table (sqlview.DerivedTables) from the
// statements when it was built by another definition (or not at all: a file from
// before the table's migration), in order, since later ones read earlier ones.
func (db *DB) ensureDerived(ctx context.Context) error {
	for _, t := range sqlview.DerivedTables {
		hash := t.Hash(db.schemas, sqlview.DuckDB)
		var have string
		err := db.sql.QueryRowContext(ctx, "SELECT value FROM cipmap_meta WHERE key = ?", t.Table).Scan(&have)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if have == hash || have == "stale" && t.PostgresView { // stale: rebuilt by RefreshLookups
			continue
		}
		if err := db.build(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// build replaces the rows of the derived table t by all its rows, in order, and
// records the definition they were built by, in one transaction.
func (db *DB) build(ctx context.Context, t sqlview.Derived) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.Table); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+t.Table+" "+t.Query(db.schemas, sqlview.DuckDB, "true")); err != nil {
		return fmt.Errorf("build the %s table: %w", t.Table, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO cipmap_meta VALUES (?, ?)", t.Table, t.Hash(db.schemas, sqlview.DuckDB)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("build the %s table: %w", t.Table, err)
	}
	return nil
}

// Reorder puts the derived tables (sqlview.DerivedTables) and patent_tags back in
// order of their lookup columns, each in its own transaction, after loads that
// appended rows out of order; cipmap ingest calls it once its datasets are loaded.
// It changes no row. At a million firms it takes about a minute.
func (db *DB) Reorder(ctx context.Context) error {
	if db.readOnly {
		return cipmap.Errorf(cipmap.EREADONLY, "database %s is open read-only", db.path)
	}
	tables := [][2]string{{"patent_tags", "system, tag"}}
	for _, t := range sqlview.DerivedTables {
		if !t.PostgresView { // the lookup tables are rebuilt in order below
			tables = append(tables, [2]string{t.Table, sqlview.Quote(t.Order)})
		}
	}
	for _, t := range tables {
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		steps := []string{
			"CREATE OR REPLACE TEMP TABLE reorder AS SELECT * FROM " + t[0],
			"DELETE FROM " + t[0],
			"INSERT INTO " + t[0] + " SELECT * FROM reorder ORDER BY " + t[1],
			"DROP TABLE reorder",
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				tx.Rollback()
				return fmt.Errorf("put %s in order: %w", t[0], err)
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("put %s in order: %w", t[0], err)
		}
	}
	return db.RefreshLookups(ctx)
}

// lookup says whether the lookup table is built and whole.
func (db *DB) lookup(table string) bool {
	db.lookupsMu.RLock()
	defer db.lookupsMu.RUnlock()
	return db.lookups[table]
}

func (db *DB) setLookup(table string, whole bool) {
	db.lookupsMu.Lock()
	defer db.lookupsMu.Unlock()
	if db.lookups == nil {
		db.lookups = map[string]bool{}
	}
	db.lookups[table] = whole
}

// ensureViews recreates the per-schema views when the schema definitions differ from
// the ones the views were made from.
func (db *DB) ensureViews(ctx context.Context) error {
	stmts := sqlview.Views(db.schemas, sqlview.DuckDB)
	h := sha256.New()
	for _, s := range stmts {
		h.Write([]byte(s))
	}
	hash := hex.EncodeToString(h.Sum(nil))
	var have string
	err := db.sql.QueryRowContext(ctx, "SELECT value FROM cipmap_meta WHERE key = 'views'").Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if have == hash {
		return nil
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("create view: %w\n%s", err, s)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO cipmap_meta VALUES ('views', ?)", hash); err != nil {
		return err
	}
	return tx.Commit()
}

// Dataset returns the stored dataset named name.
func (db *DB) Dataset(ctx context.Context, name string) (*cipmap.Dataset, error) {
	rows, err := db.sql.QueryContext(ctx, db.datasetQuery()+" WHERE name = ?", name)
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
	rows, err := db.sql.QueryContext(ctx, db.datasetQuery()+" ORDER BY name")
	if err != nil {
		return nil, err
	}
	return scanDatasets(rows)
}

const datasetSelect = `SELECT name, coalesce(title, ''), version, coalesce(source, ''), coalesce(licence, ''),
	coalesce(files, ''), ingested_at, rows, entities, statements, facts, rejects, coalesce(params, '') FROM dataset`

// datasetSelectOld reads a file from before migration 004 (opened read-only, so
// not upgraded), which has no params column.
const datasetSelectOld = `SELECT name, coalesce(title, ''), version, coalesce(source, ''), coalesce(licence, ''),
	coalesce(files, ''), ingested_at, rows, entities, statements, facts, rejects, '' FROM dataset`

// datasetQuery is the SELECT of datasets for this file.
func (db *DB) datasetQuery() string {
	if db.noParams {
		return datasetSelectOld
	}
	return datasetSelect
}

func scanDatasets(rows *sql.Rows) ([]cipmap.Dataset, error) {
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
	if db.readOnly {
		return cipmap.Errorf(cipmap.EREADONLY, "database %s is open read-only", db.path)
	}
	if _, err := db.Dataset(ctx, name); err != nil {
		return err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range append([]string{"statement", "entity", "edges", "nodes", "by_id", "facts_by_id"}, factTables...) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE dataset = ?", name); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM dataset WHERE name = ?", name); err != nil {
		return err
	}
	return tx.Commit()
}

func nullString(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}
