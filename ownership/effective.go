package ownership

import (
	"cmp"
	"math"
	"slices"
)

// maxExactComponent is the largest cross-holding component in which Up computes each
// holder's share exactly, at one solve of the component per holder. In a larger one
// a holder's share is bounded instead (see Up).
const maxExactComponent = 200

// Stake is the share of one node in another, directly and looked through.
type Stake struct {
	ID   string
	Name string
	Kind Kind
	// Direct is the share held directly, if HasDirect.
	Direct    Range
	HasDirect bool
	// Effective is the look-through share: the sum over every chain of holdings.
	Effective Range
	// Approx marks bounds that are wider than the data allow: the shares around a
	// cycle add up to 100% or more, so the sums were capped, or the holder sits in a
	// cross-holding component larger than maxExactComponent.
	Approx bool
}

func (v *View) stake(u int32) Stake {
	n := v.g.node(u)
	return Stake{ID: n.ID, Name: n.name(), Kind: n.Kind}
}

func sortStakes(s []Stake) {
	slices.SortFunc(s, func(a, b Stake) int {
		if c := cmp.Compare(b.Effective.Hi, a.Effective.Hi); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Effective.Lo, a.Effective.Lo); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Down returns what holder owns, directly and through others: every node it reaches,
// with its effective share, largest first.
//
// The effective share of h in t is the sum, over every walk of holdings from h to t
// that does not come back to h, of the product of the shares along it (integrated
// ownership, with h treated as an outside owner; see the package documentation).
func (v *View) Down(holder string) ([]Stake, error) {
	h, err := v.g.lookup(holder)
	if err != nil {
		return nil, err
	}
	e := v.newEngine(flow{c: &v.out, absorb: h, bounded: true}, 1)
	defer e.close()
	var seeds []seed
	s, t := v.out.span(h)
	for p := s; p < t; p++ {
		seeds = append(seeds, seed{node: v.out.adj[p], lo: v.out.lo[p], hi: v.out.hi[p]})
	}
	e.run(seeds)
	out := make([]Stake, 0, len(e.ws.nodes))
	for _, u := range e.ws.nodes {
		if u == h {
			continue
		}
		st := v.stake(u)
		st.Effective, st.Approx = e.value(u, 0)
		st.Direct, _, st.HasDirect = v.direct(h, u)
		out = append(out, st)
	}
	sortStakes(out)
	return out, nil
}

// Up returns who owns target, directly and through others: every node that reaches
// it, with its effective share (as Down defines it), largest first. The holders with
// no holders of their own are the ultimate owners; when every holding of the firms on
// the way is recorded exactly, their shares add up to 1.
//
// Up sums the walks into target once, backwards. A holder inside a cross-holding
// component would count walks that come back to it, so for each such holder the
// component is solved again without it. In a component larger than maxExactComponent
// that is not done: a holder's low bound counts only the walks that leave the
// component at once, its high bound every walk, and it is flagged Approx.
func (v *View) Up(target string) ([]Stake, error) {
	t, err := v.g.lookup(target)
	if err != nil {
		return nil, err
	}
	e := v.newEngine(flow{c: &v.in, absorb: -1}, 1)
	defer e.close()
	var seeds []seed
	s, end := v.in.span(t)
	for p := s; p < end; p++ {
		seeds = append(seeds, seed{node: v.in.adj[p], lo: v.in.lo[p], hi: v.in.hi[p]})
	}
	e.run(seeds)
	ws := e.ws
	first := make([]float64, 2*len(ws.nodes)) // the walks that do not come back
	approx := make([]bool, len(ws.nodes))
	copy(approx, e.approx)
	for c := 0; c < ws.ncomps(); c++ {
		members := ws.component(c)
		if len(members) == 1 {
			// Alone in its component: the walks that leave at once are all the walks
			// that do not come back.
			l := members[0]
			first[2*l] = math.Min(1, e.acc[2*l])
			first[2*l+1] = math.Min(1, e.acc[2*l+1])
			approx[l] = e.approxIn[l]
			continue
		}
		if len(members) > maxExactComponent {
			for _, l := range members {
				first[2*l] = math.Min(1, e.acc[2*l])
				first[2*l+1] = min(1, e.x[2*l+1])
				approx[l] = true
			}
			continue
		}
		in := e.inexact(members)
		p := e.load(members)
		for i, l := range members {
			if ws.nodes[l] == t {
				continue
			}
			p.solve(int32(i))
			lo, hi := p.acc[2*i], p.acc[2*i+1]
			// Values flow from a firm to its holders: into i from the members it holds.
			for _, ed := range p.edges {
				if ed.to == int32(i) && ed.from != int32(i) {
					lo += mul(ed.lo, p.x[2*ed.from])
					hi += mul(ed.hi, p.x[2*ed.from+1])
				}
			}
			first[2*l], first[2*l+1] = math.Min(1, lo), math.Min(1, hi)
			approx[l] = in || p.diverged
		}
	}
	out := make([]Stake, 0, len(ws.nodes))
	for l, u := range ws.nodes {
		if u == t {
			continue
		}
		st := v.stake(u)
		st.Effective = Range{first[2*l], first[2*l+1]}
		st.Approx = approx[l]
		st.Direct, _, st.HasDirect = v.direct(u, t)
		out = append(out, st)
	}
	sortStakes(out)
	return out, nil
}

// load fills e.prob with the component of members (k levels), numbering members by
// their position, which it also stores in ws.low.
func (e *engine) load(members []int32) *sccProblem {
	ws, c, k := e.ws, e.f.c, e.k
	p := &e.prob
	p.reset(len(members), k, e.f.bounded)
	for i, l := range members {
		ws.low[l] = int32(i)
	}
	comp := ws.comp[members[0]]
	for i, l := range members {
		u := ws.nodes[l]
		copy(p.acc[i*k*2:(i+1)*k*2], e.acc[int(l)*k*2:(int(l)+1)*k*2])
		if e.f.absorbs(u) {
			continue
		}
		for q := c.start[u]; q < c.start[u+1]; q++ {
			lw := ws.local[c.adj[q]]
			if ws.comp[lw] == comp {
				p.edges = append(p.edges, sccEdge{int32(i), ws.low[lw], c.lo[q], c.hi[q]})
			}
		}
	}
	return p
}

// Effective returns the effective share of holder in target (see Down), and whether
// it is approximate.
func (v *View) Effective(holder, target string) (Range, bool, error) {
	if _, err := v.g.lookup(holder); err != nil {
		return Range{}, false, err
	}
	stakes, err := v.Up(target)
	if err != nil {
		return Range{}, false, err
	}
	for _, s := range stakes {
		if s.ID == holder {
			return s.Effective, s.Approx, nil
		}
	}
	return Range{}, false, nil
}

// StateShare is the share of a firm that the state holds, looked through, split by
// the level of the state nodes at the top of the chains.
type StateShare struct {
	Total   Range
	Central Range // through central bodies: 国务院国资委, ministries, 中央汇金, ...
	Local   Range // through provincial, municipal and county bodies
	Other   Range // through state nodes of unknown level
	Approx  bool
}

// levelSlot is the StateShare part of a state node: 0 central, 1 local, 2 other.
func levelSlot(l Level) int {
	switch {
	case l == LevelCentral:
		return 0
	case l.Local():
		return 1
	}
	return 2
}

func (s *StateShare) set(slot int, r Range) {
	switch slot {
	case 0:
		s.Central = r
	case 1:
		s.Local = r
	default:
		s.Other = r
	}
	s.Total = s.Central.add(s.Local).add(s.Other)
}

// StateShare returns the share of target held by the state: the effective shares of
// all state nodes (government bodies and nodes flagged State) together, counting each
// walk once, at the first state node on it, so a ministry's holding through a state
// fund is not counted twice. A state node's own state share is 100%.
func (v *View) StateShare(target string) (StateShare, error) {
	t, err := v.g.lookup(target)
	if err != nil {
		return StateShare{}, err
	}
	var out StateShare
	if v.g.state[t] {
		out.set(levelSlot(v.g.nodes[t].level), Exact(1))
		return out, nil
	}
	e := v.newEngine(flow{c: &v.in, absorb: -1, absorbSet: v.g.state}, 1)
	defer e.close()
	var seeds []seed
	s, end := v.in.span(t)
	for p := s; p < end; p++ {
		seeds = append(seeds, seed{node: v.in.adj[p], lo: v.in.lo[p], hi: v.in.hi[p]})
	}
	e.run(seeds)
	var parts [3]Range
	for l, u := range e.ws.nodes {
		if !v.g.state[u] || u == t {
			continue
		}
		r := Range{e.x[2*l], e.x[2*l+1]}
		j := levelSlot(v.g.nodes[u].level)
		parts[j] = parts[j].add(r)
		out.Approx = out.Approx || e.approx[l]
	}
	out.Central, out.Local, out.Other = parts[0], parts[1], parts[2]
	out.Total = parts[0].add(parts[1]).add(parts[2])
	return out, nil
}

// mul multiplies a share by a value that may be +Inf: no share times anything is 0.
func mul(w, x float64) float64 {
	if w == 0 || x == 0 {
		return 0
	}
	return w * x
}
