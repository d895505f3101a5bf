// Package postgres implements cipmap.Store on a PostgreSQL server, for a shared,
// multi-user deployment. It behaves as the DuckDB store does and passes the same
// conformance suite (storetest); only the engine differs.
//
// Bulk writes stream through COPY into temporary staging tables and are moved into
// place by set-based SQL inside one transaction, so a failed ingest leaves the
// previous state intact. Migrations are embedded, applied in order each in its own
// transaction, and serialised across processes with an advisory lock.
//
// Query runs ad-hoc SQL in a read-only transaction that is always rolled back, and only
// single SELECT, WITH, VALUES, TABLE, EXPLAIN or SHOW statements. It cannot stop what
// a reading statement may do through server functions (pg_read_file, for one): on a
// shared server, connect as a role that is not a superuser.
//
// Search folds case with the database's default collation: on a database whose
// locale is "C", only ASCII letters are folded. Create databases with a UTF-8 locale
// (C.UTF-8 or en_US.UTF-8) to fold every letter as DuckDB does.
package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Compile-time check that DB is a store.
var _ cipmap.Store = (*DB)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// Advisory lock keys (the first of the two-key form). Migrations take
// (lockClass, lockMigrate); Load and DeleteDataset take (lockDataset, hash of the
// dataset name), so two processes never write one dataset at once.
const (
	lockClass   = 0x63706d70 // "cpmp"
	lockMigrate = 1
	lockDataset = 0x63706d64 // "cpmd"
)

// Options configure Open.
type Options struct {
	// Schemas define the per-schema views and entity captions. Required.
	Schemas cipmap.Schemas
	// Now is the clock; nil means time.Now.
	Now cipmap.Clock
}

// DB is a PostgreSQL-backed store.
type DB struct {
	pool    *pgxpool.Pool
	where   string // host:port/database, for messages
	schemas cipmap.Schemas
	now     cipmap.Clock
}

// Open connects to the PostgreSQL database at url (postgres://user@host:port/dbname),
// applies the migrations it has not seen and (re)creates the schema views.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	if opts.Schemas == nil {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "postgres.Open: no schemas given")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, parseError(url, err)
	}
	// Times are written in UTC; a session in UTC makes ad-hoc casts of timestamptz
	// (to date, to text) agree with the DuckDB store, whose timestamps are UTC.
	for k, v := range map[string]string{"timezone": "UTC", "application_name": "cipmap"} {
		if _, ok := cfg.ConnConfig.RuntimeParams[k]; !ok {
			cfg.ConnConfig.RuntimeParams[k] = v
		}
	}
	cc := cfg.ConnConfig
	db := &DB{
		where:   fmt.Sprintf("%s:%d/%s", cc.Host, cc.Port, cc.Database),
		schemas: opts.Schemas,
		now:     opts.Now,
	}
	db.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "open PostgreSQL database %s", db.where)
	}
	if err := db.pool.Ping(ctx); err != nil {
		db.pool.Close()
		return nil, connectError(cc, err)
	}
	var enc string
	if err := db.pool.QueryRow(ctx, "SHOW server_encoding").Scan(&enc); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("PostgreSQL database %s: %w", db.where, err)
	}
	if enc != "UTF8" {
		db.pool.Close()
		return nil, cipmap.Errorf(cipmap.EINVALID,
			"PostgreSQL database %s has encoding %s; cipmap needs UTF8: create it with CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0",
			db.where, enc)
	}
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		return nil, err
	}
	return db, nil
}

// parseError reports a connection string that pgx cannot parse, without the
// password in it.
func parseError(dsn string, err error) error {
	detail := ""
	var pce *pgconn.ParseConfigError
	if errors.As(err, &pce) {
		// The inner error may quote the whole string (url.Error does): leave it out.
		var uerr *url.Error
		if inner := pce.Unwrap(); inner != nil && !errors.As(inner, &uerr) {
			detail = " (" + inner.Error() + ")"
		}
	}
	return cipmap.Errorf(cipmap.EINVALID, "cannot parse PostgreSQL URL %s%s; expected postgres://user[:password]@host[:port]/dbname[?sslmode=disable]",
		redact(dsn), detail)
}

var (
	urlPassword = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)
	kvPassword  = regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|[^&\s]*)`)
)

// redact masks the passwords in a connection string, URL or keyword/value form.
func redact(dsn string) string {
	dsn = urlPassword.ReplaceAllString(dsn, "${1}xxxxx@")
	return kvPassword.ReplaceAllString(dsn, "${1}xxxxx")
}

// connectError turns a failure to connect into an error a person can act on. It
// names the host, port, database and user, never the password.
func connectError(cc *pgx.ConnConfig, err error) error {
	where := fmt.Sprintf("%s:%d", cc.Host, cc.Port)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "3D000": // invalid_catalog_name
			return cipmap.Errorf(cipmap.ENOTFOUND,
				"PostgreSQL database %q does not exist on %s; create it with `createdb -h %s -p %d -U %s %s`",
				cc.Database, where, cc.Host, cc.Port, cc.User, cc.Database)
		case "28P01", "28000": // invalid_password, invalid_authorization_specification
			return cipmap.Errorf(cipmap.EINVALID,
				"PostgreSQL on %s refused user %q for database %q: %s",
				where, cc.User, cc.Database, pgErr.Message)
		}
	}
	return cipmap.WrapError(cipmap.EINTERNAL, err,
		"cannot connect to PostgreSQL on %s (database %q, user %q)", where, cc.Database, cc.User)
}

// Pool returns the underlying connection pool, for benchmarks and tests.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the connection pool. It may be called more than once.
func (db *DB) Close() error {
	// The pool stays: a reader still running (a page a server builds as it shuts
	// down) gets the closed pool's error. Closing it again does nothing.
	if db.pool != nil {
		db.pool.Close()
	}
	return nil
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction under an advisory lock so that processes starting together apply each
// migration once, then (re)creates the schema views when the schemas changed.
func (db *DB) migrate(ctx context.Context) error {
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
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if err := db.migration(ctx, version, base, string(body)); err != nil {
			return err
		}
	}
	if err := db.ensureViews(ctx); err != nil {
		return err
	}
	return db.ensureDerived(ctx)
}

// migration applies one migration unless it is recorded as applied.
func (db *DB) migration(ctx context.Context, version int, name, body string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockClass, lockMigrate); err != nil {
			return fmt.Errorf("lock for migrations: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS cipmap_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
			return fmt.Errorf("create migrations table: %w", err)
		}
		var applied bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM cipmap_migrations WHERE version = $1)", version).Scan(&applied); err != nil {
			return err
		}
		if applied {
			return nil
		}
		if _, err := tx.Exec(ctx, body); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO cipmap_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			version, name, db.now().UTC()); err != nil {
			return fmt.Errorf("record migration %s: %w", name, err)
		}
		return nil
	})
}

// ensureViews recreates the per-schema views when the schema definitions differ from
// the ones the views were made from.
func (db *DB) ensureViews(ctx context.Context) error {
	stmts := sqlview.Views(db.schemas, sqlview.Postgres)
	h := sha256.New()
	for _, s := range stmts {
		h.Write([]byte(s))
	}
	hash := hex.EncodeToString(h.Sum(nil))
	var have string
	err := db.pool.QueryRow(ctx, "SELECT value FROM cipmap_meta WHERE key = 'views'").Scan(&have)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if have == hash {
		return nil
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockClass, lockMigrate); err != nil {
			return fmt.Errorf("lock for views: %w", err)
		}
		// Another process may have made the same views while we waited.
		err := tx.QueryRow(ctx, "SELECT value FROM cipmap_meta WHERE key = 'views'").Scan(&have)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if have == hash {
			return nil
		}
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("create view: %w\n%s", err, s)
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO cipmap_meta (key, value) VALUES ('views', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, hash)
		return err
	})
}

// ensureDerived rebuilds each derived table (sqlview.DerivedTables) from the
// statements when it was built by another definition (or not at all: a database
// from before the table's migration), in order, since later ones read earlier ones.
func (db *DB) ensureDerived(ctx context.Context) error {
	for _, t := range sqlview.DerivedTables {
		if err := db.ensureTable(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) ensureTable(ctx context.Context, t sqlview.Derived) error {
	hash := t.Hash(db.schemas, sqlview.Postgres)
	if t.PostgresView {
		hash = "view " + hash
	}
	var have string
	err := db.pool.QueryRow(ctx, "SELECT value FROM cipmap_meta WHERE key = $1", t.Table).Scan(&have)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if have == hash {
		return nil
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockClass, lockMigrate); err != nil {
			return fmt.Errorf("lock for %s: %w", t.Table, err)
		}
		err := tx.QueryRow(ctx, "SELECT value FROM cipmap_meta WHERE key = $1", t.Table).Scan(&have)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if have == hash {
			return nil
		}
		if t.PostgresView {
			// The view's columns are named by the first part of its union.
			if _, err := tx.Exec(ctx, "DROP VIEW IF EXISTS "+t.Table); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "CREATE VIEW "+t.Table+" AS "+t.Rows(db.schemas, sqlview.Postgres, "true")); err != nil {
				return fmt.Errorf("create the %s view: %w", t.Table, err)
			}
		} else if err := db.fillTable(ctx, tx, t); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO cipmap_meta (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, t.Table, hash)
		return err
	})
}

// fillTable replaces the rows of the derived table t by its rows from every dataset.
func (db *DB) fillTable(ctx context.Context, tx pgx.Tx, t sqlview.Derived) error {
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '128MB'"); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM "+t.Table); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "INSERT INTO "+t.Table+" "+t.Query(db.schemas, sqlview.Postgres, "true")); err != nil {
		return fmt.Errorf("build the %s table: %w", t.Table, err)
	}
	return nil
}

// lockDatasetTx takes the transaction-scoped advisory lock that serialises writes to
// the dataset named name.
func lockDatasetTx(ctx context.Context, tx pgx.Tx, name string) error {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", lockDataset, name); err != nil {
		return fmt.Errorf("lock dataset %s: %w", name, err)
	}
	return nil
}
