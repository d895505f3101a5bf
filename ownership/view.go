package ownership

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Options are the thresholds of control and classification. Shares are fractions.
type Options struct {
	// Majority: a holder (or the holders under one ultimate controller together) with
	// more than this share controls. 0.5, the 控股股东 of the Company Law (超过百分之五十).
	Majority float64
	// Block: short of a majority, the largest holder controls with more than this share
	// if it certainly holds more than any other. 0.3, after the 上市公司收购管理办法,
	// art. 84 (可以实际支配上市公司股份表决权超过30%).
	Block float64
	// Mixed: a firm the state does not control is mixed when the state's effective
	// share is at least this. 0.2, the cut-off for a significant block in La Porta,
	// Lopez-de-Silanes and Shleifer (1999).
	Mixed float64
}

// DefaultOptions returns the thresholds described on Options.
func DefaultOptions() Options { return Options{Majority: 0.5, Block: 0.3, Mixed: 0.2} }

// csr is an adjacency in compressed sparse rows: the edges of node u are
// adj[start[u]:start[u+1]], each with its share bounds and the number of a holding it
// came from.
type csr struct {
	start  []int32
	adj    []int32
	lo, hi []float64
	edge   []int32
}

func (c *csr) span(u int32) (int32, int32) { return c.start[u], c.start[u+1] }

// lists is an adjacency without weights: items of node u are item[start[u]:start[u+1]].
type lists struct {
	start []int32
	item  []int32 // an index into the graph's controls or positions
}

func (l *lists) of(u int32) []int32 { return l.item[l.start[u]:l.start[u+1]] }

// View is the graph on one day: the holdings valid then, each (owner, asset) pair once,
// as adjacency in both directions, with the controls and positions of the day. Every
// analysis is a method of View. A View is safe for concurrent use.
type View struct {
	g    *Graph
	date Date
	opt  Options
	in   csr // asset → owners, owners sorted by number
	out  csr // owner → assets
	// ctlIn lists the disclosed controllers of a node, the most recent first.
	ctlIn, ctlOut lists
	posOrg        lists // org → positions
	posPerson     lists // person → positions

	pool sync.Pool // *workspace

	mu   sync.Mutex
	ctrl *ctrlState

	analysis     *Analysis
	analysisOnce sync.Once
}

// Analysis returns the view's Analyze, computed on the first call and kept: a
// server that holds the view of the whole graph classifies a sector's firms from it
// without the few seconds of analysing the graph again.
func (v *View) Analysis() *Analysis {
	v.analysisOnce.Do(func() { v.analysis = v.Analyze() })
	return v.analysis
}

// At returns the graph on day d with DefaultOptions. The zero Date ignores the
// periods of edges and keeps them all.
func (g *Graph) At(d Date) *View { return g.View(d, DefaultOptions()) }

// View returns the graph on day d with the thresholds of o.
//
// Each (owner, asset) pair is one holding. When several edges of a pair are valid on
// d, the most recent wins (by Recorded, else From); several equally recent edges are
// restatements, by different sources, of one holding, and combine as the hull of
// their ranges (lowest low, highest high), never as a sum: two sources that agree
// change nothing, two that disagree widen the range. Separate tranches of one owner
// must be summed into one edge before they reach this package.
//
// The upper bound of each holding is then tightened by the other holders' lower bounds
// of the same asset: a holder cannot hold more than the others leave. So an unknown
// share beside a 60% holder is 0–40%.
func (g *Graph) View(d Date, o Options) *View {
	v := &View{g: g, date: d, opt: o}
	n := int32(len(g.nodes))
	v.buildHoldings(n)
	v.ctlIn, v.ctlOut = v.buildControls(n)
	v.posOrg, v.posPerson = v.buildPositions(n)
	return v
}

// Date returns the day of the view; zero if dates are ignored.
func (v *View) Date() Date { return v.date }

// Options returns the thresholds of the view.
func (v *View) Options() Options { return v.opt }

// Graph returns the graph the view was made from.
func (v *View) Graph() *Graph { return v.g }

func recency(record, from Date) Date {
	if record != 0 {
		return record
	}
	return from
}

func (v *View) buildHoldings(n int32) {
	v.in = v.buildIn(n)
	v.out = reverse(&v.in, n)
}

// buildIn makes the holdings valid on the view's day into the adjacency from each
// asset to its owners, deduplicated and tightened (see Graph.View).
func (v *View) buildIn(n int32) csr {
	g := v.g
	// Bucket the valid holdings by asset.
	count := make([]int32, n+1)
	valid := 0
	for i := range g.holdings {
		h := &g.holdings[i]
		if h.hi > 0 && validAt(v.date, h.from, h.to) {
			count[h.asset+1]++
			valid++
		}
	}
	for i := int32(1); i <= n; i++ {
		count[i] += count[i-1]
	}
	bucket := make([]int32, valid)
	next := slices.Clone(count[:n])
	for i := range g.holdings {
		h := &g.holdings[i]
		if h.hi > 0 && validAt(v.date, h.from, h.to) {
			bucket[next[h.asset]] = int32(i)
			next[h.asset]++
		}
	}

	in := csr{start: make([]int32, n+1), adj: make([]int32, 0, valid),
		lo: make([]float64, 0, valid), hi: make([]float64, 0, valid), edge: make([]int32, 0, valid)}
	for a := int32(0); a < n; a++ {
		b := bucket[count[a]:count[a+1]]
		if len(b) > 1 {
			slices.SortFunc(b, func(x, y int32) int {
				hx, hy := &g.holdings[x], &g.holdings[y]
				if c := cmp.Compare(hx.owner, hy.owner); c != 0 {
					return c
				}
				if c := cmp.Compare(recency(hy.record, hy.from), recency(hx.record, hx.from)); c != 0 {
					return c
				}
				return cmp.Compare(x, y)
			})
		}
		first := int32(len(in.adj))
		for i := 0; i < len(b); {
			h := &g.holdings[b[i]]
			lo, hi := h.lo, h.hi
			rec := recency(h.record, h.from)
			j := i + 1
			for ; j < len(b) && g.holdings[b[j]].owner == h.owner; j++ {
				o := &g.holdings[b[j]]
				if recency(o.record, o.from) == rec {
					lo, hi = math.Min(lo, o.lo), math.Max(hi, o.hi)
				}
			}
			in.adj = append(in.adj, h.owner)
			in.lo = append(in.lo, lo)
			in.hi = append(in.hi, hi)
			in.edge = append(in.edge, b[i])
			i = j
		}
		// Tighten the upper bounds by the other holders' lower bounds.
		sumLo := 0.0
		for e := first; e < int32(len(in.adj)); e++ {
			sumLo += in.lo[e]
		}
		for e := first; e < int32(len(in.adj)); e++ {
			if rest := 1 - (sumLo - in.lo[e]); rest < in.hi[e] {
				in.hi[e] = math.Max(in.lo[e], rest)
			}
		}
		in.start[a+1] = int32(len(in.adj))
	}
	return in
}

// reverse returns the edges of in by owner.
func reverse(in *csr, n int32) csr {
	m := len(in.adj)
	out := csr{start: make([]int32, n+1), adj: make([]int32, m),
		lo: make([]float64, m), hi: make([]float64, m), edge: make([]int32, m)}
	for _, o := range in.adj {
		out.start[o+1]++
	}
	for i := int32(1); i <= n; i++ {
		out.start[i] += out.start[i-1]
	}
	pos := slices.Clone(out.start[:n])
	for a := int32(0); a < n; a++ {
		for e := in.start[a]; e < in.start[a+1]; e++ {
			o := in.adj[e]
			p := pos[o]
			pos[o]++
			out.adj[p], out.lo[p], out.hi[p], out.edge[p] = a, in.lo[e], in.hi[e], in.edge[e]
		}
	}
	return out
}

// makeLists buckets the items 0..count-1 that keep returns true by key, each bucket
// sorted by less if it is not nil.
func makeLists(n int32, count int, key func(i int) int32, keep func(i int) bool, less func(a, b int32) int) lists {
	l := lists{start: make([]int32, n+1)}
	for i := 0; i < count; i++ {
		if keep(i) {
			l.start[key(i)+1]++
		}
	}
	for i := int32(1); i <= n; i++ {
		l.start[i] += l.start[i-1]
	}
	l.item = make([]int32, l.start[n])
	pos := slices.Clone(l.start[:n])
	for i := 0; i < count; i++ {
		if keep(i) {
			k := key(i)
			l.item[pos[k]] = int32(i)
			pos[k]++
		}
	}
	if less != nil {
		for u := int32(0); u < n; u++ {
			if s := l.of(u); len(s) > 1 {
				slices.SortFunc(s, less)
			}
		}
	}
	return l
}

func (v *View) buildControls(n int32) (in, out lists) {
	cs := v.g.controls
	keep := func(i int) bool { return validAt(v.date, cs[i].from, cs[i].to) }
	// The most recent first, then the lowest controller number, for a stable choice.
	less := func(a, b int32) int {
		ca, cb := &cs[a], &cs[b]
		if c := cmp.Compare(recency(cb.record, cb.from), recency(ca.record, ca.from)); c != 0 {
			return c
		}
		if c := cmp.Compare(ca.controller, cb.controller); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	in = makeLists(n, len(cs), func(i int) int32 { return cs[i].controlled }, keep, less)
	out = makeLists(n, len(cs), func(i int) int32 { return cs[i].controller }, keep, nil)
	return in, out
}

func (v *View) buildPositions(n int32) (byOrg, byPerson lists) {
	ps := v.g.positions
	keep := func(i int) bool { return validAt(v.date, ps[i].from, ps[i].to) }
	byOrg = makeLists(n, len(ps), func(i int) int32 { return ps[i].org }, keep, nil)
	byPerson = makeLists(n, len(ps), func(i int) int32 { return ps[i].person }, keep, nil)
	return byOrg, byPerson
}

// direct returns the share owner holds directly in asset on the view's day.
func (v *View) direct(owner, asset int32) (Range, int32, bool) {
	s, e := v.in.span(asset)
	adj := v.in.adj[s:e]
	i, ok := slices.BinarySearch(adj, owner)
	if !ok {
		return Range{}, -1, false
	}
	k := s + int32(i)
	return Range{v.in.lo[k], v.in.hi[k]}, v.in.edge[k], true
}
