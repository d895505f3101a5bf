package ownership

// workspace holds the scratch memory of one traversal: a map from node numbers to
// local numbers (by epoch stamps, so it is never cleared) and Tarjan's state. Views
// keep workspaces in a pool, so a query costs the part of the graph it touches, not
// the whole graph.
type workspace struct {
	stamp []uint32 // node → epoch it was reached in
	local []int32  // node → local number, valid if stamp == epoch
	epoch uint32

	nodes []int32 // local → node
	low   []int32 // local → Tarjan's low link; local numbers are DFS indexes
	comp  []int32 // local → component, -1 while on the stack

	stack  []int32
	frames []frame

	// Components in the order Tarjan finishes them: sinks first. Component c holds
	// members[compStart[c]:compStart[c+1]] (local numbers).
	compStart []int32
	members   []int32

	f1, f2 []float64
	i1     []int32
	b1     []bool
}

type frame struct {
	l int32 // local number
	i int32 // next successor to look at
}

func (v *View) workspace() *workspace {
	if ws, ok := v.pool.Get().(*workspace); ok {
		ws.reset()
		return ws
	}
	n := len(v.g.nodes)
	ws := &workspace{stamp: make([]uint32, n), local: make([]int32, n)}
	ws.reset()
	return ws
}

func (v *View) release(ws *workspace) { v.pool.Put(ws) }

func (ws *workspace) reset() {
	ws.epoch++
	if ws.epoch == 0 {
		clear(ws.stamp)
		ws.epoch = 1
	}
	ws.nodes = ws.nodes[:0]
	ws.low = ws.low[:0]
	ws.comp = ws.comp[:0]
	ws.stack = ws.stack[:0]
	ws.frames = ws.frames[:0]
	ws.compStart = append(ws.compStart[:0], 0)
	ws.members = ws.members[:0]
}

// seen returns the local number of node u, or -1 if it was not reached.
func (ws *workspace) seen(u int32) int32 {
	if ws.stamp[u] != ws.epoch {
		return -1
	}
	return ws.local[u]
}

func (ws *workspace) ncomps() int { return len(ws.compStart) - 1 }

func (ws *workspace) component(c int) []int32 {
	return ws.members[ws.compStart[c]:ws.compStart[c+1]]
}

// successors is a graph for tarjan: deg(u) successors of node u, at(u, i) the i-th or
// -1 to skip it.
type successors interface {
	deg(u int32) int32
	at(u int32, i int32) int32
}

// tarjan finds the strongly connected components of the part of the graph reachable
// from roots, without recursion, so chains millions long do not overflow the stack.
// It appends each component to ws as it is finished, sinks first, and calls emit, if
// not nil, with its members (local numbers). Roots already reached are skipped.
func tarjan[S successors](ws *workspace, s S, roots []int32, emit func(members []int32)) {
	push := func(u int32) {
		l := int32(len(ws.nodes))
		ws.stamp[u] = ws.epoch
		ws.local[u] = l
		ws.nodes = append(ws.nodes, u)
		ws.low = append(ws.low, l)
		ws.comp = append(ws.comp, -1)
		ws.stack = append(ws.stack, l)
		ws.frames = append(ws.frames, frame{l: l})
	}
	for _, r := range roots {
		if ws.seen(r) >= 0 {
			continue
		}
		push(r)
		for len(ws.frames) > 0 {
			f := &ws.frames[len(ws.frames)-1]
			u := ws.nodes[f.l]
			if f.i < s.deg(u) {
				w := s.at(u, f.i)
				f.i++
				if w < 0 {
					continue
				}
				lw := ws.seen(w)
				if lw < 0 {
					push(w)
				} else if ws.comp[lw] < 0 && lw < ws.low[f.l] {
					ws.low[f.l] = lw
				}
				continue
			}
			l := f.l
			ws.frames = ws.frames[:len(ws.frames)-1]
			if ws.low[l] == l {
				c := int32(ws.ncomps())
				start := len(ws.members)
				for {
					top := ws.stack[len(ws.stack)-1]
					ws.stack = ws.stack[:len(ws.stack)-1]
					ws.comp[top] = c
					ws.members = append(ws.members, top)
					if top == l {
						break
					}
				}
				ws.compStart = append(ws.compStart, int32(len(ws.members)))
				if emit != nil {
					emit(ws.members[start:])
				}
			}
			if k := len(ws.frames); k > 0 {
				if p := &ws.frames[k-1]; ws.low[l] < ws.low[p.l] {
					ws.low[p.l] = ws.low[l]
				}
			}
		}
	}
}
