package ownership

import "math"

// This file solves the look-through: for values that flow along the edges of the
// graph, multiplied by each edge's share,
//
//	x_v = b_v + Σ_{u→v} x_u·w(u→v),
//
// over the nodes reachable from the seeds b, where "absorbing" nodes receive a value
// but pass nothing on. The solution is x = b(I − W)^-1 = b(I + W + W² + ...): the sum
// over every walk. The solver runs once per bound, with all low shares and with all
// high shares; since shares are not negative, the results bound every combination of
// shares within the ranges.
//
// The nodes are split into strongly connected components (Tarjan) and solved in
// topological order, so an acyclic graph is one pass over its edges. A component with
// a cycle (cross-holdings) is solved as the linear system it is: exactly, by Gaussian
// elimination with partial pivoting, up to denseMax members; beyond that by
// Gauss-Seidel sweeps until no value moves by more than tolerance. Both give the
// series when the spectral radius ρ of the component's shares is below 1, which holds
// whenever some holder outside the component holds a share of some member and no
// member is more than 100% held. When ρ ≥ 1 (a closed loop of 100% holdings fed from
// outside, inconsistent data, or the high bounds of unknown shares around a cycle) the
// series diverges, elimination gives a negative solution or none, and the sweeps do
// not settle. What then depends on what the values are:
//
//   - Forwards (Down, and the state share from all state nodes), every value is an
//     effective share, at most 1 when no firm is more than 100% held. The component
//     is solved with x_v capped at 1, by capped sweeps that rise from 0 for a low
//     bound and fall from 1 for a high bound, so that wherever they stop they are still
//     bounds. Sums above 1 elsewhere are capped too.
//   - Backwards (Up, StateShare of one firm), the values at intermediate firms are
//     sums of walks into the target that may come back to the firm, which can exceed
//     1 legitimately (a firm holding 82% of itself multiplies its holders' claims by
//     5.6), so nothing is capped on the way and a diverging component is +Inf; only the
//     shares reported are capped at 1.
//
// Either way the values so obtained are flagged approximate.

const (
	denseMax  = 96    // components up to this size are solved by elimination
	tolerance = 1e-14 // Gauss-Seidel stops when no value moves by more than this
	maxSweeps = 5000  // and gives up after this many
	divergent = 1e12  // an uncapped sweep past this has diverged
)

// flow is the graph the values flow along: the ownership edges forwards (from a
// holder to what it holds) or backwards (from a firm to its holders), with one
// absorbing node or the state nodes absorbing.
type flow struct {
	c         *csr
	absorb    int32  // a node that passes nothing on, or -1
	absorbSet []bool // nodes that pass nothing on, or nil
	// bounded says every value is a share, at most 1: true forwards.
	bounded bool
}

func (f flow) absorbs(u int32) bool {
	return u == f.absorb || (f.absorbSet != nil && f.absorbSet[u])
}

func (f flow) deg(u int32) int32 {
	if f.absorbs(u) {
		return 0
	}
	return f.c.start[u+1] - f.c.start[u]
}

func (f flow) at(u int32, i int32) int32 { return f.c.adj[f.c.start[u]+i] }

// seed is a value that enters the flow at node: b_node in level k.
type seed struct {
	node   int32
	k      int
	lo, hi float64
}

// engine is one solve. Values are indexed (local*k + level)*2 + bound, bound 0 for
// the low and 1 for the high shares.
type engine struct {
	v      *View
	f      flow
	k      int
	ws     *workspace
	acc    []float64 // b plus what flowed in from earlier components
	x      []float64 // the solution
	approx []bool    // local → the value is approximate
	// approxIn marks nodes that received an approximate value from an earlier
	// component.
	approxIn []bool
	prob     sccProblem
}

func (v *View) newEngine(f flow, k int) *engine {
	return &engine{v: v, f: f, k: k, ws: v.workspace()}
}

func (e *engine) close() { e.v.release(e.ws) }

// run solves for the seeds.
func (e *engine) run(seeds []seed) {
	ws := e.ws
	roots := ws.i1[:0]
	for _, s := range seeds {
		roots = append(roots, s.node)
	}
	tarjan(ws, e.f, roots, nil)
	ws.i1 = roots[:0]
	m := len(ws.nodes) * e.k * 2
	e.acc = grow(ws.f1, m)
	e.x = grow(ws.f2, m)
	ws.f1, ws.f2 = e.acc, e.x
	flags := ws.b1[:0]
	for range ws.nodes {
		flags = append(flags, false, false)
	}
	ws.b1 = flags
	e.approx, e.approxIn = flags[:len(ws.nodes)], flags[len(ws.nodes):]
	for _, s := range seeds {
		i := (int(ws.seen(s.node))*e.k + s.k) * 2
		e.acc[i] += s.lo
		e.acc[i+1] += s.hi
	}
	for c := ws.ncomps() - 1; c >= 0; c-- {
		members := ws.component(c)
		e.solveComponent(members)
		e.push(members)
	}
}

// grow returns s resized to n zeros.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// value returns the solution at node u in level k capped at 1, and whether it is
// approximate.
func (e *engine) value(u int32, k int) (Range, bool) {
	l := e.ws.seen(u)
	if l < 0 {
		return Range{}, false
	}
	i := (int(l)*e.k + k) * 2
	return Range{min(1, e.x[i]), min(1, e.x[i+1])}, e.approx[l]
}

// push passes the values of a solved component on to the components after it.
func (e *engine) push(members []int32) {
	ws, c, k := e.ws, e.f.c, e.k
	comp := ws.comp[members[0]]
	for _, l := range members {
		u := ws.nodes[l]
		if e.f.absorbs(u) {
			continue
		}
		xs := e.x[int(l)*k*2 : (int(l)+1)*k*2]
		zero := true
		for _, x := range xs {
			if x != 0 {
				zero = false
				break
			}
		}
		if zero {
			continue
		}
		for p := c.start[u]; p < c.start[u+1]; p++ {
			lw := ws.local[c.adj[p]]
			if ws.comp[lw] == comp {
				continue
			}
			a := e.acc[int(lw)*k*2 : (int(lw)+1)*k*2]
			w := [2]float64{c.lo[p], c.hi[p]}
			for j := range a {
				if x, w := xs[j], w[j&1]; x != 0 && w != 0 {
					a[j] += x * w
				}
			}
			if e.approx[l] {
				e.approxIn[lw] = true
			}
		}
	}
}

// inexact reports whether any member received an approximate value.
func (e *engine) inexact(members []int32) bool {
	for _, l := range members {
		if e.approxIn[l] {
			return true
		}
	}
	return false
}

func (e *engine) solveComponent(members []int32) {
	ws, c, k := e.ws, e.f.c, e.k
	in := e.inexact(members)
	if len(members) == 1 {
		l := members[0]
		u := ws.nodes[l]
		var self [2]float64
		if !e.f.absorbs(u) {
			for p := c.start[u]; p < c.start[u+1]; p++ {
				if c.adj[p] == u {
					self = [2]float64{c.lo[p], c.hi[p]}
				}
			}
		}
		e.approx[l] = in
		i := int(l) * k * 2
		for j := 0; j < 2*k; j++ {
			var diverged bool
			e.x[i+j], diverged = selfLoop(e.acc[i+j], self[j&1], e.f.bounded)
			if diverged {
				e.approx[l] = true
			}
		}
		return
	}
	p := e.load(members)
	p.solve(-1)
	for i, l := range members {
		copy(e.x[int(l)*k*2:(int(l)+1)*k*2], p.x[i*k*2:(i+1)*k*2])
		e.approx[l] = in || p.diverged
	}
}

// selfLoop solves x = b + s·x for a node alone in its component, holding s of itself
// (treasury shares, which scale up the others' claims by 1/(1−s)): b/(1−s), capped
// at 1 if bounded. It reports whether the loop diverged. (Capping a sum above 1 is
// not reported: high bounds often add up to more than 1, and 1 is then still a bound.)
func selfLoop(b, s float64, bounded bool) (float64, bool) {
	switch {
	case b <= 0:
		return 0, false
	case s < 1:
		x := b
		if s > 0 {
			x = b / (1 - s)
		}
		if bounded {
			x = min(1, x)
		}
		return x, false
	case bounded:
		return 1, true
	}
	return math.Inf(1), true
}

type sccEdge struct {
	from, to int32 // value flows from → to
	lo, hi   float64
}

// sccProblem is the linear system of one strongly connected component:
// x_v = acc_v + Σ_{u→v internal} x_u·w, for k levels and two bounds.
type sccProblem struct {
	n, k     int
	bounded  bool
	edges    []sccEdge
	acc, x   []float64 // (i*k + level)*2 + bound
	diverged bool

	// scratch
	inStart []int32
	inFrom  []int32
	inW     [2][]float64
	mat     []float64
	perm    []int
	rhs     []float64
}

func (p *sccProblem) reset(n, k int, bounded bool) {
	p.n, p.k, p.bounded = n, k, bounded
	p.edges = p.edges[:0]
	p.acc = grow(p.acc, n*k*2)
	p.x = grow(p.x, n*k*2)
	p.diverged = false
}

// solve solves the component without member skip (-1 for none): that member and its
// edges are left out, and its values are 0. It sets p.diverged if any slot diverged.
func (p *sccProblem) solve(skip int32) {
	n, k := p.n, p.k
	p.diverged = false
	p.buildIn(skip)
	for b := 0; b < 2; b++ {
		var lu bool
		if n <= denseMax {
			lu = p.factor(b, skip)
		}
		for j := 0; j < k; j++ {
			slot := j*2 + b
			zero := true
			for i := 0; i < n; i++ {
				if int32(i) != skip && p.acc[i*k*2+slot] != 0 {
					zero = false
					break
				}
			}
			switch {
			case zero:
				p.fill(slot, skip, 0)
			case lu && p.solveLU(slot, skip):
			case n > denseMax && p.gaussSeidel(slot, b, skip, false):
			case p.bounded:
				p.diverged = true
				p.gaussSeidel(slot, b, skip, true)
			default:
				p.diverged = true
				p.fill(slot, skip, math.Inf(1))
			}
		}
	}
}

// fill sets every value of slot, but skip's, to x.
func (p *sccProblem) fill(slot int, skip int32, x float64) {
	for i := 0; i < p.n; i++ {
		p.x[i*p.k*2+slot] = x
	}
	if skip >= 0 {
		p.x[int(skip)*p.k*2+slot] = 0
	}
}

// buildIn makes the internal in-edges of each member, leaving out skip.
func (p *sccProblem) buildIn(skip int32) {
	n := p.n
	p.inStart = resize32(p.inStart, n+1)
	clear(p.inStart)
	for _, e := range p.edges {
		if e.from != skip && e.to != skip {
			p.inStart[e.to+1]++
		}
	}
	for i := 1; i <= n; i++ {
		p.inStart[i] += p.inStart[i-1]
	}
	m := int(p.inStart[n])
	p.inFrom = resize32(p.inFrom, m)
	p.inW[0] = grow(p.inW[0], m)
	p.inW[1] = grow(p.inW[1], m)
	pos := make([]int32, n)
	copy(pos, p.inStart[:n])
	for _, e := range p.edges {
		if e.from != skip && e.to != skip {
			q := pos[e.to]
			pos[e.to]++
			p.inFrom[q], p.inW[0][q], p.inW[1][q] = e.from, e.lo, e.hi
		}
	}
}

func resize32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// factor builds M = I − Wᵀ for bound b (with the skipped member's row and column
// replaced by the identity) and factors it in place, LU with partial pivoting. It
// reports false if M is singular.
func (p *sccProblem) factor(b int, skip int32) bool {
	n := p.n
	p.mat = grow(p.mat, n*n)
	a := p.mat
	for i := 0; i < n; i++ {
		a[i*n+i] = 1
	}
	for v := 0; v < n; v++ {
		if int32(v) == skip {
			continue
		}
		for q := p.inStart[v]; q < p.inStart[v+1]; q++ {
			a[v*n+int(p.inFrom[q])] -= p.inW[b][q]
		}
	}
	if cap(p.perm) < n {
		p.perm = make([]int, n)
	}
	p.perm = p.perm[:n]
	for i := range p.perm {
		p.perm[i] = i
	}
	for c := 0; c < n; c++ {
		piv, best := c, math.Abs(a[c*n+c])
		for r := c + 1; r < n; r++ {
			if v := math.Abs(a[r*n+c]); v > best {
				piv, best = r, v
			}
		}
		if best < 1e-13 {
			return false
		}
		if piv != c {
			for j := 0; j < n; j++ {
				a[c*n+j], a[piv*n+j] = a[piv*n+j], a[c*n+j]
			}
			p.perm[c], p.perm[piv] = p.perm[piv], p.perm[c]
		}
		d := a[c*n+c]
		for r := c + 1; r < n; r++ {
			f := a[r*n+c] / d
			if f == 0 {
				continue
			}
			a[r*n+c] = f
			for j := c + 1; j < n; j++ {
				a[r*n+j] -= f * a[c*n+j]
			}
		}
	}
	return true
}

// solveLU solves for one slot with the factors, and accepts the solution if it is a
// sum of walks: finite, not negative and, if bounded, at most 1. For an irreducible
// component a non-negative solution exists only when the spectral radius is below 1
// (Perron-Frobenius), and it is then the series.
func (p *sccProblem) solveLU(slot int, skip int32) bool {
	n, k, a := p.n, p.k, p.mat
	p.rhs = grow(p.rhs, n)
	y := p.rhs
	for i := 0; i < n; i++ {
		if r := p.perm[i]; int32(r) != skip {
			y[i] = p.acc[r*k*2+slot]
		}
	}
	for i := 0; i < n; i++ {
		s := y[i]
		for j := 0; j < i; j++ {
			s -= a[i*n+j] * y[j]
		}
		y[i] = s
	}
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for j := i + 1; j < n; j++ {
			s -= a[i*n+j] * y[j]
		}
		y[i] = s / a[i*n+i]
	}
	for i := 0; i < n; i++ {
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) || y[i] < -1e-12 || (p.bounded && y[i] > 1+1e-12) {
			return false
		}
	}
	for i := 0; i < n; i++ {
		x := max(0, y[i])
		if p.bounded {
			x = min(1, x)
		}
		p.x[i*k*2+slot] = x
	}
	return true
}

// gaussSeidel sweeps x_v = acc_v + Σ w·x_u for one slot. Uncapped, from 0, it reports
// false if it does not settle or a value passes 1 (if bounded) or divergent. Capped,
// it rises from 0 for a low bound and falls from 1 for a high bound, so it returns
// bounds wherever it stops.
func (p *sccProblem) gaussSeidel(slot, b int, skip int32, capped bool) bool {
	n, k := p.n, p.k
	start := 0.0
	if capped && b == 1 {
		start = 1
	}
	p.fill(slot, skip, start)
	limit := divergent
	if p.bounded {
		limit = 1 + 1e-9
	}
	w := p.inW[b]
	for sweep := 0; sweep < maxSweeps; sweep++ {
		delta := 0.0
		for v := 0; v < n; v++ {
			if int32(v) == skip {
				continue
			}
			s := p.acc[v*k*2+slot]
			for q := p.inStart[v]; q < p.inStart[v+1]; q++ {
				if w[q] != 0 {
					s += w[q] * p.x[int(p.inFrom[q])*k*2+slot]
				}
			}
			if capped {
				s = min(1, s)
			} else if !(s <= limit) {
				return false
			}
			old := &p.x[v*k*2+slot]
			if d := math.Abs(s - *old); d > delta {
				delta = d
			}
			*old = s
		}
		if delta <= tolerance {
			if !capped && p.bounded {
				for v := 0; v < n; v++ {
					p.x[v*k*2+slot] = min(1, p.x[v*k*2+slot])
				}
			}
			return true
		}
	}
	return capped
}
