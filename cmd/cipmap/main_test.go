package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the cipmap command in a child process:
// with CIPMAP_TEST_MAIN=1 the arguments after "--" go to Main.
func TestMain(m *testing.M) {
	if os.Getenv("CIPMAP_TEST_MAIN") == "1" {
		args := os.Args
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		main2 := NewMain()
		main2.IsTerminal = false
		err := main2.Run(context.Background(), args)
		main2.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "cipmap:", err)
		}
		os.Exit(ExitCode(err))
	}
	os.Exit(m.Run())
}

// cipmap runs Main in this process and returns stdout, stderr and the exit code.
func runCLI(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr, m.IsTerminal = &stdout, &stderr, false
	m.Getenv = func(string) string { return "" }
	err := m.Run(context.Background(), args)
	m.Close()
	if err != nil {
		fmt.Fprintln(&stderr, "cipmap:", err)
	}
	return stdout.String(), stderr.String(), ExitCode(err)
}

// child starts this test binary as the cipmap command.
func child(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "CIPMAP_TEST_MAIN=1")
	return cmd
}

func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("cipmap %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestCommandsOnGeneratedData(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.duckdb")
	mustRun(t, "gen", "firms", "--rows", "200", "--out", filepath.Join(dir, "firms"))
	out := mustRun(t, "ingest", "--db", db, "--format", "json", filepath.Join(dir, "firms", "mapping.yaml"))
	var sums []map[string]any
	if err := json.Unmarshal([]byte(out), &sums); err != nil {
		t.Fatalf("ingest --format json: %v\n%s", err, out)
	}
	if sums[0]["rows"].(float64) != 200 || sums[0]["entities"].(float64) != 200 || sums[0]["statements"].(float64) != 1200 {
		t.Errorf("summary = %v; want 200 rows, 200 firms, 1200 statements (5 properties and the stated currency)", sums[0])
	}
	out = mustRun(t, "ingest", "--db", db, filepath.Join(dir, "firms", "mapping.yaml"))
	if !strings.Contains(out, "unchanged") {
		t.Errorf("second ingest does not say unchanged:\n%s", out)
	}
	out = mustRun(t, "query", "--db", db, "--format", "csv", "SELECT id, name FROM firms ORDER BY id LIMIT 1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || lines[0] != "id,name" {
		t.Fatalf("query csv:\n%s", out)
	}
	id, name, _ := strings.Cut(lines[1], ",")
	out = mustRun(t, "show", "--db", db, "--format", "json", id)
	var e struct {
		Schema     string
		Statements []struct{ Property, Value, Dataset, Source string }
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatal(err)
	}
	if e.Schema != "Firm" || len(e.Statements) != 6 || e.Statements[0].Dataset != "gen-firms" || !strings.HasPrefix(e.Statements[0].Source, "firms.csv:") {
		t.Errorf("show = %+v", e)
	}
	out = mustRun(t, "search", "--db", db, "--format", "csv", name)
	if !strings.Contains(out, id) {
		t.Errorf("search %q does not find %s:\n%s", name, id, out)
	}
	for _, format := range []string{"table", "json", "csv"} {
		for _, cmd := range [][]string{{"datasets"}, {"stats"}, {"search", "科技"}, {"show", id}, {"query", "SELECT 1 AS one"}} {
			args := append([]string{cmd[0], "--db", db, "--format", format}, cmd[1:]...)
			if out := mustRun(t, args...); strings.TrimSpace(out) == "" {
				t.Errorf("%v printed nothing", args)
			}
		}
	}
	_, errOut, code := runCLI(t, "query", "--db", db, "DELETE FROM statement")
	if code != ExitReadOnly || !strings.Contains(errOut, "read") {
		t.Errorf("DELETE through query: exit %d, %s", code, errOut)
	}
	_, _, code = runCLI(t, "show", "--db", db, "no-such-id")
	if code != ExitNotFound {
		t.Errorf("show of a missing id: exit %d, want %d", code, ExitNotFound)
	}
	_, _, code = runCLI(t, "stats", "--db", db, "--format", "xml")
	if code != ExitInvalid {
		t.Errorf("--format xml: exit %d, want %d", code, ExitInvalid)
	}
	_, _, code = runCLI(t, "frobnicate")
	if code != ExitUsage {
		t.Errorf("unknown command: exit %d, want %d", code, ExitUsage)
	}
	// Exports.
	for _, f := range []string{"csv", "ftm", "graphml", "parquet"} {
		path := filepath.Join(dir, "export."+f)
		mustRun(t, "export", "--db", db, "--format", f, "--out", path)
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Errorf("export %s wrote nothing", f)
		}
	}
	n := mustRun(t, "query", "--db", db, "--format", "csv", fmt.Sprintf("SELECT count(*) AS n FROM read_parquet('%s')", filepath.Join(dir, "export.parquet")))
	if strings.TrimSpace(n) != "n\n1200" {
		t.Errorf("parquet export holds %q, want 1200 statements", n)
	}
}

func TestSecondProcessIsToldWhoHoldsTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.duckdb")
	mustRun(t, "gen", "firms", "--rows", "10", "--out", filepath.Join(dir, "firms"))
	mustRun(t, "ingest", "--db", db, filepath.Join(dir, "firms", "mapping.yaml"))
	// This process holds the file open for writing...
	m := NewMain()
	m.Getenv = func(string) string { return "" }
	if _, err := m.openStore(context.Background(), db, false); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	// ...so another cipmap process must say so, naming our PID.
	cmd := child("stats", "--db", db)
	out, err := cmd.CombinedOutput()
	code := cmd.ProcessState.ExitCode()
	if err == nil || code != ExitLocked {
		t.Fatalf("second process: exit %d, want %d\n%s", code, ExitLocked, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("PID %d", os.Getpid())) {
		t.Errorf("message does not name the holder:\n%s", out)
	}
}

func TestKilledIngestLeavesThePreviousVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 1,000,000 rows")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "t.duckdb")
	firms := filepath.Join(dir, "firms")
	mustRun(t, "gen", "firms", "--rows", "1000", "--out", firms)
	mustRun(t, "ingest", "--db", db, filepath.Join(firms, "mapping.yaml"))
	before := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT count(*), sum(hash(id || value)) FROM statements")
	version := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT version FROM datasets")
	// A new version of the same dataset, large enough to be killed midway.
	mustRun(t, "gen", "firms", "--rows", "1000000", "--seed", "2", "--out", firms)
	cmd := child("ingest", "--db", db, filepath.Join(firms, "mapping.yaml"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the ingest finished before it was killed (%v); make it larger\n%s", err, stderr.String())
	}
	after := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT count(*), sum(hash(id || value)) FROM statements")
	if after != before {
		t.Errorf("statements after the kill:\n%s\nwant\n%s", after, before)
	}
	if v := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT version FROM datasets"); v != version {
		t.Errorf("version after the kill %q, want %q", v, version)
	}
	// And the database still takes the new version.
	out := mustRun(t, "ingest", "--db", db, "--format", "json", filepath.Join(firms, "mapping.yaml"))
	if !strings.Contains(out, `"entities": 1000000`) {
		t.Errorf("re-ingest after the kill:\n%s", out)
	}
}
