package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// resolveFixture ingests two small sources that name the same firms differently:
// a registry with credit codes, cities and founding dates, and a procurement
// extract with short, English and mistyped names.
func resolveFixture(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	registry := "id,name,uscc,city,founded,rep\n" +
		"r1,华为技术有限公司,914403001922038216,深圳,1987-09-15,赵明旭\n" +
		"r2,深圳市大疆创新科技有限公司,914403007954257495,深圳,2006-12-26,汪涛\n" +
		"r3,北京百度网讯科技有限公司,91110000802100433B,北京,2001-06-05,梁志祥\n" +
		"r4,中芯国际集成电路制造（上海）有限公司,91310000607206953D,上海,2000-12-21,张汝京\n" +
		"r5,科大讯飞股份有限公司,91340000711771143J,合肥,1999-12-30,刘庆峰\n" +
		"r6,杭州海康威视数字技术股份有限公司,91330000733796106P,杭州,2001-11-30,胡扬忠\n"
	procurement := "award,supplier,city\n" +
		"a1,华为技术有限公司,深圳\n" +
		"a2,HUAWEI TECH CO LTD,\n" +
		"a3,Huawei Technologies Co.，Ltd.,Shenzhen\n" +
		"a4,大疆创新科技（深圳）有限公司,深圳\n" +
		"a5,\"SZ DJI Technology Co., Ltd.\",\n" +
		"a6,北京百度网讯科技有限公司,北京\n" +
		"a7,Semiconductor Manufacturing International Corporation,上海\n" +
		"a8,海康威视数字技术股份有限公司,杭州\n" +
		"a9,科大讯飞股份有限公司,合肥\n"
	os.WriteFile(filepath.Join(dir, "registry.csv"), []byte(registry), 0o644)
	os.WriteFile(filepath.Join(dir, "procurement.csv"), []byte(procurement), 0o644)
	os.WriteFile(filepath.Join(dir, "registry.yaml"), []byte(`dataset: {name: registry, title: test registry, licence: test}
source: {path: registry.csv}
entities:
  - key: firm
    schema: Firm
    id: {columns: [id], prefix: reg}
    properties:
      name: {column: name, lang: zh}
      uscc: {column: uscc, invalid: drop}
      city: city
      founded: founded
      legal_representative: rep
`), 0o644)
	os.WriteFile(filepath.Join(dir, "procurement.yaml"), []byte(`dataset: {name: procurement, title: test awards, licence: test}
source: {path: procurement.csv}
entities:
  - key: supplier
    schema: Firm
    id: {columns: [award], prefix: sup}
    properties:
      name: supplier
      city: city
`), 0o644)
	db = filepath.Join(dir, "r.duckdb")
	mustRun(t, "ingest", "--db", db, filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "procurement.yaml"))
	return dir, db
}

// clusterOf reads record → cluster from the database.
func clusterOf(t *testing.T, db string) map[string]string {
	t.Helper()
	rows := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv", "SELECT entity_id, cluster_id, method FROM clusters WHERE dataset = 'resolve'"))
	out := map[string]string{}
	for _, r := range rows {
		out[r["entity_id"]] = r["cluster_id"]
	}
	return out
}

// Resolve, eval, match and review from the command line: cross-script names come
// together, an identifier-less translation stays apart, a "different" judgement
// survives a re-run and a re-ingest, and judgements round-trip through a file.
func TestResolveMatchReview(t *testing.T) {
	dir, db := resolveFixture(t)
	out := mustRun(t, "resolve", "--db", db, "--format", "json")
	var res struct {
		State string `json:"state"`
		Stats struct {
			Records, Clusters int
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.State != "loaded" || res.Stats.Records != 15 {
		t.Fatalf("resolve: %v %s", err, out)
	}
	c := clusterOf(t, db)
	id := func(prefix, key string) string {
		rows := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
			"SELECT DISTINCT entity_id FROM statements WHERE entity_id LIKE '"+prefix+"-%' AND source LIKE '%:"+key+"'"))
		if len(rows) != 1 {
			t.Fatalf("record %s line %s: %v", prefix, key, rows)
		}
		return rows[0]["entity_id"]
	}
	huawei := []string{id("reg", "2"), id("sup", "2"), id("sup", "3"), id("sup", "4")}
	for _, r := range huawei[1:] {
		if c[r] != c[huawei[0]] {
			t.Errorf("Huawei record %s in %s, registry in %s", r, c[r], c[huawei[0]])
		}
	}
	smic, smicEN := id("reg", "5"), id("sup", "8")
	if c[smic] == c[smicEN] {
		t.Errorf("SMIC's English name joined its Chinese one by name alone")
	}
	// Eval against a truth by name, the rest as firms of their own.
	truth := filepath.Join(dir, "truth.csv")
	os.WriteFile(truth, []byte("name,firm_id\n华为技术有限公司,huawei\nHUAWEI TECH CO LTD,huawei\nHuawei Technologies Co.，Ltd.,huawei\n"+
		"深圳市大疆创新科技有限公司,dji\n大疆创新科技（深圳）有限公司,dji\n\"SZ DJI Technology Co., Ltd.\",dji\n"+
		"中芯国际集成电路制造（上海）有限公司,smic\nSemiconductor Manufacturing International Corporation,smic\n"+
		"北京百度网讯科技有限公司,baidu\n杭州海康威视数字技术股份有限公司,hik\n海康威视数字技术股份有限公司,hik\n科大讯飞股份有限公司,iflytek\n"), 0o644)
	out, errOut, code := runCLI(t, "resolve", "eval", "--db", db, "--truth", truth, "--by", "name", "--format", "json")
	if code != 0 {
		t.Fatalf("eval: %d %s", code, errOut)
	}
	var sc struct {
		Precision, Recall float64
		Records           int
	}
	json.Unmarshal([]byte(out), &sc)
	if sc.Records != 15 || sc.Precision < 0.99 || sc.Recall < 0.5 {
		t.Errorf("eval %s", out)
	}
	// Match, in both scripts.
	for _, q := range []string{"华为技术有限公司", "Huawei Technologies Co., Ltd."} {
		rows := csvRows(t, mustRun(t, "match", "--db", db, "--format", "csv", q))
		if len(rows) == 0 || rows[0]["firm"] != c[huawei[0]] {
			t.Errorf("match %s: %v", q, rows)
		}
	}
	rows := csvRows(t, mustRun(t, "match", "--db", db, "--format", "csv", "--uscc", "91310000607206953D", "中芯"))
	if len(rows) == 0 || rows[0]["record"] != smic || rows[0]["method"] != "identifier" {
		t.Errorf("match by credit code: %v", rows)
	}
	// Judge two Huawei records different; it survives a re-run and a re-ingest.
	mustRun(t, "review", "judge", "--db", db, "--reviewer", "tester", huawei[0], huawei[1], "different", "--note", "test")
	mustRun(t, "resolve", "--db", db)
	if c2 := clusterOf(t, db); c2[huawei[0]] == c2[huawei[1]] {
		t.Errorf("judged different, still one firm after a re-run")
	}
	mustRun(t, "ingest", "--db", db, "--force", filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "procurement.yaml"))
	mustRun(t, "resolve", "--db", db)
	c3 := clusterOf(t, db)
	if c3[huawei[0]] == c3[huawei[1]] {
		t.Errorf("judged different, one firm again after a re-ingest")
	}
	if c3[huawei[0]] != c[huawei[0]] {
		t.Errorf("the registry record's cluster id changed: %s → %s", c[huawei[0]], c3[huawei[0]])
	}
	// Export, import into a fresh database, and the judgement holds there too.
	file := filepath.Join(dir, "judgements.csv")
	mustRun(t, "review", "export", "--db", db, "--out", file)
	data, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(data), "# cipmap judgements v1\nleft_id,right_id,decision") || !strings.Contains(string(data), "different,tester") {
		t.Errorf("judgements file:\n%s", data)
	}
	db2 := filepath.Join(dir, "r2.duckdb")
	mustRun(t, "ingest", "--db", db2, filepath.Join(dir, "registry.yaml"), filepath.Join(dir, "procurement.yaml"))
	mustRun(t, "review", "import", "--db", db2, file)
	mustRun(t, "resolve", "--db", db2)
	if c4 := clusterOf(t, db2); c4[huawei[0]] == c4[huawei[1]] {
		t.Errorf("imported judgement not honoured")
	}
	// A bad judgements file is refused with its line.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("# cipmap judgements v1\nleft_id,right_id,decision,reviewer,decided_at,note\na,b,maybe,x,,\n"), 0o644)
	if _, errOut, code := runCLI(t, "review", "import", "--db", db2, bad); code != ExitInvalid || !strings.Contains(errOut, "bad.csv:3") {
		t.Errorf("bad judgements file: exit %d %s", code, errOut)
	}
}

// The interactive review reads decisions from its input and stores them.
func TestReviewInteractive(t *testing.T) {
	_, db := resolveFixture(t)
	mustRun(t, "resolve", "--db", db, "--threshold", "0.99999999", "--review-from", "0.0001")
	queue := csvRows(t, mustRun(t, "review", "list", "--db", db, "--format", "csv"))
	if len(queue) == 0 {
		t.Fatal("no pair in the review band")
	}
	m := NewMain()
	var stdout, stderr strings.Builder
	m.Stdout, m.Stderr, m.Stdin = &stdout, &stderr, strings.NewReader("x\nd\nq\n")
	m.Getenv = func(string) string { return "" }
	err := m.Run(t.Context(), []string{"review", "--db", db, "--reviewer", "tester"})
	m.Close()
	if err != nil {
		t.Fatalf("review: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "record A") || !strings.Contains(stdout.String(), "1 decision(s) recorded") {
		t.Errorf("review output:\n%s", stdout.String())
	}
	after := csvRows(t, mustRun(t, "review", "list", "--db", db, "--format", "csv"))
	if len(after) != len(queue)-1 {
		t.Errorf("queue %d → %d, want one fewer", len(queue), len(after))
	}
}

// bench match runs queries from the database's own records and finds each.
func TestBenchMatch(t *testing.T) {
	_, db := resolveFixture(t)
	rows := csvRows(t, mustRun(t, "bench", "match", "--db", db, "--queries", "200", "--format", "csv"))
	got := map[string]string{}
	for _, r := range rows {
		got[r["measure"]] = r["value"]
	}
	if got["records indexed"] != "15" || got["queries"] != "200" || got["the queried record or its firm among the top 10 (share)"] != "1.000" || got["median latency (ms)"] == "" {
		t.Errorf("bench match: %v", got)
	}
}

// TestResolveIncremental resolves a world without one source, adds the source and
// resolves it incrementally: the earlier clusters keep their ids and rows, the new
// records join them about as well as a full run does, and an incremental run with
// no earlier run is refused.
func TestResolveIncremental(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "world")
	mustRun(t, "gen", "world", "--firms", "1500", "--records", "5000", "--seed", "5", "--out", out)
	maps, err := filepath.Glob(filepath.Join(out, "mapping-*.yaml"))
	if err != nil || len(maps) != 5 {
		t.Fatalf("mappings: %v %v", maps, err)
	}
	var rest []string
	last := filepath.Join(out, "mapping-procurement.yaml")
	for _, m := range maps {
		if m != last {
			rest = append(rest, m)
		}
	}
	inc, full := filepath.Join(dir, "inc.duckdb"), filepath.Join(dir, "full.duckdb")
	if _, stderr, code := runCLI(t, "resolve", "--db", inc, "--incremental"); code == 0 || !strings.Contains(stderr, "first") {
		t.Errorf("incremental with no database or run: exit %d, %s", code, stderr)
	}
	mustRun(t, append([]string{"ingest", "--db", inc, "--quiet"}, rest...)...)
	if _, stderr, code := runCLI(t, "resolve", "--db", inc, "--incremental"); code == 0 || !strings.Contains(stderr, "without --incremental first") {
		t.Errorf("incremental with no earlier run: exit %d, %s", code, stderr)
	}
	mustRun(t, "resolve", "--db", inc, "--quiet")
	before := clusterIDs(t, inc)
	mustRun(t, "ingest", "--db", inc, "--quiet", last)
	mustRun(t, append([]string{"ingest", "--db", full, "--quiet"}, maps...)...)

	var run struct {
		Stats struct {
			Records    int `json:"records"`
			NewRecords int `json:"new_records"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "resolve", "--db", inc, "--quiet", "--incremental", "--format", "json")), &run); err != nil {
		t.Fatal(err)
	}
	if run.Stats.NewRecords == 0 || run.Stats.NewRecords != run.Stats.Records-len(before) {
		t.Errorf("new records = %d of %d, want %d", run.Stats.NewRecords, run.Stats.Records, run.Stats.Records-len(before))
	}
	after := clusterIDs(t, inc)
	// Earlier clusters keep their ids, but where a new record joined two of them.
	moved := 0
	for id, c := range before {
		if after[id] != c {
			moved++
		}
	}
	if moved > len(before)/100 {
		t.Errorf("%d of %d earlier records changed cluster id", moved, len(before))
	}
	mustRun(t, "resolve", "--db", full, "--quiet")
	truth := filepath.Join(out, "truth", "records.csv")
	f1 := func(db string) float64 {
		var sc struct {
			F1 float64 `json:"f1"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, "resolve", "eval", "--db", db, "--truth", truth, "--format", "json")), &sc); err != nil {
			t.Fatal(err)
		}
		return sc.F1
	}
	fi, ff := f1(inc), f1(full)
	if fi < ff-0.01 || fi < 0.9 {
		t.Errorf("incremental F1 %.4f, full %.4f: want within 0.01", fi, ff)
	}
	t.Logf("F1 incremental %.4f, full %.4f; %d earlier records changed cluster id", fi, ff, moved)
}

// clusterIDs reads record id → cluster id from the clusters table.
func clusterIDs(t *testing.T, db string) map[string]string {
	t.Helper()
	out := map[string]string{}
	csvText := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT entity_id, cluster_id FROM clusters WHERE dataset = 'resolve'")
	for i, line := range strings.Split(strings.TrimSpace(csvText), "\n") {
		if i == 0 {
			continue
		}
		id, c, _ := strings.Cut(line, ",")
		out[id] = c
	}
	return out
}
