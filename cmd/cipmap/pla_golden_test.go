package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestGoldenPLATraceAndFlows follows the money on the real PLA procurement sample:
// its awards are Contract flows from PLA units and defence SOEs to suppliers, and
// the trace from 中国航天科技集团有限公司 reaches the suppliers of its awards with
// their amounts, which add up to what the contracts view holds for it (the seven
// awards without a named supplier reach nobody and are left out); and the sector of
// AI holds the suppliers of the awards whose titles are tagged AI, with their
// awards as resources.
func TestGoldenPLATraceAndFlows(t *testing.T) {
	if _, err := os.Stat("../../../shared/data/samples/procurement-pla-ai-2020"); err != nil {
		t.Skip("the real samples are not in ../shared (absent): skipping the golden trace on real data")
	}
	db := filepath.Join(t.TempDir(), "pla.duckdb")
	mustRun(t, "ingest", "--db", db, "--quiet", "../../examples/procurement-pla-ai-2020/mapping.yaml")

	var tr struct {
		From struct {
			ID, Schema, Name string
		} `json:"from"`
		Firms []struct {
			Attributed float64 `json:"attributed_cny"`
		} `json:"firms"`
		Trunc bool `json:"truncated"`
	}
	out := mustRun(t, "trace", "--db", db, "中国航天科技集团有限公司", "--format", "json")
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("trace json: %v\n%s", err, out)
	}
	if tr.From.Name != "中国航天科技集团有限公司" || tr.From.Schema != "GovBody" || len(tr.Firms) != 68 || tr.Trunc {
		t.Errorf("trace from CASC: %+v, want the GovBody reaching 68 suppliers", tr)
	}
	// The attributed amounts, from the CSV form, against the contracts view.
	csvOut := mustRun(t, "trace", "--db", db, "中国航天科技集团有限公司", "--format", "csv")
	var total float64
	firms := map[string]bool{}
	lines := strings.Split(strings.TrimSpace(csvOut), "\n")
	head := strings.Split(lines[0], ",")
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("trace csv has no column %q: %s", name, lines[0])
		return -1
	}
	kind, firm, attr := col("kind"), col("firm_id"), col("attributed_cny")
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) <= attr || f[kind] != "reached" {
			continue
		}
		v, err := strconv.ParseFloat(f[attr], 64)
		if err != nil {
			t.Fatalf("attributed %q: %v", f[attr], err)
		}
		total += v
		firms[f[firm]] = true
	}
	if len(firms) != 68 || math.Abs(total-189_818_216) > 0.5 {
		t.Errorf("trace attributes %.2f yuan to %d firms, want 189,818,216.00 to 68", total, len(firms))
	}
	sum := mustRun(t, "query", "--db", db, "--format", "csv",
		"SELECT sum(amount) FROM contracts WHERE buyer = '"+tr.From.ID+"' AND coalesce(supplier, '') <> ''")
	want, err := strconv.ParseFloat(strings.TrimSpace(strings.Split(strings.TrimSpace(sum), "\n")[1]), 64)
	if err != nil || math.Abs(total-want) > 0.5 {
		t.Errorf("trace total %.2f, contracts view %s (%v)", total, sum, err)
	}
	// The sector of AI: the suppliers of awards whose titles are tagged in its
	// subtree.
	mustRun(t, "tag", "--db", db, "--dataset", "pla-procurement-2020", "--column", "title")
	var sec struct {
		Firms     int `json:"firms"`
		Resources []struct {
			Channel string  `json:"channel"`
			Year    int     `json:"year"`
			Amount  float64 `json:"amount"`
			Flows   int     `json:"flows"`
		} `json:"resources"`
	}
	secOut := mustRun(t, "sector", "--db", db, "artificial-intelligence", "--format", "json")
	if err := json.Unmarshal([]byte(secOut), &sec); err != nil {
		t.Fatalf("sector json: %v\n%.500s", err, secOut)
	}
	if sec.Firms != 27 {
		t.Errorf("sector artificial-intelligence: %d firms, want the 27 suppliers of awards tagged AI", sec.Firms)
	}
	// Its resources: the awards with an amount to those suppliers, in 2020.
	if len(sec.Resources) != 1 || sec.Resources[0].Channel != "contract" || sec.Resources[0].Year != 2020 ||
		sec.Resources[0].Flows != 19 || math.Abs(sec.Resources[0].Amount-26_552_888) > 0.5 {
		t.Errorf("sector resources: %+v, want 19 contracts of 2020 worth 26,552,888 yuan", sec.Resources)
	}
	// Every award is a contract flow with its source row.
	flows := mustRun(t, "flows", "--db", db, "--channel", "contract", "--format", "csv")
	rows := strings.Split(strings.TrimSpace(flows), "\n")
	if len(rows)-1 != 343 || !strings.Contains(flows, "Harnessed_Lightning_Raw_Data.csv:") {
		t.Errorf("contract flows: %d rows, want the 343 awards with their source rows", len(rows)-1)
	}

	// After cipmap resolve the trace reaches resolved firms: as many as the
	// distinct firms of the 68 supplier records, with the same total, each firm
	// listing the records the awards named.
	mustRun(t, "resolve", "--db", db, "--quiet")
	count := mustRun(t, "query", "--db", db, "--format", "csv", `WITH canon AS (SELECT entity_id, min(cluster_id) AS c FROM clusters GROUP BY entity_id)
		SELECT count(DISTINCT coalesce(canon.c, f.receiver)) FROM flows f LEFT JOIN canon ON canon.entity_id = f.receiver
		WHERE f.giver = '`+tr.From.ID+`' AND f.receiver IS NOT NULL`)
	nfirms, _ := strconv.Atoi(strings.TrimSpace(strings.Split(strings.TrimSpace(count), "\n")[1]))
	var rt struct {
		Firms []struct {
			Firm       struct{ ID, Name string }
			Records    []string `json:"records"`
			Attributed float64  `json:"attributed_cny"`
		} `json:"firms"`
	}
	out = mustRun(t, "trace", "--db", db, "中国航天科技集团有限公司", "--format", "json")
	if err := json.Unmarshal([]byte(out), &rt); err != nil {
		t.Fatal(err)
	}
	total, merged := 0.0, 0
	for _, f := range rt.Firms {
		total += f.Attributed
		if f.Firm.Name == "" || f.Firm.Name == f.Firm.ID {
			t.Errorf("resolved firm %s has no name", f.Firm.ID)
		}
		if len(f.Records) > 0 {
			merged++
		}
	}
	if nfirms == 0 || len(rt.Firms) != nfirms || math.Abs(total-189_818_216) > 0.5 {
		t.Errorf("trace after resolve: %d firms with %.2f yuan, want %d resolved firms with 189,818,216.00", len(rt.Firms), total, nfirms)
	}
	t.Logf("after resolve: 68 supplier records are %d firms; %d firms reached through records of theirs", nfirms, merged)
}
