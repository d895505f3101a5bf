package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// learnFixture writes two datasets about the same 400 firms: coarse sector labels
// (an investment database) and patents with IPC codes drawn from a known mix per
// label, and ingests them into a new database.
func learnFixture(t *testing.T) (db string, mix map[string]map[string]float64) {
	t.Helper()
	dir := t.TempDir()
	// label → IPC code → probability; each IPC code converts to one CTT tag.
	mix = map[string]map[string]float64{
		"新能源":   {"H02S40/00": 0.5, "F03D1/00": 0.3, "H01M10/0525": 0.2},
		"先进制造":  {"B25J9/16": 0.6, "B61D1/00": 0.2, "B63B1/00": 0.2},
		"人工智能":  {"G06N3/08": 0.8, "H04W4/00": 0.2},
		"半导体":   {"H01L21/00": 1},
		"稀有的标签": {"G06N3/08": 1}, // two firms only: below --min-firms
	}
	labels := []string{"新能源", "先进制造", "人工智能", "半导体"}
	rng := rand.New(rand.NewPCG(7, 11))
	var inv, pat strings.Builder
	inv.WriteString("firm,sector\n")
	pat.WriteString("pub,applicant,ipc\n")
	n := 0
	for i := 0; i < 402; i++ {
		label := labels[i%len(labels)]
		if i >= 400 {
			label = "稀有的标签"
		}
		firm := fmt.Sprintf("测试科技有限公司%03d", i)
		fmt.Fprintf(&inv, "%s,%s\n", firm, label)
		for j := 0; j < 3; j++ {
			x, code := rng.Float64(), ""
			for c, p := range sortedMix(mix[label]) {
				if x -= p; x < 0 || c == len(mix[label])-1 {
					code = sortedKeysF(mix[label])[c]
					break
				}
			}
			n++
			// The patent database writes names with full-width brackets and spaces.
			fmt.Fprintf(&pat, "CN%07d,%s ,%s\n", n, firm, code)
		}
	}
	os.WriteFile(filepath.Join(dir, "inv.csv"), []byte(inv.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "pat.csv"), []byte(pat.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "inv.yaml"), []byte(`dataset: {name: investments, title: test investments, licence: test}
source: {path: inv.csv}
entities:
  - key: firm
    schema: Firm
    id: {columns: [firm], prefix: inv-firm}
    properties:
      name: {column: firm, lang: zh}
      industry_label: {column: sector, lang: zh}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "pat.yaml"), []byte(`dataset: {name: patents, title: test patents, licence: test}
source: {path: pat.csv}
entities:
  - key: patent
    schema: Patent
    id: {columns: [pub], prefix: pat}
    properties:
      publication_number: pub
      applicant_name: {column: applicant, lang: zh}
      ipc: ipc
`), 0o644)
	db = filepath.Join(dir, "learn.duckdb")
	mustRun(t, "ingest", "--db", db, filepath.Join(dir, "inv.yaml"), filepath.Join(dir, "pat.yaml"))
	return db, mix
}

func sortedKeysF(m map[string]float64) []string { return slices.Sorted(maps.Keys(m)) }

func sortedMix(m map[string]float64) []float64 {
	var ps []float64
	for _, k := range sortedKeysF(m) {
		ps = append(ps, m[k])
	}
	return ps
}

// crosswalk learn recovers the mix behind each coarse label from the firms in both
// datasets, stores it as a learned crosswalk with sample sizes, reports held-out
// agreement, and tag --dataset then tags the labels with it (method learned).
func TestCrosswalkLearn(t *testing.T) {
	db, mix := learnFixture(t)
	args := []string{"crosswalk", "learn", "--db", db, "--labels", "investments:industry_label", "--labels-key", "name",
		"--codes", "patents:ipc", "--codes-key", "applicant_name", "--system", "ipc", "--format", "json"}
	out, errOut, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("learn: exit %d\n%s%s", code, out, errOut)
	}
	var res struct {
		Dataset   string `json:"dataset"`
		System    string `json:"system"`
		Firms     int    `json:"firms"`
		HeldOut   int    `json:"held_out"`
		Agreement map[string]struct {
			Firms, Domain, Field int
		} `json:"agreement"`
		Labels []struct {
			Label string             `json:"label"`
			Firms int                `json:"firms"`
			Tags  map[string]float64 `json:"tags"`
		} `json:"labels"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Firms != 402 || res.HeldOut < 50 || res.HeldOut > 110 || res.System != "labels:investments.industry_label" {
		t.Errorf("firms %d, held out %d, system %s", res.Firms, res.HeldOut, res.System)
	}
	if len(res.Labels) != 4 {
		t.Fatalf("learned %d labels, want 4 (the rare one has too few firms): %+v", len(res.Labels), res.Labels)
	}
	// The learned shares are near the mix (each IPC code is one CTT tag).
	tagOf := map[string]string{"H02S40/00": "solar", "F03D1/00": "wind-power", "H01M10/0525": "nev-components",
		"B25J9/16": "smart-manufacturing-equipment", "B61D1/00": "rail-transit-equipment", "B63B1/00": "marine-engineering-equipment",
		"G06N3/08": "artificial-intelligence", "H04W4/00": "next-gen-networks", "H01L21/00": "electronic-core"}
	for _, l := range res.Labels {
		if l.Firms < 60 || l.Firms > 100 {
			t.Errorf("%s: %d training firms", l.Label, l.Firms)
		}
		for ipc, p := range mix[l.Label] {
			if got := l.Tags[tagOf[ipc]]; got < p-0.1 || got > p+0.1 {
				t.Errorf("P(%s | %s) = %.3f, want about %.2f", tagOf[ipc], l.Label, got, p)
			}
		}
	}
	learned, rule := res.Agreement["learned"], res.Agreement["rule"]
	if learned.Firms != res.HeldOut || float64(learned.Field) < 0.5*float64(learned.Firms) || learned.Field <= rule.Field || learned.Domain < rule.Domain {
		t.Errorf("held-out agreement: learned %+v, rule %+v", learned, rule)
	}
	t.Log(errOut)
	if !strings.Contains(errOut, "held-out agreement") {
		t.Errorf("no agreement summary: %s", errOut)
	}
	// Stored with weight type learned and sample sizes; a second run writes nothing.
	q := mustRun(t, "query", "--db", db, "--format", "csv", `SELECT DISTINCT weight_type, from_code, sample_size FROM crosswalk_edges WHERE dataset = 'learned.investments.industry_label' ORDER BY from_code`)
	if strings.Count(q, "learned,") != 4 {
		t.Errorf("stored edges:\n%s", q)
	}
	out, _, _ = runCLI(t, args...)
	if !strings.Contains(out, `"state": "unchanged"`) {
		t.Errorf("second learn: %s", out)
	}
	// The learned crosswalk converts, and tags the labels (method learned).
	rows := csvRows(t, mustRun(t, "crosswalk", "--db", db, "--from", "labels:investments.industry_label", "--to", "ctt", "--format", "csv", "人工智能"))
	if len(rows) != 2 || rows[0]["to"] != "artificial-intelligence" {
		t.Errorf("人工智能 → %v", rows)
	}
	_, errOut, code = runCLI(t, "tag", "--db", db, "--dataset", "investments", "--column", "industry_label")
	if code != 0 || !strings.Contains(errOut, "learned 400") || !strings.Contains(errOut, "rule 2") {
		t.Errorf("tag --dataset: exit %d, %s", code, errOut)
	}
	// A stored property converts in bulk, one row per statement with its entity and source.
	out, errOut, code = runCLI(t, "crosswalk", "--db", db, "--from", "ipc", "--to", "ctt", "--dataset", "patents", "--column", "ipc", "--format", "csv")
	if code != 0 {
		t.Fatalf("crosswalk --dataset: exit %d %s", code, errOut)
	}
	rows = csvRows(t, out)
	if len(rows) != 1206 || !strings.HasPrefix(rows[0]["entity_id"], "pat-") || !strings.HasPrefix(rows[0]["source"], "pat.csv:") || rows[0]["best"] == "" {
		t.Errorf("crosswalk --dataset: %d rows, first %v", len(rows), rows[0])
	}
	q = mustRun(t, "query", "--db", db, "--format", "csv", `SELECT method, count(DISTINCT entity_id) FROM tags GROUP BY method ORDER BY method`)
	if !strings.Contains(q, "learned,400") {
		t.Errorf("tags by method:\n%s", q)
	}
}
