package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A hand-made set: the per-level table, the summary and the confusion table, in
// each format.
func TestTagEvalFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "none.duckdb") // not created
	path := filepath.Join(dir, "cases.tsv")
	set := "id\ttext\texpected\n" +
		"robot\t工业机器人用精密减速器\tsei2018:2.1\n" +
		"pv\t光伏组件\tgbt4754-2017:3825\n" +
		"pig\t猪的饲养\t\n" +
		"wind\t风力发电机组\t\n" +
		"soft\t软件开发\tsei2018:2.1.5\n"
	if err := os.WriteFile(path, []byte(set), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "tag", "eval", "--db", db, path)
	for _, want := range []string{
		"5 cases, 3 expecting codes and 2 none; scored in sei2018",
		"1      domain        5      2   2   1   0.500      0.667   0.571",
		"domain accuracy    0.667  (2 of the 3 cases that expect a code",
		"negative accuracy  0.500",
		"coverage           0.800",
		"2 高端装备制造产业 high-end-equipment  ",
		"Worst confusions between domains",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("tag eval does not print %q:\n%s", want, out)
		}
	}
	rows := csvRows(t, mustRun(t, "tag", "eval", "--db", db, "--format", "csv", path))
	if len(rows) != 3 || rows[0]["name"] != "domain" || rows[0]["precision"] != "0.500" || rows[2]["precision"] != "-" {
		t.Errorf("csv levels: %v", rows)
	}
	rows = csvRows(t, mustRun(t, "tag", "eval", "--db", db, "--format", "csv", "--misses", path))
	var got []string
	for _, r := range rows {
		got = append(got, r["id"]+" "+r["outcome"])
	}
	if strings.Join(got, ", ") != "wind false alarm, soft wrong domain" || !strings.Contains(rows[1]["tags"], "软件开发→软件开发") {
		t.Errorf("--misses: %v", rows)
	}
	var rep struct {
		DomainAccuracy float64 `json:"domain_accuracy"`
		Levels         []struct {
			Precision *float64 `json:"precision"`
		} `json:"levels"`
		Results   []json.RawMessage `json:"results"`
		Confusion []struct {
			Expected, Predicted string
			Cases               int
		} `json:"confusion"`
	}
	out = mustRun(t, "tag", "eval", "--db", db, "--format", "json", "--cases", path)
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(rep.Results) != 5 || rep.Levels[2].Precision != nil || len(rep.Confusion) == 0 || rep.DomainAccuracy < 0.66 || rep.DomainAccuracy > 0.67 {
		t.Errorf("json report: %+v", rep)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("tag eval created the database: %v", err)
	}
}

// The built-in set runs by name; bad files and flags exit as documented.
func TestTagEvalBuiltinAndErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.duckdb")
	out := mustRun(t, "tag", "eval", "--db", db, "gbt4754-notes")
	for _, want := range []string{"gbt4754-notes: 1382 cases, 469 expecting codes and 913 none", "sub-category", "partial", "none 无"} {
		if !strings.Contains(out, want) {
			t.Errorf("tag eval gbt4754-notes does not print %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("id,text,expected\nr1,光伏,sei2018:6.9\n"), 0o644)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{bad}, ExitInvalid, `bad.csv:2: column expected (3): "sei2018:6.9": sei2018: "6.9" is not a code of the system`},
		{[]string{"no-such-file.tsv"}, ExitNotFound, "not a built-in set (gbt4754-notes, gbt4754-notes-own)"},
		{[]string{"--system", "nace", "gbt4754-notes"}, ExitInvalid, `--system "nace"`},
		{[]string{"--min-weight", "2", "gbt4754-notes"}, ExitInvalid, "--min-weight 2"},
		{[]string{}, ExitUsage, "Usage: cipmap tag eval"},
	} {
		_, errOut, code := runCLI(t, append([]string{"tag", "eval", "--db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("tag eval %v: exit %d, want %d; stderr does not say %q:\n%s", tt.args, code, tt.code, tt.want, errOut)
		}
	}
}
