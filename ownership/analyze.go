package ownership

// Analysis is the look-through of the whole graph on one day: every node's state
// share, controller and class, computed in one pass each rather than one query per
// node.
type Analysis struct {
	v      *View
	state  []float64 // per node: central, local, other; low and high
	approx []bool
	class  []Class
}

// Analyze computes the state share, the ultimate controller and the class of every
// node. The state share is one forward solve from all state nodes at once (the state
// nodes absorbing, as StateShare defines it), in three parts by level; the
// controllers are resolved holders first. Its results agree with the per-node
// queries of the view.
func (v *View) Analyze() *Analysis {
	g := v.g
	n := len(g.nodes)
	a := &Analysis{v: v, state: make([]float64, 6*n), approx: make([]bool, n), class: make([]Class, n)}

	e := v.newEngine(flow{c: &v.out, absorb: -1, absorbSet: g.state, bounded: true}, 3)
	var seeds []seed
	for s := int32(0); s < int32(n); s++ {
		if !g.state[s] {
			continue
		}
		k := levelSlot(g.nodes[s].level)
		b, end := v.out.span(s)
		for p := b; p < end; p++ {
			seeds = append(seeds, seed{node: v.out.adj[p], k: k, lo: v.out.lo[p], hi: v.out.hi[p]})
		}
	}
	e.run(seeds)
	seeds = nil
	for l, u := range e.ws.nodes {
		if g.state[u] {
			continue
		}
		copy(a.state[6*u:6*u+6], e.x[6*l:6*l+6])
		a.approx[u] = e.approx[l]
	}
	for u := int32(0); u < int32(n); u++ {
		if g.state[u] {
			k := levelSlot(g.nodes[u].level)
			a.state[6*int(u)+2*k], a.state[6*int(u)+2*k+1] = 1, 1
		}
	}
	e.close()

	v.mu.Lock()
	defer v.mu.Unlock()
	for u := int32(0); u < int32(n); u++ {
		v.resolve(u)
	}
	for u := int32(0); u < int32(n); u++ {
		a.class[u] = v.classify(u, a.stateShare(u), false).Class
	}
	return a
}

func (a *Analysis) stateShare(u int32) StateShare {
	s := a.state[6*int(u) : 6*int(u)+6]
	out := StateShare{
		Central: Range{s[0], s[1]}, Local: Range{s[2], s[3]}, Other: Range{s[4], s[5]},
		Approx: a.approx[u],
	}
	out.Total = out.Central.add(out.Local).add(out.Other)
	return out
}

// StateShare returns the state share of the node with id.
func (a *Analysis) StateShare(id string) (StateShare, error) {
	u, err := a.v.g.lookup(id)
	if err != nil {
		return StateShare{}, err
	}
	return a.stateShare(u), nil
}

// Class returns the class of the node with id.
func (a *Analysis) Class(id string) (Class, error) {
	u, err := a.v.g.lookup(id)
	if err != nil {
		return 0, err
	}
	return a.class[u], nil
}

// Classify returns the class of the node with id with its rule and explanation.
func (a *Analysis) Classify(id string) (Classification, error) {
	u, err := a.v.g.lookup(id)
	if err != nil {
		return Classification{}, err
	}
	a.v.mu.Lock()
	defer a.v.mu.Unlock()
	return a.v.classify(u, a.stateShare(u), true), nil
}

// Counts returns how many nodes fall in each class.
func (a *Analysis) Counts() map[Class]int {
	out := map[Class]int{}
	for _, c := range a.class {
		out[c]++
	}
	return out
}

// View returns the view the analysis was made on.
func (a *Analysis) View() *View { return a.v }
