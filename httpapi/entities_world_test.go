package httpapi

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/gen"
	"github.com/cipmap/cipmap/patent"
	"github.com/cipmap/cipmap/taxonomy"
)

// worldServer generates a small world with its policy layer, ingests it, tags its
// patents and serves it.
func worldServer(t *testing.T) (*testServer, string) {
	t.Helper()
	world, mappings := genWorld(t)
	st := ingestMappings(t, filepath.Dir(world), mappings...)
	tagPatents(t, st)
	return serveStore(t, st), world
}

// genWorld generates the small world of worldServer and returns its folder and
// mapping files.
func genWorld(t *testing.T) (string, []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("generated world: skipped with -short")
	}
	dir := t.TempDir()
	res, err := gen.World(filepath.Join(dir, "world"), gen.WorldOptions{Firms: 300, Records: -1, Policy: true, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "world"), res.Mappings
}

// tagPatents tags the store's patents with CTT through the IPC crosswalk.
func tagPatents(t *testing.T, st cipmap.Store) {
	t.Helper()
	reg, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	conv := func(code string) ([]patent.Share, error) {
		r, err := reg.Convert("ipc", code, taxonomy.CTT)
		if err != nil {
			return nil, err
		}
		var out []patent.Share
		for _, x := range r.Distribution {
			out = append(out, patent.Share{Tag: x.Code, Weight: x.Weight})
		}
		return out, nil
	}
	if _, err := patent.Tag(context.Background(), st, conv, patent.Options{}); err != nil {
		t.Fatal(err)
	}
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, c := range rows[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// On a generated world, the resources say what the generator wrote: every fund's
// government share of each investment is the sum of the truth's look-through shares
// (truth/fund_attribution.csv); a body's grants, a program's designations by year,
// a policy's issuers and targets, a person's positions, and a firm's flows,
// designations, staff and patents are those of the generator's files.
func TestHTTPWorld(t *testing.T) {
	ts, world := worldServer(t)

	// Funds: the government share, looked through, of every investment.
	want := map[string]float64{} // investment → Σ share over bodies and chains
	investor := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(world, "truth", "fund_attribution.csv")) {
		s, _ := strconv.ParseFloat(r["share"], 64)
		want[r["investment_id"]] += s
		investor[r["investment_id"]] = r["investor_id"]
	}
	byFund := map[string]map[string]float64{}
	for iv, s := range want {
		f := mappingID("world-fund", investor[iv])
		if byFund[f] == nil {
			byFund[f] = map[string]float64{}
		}
		byFund[f][mappingID("world-investment", iv)] = s
	}
	if len(byFund) < 5 {
		t.Fatalf("only %d funds in the truth", len(byFund))
	}
	for fid, ivs := range byFund {
		var f Fund
		getJSON(t, ts, "/api/v1/funds/"+fid+"?limit=200", 200, &f)
		n := 0
		for _, it := range f.Portfolio.Items {
			s, ok := ivs[it.Record]
			if it.Kind != "investment" || !ok {
				continue
			}
			n++
			if math.Abs(it.GovShare-s) > 1e-6 {
				t.Errorf("fund %s, investment %s: government share %.8f, truth %.8f", fid, it.Record, it.GovShare, s)
			}
			if it.GovAmount == nil || math.Abs(*it.GovAmount-*it.Amount*s) > 0.01+2e-8*(*it.Amount) { // the truth rounds shares to 8 places
				t.Errorf("fund %s, investment %s: government amount %v, want %v × %v", fid, it.Record, ptrVal(it.GovAmount), *it.Amount, s)
			}
		}
		if n != len(ivs) {
			t.Errorf("fund %s: %d investments in the truth, %d in the portfolio", fid, len(ivs), n)
		}
	}

	// A body's grants, and a firm's flows, from the generator's flow files.
	grants := readCSV(t, filepath.Join(world, "flows", "grants.csv"))
	byGrantor := map[string]int{}
	sum := map[string]float64{}
	for _, r := range grants {
		a, _ := strconv.ParseFloat(r["amount"], 64)
		byGrantor[r["grantor_id"]]++
		sum[r["grantor_id"]] += a
	}
	var g GovBody
	getJSON(t, ts, "/api/v1/govbodies/"+mappingID("world-gov", "G0002")+"?channel=grant", 200, &g)
	var got ChannelTotal
	for _, c := range g.FlowTotals {
		if c.Channel == "grant" {
			got = c
		}
	}
	if byGrantor["G0002"] == 0 || got.Flows != byGrantor["G0002"] || math.Abs(got.Amounts["CNY"]-sum["G0002"]) > 0.01 || g.Flows.Total != got.Flows {
		t.Errorf("G0002's grants: %+v (page total %d), want %d worth %.2f", got, g.Flows.Total, byGrantor["G0002"], sum["G0002"])
	}

	// A program's designations by year.
	years := map[string]map[string]int{}
	for _, r := range readCSV(t, filepath.Join(world, "state", "designations.csv")) {
		if years[r["program_id"]] == nil {
			years[r["program_id"]] = map[string]int{}
		}
		years[r["program_id"]][r["year"]]++
	}
	for pg, ys := range years {
		var p Program
		getJSON(t, ts, "/api/v1/programs/"+mappingID("world-program", pg), 200, &p)
		total := 0
		for _, y := range p.Years {
			if ys[y.Year] != y.Count {
				t.Errorf("program %s, %s: %d designations, want %d", pg, y.Year, y.Count, ys[y.Year])
			}
			total += y.Count
		}
		if len(p.Years) != len(ys) || p.Designations.Total != total {
			t.Errorf("program %s: years %+v, want %v", pg, p.Years, ys)
		}
	}

	// A policy's issuers and targets.
	issuers := map[string]int{}
	for _, r := range readCSV(t, filepath.Join(world, "state", "issuances.csv")) {
		issuers[r["policy_id"]]++
	}
	targets := map[string][]map[string]string{}
	for _, r := range readCSV(t, filepath.Join(world, "state", "targetings.csv")) {
		targets[r["policy_id"]] = append(targets[r["policy_id"]], r)
	}
	for _, po := range []string{"PO000001", "PO000002"} {
		var p Policy
		getJSON(t, ts, "/api/v1/policies/"+mappingID("world-policy", po), 200, &p)
		if len(p.Issuers) != issuers[po] || len(p.Targets) != len(targets[po]) || p.DocumentNumber == "" {
			t.Errorf("policy %s: %d issuers, %d targets, number %q; want %d, %d", po, len(p.Issuers), len(p.Targets), p.DocumentNumber, issuers[po], len(targets[po]))
		}
		for _, x := range p.Targets {
			if x.Evidence == "" || x.Dataset != "world-policy" || x.Source == "" {
				t.Errorf("policy %s: target without evidence or provenance: %+v", po, x)
			}
		}
	}

	// A person's positions and a firm's staff.
	dirs := readCSV(t, filepath.Join(world, "registry", "directorships.csv"))
	byPerson, byFirm := map[string]int{}, map[string]int{}
	for _, r := range dirs {
		byPerson[r["person_id"]]++
		byFirm[r["firm_id"]]++
	}
	var per Person
	getJSON(t, ts, "/api/v1/persons/"+mappingID("world-person", dirs[0]["person_id"]), 200, &per)
	if len(per.Roles) != byPerson[dirs[0]["person_id"]] {
		t.Errorf("person %s: %d roles, want %d", dirs[0]["person_id"], len(per.Roles), byPerson[dirs[0]["person_id"]])
	}

	// A designated firm: its designations, staff, flows received and patents.
	des := readCSV(t, filepath.Join(world, "state", "designations.csv"))
	fid := des[0]["firm_id"]
	nd := 0
	for _, r := range des {
		if r["firm_id"] == fid {
			nd++
		}
	}
	received := 0
	for _, file := range []struct{ name, col string }{{"grants.csv", "recipient_id"}, {"loans.csv", "borrower_id"},
		{"contracts.csv", "supplier_id"}, {"investments.csv", "investee_id"}, {"listings.csv", "firm_id"}} {
		for _, r := range readCSV(t, filepath.Join(world, "flows", file.name)) {
			if r[file.col] == fid {
				received++
			}
		}
	}
	patents := 0
	for _, r := range readCSV(t, filepath.Join(world, "outcomes", "patents.csv")) {
		if r["applicant_id"] == fid {
			patents++
		}
	}
	var f Firm
	getJSON(t, ts, "/api/v1/firms/"+mappingID("world-firm", fid)+"?limit=200", 200, &f)
	if len(f.Designations) != nd || len(f.Staff) != byFirm[fid] || f.Flows.Total != received {
		t.Errorf("firm %s: %d designations, %d staff, %d flows; want %d, %d, %d", fid, len(f.Designations), len(f.Staff), f.Flows.Total, nd, byFirm[fid], received)
	}
	if patents > 0 {
		if f.Patents == nil || f.Patents.Patents != patents || f.Patents.Dataset != "world-outcome-patents" {
			t.Errorf("firm %s: patents %+v, want %d", fid, f.Patents, patents)
		} else {
			tagged := 0.0
			for _, x := range f.Patents.ByTag {
				tagged += x.Weighted
				if x.Dataset != "patent-tags" || x.System != "ctt" {
					t.Errorf("patent tag %+v", x)
				}
			}
			if tagged > float64(patents)+1e-9 {
				t.Errorf("firm %s: %.2f tagged patents of %d", fid, tagged, patents)
			}
		}
	}
	// Every patenting firm's patents by tag, as SQL over the patent tables gives
	// them (the page reads them from the facts_by_id lookup table).
	tab, err := ts.store.Query(context.Background(), `WITH f AS (SELECT applicant_id, patent_id, min(greatest(applicants, 1)) AS applicants
			FROM patent_facts WHERE applicant_id IS NOT NULL GROUP BY applicant_id, patent_id)
		SELECT f.applicant_id, t.system || ' ' || t.tag, count(DISTINCT t.patent_id), sum(t.weight / f.applicants)
		FROM patent_tags t JOIN f ON f.patent_id = t.patent_id
		GROUP BY f.applicant_id, t.system, t.tag ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	wantTags := map[string]map[string]PatentTag{}
	for _, r := range tab.Rows {
		if wantTags[cell(r[0])] == nil {
			wantTags[cell(r[0])] = map[string]PatentTag{}
		}
		wantTags[cell(r[0])][cell(r[1])] = PatentTag{Patents: int(cellInt(r[2])), Weighted: cellFloat(r[3])}
	}
	if len(wantTags) < 20 {
		t.Fatalf("only %d firms with tagged patents", len(wantTags))
	}
	for firm, tags := range wantTags {
		var f Firm
		getJSON(t, ts, "/api/v1/firms/"+firm, 200, &f)
		if f.Patents == nil || len(f.Patents.ByTag) != len(tags) {
			t.Errorf("firm %s: patents %+v, want %d tags", firm, f.Patents, len(tags))
			continue
		}
		for i, x := range f.Patents.ByTag {
			w := tags[x.System+" "+x.Tag]
			if x.Patents != w.Patents || math.Abs(x.Weighted-w.Weighted) > 1e-9 {
				t.Errorf("firm %s: tag %s: %d patents weighing %g, want %d weighing %g", firm, x.Tag, x.Patents, x.Weighted, w.Patents, w.Weighted)
			}
			if i > 0 && x.Weighted > f.Patents.ByTag[i-1].Weighted+1e-9 {
				t.Errorf("firm %s: tags out of order: %+v", firm, f.Patents.ByTag)
			}
		}
	}

	// The graph of a busy body is cut at MaxGraphNodes and says so.
	var gr Graph
	getJSON(t, ts, "/api/v1/graph/"+mappingID("world-gov", "G0002")+"?depth=2", 200, &gr)
	if !gr.Capped || len(gr.Nodes) != MaxGraphNodes {
		t.Errorf("graph of G0002: %d nodes, capped %v", len(gr.Nodes), gr.Capped)
	}
	_, _, page := get(t, ts, "/graph/"+mappingID("world-gov", "G0002")+"?lang=en")
	if !strings.Contains(page, `id="capped"`) {
		t.Error("the graph page does not say it is cut")
	}
}
