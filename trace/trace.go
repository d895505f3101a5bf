package trace

import (
	"context"
	"math"
	"sort"

	"github.com/cipmap/cipmap"
)

// Options narrow a trace.
type Options struct {
	// Depth is the most edges from FROM to a reached firm; 0 means 5 (a government
	// body → national → provincial → municipal fund → firm is 4).
	Depth int
	// Subsidiaries is the most ownership levels followed below the reached firms;
	// 0 means 3, a negative number none.
	Subsidiaries int
	// At, YYYY-MM-DD, keeps flows dated on or before it and holdings valid on it;
	// "" keeps every edge (of several holdings of one pair, all count).
	At string
	// Channels keeps only flows of these channels (investment, grant, loan,
	// contract, listing, designation); holdings of funds are always looked through.
	Channels []string
	// To, if set, keeps only the reached firms and subsidiaries for which it is true.
	To func(id string) bool
	// Rates converts amounts to yuan; nil converts only CNY.
	Rates cipmap.Rates
	// Base, if not 0, gives yuan at the prices of this year (Rates.Constant).
	Base int
	// MaxChains stops the look-through at this many chains; 0 means 2,000,000.
	MaxChains int
	// Subtree gives a CTT tag's subtree, so that a policy targeting a tag reaches
	// the firms tagged below it; nil counts the tag alone.
	Subtree func(tag string) []string
	// Patents counts the patents of the reached firms and subsidiaries by CTT tag,
	// when the source is a PatentSource.
	Patents bool
}

// TagPatents counts the patents of a trace's firms in one CTT tag: each patent a
// firm applied for counts weight / applicants (cipmap patents tag), so the counts
// are fractional.
type TagPatents struct {
	Tag     string  `json:"tag"`
	Patents float64 `json:"patents"`
	Firms   int     `json:"firms"`
}

// TargetedTag is a technology a policy targets (a Targeting with a target tag)
// and the firms that carry it: a policy reaches them by what it supports, where
// no flow names them.
type TargetedTag struct {
	Tag string `json:"tag"`
	// Firms counts the firms (resolved firms once) tagged with Tag or a tag
	// below it (Options.Subtree).
	Firms int `json:"firms"`
	// Dataset and Source are those of the Targeting statement.
	Dataset string `json:"dataset"`
	Source  string `json:"source"`
}

// TagTargetSource is a Source that knows the tags a policy targets and the firms
// tagged with them.
type TagTargetSource interface {
	// TargetedTags returns the tags the policy targets, each with the firms that
	// carry it or a tag of subtree(tag) (nil: the tag alone).
	TargetedTags(ctx context.Context, policy string, subtree func(tag string) []string) ([]TargetedTag, error)
}

// PatentSource is a Source that knows firms' patents by technology tag.
type PatentSource interface {
	// PatentsByTag returns, for each of the records ids that applied for tagged
	// patents, its fractional patent count by CTT tag.
	PatentsByTag(ctx context.Context, ids []string) (map[string]map[string]float64, error)
}

// FundShare is FROM's look-through share of a fund: the sum over the chains of
// holdings from FROM to the fund of the product of the shares along each.
type FundShare struct {
	Fund   Node    `json:"fund"`
	Share  float64 `json:"share"`
	Chains int     `json:"chains"`
	// Depth is the length of its shortest chain.
	Depth int `json:"depth"`
}

// Reach is one chain from FROM to a firm: holdings of funds (looked through), then
// the flow that reached the firm. Attributed is FROM's part of the flow: its amount
// in yuan times Share, FROM's look-through share of the flow's giver.
type Reach struct {
	Firm Node `json:"firm"`
	// Record is the record the flow names when it belongs to the resolved firm
	// Firm (cipmap resolve), "" when the flow names Firm itself.
	Record     string   `json:"record,omitempty"`
	Channel    string   `json:"channel"`
	Chain      []*Edge  `json:"chain"`
	Share      float64  `json:"share"`
	AmountCNY  *float64 `json:"amount_cny,omitempty"`
	Attributed *float64 `json:"attributed_cny,omitempty"`
}

// FirmTotal sums the reaches of one firm.
type FirmTotal struct {
	Firm Node `json:"firm"`
	// Records are the records of the resolved firm that flows named, when they
	// are not the firm's own id.
	Records    []string           `json:"records,omitempty"`
	Attributed float64            `json:"attributed_cny"`
	ByChannel  map[string]float64 `json:"by_channel"`
	Flows      int                `json:"flows"`
	Chains     int                `json:"chains"`
	// Unconverted counts flows without an amount in yuan (no amount, no rate).
	Unconverted int `json:"unconverted,omitempty"`
}

// Subsidiary is a firm held by a reached firm, directly or through others, with the
// reached firm's effective share: the sum over chains of holdings of the product of
// their shares (chains that revisit a firm are not followed).
type Subsidiary struct {
	Firm   Node    `json:"firm"`
	Parent Node    `json:"parent"`
	Share  float64 `json:"share"`
	Chains int     `json:"chains"`
	Depth  int     `json:"depth"`
	// Via is the first chain found, parent → ... → firm.
	Via []*Edge `json:"via"`
}

// Result is what a trace reached.
type Result struct {
	From         Node         `json:"from"`
	Funds        []FundShare  `json:"funds"`
	Reaches      []Reach      `json:"reaches"`
	Firms        []FirmTotal  `json:"firms"`
	Subsidiaries []Subsidiary `json:"subsidiaries"`
	// Targeted are the technologies a policy targets and how many firms carry
	// each.
	Targeted []TargetedTag `json:"targeted,omitempty"`
	// Patents are the patents of the reached firms and their subsidiaries by tag,
	// most first (Options.Patents).
	Patents []TagPatents `json:"patents,omitempty"`
	// Unconverted counts reaching flows whose amount could not be given in yuan.
	Unconverted int  `json:"unconverted"`
	Truncated   bool `json:"truncated"`
	// Nodes holds every entity named in the result, by id.
	Nodes map[string]Node `json:"-"`
}

// chain is a walk from FROM during the look-through.
type chain struct {
	node  string
	edges []*Edge
	share float64
}

func (c *chain) visits(id string) bool {
	for _, e := range c.edges {
		if e.From == id || e.To == id {
			return true
		}
	}
	return false
}

// Trace follows the money from the entity from: through its holdings of funds (and
// the funds' holdings of funds, looked through), a policy's programs, to the flows
// that reach firms; then below the reached firms through their holdings.
func Trace(ctx context.Context, src Source, from string, opt Options) (*Result, error) {
	if opt.Depth == 0 {
		opt.Depth = 5
	}
	if opt.Subsidiaries == 0 {
		opt.Subsidiaries = 3
	}
	if opt.MaxChains == 0 {
		opt.MaxChains = 2_000_000
	}
	nodes, err := src.Nodes(ctx, []string{from})
	if err != nil {
		return nil, err
	}
	root, ok := nodes[from]
	if !ok {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no entity %q", from)
	}
	t := &tracer{src: src, opt: opt, nodes: nodes, out: map[string][]*Edge{}}
	res := &Result{From: root, Nodes: nodes}
	roles := MoneyRoles()
	frontier := []chain{{node: from, share: 1}}
	funds := map[string]*FundShare{}
	for level := 0; level < opt.Depth && len(frontier) > 0; level++ {
		if err := t.fetch(ctx, frontier, roles); err != nil {
			return nil, err
		}
		var next []chain
		for _, c := range frontier {
			giver := t.nodes[c.node]
			for _, e := range t.out[c.node] {
				if !e.validAt(opt.At) || e.To == from || c.visits(e.To) {
					continue
				}
				to := t.nodes[e.To]
				switch e.Channel {
				case "ownership":
					if e.Share == nil {
						continue
					}
					if to.Schema == "Fund" {
						if len(next)+len(res.Reaches) >= opt.MaxChains {
							res.Truncated = true
							continue
						}
						nc := c.extend(e, c.share**e.Share)
						f := funds[e.To]
						if f == nil {
							f = &FundShare{Fund: to, Depth: len(nc.edges)}
							funds[e.To] = f
						}
						f.Share += nc.share
						f.Chains++
						next = append(next, nc)
					} else if giver.Schema == "Fund" && t.keep("ownership") {
						// A fund's holding of a firm, where the data has holdings
						// rather than investments: reached, with no amount.
						res.Reaches = append(res.Reaches, t.reach(c, e, to, c.share**e.Share))
					}
				case "program", "targeting":
					next = append(next, c.extend(e, c.share))
				default:
					if !t.keep(e.Channel) {
						continue
					}
					r := t.reach(c, e, to, c.share)
					if r.AmountCNY == nil && e.Amount != nil {
						res.Unconverted++
					}
					res.Reaches = append(res.Reaches, r)
				}
			}
		}
		frontier = next
	}
	// Name the receivers of flows, at once.
	if err := t.name(ctx, t.unnamed); err != nil {
		return nil, err
	}
	for i := range res.Reaches {
		res.Reaches[i].Firm = t.nodes[res.Reaches[i].Firm.ID]
	}
	if err := t.resolve(ctx, res); err != nil {
		return nil, err
	}
	for _, f := range funds {
		res.Funds = append(res.Funds, *f)
	}
	sort.Slice(res.Funds, func(i, j int) bool {
		a, b := res.Funds[i], res.Funds[j]
		if a.Depth != b.Depth {
			return a.Depth < b.Depth
		}
		return a.Fund.ID < b.Fund.ID
	})
	if opt.Subsidiaries > 0 {
		if err := t.subsidiaries(ctx, res); err != nil {
			return nil, err
		}
	}
	if opt.To != nil {
		var keep []Reach
		for _, r := range res.Reaches {
			if t.to(r.Firm.ID) {
				keep = append(keep, r)
			}
		}
		res.Reaches = keep
		var subs []Subsidiary
		for _, s := range res.Subsidiaries {
			if t.to(s.Firm.ID) {
				subs = append(subs, s)
			}
		}
		res.Subsidiaries = subs
	}
	sort.SliceStable(res.Reaches, func(i, j int) bool { return res.Reaches[i].Firm.ID < res.Reaches[j].Firm.ID })
	res.Firms = totals(res.Reaches)
	if ts, ok := src.(TagTargetSource); ok && root.Schema == "Policy" {
		if res.Targeted, err = ts.TargetedTags(ctx, from, opt.Subtree); err != nil {
			return nil, err
		}
	}
	if ps, ok := src.(PatentSource); ok && opt.Patents {
		if err := t.patents(ctx, ps, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// patents counts the patents of the reached firms and subsidiaries (all their
// records) by tag.
func (t *tracer) patents(ctx context.Context, ps PatentSource, res *Result) error {
	firmOf := map[string]string{}
	add := func(id string) {
		for _, r := range t.recordsOf(id) {
			firmOf[r] = id
		}
	}
	for _, f := range res.Firms {
		add(f.Firm.ID)
	}
	for _, s := range res.Subsidiaries {
		add(s.Firm.ID)
	}
	ids := make([]string, 0, len(firmOf))
	for id := range firmOf {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	got, err := ps.PatentsByTag(ctx, ids)
	if err != nil {
		return err
	}
	by := map[string]*TagPatents{}
	firms := map[[2]string]bool{}
	for rec, tags := range got {
		for tag, n := range tags {
			tp := by[tag]
			if tp == nil {
				tp = &TagPatents{Tag: tag}
				by[tag] = tp
			}
			tp.Patents += n
			if k := [2]string{tag, firmOf[rec]}; !firms[k] {
				firms[k] = true
				tp.Firms++
			}
		}
	}
	for _, tp := range by {
		res.Patents = append(res.Patents, *tp)
	}
	sort.Slice(res.Patents, func(i, j int) bool {
		a, b := res.Patents[i], res.Patents[j]
		// Sums of fractions in another order differ in the last bits: equal
		// within 1e-9 is equal, so that the order does not depend on it.
		if math.Abs(a.Patents-b.Patents) > 1e-9 {
			return a.Patents > b.Patents
		}
		return a.Tag < b.Tag
	})
	return nil
}

func (c chain) extend(e *Edge, share float64) chain {
	edges := make([]*Edge, len(c.edges)+1)
	copy(edges, c.edges)
	edges[len(c.edges)] = e
	return chain{node: e.To, edges: edges, share: share}
}

type tracer struct {
	src   Source
	opt   Options
	nodes map[string]Node
	out   map[string][]*Edge // fetched out-edges by node
	hold  map[string][]*Edge // fetched holdings of reached firms, by owner
	// unnamed are the receivers of flows not read yet.
	unnamed []string
	// canon maps records of resolved firms to their firm; members lists a
	// resolved firm's records (Resolver).
	canon   map[string]string
	members map[string][]string
}

// to applies Options.To to a firm: a resolved firm passes when it or any of its
// records does (a tag or a name may be known of one record only).
func (t *tracer) to(id string) bool {
	if t.opt.To(id) {
		return true
	}
	for _, r := range t.members[id] {
		if t.opt.To(r) {
			return true
		}
	}
	return false
}

// recordsOf returns the records of a resolved firm, or the firm alone.
func (t *tracer) recordsOf(id string) []string {
	if ms := t.members[id]; len(ms) > 0 {
		return ms
	}
	return []string{id}
}

// resolve moves each reach to the resolved firm its receiver belongs to, when the
// source is a Resolver, keeping the record it named.
func (t *tracer) resolve(ctx context.Context, res *Result) error {
	rs, ok := t.src.(Resolver)
	if !ok {
		return nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, r := range res.Reaches {
		if !seen[r.Firm.ID] {
			seen[r.Firm.ID] = true
			ids = append(ids, r.Firm.ID)
		}
	}
	if err := t.cluster(ctx, rs, ids); err != nil {
		return err
	}
	for i := range res.Reaches {
		r := &res.Reaches[i]
		if c, ok := t.canon[r.Firm.ID]; ok && c != r.Firm.ID {
			r.Record = r.Firm.ID
			r.Firm = t.nodes[c]
		}
	}
	return nil
}

// cluster reads the resolved firms of ids and names them.
func (t *tracer) cluster(ctx context.Context, rs Resolver, ids []string) error {
	cs, err := rs.Clusters(ctx, ids)
	if err != nil {
		return err
	}
	if t.canon == nil {
		t.canon, t.members = map[string]string{}, map[string][]string{}
	}
	var unnamed []string
	for c, ms := range cs {
		t.members[c] = ms
		for _, m := range ms {
			t.canon[m] = c
		}
		if _, ok := t.nodes[c]; !ok {
			t.nodes[c] = Node{ID: c, Schema: "Firm"}
			unnamed = append(unnamed, c)
		}
		for _, m := range ms {
			if _, ok := t.nodes[m]; !ok {
				unnamed = append(unnamed, m)
			}
		}
	}
	if err := t.name(ctx, unnamed); err != nil {
		return err
	}
	// A cluster id of resolve is no entity: the firm takes the name of its first
	// named record.
	for c, ms := range cs {
		n := t.nodes[c]
		for _, m := range ms {
			if n.Name != "" {
				break
			}
			if r := t.nodes[m]; r.Name != "" && r.Name != m {
				n.Name = r.Name
			}
		}
		if n.Schema == "" {
			n.Schema = "Firm"
		}
		t.nodes[c] = n
	}
	return nil
}

func (t *tracer) keep(channel string) bool {
	return len(t.opt.Channels) == 0 || contains(t.opt.Channels, channel)
}

// givesBy lists the roles through which entities of a schema give: a fund invests,
// lends and holds funds; a policy has programs and targets; a program designates and
// pays grants. Other schemas (government bodies, firms, banks) take every role.
var givesBy = map[string][]string{
	"Fund":    {"Investment.investor", "Loan.lender", "Ownership.owner"},
	"Policy":  {"Program.policy", "Targeting.policy"},
	"Program": {"Designation.program", "Grant.program"},
}

func rolesOf(schema string, roles []Role) []Role {
	keep, ok := givesBy[schema]
	if !ok {
		return roles
	}
	var out []Role
	for _, r := range roles {
		if contains(keep, r.Schema+"."+r.From) {
			out = append(out, r)
		}
	}
	return out
}

// fetch reads the out-edges of the frontier's nodes not read yet, one query for the
// nodes of each schema, and the nodes at the ends of holdings, programs and targets
// (whose schemas say how to go on); the receivers of flows are named at the end.
func (t *tracer) fetch(ctx context.Context, frontier []chain, roles []Role) error {
	bySchema := map[string][]string{}
	var schemas []string
	for _, c := range frontier {
		if _, ok := t.out[c.node]; !ok {
			t.out[c.node] = nil
			sc := t.nodes[c.node].Schema
			if _, ok := bySchema[sc]; !ok {
				schemas = append(schemas, sc)
			}
			bySchema[sc] = append(bySchema[sc], c.node)
		}
	}
	sort.Strings(schemas)
	var ends []string
	for _, sc := range schemas {
		es, err := t.src.Edges(ctx, bySchema[sc], Out, rolesOf(sc, roles))
		if err != nil {
			return err
		}
		for i := range es {
			e := &es[i]
			t.out[e.From] = append(t.out[e.From], e)
			if _, ok := t.nodes[e.To]; !ok {
				t.nodes[e.To] = Node{ID: e.To}
				switch e.Channel {
				case "ownership", "program", "targeting":
					ends = append(ends, e.To)
				default:
					t.unnamed = append(t.unnamed, e.To)
				}
			}
		}
	}
	if err := t.name(ctx, ends); err != nil {
		return err
	}
	for _, id := range schemas {
		for _, n := range bySchema[id] {
			sortEdges(t.out[n])
		}
	}
	return nil
}

// name reads the nodes of ids.
func (t *tracer) name(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	got, err := t.src.Nodes(ctx, ids)
	if err != nil {
		return err
	}
	for id, n := range got {
		t.nodes[id] = n
	}
	return nil
}

func sortEdges(es []*Edge) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].To != es[j].To {
			return es[i].To < es[j].To
		}
		return es[i].ID < es[j].ID
	})
}

// reach makes the reach of chain c through the flow e.
func (t *tracer) reach(c chain, e *Edge, to Node, share float64) Reach {
	r := Reach{Firm: to, Channel: e.Channel, Chain: c.extend(e, share).edges, Share: share}
	if v, ok := t.cny(e); ok {
		r.AmountCNY = &v
		a := v * share
		r.Attributed = &a
	}
	return r
}

// cny converts the amount of e to yuan (constant prices when asked) and records it
// on the edge; an amount without a currency is taken as yuan.
func (t *tracer) cny(e *Edge) (float64, bool) {
	if e.AmountCNY != nil {
		return *e.AmountCNY, true
	}
	if e.Amount == nil {
		return 0, false
	}
	v := *e.Amount
	if e.Currency != "" && e.Currency != "CNY" {
		if t.opt.Rates == nil || e.Year == 0 {
			return 0, false
		}
		x, err := t.opt.Rates.ToCNY(v, e.Currency, e.Year)
		if err != nil {
			return 0, false
		}
		v = x
	}
	if t.opt.Base != 0 {
		if t.opt.Rates == nil || e.Year == 0 {
			return 0, false
		}
		x, err := t.opt.Rates.Constant(v, e.Year, t.opt.Base)
		if err != nil {
			return 0, false
		}
		v = x
	}
	e.AmountCNY = &v
	return v, true
}

// subsidiaries follows the holdings of the reached firms down, level by level.
func (t *tracer) subsidiaries(ctx context.Context, res *Result) error {
	type walk struct {
		parent string
		chain
	}
	var frontier []walk
	seen := map[string]bool{}
	for _, r := range res.Reaches {
		if r.Firm.Schema == "Fund" || r.Firm.Schema == "GovBody" || seen[r.Firm.ID] {
			continue
		}
		seen[r.Firm.ID] = true
		// A resolved firm holds what any of its records holds.
		for _, m := range t.recordsOf(r.Firm.ID) {
			frontier = append(frontier, walk{r.Firm.ID, chain{node: m, share: 1}})
		}
	}
	holdings := []Role{{"Ownership", "owner", "asset", "ownership"}}
	fetched := map[string]bool{}
	subs := map[[2]string]*Subsidiary{}
	n := 0
	for level := 0; level < t.opt.Subsidiaries && len(frontier) > 0; level++ {
		var ids []string
		for _, w := range frontier {
			if !fetched[w.node] {
				fetched[w.node] = true
				ids = append(ids, w.node)
			}
		}
		// Holdings of firms only: a fund's holdings were looked through above.
		if err := t.loadHoldings(ctx, ids, holdings); err != nil {
			return err
		}
		var next []walk
		for _, w := range frontier {
			for _, e := range t.hold[w.node] {
				if e.Share == nil || !e.validAt(t.opt.At) || e.To == w.parent || t.canon[e.To] == w.parent || w.visits(e.To) {
					continue
				}
				to := t.nodes[e.To]
				if to.Schema == "Fund" {
					continue
				}
				if c, ok := t.canon[e.To]; ok {
					to = t.nodes[c]
				}
				if n >= t.opt.MaxChains {
					res.Truncated = true
					break
				}
				n++
				nc := walk{w.parent, w.extend(e, w.share**e.Share)}
				k := [2]string{w.parent, to.ID}
				s := subs[k]
				if s == nil {
					s = &Subsidiary{Firm: to, Parent: t.nodes[w.parent], Depth: len(nc.edges), Via: nc.edges}
					subs[k] = s
				}
				s.Share += nc.share
				s.Chains++
				next = append(next, nc)
			}
		}
		frontier = next
	}
	for _, s := range subs {
		res.Subsidiaries = append(res.Subsidiaries, *s)
	}
	sort.Slice(res.Subsidiaries, func(i, j int) bool {
		a, b := res.Subsidiaries[i], res.Subsidiaries[j]
		if a.Parent.ID != b.Parent.ID {
			return a.Parent.ID < b.Parent.ID
		}
		if a.Share != b.Share {
			return a.Share > b.Share
		}
		return a.Firm.ID < b.Firm.ID
	})
	return nil
}

// loadHoldings reads the holdings of ids into t.hold, and their assets' nodes.
func (t *tracer) loadHoldings(ctx context.Context, ids []string, roles []Role) error {
	if t.hold == nil {
		t.hold = map[string][]*Edge{}
	}
	if len(ids) == 0 {
		return nil
	}
	es, err := t.src.Edges(ctx, ids, Out, roles)
	if err != nil {
		return err
	}
	var ends []string
	for i := range es {
		e := &es[i]
		t.hold[e.From] = append(t.hold[e.From], e)
		if _, ok := t.nodes[e.To]; !ok {
			t.nodes[e.To] = Node{ID: e.To}
			ends = append(ends, e.To)
		}
	}
	got, err := t.src.Nodes(ctx, ends)
	if err != nil {
		return err
	}
	for id, n := range got {
		t.nodes[id] = n
	}
	for _, id := range ids {
		sortEdges(t.hold[id])
	}
	return nil
}

// totals sums reaches by firm, in firm order.
func totals(rs []Reach) []FirmTotal {
	by := map[string]*FirmTotal{}
	var order []string
	flows := map[[2]string]bool{}
	for _, r := range rs {
		f := by[r.Firm.ID]
		if f == nil {
			f = &FirmTotal{Firm: r.Firm, ByChannel: map[string]float64{}}
			by[r.Firm.ID] = f
			order = append(order, r.Firm.ID)
		}
		if r.Record != "" && !contains(f.Records, r.Record) {
			f.Records = append(f.Records, r.Record)
		}
		f.Chains++
		last := r.Chain[len(r.Chain)-1]
		if !flows[[2]string{r.Firm.ID, last.ID}] {
			flows[[2]string{r.Firm.ID, last.ID}] = true
			f.Flows++
		}
		if r.Attributed != nil {
			f.Attributed += *r.Attributed
			f.ByChannel[r.Channel] += *r.Attributed
		} else if last.Amount != nil {
			f.Unconverted++
		} else if _, ok := f.ByChannel[r.Channel]; !ok {
			f.ByChannel[r.Channel] = 0
		}
	}
	out := make([]FirmTotal, 0, len(order))
	for _, id := range order {
		out = append(out, *by[id])
	}
	return out
}

// Round2 rounds to the fen, for reports.
func Round2(x float64) float64 { return math.Round(x*100) / 100 }
