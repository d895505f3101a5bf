package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/sector"
)

// sectorWorld writes a small world with its policy layer, ingests it and tags its
// patents; it returns the database.
func sectorWorld(t *testing.T) (db, dir string) {
	t.Helper()
	dir = t.TempDir()
	out := filepath.Join(dir, "world")
	db = filepath.Join(dir, "s.duckdb")
	mustRun(t, "gen", "world", "--firms", "800", "--policy", "--seed", "2", "--out", out)
	maps, _ := filepath.Glob(filepath.Join(out, "mapping-*.yaml"))
	mustRun(t, append([]string{"ingest", "--db", db, "--quiet"}, maps...)...)
	return db, dir
}

// TestPatentsTagAndSector ingests generated patents as the patent_facts table, tags
// them through IPC → CTT and profiles a sector from them.
func TestPatentsTagAndSector(t *testing.T) {
	db, dir := sectorWorld(t)
	var rep struct {
		Patents, Tagged, Rows int64
		NoIPC                 int64 `json:"no_ipc"`
		Mass, Lost            float64
		Load                  struct{ Unchanged bool }
	}
	if err := json.Unmarshal([]byte(mustRun(t, "patents", "tag", "--db", db, "--format", "json")), &rep); err != nil {
		t.Fatal(err)
	}
	csvRows := strings.Count(mustRead(t, filepath.Join(dir, "world", "outcomes", "patents.csv")), "\n") - 1
	if rep.Patents != int64(csvRows) || rep.Tagged == 0 || rep.Rows < rep.Tagged || rep.Load.Unchanged {
		t.Fatalf("patents tag: %+v, want %d patents read, some tagged", rep, csvRows)
	}
	// Mass that reached a tag and mass lost add up to the patents with IPC codes.
	if got, want := rep.Mass+rep.Lost, float64(rep.Patents-rep.NoIPC); got < want-1e-6 || got > want+1e-6 {
		t.Errorf("mass %.3f + lost %.3f = %.3f, want %.0f", rep.Mass, rep.Lost, got, want)
	}
	if err := json.Unmarshal([]byte(mustRun(t, "patents", "tag", "--db", db, "--format", "json")), &rep); err != nil || !rep.Load.Unchanged {
		t.Errorf("tagging the same patents again: unchanged = %v, err %v", rep.Load.Unchanged, err)
	}

	var p sector.Profile
	if err := json.Unmarshal([]byte(mustRun(t, "sector", "next-gen-networks", "--db", db, "--format", "json")), &p); err != nil {
		t.Fatal(err)
	}
	if p.Firms == 0 || p.Patents.Count == 0 || len(p.ByYear) == 0 || len(p.Resources) == 0 || len(p.Policies) == 0 {
		t.Fatalf("sector next-gen-networks: %d firms, %+v patents, %d years, %d flows, %d policies",
			p.Firms, p.Patents, len(p.ByYear), len(p.Resources), len(p.Policies))
	}
	var sum float64
	for _, y := range p.ByYear {
		if y.Lower > y.Count.Count+1e-9 || y.Count.Count > y.Upper+1e-9 {
			t.Errorf("%d: lower %.2f ≤ count %.2f ≤ upper %.2f does not hold", y.Year, y.Lower, y.Count.Count, y.Upper)
		}
		sum += y.Count.Count
	}
	// The fractional count by year is the sector's share of each patent's tagged
	// weight, as SQL on the fact tables computes it.
	want := mustRun(t, "query", "--db", db, "--format", "csv", `SELECT round(sum(s), 4) FROM (SELECT patent_id,
		sum(CASE WHEN tag = 'next-gen-networks' OR tag LIKE 'next-gen-networks.%' THEN weight ELSE 0 END) / sum(weight) AS s
		FROM patent_tags GROUP BY patent_id) x`)
	if got := strings.TrimSpace(strings.Split(want, "\n")[1]); !near(got, sum) {
		t.Errorf("patents by year sum to %.4f, SQL says %s", sum, got)
	}
	var firms float64
	for _, c := range p.Ownership {
		firms += float64(c.Firms)
	}
	if int(firms) != p.Firms || p.Architecture.Index <= 0 || p.Architecture.Index >= 1 {
		t.Errorf("ownership mix covers %v of %d firms; architecture %+v", firms, p.Firms, p.Architecture)
	}

	table := mustRun(t, "sector", "compare", "next-gen-networks", "biopharmaceuticals", "--db", db, "--format", "csv")
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 3 || !strings.Contains(lines[0], "index") {
		t.Errorf("sector compare: %s", table)
	}
}

func near(s string, x float64) bool {
	var y float64
	if _, err := fmt.Sscan(s, &y); err != nil {
		return false
	}
	return y-x < 1e-3 && x-y < 1e-3
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSectorReportHTML writes the HTML report and, where a headless Chromium is
// installed (CI installs one, with a CJK font), opens it: the browser must parse the
// charts and keep the Chinese text.
func TestSectorReportHTML(t *testing.T) {
	db, dir := sectorWorld(t)
	mustRun(t, "patents", "tag", "--db", db)
	page := filepath.Join(dir, "report.html")
	mustRun(t, "sector", "compare", "next-gen-networks", "electronic-core", "--db", db, "--format", "html", "--out", page)
	html := mustRead(t, page)
	for _, want := range []string{"<svg", "下一代信息网络", "Next-generation information networks", "国有资金占比", "指令"} {
		if !strings.Contains(html, want) {
			t.Errorf("report has no %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://"} {
		if strings.Contains(strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("report is not self-contained: it has %q", bad)
		}
	}
	browser := ""
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no headless Chromium installed (CI installs one: .ci/run)")
	}
	dom, err := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://"+page).Output()
	if err != nil {
		t.Fatalf("%s --dump-dom: %v", browser, err)
	}
	if n := strings.Count(string(dom), "<svg"); n < 5 || !strings.Contains(string(dom), "下一代信息网络") || strings.Count(string(dom), "<rect") < 10 {
		t.Errorf("the browser's DOM has %d charts, want the spectrum and five a sector, with their bars and Chinese names", n)
	}
	shot := filepath.Join(dir, "report.png")
	if out, err := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,2400",
		"--screenshot="+shot, "file://"+page).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 20000 {
		t.Errorf("screenshot of the report: %v, %d bytes; want a rendered page", err, st.Size())
	}
	if fc, err := exec.Command("fc-list", ":lang=zh").Output(); err == nil && len(strings.TrimSpace(string(fc))) == 0 {
		t.Errorf("no font with Chinese glyphs is installed: the report's Chinese text renders as boxes")
	}
}
