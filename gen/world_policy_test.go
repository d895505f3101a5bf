package gen

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/schema"
)

// TestWorldPolicyKeepsWorld: the policy layer adds files and changes none of the
// world's own.
func TestWorldPolicyKeepsWorld(t *testing.T) {
	a, ra := testWorld(t, WorldOptions{Firms: 1200, Seed: 5})
	b, rb := testWorld(t, WorldOptions{Firms: 1200, Seed: 5, Policy: true})
	for _, f := range ra.Files {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs with --policy", f)
		}
	}
	if rb.Policy == nil || len(rb.Mappings) != len(ra.Mappings)+4 {
		t.Fatalf("policy layer: %+v, mappings %v", rb.Policy, rb.Mappings)
	}
}

func TestWorldPolicyDeterministic(t *testing.T) {
	opts := WorldOptions{Firms: 1500, Seed: 9, Policy: true, Records: -1}
	a, ra := testWorld(t, opts)
	b, _ := testWorld(t, opts)
	for _, f := range ra.Files {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with seed 9", f)
		}
	}
	c, _ := testWorld(t, WorldOptions{Firms: 1500, Seed: 10, Policy: true, Records: -1})
	x, _ := os.ReadFile(filepath.Join(a, "flows/grants.csv"))
	y, _ := os.ReadFile(filepath.Join(c, "flows/grants.csv"))
	if bytes.Equal(x, y) {
		t.Error("seeds 9 and 10 write the same grants")
	}
}

// money parses an amount the generator wrote.
func money(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// TestWorldPolicyConsistent checks that every flow runs between entities the world
// has, that fund chains add up, and that the truth matches the files.
func TestWorldPolicyConsistent(t *testing.T) {
	dir, res := testWorld(t, WorldOptions{Firms: 6000, Seed: 4, Policy: true, Records: -1})
	p := res.Policy
	path := func(f string) string { return filepath.Join(dir, f) }
	firms, govs, funds, banks := map[string]bool{}, map[string]bool{}, map[string]map[string]string{}, map[string]bool{}
	founded := map[string]string{}
	for _, r := range readCSV(t, path("registry/firms.csv")) {
		firms[r["firm_id"]] = true
		founded[r["firm_id"]] = r["founded"]
	}
	for _, f := range []string{"registry/gov_bodies.csv", "state/gov_bodies.csv"} {
		for _, r := range readCSV(t, path(f)) {
			if govs[r["gov_id"]] {
				t.Errorf("gov body %s twice", r["gov_id"])
			}
			govs[r["gov_id"]] = true
		}
	}
	for _, r := range readCSV(t, path("state/banks.csv")) {
		banks[r["firm_id"]] = true
	}
	for _, r := range readCSV(t, path("state/funds.csv")) {
		funds[r["fund_id"]] = r
	}
	// Flows: receivers are firms, givers what the channel says.
	fx := map[string]float64{}
	d, _ := loadPolicyData(mustData(t))
	for y, v := range d.fx {
		fx[strconv.Itoa(y)] = v
	}
	outflow := map[string]float64{} // fund → yuan, CNY
	invs := readCSV(t, path("flows/investments.csv"))
	invCNY := map[string]float64{}
	usd := 0
	for _, r := range invs {
		if !firms[r["investee_id"]] || funds[r["investor_id"]] == nil {
			t.Fatalf("investment %v: investee or investor unknown", r)
		}
		if r["date"] < founded[r["investee_id"]] {
			t.Errorf("investment %s on %s in a firm founded %s", r["investment_id"], r["date"], founded[r["investee_id"]])
		}
		cny := money(t, r["amount"])
		if r["currency"] == "USD" {
			cny *= fx[r["date"][:4]]
			usd++
		}
		invCNY[r["investment_id"]] = cny
		outflow[r["investor_id"]] += cny
	}
	if len(invs) != p.Investments || len(invs) == 0 || usd == 0 {
		t.Errorf("%d investments (%d in USD); result says %d", len(invs), usd, p.Investments)
	}
	for _, c := range []struct{ file, giver, receiver string }{
		{"flows/grants.csv", "grantor_id", "recipient_id"}, {"flows/loans.csv", "lender_id", "borrower_id"},
		{"flows/contracts.csv", "buyer_id", "supplier_id"}, {"flows/listings.csv", "", "firm_id"},
	} {
		rows := readCSV(t, path(c.file))
		if len(rows) == 0 {
			t.Errorf("%s: no rows", c.file)
		}
		for _, r := range rows {
			if !firms[r[c.receiver]] {
				t.Fatalf("%s: receiver %q is not a registry firm", c.file, r[c.receiver])
			}
			if g := r[c.giver]; c.giver != "" && !govs[g] && !banks[g] {
				t.Fatalf("%s: giver %q is neither a gov body nor a bank", c.file, g)
			}
		}
	}
	// Partners: shares add up to 100%, commitments to the capital; a fund's
	// investments and commitments to funds below stay within its capital.
	partners := readCSV(t, path("state/fund_partners.csv"))
	shareOf := map[string]map[string]float64{} // fund → partner → share
	sum, commit := map[string]float64{}, map[string]float64{}
	for _, r := range partners {
		f := r["fund_id"]
		s := money(t, r["share"])
		sum[f] += s
		commit[f] += money(t, r["commitment"])
		if shareOf[f] == nil {
			shareOf[f] = map[string]float64{}
		}
		shareOf[f][r["partner_id"]] += s / 100
		switch r["partner_kind"] {
		case "gov":
			if !govs[r["partner_id"]] {
				t.Errorf("partner %s is no gov body", r["partner_id"])
			}
		case "fund":
			if funds[r["partner_id"]] == nil {
				t.Errorf("partner %s is no fund", r["partner_id"])
			}
			outflow[r["partner_id"]] += money(t, r["commitment"])
		default:
			if !firms[r["partner_id"]] && !banks[r["partner_id"]] {
				t.Errorf("partner %s is no firm", r["partner_id"])
			}
		}
	}
	levels := map[string]int{}
	for id, f := range funds {
		levels[f["level"]]++
		capital := money(t, f["registered_capital"])
		if math.Abs(sum[id]-100) > 1e-6 || math.Abs(commit[id]-capital) > 0.5 {
			t.Errorf("fund %s: shares add up to %v%%, commitments to %.0f of %.0f", id, sum[id], commit[id], capital)
		}
		if outflow[id] > capital+1 {
			t.Errorf("fund %s deploys %.0f of a capital of %.0f", id, outflow[id], capital)
		}
	}
	if levels["central"] == 0 || levels["provincial"] == 0 || levels["municipal"] == 0 {
		t.Errorf("fund levels %v", levels)
	}
	// Attribution: each row's share is the product of the shares along its chain, and
	// the shares of an investment's rows add up to the government share of its fund.
	attr := readCSV(t, path("truth/fund_attribution.csv"))
	deep := 0
	byGov := map[string]float64{}
	for _, r := range attr {
		chain := strings.Split(r["chain"], ">")
		if chain[len(chain)-1] != r["investor_id"] {
			t.Fatalf("attribution %v: chain does not end at the investor", r)
		}
		if len(chain) == 3 {
			deep++
		}
		s := shareOf[chain[0]][r["gov_id"]]
		for k := 1; k < len(chain); k++ {
			s *= shareOf[chain[k]][chain[k-1]]
		}
		if got := money(t, r["share"]); math.Abs(got-s) > 1e-6 {
			t.Errorf("attribution %v: share %v; the chain gives %v", r, got, s)
		}
		cny := invCNY[r["investment_id"]]
		if math.Abs(money(t, r["amount_cny"])-cny) > 0.01 || math.Abs(money(t, r["attributed_cny"])-cny*s) > 0.01 {
			t.Errorf("attribution %v: amounts do not add up (investment %.2f CNY)", r, cny)
		}
		byGov[r["gov_id"]+" "+r["firm_id"]] += money(t, r["attributed_cny"])
	}
	if deep == 0 || len(attr) != p.Attributions {
		t.Errorf("%d attribution rows, %d through three funds", len(attr), deep)
	}
	reach := 0
	for _, r := range readCSV(t, path("truth/gov_reach.csv")) {
		if r["channel"] != "guidance-fund" {
			continue
		}
		reach++
		k := r["gov_id"] + " " + r["firm_id"]
		if math.Abs(money(t, r["amount_cny"])-byGov[k]) > 0.01*float64(1+money(t, r["flows"])) {
			t.Errorf("gov_reach %s: %s; the attributions add up to %.2f", k, r["amount_cny"], byGov[k])
		}
		delete(byGov, k)
	}
	if len(byGov) != 0 || reach == 0 {
		t.Errorf("%d body-firm pairs of the attributions are not in gov_reach.csv", len(byGov))
	}
	// Financials: subsidies are the year's grants.
	grants := map[string]float64{}
	for _, r := range readCSV(t, path("flows/grants.csv")) {
		grants[r["recipient_id"]+" "+r["year"]] += money(t, r["amount"]) / 10000
	}
	fin := readCSV(t, path("outcomes/financials.csv"))
	for _, r := range fin {
		k := r["firm_id"] + " " + r["year"]
		if math.Abs(money(t, r["subsidies"])-grants[k]) > 0.011 {
			t.Fatalf("financials %s: subsidies %s; grants add up to %.2f", k, r["subsidies"], grants[k])
		}
		if !firms[r["firm_id"]] {
			t.Fatalf("financials of %s, no registry firm", r["firm_id"])
		}
	}
	// Designations name registry firms; programs exist.
	progs := map[string]bool{}
	for _, r := range readCSV(t, path("state/programs.csv")) {
		progs[r["program_id"]] = true
	}
	for _, r := range readCSV(t, path("state/designations.csv")) {
		if !firms[r["firm_id"]] || !progs[r["program_id"]] {
			t.Fatalf("designation %v", r)
		}
	}
	// Patents: applicants are firms; numbers unique; CN numbers have their check.
	cn := regexp.MustCompile(`^CN(\d{12})\.([\dX])$`)
	seen := map[string]bool{}
	pats := readCSV(t, path("outcomes/patents.csv"))
	for _, r := range pats {
		if !firms[r["applicant_id"]] || seen[r["patent_id"]] {
			t.Fatalf("patent %v: unknown applicant or duplicate", r)
		}
		seen[r["patent_id"]] = true
		if m := cn.FindStringSubmatch(r["application_number"]); r["office"] == "CN" && (m == nil || cnCheck(m[1]) != m[2][0]) {
			t.Fatalf("patent %s: bad CN application number", r["application_number"])
		}
		if r["grant_date"] != "" && r["grant_date"] < r["application_date"] {
			t.Fatalf("patent %v granted before it was filed", r)
		}
	}
	if len(pats) < res.Firms*5*9/10 || len(pats) > res.Firms*5*11/10 {
		t.Errorf("%d patents; want about %d", len(pats), res.Firms*5)
	}
	flows := p.Investments + p.Grants + p.Loans + p.Contracts + p.Listings
	if flows < res.Firms*2*9/10 || flows > res.Firms*2*11/10 {
		t.Errorf("%d flows; want about %d", flows, res.Firms*2)
	}
	// Policies: document numbers in the 代字〔year〕serial号 form, unique.
	num := regexp.MustCompile(`^[^〔〕]+〔(\d{4})〕\d+号$`)
	nums := map[string]bool{}
	for _, r := range readCSV(t, path("state/policies.csv")) {
		m := num.FindStringSubmatch(r["document_number"])
		if m == nil || m[1] != r["date"][:4] || nums[r["document_number"]] {
			t.Errorf("policy %s: document number %q (dated %s)", r["policy_id"], r["document_number"], r["date"])
		}
		nums[r["document_number"]] = true
	}
}

func mustData(t *testing.T) *worldData {
	t.Helper()
	d, err := loadWorldData()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWorldPolicyTopics: every topic's tag is a CTT v1 tag and its phrase is the tag's
// name or keyword, so that a tagger finds the policies' targets in their text.
func TestWorldPolicyTopics(t *testing.T) {
	d, err := loadPolicyData(mustData(t))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../ctt/v1/*.yaml")
	var all []byte
	for _, f := range files {
		b, _ := os.ReadFile(f)
		all = append(all, b...)
	}
	for _, tp := range d.topics {
		i := bytes.Index(all, []byte("  - id: "+tp.tag+"\n"))
		if i < 0 {
			t.Errorf("topic %s is not a CTT v1 tag", tp.tag)
			continue
		}
		block := all[i:]
		if j := bytes.Index(block[10:], []byte("  - id: ")); j > 0 {
			block = block[:j+10]
		}
		if !bytes.Contains(block, []byte(tp.zh)) {
			t.Errorf("topic %s: %q is not among the tag's names and keywords", tp.tag, tp.zh)
		}
	}
}

// TestWorldPolicyEffect finds the little giants' planted patent effect with a plain
// difference in differences of counts: three years after against three years before,
// designated firms against firms never treated.
func TestWorldPolicyEffect(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 60,000 firms")
	}
	dir, _ := testWorld(t, WorldOptions{Firms: 60000, Seed: 1, Policy: true, Records: -1})
	treat := map[string]int{}
	never := map[string]bool{}
	for _, r := range readCSV(t, filepath.Join(dir, "truth/treatments.csv")) {
		switch {
		case r["little_giant_year"] != "" && r["champion_year"] == "" && r["first_fund_year"] == "":
			treat[r["firm_id"]], _ = strconv.Atoi(r["little_giant_year"])
		case r["little_giant_year"] == "" && r["champion_year"] == "" && r["first_fund_year"] == "":
			never[r["firm_id"]] = true
		}
	}
	byYear := map[string]*[patLastYear + 1]float64{}
	for _, r := range readCSV(t, filepath.Join(dir, "outcomes/patents.csv")) {
		id := r["applicant_id"]
		if _, ok := treat[id]; !ok && !never[id] {
			continue
		}
		if byYear[id] == nil {
			byYear[id] = &[patLastYear + 1]float64{}
		}
		y, _ := strconv.Atoi(r["application_date"][:4])
		byYear[id][y]++
	}
	// For each designation year: the treated firms' post/pre ratio over the
	// never-treated firms' (both patenting before), weighted by the treated's counts.
	var num, den float64
	for _, year := range []int{2020, 2021} {
		var tPre, tPost, cPre, cPost float64
		for id, c := range byYear {
			pre := c[year-3] + c[year-2] + c[year-1]
			post := c[year+1] + c[year+2] + c[year+3]
			if treat[id] == year && c[year-4] > 0 {
				tPre, tPost = tPre+pre, tPost+post
			} else if never[id] && c[year-4] > 0 {
				cPre, cPost = cPre+pre, cPost+post
			}
		}
		num += tPost / (cPost / cPre)
		den += tPre
	}
	// Post (year+1..+3) and pre (year-3..-1) are four years apart on both sides, so
	// growth cancels in the ratio of ratios and what is left is the effect.
	got := num / den
	if got < 1.25 || got > 1.6 {
		t.Errorf("little giants' patents after designation ×%.3f; planted ×%.2f", got, effLittleGiantPatent)
	}
	t.Logf("little giants' patents after designation ×%.3f (planted ×%.2f)", got, effLittleGiantPatent)
}

// TestWorldPolicyIngest loads the policy layer's mappings into a store: every row
// becomes its entities and no value is dropped.
func TestWorldPolicyIngest(t *testing.T) {
	_, res := testWorld(t, WorldOptions{Firms: 800, Seed: 6, Policy: true})
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
	p := res.Policy
	want := map[string]int64{
		"world-flows": int64(p.Investments + p.Grants + p.Loans + p.Contracts + p.Listings),
	}
	// Patents are fact rows (patent_facts), one per patent and applicant.
	wantFacts := map[string]int64{"world-outcome-patents": int64(p.Patents)}
	for _, path := range res.Mappings {
		m, err := ingest.LoadMapping(path, schemas)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		sum, err := ingest.Run(ctx, db, m, ingest.Options{Now: now})
		if err != nil {
			if sum != nil && len(sum.Errors) > 0 {
				t.Fatalf("%s: %v\n%v", path, err, sum.Errors[0])
			}
			t.Fatalf("%s: %v", path, err)
		}
		if w, ok := want[sum.Dataset]; ok && sum.Entities != w {
			t.Errorf("%s: %d entities; want %d", sum.Dataset, sum.Entities, w)
		}
		if w, ok := wantFacts[sum.Dataset]; ok && sum.Facts != w {
			t.Errorf("%s: %d fact rows; want %d", sum.Dataset, sum.Facts, w)
		}
		if sum.Dropped != 0 && strings.HasPrefix(filepath.Base(path), "mapping-") && !isSource(res, sum.Dataset) {
			t.Errorf("%s: %d values dropped", sum.Dataset, sum.Dropped)
		}
	}
}

func isSource(res *WorldResult, dataset string) bool {
	for _, s := range res.Sources {
		if s.Dataset == dataset {
			return true
		}
	}
	return false
}
