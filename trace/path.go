package trace

import (
	"context"
	"sort"

	"github.com/cipmap/cipmap"
)

// PathOptions narrow Paths.
type PathOptions struct {
	// Max is the most chains returned; 0 means 5.
	Max int
	// MaxLength is the most edges in a chain; 0 means 8.
	MaxLength int
	// MaxFrontier stops the search when one side has this many nodes to expand;
	// 0 means 200,000.
	MaxFrontier int
	// At keeps only edges valid on that day (see Options.At).
	At string
}

// Path is one chain of edges from A to B. Each edge keeps its own direction, so a
// chain may walk an edge backwards (from a firm up to its investor).
type Path struct {
	Nodes []Node  `json:"nodes"`
	Edges []*Edge `json:"edges"`
}

// link is how a node was reached in the search: by edge e from node prev.
type link struct {
	prev string
	e    *Edge
}

// Paths finds the shortest chains between a and b over the relations of roles
// (AllRoles for every relation), ignoring direction: a breadth-first search from both
// ends, one level at a time from the smaller side, that stops at the first level where
// they meet and returns up to opt.Max of the chains of that length.
func Paths(ctx context.Context, src Source, a, b string, roles []Role, opt PathOptions) ([]Path, error) {
	if opt.Max == 0 {
		opt.Max = 5
	}
	if opt.MaxLength == 0 {
		opt.MaxLength = 8
	}
	if opt.MaxFrontier == 0 {
		opt.MaxFrontier = 200_000
	}
	nodes, err := src.Nodes(ctx, []string{a, b})
	if err != nil {
		return nil, err
	}
	for _, id := range []string{a, b} {
		if _, ok := nodes[id]; !ok {
			return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no entity %q", id)
		}
	}
	if a == b {
		return []Path{{Nodes: []Node{nodes[a]}}}, nil
	}
	type side struct {
		dist     map[string]int
		parents  map[string][]link
		frontier []string
		depth    int
	}
	sa := &side{dist: map[string]int{a: 0}, parents: map[string][]link{}, frontier: []string{a}}
	sb := &side{dist: map[string]int{b: 0}, parents: map[string][]link{}, frontier: []string{b}}
	var meet []string
	for sa.depth+sb.depth < opt.MaxLength && len(sa.frontier) > 0 && len(sb.frontier) > 0 {
		s, o := sa, sb
		if len(sb.frontier) < len(sa.frontier) {
			s, o = sb, sa
		}
		if len(s.frontier) > opt.MaxFrontier {
			return nil, cipmap.Errorf(cipmap.EINVALID, "the search reached more than %d entities %d steps out without a chain; give a smaller --max-length or a less connected entity", opt.MaxFrontier, s.depth)
		}
		es, err := src.Edges(ctx, s.frontier, Both, roles)
		if err != nil {
			return nil, err
		}
		in := map[string]bool{}
		for _, id := range s.frontier {
			in[id] = true
		}
		var next []string
		for i := range es {
			e := &es[i]
			if !e.validAt(opt.At) {
				continue
			}
			for _, end := range [][2]string{{e.From, e.To}, {e.To, e.From}} {
				u, v := end[0], end[1]
				if !in[u] || u == v {
					continue
				}
				d, ok := s.dist[v]
				if !ok {
					s.dist[v] = s.depth + 1
					next = append(next, v)
					d = s.depth + 1
				}
				if d == s.depth+1 {
					s.parents[v] = append(s.parents[v], link{u, e})
				}
			}
		}
		s.depth++
		s.frontier = next
		best := -1
		for _, v := range next {
			if d, ok := o.dist[v]; ok && (best < 0 || d < best) {
				best = d
			}
		}
		if best >= 0 {
			for _, v := range next {
				if d, ok := o.dist[v]; ok && d == best {
					meet = append(meet, v)
				}
			}
			break
		}
	}
	if len(meet) == 0 {
		return nil, nil
	}
	sort.Strings(meet)
	// Chains: a → m from a's side, then m → b from b's side.
	var out []Path
	for _, m := range meet {
		for _, pre := range walks(sa.parents, a, m, opt.Max) {
			for _, suf := range walks(sb.parents, b, m, opt.Max) {
				if len(out) >= opt.Max {
					break
				}
				p := append([]link(nil), pre...)
				for i := len(suf) - 1; i >= 0; i-- {
					p = append(p, suf[i])
				}
				out = append(out, Path{Edges: edgesOf(p)})
			}
		}
	}
	// Name the nodes.
	var ids []string
	for _, p := range out {
		for _, e := range p.Edges {
			ids = append(ids, e.From, e.To)
		}
	}
	named, err := src.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		cur := a
		out[i].Nodes = []Node{named[a]}
		for _, e := range out[i].Edges {
			nxt := e.To
			if e.To == cur {
				nxt = e.From
			}
			n, ok := named[nxt]
			if !ok {
				n = Node{ID: nxt}
			}
			out[i].Nodes = append(out[i].Nodes, n)
			cur = nxt
		}
	}
	return out, nil
}

// walks returns up to max chains from root to v along parents, each as the links
// root → ... → v in order.
func walks(parents map[string][]link, root, v string, max int) [][]link {
	if v == root {
		return [][]link{nil}
	}
	var out [][]link
	for _, l := range parents[v] {
		for _, w := range walks(parents, root, l.prev, max) {
			if len(out) >= max {
				return out
			}
			out = append(out, append(w, l))
		}
	}
	return out
}

func edgesOf(ls []link) []*Edge {
	out := make([]*Edge, len(ls))
	for i, l := range ls {
		out[i] = l.e
	}
	return out
}
