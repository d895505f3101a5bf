package httpapi

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	"github.com/cipmap/cipmap/trace"
)

// routesEntities registers the pages and API resources of persons, funds,
// government bodies, policies, programs and the graph view.
func (s *Server) routesEntities() {
	s.handle("GET /api/v1/persons/{id}", s.apiPerson)
	s.handle("GET /api/v1/funds/{id}", s.apiFund)
	s.handle("GET /api/v1/govbodies/{id}", s.apiGovBody)
	s.handle("GET /api/v1/policies/{id}", s.apiPolicy)
	s.handle("GET /api/v1/programs/{id}", s.apiProgram)
	s.handle("GET /api/v1/graph/{id}", s.apiGraph)
	s.handle("GET /persons/{id}", s.uiPerson)
	s.handle("GET /funds/{id}", s.uiFund)
	s.handle("GET /govbodies/{id}", s.uiGovBody)
	s.handle("GET /policies/{id}", s.uiPolicy)
	s.handle("GET /programs/{id}", s.uiProgram)
	s.handle("GET /graph/{id}", s.uiGraph)
}

// Entity is what every entity resource has: id, schema, caption, names in both
// scripts, and every property with the dataset and source record of each value.
type Entity struct {
	ID         string             `json:"id"`
	Schema     string             `json:"schema"`
	Caption    string             `json:"caption"`
	Names      map[string][]Value `json:"names"`
	Properties map[string][]Value `json:"properties"`
}

// entityNameProps are the properties that name an entity of any schema.
var entityNameProps = []string{"name", "name_en", "short_name", "alias", "previous_name", "title", "title_en", "short_title"}

func newEntity(e *cipmap.Entity, props map[string][]Value) Entity {
	out := Entity{ID: e.ID, Schema: e.Schema, Caption: e.Caption, Names: map[string][]Value{}, Properties: map[string][]Value{}}
	for p, vs := range props {
		if contains(entityNameProps, p) {
			out.Names[p] = vs
		} else {
			out.Properties[p] = vs
		}
	}
	return out
}

// first is the first value of a property, or "".
func (e *Entity) first(p string) string {
	for _, m := range []map[string][]Value{e.Names, e.Properties} {
		if v := m[p]; len(v) > 0 {
			return v[0].Value
		}
	}
	return ""
}

// NameEn is the English name, if any.
func (e *Entity) NameEn() string {
	if v := e.first("name_en"); v != "" {
		return v
	}
	return e.first("title_en")
}

// Role is a person's position at an organisation (a Directorship).
type Role struct {
	Person       *Ref   `json:"person,omitempty"`
	Organization *Ref   `json:"organization,omitempty"`
	Role         string `json:"role,omitempty"`
	Start        string `json:"start_date,omitempty"`
	End          string `json:"end_date,omitempty"`
	Prov
}

// Holding is a stake (an Ownership): owner holds a share of asset.
type Holding struct {
	Owner      *Ref     `json:"owner,omitempty"`
	Asset      *Ref     `json:"asset,omitempty"`
	Percentage string   `json:"percentage,omitempty"`
	Share      *float64 `json:"share,omitempty"`
	Capital    *float64 `json:"capital,omitempty"`
	Currency   string   `json:"currency,omitempty"`
	Role       string   `json:"role,omitempty"`
	Start      string   `json:"start_date,omitempty"`
	End        string   `json:"end_date,omitempty"`
	Prov
}

// Flow is one resource flow of a channel (cipmap.FlowChannels), from giver to
// receiver.
type Flow struct {
	ID       string   `json:"id"`
	Channel  string   `json:"channel"`
	From     *Ref     `json:"from,omitempty"`
	To       *Ref     `json:"to,omitempty"`
	Program  *Ref     `json:"program,omitempty"`
	Amount   *float64 `json:"amount,omitempty"`
	Currency string   `json:"currency,omitempty"`
	Date     string   `json:"date,omitempty"`
	Label    string   `json:"label,omitempty"`
	Prov
}

// ChannelTotal sums the flows of one channel.
type ChannelTotal struct {
	Channel string `json:"channel"`
	Flows   int    `json:"flows"`
	// Amounts sums the amounts by currency ("" for none stated).
	Amounts map[string]float64 `json:"amounts"`
}

// Designation is a program's designation of a firm.
type Designation struct {
	Program        *Ref   `json:"program,omitempty"`
	Firm           *Ref   `json:"firm,omitempty"`
	Year           string `json:"year,omitempty"`
	Date           string `json:"date,omitempty"`
	Batch          string `json:"batch,omitempty"`
	ListName       string `json:"list_name,omitempty"`
	Level          string `json:"level,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
	Status         string `json:"status,omitempty"`
	Prov
}

// ---- persons ----

// Person is a natural person with positions and holdings.
type Person struct {
	Entity
	Roles    []Role    `json:"roles"`
	Holdings []Holding `json:"holdings"`
}

func (s *Server) person(ctx context.Context, id string) (*Person, error) {
	e, props, err := s.subject(ctx, id, "Person")
	if err != nil {
		return nil, err
	}
	p := &Person{Entity: newEntity(e, props), Roles: []Role{}, Holdings: []Holding{}}
	rels, err := s.relations(ctx, id, link{"Directorship", "director"}, link{"Ownership", "owner"})
	if err != nil {
		return nil, err
	}
	refs, err := s.refs(ctx, relTargets(rels, "organization", "asset"))
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		switch r.Schema {
		case "Directorship":
			p.Roles = append(p.Roles, roleOf(r, nil, refOf(refs, r.get("organization"))))
		case "Ownership":
			p.Holdings = append(p.Holdings, holdingOf(r, nil, refOf(refs, r.get("asset"))))
		}
	}
	sortStable(p.Roles, func(a, b Role) bool { return a.Start > b.Start })
	return p, nil
}

func relTargets(rels []*rel, props ...string) []string {
	var ids []string
	for _, r := range rels {
		for _, p := range props {
			for _, v := range r.props[p] {
				ids = append(ids, v.Value)
			}
		}
	}
	return ids
}

func roleOf(r *rel, person, org *Ref) Role {
	return Role{Person: person, Organization: org, Role: r.get("role"), Start: r.get("start_date"), End: r.get("end_date"), Prov: r.Prov}
}

func holdingOf(r *rel, owner, asset *Ref) Holding {
	h := Holding{Owner: owner, Asset: asset, Percentage: r.get("percentage"), Capital: r.float("capital"),
		Currency: r.get("currency"), Role: r.get("role"), Start: r.get("start_date"), End: r.get("end_date"), Prov: r.Prov}
	if f, ok := parsePercent(h.Percentage); ok {
		h.Share = &f
	}
	return h
}

// parsePercent reads a percentage as stored (51, or a range 30..50 as its midpoint)
// as a fraction of 1.
func parsePercent(v string) (float64, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(v, "%"))
	if v == "" {
		return 0, false
	}
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		a, err1 := strconv.ParseFloat(lo, 64)
		b, err2 := strconv.ParseFloat(hi, 64)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return (a + b) / 200, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, false
	}
	return f / 100, true
}

// ---- flows ----

// flowLinks are the properties that name the giver (give) or receiver of flows.
func flowLinks(give bool) []link {
	var out []link
	for _, c := range cipmap.FlowChannels {
		if give {
			out = append(out, link{c.Schema, c.Giver})
		} else {
			out = append(out, link{c.Schema, c.Receiver})
		}
	}
	return out
}

// flows builds the flows among rels (other relations are skipped); refs must name
// their ends and programs.
func flowsOf(rels []*rel, refs map[string]*Ref) []Flow {
	var out []Flow
	for _, r := range rels {
		c := cipmap.FlowChannelOf(r.Schema)
		if c == nil {
			continue
		}
		f := Flow{ID: r.ID, Channel: c.Channel, From: refOf(refs, r.get(c.Giver)), To: refOf(refs, r.get(c.Receiver)),
			Program: refOf(refs, r.get("program")), Amount: r.float(c.Amount), Currency: r.get("currency"),
			Date: r.get(c.Date), Prov: r.Prov}
		if f.Date == "" {
			f.Date = r.get("year")
		}
		for _, p := range []string{"title", "project_name", "program_name", "round", "purpose", "loan_type", "description"} {
			if v := r.get(p); v != "" {
				f.Label = v
				break
			}
		}
		out = append(out, f)
	}
	return out
}

func flowEnds(rels []*rel) []string {
	var props []string
	for _, c := range cipmap.FlowChannels {
		props = append(props, c.Giver, c.Receiver)
	}
	return relTargets(rels, append(props, "program")...)
}

// totals sums flows by channel, in the order of cipmap.FlowChannels.
func totals(fs []Flow) []ChannelTotal {
	by := map[string]*ChannelTotal{}
	for _, f := range fs {
		t := by[f.Channel]
		if t == nil {
			t = &ChannelTotal{Channel: f.Channel, Amounts: map[string]float64{}}
			by[f.Channel] = t
		}
		t.Flows++
		if f.Amount != nil {
			t.Amounts[f.Currency] += *f.Amount
		}
	}
	out := []ChannelTotal{}
	for _, c := range cipmap.FlowChannels {
		if t := by[c.Channel]; t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// filterFlows keeps the flows of the list query's channel, year and dataset, and
// sorts them: by date (newest first), amount (largest first) or name (of the other
// end; counterparty names the end that is not the subject).
func filterFlows(fs []Flow, lq listQuery, counterparty func(Flow) *Ref) []Flow {
	out := []Flow{}
	for _, f := range fs {
		if (lq.Channel == "" || f.Channel == lq.Channel) && (lq.Year == "" || yearOf(f.Date) == lq.Year) &&
			(lq.Dataset == "" || f.Dataset == lq.Dataset) {
			out = append(out, f)
		}
	}
	amount := func(f Flow) float64 {
		if f.Amount == nil {
			return -1
		}
		return *f.Amount
	}
	switch lq.Sort {
	case "date":
		sortStable(out, func(a, b Flow) bool { return a.Date > b.Date })
	case "amount":
		sortStable(out, func(a, b Flow) bool { return amount(a) > amount(b) })
	case "name":
		sortStable(out, func(a, b Flow) bool { return counterparty(a).Label() < counterparty(b).Label() })
	}
	return out
}

var flowSorts = []string{"date", "amount", "name"}

// ---- funds ----

// Fund is a fund with its partners, its portfolio and the government's share of its
// capital, looked through.
type Fund struct {
	Entity
	// Partners are the fund's owners (limited and general partners, shareholders)
	// with their shares and commitments.
	Partners []Holding `json:"partners"`
	// GovShare is the share of the fund's capital that government bodies hold,
	// looked through the funds between them and it (see GovCapital).
	GovShare float64 `json:"gov_share"`
	// GovCapital is each government body's look-through share of the fund.
	GovCapital []GovStake `json:"gov_capital"`
	// Portfolio is what the fund invested in (flows) and holds, one page.
	Portfolio List[PortfolioItem] `json:"portfolio"`
}

// GovStake is a government body's look-through share of a fund: the sum over the
// chains of holdings from the body to the fund of the product of their shares, as
// trace attributes a fund's flows to the bodies behind it.
type GovStake struct {
	Body   *Ref    `json:"body"`
	Share  float64 `json:"share"`
	Chains int     `json:"chains"`
}

// PortfolioItem is one investment or holding of a fund, with the government's part
// of it: GovShare is the fund's government share; GovAmount the investment's amount
// times it; GovEffective the holding's share times it.
type PortfolioItem struct {
	Firm         *Ref     `json:"firm"`
	Kind         string   `json:"kind"` // "investment" or "holding"
	Amount       *float64 `json:"amount,omitempty"`
	Currency     string   `json:"currency,omitempty"`
	Date         string   `json:"date,omitempty"`
	Percentage   string   `json:"percentage,omitempty"`
	GovShare     float64  `json:"gov_share"`
	GovAmount    *float64 `json:"gov_amount,omitempty"`
	GovEffective *float64 `json:"gov_effective,omitempty"`
	Prov
}

func (s *Server) fund(ctx context.Context, id string, lq listQuery) (*Fund, error) {
	e, props, err := s.subject(ctx, id, "Fund")
	if err != nil {
		return nil, err
	}
	f := &Fund{Entity: newEntity(e, props), Partners: []Holding{}, GovCapital: []GovStake{}}
	rels, err := s.relations(ctx, id, link{"Ownership", "asset"}, link{"Ownership", "owner"}, link{"Investment", "investor"})
	if err != nil {
		return nil, err
	}
	refs, err := s.refs(ctx, relTargets(rels, "owner", "asset", "investee"))
	if err != nil {
		return nil, err
	}
	if f.GovCapital, err = s.govCapital(ctx, id); err != nil {
		return nil, err
	}
	for _, g := range f.GovCapital {
		f.GovShare += g.Share
	}
	var items []PortfolioItem
	for _, r := range rels {
		switch {
		case r.Schema == "Ownership" && r.Via == "asset":
			f.Partners = append(f.Partners, holdingOf(r, refOf(refs, r.get("owner")), nil))
		case r.Schema == "Ownership":
			h := holdingOf(r, nil, refOf(refs, r.get("asset")))
			it := PortfolioItem{Firm: h.Asset, Kind: "holding", Percentage: h.Percentage, Date: h.Start, GovShare: f.GovShare, Prov: r.Prov}
			if h.Share != nil {
				v := *h.Share * f.GovShare
				it.GovEffective = &v
			}
			items = append(items, it)
		case r.Schema == "Investment":
			it := PortfolioItem{Firm: refOf(refs, r.get("investee")), Kind: "investment", Amount: r.float("amount"),
				Currency: r.get("currency"), Date: r.get("date"), Percentage: r.get("percentage"), GovShare: f.GovShare, Prov: r.Prov}
			if it.Amount != nil {
				v := *it.Amount * f.GovShare
				it.GovAmount = &v
			}
			items = append(items, it)
		}
	}
	sortStable(f.Partners, func(a, b Holding) bool { return ptrVal(a.Share) > ptrVal(b.Share) })
	var keep []PortfolioItem
	for _, it := range items {
		if (lq.Year == "" || yearOf(it.Date) == lq.Year) && (lq.Dataset == "" || it.Dataset == lq.Dataset) {
			keep = append(keep, it)
		}
	}
	switch lq.Sort {
	case "date":
		sortStable(keep, func(a, b PortfolioItem) bool { return a.Date > b.Date })
	case "amount":
		sortStable(keep, func(a, b PortfolioItem) bool { return ptrVal(a.Amount) > ptrVal(b.Amount) })
	case "name":
		sortStable(keep, func(a, b PortfolioItem) bool { return a.Firm.Label() < b.Firm.Label() })
	}
	f.Portfolio = pageList(keep, lq)
	return f, nil
}

func ptrVal(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// Look-through limits: chains longer than maxLookDepth or more than maxLookChains
// are not followed.
const (
	maxLookDepth  = 6
	maxLookChains = 10000
)

// govCapital looks through the owners of fund id, up through the funds that hold
// it, to the government bodies at the top: each body's share is the sum over chains
// of the product of the shares along them, the share trace.Trace gives the body of
// the fund. Holdings through firms (state-owned or not) stop the walk, as in trace.
func (s *Server) govCapital(ctx context.Context, id string) ([]GovStake, error) {
	src := &trace.StoreSource{Store: s.cfg.Store}
	roles := []trace.Role{{Schema: "Ownership", From: "owner", To: "asset", Channel: "ownership"}}
	type walk struct {
		node  string
		share float64
		seen  map[string]bool
	}
	by := map[string]*GovStake{}
	frontier := []walk{{node: id, share: 1, seen: map[string]bool{id: true}}}
	chains := 0
	for depth := 0; depth < maxLookDepth && len(frontier) > 0; depth++ {
		var ids []string
		for _, w := range frontier {
			ids = append(ids, w.node)
		}
		edges, err := src.Edges(ctx, ids, trace.In, roles)
		if err != nil {
			return nil, err
		}
		var owners []string
		in := map[string][]trace.Edge{}
		for _, e := range edges {
			in[e.To] = append(in[e.To], e)
			owners = append(owners, e.From)
		}
		nodes, err := src.Nodes(ctx, owners)
		if err != nil {
			return nil, err
		}
		var next []walk
		for _, w := range frontier {
			for _, e := range in[w.node] {
				if e.Share == nil || w.seen[e.From] {
					continue
				}
				share := w.share * *e.Share
				switch nodes[e.From].Schema {
				case "GovBody":
					g := by[e.From]
					if g == nil {
						n := nodes[e.From]
						g = &GovStake{Body: &Ref{ID: n.ID, Schema: n.Schema, Name: n.Name}}
						by[e.From] = g
					}
					g.Share += share
					g.Chains++
				case "Fund":
					if chains++; chains > maxLookChains {
						continue
					}
					seen := map[string]bool{e.From: true}
					for k := range w.seen {
						seen[k] = true
					}
					next = append(next, walk{node: e.From, share: share, seen: seen})
				}
			}
		}
		frontier = next
	}
	out := []GovStake{}
	for _, g := range by {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Share > out[j].Share || out[i].Share == out[j].Share && out[i].Body.ID < out[j].Body.ID
	})
	return out, nil
}

// ---- government bodies ----

// GovBody is a government body: the flows it gave, by channel, the funds it holds
// (directly, and looked through), and the policies it issued.
type GovBody struct {
	Entity
	FlowTotals []ChannelTotal `json:"flow_totals"`
	Flows      List[Flow]     `json:"flows"`
	// Funds are the body's direct holdings of funds.
	Funds []Holding `json:"funds"`
	// FundsLookThrough are the funds the body holds directly or through other
	// funds, with its look-through share (trace.Trace).
	FundsLookThrough []GovStake `json:"funds_look_through"`
	Policies         []Issuance `json:"policies"`
}

// Issuance is a body's issuing of a policy.
type Issuance struct {
	Issuer *Ref   `json:"issuer,omitempty"`
	Policy *Ref   `json:"policy,omitempty"`
	Role   string `json:"role,omitempty"`
	Rank   string `json:"rank,omitempty"`
	Prov
}

func (s *Server) govBody(ctx context.Context, id string, lq listQuery) (*GovBody, error) {
	e, props, err := s.subject(ctx, id, "GovBody")
	if err != nil {
		return nil, err
	}
	g := &GovBody{Entity: newEntity(e, props), Funds: []Holding{}, Policies: []Issuance{}, FundsLookThrough: []GovStake{}}
	links := append(flowLinks(true), link{"Ownership", "owner"}, link{"Issuance", "issuer"})
	rels, err := s.relations(ctx, id, links...)
	if err != nil {
		return nil, err
	}
	refs, err := s.refs(ctx, append(flowEnds(rels), relTargets(rels, "asset", "policy")...))
	if err != nil {
		return nil, err
	}
	all := flowsOf(rels, refs)
	g.FlowTotals = totals(all)
	g.Flows = pageList(filterFlows(all, lq, func(f Flow) *Ref { return f.To }), lq)
	for _, r := range rels {
		switch r.Schema {
		case "Ownership":
			if a := refOf(refs, r.get("asset")); a != nil && a.Schema == "Fund" {
				g.Funds = append(g.Funds, holdingOf(r, nil, a))
			}
		case "Issuance":
			g.Policies = append(g.Policies, Issuance{Policy: refOf(refs, r.get("policy")), Role: r.get("role"), Rank: r.get("rank"), Prov: r.Prov})
		}
	}
	sortStable(g.Policies, func(a, b Issuance) bool { return a.Policy.Date > b.Policy.Date })
	// The funds held through funds, as trace looks through them; no flows are
	// followed (no channel is named "none").
	res, err := trace.Trace(ctx, &trace.StoreSource{Store: s.cfg.Store}, id, trace.Options{Channels: []string{"none"}, Subsidiaries: -1, MaxChains: maxLookChains})
	if err != nil {
		return nil, err
	}
	for _, f := range res.Funds {
		n := f.Fund
		g.FundsLookThrough = append(g.FundsLookThrough, GovStake{Body: &Ref{ID: n.ID, Schema: n.Schema, Name: n.Name}, Share: f.Share, Chains: f.Chains})
	}
	return g, nil
}

// ---- policies ----

// Policy is a policy document with its issuers, targets and programs.
type Policy struct {
	Entity
	DocumentNumber string     `json:"document_number,omitempty"`
	Level          string     `json:"level,omitempty"`
	Date           string     `json:"date,omitempty"`
	Issuers        []Issuance `json:"issuers"`
	// Targets are the technology tags, instruments and entities the policy targets,
	// with the evidence of each where the data has it.
	Targets  []Target `json:"targets"`
	Programs []*Ref   `json:"programs"`
}

// Target is one target of a policy (a Targeting).
type Target struct {
	Tag        string   `json:"tag,omitempty"`
	Instrument string   `json:"instrument,omitempty"`
	Entity     *Ref     `json:"entity,omitempty"`
	Label      string   `json:"original_label,omitempty"`
	Weight     *float64 `json:"weight,omitempty"`
	Evidence   string   `json:"evidence,omitempty"`
	Method     string   `json:"method,omitempty"`
	Prov
}

func (s *Server) policy(ctx context.Context, id string) (*Policy, error) {
	e, props, err := s.subject(ctx, id, "Policy")
	if err != nil {
		return nil, err
	}
	p := &Policy{Entity: newEntity(e, props), Issuers: []Issuance{}, Targets: []Target{}, Programs: []*Ref{}}
	p.DocumentNumber, p.Level, p.Date = p.first("document_number"), p.first("level"), p.first("date")
	rels, err := s.relations(ctx, id, link{"Issuance", "policy"}, link{"Targeting", "policy"}, link{"Program", "policy"})
	if err != nil {
		return nil, err
	}
	ids := relTargets(rels, "issuer", "target_entity")
	for _, r := range rels {
		if r.Schema == "Program" {
			ids = append(ids, r.ID)
		}
	}
	refs, err := s.refs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		switch r.Schema {
		case "Issuance":
			p.Issuers = append(p.Issuers, Issuance{Issuer: refOf(refs, r.get("issuer")), Role: r.get("role"), Rank: r.get("rank"), Prov: r.Prov})
		case "Targeting":
			p.Targets = append(p.Targets, Target{Tag: r.get("target_tag"), Instrument: r.get("instrument"), Entity: refOf(refs, r.get("target_entity")),
				Label: r.get("original_label"), Weight: r.float("weight"), Evidence: r.get("evidence"), Method: r.get("method"), Prov: r.Prov})
		case "Program":
			p.Programs = append(p.Programs, refOf(refs, r.ID))
		}
	}
	sortStable(p.Issuers, func(a, b Issuance) bool { return rankOf(a.Rank) < rankOf(b.Rank) })
	sortStable(p.Targets, func(a, b Target) bool { return ptrVal(a.Weight) > ptrVal(b.Weight) })
	return p, nil
}

func rankOf(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 1 << 30
	}
	return n
}

// ---- programs ----

// Program is a state program: its founding policy, designations by year (one page)
// and the grants paid under it.
type Program struct {
	Entity
	Policy       *Ref               `json:"policy,omitempty"`
	Years        []YearCount        `json:"years"`
	Designations List[Designation]  `json:"designations"`
	Grants       int                `json:"grants"`
	GrantAmounts map[string]float64 `json:"grant_amounts"`
}

// YearCount counts designations of a year.
type YearCount struct {
	Year  string `json:"year"`
	Count int    `json:"count"`
}

func (s *Server) program(ctx context.Context, id string, lq listQuery) (*Program, error) {
	e, props, err := s.subject(ctx, id, "Program")
	if err != nil {
		return nil, err
	}
	p := &Program{Entity: newEntity(e, props), Years: []YearCount{}, GrantAmounts: map[string]float64{}}
	rels, err := s.relations(ctx, id, link{"Designation", "program"}, link{"Grant", "program"})
	if err != nil {
		return nil, err
	}
	ids := relTargets(rels, "firm")
	if v := props["policy"]; len(v) > 0 {
		ids = append(ids, v[0].Value)
	}
	refs, err := s.refs(ctx, ids)
	if err != nil {
		return nil, err
	}
	if v := props["policy"]; len(v) > 0 {
		p.Policy = refOf(refs, v[0].Value)
	}
	var ds []Designation
	years := map[string]int{}
	for _, r := range rels {
		switch r.Schema {
		case "Designation":
			d := designationOf(r, nil, refOf(refs, r.get("firm")))
			years[d.Year]++
			if (lq.Year == "" || d.Year == lq.Year) && (lq.Dataset == "" || d.Dataset == lq.Dataset) {
				ds = append(ds, d)
			}
		case "Grant":
			p.Grants++
			if a := r.float("amount"); a != nil {
				p.GrantAmounts[r.get("currency")] += *a
			}
		}
	}
	for _, y := range sortedKeys(years) {
		p.Years = append(p.Years, YearCount{Year: y, Count: years[y]})
	}
	switch lq.Sort {
	case "year":
		sortStable(ds, func(a, b Designation) bool {
			return a.Year < b.Year || a.Year == b.Year && a.Firm.Label() < b.Firm.Label()
		})
	case "name":
		sortStable(ds, func(a, b Designation) bool { return a.Firm.Label() < b.Firm.Label() })
	}
	p.Designations = pageList(ds, lq)
	return p, nil
}

func designationOf(r *rel, program, firm *Ref) Designation {
	d := Designation{Program: program, Firm: firm, Year: r.get("year"), Date: r.get("date"), Batch: r.get("batch"),
		ListName: r.get("list_name"), Level: r.get("level"), DocumentNumber: r.get("document_number"), Status: r.get("status"), Prov: r.Prov}
	if d.Year == "" {
		d.Year = yearOf(d.Date)
	}
	return d
}

// ---- firms ----

// FirmFacts are what a firm's resource adds to its identity and ownership: its
// staff, the flows it received, its designations and its patents by tag.
type FirmFacts struct {
	Staff        []Role         `json:"staff"`
	FlowTotals   []ChannelTotal `json:"flow_totals"`
	Flows        List[Flow]     `json:"flows"`
	Designations []Designation  `json:"designations"`
	Patents      *Patents       `json:"patents,omitempty"`

	// patentFacts are the firm's patents and tags as read, from which the page
	// finds its sectors (firmSectors).
	patentFacts *firmPatentFacts
}

// Patents counts a firm's patents (patent_facts) and their technology tags
// (patent_tags). Weighted counts a patent of n applicants as 1/n, and a tag by the
// patent's weight for it.
type Patents struct {
	Patents  int         `json:"patents"`
	Weighted float64     `json:"weighted"`
	Dataset  string      `json:"dataset"`
	ByTag    []PatentTag `json:"by_tag"`
}

// PatentTag is the firm's patents with one tag.
type PatentTag struct {
	System   string  `json:"system"`
	Tag      string  `json:"tag"`
	Patents  int     `json:"patents"`
	Weighted float64 `json:"weighted"`
	Dataset  string  `json:"dataset"`
}

func (s *Server) firmFacts(ctx context.Context, id string, lq listQuery) (*FirmFacts, error) {
	f := &FirmFacts{Staff: []Role{}, Designations: []Designation{}}
	links := append(flowLinks(false), link{"Directorship", "organization"}, link{"Designation", "firm"})
	rels, err := s.relations(ctx, id, links...)
	if err != nil {
		return nil, err
	}
	refs, err := s.refs(ctx, append(flowEnds(rels), relTargets(rels, "director")...))
	if err != nil {
		return nil, err
	}
	all := flowsOf(rels, refs)
	f.FlowTotals = totals(all)
	f.Flows = pageList(filterFlows(all, lq, func(f Flow) *Ref { return f.From }), lq)
	for _, r := range rels {
		switch r.Schema {
		case "Directorship":
			f.Staff = append(f.Staff, roleOf(r, refOf(refs, r.get("director")), nil))
		case "Designation":
			f.Designations = append(f.Designations, designationOf(r, refOf(refs, r.get("program")), nil))
		}
	}
	sortStable(f.Staff, func(a, b Role) bool { return a.Person.Label() < b.Person.Label() })
	sortStable(f.Designations, func(a, b Designation) bool { return a.Year < b.Year })
	if f.patentFacts, err = s.firmPatents(ctx, id, true); err != nil {
		return nil, err
	}
	f.Patents = patentsOf(f.patentFacts)
	return f, nil
}

// designation programs are named by relTargets(... "program") in flowEnds.

// patentsOf counts a firm's patents by tag; nil if it has none.
func patentsOf(fp *firmPatentFacts) *Patents {
	if len(fp.applied) == 0 {
		return nil
	}
	p := &Patents{Dataset: fp.applied[0].dataset, ByTag: []PatentTag{}}
	for _, a := range fp.applied {
		p.Weighted += 1 / float64(a.applicants)
		p.Dataset = min(p.Dataset, a.dataset)
	}
	p.Patents = len(fp.share)
	type key struct{ system, tag string }
	by := map[key]*PatentTag{}
	seen := map[[3]string]bool{}
	for _, t := range fp.tags {
		k := key{t.system, t.tag}
		pt := by[k]
		if pt == nil {
			pt = &PatentTag{System: t.system, Tag: t.tag, Dataset: t.dataset}
			by[k] = pt
		}
		if !seen[[3]string{t.system, t.tag, t.patent}] {
			seen[[3]string{t.system, t.tag, t.patent}] = true
			pt.Patents++
		}
		pt.Weighted += t.weight * fp.share[t.patent]
		pt.Dataset = min(pt.Dataset, t.dataset)
	}
	for _, pt := range by {
		p.ByTag = append(p.ByTag, *pt)
	}
	sort.Slice(p.ByTag, func(i, j int) bool {
		a, b := p.ByTag[i], p.ByTag[j]
		if math.Abs(a.Weighted-b.Weighted) > 1e-9 {
			return a.Weighted > b.Weighted
		}
		return a.Tag < b.Tag || a.Tag == b.Tag && a.System < b.System
	})
	if len(p.ByTag) > 200 {
		p.ByTag = p.ByTag[:200]
	}
	return p
}

// firmPatentFacts are the patents a firm applied for and their tags, read from the
// facts_by_id lookup table.
type firmPatentFacts struct {
	applied []appliedPatent
	// share is the firm's share of each patent: 1 / its number of applicants (the
	// least stated).
	share map[string]float64
	tags  []patentTagRow // of the patents
	own   []patentTagRow // the firm's own tags, when asked for
}

type appliedPatent struct {
	patent     string
	applicants int
	dataset    string
}

type patentTagRow struct {
	patent, system, tag string
	weight              float64
	dataset             string
}

// firmPatents reads the patents the firm id applied for and their tags, and, with
// own, the firm's own tags: two lookups of a few blocks each.
func (s *Server) firmPatents(ctx context.Context, id string, own bool) (*firmPatentFacts, error) {
	sides := []string{"applicant"}
	if own {
		sides = append(sides, "entity")
	}
	cols := []string{"side", "patent_id", "applicants", "system", "tag", "weight", "dataset"}
	t, err := sqlview.Lookup(ctx, s.cfg.Store, cipmap.LookupQuery{Table: "facts_by_id", IDs: []string{id}, Sides: sides, Columns: cols})
	if err != nil {
		return nil, err
	}
	fp := &firmPatentFacts{share: map[string]float64{}}
	var ids []string
	for _, r := range t.Rows {
		if cell(r[0]) == "entity" {
			fp.own = append(fp.own, patentTagRow{system: cell(r[3]), tag: cell(r[4]), weight: cellFloat(r[5]), dataset: cell(r[6])})
			continue
		}
		a := appliedPatent{patent: cell(r[1]), applicants: max(1, int(cellInt(r[2]))), dataset: cell(r[6])}
		fp.applied = append(fp.applied, a)
		if old, ok := fp.share[a.patent]; !ok {
			ids = append(ids, a.patent)
			fp.share[a.patent] = 1 / float64(a.applicants)
		} else {
			fp.share[a.patent] = max(old, 1/float64(a.applicants))
		}
	}
	sort.Slice(fp.applied, func(i, j int) bool { return fp.applied[i].patent < fp.applied[j].patent })
	if len(ids) == 0 {
		return fp, nil
	}
	t, err = sqlview.Lookup(ctx, s.cfg.Store, cipmap.LookupQuery{Table: "facts_by_id", IDs: ids, Sides: []string{"patent"},
		Columns: []string{"patent_id", "system", "tag", "weight", "dataset"}})
	if err != nil {
		return nil, err
	}
	for _, r := range t.Rows {
		fp.tags = append(fp.tags, patentTagRow{patent: cell(r[0]), system: cell(r[1]), tag: cell(r[2]), weight: cellFloat(r[3]), dataset: cell(r[4])})
	}
	// In one order whatever order the store gives them, so that sums of
	// weights come out the same to the last digit.
	slices.SortFunc(fp.tags, func(a, b patentTagRow) int {
		return cmp.Or(strings.Compare(a.patent, b.patent), strings.Compare(a.system, b.system), strings.Compare(a.tag, b.tag),
			strings.Compare(a.dataset, b.dataset), cmp.Compare(a.weight, b.weight))
	})
	return fp, nil
}

func cellFloat(v any) float64 {
	f, _ := strconv.ParseFloat(cell(v), 64)
	return f
}

// ---- handlers ----

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.person(r.Context(), r.PathValue("id"))
	s.reply(w, r, p, err)
}

func (s *Server) apiFund(w http.ResponseWriter, r *http.Request) {
	lq, err := readList(r, flowSorts...)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.fund(r.Context(), r.PathValue("id"), lq)
	s.reply(w, r, f, err)
}

func (s *Server) apiGovBody(w http.ResponseWriter, r *http.Request) {
	lq, err := readList(r, flowSorts...)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	g, err := s.govBody(r.Context(), r.PathValue("id"), lq)
	s.reply(w, r, g, err)
}

func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request) {
	p, err := s.policy(r.Context(), r.PathValue("id"))
	s.reply(w, r, p, err)
}

func (s *Server) apiProgram(w http.ResponseWriter, r *http.Request) {
	lq, err := readList(r, "year", "name")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.program(r.Context(), r.PathValue("id"), lq)
	s.reply(w, r, p, err)
}

// reply writes v, or err.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, v)
}
