package taxonomy

import (
	"math"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
)

// Methods by which a code without crosswalk edges of its own is converted at a step
// (Route.Method).
const (
	// ViaDescendants: the code is an aggregate of the codes under it; its mass is
	// spread over its leaf codes in equal shares and each leaf converts through its
	// nearest ancestor-or-self under the code that has edges (an HS heading through
	// its subheadings, a GB/T 4754 division through its classes).
	ViaDescendants = "descendants"
	// ViaAncestor: the code converts as its nearest ancestor with edges does (an
	// HS 2017 subheading that HS combined lacks, through its heading; an IPC
	// subgroup that the SEI table does not list, through its group).
	ViaAncestor = "ancestor"
	// Unmapped: neither the code, its descendants nor its ancestors have edges, or
	// the source says the code has no counterpart; its mass is lost (Result.Unmapped).
	Unmapped = "unmapped"
)

// Result is the conversion of one code from one code system to another.
type Result struct {
	From  string       `json:"from"`  // source system
	To    string       `json:"to"`    // target system
	Input string       `json:"input"` // the code as given
	Code  string       `json:"code"`  // the code normalised
	Name  cipmap.Label `json:"name"`  // the name of the source code
	// Path lists the systems passed through, From first and To last.
	Path []string `json:"path"`
	// Best is the target with the largest weight (ties: the smallest code).
	Best Target `json:"best"`
	// Distribution holds every target code reached, largest weight first; the
	// weights sum to 1 - Unmapped.
	Distribution []Target `json:"distribution"`
	// Unmapped is the share of the code's mass that reached no target code.
	Unmapped float64 `json:"unmapped"`
	// Steps says, for each pair of consecutive systems of Path, what was done for
	// the codes that had no direct edges and how much mass was lost.
	Steps []Step `json:"steps"`
	// Err is set by ConvertMany for a code it could not convert (an invalid code);
	// Unmapped is then 1.
	Err error `json:"-"`
	// Error is Err's message, for JSON.
	Error string `json:"error,omitempty"`
}

// Target is one target code with its share of the source code's mass.
type Target struct {
	Code   string       `json:"code"`
	Name   cipmap.Label `json:"name"`
	Weight float64      `json:"weight"`
	// Partial: some of the mass reached the code over an edge that covers only part
	// of its source code (SEI 2018's *, ISIC's partial flags).
	Partial bool `json:"partial,omitempty"`
}

// Step is one hop of a conversion, from one system to the next.
type Step struct {
	From     string  `json:"from"`
	To       string  `json:"to"`
	Routes   []Route `json:"routes,omitempty"` // codes converted otherwise than by their own edges
	Unmapped float64 `json:"unmapped"`         // mass lost at this step
}

// Route says how a code without direct edges was converted at a step.
type Route struct {
	Code   string `json:"code"`
	Method string `json:"method"` // ViaDescendants, ViaAncestor or Unmapped
	// Via lists the codes whose edges were used (at most 10; ViaCount says how many).
	Via      []string `json:"via,omitempty"`
	ViaCount int      `json:"via_count,omitempty"`
	// Mass is the share of the input's mass that took this route.
	Mass float64 `json:"mass"`
}

// step is how one code converts over one link, cached per link.
type step struct {
	edges    []edge // weights sum to 1; to == "" is unmapped mass
	method   string // "" for the code's own edges
	via      []string
	viaCount int
}

const maxVia = 10

// resolve returns how code of system s converts over link l.
func (r *Registry) resolve(l *link, s *system, code string) *step {
	if v, ok := l.cache.Load(code); ok {
		return v.(*step)
	}
	st := r.computeStep(l, s, code)
	l.cache.Store(code, st)
	return st
}

func (r *Registry) computeStep(l *link, s *system, code string) *step {
	if es := l.direct(code); len(es) > 0 {
		st := &step{edges: shares(es)}
		if allUnmapped(st.edges) {
			st.method = Unmapped // the source says the code has no counterpart
		}
		return st
	}
	if i, ok := s.index[code]; ok && len(s.nodes[i].children) > 0 {
		if st := descend(l, s, i); st != nil {
			return st
		}
	}
	for p := s.parentOf(code); p != ""; p = s.parentOf(p) {
		if es := l.direct(p); len(es) > 0 {
			return &step{edges: shares(es), method: ViaAncestor, via: []string{p}, viaCount: 1}
		}
	}
	return &step{edges: []edge{{to: "", w: 1}}, method: Unmapped}
}

func allUnmapped(es []edge) bool {
	for _, e := range es {
		if e.to != "" {
			return false
		}
	}
	return true
}

// shares copies edges with weights scaled to sum to 1.
func shares(es []edge) []edge {
	out := make([]edge, len(es))
	copy(out, es)
	sum := 0.0
	for _, e := range out {
		sum += e.w
	}
	for i := range out {
		if sum > 0 {
			out[i].w /= sum
		} else {
			out[i].w = 1 / float64(len(out))
		}
	}
	return out
}

// descend converts node i through the codes under it: equal mass per leaf, each
// leaf through its nearest ancestor-or-self below i that has edges. It returns nil
// if no code below i has edges.
func descend(l *link, s *system, i int32) *step {
	leaves := s.leafCounts()
	total := float64(leaves[i])
	acc := map[string]*edge{}
	var order []string
	var via []string
	viaCount := 0
	lost := 0.0
	var walk func(j int32)
	walk = func(j int32) {
		for _, c := range s.nodes[j].children {
			cc := s.nodes[c].code.Code
			if es := l.direct(cc); len(es) > 0 {
				share := float64(leaves[c]) / total
				viaCount++
				if len(via) < maxVia {
					via = append(via, cc)
				}
				for _, e := range shares(es) {
					a := acc[e.to]
					if a == nil {
						a = &edge{to: e.to}
						acc[e.to] = a
						order = append(order, e.to)
					}
					a.w += share * e.w
					a.partial = a.partial || e.partial
				}
				continue
			}
			if len(s.nodes[c].children) > 0 {
				walk(c)
				continue
			}
			lost += 1 / total
		}
	}
	walk(i)
	if viaCount == 0 {
		return nil
	}
	sort.Strings(order)
	st := &step{method: ViaDescendants, via: via, viaCount: viaCount}
	for _, to := range order {
		st.edges = append(st.edges, *acc[to])
	}
	if lost > 0 {
		st.edges = append(st.edges, edge{to: "", w: lost})
	}
	return st
}

// Convert converts a code of system from to system to. The code is normalised
// first ("8504.40" → "850440"); an unknown code is an EINVALID error naming the
// system and the nearest valid codes. The conversion goes over the shortest chain
// of systems linked by crosswalks (a direct crosswalk if there is one; ties are
// broken by the order in which systems were registered), multiplying the weights
// along the way; Result.Path names the chain. A code without edges of its own
// converts through the codes under it or its nearest ancestor with edges, and
// Result.Steps says so.
func (r *Registry) Convert(from, code, to string) (*Result, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	fs, err := r.system(from)
	if err != nil {
		return nil, err
	}
	if _, err := r.system(to); err != nil {
		return nil, err
	}
	c, err := r.resolveCode(fs, code)
	if err != nil {
		return nil, err
	}
	path, err := r.path(from, to)
	if err != nil {
		return nil, err
	}
	return r.convert(path, code, c), nil
}

// ConvertPath converts a code along a chain of systems given by the caller, such as
// [hs2022 hs2017 hscombined isic3 isic31 isic4], instead of the shortest one.
func (r *Registry) ConvertPath(path []string, code string) (*Result, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(path) < 1 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "empty conversion path")
	}
	for i, id := range path {
		if _, err := r.system(id); err != nil {
			return nil, err
		}
		if i > 0 {
			l := r.links[[2]string{path[i-1], id}]
			if l == nil {
				return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no crosswalk from %s to %s", path[i-1], id)
			}
			if err := l.ready(); err != nil {
				return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "load %s → %s", path[i-1], id)
			}
		}
	}
	c, err := r.resolveCode(r.systems[path[0]], code)
	if err != nil {
		return nil, err
	}
	return r.convert(path, code, c), nil
}

// ConvertMany converts many codes of one system to another, converting each
// distinct code once; equal inputs share one *Result, which callers must not
// modify. An invalid code does not stop the batch: its Result has Err set and
// Unmapped 1. The error is for the systems (unknown, or not linked).
func (r *Registry) ConvertMany(from, to string, codes []string) ([]*Result, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	path, err := r.path(from, to)
	if err != nil {
		return nil, err
	}
	s := r.systems[from]
	byInput := make(map[string]*Result)
	byCode := make(map[string]*Result)
	out := make([]*Result, len(codes))
	for i, in := range codes {
		if res, ok := byInput[in]; ok {
			out[i] = res
			continue
		}
		var res *Result
		c, err := r.resolveCode(s, in)
		switch {
		case err != nil:
			res = &Result{From: from, To: to, Input: in, Path: path, Unmapped: 1, Err: err, Error: err.Error(), Distribution: []Target{}}
		case byCode[c] != nil:
			cp := *byCode[c]
			cp.Input = in
			res = &cp
		default:
			res = r.convert(path, in, c)
			byCode[c] = res
		}
		byInput[in] = res
		out[i] = res
	}
	return out, nil
}

type mass struct {
	code    string
	w       float64
	partial bool
}

// convert converts a normalised code along path. Callers hold r.mu.
func (r *Registry) convert(path []string, input, code string) *Result {
	res := &Result{From: path[0], To: path[len(path)-1], Input: input, Code: code, Path: path}
	res.Name = r.name(path[0], code)
	dist := []mass{{code: code, w: 1}}
	for h := 0; h+1 < len(path); h++ {
		a, b := path[h], path[h+1]
		l, s := r.links[[2]string{a, b}], r.systems[a]
		st := Step{From: a, To: b}
		next := make(map[string]*mass, len(dist))
		for _, x := range dist {
			sp := r.resolve(l, s, x.code)
			if sp.method != "" {
				st.Routes = append(st.Routes, Route{Code: x.code, Method: sp.method, Via: sp.via, ViaCount: sp.viaCount, Mass: x.w})
			}
			for _, e := range sp.edges {
				m := x.w * e.w
				if e.to == "" {
					st.Unmapped += m
					continue
				}
				n := next[e.to]
				if n == nil {
					n = &mass{code: e.to}
					next[e.to] = n
				}
				n.w += m
				n.partial = n.partial || x.partial || e.partial
			}
		}
		dist = dist[:0:0]
		for _, n := range next {
			dist = append(dist, *n)
		}
		sort.Slice(dist, func(i, j int) bool { return dist[i].code < dist[j].code })
		res.Unmapped += st.Unmapped
		res.Steps = append(res.Steps, st)
	}
	sort.SliceStable(dist, func(i, j int) bool { return dist[i].w > dist[j].w })
	res.Distribution = make([]Target, len(dist))
	for i, x := range dist {
		res.Distribution[i] = Target{Code: x.code, Name: r.name(res.To, x.code), Weight: x.w, Partial: x.partial}
	}
	if len(res.Distribution) > 0 {
		res.Best = res.Distribution[0]
	}
	if res.Unmapped < 1e-12 {
		res.Unmapped = 0
	}
	res.Unmapped = math.Min(res.Unmapped, 1)
	return res
}

// name returns the name of a code, or nothing for a code the system lacks.
func (r *Registry) name(sys, code string) cipmap.Label {
	s := r.systems[sys]
	if s == nil {
		return cipmap.Label{}
	}
	if i, ok := s.index[code]; ok {
		return s.nodes[i].code.Name
	}
	return cipmap.Label{}
}

// Path returns the chain of systems that Convert uses from one system to another.
func (r *Registry) Path(from, to string) ([]string, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, err := r.path(from, to)
	return append([]string(nil), p...), err
}

// path finds the shortest chain of linked systems by breadth-first search; among
// chains of equal length the one through earlier-registered systems wins. Callers
// hold r.mu (read).
func (r *Registry) path(from, to string) ([]string, error) {
	if _, err := r.system(from); err != nil {
		return nil, err
	}
	if _, err := r.system(to); err != nil {
		return nil, err
	}
	k := [2]string{from, to}
	r.pathMu.Lock()
	p, ok := r.paths[k]
	r.pathMu.Unlock()
	if ok {
		return p, nil
	}
	if from == to {
		p = []string{from}
	} else {
		adj := map[string][]string{}
		for lk, l := range r.links {
			if l.lazy != nil || len(l.edges) > 0 || l.rule != nil {
				adj[lk[0]] = append(adj[lk[0]], lk[1])
			}
		}
		for _, ns := range adj {
			sort.Slice(ns, func(i, j int) bool { return r.systems[ns[i]].rank < r.systems[ns[j]].rank })
		}
		prev := map[string]string{from: ""}
		queue := []string{from}
		for len(queue) > 0 && prev[to] == "" {
			cur := queue[0]
			queue = queue[1:]
			for _, n := range adj[cur] {
				if _, seen := prev[n]; !seen {
					prev[n] = cur
					queue = append(queue, n)
				}
			}
		}
		if _, ok := prev[to]; !ok {
			return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no chain of crosswalks leads from %s to %s (systems linked to %s: %s)", from, to, from, strings.Join(adj[from], ", "))
		}
		for c := to; c != ""; c = prev[c] {
			p = append(p, c)
		}
		for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
	}
	r.pathMu.Lock()
	r.paths[k] = p
	r.pathMu.Unlock()
	return p, nil
}
