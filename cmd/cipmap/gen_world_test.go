package main

import (
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
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
		{"gen", "world", "--out", t.TempDir(), "--patents", "100"}, // sizes the policy layer without --policy
	} {
		if _, _, code := runCLI(t, args...); code == 0 {
			t.Errorf("cipmap %s: exit 0; want an error", strings.Join(args, " "))
		}
	}
}

// TestGenWorldPolicy writes a small world with its policy layer, ingests every
// mapping, and follows the money in SQL: government capital looked through the
// funds of funds reaches exactly the firms, with exactly the amounts, of the
// world's truth (truth/gov_reach.csv, channel guidance-fund).
func TestGenWorldPolicy(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "world")
	db := filepath.Join(dir, "t.duckdb")
	stdout, stderr, code := runCLI(t, "gen", "world", "--firms", "400", "--records", "-1", "--policy", "--seed", "2", "--out", out, "--format", "json")
	if code != 0 {
		t.Fatalf("gen world --policy: exit %d\n%s%s", code, stdout, stderr)
	}
	var res struct {
		Mappings []string `json:"mappings"`
		Policy   struct {
			Investments int `json:"investments"`
			Patents     int `json:"patents"`
		} `json:"policy"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Mappings) != 5 || res.Policy.Investments == 0 {
		t.Fatalf("gen world --policy: %s", stdout)
	}
	mustRun(t, append([]string{"ingest", "--db", db, "--quiet"}, res.Mappings...)...)
	// Yearly rates of the world, for its USD investments.
	fx := "CASE year(CAST(i.date AS DATE))"
	raw, err := os.ReadFile("../../gen/data/fx.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if y, v, ok := strings.Cut(l, ","); ok && len(y) == 4 && y[0] == '2' {
			fx += " WHEN " + y + " THEN " + v
		}
	}
	fx += " END"
	sql := `WITH RECURSIVE lt(gov, fund, share) AS (
	  SELECT owner, asset, CAST(percentage AS DOUBLE) / 100 FROM ownerships
	  WHERE owner LIKE 'world-gov-%' AND asset LIKE 'world-fund-%'
	  UNION ALL
	  SELECT lt.gov, o.asset, lt.share * CAST(o.percentage AS DOUBLE) / 100 FROM lt JOIN ownerships o ON o.owner = lt.fund
	)
	SELECT lt.gov AS gov, i.investee AS firm,
	  round(sum(CAST(i.amount AS DOUBLE) * lt.share * CASE WHEN i.currency = 'USD' THEN ` + fx + ` ELSE 1 END), 2) AS cny
	FROM lt JOIN investments i ON i.investor = lt.fund GROUP BY 1, 2`
	stdout, stderr, code = runCLI(t, "query", "--db", db, "--format", "json", sql)
	if code != 0 {
		t.Fatalf("query: exit %d\n%s%s", code, stdout, stderr)
	}
	var rows []map[string]string
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatalf("query: %v\n%s", err, stdout)
	}
	got := map[string]float64{}
	for _, r := range rows {
		v, _ := strconv.ParseFloat(r["cny"], 64)
		got[r["gov"]+" "+r["firm"]] = v
	}
	f, err := os.Open(filepath.Join(out, "truth", "gov_reach.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	truth, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	id := func(prefix, key string) string {
		h := sha1.Sum([]byte(key + "\x1f"))
		return prefix + "-" + hex.EncodeToString(h[:])[:16]
	}
	n := 0
	for _, r := range truth[1:] {
		if r[2] != "guidance-fund" {
			continue
		}
		n++
		k := id("world-gov", r[0]) + " " + id("world-firm", r[1])
		want, _ := strconv.ParseFloat(r[4], 64)
		g, ok := got[k]
		if !ok || math.Abs(g-want) > 0.02*(1+want*1e-9) {
			t.Errorf("gov %s → firm %s: the store gives %.2f CNY (found %v); the truth %.2f", r[0], r[1], g, ok, want)
		}
		delete(got, k)
	}
	if n == 0 || len(got) != 0 {
		t.Errorf("%d body-firm pairs in the truth; %d more in the store", n, len(got))
	}
}
