package duckdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// TestUpgradeFrom001 opens a file made by the first migration alone, as an older
// cipmap left it: opened read-only it reports no tags, opened for writing it gains
// the tags and crosswalk_edges tables and keeps its data.
func TestUpgradeFrom001(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	body, err := os.ReadFile("migrations/001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	connector, err := duck.NewConnector(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := sql.OpenDB(connector)
	for _, q := range []string{
		string(body),
		`CREATE TABLE cipmap_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`,
		`INSERT INTO cipmap_migrations VALUES (1, '001_init.sql', TIMESTAMP '2025-06-01 00:00:00')`,
		`INSERT INTO dataset VALUES ('fin', NULL, 'v1', NULL, NULL, NULL, TIMESTAMP '2025-06-01 00:00:00',
			TIMESTAMP '2025-06-01 00:00:00', 1, 0, 0, 1, 0)`,
		`INSERT INTO financials (entity_id, year, revenue, dataset) VALUES ('firm-1', 2024, 1.5e8, 'fin')`,
	} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("make a 001 database: %v\n%s", err, q)
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
	ro.Close()
	if err != nil {
		t.Fatalf("stats of a 001 database opened read-only: %v", err)
	}
	if st.Facts["financials"] != 1 || st.Facts["tags"] != 0 || st.Facts["crosswalk_edges"] != 0 {
		t.Errorf("read-only stats facts = %v, want 1 financials row and no tags or edges", st.Facts)
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
	if got := fmt.Sprint(tab.Rows); got != "[[1 001_init.sql] [2 002_tags_crosswalks.sql]]" {
		t.Errorf("migrations = %s, want 001 and 002", got)
	}
	_, err = db.Load(ctx, &cipmap.Dataset{Name: "tagged", Version: "1"}, func(w cipmap.Writer) error {
		if err := w.Tag(&cipmap.TagFact{EntityID: "firm-1", System: "ctt", Tag: "robotics", Weight: 1, Confidence: 1}); err != nil {
			return err
		}
		return w.CrosswalkEdge(&cipmap.CrosswalkEdge{FromSystem: "hs2022", From: "848340", ToSystem: "ctt", To: "robotics", Weight: 1})
	})
	if err != nil {
		t.Fatalf("load tags into the upgraded database: %v", err)
	}
	if st, err = db.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	if st.Facts["financials"] != 1 || st.Facts["tags"] != 1 || st.Facts["crosswalk_edges"] != 1 || st.Datasets != 2 {
		t.Errorf("upgraded stats = %+v, want the old financials row and the new tag and edge", st)
	}
}
