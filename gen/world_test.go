package gen

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/parse"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

// world writes a world into a temporary folder.
func testWorld(t *testing.T, opts WorldOptions) (string, *WorldResult) {
	t.Helper()
	dir := t.TempDir()
	res, err := World(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

// readCSV reads a written file as maps from column to value, in order.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	header, err := rd.Read()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
}

func TestWorldDeterministic(t *testing.T) {
	opts := WorldOptions{Firms: 1500, Seed: 7}
	a, ra := testWorld(t, opts)
	b, _ := testWorld(t, opts)
	for _, f := range ra.Files {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with seed 7", f)
		}
	}
	c, _ := testWorld(t, WorldOptions{Firms: 1500, Seed: 8})
	for _, f := range []string{"registry/firms.csv", "registry/ownership.csv", "sources/procurement.csv", "truth/records.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(c, f))
		if bytes.Equal(x, y) {
			t.Errorf("%s is the same with seeds 7 and 8", f)
		}
	}
	// The registry does not depend on the number of records.
	d, _ := testWorld(t, WorldOptions{Firms: 1500, Records: 900, Seed: 7})
	for _, f := range []string{"registry/firms.csv", "registry/ownership.csv", "registry/persons.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(d, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s changes with the number of records", f)
		}
	}
}

func TestWorldRegistry(t *testing.T) {
	dir, res := testWorld(t, WorldOptions{Firms: 3000, Seed: 1})
	firms := readCSV(t, filepath.Join(dir, "registry/firms.csv"))
	if len(firms) != 3000 || res.Firms != 3000 {
		t.Fatalf("%d firms written, result says %d; want 3000", len(firms), res.Firms)
	}
	reg, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	codes, err := reg.Codes("gbt4754-2017")
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]bool{}
	for _, c := range codes {
		if c.Level == 4 {
			classes[c.Code] = true
		}
	}
	ids, usccs, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var en, short, prev, listed int
	for _, f := range firms {
		id := f["firm_id"]
		if ids[id] {
			t.Errorf("firm id %s twice", id)
		}
		ids[id] = true
		code, err := parse.USCC(f["uscc"])
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if _, err := parse.OrgCode(code[8:17]); err != nil {
			t.Errorf("%s: the organisation code in %s: %v", id, code, err)
		}
		if usccs[code] {
			t.Errorf("%s: credit code %s twice", id, code)
		}
		usccs[code] = true
		if code[2:4] != f["region"][:2] || code[2:4] < "11" || code[2:4] > "65" {
			t.Errorf("%s: credit code %s has province %s; the firm's region is %s", id, code, code[2:4], f["region"])
		}
		if !strings.HasPrefix(f["address"], f["province"]) && !strings.HasPrefix(f["address"], f["city"]) {
			t.Errorf("%s: address %q is not in %s%s", id, f["address"], f["province"], f["city"])
		}
		if !classes[f["industry"]] {
			t.Errorf("%s: industry %q is not a GB/T 4754-2017 class", id, f["industry"])
		}
		if names[f["name"]] {
			t.Errorf("name %s twice", f["name"])
		}
		names[f["name"]] = true
		if f["name_en"] != "" {
			en++
		}
		if f["short_name"] != "" {
			short++
		}
		if f["previous_name"] != "" {
			prev++
			if f["previous_name"] == f["name"] {
				t.Errorf("%s: previous name %s is the name", id, f["name"])
			}
		}
		if f["stock_code"] != "" {
			listed++
			if _, err := parse.StockCode(f["stock_code"]); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
	}
	share := func(n int) float64 { return float64(n) / float64(len(firms)) }
	if s := share(en); s < 0.3 || s > 0.5 {
		t.Errorf("English names for %.1f%% of firms; want about 40%%", 100*s)
	}
	if s := share(short); s < 0.15 || s > 0.35 {
		t.Errorf("short names for %.1f%% of firms; want about 25%%", 100*s)
	}
	if s := share(prev); s < 0.03 || s > 0.07 {
		t.Errorf("previous names for %.1f%% of firms; want about 5%%", 100*s)
	}
	if listed != res.ListedFirms || listed == 0 {
		t.Errorf("%d stock codes, result says %d listed firms", listed, res.ListedFirms)
	}
	if s := res.TradeNameShared; s <= 0 || s > 0.3 {
		t.Errorf("trade name and industry shared across regions by %.1f%% of firms; want some, under 30%%", 100*s)
	}
	// Government bodies.
	gov := readCSV(t, filepath.Join(dir, "registry/gov_bodies.csv"))
	want := []string{"国务院国有资产监督管理委员会", "中华人民共和国财政部", "中央汇金投资有限责任公司",
		"北京市人民政府国有资产监督管理委员会", "深圳市人民政府国有资产监督管理委员会", "广西壮族自治区人民政府国有资产监督管理委员会"}
	have := map[string]bool{}
	for _, g := range gov {
		have[g["name"]] = true
	}
	for _, n := range want {
		if !have[n] {
			t.Errorf("no government body %s", n)
		}
	}
	// Directorships: every firm has a legal representative, and some persons sit
	// on several boards.
	reps := map[string]string{}
	boards := map[string]map[string]bool{}
	for _, d := range readCSV(t, filepath.Join(dir, "registry/directorships.csv")) {
		if d["role"] == "法定代表人" || d["role"] == "执行事务合伙人委派代表" {
			reps[d["firm_id"]] = d["person_id"]
		}
		if boards[d["person_id"]] == nil {
			boards[d["person_id"]] = map[string]bool{}
		}
		boards[d["person_id"]][d["firm_id"]] = true
	}
	for _, f := range firms {
		if reps[f["firm_id"]] != f["legal_representative_id"] {
			t.Errorf("%s: legal representative %s, directorships say %s", f["firm_id"], f["legal_representative_id"], reps[f["firm_id"]])
			break
		}
	}
	interlocked := 0
	for _, fs := range boards {
		if len(fs) >= 2 {
			interlocked++
		}
	}
	if interlocked < 100 {
		t.Errorf("%d persons on two or more boards; want interlocks", interlocked)
	}
}

func TestWorldOwnership(t *testing.T) {
	dir, res := testWorld(t, WorldOptions{Firms: 20000, Records: -1, EdgesPerFirm: 3, Seed: 3})
	edges := readCSV(t, filepath.Join(dir, "registry/ownership.csv"))
	if len(edges) != res.Ownerships {
		t.Fatalf("%d edges written, result says %d", len(edges), res.Ownerships)
	}
	if per := float64(len(edges)) / 20000; math.Abs(per-3) > 0.3 {
		t.Errorf("%.2f edges per firm; want about 3", per)
	}
	gov := map[string]map[string]string{}
	for _, g := range readCSV(t, filepath.Join(dir, "registry/gov_bodies.csv")) {
		gov[g["gov_id"]] = g
	}
	out := map[string][]string{} // firm → firms it holds
	roots := map[string]bool{}
	ranges := 0
	for _, e := range edges {
		p, err := parse.Percentage(e["share"])
		if err != nil {
			t.Fatalf("edge %s: %v", e["edge_id"], err)
		}
		if p.Low != p.High {
			ranges++
		}
		switch e["owner_kind"] {
		case "gov":
			g := gov[e["owner_id"]]
			if g == nil {
				t.Fatalf("edge %s: no government body %s", e["edge_id"], e["owner_id"])
			}
			if e["role"] == "股东" && g["kind"] == "国资委" {
				roots[e["owned_id"]] = true
			}
		case "firm":
			out[e["owner_id"]] = append(out[e["owner_id"]], e["owned_id"])
		case "person":
		default:
			t.Fatalf("edge %s: owner kind %q", e["edge_id"], e["owner_kind"])
		}
	}
	if ranges == 0 || ranges != res.RangeShares {
		t.Errorf("%d shares written as ranges, result says %d", ranges, res.RangeShares)
	}
	if len(roots) == 0 || len(roots) > res.SOEGroups {
		t.Errorf("%d firms held by a SASAC; %d SOE groups", len(roots), res.SOEGroups)
	}
	// SOE groups are several levels deep under their SASAC roots.
	depth := map[string]int{}
	var queue []string
	for r := range roots {
		depth[r] = 1
		queue = append(queue, r)
	}
	maxDepth := 0
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		maxDepth = max(maxDepth, depth[f])
		for _, g := range out[f] {
			if _, ok := depth[g]; !ok {
				depth[g] = depth[f] + 1
				queue = append(queue, g)
			}
		}
	}
	if maxDepth < 4 {
		t.Errorf("SOE chains reach %d levels; want multi-level subsidiaries", maxDepth)
	}
	if len(depth) < res.SOEFirms*9/10 {
		t.Errorf("%d firms below the SASAC roots; %d SOE firms", len(depth), res.SOEFirms)
	}
	// Cross-holdings are the only cycles.
	sccs := cycles(out)
	if len(sccs) == 0 || len(sccs) > res.Cycles {
		t.Errorf("%d cycles in the ownership graph; %d cross-holdings planted", len(sccs), res.Cycles)
	}
}

// cycles returns the strongly connected components of more than one node.
func cycles(out map[string][]string) [][]string {
	index, low := map[string]int{}, map[string]int{}
	on := map[string]bool{}
	var stack []string
	var res [][]string
	n := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = n, n
		n++
		stack = append(stack, v)
		on[v] = true
		for _, w := range out[v] {
			if _, ok := index[w]; !ok {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var c []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				c = append(c, w)
				if w == v {
					break
				}
			}
			if len(c) > 1 {
				res = append(res, c)
			}
		}
	}
	for v := range out {
		if _, ok := index[v]; !ok {
			visit(v)
		}
	}
	return res
}

func TestWorldTruth(t *testing.T) {
	dir, res := testWorld(t, WorldOptions{Firms: 2000, Seed: 5})
	truth := readCSV(t, filepath.Join(dir, "truth/records.csv"))
	if len(truth) != res.TruthRows || res.TruthRows != res.Firms+res.ForeignFirms+res.Records {
		t.Fatalf("%d truth rows, result says %d; want firms + foreign firms + records = %d", len(truth), res.TruthRows, res.Firms+res.ForeignFirms+res.Records)
	}
	firms := map[string]bool{}
	for _, f := range readCSV(t, filepath.Join(dir, "registry/firms.csv")) {
		firms[f["firm_id"]] = true
	}
	seen := map[string]int{}
	for _, r := range truth {
		seen[r["dataset"]+"/"+r["record_id"]]++
		if r["dataset"] != registryDataset && !firms[r["firm_id"]] {
			t.Fatalf("record %s/%s: no firm %s", r["dataset"], r["record_id"], r["firm_id"])
		}
	}
	total := 0
	for _, st := range res.Sources {
		recs := readCSV(t, filepath.Join(dir, st.File))
		if len(recs) != st.Records {
			t.Errorf("%s: %d records, result says %d", st.File, len(recs), st.Records)
		}
		for _, r := range recs {
			if n := seen[st.Dataset+"/"+r["record_id"]]; n != 1 {
				t.Fatalf("%s %s is in the truth %d times", st.File, r["record_id"], n)
			}
		}
		total += len(recs)
	}
	if total != res.Records || math.Abs(float64(total)-2000*10/3) > 2 {
		t.Errorf("%d records; want 10/3 per firm", total)
	}
	if res.FirmsWithoutRecords == 0 || res.FirmsInOneSource == 0 || res.FirmsWithoutRecords > res.Firms/4 {
		t.Errorf("%d firms in no source, %d in one: want some of each", res.FirmsWithoutRecords, res.FirmsInOneSource)
	}
}

// TestWorldNoise checks the noise of each extract against its rates.
func TestWorldNoise(t *testing.T) {
	dir, res := testWorld(t, WorldOptions{Firms: 20000, Seed: 11})
	renamed := map[string]bool{}
	for _, f := range readCSV(t, filepath.Join(dir, "registry/firms.csv")) {
		if f["previous_name"] != "" {
			renamed[f["firm_id"]] = true
		}
	}
	type counts struct {
		n     int
		tags  map[string]int
		clean int
	}
	by := map[string]*counts{}
	for _, r := range readCSV(t, filepath.Join(dir, "truth/records.csv")) {
		if r["dataset"] == registryDataset {
			continue
		}
		c := by[r["dataset"]]
		if c == nil {
			c = &counts{tags: map[string]int{}}
			by[r["dataset"]] = c
		}
		c.n++
		noisy := false
		for _, tag := range strings.Split(r["noise"], ";") {
			if tag == "" {
				continue
			}
			c.tags[tag]++
			if tag != "uscc" && tag != "stock" {
				noisy = true
			}
			if tag == "old" && !renamed[r["firm_id"]] {
				t.Errorf("%s %s: an old name for firm %s, which was not renamed", r["dataset"], r["record_id"], r["firm_id"])
			}
		}
		if !noisy {
			c.clean++
		}
	}
	for _, sp := range sourceSpecs {
		c := by[sourceDataset(sp.name)]
		if c == nil {
			t.Fatalf("no records of %s", sp.name)
		}
		rate := func(tag string) float64 { return float64(c.tags[tag]) / float64(c.n) }
		// within says whether a measured rate is near the rate of the spec: two
		// standard errors and 15% of the rate, as the rates apply only where the
		// change makes sense.
		within := func(got, want, applies float64) bool {
			sd := math.Sqrt(want*(1-want)/float64(c.n)) + 0.002
			return got <= want+3*sd && got >= want*applies-3*sd
		}
		if got, want := rate("uscc"), sp.uscc; !within(got, want, 1) {
			t.Errorf("%s: credit codes in %.3f of records; want %.3f", sp.name, got, want)
		}
		if got, want := float64(c.tags["uscc_typo"])/float64(max(1, c.tags["uscc"])), sp.usccTypo; !within(got, want, 0.5) {
			t.Errorf("%s: mistyped credit codes in %.3f of those given; want %.3f", sp.name, got, want)
		}
		english := sp.english
		if sp.name != "listings" {
			if got, want := rate("short"), sp.short; !within(got, want, 1) {
				t.Errorf("%s: short names in %.3f of records; want %.3f", sp.name, got, want)
			}
			if got, want := rate("pinyin"), sp.pinyin; !within(got, want, 1) {
				t.Errorf("%s: pinyin names in %.3f of records; want %.3f", sp.name, got, want)
			}
			if got := rate("en"); !within(got, english, 1) {
				t.Errorf("%s: English-only names in %.3f of records; want %.3f", sp.name, got, english)
			}
		}
		chinese := 1 - sp.short - sp.english - sp.pinyin
		for _, k := range []struct {
			tag        string
			rate, appl float64
		}{
			{"typo", sp.typo * chinese, 0.8},
			{"form_missing", sp.formMissing * chinese, 0.8},
			{"form_other", sp.formOther * chinese, 0.8},
			{"region_drop", sp.regionDrop * chinese, 0.7},
			{"region_wrong", sp.regionWrong * chinese, 0.5},
			{"trad", sp.trad * (chinese + sp.short), 0.7},
			{"founded_wrong", sp.founded * sp.foundedWrong, 0.9},
		} {
			if got := rate(k.tag); !within(got, k.rate, k.appl) {
				t.Errorf("%s: %s in %.4f of records; want %.4f (%.0f%% where it applies)", sp.name, k.tag, got, k.rate, 100*k.appl)
			}
		}
		if clean := float64(c.clean) / float64(c.n); clean < 0.1 || clean > 0.85 {
			t.Errorf("%s: %.2f of records without noise; want some clean, most not", sp.name, clean)
		}
		t.Logf("%s: %d records, %.0f%% without noise", sp.name, c.n, 100*float64(c.clean)/float64(c.n))
	}
	// Mistyped credit codes never validate; the others always do.
	for _, st := range res.Sources {
		col := map[string]string{"procurement": "supplier_uscc", "investments": "uscc", "listings": "uscc"}[st.Name]
		if col == "" {
			continue
		}
		recs := readCSV(t, filepath.Join(dir, st.File))
		truth := map[string]string{}
		for _, r := range readCSV(t, filepath.Join(dir, "truth/records.csv")) {
			if r["dataset"] == st.Dataset {
				truth[r["record_id"]] = r["noise"]
			}
		}
		for _, r := range recs {
			v := r[col]
			if v == "" {
				continue
			}
			_, err := parse.USCC(v)
			if typo := strings.Contains(truth[r["record_id"]], "uscc_typo"); typo != (err != nil) {
				t.Errorf("%s %s: credit code %s, marked mistyped %v, validates: %v", st.Name, r["record_id"], v, typo, err == nil)
			}
		}
	}
}

// TestWorldIngest loads a world into DuckDB with its mappings.
func TestWorldIngest(t *testing.T) {
	dir, res := testWorld(t, WorldOptions{Firms: 2000, Seed: 2})
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	ctx := context.Background()
	db, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), duckdb.Options{Schemas: schemas, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	typos := map[string]int64{}
	for _, st := range res.Sources {
		typos[st.Dataset] = int64(st.Noise["uscc_typo"])
	}
	want := map[string]int64{registryDataset: int64(res.Firms + res.ForeignFirms + res.Persons + res.GovBodies + res.Directorships + res.Ownerships)}
	for _, st := range res.Sources {
		want[st.Dataset] = int64(st.Records)
	}
	if len(res.Mappings) != 5 {
		t.Fatalf("%d mappings: %v", len(res.Mappings), res.Mappings)
	}
	for _, path := range res.Mappings {
		m, err := ingest.LoadMapping(path, schemas)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := ingest.Run(ctx, db, m, ingest.Options{Now: now})
		if err != nil {
			if sum != nil && len(sum.Errors) > 0 {
				t.Fatalf("%s: %v\n%v", path, err, sum.Errors[0])
			}
			t.Fatalf("%s: %v", path, err)
		}
		if sum.Entities != want[sum.Dataset] {
			t.Errorf("%s: %d entities; want %d", sum.Dataset, sum.Entities, want[sum.Dataset])
		}
		if sum.Dropped != typos[sum.Dataset] {
			t.Errorf("%s: %d values dropped; want the %d mistyped credit codes", sum.Dataset, sum.Dropped, typos[sum.Dataset])
		}
	}
	// The truth names the records as the store does: entity id and source line.
	truth := map[string]string{}
	for _, r := range readCSV(t, filepath.Join(dir, "truth/records.csv")) {
		truth[r["entity_id"]] = r["source"]
	}
	got := map[string]string{}
	err = db.Statements(ctx, cipmap.StatementFilter{Schemas: []string{"Firm"}}, func(s *cipmap.Statement) error {
		got[s.EntityID] = s.Source
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(truth) {
		t.Errorf("%d Firm entities in the store, %d in the truth", len(got), len(truth))
	}
	bad := 0
	for id, src := range got {
		if truth[id] != src {
			if bad++; bad < 5 {
				t.Errorf("store has %s from %s; truth says %q", id, src, truth[id])
			}
		}
	}
}

// TestWorldData checks the word lists.
func TestWorldData(t *testing.T) {
	d, err := loadWorldData()
	if err != nil {
		t.Fatal(err)
	}
	simp, err := tagger.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for s, tr := range d.s2t {
		if got := simp.Simplify(string(tr)); got != string(s) {
			t.Errorf("s2t.txt: %c → %c, but OpenCC simplifies %c to %s", s, tr, tr, got)
		}
	}
	reg, err := taxonomy.Default()
	if err != nil {
		t.Fatal(err)
	}
	codes, err := reg.Codes("gbt4754-2017")
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]bool{}
	for _, c := range codes {
		if c.Level == 4 {
			classes[c.Code] = true
		}
	}
	for _, in := range d.industries {
		for _, c := range in.codes {
			if !classes[c] {
				t.Errorf("industries.csv: %s: %s is not a GB/T 4754-2017 class", in.word, c)
			}
		}
	}
	for _, c := range d.chars {
		for _, s := range c.similar {
			if s == c.r {
				t.Errorf("tradechars.csv: %c is similar to itself", c.r)
			}
		}
	}
	for _, c := range d.cities {
		if d.provinces[c.prov].code != c.code[:2] {
			t.Errorf("cities.csv: %s %s is not in province %s", c.code, c.name, d.provinces[c.prov].code)
		}
	}
	if n := len(d.provinces); n != 31 {
		t.Errorf("%d provinces; want 31", n)
	}
	for _, p := range d.provinces {
		if p.capital < 0 {
			t.Errorf("province %s has no city", p.name)
		}
	}
}

func TestWorldNames(t *testing.T) {
	d, err := loadWorldData()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{d: d}
	idx := func(s string) tname {
		var tn tname
		for _, r := range s {
			tn.c[tn.n] = uint8(d.charIndex[r])
			tn.n++
		}
		return tn
	}
	f := &firm{trade: idx("华信"), city: uint8(w.cityNamed("深圳")), industry: uint8(d.industryByWord["科技"]), form: formLtd, style: styleCity, district: -1}
	f.oldTrade, f.oldIndustry, f.oldForm = f.trade, f.industry, f.form
	tests := []struct{ got, want string }{
		{w.zhName(f, false), "深圳市华信科技有限公司"},
		{w.enName(f, false, enOpts{}), "Shenzhen Huaxin Technology Co., Ltd."},
		{w.enName(f, false, enOpts{abbr: true}), "SHENZHEN HUAXIN TECH CO LTD"},
		{w.enName(f, false, enOpts{noRegion: true, spaced: true, noForm: true}), "Hua Xin Technology"},
		{w.pinyinName(f, false, 0), "Huaxin Keji"},
		{w.pinyinName(f, false, 1), "SHENZHEN HUAXIN KEJI YOUXIAN GONGSI"},
		{w.shortName(f, shortIndustry), "华信科技"},
		{d.traditional(w.zhName(f, false)), "深圳市華信科技有限公司"},
	}
	f2 := *f
	f2.trade, f2.style, f2.city = idx("华安"), styleBracket, uint8(w.cityNamed("西安"))
	f2.oldTrade = f2.trade
	tests = append(tests, []struct{ got, want string }{
		{w.zhName(&f2, false), "华安科技（西安）有限公司"},
		{w.enName(&f2, false, enOpts{}), "Hua'an Technology (Xi'an) Co., Ltd."},
		{w.enName(&f2, false, enOpts{abbr: true}), "HUAAN TECH (XIAN) CO LTD"},
	}...)
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	for _, s := range []string{"25%-50%", shareBand(3000), shareString(3333), shareString(5000), shareString(1250)} {
		if _, err := parse.Percentage(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if got := shareString(1250); got != "12.5%" {
		t.Errorf("shareString(1250) = %s", got)
	}
}

// TestWorldTiming writes the benchmark world: 300,000 firms and 1,000,000 records.
func TestWorldTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("300,000 firms: skipped with -short")
	}
	dir, res := testWorld(t, WorldOptions{Firms: 300_000, Records: 1_000_000, Seed: 1})
	var sizes []string
	for _, f := range res.Files {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil && st.Size() > 1<<20 {
			sizes = append(sizes, fmt.Sprintf("%s %.0f MB", f, float64(st.Size())/(1<<20)))
		}
	}
	t.Logf("300,000 firms, %d records, %d persons, %d ownership edges, %d directorships: %.1f s, %.0f MB (%s)",
		res.Records, res.Persons, res.Ownerships, res.Directorships, res.Seconds, float64(res.Bytes)/(1<<20), strings.Join(sizes, ", "))
	if res.Records != 1_000_000 {
		t.Errorf("%d records; want 1,000,000", res.Records)
	}
	if res.Seconds > 60 {
		t.Errorf("%.0f s; want well under a minute", res.Seconds)
	}
}

// TestWorldSmall makes worlds too small for SOE groups and listings.
func TestWorldSmall(t *testing.T) {
	for _, n := range []int{1, 2, 10, 99, 150} {
		dir, res := testWorld(t, WorldOptions{Firms: n, Seed: int64(n)})
		if got := len(readCSV(t, filepath.Join(dir, "registry/firms.csv"))); got != n {
			t.Errorf("%d firms: %d written", n, got)
		}
		if res.Records != n*10/3 {
			t.Errorf("%d firms: %d records; want %d", n, res.Records, n*10/3)
		}
	}
}
