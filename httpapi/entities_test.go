package httpapi

import (
	"crypto/sha1"
	"encoding/hex"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// tid is the id the fixture mappings give the record key (prefix "t").
func tid(key string) string { return mappingID("t", key) }

// mappingID is the id a mapping gives one id column's value under prefix.
func mappingID(prefix, key string) string {
	h := sha1.Sum([]byte(key + "\x1f"))
	return prefix + "-" + hex.EncodeToString(h[:])[:16]
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// A person has the position and the holding of the fixture, each with its dataset
// and source line.
func TestHTTPPerson(t *testing.T) {
	ts := newEntityServer(t)
	var p Person
	getJSON(t, ts, "/api/v1/persons/"+tid("p1"), 200, &p)
	if p.Caption != xssScript || p.NameEn() != "Zhang San" {
		t.Errorf("person: %q / %q", p.Caption, p.NameEn())
	}
	if len(p.Roles) != 1 || p.Roles[0].Organization.Name != "华为技术有限公司" || p.Roles[0].Role != "董事长" ||
		p.Roles[0].Start != "2019-01-01" || p.Roles[0].Dataset != "policyworld" || p.Roles[0].Source != "directorships.csv:2" {
		t.Errorf("roles: %+v", p.Roles)
	}
	getJSON(t, ts, "/api/v1/persons/"+tid("p2"), 200, &p)
	if len(p.Holdings) != 1 || p.Holdings[0].Asset.ID != tid("f2") || p.Holdings[0].Share == nil || !near(*p.Holdings[0].Share, 0.1) {
		t.Errorf("holdings: %+v", p.Holdings)
	}
	// A firm is not a person.
	var e errorBody
	getJSON(t, ts, "/api/v1/persons/"+tid("f1"), 404, &e)
	if e.Error.Code != "not_found" || !strings.Contains(e.Error.Message, "/api/v1/firms/") {
		t.Errorf("a firm as a person: %+v", e)
	}
}

// A fund's government capital is looked through the fund above it and stops at
// firms: 20% from g2 directly, 50% × 40% from g1 through fd2, none from the firm f2.
func TestHTTPFundLookThrough(t *testing.T) {
	ts := newEntityServer(t)
	var f Fund
	getJSON(t, ts, "/api/v1/funds/"+tid("fd1"), 200, &f)
	if !near(f.GovShare, 0.4) {
		t.Errorf("government share %v, want 0.4", f.GovShare)
	}
	got := map[string]float64{}
	for _, g := range f.GovCapital {
		got[g.Body.ID] = g.Share
	}
	if len(got) != 2 || !near(got[tid("g1")], 0.2) || !near(got[tid("g2")], 0.2) {
		t.Errorf("government capital: %+v", f.GovCapital)
	}
	if len(f.Partners) != 3 || f.Partners[0].Owner.ID != tid("fd2") || *f.Partners[0].Capital != 5e8 {
		t.Errorf("partners: %+v", f.Partners)
	}
	if f.Portfolio.Total != 1 {
		t.Fatalf("portfolio: %+v", f.Portfolio)
	}
	it := f.Portfolio.Items[0]
	if it.Firm.ID != tid("f1") || it.Kind != "investment" || *it.Amount != 1e6 || it.GovAmount == nil || !near(*it.GovAmount, 4e5) ||
		it.Dataset != "policyworld" || it.Source != "investments.csv:2" {
		t.Errorf("portfolio item: %+v", it)
	}
	// fd2 holds fd1: a holding, with the government's effective part 50% × 40%.
	getJSON(t, ts, "/api/v1/funds/"+tid("fd2"), 200, &f)
	if !near(f.GovShare, 0.4) || f.Portfolio.Total != 1 || f.Portfolio.Items[0].Kind != "holding" || !near(*f.Portfolio.Items[0].GovEffective, 0.2) {
		t.Errorf("fd2: share %v, portfolio %+v", f.GovShare, f.Portfolio)
	}
}

// A government body lists what it gave by channel, the funds it holds (directly and
// looked through) and the policies it issued; the flows page and filter.
func TestHTTPGovBody(t *testing.T) {
	ts := newEntityServer(t)
	var g GovBody
	getJSON(t, ts, "/api/v1/govbodies/"+tid("g1"), 200, &g)
	if g.NameEn() != "Ministry of Finance" {
		t.Errorf("names: %+v", g.Names)
	}
	if len(g.FlowTotals) != 1 || g.FlowTotals[0].Channel != "grant" || g.FlowTotals[0].Flows != 1 || g.FlowTotals[0].Amounts["CNY"] != 5e5 {
		t.Errorf("totals: %+v", g.FlowTotals)
	}
	if g.Flows.Total != 1 || g.Flows.Items[0].To.ID != tid("f1") || g.Flows.Items[0].Program.ID != tid("pg1") ||
		g.Flows.Items[0].Label != "芯片攻关" || g.Flows.Items[0].Source != "grants.csv:2" {
		t.Errorf("flows: %+v", g.Flows)
	}
	if len(g.Funds) != 1 || g.Funds[0].Asset.ID != tid("fd2") || g.Funds[0].Percentage != "40" {
		t.Errorf("funds: %+v", g.Funds)
	}
	lt := map[string]float64{}
	for _, f := range g.FundsLookThrough {
		lt[f.Body.ID] = f.Share
	}
	if len(lt) != 2 || !near(lt[tid("fd2")], 0.4) || !near(lt[tid("fd1")], 0.2) {
		t.Errorf("funds looked through: %+v", g.FundsLookThrough)
	}
	if len(g.Policies) != 1 || g.Policies[0].Policy.Number != "国发[2015]28号" || g.Policies[0].Role != "牵头" {
		t.Errorf("policies: %+v", g.Policies)
	}
	getJSON(t, ts, "/api/v1/govbodies/"+tid("g1")+"?channel=loan", 200, &g)
	if g.Flows.Total != 0 || len(g.FlowTotals) != 1 {
		t.Errorf("channel=loan: %+v", g.Flows)
	}
	var e errorBody
	getJSON(t, ts, "/api/v1/govbodies/"+tid("g1")+"?channel=bribe", 400, &e)
	getJSON(t, ts, "/api/v1/govbodies/"+tid("g1")+"?sort=colour", 400, &e)
	if e.Error.Code != "invalid" {
		t.Errorf("bad sort: %+v", e)
	}
}

// A policy has its document number, issuers in rank order, targets with evidence,
// and the program it founded.
func TestHTTPPolicy(t *testing.T) {
	ts := newEntityServer(t)
	var p Policy
	getJSON(t, ts, "/api/v1/policies/"+tid("po1"), 200, &p)
	if p.DocumentNumber != "国发[2015]28号" || p.Level != "central" || p.Date != "2015-05-08" {
		t.Errorf("policy: %+v", p)
	}
	if len(p.Issuers) != 2 || p.Issuers[0].Issuer.ID != tid("g1") || p.Issuers[1].Issuer.ID != tid("g2") || p.Issuers[1].Role != "联合" {
		t.Errorf("issuers: %+v", p.Issuers)
	}
	if len(p.Targets) != 1 || p.Targets[0].Tag != "semiconductors" || p.Targets[0].Evidence != "“集成电路”" || *p.Targets[0].Weight != 0.5 ||
		p.Targets[0].Source != "targetings.csv:2" {
		t.Errorf("targets: %+v", p.Targets)
	}
	if len(p.Programs) != 1 || p.Programs[0].ID != tid("pg1") || p.Programs[0].NameEn != "Plan" {
		t.Errorf("programs: %+v", p.Programs)
	}
}

// A program counts designations by year and pages them; year filters them.
func TestHTTPProgram(t *testing.T) {
	ts := newEntityServer(t)
	var p Program
	getJSON(t, ts, "/api/v1/programs/"+tid("pg1")+"?limit=2", 200, &p)
	if p.Policy == nil || p.Policy.ID != tid("po1") || p.Grants != 1 || p.GrantAmounts["CNY"] != 5e5 {
		t.Errorf("program: policy %+v, grants %d %v", p.Policy, p.Grants, p.GrantAmounts)
	}
	if len(p.Years) != 2 || p.Years[0] != (YearCount{"2021", 2}) || p.Years[1] != (YearCount{"2022", 1}) {
		t.Errorf("years: %+v", p.Years)
	}
	if p.Designations.Total != 3 || len(p.Designations.Items) != 2 || !p.Designations.More {
		t.Errorf("page 1: %+v", p.Designations)
	}
	var p2 Program
	getJSON(t, ts, "/api/v1/programs/"+tid("pg1")+"?limit=2&offset=2", 200, &p2)
	if len(p2.Designations.Items) != 1 || p2.Designations.More || p2.Designations.Items[0].Year != "2022" {
		t.Errorf("page 2: %+v", p2.Designations)
	}
	getJSON(t, ts, "/api/v1/programs/"+tid("pg1")+"?year=2022", 200, &p)
	if p.Designations.Total != 1 || p.Designations.Items[0].Firm.ID != tid("f2") || p.Designations.Items[0].ListName != "第二批" {
		t.Errorf("year=2022: %+v", p.Designations)
	}
}

// The firm resource adds staff, flows received by channel, and designations.
func TestHTTPFirmFacts(t *testing.T) {
	ts := newEntityServer(t)
	var f Firm
	getJSON(t, ts, "/api/v1/firms/"+tid("f1"), 200, &f)
	if f.FirmFacts == nil {
		t.Fatal("no firm facts")
	}
	if len(f.Staff) != 1 || f.Staff[0].Person.ID != tid("p1") || f.Staff[0].Role != "董事长" {
		t.Errorf("staff: %+v", f.Staff)
	}
	ch := map[string]int{}
	for _, c := range f.FlowTotals {
		ch[c.Channel] = c.Flows
	}
	if len(ch) != 2 || ch["investment"] != 1 || ch["grant"] != 1 || f.Flows.Total != 2 {
		t.Errorf("flows: %+v %+v", f.FlowTotals, f.Flows)
	}
	// Sorted by amount: the investment first; by date: the grant (2022) first.
	getJSON(t, ts, "/api/v1/firms/"+tid("f1")+"?sort=amount", 200, &f)
	if f.Flows.Items[0].Channel != "investment" || f.Flows.Items[0].From.ID != tid("fd1") {
		t.Errorf("sort=amount: %+v", f.Flows.Items)
	}
	getJSON(t, ts, "/api/v1/firms/"+tid("f1")+"?sort=date", 200, &f)
	if f.Flows.Items[0].Channel != "grant" || f.Flows.Items[0].Dataset != "policyworld" {
		t.Errorf("sort=date: %+v", f.Flows.Items)
	}
	if len(f.Designations) != 1 || f.Designations[0].Program.ID != tid("pg1") || f.Designations[0].Year != "2021" {
		t.Errorf("designations: %+v", f.Designations)
	}
	if f.Patents != nil {
		t.Errorf("patents without patent facts: %+v", f.Patents)
	}
}

// Search filters by schema and dataset, sorts by name, and links each hit to the
// page of its schema.
func TestHTTPSearchFilters(t *testing.T) {
	ts := newEntityServer(t)
	var p SearchPage
	getJSON(t, ts, "/api/v1/search?q="+url.QueryEscape("alert(1)")+"&schema=Fund,Policy&limit=50", 200, &p)
	if len(p.Results) != 4 {
		t.Errorf("schema=Fund,Policy: %+v", p.Results)
	}
	for _, h := range p.Results {
		if h.Schema != "Fund" && h.Schema != "Policy" {
			t.Errorf("schema filter let through %+v", h)
		}
	}
	getJSON(t, ts, "/api/v1/search?q="+url.QueryEscape("alert(1)")+"&dataset=nosuch", 200, &p)
	if len(p.Results) != 0 {
		t.Errorf("dataset=nosuch: %+v", p.Results)
	}
	getJSON(t, ts, "/api/v1/search?q="+url.QueryEscape("alert(1)")+"&dataset=policyworld&sort=name&limit=200", 200, &p)
	if len(p.Results) != 10 {
		t.Errorf("dataset=policyworld: %d results, want the 10 entities named with alert(1)", len(p.Results))
	}
	for i := 1; i < len(p.Results); i++ {
		if p.Results[i-1].Caption > p.Results[i].Caption {
			t.Errorf("sort=name: %q before %q", p.Results[i-1].Caption, p.Results[i].Caption)
		}
	}
	var e errorBody
	getJSON(t, ts, "/api/v1/search?q=x&sort=random", 400, &e)
	_, _, body := get(t, ts, "/search?q="+url.QueryEscape("alert(1)"))
	for _, want := range []string{"/persons/" + tid("p1"), "/funds/" + tid("fd1"), "/govbodies/" + tid("g2"), "/policies/" + tid("po2"), "/programs/" + tid("pg1")} {
		if !strings.Contains(body, `href="`+want+`"`) {
			t.Errorf("search page has no link to %s", want)
		}
	}
}

// The graph of the firm f1: its funders to the left on its row, its chair above, the fund's owners above the fund; edges carry
// shares and amounts.
func TestHTTPGraph(t *testing.T) {
	ts := newEntityServer(t)
	var g Graph
	getJSON(t, ts, "/api/v1/graph/"+tid("f1")+"?depth=2", 200, &g)
	layer := map[string]int{}
	for _, n := range g.Nodes {
		layer[n.ID] = n.Layer
	}
	// pg1 pays f1 a grant (and designates it): a funder too.
	want := map[string]int{tid("f1"): 0, tid("fd1"): 0, tid("g1"): 0, tid("pg1"): 0, tid("p1"): -1,
		tid("fd2"): -1, tid("g2"): -1, tid("f2"): -1, tid("po1"): -1}
	for id, l := range want {
		if got, ok := layer[id]; !ok || got != l {
			t.Errorf("node %s: layer %d (present %v), want %d", id, got, ok, l)
		}
	}
	x := map[string]float64{}
	for _, n := range g.Nodes {
		x[n.ID] = n.X
	}
	if !(x[tid("fd1")] < x[tid("f1")] && x[tid("g1")] < x[tid("f1")] && x[tid("pg1")] < x[tid("f1")]) {
		t.Errorf("funders not left of the firm: %v", x)
	}
	labels := map[string]string{}
	for _, e := range g.Edges {
		labels[e.From+">"+e.To] = e.Label
		if len(e.Relations) == 0 || e.Relations[0].Dataset != "policyworld" || e.Relations[0].Source == "" {
			t.Errorf("edge without provenance: %+v", e)
		}
	}
	if l := labels[tid("fd1")+">"+tid("f1")]; l != "1.0M CNY" {
		t.Errorf("investment label %q", l)
	}
	if l := labels[tid("fd2")+">"+tid("fd1")]; l != "50%" {
		t.Errorf("holding label %q", l)
	}
	if g.Capped || len(g.Nodes) > MaxGraphNodes {
		t.Errorf("capped %v with %d nodes", g.Capped, len(g.Nodes))
	}
	var e errorBody
	getJSON(t, ts, "/api/v1/graph/"+tid("f1")+"?depth=9", 400, &e)
	getJSON(t, ts, "/api/v1/graph/nosuch", 404, &e)
	_, _, page := get(t, ts, "/graph/"+tid("f1")+"?lang=zh")
	for _, want := range []string{`<svg id="graph"`, `href="/funds/` + tid("fd1") + `"`, `href="/programs/` + tid("pg1") + `"`, "关系图", ">50%<"} {
		if !strings.Contains(page, want) {
			t.Errorf("graph page lacks %s", want)
		}
	}
	if strings.Contains(page, `id="capped"`) {
		t.Error("graph page says it is capped")
	}
}

// XSS: the names of a person, fund, government body, policy and program are shown
// as text on their pages, in the graph's SVG, and never as markup.
func TestHTTPEntityPagesEscape(t *testing.T) {
	ts := newEntityServer(t)
	for _, path := range []string{
		"/persons/" + tid("p1"), "/persons/" + tid("p2"),
		"/funds/" + tid("fd1"), "/funds/" + tid("fd2"),
		"/govbodies/" + tid("g1"), "/govbodies/" + tid("g2"),
		"/policies/" + tid("po1"), "/policies/" + tid("po2"),
		"/programs/" + tid("pg1"), "/programs/" + tid("pg2"),
		"/graph/" + tid("fd1"), "/graph/" + tid("f1") + "?depth=3", "/firms/" + tid("f1"),
	} {
		for _, l := range []string{"en", "zh"} {
			u := path
			if strings.Contains(u, "?") {
				u += "&lang=" + l
			} else {
				u += "?lang=" + l
			}
			code, h, body := get(t, ts, u)
			if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				t.Errorf("%s: %d %s", u, code, h.Get("Content-Type"))
				continue
			}
			if strings.Contains(body, "<script") || strings.Contains(body, "<img") || strings.Contains(body, "onerror=alert(1)>") {
				t.Errorf("%s: markup from the data in the page", u)
			}
			if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(body, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("%s: the name is not shown as text", u)
			}
		}
	}
	// In the graph's SVG, as the box's title and label.
	_, _, body := get(t, ts, "/graph/"+tid("fd1"))
	svg := body[strings.Index(body, "<svg"):strings.Index(body, "</svg>")]
	for _, want := range []string{"<title>&lt;script&gt;alert(1)&lt;/script&gt;产业投资基金 (Fund)</title>", "<title>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;母基金 (Fund)</title>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}
}

// The pages show the facts in both languages, link each to its provenance, and
// redirect an entity of another schema to its own page.
func TestHTTPEntityPages(t *testing.T) {
	ts := newEntityServer(t)
	_, _, body := get(t, ts, "/funds/"+tid("fd1")+"?lang=zh")
	for _, want := range []string{"政府出资（穿透）", "40%", `href="/entities/` + mappingID("h", "fp2") + `"`, "partners.csv:3", `href="/govbodies/` + tid("g2") + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("fund page (zh) lacks %q", want)
		}
	}
	_, _, body = get(t, ts, "/funds/"+tid("fd1")+"?lang=en")
	if !strings.Contains(body, "Government capital (looked through)") {
		t.Error("fund page (en) not in English")
	}
	_, _, body = get(t, ts, "/persons/"+tid("p1")+"?lang=en")
	for _, want := range []string{"Zhang San", "董事长", `href="/firms/` + tid("f1") + `"`, "Huawei Technologies Co. Ltd.", "directorships.csv:2"} {
		if !strings.Contains(body, want) {
			t.Errorf("person page lacks %q", want)
		}
	}
	_, _, body = get(t, ts, "/firms/"+tid("f1")+"?lang=en")
	for _, want := range []string{`id="staff"`, `id="flows"`, `id="designations"`, "investments.csv:2", `href="/graph/` + tid("f1") + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("firm page lacks %q", want)
		}
	}
	_, _, body = get(t, ts, "/programs/"+tid("pg1")+"?lang=en&limit=2")
	if !strings.Contains(body, "offset=2") || !strings.Contains(body, "2021 (2)") {
		t.Error("program page: no next page or no years")
	}
	req, _ := http.NewRequest("GET", ts.URL+"/funds/"+tid("f1"), nil)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/firms/"+tid("f1") {
		t.Errorf("a firm as a fund: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}
