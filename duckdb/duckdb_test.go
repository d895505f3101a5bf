package duckdb_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/storetest"
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
