package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
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
		want := sameAnswers(t, fromPG, fromDuck, p)
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

// sameAnswers asks both servers for the API answer of path and reports where
// PostgreSQL's differs from DuckDB's, times of load apart; it returns DuckDB's.
func sameAnswers(t *testing.T, fromPG, fromDuck *testServer, path string) any {
	t.Helper()
	var want, got any
	getJSON(t, fromDuck, path, 200, &want)
	getJSON(t, fromPG, path, 200, &got)
	if d := jsonDiff(t, untimed(got), untimed(want)); d != "" {
		t.Errorf("%s from PostgreSQL differs from DuckDB: %s", path, d)
	}
	return want
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

// TestHTTPPostgresWorld serves the generated world from PostgreSQL and from DuckDB
// and wants the same answers from both, for every firm (API and page), a sample of
// every other kind of entity, the sector profiles of the tags most used (whole
// period and a window), a comparison, searches, a trace and a path: the queries of
// every read endpoint run on both stores, over ownership chains, flows, patents
// and policies.
func TestHTTPPostgresWorld(t *testing.T) {
	pg, schemas := postgresStore(t)
	world, mappings := genWorld(t)
	tagPatents(t, ingestInto(t, pg, schemas, mappings...))
	duck := ingestMappings(t, filepath.Dir(world), mappings...)
	tagPatents(t, duck)
	fromPG, fromDuck := serveStore(t, pg), serveStore(t, duck)
	ctx := context.Background()

	var paths, pages []string
	tab, err := duck.Query(ctx, `SELECT schema, id FROM (SELECT DISTINCT schema, id FROM entity
		WHERE schema IN ('Firm', 'Person', 'Fund', 'GovBody', 'Policy', 'Program')) e
		ORDER BY schema, hash(id) LIMIT 100000`)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	api := map[string]string{"Firm": "firms", "Person": "persons", "Fund": "funds", "GovBody": "govbodies", "Policy": "policies", "Program": "programs"}
	var firms []string
	for _, r := range tab.Rows {
		sc, id := cell(r[0]), cell(r[1])
		if n[sc]++; sc != "Firm" && n[sc] > 25 {
			continue
		}
		p := "/" + api[sc] + "/" + url.PathEscape(id)
		paths = append(paths, "/api/v1"+p)
		pages = append(pages, p)
		if sc == "Firm" {
			firms = append(firms, id)
		}
	}
	if n["Firm"] < 300 || n["Person"] == 0 || n["Fund"] == 0 || n["GovBody"] == 0 || n["Policy"] == 0 || n["Program"] == 0 {
		t.Fatalf("entities of the world by schema: %v", n)
	}
	paths = append(paths, "/api/v1/graph/"+url.PathEscape(firms[0]), "/api/v1/firms/"+url.PathEscape(firms[1])+"?sort=amount&limit=2")
	tags, err := duck.Query(ctx, `SELECT tag FROM patent_tags WHERE system = 'ctt' GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 6`)
	if err != nil || len(tags.Rows) < 6 {
		t.Fatalf("tags: %v %v", tags, err)
	}
	for _, r := range tags.Rows {
		tag := url.PathEscape(cell(r[0]))
		paths = append(paths, "/api/v1/sectors/"+tag, "/api/v1/sectors/"+tag+"?from=2018&to=2022")
		pages = append(pages, "/sectors/"+tag)
	}
	paths = append(paths, "/api/v1/sectors/compare?tag="+url.QueryEscape(cell(tags.Rows[0][0]))+","+url.QueryEscape(cell(tags.Rows[1][0])))
	names, err := duck.Query(ctx, `SELECT DISTINCT value FROM statement WHERE schema = 'Firm' AND property = 'name' ORDER BY value LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range names.Rows {
		v := []rune(cell(r[0]))
		paths = append(paths, "/api/v1/search?q="+url.QueryEscape(string(v[:min(len(v), 4)])))
	}
	gov, err := duck.Query(ctx, `SELECT giver, receiver FROM flows WHERE schema = 'Grant' AND giver IS NOT NULL ORDER BY id LIMIT 1`)
	if err != nil || len(gov.Rows) == 0 {
		t.Fatalf("a grant: %v %v", gov, err)
	}
	g, f := url.QueryEscape(cell(gov.Rows[0][0])), url.QueryEscape(cell(gov.Rows[0][1]))
	paths = append(paths, "/api/v1/trace?from="+g, "/api/v1/trace?depth=3&from="+g, "/api/v1/path?a="+g+"&b="+f, "/api/v1/datasets")

	for _, p := range paths {
		sameAnswers(t, fromPG, fromDuck, p)
	}
	for _, p := range pages {
		if got, want := getPage(t, fromPG, p), getPage(t, fromDuck, p); got != want {
			t.Errorf("page %s from PostgreSQL differs from DuckDB", p)
		}
	}
	// With the firms' facts loaded, PostgreSQL's profiles are computed from them
	// and the sectors' bases (sector.LoadFacts, BuildBasis); DuckDB's still come
	// from sector.Build: the same answers, for years not asked before.
	srv, ok := fromPG.Config.Handler.(*Server)
	if !ok {
		t.Fatalf("handler %T", fromPG.Config.Handler)
	}
	// The facts are those of the firms in some sector: 185 of the 300.
	if n, err := srv.loadFacts(ctx); err != nil || n < 100 {
		t.Fatalf("facts from PostgreSQL: %d firms, %v", n, err)
	}
	for _, r := range tags.Rows {
		for _, w := range []string{"?from=2016", "?to=2019", "?from=2017&to=2020"} {
			p := "/api/v1/sectors/" + url.PathEscape(cell(r[0])) + w
			sameAnswers(t, fromPG, fromDuck, p)
			paths = append(paths, p)
		}
	}
	if len(srv.an.bases) != len(tags.Rows) {
		t.Errorf("%d bases kept, want %d", len(srv.an.bases), len(tags.Rows))
	}
	t.Logf("%d API answers and %d pages the same from both stores", len(paths), len(pages))
}

// getPage returns the body of a page, which must answer 200.
func getPage(t *testing.T, ts *testServer, path string) string {
	t.Helper()
	resp, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %v", path, resp.StatusCode, err)
	}
	return string(b)
}
