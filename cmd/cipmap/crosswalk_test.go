package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// csvRows parses CSV output into maps by column.
func csvRows(t *testing.T, out string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("not CSV (%v):\n%s", err, out)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// The official GB/T 4754-2017 → SEI 2018 links come out exactly, partial flags kept.
func TestCrosswalkOfficialSEILinks(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.duckdb") // not created by conversions
	for _, c := range []struct{ code, want string }{
		{"3973", "新一代信息技术产业 > 电子核心产业 > 集成电路制造"},
		{"3491", "高端装备制造产业 > 智能制造装备产业 > 机器人与增材设备制造"},
		{"3825", "新能源产业 > 太阳能产业"},
	} {
		rows := csvRows(t, mustRun(t, "crosswalk", "--db", db, "--from", "gbt4754-2017", "--to", "sei2018", "--format", "csv", c.code))
		if len(rows) != 1 || !strings.HasPrefix(rows[0]["to_name"], c.want) || rows[0]["weight"] != "1" || rows[0]["unmapped"] != "0" {
			t.Errorf("%s → %v, want one link %s", c.code, rows, c.want)
		}
	}
	rows := csvRows(t, mustRun(t, "crosswalk", "--db", db, "--from", "gbt4754-2017", "--to", "sei2018", "--format", "csv", "C3442"))
	if len(rows) != 3 {
		t.Fatalf("3442 → %d links, want 3: %v", len(rows), rows)
	}
	for _, r := range rows {
		if r["partial"] != "yes" || r["weight"] != "0.3333" || r["path"] != "gbt4754-2017 > sei2018" {
			t.Errorf("3442 link %v: want partial, a third, direct", r)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a conversion created the database: %v", err)
	}
}

// A split comes back whole, with weights; an unknown code names its system and the
// nearest valid codes; the table output shows the path.
func TestCrosswalkSplitsAndUnknownCodes(t *testing.T) {
	rows := csvRows(t, mustRun(t, "crosswalk", "--from", "hs2017", "--to", "hs2022", "--format", "csv", "0709.59"))
	if len(rows) != 6 {
		t.Errorf("HS 2017 070959 → %d HS 2022 codes, want its 6 successors: %v", len(rows), rows)
	}
	_, errOut, code := runCLI(t, "crosswalk", "--from", "hs2022", "--to", "hs2017", "851799")
	if code != ExitInvalid || !strings.Contains(errOut, "hs2022") || !strings.Contains(errOut, "nearest valid codes: 8517") {
		t.Errorf("unknown code: exit %d, %s", code, errOut)
	}
	out := mustRun(t, "crosswalk", "--from", "hs2022", "--to", "gbt4754-2017", "850440")
	if !strings.Contains(out, "path: hs2022 → hs2017 → hscombined → isic3 → gbt4754-2002 → gbt4754-2011 → gbt4754-2017") {
		t.Errorf("no path in:\n%s", out)
	}
	var res []struct {
		Distribution []struct{ Code string } `json:"distribution"`
		Unmapped     float64                 `json:"unmapped"`
		Path         []string                `json:"path"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "crosswalk", "--from", "ipc", "--to", "ctt", "--format", "json", "B25J 9/16")), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || len(res[0].Distribution) == 0 || res[0].Distribution[0].Code != "smart-manufacturing-equipment" {
		t.Errorf("B25J 9/16 → ctt %+v", res)
	}
	_, errOut, code = runCLI(t, "crosswalk", "--from", "nope", "--to", "ctt", "x")
	if code != ExitInvalid || !strings.Contains(errOut, `unknown code system "nope" (known: hs2022,`) {
		t.Errorf("unknown system: exit %d, %s", code, errOut)
	}
}

// A column of a file converts in bulk, one output row per input row, bad codes
// reported in their row rather than stopping the run.
func TestCrosswalkColumnOfAFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "trade.csv")
	os.WriteFile(in, []byte("year,hs6,value\n2022,850440,10\n2022,8542.31,5\n2022,851799,1\n2022,850440,3\n"), 0o644)
	out, errOut, code := runCLI(t, "crosswalk", "--from", "hs2022", "--to", "sei2018", "--file", in, "--column", "hs6", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := csvRows(t, out)
	if len(rows) != 4 || rows[0]["source"] != "trade.csv:2" || rows[3]["source"] != "trade.csv:5" {
		t.Fatalf("rows %v", rows)
	}
	if rows[0]["best"] == "" || rows[0]["distribution"] != rows[3]["distribution"] || rows[1]["best"] == "" {
		t.Errorf("converted rows %v", rows)
	}
	if rows[2]["error"] == "" || rows[2]["unmapped"] != "1" {
		t.Errorf("bad code row %v", rows[2])
	}
	if !strings.Contains(errOut, "4 values, 0 empty, 1 invalid") {
		t.Errorf("summary: %s", errOut)
	}
	_, errOut, code = runCLI(t, "crosswalk", "--from", "hs2022", "--to", "sei2018", "--file", in, "--column", "hs")
	if code != ExitInvalid || !strings.Contains(errOut, `trade.csv:2: no column "hs"`) {
		t.Errorf("missing column: exit %d, %s", code, errOut)
	}
}

// An imported crosswalk is stored and used by later conversions; importing it again
// writes nothing; a bad table writes nothing and names the line.
func TestCrosswalkImport(t *testing.T) {
	appendix := filepath.Join(sharedData, "classifications", "gbt4754-2017-isic4", "gb-isic4-appendix-c.csv")
	if _, err := os.Stat(appendix); err != nil {
		t.Skipf("%s not found: the GB → ISIC Rev.4 appendix is not shipped (product: no)", appendix)
	}
	db := filepath.Join(t.TempDir(), "cw.duckdb")
	args := []string{"crosswalk", "import", "--db", db, appendix, "--from", "gbt4754-2017", "--to", "isic4",
		"--from-column", "GB", "--to-column", "isic4", "--where", "yr=2017.0", "--format", "csv"}
	_, errOut, code := runCLI(t, args...)
	if code != ExitInvalid || !strings.Contains(errOut, "gb-isic4-appendix-c.csv:1710: column GB: \"1322\"") {
		t.Errorf("unknown code in the appendix: exit %d, %s", code, errOut)
	}
	args = append(args, "--skip-unknown")
	rows := csvRows(t, mustRun(t, args...))
	if rows[0]["state"] != "loaded" || rows[0]["edges"] != "1470" || rows[0]["unknown"] != "4" {
		t.Errorf("import: %v", rows)
	}
	if rows = csvRows(t, mustRun(t, args...)); rows[0]["state"] != "unchanged" {
		t.Errorf("second import: %v", rows)
	}
	rows = csvRows(t, mustRun(t, "crosswalk", "--db", db, "--from", "gbt4754-2017", "--to", "isic4", "--format", "csv", "3973"))
	if len(rows) != 1 || rows[0]["to"] != "2610" || rows[0]["path"] != "gbt4754-2017 > isic4" {
		t.Errorf("3973 → ISIC 4 through the imported table: %v", rows)
	}
	n := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT count(*) AS n, count(DISTINCT source) AS s FROM crosswalk_edges")
	if !strings.Contains(n, "1472,1472") {
		t.Errorf("stored edges: %s", n)
	}
}

// sharedData is the project's folder of real data, beside the repository.
const sharedData = "../../../shared/data"
