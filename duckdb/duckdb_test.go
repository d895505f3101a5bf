package duckdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/storetest"
	duck "github.com/duckdb/duckdb-go/v2"
)

func open(t *testing.T, now cipmap.Clock) cipmap.Store {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(context.Background(), filepath.Join(t.TempDir(), "test.duckdb"), duckdb.Options{Schemas: schemas, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

// TestLockedBySecondProcess opens the file from this process, then runs a helper
// process that tries to open it too: it must get ELOCKED naming our PID.
func TestLockedBySecondProcess(t *testing.T) {
	if os.Getenv("CIPMAP_LOCK_HELPER") != "" {
		schemas, _ := schema.Load()
		_, err := duckdb.Open(context.Background(), os.Getenv("CIPMAP_LOCK_HELPER"), duckdb.Options{Schemas: schemas})
		if err == nil {
			os.Stdout.WriteString("opened\n")
			return
		}
		os.Stdout.WriteString(cipmap.ErrorCode(err) + ": " + err.Error() + "\n")
		return
	}
	path := filepath.Join(t.TempDir(), "locked.duckdb")
	schemas, _ := schema.Load()
	db, err := duckdb.Open(context.Background(), path, duckdb.Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockedBySecondProcess$")
	cmd.Env = append(os.Environ(), "CIPMAP_LOCK_HELPER="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	got := string(out)
	if !strings.Contains(got, cipmap.ELOCKED+": ") || !strings.Contains(got, "in use by another process (PID ") {
		t.Errorf("second process got %q; want an ELOCKED error naming the holder's PID", got)
	}
	if !strings.Contains(got, "PID "+itoa(os.Getpid())) {
		t.Errorf("second process got %q; want it to name PID %d", got, os.Getpid())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestUpgrade opens files made by the first migrations alone, as an older cipmap
// left them: opened read-only they report no rows of the tables they lack, opened
// for writing they gain every later table and keep their data.
func TestUpgrade(t *testing.T) {
	for _, tc := range []struct {
		name       string
		migrations []string         // applied by the older cipmap
		rows       []string         // its data besides dataset fin and its financials row
		old        map[string]int64 // its fact rows, by table
		datasets   int64            // its datasets
	}{
		{"from001", []string{"001_init.sql"}, nil, map[string]int64{"financials": 1}, 1},
		{"from002", []string{"001_init.sql", "002_tags_crosswalks.sql"}, []string{
			`INSERT INTO dataset VALUES ('tagged', NULL, 'v1', NULL, NULL, NULL, TIMESTAMP '2025-07-01 00:00:00',
				TIMESTAMP '2025-07-01 00:00:00', 2, 0, 0, 2, 0)`,
			`INSERT INTO tags (entity_id, system, tag, weight, confidence, dataset) VALUES ('firm-1', 'ctt', 'robotics', 1, 1, 'tagged')`,
			`INSERT INTO crosswalk_edges (from_system, from_code, to_system, to_code, weight, partial, sample_size, dataset)
				VALUES ('hs2022', '848340', 'ctt', 'robotics', 1, false, 0, 'tagged')`,
		}, map[string]int64{"financials": 1, "tags": 1, "crosswalk_edges": 1}, 2},
		// A file from before dataset params (004) and the patent tables (006) gains them.
		{"from003", []string{"001_init.sql", "002_tags_crosswalks.sql", "003_clusters_judgements.sql"}, nil,
			map[string]int64{"financials": 1}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "old.duckdb")
			connector, err := duck.NewConnector(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			old := sql.OpenDB(connector)
			qs := []string{`CREATE TABLE cipmap_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`}
			for i, name := range tc.migrations {
				body, err := os.ReadFile("migrations/" + name)
				if err != nil {
					t.Fatal(err)
				}
				qs = append(qs, string(body),
					fmt.Sprintf(`INSERT INTO cipmap_migrations VALUES (%d, '%s', TIMESTAMP '2025-06-01 00:00:00')`, i+1, name))
			}
			qs = append(qs,
				`INSERT INTO dataset VALUES ('fin', NULL, 'v1', NULL, NULL, NULL, TIMESTAMP '2025-06-01 00:00:00',
					TIMESTAMP '2025-06-01 00:00:00', 1, 0, 0, 1, 0)`,
				`INSERT INTO financials (entity_id, year, revenue, dataset) VALUES ('firm-1', 2024, 1.5e8, 'fin')`,
				// A holding stated before the edges table (005) existed.
				`INSERT INTO statement VALUES ('own-1', 'Ownership', 'owner', 'p-1', NULL, NULL, 'fin', 'a.csv:2', TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2025-06-01 00:00:00'),
					('own-1', 'Ownership', 'asset', 'firm-1', NULL, NULL, 'fin', 'a.csv:2', TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2025-06-01 00:00:00'),
					('firm-1', 'Firm', 'name', '甲公司', NULL, NULL, 'fin', 'a.csv:3', TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2025-06-01 00:00:00'),
					('firm-1', 'Firm', 'province', '四川省', NULL, NULL, 'fin', 'a.csv:3', TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2025-06-01 00:00:00')`,
				`INSERT INTO entity VALUES ('own-1', 'Ownership', 'own-1', 'fin', 2, TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2025-06-01 00:00:00'),
					('firm-1', 'Firm', '甲公司', 'fin', 2, TIMESTAMP '2025-06-01 00:00:00', TIMESTAMP '2025-06-01 00:00:00')`)
			for _, q := range append(qs, tc.rows...) {
				if _, err := old.ExecContext(ctx, q); err != nil {
					t.Fatalf("make an old database: %v\n%s", err, q)
				}
			}
			if err := old.Close(); err != nil {
				t.Fatal(err)
			}
			schemas, err := schema.Load()
			if err != nil {
				t.Fatal(err)
			}

			ro, err := duckdb.Open(ctx, path, duckdb.Options{Schemas: schemas, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			st, err := ro.Stats(ctx)
			if err != nil {
				t.Fatalf("stats of an old database opened read-only: %v", err)
			}
			// A file from before dataset params lists its datasets all the same.
			if _, err := ro.Datasets(ctx); err != nil {
				t.Fatalf("datasets of an old database opened read-only: %v", err)
			}
			ro.Close()
			if got, want := fmt.Sprint(st.Facts), fmt.Sprint(facts(tc.old, 0)); got != want {
				t.Errorf("read-only stats facts = %s, want %s", got, want)
			}

			now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
			db, err := duckdb.Open(ctx, path, duckdb.Options{Schemas: schemas, Now: now})
			if err != nil {
				t.Fatalf("upgrade: %v", err)
			}
			defer db.Close()
			tab, err := db.Query(ctx, "SELECT version, name FROM cipmap_migrations ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(tab.Rows), allMigrations(t); got != want {
				t.Errorf("migrations = %s, want %s", got, want)
			}
			// The edges of the old statements are built on upgrade.
			if tab, err := db.Query(ctx, "SELECT from_id, to_id, dataset, source FROM edges"); err != nil {
				t.Fatal(err)
			} else if got := fmt.Sprint(tab.Rows); got != "[[p-1 firm-1 fin a.csv:2]]" {
				t.Errorf("edges after upgrade = %s, want the old holding's", got)
			}
			// So are the nodes, from the old entity rows.
			if tab, err := db.Query(ctx, "SELECT id, schema, caption, name, province, dataset, source FROM nodes"); err != nil {
				t.Fatal(err)
			} else if got := fmt.Sprint(tab.Rows); got != "[[firm-1 Firm 甲公司 甲公司 四川省 fin a.csv:3]]" {
				t.Errorf("nodes after upgrade = %s, want the old firm", got)
			}
			_, err = db.Load(ctx, &cipmap.Dataset{Name: "new", Version: "1"}, writeOneOfEach)
			if err != nil {
				t.Fatalf("load into the upgraded database: %v", err)
			}
			if st, err = db.Stats(ctx); err != nil {
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
