package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/postgres"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/storetest"
	"github.com/jackc/pgx/v5"
)

// serverURL returns the URL of the PostgreSQL server the tests may create databases
// on, or skips the test.
func serverURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("CIPMAP_TEST_POSTGRES")
	if u == "" {
		t.Skip("CIPMAP_TEST_POSTGRES is not set: set it to a superuser URL of a scratch PostgreSQL server " +
			"to run the PostgreSQL store tests (`scripts/postgres.sh start DIR PORT` starts one and prints it)")
	}
	return u
}

// createDatabase creates an empty database on the test server, dropped when the test
// ends, and returns its URL.
func createDatabase(t *testing.T) string {
	t.Helper()
	server := serverURL(t)
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	name := "cipmap_test_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to CIPMAP_TEST_POSTGRES: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		admin, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDatabase(t, server, name)
}

// withDatabase returns the connection string server with its database set to name.
func withDatabase(t *testing.T, server, name string) string {
	if strings.HasPrefix(server, "postgres://") || strings.HasPrefix(server, "postgresql://") {
		u, err := url.Parse(server)
		if err != nil {
			t.Fatalf("CIPMAP_TEST_POSTGRES: %v", err)
		}
		u.Path = "/" + name
		return u.String()
	}
	return server + " dbname=" + name // keyword/value form: the last dbname wins
}

func open(t *testing.T, dbURL string, now cipmap.Clock) *postgres.DB {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(context.Background(), dbURL, postgres.Options{Schemas: schemas, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	serverURL(t)
	storetest.Run(t, func(t *testing.T, now cipmap.Clock) cipmap.Store {
		return open(t, createDatabase(t), now)
	})
}

// TestConcurrentMigrations opens one new database from several goroutines at once:
// the advisory lock must let each migration run once and every Open succeed.
func TestConcurrentMigrations(t *testing.T) {
	dbURL := createDatabase(t)
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			db, err := postgres.Open(context.Background(), dbURL, postgres.Options{Schemas: schemas})
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
		}
	}
	db := open(t, dbURL, nil)
	tab, err := db.Query(context.Background(), "SELECT version, name FROM cipmap_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != len(files) || fmt.Sprint(tab.Rows[0]) != "[1 001_init.sql]" {
		t.Errorf("migrations = %v, want each of %v recorded once", tab.Rows, files)
	}
}

// TestUpgrade opens databases made by the first migrations alone, as an older
// cipmap left them: they gain every later table and keep their data.
func TestUpgrade(t *testing.T) {
	serverURL(t)
	for _, tc := range []struct {
		name       string
		migrations []string         // applied by the older cipmap
		rows       []string         // its data besides dataset fin and its financials row
		old        map[string]int64 // its fact rows, by table
		datasets   int64            // its datasets
	}{
		{"from001", []string{"001_init.sql"}, nil, map[string]int64{"financials": 1}, 1},
		{"from002", []string{"001_init.sql", "002_tags_crosswalks.sql"}, []string{
			`INSERT INTO dataset VALUES ('tagged', NULL, 'v1', NULL, NULL, NULL, '2025-07-01 00:00:00+00',
				'2025-07-01 00:00:00+00', 2, 0, 0, 2, 0)`,
			`INSERT INTO tags (entity_id, system, tag, weight, confidence, dataset) VALUES ('firm-1', 'ctt', 'robotics', 1, 1, 'tagged')`,
			`INSERT INTO crosswalk_edges (from_system, from_code, to_system, to_code, weight, partial, sample_size, dataset)
				VALUES ('hs2022', '848340', 'ctt', 'robotics', 1, false, 0, 'tagged')`,
		}, map[string]int64{"financials": 1, "tags": 1, "crosswalk_edges": 1}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dbURL := createDatabase(t)
			old, err := pgx.Connect(ctx, dbURL)
			if err != nil {
				t.Fatal(err)
			}
			qs := []string{`CREATE TABLE cipmap_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`}
			for i, name := range tc.migrations {
				body, err := os.ReadFile("migrations/" + name)
				if err != nil {
					t.Fatal(err)
				}
				qs = append(qs, string(body),
					fmt.Sprintf(`INSERT INTO cipmap_migrations VALUES (%d, '%s', '2025-06-01 00:00:00+00')`, i+1, name))
			}
			qs = append(qs,
				`INSERT INTO dataset VALUES ('fin', NULL, 'v1', NULL, NULL, NULL, '2025-06-01 00:00:00+00',
					'2025-06-01 00:00:00+00', 1, 0, 0, 1, 0)`,
				`INSERT INTO financials (entity_id, year, revenue, dataset) VALUES ('firm-1', 2024, 1.5e8, 'fin')`)
			for _, q := range append(qs, tc.rows...) {
				if _, err := old.Exec(ctx, q); err != nil {
					t.Fatalf("make an old database: %v\n%s", err, q)
				}
			}
			old.Close(ctx)

			db := open(t, dbURL, nil)
			tab, err := db.Query(ctx, "SELECT version, name FROM cipmap_migrations ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(tab.Rows), allMigrations(t); got != want {
				t.Errorf("migrations = %s, want %s", got, want)
			}
			// A second version of an existing dataset goes through the staging tables.
			for _, version := range []string{"1", "2"} {
				if _, err := db.Load(ctx, &cipmap.Dataset{Name: "new", Version: version}, writeOneOfEach); err != nil {
					t.Fatalf("load version %s into the upgraded database: %v", version, err)
				}
			}
			st, err := db.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(st.Facts), fmt.Sprint(facts(tc.old, 1)); got != want {
				t.Errorf("upgraded stats facts = %s, want %s: the old rows and one new row of each table", got, want)
			}
			if want := tc.datasets + 1; st.Datasets != want {
				t.Errorf("upgraded stats datasets = %d, want %d", st.Datasets, want)
			}
		})
	}
}

// facts returns the row counts of every fact table: old's, plus add.
func facts(old map[string]int64, add int64) map[string]int64 {
	out := map[string]int64{}
	for table := range cipmap.FactTables {
		out[table] = old[table] + add
	}
	return out
}

// writeOneOfEach writes one row to each fact table.
func writeOneOfEach(w cipmap.Writer) error {
	year := 2025
	for _, err := range []error{
		w.Financial(&cipmap.Financial{EntityID: "firm-2", Year: year}),
		w.TradeFlow(&cipmap.TradeFlow{Year: year, Reporter: "CHN", Partner: "DEU", HS6: "848340", Flow: "export"}),
		w.Tag(&cipmap.TagFact{EntityID: "firm-1", System: "ctt", Tag: "robotics", Weight: 1, Confidence: 1}),
		w.CrosswalkEdge(&cipmap.CrosswalkEdge{FromSystem: "hs2022", From: "848340", ToSystem: "ctt", To: "robotics", Weight: 1}),
		w.Cluster(&cipmap.ClusterMember{EntityID: "firm-1", ClusterID: "firm-1", Probability: 1, Method: "single"}),
		w.Judgement(&cipmap.Judgement{Left: "firm-1", Right: "firm-2", Decision: "different", Reviewer: "李明"}),
		w.Patent(&cipmap.Patent{PatentID: "CN202310000001.2", ApplicantID: "firm-1", Applicants: 1, IPC: "B25J 9/16", Year: year}),
		w.PatentTag(&cipmap.PatentTag{PatentID: "CN202310000001.2", Year: year, System: "ctt", Tag: "industrial-robots", Weight: 1, Mass: 1}),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestOpenErrors checks that connection failures say what failed, with the right
// code, and never show the password.
func TestOpenErrors(t *testing.T) {
	server := serverURL(t)
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = postgres.Open(ctx, withDatabase(t, server, "cipmap_no_such_database"), postgres.Options{Schemas: schemas})
	if cipmap.ErrorCode(err) != cipmap.ENOTFOUND || !strings.Contains(err.Error(), `"cipmap_no_such_database" does not exist`) {
		t.Errorf("missing database: got %v, want ENOTFOUND naming it", err)
	}
	for _, dsn := range []string{
		"postgres://cipmap:s3cret@127.0.0.1:1/cipmap?sslmode=disable&connect_timeout=2",
		"postgres://cipmap:s3cret@127.0.0.1:notaport/cipmap",
		"postgres://cipmap@127.0.0.1/cipmap?sslmode=bogus&password=s3cret",
	} {
		_, err := postgres.Open(ctx, dsn, postgres.Options{Schemas: schemas})
		if err == nil {
			t.Errorf("%s: opened", dsn)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the password: %v", err)
		}
		if !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("error does not name the host: %v", err)
		}
	}
}

// TestQueryValues checks that Query returns plain Go values whatever the PostgreSQL
// types, and refuses what the conformance suite does not try.
func TestQueryValues(t *testing.T) {
	db := open(t, createDatabase(t), nil)
	ctx := context.Background()
	tab, err := db.Query(ctx, `SELECT 1::smallint, 2::integer, 3::bigint, 1.5::numeric, 2.5::real, 'x'::text,
		timestamptz '2026-01-02 03:04:05+08', NULL::text, $1::bigint`, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), int64(2), int64(3), 1.5, 2.5, "x", time.Date(2026, 1, 1, 19, 4, 5, 0, time.UTC), nil, int64(7)}
	if got := tab.Rows[0]; fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("values = %#v\nwant     %#v", got, want)
	}
	for _, tc := range []struct{ query, code string }{
		{"SELECT 1; DELETE FROM statement", cipmap.EINVALID},
		{"WITH d AS (DELETE FROM statement RETURNING id) SELECT count(*) FROM d", cipmap.EREADONLY},
		{"SELECT * INTO copy_of_statement FROM statement", cipmap.EREADONLY},
		{"COPY statement TO STDOUT", cipmap.EREADONLY},
		{"/* a comment */ SET default_transaction_read_only = off", cipmap.EREADONLY},
		{"SELECT * FROM no_such_table", cipmap.EINVALID},
		{"SELECT $1::int", cipmap.EINVALID}, // no argument given
	} {
		_, err := db.Query(ctx, tc.query)
		if got := cipmap.ErrorCode(err); got != tc.code {
			t.Errorf("%s: got %s (%v), want %s", tc.query, got, err, tc.code)
		}
	}
	tab, err = db.Query(ctx, "-- comment\n(SELECT 1 AS one)")
	if err != nil || len(tab.Rows) != 1 {
		t.Errorf("parenthesised query after a comment: %v %v", tab, err)
	}
}

// TestLoadStreamsAcrossTables interleaves statements and fact rows in more than one
// COPY batch: each switch of table ends one COPY and starts the next.
func TestLoadStreamsAcrossTables(t *testing.T) {
	db := open(t, createDatabase(t), nil)
	ctx := context.Background()
	const n = 2500
	rev := 1.0
	res, err := db.Load(ctx, &cipmap.Dataset{Name: "mix", Version: "1"}, func(w cipmap.Writer) error {
		for i := range n {
			id := fmt.Sprint("firm-", i)
			if err := w.Statement(&cipmap.Statement{EntityID: id, Schema: "Firm", Property: "name", Value: fmt.Sprint("公司", i)}); err != nil {
				return err
			}
			if i%3 == 0 {
				if err := w.Financial(&cipmap.Financial{EntityID: id, Year: 2020, Revenue: &rev}); err != nil {
					return err
				}
			}
		}
		for i := range n {
			if err := w.TradeFlow(&cipmap.TradeFlow{Year: 2020, Reporter: "CHN", Partner: "USA", HS6: fmt.Sprintf("%06d", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Dataset.Statements != n || res.Dataset.Entities != n || res.Dataset.Facts != (n+2)/3+n || res.Added != n {
		t.Errorf("load = %+v", res)
	}
	_, err = db.Load(ctx, &cipmap.Dataset{Name: "bad", Version: "1"}, func(w cipmap.Writer) error {
		return w.Statement(&cipmap.Statement{EntityID: "x", Schema: "Firm", Property: "name", Value: "a\x00b", Source: "bad.csv:3"})
	})
	if cipmap.ErrorCode(err) != cipmap.EINVALID || !strings.Contains(err.Error(), "bad.csv:3") {
		t.Errorf("NUL byte: got %v, want EINVALID naming the record", err)
	}
}

// TestConcurrentLoads runs two loads of the same dataset version at once, as two
// processes ingesting the same files would: one writes it, the other waits for it and
// finds it unchanged.
func TestConcurrentLoads(t *testing.T) {
	dbURL := createDatabase(t)
	a, b := open(t, dbURL, nil), open(t, dbURL, nil)
	results := make([]*cipmap.LoadResult, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, db := range []*postgres.DB{a, b} {
		wg.Go(func() {
			results[i], errs[i] = db.Load(context.Background(), &cipmap.Dataset{Name: "same", Version: "1"}, func(w cipmap.Writer) error {
				for j := range 5000 {
					if err := w.Statement(&cipmap.Statement{EntityID: fmt.Sprint("e", j), Schema: "Firm", Property: "name", Value: "x"}); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if results[0].Unchanged == results[1].Unchanged {
		t.Errorf("unchanged = %v and %v; want one load to write and the other to find the version stored", results[0].Unchanged, results[1].Unchanged)
	}
	ds, err := a.Dataset(context.Background(), "same")
	if err != nil || ds.Statements != 5000 {
		t.Errorf("dataset = %+v, %v; want 5000 statements", ds, err)
	}
}

// allMigrations lists every migration of the migrations folder as the
// cipmap_migrations table records them: [[1 001_init.sql] [2 ...] ...].
func allMigrations(t *testing.T) string {
	t.Helper()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var rows [][]any
	for _, n := range names {
		base := filepath.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, []any{v, base})
	}
	return fmt.Sprint(rows)
}
