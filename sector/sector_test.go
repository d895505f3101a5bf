package sector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/schema"
)

// testTree is a tag standard in small: ai with two children, and bio and software
// beside it.
type testTree map[string][]string

func (tr testTree) Subtree(tag string) ([]string, error) {
	if s, ok := tr[tag]; ok {
		return s, nil
	}
	return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no tag %s", tag)
}

func (tr testTree) Name(tag string) cipmap.Label {
	return cipmap.Label{EN: "tag " + tag, ZH: "标签" + tag}
}

var tree = testTree{"ai": {"ai", "ai.ml", "ai.vision"}, "ai.ml": {"ai.ml"}, "bio": {"bio"}}

// testRates converts US dollars of 2020 at 7 yuan; every other currency or year is
// unknown.
type testRates struct{}

func (testRates) ToCNY(amount float64, currency string, year int) (float64, error) {
	switch {
	case currency == "CNY":
		return amount, nil
	case currency == "USD" && year == 2020:
		return amount * 7, nil
	}
	return 0, cipmap.Errorf(cipmap.ENOTFOUND, "no rate for %s in %d", currency, year)
}

func (testRates) Constant(cny float64, year, base int) (float64, error) { return cny, nil }

// owners is the test's ownership: c1 is a local SOE, f9 a central one, f2 private;
// of the givers fund1 is majority state-held and bank1 a central SOE; f5 is private.
var owners = map[string]Owner{
	"c1":    {Class: ClassLocal, StateShare: 0.6},
	"f9":    {Class: ClassCentral, StateShare: 1},
	"f2":    {Class: ClassPrivate, StateShare: 0},
	"f5":    {Class: ClassPrivate, StateShare: 0},
	"fund1": {Class: ClassPrivate, StateShare: 0.8},
	"bank1": {Class: ClassCentral, StateShare: 1},
}

func testOwnership(_ context.Context, ids []string) (map[string]Owner, error) {
	out := map[string]Owner{}
	for _, id := range ids {
		if o, ok := owners[id]; ok {
			out[id] = o
		}
	}
	return out, nil
}

type fact struct{ entity, schema, prop, value string }

// world is the sector's store, with the figures each fact leads to worked out in
// TestBuild. Firms (records → canonical firm):
//
//	f1, f1b → c1  Alpha AI, 2015, 北京市; patents P1 (all ai) and half of P2; f1b tagged ai
//	f2            Beta, 2019, region 440300 (广东省); half of P2, half of P7
//	f3            Gamma, 2021, region 浙江省杭州市; P3 (ai.ml and ai.vision)
//	f4            Delta, 2010, 上海市; no patents, the firm itself tagged ai.vision
//	f5            Outside: a bio patent, a bio tag, revenue; not in the sector
//	f6            Epsilon, 2022, 北京市; supplier of contract k2, tagged ai
//	f7, f7b → c7  Zeta, 2018, 广东省; P4 (a quarter ai); f7b gets grant g1
//	f8            no statements; half of P7
//	f9            Eta, 2005, 上海市; P6 (2018, all ai); listed (l1)
//	f10           tagged ai with weight 0: not in the sector
var world = []fact{
	{"f1", "Firm", "name", "Alpha AI"}, {"f1", "Firm", "founded", "2015-03-01"}, {"f1", "Firm", "province", "北京市"},
	{"f1b", "Firm", "name", "Alpha AI Co"}, {"f1b", "Firm", "founded", "2016"},
	{"f2", "Firm", "name", "Beta"}, {"f2", "Firm", "founded", "2019-06-01"}, {"f2", "Firm", "region", "440300"},
	{"f3", "Firm", "name", "Gamma"}, {"f3", "Firm", "founded", "2021-01-01"}, {"f3", "Firm", "region", "浙江省杭州市"},
	{"f4", "Firm", "name", "Delta"}, {"f4", "Firm", "founded", "2010"}, {"f4", "Firm", "province", "上海市"},
	{"f5", "Firm", "name", "Outside"}, {"f5", "Firm", "founded", "2000"},
	{"f6", "Firm", "name", "Epsilon"}, {"f6", "Firm", "founded", "2022-05-05"}, {"f6", "Firm", "province", "北京市"},
	{"f7", "Firm", "name", "Zeta"}, {"f7", "Firm", "founded", "2018-01-01"}, {"f7", "Firm", "province", "广东省"},
	{"f7b", "Firm", "name", "Zeta Ltd"},
	{"f9", "Firm", "name", "Eta"}, {"f9", "Firm", "founded", "2005"}, {"f9", "Firm", "province", "上海市"},
	{"f10", "Firm", "name", "Untagged"},
	{"gov1", "GovBody", "name", "工业和信息化部"},
	{"fund1", "Fund", "name", "国家人工智能产业投资基金"},
	{"bank1", "Firm", "name", "国家开发银行"},

	// g1: a grant from a government body to f7b (c7), 2021.
	{"g1", "Grant", "grantor", "gov1"}, {"g1", "Grant", "recipient", "f7b"}, {"g1", "Grant", "amount", "1000"},
	{"g1", "Grant", "currency", "CNY"}, {"g1", "Grant", "date", "2021-05-01"},
	// g2: a grant without a grantor, dated by its year: state all the same.
	{"g2", "Grant", "recipient", "f3"}, {"g2", "Grant", "amount", "500"}, {"g2", "Grant", "year", "2022"},
	// k1: a government body buys from f2; k2: outside firm f5 buys from f6, and the
	// contract is tagged ai (so f6 is in the sector); k3 does not reach the sector.
	{"k1", "Contract", "buyer", "gov1"}, {"k1", "Contract", "supplier", "f2"}, {"k1", "Contract", "amount", "300"},
	{"k1", "Contract", "date", "2022-01-10"},
	{"k2", "Contract", "buyer", "f5"}, {"k2", "Contract", "supplier", "f6"}, {"k2", "Contract", "amount", "80"},
	{"k2", "Contract", "date", "2022-03-01"},
	{"k3", "Contract", "buyer", "gov1"}, {"k3", "Contract", "supplier", "f5"}, {"k3", "Contract", "amount", "9999"},
	{"k3", "Contract", "date", "2022-03-01"},
	// i1: 10 USD in 2020 from a state-held fund to f1; i2: no amount; i3: one round
	// into two of the sector's firms, counted once; i4: in euros, which have no rate.
	{"i1", "Investment", "investor", "fund1"}, {"i1", "Investment", "investee", "f1"}, {"i1", "Investment", "amount", "10"},
	{"i1", "Investment", "currency", "USD"}, {"i1", "Investment", "date", "2020-07-01"},
	{"i2", "Investment", "investor", "fund1"}, {"i2", "Investment", "investee", "f1b"}, {"i2", "Investment", "date", "2021-01-01"},
	{"i3", "Investment", "investor", "f5"}, {"i3", "Investment", "investee", "f2"}, {"i3", "Investment", "investee", "f3"},
	{"i3", "Investment", "amount", "40"}, {"i3", "Investment", "date", "2021-02-02"},
	{"i4", "Investment", "investor", "f5"}, {"i4", "Investment", "investee", "f3"}, {"i4", "Investment", "amount", "5"},
	{"i4", "Investment", "currency", "EUR"}, {"i4", "Investment", "date", "2021-03-03"},
	// l1: f9 lists and raises 2000: market money.
	{"l1", "Listing", "firm", "f9"}, {"l1", "Listing", "amount_raised", "2000"}, {"l1", "Listing", "listing_date", "2019-11-05"},
	// n1: a loan from a central SOE bank to f4.
	{"n1", "Loan", "lender", "bank1"}, {"n1", "Loan", "borrower", "f4"}, {"n1", "Loan", "amount", "600"},
	{"n1", "Loan", "year", "2020"},

	// Policies: pol1 targets ai (and bio, whose instrument it lists but whose tag it
	// does not), pol3 targets ai.vision without a weight, pol2 only bio.
	{"pol1", "Policy", "title", "新一代人工智能发展规划"}, {"pol1", "Policy", "date", "2017-07-08"}, {"pol1", "Policy", "level", "national"},
	{"t1", "Targeting", "policy", "pol1"}, {"t1", "Targeting", "target_tag", "ai"}, {"t1", "Targeting", "instrument", "subsidy"},
	{"t1", "Targeting", "weight", "0.8"},
	{"t2", "Targeting", "policy", "pol1"}, {"t2", "Targeting", "target_tag", "bio"}, {"t2", "Targeting", "instrument", "tax"},
	{"pol2", "Policy", "title", "生物经济发展规划"}, {"pol2", "Policy", "date", "2022-05-10"},
	{"t3", "Targeting", "policy", "pol2"}, {"t3", "Targeting", "target_tag", "bio"},
	{"pol3", "Policy", "title", "中国制造2025"}, {"pol3", "Policy", "date", "2015-05-08"},
	{"t4", "Targeting", "policy", "pol3"}, {"t4", "Targeting", "target_tag", "ai.vision"},

	// Programs: prog1 designates both records of c1, f2 and f5; prog2 only f5.
	{"prog1", "Program", "name", "专精特新小巨人"},
	{"prog2", "Program", "name", "其他计划"},
	{"d1", "Designation", "program", "prog1"}, {"d1", "Designation", "firm", "f1"},
	{"d2", "Designation", "program", "prog1"}, {"d2", "Designation", "firm", "f1b"},
	{"d3", "Designation", "program", "prog1"}, {"d3", "Designation", "firm", "f2"},
	{"d4", "Designation", "program", "prog1"}, {"d4", "Designation", "firm", "f5"},
	{"d5", "Designation", "program", "prog2"}, {"d5", "Designation", "firm", "f5"},
}

type patentFact struct {
	id         string
	year       int
	applicants []string
	tags       map[string]float64 // ctt tag → weight
}

// patents: the share in the sector is the subtree's part of the patent's tagged
// weight, divided among its applicants.
var patents = []patentFact{
	{"P1", 2020, []string{"f1"}, map[string]float64{"ai.ml": 1}},                                      // 1
	{"P2", 2021, []string{"f1b", "f2"}, map[string]float64{"ai": 0.5, "bio": 0.5}},                    // 0.5, 0.25 each
	{"P3", 2021, []string{"f3"}, map[string]float64{"ai.vision": 0.3, "ai.ml": 0.3}},                  // 0.6/0.6 = 1
	{"P4", 2022, []string{"f7"}, map[string]float64{"ai": 0.25, "software": 0.75}},                    // 0.25
	{"P5", 2020, []string{"f5"}, map[string]float64{"bio": 1}},                                        // out
	{"P6", 2018, []string{"f9"}, map[string]float64{"ai": 1}},                                         // 1
	{"P7", 2022, []string{"f2", "f8"}, map[string]float64{"ai.ml": 0.2, "bio": 0.2, "software": 0.6}}, // 0.2, 0.1 each
}

func openStore(t *testing.T) cipmap.Store {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	st, err := duckdb.Open(context.Background(), filepath.Join(t.TempDir(), "s.duckdb"), duckdb.Options{Schemas: schemas, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func load(t *testing.T, st cipmap.Store, name string, fill func(w cipmap.Writer) error) {
	t.Helper()
	if _, err := st.Load(context.Background(), &cipmap.Dataset{Name: name, Version: "v1"}, fill); err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
}

func statements(facts []fact) func(w cipmap.Writer) error {
	return func(w cipmap.Writer) error {
		for i, f := range facts {
			if err := w.Statement(&cipmap.Statement{EntityID: f.entity, Schema: f.schema, Property: f.prop, Value: f.value,
				Source: fmt.Sprintf("world.csv:%d", i+2)}); err != nil {
				return err
			}
		}
		return nil
	}
}

func rev(x float64) *float64 { return &x }

// worldStore loads the world: statements, patents and their tags, firm tags,
// clusters and financials.
func worldStore(t *testing.T) cipmap.Store {
	t.Helper()
	st := openStore(t)
	load(t, st, "world", statements(world))
	load(t, st, "patents", func(w cipmap.Writer) error {
		for _, p := range patents {
			for _, a := range p.applicants {
				if err := w.Patent(&cipmap.Patent{PatentID: p.id, ApplicantID: a, Applicants: len(p.applicants), Year: p.year}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	load(t, st, "patent-tags", func(w cipmap.Writer) error {
		for _, p := range patents {
			mass := 0.0
			for _, wt := range p.tags {
				mass += wt
			}
			for tag, wt := range p.tags {
				if err := w.PatentTag(&cipmap.PatentTag{PatentID: p.id, Year: p.year, System: "ctt", Tag: tag, Weight: wt, Mass: mass, Method: "code"}); err != nil {
					return err
				}
			}
		}
		// Another system's tag of a patent outside the sector is not the sector's.
		return w.PatentTag(&cipmap.PatentTag{PatentID: "P5", Year: 2020, System: "other", Tag: "ai", Weight: 1, Mass: 1})
	})
	load(t, st, "tags", func(w cipmap.Writer) error {
		for _, tg := range []cipmap.TagFact{
			{EntityID: "f1b", Property: "business_scope", System: "ctt", Tag: "ai", Weight: 1},
			{EntityID: "f4", Property: "business_scope", System: "ctt", Tag: "ai.vision", Weight: 0.5},
			{EntityID: "f5", Property: "business_scope", System: "ctt", Tag: "bio", Weight: 1},
			{EntityID: "f10", Property: "business_scope", System: "ctt", Tag: "ai", Weight: 0},
			{EntityID: "k2", Property: "title", System: "ctt", Tag: "ai.ml", Weight: 1},
			{EntityID: "k3", Property: "title", System: "ctt", Tag: "bio", Weight: 1},
		} {
			if err := w.Tag(&tg); err != nil {
				return err
			}
		}
		return nil
	})
	load(t, st, "clusters", func(w cipmap.Writer) error {
		for _, c := range [][2]string{{"f1", "c1"}, {"f1b", "c1"}, {"f7", "c7"}, {"f7b", "c7"}} {
			if err := w.Cluster(&cipmap.ClusterMember{EntityID: c[0], ClusterID: c[1], Probability: 1, Method: "identifier"}); err != nil {
				return err
			}
		}
		return nil
	})
	load(t, st, "financials", func(w cipmap.Writer) error {
		for _, f := range []cipmap.Financial{
			{EntityID: "f1", Year: 2021, Currency: "CNY", Revenue: rev(100)},
			{EntityID: "f1b", Year: 2022, Currency: "CNY", Revenue: rev(50)},
			{EntityID: "f2", Year: 2021, Currency: "CNY", Revenue: rev(50)},
			{EntityID: "f4", Year: 2018, Currency: "CNY", Revenue: rev(1000)},
			{EntityID: "f4", Year: 2020, Currency: "CNY", Revenue: rev(200)},
			{EntityID: "f4", Year: 2021, Currency: "CNY"}, // revenue unknown
			{EntityID: "f5", Year: 2021, Currency: "CNY", Revenue: rev(999)},
		} {
			if err := w.Financial(&f); err != nil {
				return err
			}
		}
		return nil
	})
	return st
}

// noEdges is a store as written by a cipmap from before the edges and nodes
// tables: the profile reads its flows and firms' attributes from the statements.
type noEdges struct{ cipmap.Store }

func (s noEdges) Query(ctx context.Context, q string, args ...any) (*cipmap.Table, error) {
	if strings.Contains(q, "FROM edges") || strings.Contains(q, "FROM flows") || strings.Contains(q, "JOIN flows") ||
		strings.Contains(q, "FROM nodes") || strings.Contains(q, "JOIN nodes") {
		return nil, errors.New("no such table: edges")
	}
	return s.Store.Query(ctx, q, args...)
}

const eps = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) < eps }

// TestBuild profiles the ai sector of the world over every year, with each figure
// worked out by hand from the facts.
func TestBuild(t *testing.T) {
	ctx := context.Background()
	st := worldStore(t)
	for _, flows := range []struct {
		name string
		st   cipmap.Store
	}{{"edges", st}, {"statements", noEdges{st}}} {
		t.Run(flows.name, func(t *testing.T) {
			p, err := Build(ctx, flows.st, tree, "ai", Options{Top: 3, Ownership: testOwnership, Rates: testRates{}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Tag != "ai" || p.Name.EN != "tag ai" || !reflect.DeepEqual(p.Subtree, []string{"ai", "ai.ml", "ai.vision"}) {
				t.Errorf("tag %s %+v subtree %v", p.Tag, p.Name, p.Subtree)
			}
			// c1 (two records), f2, f3, c7 (two records), f8, f9 by patents; f4 tagged
			// itself; f6 by a tagged contract. Not f5 (bio), not f10 (weight 0).
			if p.Firms != 8 {
				t.Errorf("firms = %d, want 8: %v", p.Firms, firmIDs(p.TopFirms))
			}
			checkPatents(t, p, Count{Count: 3.95, Lower: 3, Upper: 6}, []PatentYear{
				{2018, Count{1, 1, 1}}, {2020, Count{1, 1, 1}}, {2021, Count{1.5, 1, 2}}, {2022, Count{0.45, 0, 2}},
			})
			if want := []YearCount{{2005, 1}, {2010, 1}, {2015, 1}, {2018, 1}, {2019, 1}, {2021, 1}, {2022, 1}}; !reflect.DeepEqual(p.Entry, want) {
				t.Errorf("entry = %v, want %v", p.Entry, want)
			}
			checkResources(t, p, 2, []Flow{
				{Channel: "contract", Year: 2022, Amount: 380, State: 300, Flows: 2},
				{Channel: "grant", Year: 2021, Amount: 1000, State: 1000, Flows: 1},
				{Channel: "grant", Year: 2022, Amount: 500, State: 500, Flows: 1},
				{Channel: "investment", Year: 2020, Amount: 70, State: 70, Flows: 1},
				{Channel: "investment", Year: 2021, Amount: 40, State: 0, Flows: 1},
				{Channel: "listing", Year: 2019, Amount: 2000, State: 0, Flows: 1},
				{Channel: "loan", Year: 2020, Amount: 600, State: 600, Flows: 1},
			})
			checkPlaces(t, p, []Place{
				{"上海市", 2, 1}, {"北京市", 2, 1.25}, {"广东省", 2, 0.6}, {"unknown", 1, 0.1}, {"浙江省", 1, 1},
			})
			checkOwnership(t, p, []ClassShare{
				{ClassCentral, 1, 1, 0}, {ClassLocal, 1, 1.25, 150}, {ClassPrivate, 1, 0.35, 50}, {ClassUnknown, 5, 1.35, 1200},
			})
			// Revenue: c1 100 + 50, f2 50, f4 1000 + 200.
			checkHHI(t, p, HHI{Basis: "revenue", Firms: 3, Value: sq(150.0/1400) + sq(50.0/1400) + sq(1200.0/1400)})
			checkTop(t, p, []Firm{
				{ID: "c1", Name: "Alpha AI", Province: "北京市", Founded: 2015, Class: ClassLocal, Patents: 1.25, Revenue: 150, Tagged: true},
				{ID: "f3", Name: "Gamma", Province: "浙江省", Founded: 2021, Class: ClassUnknown, Patents: 1},
				{ID: "f9", Name: "Eta", Province: "上海市", Founded: 2005, Class: ClassCentral, Patents: 1},
			})
			checkPolicies(t, p)
			if want := []Program{{ID: "prog1", Name: "专精特新小巨人", Firms: 2}}; !reflect.DeepEqual(p.Programs, want) {
				t.Errorf("programs = %+v, want %+v", p.Programs, want)
			}
			// Funding 2470 of 4590 from the state; equity of c1, f2, f9: (0.6+0+1)/3;
			// SOE patents c1 + f9 of 3.95; founded after 2017 (of 2022): c7, f2, f3, f6 of 7.
			checkArchitecture(t, p.Architecture, map[string]float64{
				"funding": 2470.0 / 4590, "equity": 1.6 / 3, "patents": 2.25 / 3.95, "closedness": 3.0 / 7,
				"concentration": p.Concentration.Value,
			}, 4.0/7)
		})
	}
}

// TestBuildNoRates: without exchange rates the dollars of i1 are skipped, and so is
// the state's part of them; without an ownership every firm is unknown.
func TestBuildNoRates(t *testing.T) {
	p, err := Build(context.Background(), worldStore(t), tree, "ai", Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkResources(t, p, 3, []Flow{
		{Channel: "contract", Year: 2022, Amount: 380, State: 300, Flows: 2},
		{Channel: "grant", Year: 2021, Amount: 1000, State: 1000, Flows: 1},
		{Channel: "grant", Year: 2022, Amount: 500, State: 500, Flows: 1},
		{Channel: "investment", Year: 2021, Amount: 40, State: 0, Flows: 1},
		{Channel: "listing", Year: 2019, Amount: 2000, State: 0, Flows: 1},
		// Without an ownership the bank is not known to be the state's.
		{Channel: "loan", Year: 2020, Amount: 600, State: 0, Flows: 1},
	})
	checkOwnership(t, p, []ClassShare{{ClassUnknown, 8, 3.95, 1400}})
	if len(p.TopFirms) != 8 {
		t.Errorf("top firms: %d, want all 8 (Top defaults to 20)", len(p.TopFirms))
	}
	// No firm's ownership is known: no equity and no SOE share of patents.
	checkArchitecture(t, p.Architecture, map[string]float64{
		"funding": 1800.0 / 4520, "closedness": 3.0 / 7, "concentration": p.Concentration.Value,
	}, 4.0/7)
}

// TestBuildWindow profiles the ai sector of 2020 and 2021: patents, entry, revenue
// and resources of those years only, and the firms whose sector patents are all
// outside them leave the sector.
func TestBuildWindow(t *testing.T) {
	ctx := context.Background()
	st := worldStore(t)
	for _, flows := range []struct {
		name string
		st   cipmap.Store
	}{{"edges", st}, {"statements", noEdges{st}}} {
		t.Run(flows.name, func(t *testing.T) {
			p, err := Build(ctx, flows.st, tree, "ai", Options{From: 2020, To: 2021, Ownership: testOwnership, Rates: testRates{}})
			if err != nil {
				t.Fatal(err)
			}
			if p.From != 2020 || p.To != 2021 {
				t.Errorf("window %d–%d", p.From, p.To)
			}
			// P1, P2, P3: c1, f2, f3; f4 and f6 as before. c7 (P4, 2022), f8 (P7, 2022)
			// and f9 (P6, 2018) leave.
			if got := firmIDs(p.TopFirms); p.Firms != 5 || !reflect.DeepEqual(got, []string{"c1", "f3", "f2", "f4", "f6"}) {
				t.Errorf("firms = %d %v, want 5 [c1 f3 f2 f4 f6]", p.Firms, got)
			}
			checkPatents(t, p, Count{Count: 2.5, Lower: 2, Upper: 3}, []PatentYear{
				{2020, Count{1, 1, 1}}, {2021, Count{1.5, 1, 2}},
			})
			if want := []YearCount{{2021, 1}}; !reflect.DeepEqual(p.Entry, want) {
				t.Errorf("entry = %v, want %v", p.Entry, want)
			}
			// i2 (no amount) and i4 (euros) are skipped; g1 went to c7, which left.
			checkResources(t, p, 2, []Flow{
				{Channel: "investment", Year: 2020, Amount: 70, State: 70, Flows: 1},
				{Channel: "investment", Year: 2021, Amount: 40, State: 0, Flows: 1},
				{Channel: "loan", Year: 2020, Amount: 600, State: 600, Flows: 1},
			})
			// Revenue of 2020–2021: c1 100, f2 50, f4 200.
			checkHHI(t, p, HHI{Basis: "revenue", Firms: 3, Value: sq(100.0/350) + sq(50.0/350) + sq(200.0/350)})
			// Of the firms founded by 2021, c1 2015, f2 2019, f3 2021, f4 2010: f2 and f3
			// after 2016. f6, founded 2022, is after the window.
			checkArchitecture(t, p.Architecture, map[string]float64{
				"funding": 670.0 / 710, "equity": 0.6 / 2, "patents": 1.25 / 2.5, "closedness": 0.5,
				"concentration": p.Concentration.Value,
			}, 0.5)
		})
	}
}

// TestBuildPatentsHHI: a sector whose firms report no revenue is concentrated over
// patents. ai.ml: P1 (c1, 1), P3 (f3, 0.3/0.6), P7 (f2 and f8, 0.2 each halved).
func TestBuildPatentsHHI(t *testing.T) {
	p, err := Build(context.Background(), worldStore(t), tree, "ai.ml", Options{From: 2022})
	if err != nil {
		t.Fatal(err)
	}
	// In 2022 only P7: f2 and f8 with 0.1 each; f2's revenue is of 2021.
	checkPatents(t, p, Count{Count: 0.2, Lower: 0, Upper: 1}, []PatentYear{{2022, Count{0.2, 0, 1}}})
	checkHHI(t, p, HHI{Basis: "patents", Firms: 2, Value: 0.5})
	if len(p.Policies) != 0 {
		t.Errorf("policies of ai.ml: %+v, want none (ai is above it)", p.Policies)
	}
	// f6's contract k2 is tagged ai.ml.
	if got := firmIDs(p.TopFirms); !reflect.DeepEqual(got, []string{"f2", "f8", "f6"}) {
		t.Errorf("firms %v, want [f2 f8 f6]", got)
	}
}

// TestBuildErrors: an unknown tag is the tree's ENOTFOUND, a reversed window
// EINVALID.
func TestBuildErrors(t *testing.T) {
	st := worldStore(t)
	if _, err := Build(context.Background(), st, tree, "nope", Options{}); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("unknown tag: %v, want ENOTFOUND", err)
	}
	if _, err := Build(context.Background(), st, tree, "ai", Options{From: 2022, To: 2020}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("--from after --to: %v, want EINVALID", err)
	}
	// bio: P2 (c1, f2), P5 (f5), P7 (f2, f8); f5 is also tagged bio.
	c, err := Compare(context.Background(), st, tree, []string{"ai", "bio"}, Options{})
	if err != nil || len(c.Sectors) != 2 || c.Sectors[0].Tag != "ai" || c.Sectors[1].Tag != "bio" || c.Sectors[1].Firms != 4 {
		t.Errorf("compare ai bio: %v, %+v", err, c)
	}
	if _, err := Compare(context.Background(), st, tree, nil, Options{}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("compare nothing: %v, want EINVALID", err)
	}
}

// TestEdgesAndStatementsAgree: a profile is the same whether the flows, firms'
// attributes and programs are read from the edges and nodes tables or from the
// statements, and whether the firms' facts are read for the sector alone (Build)
// or for every firm once (LoadFacts, as the server does), for every sector and
// window of the world.
func TestEdgesAndStatementsAgree(t *testing.T) {
	ctx := context.Background()
	st := worldStore(t)
	have, err := tables(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if !have["edges"] || !have["clusters"] || !have["patent_tags"] {
		t.Fatalf("tables: %v, want edges, clusters and patent_tags", have)
	}
	all, err := LoadFacts(ctx, st, testOwnership)
	if err != nil {
		t.Fatal(err)
	}
	flows := 0 // profiles with flows
	defer func() {
		if flows < 6 {
			t.Errorf("%d profiles with flows of 12, want 6 or more", flows)
		}
	}()
	for _, tag := range []string{"ai", "ai.ml", "bio"} {
		b, err := BuildBasis(ctx, st, tree, tag, testOwnership)
		if err != nil {
			t.Fatal(err)
		}
		for _, opt := range []Options{{}, {From: 2020, To: 2021}, {From: 2022}, {To: 2019}} {
			opt.Ownership, opt.Rates = testOwnership, testRates{}
			var got [3]string
			for i, s := range []cipmap.Store{st, noEdges{st}} {
				p, err := Build(ctx, s, tree, tag, opt)
				if err != nil {
					t.Fatalf("%s from %d to %d, store %d: %v", tag, opt.From, opt.To, i, err)
				}
				js, _ := json.MarshalIndent(p, "", " ")
				got[i] = string(js)
			}
			p, err := b.Profile(all, opt)
			if err != nil {
				t.Fatal(err)
			}
			js, _ := json.MarshalIndent(p, "", " ")
			got[2] = string(js)
			if got[0] != got[1] {
				t.Errorf("%s from %d to %d: from edges\n%s\nfrom statements\n%s", tag, opt.From, opt.To, got[0], got[1])
			}
			if got[0] != got[2] {
				t.Errorf("%s from %d to %d: facts of the sector\n%s\nfacts of every firm\n%s", tag, opt.From, opt.To, got[0], got[2])
			}
			if !strings.Contains(got[0], `"top_firms": [`) {
				t.Errorf("%s from %d to %d: no firms:\n%s", tag, opt.From, opt.To, got[0])
			}
			if strings.Contains(got[0], `"channel"`) {
				flows++
			}
		}
	}
}

// TestBadAmountEdgesAndStatements: an amount that is not a number is skipped when
// flows come from the edges table; the statements must do the same.
func TestBadAmountEdgesAndStatements(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	load(t, st, "w", statements([]fact{
		{"f1", "Firm", "name", "Alpha"},
		{"g1", "Grant", "recipient", "f1"}, {"g1", "Grant", "amount", "n/a"}, {"g1", "Grant", "year", "2021"},
		{"g2", "Grant", "recipient", "f1"}, {"g2", "Grant", "amount", "7"}, {"g2", "Grant", "year", "2021"},
	}))
	load(t, st, "tags", func(w cipmap.Writer) error {
		return w.Tag(&cipmap.TagFact{EntityID: "f1", System: "ctt", Tag: "ai", Weight: 1})
	})
	p, err := Build(ctx, st, tree, "ai", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Flow{{Channel: "grant", Year: 2021, Amount: 7, State: 7, Flows: 1}}
	if !reflect.DeepEqual(p.Resources, want) || p.Skipped != 1 {
		t.Errorf("from edges: %+v, %d skipped; want %+v, 1 skipped", p.Resources, p.Skipped, want)
	}
	p, err = Build(ctx, noEdges{st}, tree, "ai", Options{})
	if err != nil {
		t.Fatalf("from statements: %v", err)
	}
	if !reflect.DeepEqual(p.Resources, want) || p.Skipped != 1 {
		t.Errorf("from statements: %+v, %d skipped; want %+v, 1 skipped", p.Resources, p.Skipped, want)
	}
}

// TestFlowAcrossDatasets: the edges table keeps each dataset's edges its own
// (sqlview.EdgeRows), so a contract whose buyer and supplier one dataset states
// and whose amount another does has no amount in the flows view and is counted as
// skipped; a file from before the edges table, read from the statements, joins
// the two. The difference is documented; this pins both.
func TestFlowAcrossDatasets(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	load(t, st, "awards", statements([]fact{
		{"f1", "Firm", "name", "Alpha"}, {"gov1", "GovBody", "name", "工业和信息化部"},
		{"k9", "Contract", "buyer", "gov1"}, {"k9", "Contract", "supplier", "f1"},
	}))
	load(t, st, "amounts", statements([]fact{{"k9", "Contract", "amount", "50"}, {"k9", "Contract", "date", "2021-01-01"}}))
	load(t, st, "tags", func(w cipmap.Writer) error {
		return w.Tag(&cipmap.TagFact{EntityID: "f1", System: "ctt", Tag: "ai", Weight: 1})
	})
	var got [2]string
	for i, s := range []cipmap.Store{st, noEdges{st}} {
		p, err := Build(ctx, s, tree, "ai", Options{})
		if err != nil {
			t.Fatal(err)
		}
		got[i] = fmt.Sprintf("%+v, %d skipped", p.Resources, p.Skipped)
	}
	if want := "[], 1 skipped"; got[0] != want {
		t.Errorf("from edges: %s, want %s", got[0], want)
	}
	if want := "[{Channel:contract Year:2021 Amount:50 State:50 Flows:1}], 0 skipped"; got[1] != want {
		t.Errorf("from statements: %s, want %s", got[1], want)
	}
}

// TestArchitecture computes the index of hand-made profiles.
func TestArchitecture(t *testing.T) {
	firms := []Firm{
		{ID: "a", Founded: 2010}, {ID: "b", Founded: 2016}, {ID: "c", Founded: 2019}, {ID: "d", Founded: 2020},
		{ID: "e"}, // founding year unknown
	}
	owners := map[string]Owner{"a": {Class: ClassCentral, StateShare: 1}, "b": {Class: ClassPrivate, StateShare: 0.2}}
	base := Profile{
		Resources:     []Flow{{Channel: "grant", Amount: 30, State: 30}, {Channel: "investment", Amount: 70, State: 10}},
		Ownership:     []ClassShare{{Class: ClassCentral, Patents: 3}, {Class: ClassLocal, Patents: 1}, {Class: ClassPrivate, Patents: 4}},
		Concentration: HHI{Basis: "revenue", Value: 0.3, Firms: 3},
	}
	tests := []struct {
		name      string
		p         func(p Profile) Profile
		firms     []Firm
		owners    map[string]Owner
		want      map[string]float64
		entryRate float64
	}{
		{
			// Latest founding 2020: b, c, d after 2015 of a, b, c, d.
			name: "every component", firms: firms, owners: owners,
			want:      map[string]float64{"funding": 0.4, "equity": 0.6, "patents": 0.5, "closedness": 0.25, "concentration": 0.3},
			entryRate: 0.75,
		},
		{
			// To 2017: d and c are founded after the window; of a and b, b after 2012.
			name: "window end", p: func(p Profile) Profile { p.To = 2017; return p }, firms: firms, owners: owners,
			want:      map[string]float64{"funding": 0.4, "equity": 0.6, "patents": 0.5, "closedness": 0.5, "concentration": 0.3},
			entryRate: 0.5,
		},
		{
			name: "no flows, no ownership, no shares",
			p: func(p Profile) Profile {
				p.Resources, p.Concentration = nil, HHI{Basis: "patents"}
				return p
			},
			firms: firms, owners: nil,
			want:      map[string]float64{"closedness": 0.25},
			entryRate: 0.75,
		},
		{
			name: "nothing", p: func(Profile) Profile { return Profile{} },
			want: map[string]float64{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			if tt.p != nil {
				p = tt.p(p)
			}
			var equity []float64
			for _, f := range tt.firms {
				if o, ok := tt.owners[f.ID]; ok {
					equity = append(equity, o.StateShare)
				}
			}
			a := architecture(&p, tt.firms, equity)
			var mean float64
			for _, v := range tt.want {
				mean += v
			}
			if len(tt.want) > 0 {
				mean /= float64(len(tt.want))
			}
			checkArchitecture(t, a, tt.want, tt.entryRate)
			if !near(a.Index, math.Round(mean*1e6)/1e6) {
				t.Errorf("index = %v, want %v", a.Index, mean)
			}
		})
	}
}

func sq(x float64) float64 { return x * x }

func firmIDs(fs []Firm) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

func checkPatents(t *testing.T, p *Profile, total Count, byYear []PatentYear) {
	t.Helper()
	if !near(p.Patents.Count, total.Count) || !near(p.Patents.Lower, total.Lower) || !near(p.Patents.Upper, total.Upper) {
		t.Errorf("patents = %+v, want %+v", p.Patents, total)
	}
	if len(p.ByYear) != len(byYear) {
		t.Fatalf("patents by year = %+v, want %+v", p.ByYear, byYear)
	}
	for i, w := range byYear {
		g := p.ByYear[i]
		if g.Year != w.Year || !near(g.Count.Count, w.Count.Count) || !near(g.Lower, w.Lower) || !near(g.Upper, w.Upper) {
			t.Errorf("patents of %d = %+v, want %+v", w.Year, g, w)
		}
	}
}

func checkResources(t *testing.T, p *Profile, skipped int, want []Flow) {
	t.Helper()
	if p.Skipped != skipped {
		t.Errorf("skipped flows = %d, want %d", p.Skipped, skipped)
	}
	if len(p.Resources) != len(want) {
		t.Fatalf("resources =\n%+v\nwant\n%+v", p.Resources, want)
	}
	for i, w := range want {
		g := p.Resources[i]
		if g.Channel != w.Channel || g.Year != w.Year || !near(g.Amount, w.Amount) || !near(g.State, w.State) || g.Flows != w.Flows {
			t.Errorf("resources[%d] = %+v, want %+v", i, g, w)
		}
	}
}

func checkPlaces(t *testing.T, p *Profile, want []Place) {
	t.Helper()
	if len(p.Geography) != len(want) {
		t.Fatalf("geography = %+v, want %+v", p.Geography, want)
	}
	for i, w := range want {
		if g := p.Geography[i]; g.Province != w.Province || g.Firms != w.Firms || !near(g.Patents, w.Patents) {
			t.Errorf("geography[%d] = %+v, want %+v", i, g, w)
		}
	}
}

func checkOwnership(t *testing.T, p *Profile, want []ClassShare) {
	t.Helper()
	if len(p.Ownership) != len(want) {
		t.Fatalf("ownership = %+v, want %+v", p.Ownership, want)
	}
	for i, w := range want {
		if g := p.Ownership[i]; g.Class != w.Class || g.Firms != w.Firms || !near(g.Patents, w.Patents) || !near(g.Revenue, w.Revenue) {
			t.Errorf("ownership[%d] = %+v, want %+v", i, g, w)
		}
	}
}

func checkHHI(t *testing.T, p *Profile, want HHI) {
	t.Helper()
	if g := p.Concentration; g.Basis != want.Basis || g.Firms != want.Firms || !near(g.Value, want.Value) {
		t.Errorf("concentration = %+v, want %+v", g, want)
	}
}

func checkTop(t *testing.T, p *Profile, want []Firm) {
	t.Helper()
	if len(p.TopFirms) != len(want) {
		t.Fatalf("top firms = %+v, want %+v", p.TopFirms, want)
	}
	for i, w := range want {
		g := p.TopFirms[i]
		if g.ID != w.ID || g.Name != w.Name || g.Province != w.Province || g.Founded != w.Founded || g.Class != w.Class ||
			!near(g.Patents, w.Patents) || !near(g.Revenue, w.Revenue) || g.Tagged != w.Tagged {
			t.Errorf("top firm %d = %+v, want %+v", i, g, w)
		}
	}
}

func checkPolicies(t *testing.T, p *Profile) {
	t.Helper()
	want := []Policy{
		{ID: "pol3", Schema: "Policy", Title: "中国制造2025", Date: "2015-05-08", Tags: []string{"ai.vision"}, Weight: 1},
		{ID: "pol1", Schema: "Policy", Title: "新一代人工智能发展规划", Date: "2017-07-08", Level: "national", Tags: []string{"ai"},
			Weight: 0.8, Instruments: []string{"subsidy", "tax"}},
	}
	if !reflect.DeepEqual(p.Policies, want) {
		t.Errorf("policies =\n%+v\nwant\n%+v", p.Policies, want)
	}
}

func checkArchitecture(t *testing.T, a Architecture, want map[string]float64, entryRate float64) {
	t.Helper()
	if len(a.Components) != len(want) {
		t.Errorf("components = %v, want %v", a.Components, want)
	}
	var mean float64
	for k, w := range want {
		mean += w
		if g, ok := a.Components[k]; !ok || !near(g, w) {
			t.Errorf("component %s = %v (present %v), want %v", k, g, ok, w)
		}
	}
	if len(want) > 0 {
		mean /= float64(len(want))
	}
	if math.Abs(a.Index-mean) > 1e-6 || !near(a.EntryRate, entryRate) {
		t.Errorf("index %v, entry rate %v; want %v, %v", a.Index, a.EntryRate, mean, entryRate)
	}
}

// A patent tagged by two datasets counts for the mean of its shares in the sector
// by each: P6 is wholly AI in "patent-tags" and half AI in another tagging, so it
// counts 0.75 and is no longer wholly in the sector; P1, wholly in by both,
// counts 1.
func TestPatentTaggedByTwoDatasets(t *testing.T) {
	ctx := context.Background()
	st := worldStore(t)
	load(t, st, "patent-tags-b", func(w cipmap.Writer) error {
		for _, tg := range []cipmap.PatentTag{
			{PatentID: "P6", Year: 2018, System: "ctt", Tag: "ai", Weight: 1, Mass: 2, Method: "text"},
			{PatentID: "P6", Year: 2018, System: "ctt", Tag: "bio", Weight: 1, Mass: 2, Method: "text"},
			{PatentID: "P1", Year: 2020, System: "ctt", Tag: "ai.ml", Weight: 0.6, Mass: 1, Method: "text"},
			{PatentID: "P1", Year: 2020, System: "ctt", Tag: "ai", Weight: 0.4, Mass: 1, Method: "text"},
		} {
			if err := w.PatentTag(&tg); err != nil {
				return err
			}
		}
		return nil
	})
	p, err := Build(ctx, st, tree, "ai", Options{Top: 3})
	if err != nil {
		t.Fatal(err)
	}
	checkPatents(t, p, Count{Count: 3.70, Lower: 2, Upper: 6}, []PatentYear{
		{2018, Count{0.75, 0, 1}}, {2020, Count{1, 1, 1}}, {2021, Count{1.5, 1, 2}}, {2022, Count{0.45, 0, 2}},
	})
}
