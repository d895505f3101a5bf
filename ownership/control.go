package ownership

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Rule says how a controller was found.
type Rule uint8

// Rules of control, tried in this order.
const (
	RuleNone      Rule = iota // no controller
	RuleDisclosed             // a Control relation names the controller
	RuleMajority              // more than Options.Majority of the equity
	RuleLargest               // more than Options.Block, and certainly more than any other holder
)

var ruleNames = [...]string{"none", "disclosed", "majority", "largest holder"}

// String returns the rule in English: "disclosed", "majority", "largest holder".
func (r Rule) String() string {
	if int(r) < len(ruleNames) {
		return ruleNames[r]
	}
	return "none"
}

// Special values of ctrlState.top.
const (
	topNone  = -1 // the node has no controller
	topCycle = -2 // the chain of controllers runs into a loop
)

// ctrlState holds the controller of every node resolved so far. It is filled lazily,
// a node and its ancestors at a time, under View.mu.
type ctrlState struct {
	done    []bool
	parent  []int32 // the controller, or -1
	top     []int32 // the ultimate controller, topNone or topCycle
	rule    []Rule
	blockLo []float64 // the combined share of the controlling block, if more than one holder
	blockHi []float64
	blockN  []int32
	next    []float64 // the high bound of the largest other block, for the largest-holder rule
	mark    []uint32  // per-chase stamps
	epoch   uint32

	groups []block
	path   []int32
}

// block is the holders of a firm that share an ultimate controller (or one holder).
type block struct {
	key    int32
	lo, hi float64
	best   int32 // the largest holder in it
	bestLo float64
	bestHi float64
	n      int32
}

func (v *View) ctrlLocked() *ctrlState {
	if v.ctrl == nil {
		n := len(v.g.nodes)
		v.ctrl = &ctrlState{
			done: make([]bool, n), parent: make([]int32, n), top: make([]int32, n),
			rule: make([]Rule, n), blockLo: make([]float64, n), blockHi: make([]float64, n),
			blockN: make([]int32, n), next: make([]float64, n), mark: make([]uint32, n),
		}
	}
	return v.ctrl
}

// ctrlSucc is the graph of "may be controlled by": a node's holders and the
// disclosed controller that counts (the most recent), skipping nodes already
// resolved.
type ctrlSucc struct {
	v  *View
	cs *ctrlState
}

func (s ctrlSucc) deg(u int32) int32 {
	return s.v.in.start[u+1] - s.v.in.start[u] + min(1, int32(len(s.v.ctlIn.of(u))))
}

func (s ctrlSucc) at(u int32, i int32) int32 {
	var w int32
	if d := s.v.in.start[u+1] - s.v.in.start[u]; i < d {
		w = s.v.in.adj[s.v.in.start[u]+i]
	} else {
		w = s.v.g.controls[s.v.ctlIn.of(u)[0]].controller
	}
	if s.cs.done[w] {
		return -1
	}
	return w
}

// resolve finds the controllers of u and of all its unresolved ancestors. Components
// of the holding graph come out of tarjan holders first, so a node is decided when
// the ultimate controllers of its holders outside its own component are known; the
// holders inside it (cross-holdings) count as their own blocks.
func (v *View) resolve(u int32) {
	cs := v.ctrlLocked()
	if cs.done[u] {
		return
	}
	ws := v.workspace()
	defer v.release(ws)
	tarjan(ws, ctrlSucc{v, cs}, []int32{u}, func(members []int32) {
		for _, l := range members {
			v.decide(cs, ws.nodes[l])
		}
		for _, l := range members {
			v.chase(cs, ws.nodes[l])
		}
	})
}

// key is the block a holder belongs to: its ultimate controller, or itself.
func (cs *ctrlState) key(h int32) int32 {
	if cs.done[h] && cs.top[h] >= 0 {
		return cs.top[h]
	}
	return h
}

// decide sets the controller of u from its disclosed controllers and holders.
func (v *View) decide(cs *ctrlState, u int32) {
	cs.parent[u], cs.rule[u] = -1, RuleNone
	cs.blockLo[u], cs.blockHi[u], cs.blockN[u], cs.next[u] = 0, 0, 0, 0
	if c := v.ctlIn.of(u); len(c) > 0 {
		cs.parent[u], cs.rule[u] = v.g.controls[c[0]].controller, RuleDisclosed
		return
	}
	gs := cs.groups[:0]
	s, e := v.in.span(u)
	for p := s; p < e; p++ {
		h := v.in.adj[p]
		if h == u {
			continue // treasury shares confer no control
		}
		lo, hi := v.in.lo[p], v.in.hi[p]
		gs = append(gs, block{key: cs.key(h), lo: lo, hi: hi, best: h, bestLo: lo, bestHi: hi, n: 1})
	}
	if len(gs) == 0 {
		cs.groups = gs
		return
	}
	slices.SortFunc(gs, func(a, b block) int { return cmp.Compare(a.key, b.key) })
	// Merge the holders of each key into one block.
	w := 0
	for i := 0; i < len(gs); i++ {
		if w > 0 && gs[w-1].key == gs[i].key {
			b, h := &gs[w-1], gs[i]
			b.lo, b.hi, b.n = min(1, b.lo+h.lo), min(1, b.hi+h.hi), b.n+1
			if better(h.bestLo, h.bestHi, h.best, b.bestLo, b.bestHi, b.best) {
				b.best, b.bestLo, b.bestHi = h.best, h.bestLo, h.bestHi
			}
			continue
		}
		gs[w] = gs[i]
		w++
	}
	gs = gs[:w]
	top := 0
	for i := 1; i < len(gs); i++ {
		if better(gs[i].lo, gs[i].hi, gs[i].key, gs[top].lo, gs[top].hi, gs[top].key) {
			top = i
		}
	}
	next := 0.0
	for i := range gs {
		if i != top {
			next = max(next, gs[i].hi)
		}
	}
	b := gs[top]
	cs.groups = gs
	cs.next[u] = next
	switch {
	case b.lo > v.opt.Majority:
		cs.rule[u] = RuleMajority
	case b.lo > v.opt.Block && b.lo > next:
		cs.rule[u] = RuleLargest
	default:
		return
	}
	cs.parent[u] = b.best
	if b.n > 1 {
		cs.blockLo[u], cs.blockHi[u], cs.blockN[u] = b.lo, b.hi, b.n
	}
}

// better orders holders: the higher low bound, then the higher high bound, then the
// lower node number.
func better(lo1, hi1 float64, n1 int32, lo2, hi2 float64, n2 int32) bool {
	if lo1 != lo2 {
		return lo1 > lo2
	}
	if hi1 != hi2 {
		return hi1 > hi2
	}
	return n1 < n2
}

// chase sets the ultimate controller of u by following controllers up to a node
// already resolved, a node without a controller, or a loop.
func (v *View) chase(cs *ctrlState, u int32) {
	if cs.done[u] {
		return
	}
	cs.epoch++
	if cs.epoch == 0 {
		clear(cs.mark)
		cs.epoch = 1
	}
	path := cs.path[:0]
	x := u
	cycle := false
	for {
		if cs.done[x] {
			break
		}
		if cs.mark[x] == cs.epoch {
			cycle = true
			break
		}
		cs.mark[x] = cs.epoch
		path = append(path, x)
		if cs.parent[x] < 0 {
			break
		}
		x = cs.parent[x]
	}
	for i := len(path) - 1; i >= 0; i-- {
		y := path[i]
		p := cs.parent[y]
		switch {
		case cycle:
			cs.top[y] = topCycle
		case p < 0:
			cs.top[y] = topNone
		case cs.top[p] == topNone:
			cs.top[y] = p
		default:
			cs.top[y] = cs.top[p]
		}
		cs.done[y] = true
	}
	cs.path = path
}

// Link is one step of a chain of control: Controller controls Controlled.
type Link struct {
	Controller, Controlled         string
	ControllerName, ControlledName string
	Rule                           Rule
	// Share is Controller's direct share of Controlled, if HasShare.
	Share    Range
	HasShare bool
	// Block is the combined share of the holders under the same ultimate controller
	// when they, not the one holder, reached the threshold; BlockSize counts them.
	Block     Range
	BlockSize int
	// Role is the role of a disclosed controller (实际控制人, 控股股东, ...).
	Role string
	// Source is the provenance of the holding or control relation.
	Source string
	// Why is the rule applied, as text.
	Why string
}

// Chain is the chain of control above a node.
type Chain struct {
	Target, TargetName string
	// Ultimate is the ultimate controller: the top of the chain, a node with no
	// controller of its own. "" if Target has no controller or the chain loops.
	Ultimate, UltimateName string
	// Links run from the ultimate controller down to Target.
	Links []Link
	// Cycle reports a chain that runs into a loop of control (A controls B controls
	// A); it then has no ultimate controller.
	Cycle bool
}

// Controller returns the chain of control above target: each node's controller is
// the one a Control relation names (the most recent, if several), else the holder
// (or the holders under one ultimate controller together) with more than
// Options.Majority, else the largest such block with more than Options.Block that
// certainly holds more than any other, comparing low bounds with the others' high
// bounds. Unknown shares therefore never confer control.
func (v *View) Controller(target string) (Chain, error) {
	t, err := v.g.lookup(target)
	if err != nil {
		return Chain{}, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.resolve(t)
	return v.chain(t), nil
}

// chain builds the chain of t from the resolved controllers; v.mu is held.
func (v *View) chain(t int32) Chain {
	cs := v.ctrl
	c := Chain{Target: v.g.id(t), TargetName: v.g.name(t)}
	var links []Link
	seen := map[int32]bool{t: true}
	x := t
	for cs.parent[x] >= 0 {
		p := cs.parent[x]
		links = append(links, v.link(p, x))
		if seen[p] {
			break
		}
		seen[p] = true
		x = p
	}
	slices.Reverse(links)
	c.Links = links
	switch top := cs.top[t]; {
	case top == topCycle:
		c.Cycle = true
	case top >= 0:
		c.Ultimate, c.UltimateName = v.g.id(top), v.g.name(top)
	}
	return c
}

// link describes why p controls x.
func (v *View) link(p, x int32) Link {
	cs := v.ctrl
	l := Link{
		Controller: v.g.id(p), Controlled: v.g.id(x),
		ControllerName: v.g.name(p), ControlledName: v.g.name(x), Rule: cs.rule[x],
	}
	var edge int32
	l.Share, edge, l.HasShare = v.direct(p, x)
	if l.HasShare {
		l.Source = v.g.str(v.g.holdings[edge].source)
	}
	if cs.blockN[x] > 1 {
		l.Block, l.BlockSize = Range{cs.blockLo[x], cs.blockHi[x]}, int(cs.blockN[x])
	}
	var why strings.Builder
	switch l.Rule {
	case RuleDisclosed:
		c := &v.g.controls[v.ctlIn.of(x)[0]]
		l.Role, l.Source = v.g.str(c.role), v.g.str(c.source)
		why.WriteString("disclosed controller")
		if l.Role != "" {
			fmt.Fprintf(&why, " (%s)", l.Role)
		}
		if l.HasShare {
			fmt.Fprintf(&why, ", holds %s", l.Share)
		}
	case RuleMajority, RuleLargest:
		fmt.Fprintf(&why, "holds %s", l.Share)
		held := l.Share
		if l.BlockSize > 1 {
			top := cs.top[x]
			under := v.g.name(p)
			if top >= 0 {
				under = v.g.name(top)
			}
			others := "other holder"
			if l.BlockSize > 2 {
				others = "other holders"
			}
			fmt.Fprintf(&why, ", and %s with %d %s under %s", l.Block, l.BlockSize-1, others, under)
			held = l.Block
		}
		if l.Rule == RuleMajority {
			fmt.Fprintf(&why, ": %s is more than %s%%", pctRange(held), pct(v.opt.Majority))
		} else {
			fmt.Fprintf(&why, ": %s is more than %s%% and more than any other holder (at most %s%%)",
				pctRange(held), pct(v.opt.Block), pct(cs.next[x]))
		}
	}
	l.Why = why.String()
	return l
}

// pctRange is the low bound of r, which the rules compare, in percent.
func pctRange(r Range) string { return pct(r.Lo) + "%" }

// Member is a firm in a group.
type Member struct {
	ID, Name string
	// Parent is the member (or the head) that controls it; Depth counts the links
	// from the head.
	Parent string
	Depth  int
	Link   Link
}

// Group returns the firms that head controls on the view's day, directly or through
// the firms it controls: the nodes whose chain of control passes through head. The
// members come in breadth-first order, and by name within a level.
func (v *View) Group(head string) ([]Member, error) {
	h, err := v.g.lookup(head)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.resolve(h)
	cs := v.ctrl
	var out []Member
	inGroup := map[int32]int{h: 0}
	level := []int32{h}
	for depth := 1; len(level) > 0; depth++ {
		var next []int32
		for _, x := range level {
			try := func(c int32) {
				if _, ok := inGroup[c]; ok {
					return
				}
				v.resolve(c)
				if cs.parent[c] == x {
					inGroup[c] = depth
					next = append(next, c)
				}
			}
			s, e := v.out.span(x)
			for p := s; p < e; p++ {
				try(v.out.adj[p])
			}
			for _, i := range v.ctlOut.of(x) {
				try(v.g.controls[i].controlled)
			}
		}
		slices.SortFunc(next, func(a, b int32) int {
			return cmp.Or(cmp.Compare(v.g.name(a), v.g.name(b)), cmp.Compare(a, b))
		})
		for _, c := range next {
			out = append(out, Member{
				ID: v.g.id(c), Name: v.g.name(c), Parent: v.g.id(cs.parent[c]),
				Depth: depth, Link: v.link(cs.parent[c], c),
			})
		}
		level = next
	}
	return out, nil
}
