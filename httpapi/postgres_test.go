package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/postgres"
	"github.com/cipmap/cipmap/schema"
	"github.com/jackc/pgx/v5"
)

// TestHTTPPostgres serves the entity fixture from PostgreSQL and from DuckDB and
// checks that every entity page's API answers the same: the pages' queries (edges
// and nodes by key, ownership neighbourhoods, patents, id sets) run on both stores.
// It needs CIPMAP_TEST_POSTGRES, as the store's own tests do (.ci/run sets it).
func TestHTTPPostgres(t *testing.T) {
	pg, schemas := postgresStore(t)
	dir := t.TempDir()
	for n, body := range entityFiles {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mp := filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(mp, []byte(entityMapping), 0o644); err != nil {
		t.Fatal(err)
	}
	fromPG := serveStore(t, ingestInto(t, pg, schemas, mp))
	fromDuck := newEntityServer(t)
	pages := []string{"/api/v1/firms/" + tid("f1"), "/api/v1/firms/" + tid("f1") + "?sort=amount",
		"/api/v1/persons/" + tid("p1"), "/api/v1/funds/" + tid("fd1"), "/api/v1/funds/" + tid("fd2"),
		"/api/v1/govbodies/" + tid("g1"), "/api/v1/policies/" + tid("po1"), "/api/v1/programs/" + tid("pg1"),
		"/api/v1/graph/" + tid("f1")}
	for _, p := range pages {
		var want, got any
		getJSON(t, fromDuck, p, 200, &want)
		getJSON(t, fromPG, p, 200, &got)
		if d := jsonDiff(t, untimed(got), untimed(want)); d != "" {
			t.Errorf("%s from PostgreSQL differs from DuckDB: %s", p, d)
		}
		if p == pages[0] {
			f := want.(map[string]any)
			flows, _ := f["flows"].(map[string]any)
			items, _ := flows["items"].([]any)
			if st, _ := f["statements"].([]any); len(st) == 0 || len(items) == 0 || f["ownership"] == nil {
				t.Errorf("%s: the fixture firm has no statements, flows or ownership: nothing compared", p)
			}
		}
	}
}

// untimed drops the times the stores stamped at load (first and last seen), which
// differ between two loads.
func untimed(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k := range x {
			if k == "first_seen" || k == "last_seen" || k == "ingested_at" {
				delete(x, k)
			} else {
				x[k] = untimed(x[k])
			}
		}
	case []any:
		for i := range x {
			x[i] = untimed(x[i])
		}
	}
	return v
}

// postgresStore opens a new database of its own on the server of
// CIPMAP_TEST_POSTGRES, dropped at the end of the test; the test is skipped
// without it, as the store's own tests are (.ci/run sets it).
func postgresStore(t *testing.T) (*postgres.DB, cipmap.Schemas) {
	t.Helper()
	server := os.Getenv("CIPMAP_TEST_POSTGRES")
	if server == "" {
		t.Skip("CIPMAP_TEST_POSTGRES is not set (scripts/postgres.sh start DIR PORT starts a server and prints it)")
	}
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	name := "cipmap_http_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatal(err)
	}
	admin.Close(ctx)
	t.Cleanup(func() {
		if admin, err := pgx.Connect(ctx, server); err == nil {
			admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			admin.Close(ctx)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	pg, err := postgres.Open(ctx, u.String(), postgres.Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	return pg, schemas
}
