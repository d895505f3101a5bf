package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenWorld writes a small world, ingests it, resolves it and scores the result
// against the world's truth: every record of the truth must be one the store has.
func TestGenWorld(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "world")
	db := filepath.Join(dir, "t.duckdb")
	stdout, stderr, code := runCLI(t, "gen", "world", "--firms", "600", "--seed", "3", "--out", out, "--format", "json")
	if code != 0 {
		t.Fatalf("gen world: exit %d\n%s%s", code, stdout, stderr)
	}
	var res struct {
		Firms      int      `json:"firms"`
		Records    int      `json:"records"`
		TruthRows  int      `json:"truth_rows"`
		Ownerships int      `json:"ownership_edges"`
		Mappings   []string `json:"mappings"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("gen world --format json: %v\n%s", err, stdout)
	}
	if res.Firms != 600 || res.Records != 2000 || len(res.Mappings) != 5 || res.Ownerships == 0 {
		t.Fatalf("gen world: %+v", res)
	}
	if !strings.Contains(stderr, "cipmap ingest "+filepath.Join(out, "mapping-registry.yaml")) {
		t.Errorf("gen world does not say what to run next: %s", stderr)
	}
	// The same seed writes the same files.
	out2 := filepath.Join(dir, "world2")
	table := mustRun(t, "gen", "world", "--firms", "600", "--seed", "3", "--out", out2)
	for _, want := range []string{"ownership edges", "records: procurement", "truth/records.csv", "next: cipmap ingest"} {
		if !strings.Contains(table, want) {
			t.Errorf("gen world table has no %q:\n%s", want, table)
		}
	}
	for _, f := range []string{"registry/firms.csv", "sources/investments.csv", "truth/records.csv"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(out2, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}

	mustRun(t, append([]string{"ingest", "--db", db, "--quiet"}, res.Mappings...)...)
	mustRun(t, "resolve", "--db", db, "--quiet")
	stdout, stderr, code = runCLI(t, "resolve", "eval", "--db", db, "--truth", filepath.Join(out, "truth", "records.csv"), "--format", "json")
	if code != 0 {
		t.Fatalf("resolve eval: exit %d\n%s%s", code, stdout, stderr)
	}
	var sc struct {
		Records int     `json:"records"`
		F1      float64 `json:"f1"`
	}
	if err := json.Unmarshal([]byte(stdout), &sc); err != nil {
		t.Fatalf("resolve eval: %v\n%s", err, stdout)
	}
	if sc.Records != res.TruthRows {
		t.Errorf("resolve eval scored %d records; the truth has %d (%s)", sc.Records, res.TruthRows, strings.TrimSpace(stderr))
	}
	t.Logf("600 firms, %d records: pairwise F1 %.3f", res.Records, sc.F1)
}

func TestGenWorldUsage(t *testing.T) {
	for _, args := range [][]string{
		{"gen", "world"}, // no --out
		{"gen", "world", "--out", t.TempDir(), "extra"},        // a stray argument
		{"gen", "world", "--out", t.TempDir(), "--firms", "0"}, // no firms
		{"gen", "world", "--out", t.TempDir(), "--format", "xml"},
	} {
		if _, _, code := runCLI(t, args...); code == 0 {
			t.Errorf("cipmap %s: exit 0; want an error", strings.Join(args, " "))
		}
	}
}
