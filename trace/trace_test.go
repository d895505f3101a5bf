package trace

import (
	"context"
	"math"
	"strings"
	"testing"
)

func f64(v float64) *float64 { return &v }

// world is a hand-made graph of funds of funds.
type world struct{ *Graph }

func newWorld() world { return world{NewGraph()} }

func (w world) node(id, schema string) world {
	w.AddNode(Node{ID: id, Schema: schema, Name: "name of " + id})
	return w
}

func (w world) hold(owner, asset string, pct float64) world {
	w.AddEdge(Edge{ID: "own-" + owner + "-" + asset, Schema: "Ownership", Role: "owner", Channel: "ownership", From: owner, To: asset,
		Share: f64(pct / 100), Dataset: "d", Source: "partners.csv:" + owner})
	return w
}

func (w world) invest(id, fund, firm string, amount float64, currency, date string) world {
	w.AddEdge(Edge{ID: id, Schema: "Investment", Role: "investor", Channel: "investment", From: fund, To: firm,
		Amount: f64(amount), Currency: currency, Date: date, Year: yearOf(date), Dataset: "d", Source: "investments.csv:" + id})
	return w
}

func (w world) grant(id, gov, firm string, amount float64, date string) world {
	w.AddEdge(Edge{ID: id, Schema: "Grant", Role: "grantor", Channel: "grant", From: gov, To: firm,
		Amount: f64(amount), Currency: "CNY", Date: date, Year: yearOf(date), Dataset: "d", Source: "grants.csv:" + id})
	return w
}

// rates converts dollars at 7 yuan, and doubles prices every year after 2020.
type rates struct{}

func (rates) ToCNY(a float64, c string, y int) (float64, error) {
	if c == "USD" {
		return a * 7, nil
	}
	return a, nil
}

func (rates) Constant(cny float64, y, base int) (float64, error) {
	return cny * math.Pow(2, float64(base-y)), nil
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6*(1+math.Abs(b)) }

// TestThreeLevels: a government body holds 50% of a national fund, which holds 40%
// of a provincial fund, which holds 10% of a municipal fund, which invests 1,000,000
// yuan in a firm: the body's share of the investment is 2%, 20,000 yuan.
func TestThreeLevels(t *testing.T) {
	w := newWorld().node("gov", "GovBody").node("nat", "Fund").node("prov", "Fund").node("city", "Fund").node("firm", "Firm").
		hold("gov", "nat", 50).hold("nat", "prov", 40).hold("prov", "city", 10).
		invest("iv1", "city", "firm", 1e6, "CNY", "2021-05-01")
	res, err := Trace(context.Background(), w, "gov", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Reaches) != 1 {
		t.Fatalf("reaches: %+v", res.Reaches)
	}
	r := res.Reaches[0]
	if r.Firm.ID != "firm" || !near(r.Share, 0.02) || r.Attributed == nil || !near(*r.Attributed, 20000) {
		t.Errorf("reach: firm %s share %v attributed %v; want firm, 0.02, 20000", r.Firm.ID, r.Share, r.Attributed)
	}
	var chain []string
	for _, e := range r.Chain {
		chain = append(chain, e.From+">"+e.To+"@"+e.Source)
	}
	want := "gov>nat@partners.csv:gov nat>prov@partners.csv:nat prov>city@partners.csv:prov city>firm@investments.csv:iv1"
	if got := strings.Join(chain, " "); got != want {
		t.Errorf("chain with provenance:\n got %s\nwant %s", got, want)
	}
	wantFunds := map[string]float64{"nat": 0.5, "prov": 0.2, "city": 0.02}
	for _, f := range res.Funds {
		if !near(f.Share, wantFunds[f.Fund.ID]) {
			t.Errorf("look-through share of %s = %v, want %v", f.Fund.ID, f.Share, wantFunds[f.Fund.ID])
		}
		delete(wantFunds, f.Fund.ID)
	}
	if len(wantFunds) != 0 {
		t.Errorf("funds not reached: %v", wantFunds)
	}
	// Three levels down from the national fund, at depth 3 exactly.
	res, err = Trace(context.Background(), w, "nat", Options{Depth: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Firms) != 1 || !near(res.Firms[0].Attributed, 40000) {
		t.Errorf("from the national fund: %+v, want 40,000 yuan to firm", res.Firms)
	}
	// Depth 3 from the body stops at the municipal fund.
	res, _ = Trace(context.Background(), w, "gov", Options{Depth: 3})
	if len(res.Reaches) != 0 {
		t.Errorf("depth 3 from the body reached %+v", res.Reaches)
	}
}

// TestTwoChainsSum: a body holds a fund directly (10%) and through another fund
// (60% × 50%); its share is 10% + 30% = 40%, and a USD investment converts.
func TestTwoChainsSum(t *testing.T) {
	w := newWorld().node("gov", "GovBody").node("fof", "Fund").node("sub", "Fund").node("a", "Firm").node("b", "Firm").
		hold("gov", "fof", 60).hold("fof", "sub", 50).hold("gov", "sub", 10).
		invest("iv1", "sub", "a", 1000, "USD", "2020-01-01").
		invest("iv2", "fof", "b", 500, "CNY", "2020-01-01").
		grant("gr1", "gov", "a", 300, "2020-02-01")
	res, err := Trace(context.Background(), w, "gov", Options{Rates: rates{}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range res.Firms {
		got[f.Firm.ID] = f.Attributed
	}
	// a: 7000 yuan × 0.4 + the grant's 300; b: 500 × 0.6.
	if !near(got["a"], 7000*0.4+300) || !near(got["b"], 300) || len(got) != 2 {
		t.Errorf("firm totals %v; want a 3100, b 300", got)
	}
	for _, f := range res.Funds {
		if f.Fund.ID == "sub" && (!near(f.Share, 0.4) || f.Chains != 2) {
			t.Errorf("share of sub = %v over %d chains; want 0.4 over 2", f.Share, f.Chains)
		}
	}
	// Constant prices of 2021: everything of 2020 doubles.
	res, _ = Trace(context.Background(), w, "gov", Options{Rates: rates{}, Base: 2021})
	if len(res.Firms) != 2 || !near(res.Firms[0].Attributed, 2*3100) {
		t.Errorf("constant prices: %+v", res.Firms)
	}
	// Only grants.
	res, _ = Trace(context.Background(), w, "gov", Options{Channels: []string{"grant"}})
	if len(res.Reaches) != 1 || res.Reaches[0].Channel != "grant" {
		t.Errorf("--channel grant: %+v", res.Reaches)
	}
	// Before the investments: only what was dated by then.
	res, _ = Trace(context.Background(), w, "gov", Options{At: "2020-01-15", Rates: rates{}})
	if len(res.Reaches) != 3 {
		t.Errorf("at 2020-01-15: %d reaches, want the 3 investment chains", len(res.Reaches))
	}
}

// TestSubsidiaries: a funded firm holds 80% of S1, which holds 50% of S2, and 10% of
// S2 directly: S2 is 50% owned through both chains; a cycle back to the firm stops.
func TestSubsidiaries(t *testing.T) {
	w := newWorld().node("fund", "Fund").node("f", "Firm").node("s1", "Firm").node("s2", "Firm").
		invest("iv", "fund", "f", 100, "CNY", "2020-01-01").
		hold("f", "s1", 80).hold("s1", "s2", 50).hold("f", "s2", 10).hold("s2", "f", 5)
	res, err := Trace(context.Background(), w, "fund", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, s := range res.Subsidiaries {
		got[s.Firm.ID] = s.Share
	}
	if len(got) != 2 || !near(got["s1"], 0.8) || !near(got["s2"], 0.5) {
		t.Errorf("subsidiaries %v; want s1 0.8, s2 0.5", got)
	}
	res, _ = Trace(context.Background(), w, "fund", Options{To: func(id string) bool { return id == "s2" }})
	if len(res.Reaches) != 0 || len(res.Subsidiaries) != 1 || res.Subsidiaries[0].Parent.ID != "f" {
		t.Errorf("--to s2: %+v %+v", res.Reaches, res.Subsidiaries)
	}
}

// TestPolicyProgram: a policy's program designates a firm and pays a grant.
func TestPolicyProgram(t *testing.T) {
	w := newWorld().node("pol", "Policy").node("prog", "Program").node("f", "Firm").node("g", "Firm")
	w.AddEdge(Edge{ID: "prog", Schema: "Program", Role: "policy", Channel: "program", From: "pol", To: "prog"})
	w.AddEdge(Edge{ID: "des", Schema: "Designation", Role: "program", Channel: "designation", From: "prog", To: "f"})
	w.AddEdge(Edge{ID: "gr", Schema: "Grant", Role: "program", Channel: "grant", From: "prog", To: "g", Amount: f64(50)})
	res, err := Trace(context.Background(), w, "pol", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Firms) != 2 || res.Firms[0].Firm.ID != "f" || res.Firms[1].Attributed != 50 {
		t.Errorf("from the policy: %+v", res.Firms)
	}
}

func TestPaths(t *testing.T) {
	w := newWorld().node("gov", "GovBody").node("nat", "Fund").node("prov", "Fund").node("firm", "Firm").node("x", "Firm").node("lone", "Firm").
		hold("gov", "nat", 50).hold("nat", "prov", 40).invest("iv1", "prov", "firm", 1, "CNY", "2020").
		hold("x", "firm", 30).grant("gr", "gov", "x", 1, "2020")
	roles := MoneyRoles()
	ps, err := Paths(context.Background(), w, "nat", "x", roles, PathOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// nat → gov → x (2 edges) is shorter than nat → prov → firm ← x (3).
	if len(ps) != 1 || len(ps[0].Edges) != 2 || ps[0].Nodes[1].ID != "gov" || ps[0].Edges[1].Source != "grants.csv:gr" {
		t.Fatalf("paths nat-x: %+v", ps)
	}
	ps, _ = Paths(context.Background(), w, "prov", "x", roles, PathOptions{})
	var ids []string
	for _, p := range ps {
		for _, n := range p.Nodes {
			ids = append(ids, n.ID)
		}
		ids = append(ids, "|")
	}
	if got := strings.Join(ids, " "); got != "prov firm x | prov nat gov x |" && got != "prov firm x |" {
		t.Errorf("paths prov-x: %s", got)
	}
	if len(ps) != 1 {
		t.Errorf("paths prov-x: %d chains, want the one of length 2", len(ps))
	}
	ps, _ = Paths(context.Background(), w, "gov", "lone", roles, PathOptions{})
	if len(ps) != 0 {
		t.Errorf("a path to an isolated firm: %+v", ps)
	}
}
