package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// postIngest sends a mapping and its files to /api/v1/ingest as curl -F does.
func postIngest(t *testing.T, base, token, mapping string, files ...string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i, f := range append([]string{mapping}, files...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		field := filepath.Base(f)
		if i == 0 {
			field = "mapping"
		}
		fw, _ := mw.CreateFormFile(field, filepath.Base(f))
		fw.Write(b)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/ingest", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// ingestSummary is the part of an ingest's summary both ways must agree on.
type ingestSummary struct {
	Status     string `json:"status"`
	Dataset    string `json:"dataset"`
	Version    string `json:"version"`
	Rows       int64  `json:"rows"`
	Entities   int64  `json:"entities"`
	Statements int64  `json:"statements"`
	Rejects    int64  `json:"rejects"`
	Added      int64  `json:"statements_added"`
	Removed    int64  `json:"statements_removed"`
}

func reconcileTop(t *testing.T, base, name string) string {
	t.Helper()
	q, _ := json.Marshal(map[string]any{"q0": map[string]any{"query": name}})
	req, _ := http.NewRequest("GET", base+"/reconcile?queries="+url.QueryEscape(string(q)), nil)
	var out map[string]struct {
		Result []struct {
			Name  string
			Match bool
		}
	}
	httpJSON(t, req, 200, &out)
	if r := out["q0"].Result; len(r) > 0 && r[0].Match {
		return r[0].Name
	}
	return ""
}

// A mapping sent to cipmap serve loads as `cipmap ingest` loads it (same version,
// rows, entities and statements), and reconciliation sees the new firms at once.
func TestServeIngestAsTheCLIDoes(t *testing.T) {
	dir, _ := resolveFixture(t) // registry and procurement, ingested by the CLI
	var cli []ingestSummary
	if err := json.Unmarshal([]byte(mustRun(t, "ingest", "--db", filepath.Join(t.TempDir(), "c.duckdb"), "--format", "json",
		filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "procurement.yaml"))), &cli); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "s.duckdb")
	const token = "t0ken"
	base, stop := startServe(t, db, map[string]string{"CIPMAP_TOKEN": token})
	stop = once(stop)
	defer stop()

	var reg ingestSummary
	httpJSON(t, postIngest(t, base, token, filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "registry.csv")), 200, &reg)
	const english = "Semiconductor Manufacturing International Corporation"
	if got := reconcileTop(t, base, english); got == english {
		t.Fatalf("before the procurement data: %q matched itself", got)
	}
	var proc ingestSummary
	httpJSON(t, postIngest(t, base, token, filepath.Join(dir, "procurement.yaml"), filepath.Join(dir, "procurement.csv")), 200, &proc)
	for i, got := range []ingestSummary{reg, proc} {
		want := cli[i]
		want.Status = "loaded"
		if got != want {
			t.Errorf("through the API:\n %+v\nwith cipmap ingest:\n %+v", got, want)
		}
	}
	if got := reconcileTop(t, base, english); got != english {
		t.Errorf("after the procurement data: %q, want the new record %q", got, english)
	}
	// Wrong token: 401, nothing written.
	var e struct{ Error struct{ Code string } }
	httpJSON(t, postIngest(t, base, "nope", filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "registry.csv")), 401, &e)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "stats", "--db", db)
	if !strings.Contains(out, "datasets                    2") || !strings.Contains(out, "entities: Firm              15") {
		t.Errorf("cipmap stats after the API ingests:\n%s", out)
	}
}

// Without CIPMAP_TOKEN an ingest is refused (403); --max-upload bounds the body.
func TestServeIngestLimits(t *testing.T) {
	dir, db := resolveFixture(t)
	base, stop := startServe(t, db, nil)
	stop = once(stop)
	defer stop()
	var e struct {
		Error struct{ Code, Message string }
	}
	httpJSON(t, postIngest(t, base, "anything", filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "registry.csv")), 403, &e)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	big := filepath.Join(t.TempDir(), "registry.csv")
	var b strings.Builder
	b.WriteString("id,name,uscc,city,founded,rep\n")
	for i := 0; b.Len() < 3<<19; i++ {
		fmt.Fprintf(&b, "x%d,测试企业%06d有限公司,,深圳,2001-01-01,张三\n", i, i)
	}
	os.WriteFile(big, []byte(b.String()), 0o644)
	base, stop2 := startServe(t, db, map[string]string{"CIPMAP_TOKEN": "k"}, "--max-upload", "1")
	defer stop2()
	httpJSON(t, postIngest(t, base, "k", filepath.Join(dir, "registry.yaml"), big), 413, &e)
	if !strings.Contains(e.Error.Message, "larger than 1 MiB") {
		t.Errorf("413: %q", e.Error.Message)
	}
	var ok ingestSummary
	httpJSON(t, postIngest(t, base, "k", filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "registry.csv")), 200, &ok)
	if ok.Status != "unchanged" {
		t.Errorf("the registry again: %+v", ok)
	}
	_, _, code := runCLI(t, "serve", "--max-upload", "0")
	if code == 0 {
		t.Error("--max-upload 0 accepted")
	}
}

// once makes a stop function safe to call again (deferred and explicit).
func once(stop func() error) func() error {
	var done bool
	var err error
	return func() error {
		if !done {
			done, err = true, stop()
		}
		return err
	}
}
