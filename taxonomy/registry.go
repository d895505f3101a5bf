package taxonomy

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cipmap/cipmap"
)

// WeightStructural is the weight type of crosswalk edges whose weights come from the
// shape of a table rather than from data about sizes. For an unweighted table (the
// HS, GB/T 4754 and ISIC version tables, WITS, GB 2002 → ISIC Rev.3), each code of
// the target system is taken to be equally large and to draw equally on each code
// that links to it, so a source code's share going to a target is proportional to
// 1 / (number of codes linking to that target). For a derived reverse of a weighted
// table (SEI, imports with weights, the CTT), each source code is taken to be
// equally large, so a target's mass goes back to its sources in proportion to the
// forward shares. Where all of a code's shares come out equal, its edges say
// cipmap.WeightEqual instead. Unlike plain equal shares, this keeps HS 2017 854231
// (processors) going 99.4% to HS 2022 854231 rather than one seventh of it to each
// of the new e-waste subheadings 8549xx, which draw on a thousand HS 2017 codes each.
const WeightStructural = "structural"

// Registry holds code systems, their codes and the crosswalk edges between them, and
// converts codes from one system to another (Convert). It is safe for concurrent
// use; AddSystem, AddEdges and ImportFile may be called while conversions run.
type Registry struct {
	mu      sync.RWMutex
	systems map[string]*system
	order   []string // system ids in registration order: BFS tie-breaks follow it
	links   map[[2]string]*link

	dataMu sync.Mutex // guards metas and notes, which lazy loading adds to
	metas  []*edgeMeta
	notes  []string

	pathMu sync.Mutex // guards paths, which readers of mu fill
	paths  map[[2]string][]string
}

// system is one code system with its codes as a forest.
type system struct {
	info  cipmap.CodeSystem
	rank  int // position in Registry.order
	kind  kind
	nodes []node
	index map[string]int32
	roots []int32

	leavesOnce sync.Once
	leaves     []int32 // number of leaf codes under each node (1 for a leaf)

	// lazy, if set, fills nodes, index and roots on first use (see ready).
	lazy *lazyGroup
}

// lazyGroup loads a group of systems and links on first use. The systems and links
// are registered up front as placeholders; fill fills them in.
type lazyGroup struct {
	once sync.Once
	fill func() error
	err  error
}

func (g *lazyGroup) do() error {
	g.once.Do(func() { g.err = g.fill() })
	return g.err
}

// ready loads a lazily registered system.
func (s *system) ready() error {
	if s.lazy == nil {
		return nil
	}
	return s.lazy.do()
}

// ready loads a lazily registered link.
func (l *link) ready() error {
	if l == nil || l.lazy == nil {
		return nil
	}
	return l.lazy.do()
}

type node struct {
	code     cipmap.Code
	parent   int32 // -1 for a root
	children []int32
}

// edge is one directed crosswalk edge as stored. to == "" is an explicit "no
// counterpart" (ISIC Rev.3.1 9600 → n/a): its weight is unmapped mass.
type edge struct {
	to      string
	w       float64
	partial bool
	meta    *edgeMeta
}

type edgeMeta struct {
	weightType string
	source     string
	validFrom  string
	validTo    string
	sampleSize int
}

// link holds the edges from one system to another.
type link struct {
	from, to string
	edges    map[string][]edge
	// rule computes edges for codes (IPC → WIPO fields from the table's patterns);
	// it is consulted when edges holds nothing for a code.
	rule func(code string) []edge
	// explicit is false for a link derived as the reverse of another; adding edges
	// to it replaces the derived ones.
	explicit bool
	// lazy, if set, fills edges and rule on first use (see ready).
	lazy *lazyGroup
	// weighted: the edges carry weights of their own (AddEdges, ImportFile with a
	// weight column, SEI's equal shares), so a derived reverse is proportional to
	// them; otherwise both directions get structural weights.
	weighted bool

	cache sync.Map // code → *step
}

func (l *link) direct(code string) []edge {
	if es := l.edges[code]; len(es) > 0 {
		return es
	}
	if l.rule != nil {
		return l.rule(code)
	}
	return nil
}

// New returns an empty registry. Most callers want Default.
func New() *Registry {
	return &Registry{
		systems: map[string]*system{},
		links:   map[[2]string]*link{},
		paths:   map[[2]string][]string{},
	}
}

var (
	defaultOnce sync.Once
	defaultReg  *Registry
	defaultErr  error
)

// Default returns the registry of the built-in code systems and crosswalks (see the
// package documentation), loaded from package refdata on first use and shared by
// all callers afterwards. Systems registered on it later (the CTT, imported
// crosswalks) are seen by every user of Default; call Load for a private copy.
func Default() (*Registry, error) {
	defaultOnce.Do(func() { defaultReg, defaultErr = Load() })
	return defaultReg, defaultErr
}

// AddSystem registers a code system with its codes, or adds codes to a system
// already registered (sys.ID names it; its other fields then update the system's
// description where they are set). A code's Parent must be a code of the system,
// given before or in the same call; Level 0 is computed from the depth of the code.
// This is the hook through which the CTT is registered as system "ctt".
func (r *Registry) AddSystem(sys cipmap.CodeSystem, codes []cipmap.Code) error {
	if strings.TrimSpace(sys.ID) == "" {
		return cipmap.Errorf(cipmap.EINVALID, "code system without an id")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.systems[sys.ID]
	if s == nil {
		s = r.newSystem(sys, kindOf(sys.ID))
	} else {
		if err := s.ready(); err != nil {
			return cipmap.WrapError(cipmap.EINTERNAL, err, "load %s", sys.ID)
		}
		mergeInfo(&s.info, sys)
	}
	for i, c := range codes {
		if c.System != "" && c.System != sys.ID {
			return cipmap.Errorf(cipmap.EINVALID, "%s: code %d (%q) says system %q", sys.ID, i+1, c.Code, c.System)
		}
		if strings.TrimSpace(c.Code) == "" {
			return cipmap.Errorf(cipmap.EINVALID, "%s: code %d is empty", sys.ID, i+1)
		}
	}
	for _, c := range codes {
		c.System = sys.ID
		s.put(c)
	}
	for _, c := range codes {
		if c.Parent == "" {
			continue
		}
		if _, ok := s.index[c.Parent]; !ok {
			return cipmap.Errorf(cipmap.EINVALID, "%s: code %q has parent %q, which is not a code of the system", sys.ID, c.Code, c.Parent)
		}
	}
	s.finish(false)
	r.invalidate()
	return nil
}

func mergeInfo(dst *cipmap.CodeSystem, src cipmap.CodeSystem) {
	if src.Name != (cipmap.Label{}) {
		dst.Name = src.Name
	}
	if src.Version != "" {
		dst.Version = src.Version
	}
	if src.Source != "" {
		dst.Source = src.Source
	}
	if src.Licence != "" {
		dst.Licence = src.Licence
	}
	if len(src.Levels) > 0 {
		dst.Levels = src.Levels
	}
}

func (r *Registry) newSystem(info cipmap.CodeSystem, k kind) *system {
	s := &system{info: info, kind: k, index: map[string]int32{}, rank: len(r.order)}
	r.systems[info.ID] = s
	r.order = append(r.order, info.ID)
	return s
}

// put adds a code or fills in the empty fields of a code already there.
func (s *system) put(c cipmap.Code) int32 {
	if i, ok := s.index[c.Code]; ok {
		n := &s.nodes[i].code
		if n.Parent == "" {
			n.Parent = c.Parent
		}
		if n.Level == 0 {
			n.Level = c.Level
		}
		if n.Name.ZH == "" {
			n.Name.ZH = c.Name.ZH
		}
		if n.Name.EN == "" {
			n.Name.EN = c.Name.EN
		}
		if n.Note == "" {
			n.Note = c.Note
		}
		return i
	}
	i := int32(len(s.nodes))
	s.nodes = append(s.nodes, node{code: c, parent: -1})
	s.index[c.Code] = i
	return i
}

// finish links parents and children. With implyParents, a parent code that is not
// in the system is created from the system's code structure (an HS heading for a
// subheading, an IPC main group for a subgroup); otherwise it is left a root.
func (s *system) finish(implyParents bool) {
	if implyParents {
		for i := 0; i < len(s.nodes); i++ { // s.nodes grows while we go
			c := s.nodes[i].code
			p := c.Parent
			if p == "" {
				continue
			}
			if _, ok := s.index[p]; !ok {
				s.put(cipmap.Code{System: c.System, Code: p, Parent: structuralParent(s.kind, p)})
			}
		}
	}
	s.roots = s.roots[:0]
	count := make([]int32, len(s.nodes))
	for i := range s.nodes {
		s.nodes[i].parent = -1
		p := s.nodes[i].code.Parent
		if p == "" {
			continue
		}
		if pi, ok := s.index[p]; ok && int(pi) != i {
			s.nodes[i].parent = pi
			count[pi]++
		} else {
			s.nodes[i].code.Parent = ""
		}
	}
	// All children lists share one backing array.
	backing := make([]int32, len(s.nodes))
	off := int32(0)
	for i := range s.nodes {
		s.nodes[i].children = backing[off : off : off+count[i]]
		off += count[i]
	}
	for i := range s.nodes {
		if pi := s.nodes[i].parent; pi >= 0 {
			s.nodes[pi].children = append(s.nodes[pi].children, int32(i))
		} else {
			s.roots = append(s.roots, int32(i))
		}
	}
	byCode := func(a, b int32) int { return strings.Compare(s.nodes[a].code.Code, s.nodes[b].code.Code) }
	for i := range s.nodes {
		if ch := s.nodes[i].children; len(ch) > 1 && !slices.IsSortedFunc(ch, byCode) {
			slices.SortFunc(ch, byCode)
		}
	}
	slices.SortFunc(s.roots, byCode)
	// Levels by depth where the data gave none.
	for i := range s.nodes {
		if s.nodes[i].code.Level == 0 {
			d := 1
			for p := s.nodes[i].parent; p >= 0 && d < 64; p = s.nodes[p].parent {
				d++
			}
			s.nodes[i].code.Level = d
		}
	}
	s.leavesOnce = sync.Once{}
	s.leaves = nil
}

// leafCounts returns the number of leaves under each node.
func (s *system) leafCounts() []int32 {
	s.leavesOnce.Do(func() {
		lv := make([]int32, len(s.nodes))
		var count func(i int32) int32
		count = func(i int32) int32 {
			if lv[i] > 0 {
				return lv[i]
			}
			n := int32(0)
			for _, c := range s.nodes[i].children {
				n += count(c)
			}
			if n == 0 {
				n = 1
			}
			lv[i] = n
			return n
		}
		for i := range s.nodes {
			count(int32(i))
		}
		s.leaves = lv
	})
	return s.leaves
}

// invalidate drops the caches that depend on the systems and links. Callers hold mu.
func (r *Registry) invalidate() {
	r.paths = map[[2]string][]string{}
	for _, l := range r.links {
		l.cache.Range(func(k, _ any) bool { l.cache.Delete(k); return true })
	}
}

// AddEdges adds crosswalk edges. Both systems of every edge must be registered and
// its codes must be codes of them (normalised as Convert normalises input). The
// weight of an edge is the share of the source code's mass that goes to the target;
// conversion renormalises the weights of each code to sum to 1. For a pair of
// systems whose reverse direction has no edges of its own, the reverse is derived:
// each target code's mass is split over its source codes in proportion to the
// forward weights (the reverse of a split is a merge with weight 1, the reverse of
// a merge a split in proportion to the known weights, equal if they are equal).
func (r *Registry) AddEdges(edges []cipmap.CrosswalkEdge) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	type pending struct {
		from, to string
		e        edge
	}
	groups := map[[2]string][]pending{}
	var keys [][2]string
	for i, e := range edges {
		fs, err := r.system(e.FromSystem)
		if err != nil {
			return cipmap.WrapError(cipmap.ErrorCode(err), err, "edge %d", i+1)
		}
		ts, err := r.system(e.ToSystem)
		if err != nil {
			return cipmap.WrapError(cipmap.ErrorCode(err), err, "edge %d", i+1)
		}
		if e.FromSystem == e.ToSystem {
			return cipmap.Errorf(cipmap.EINVALID, "edge %d: %s → %s links a system to itself", i+1, e.FromSystem, e.ToSystem)
		}
		if math.IsNaN(e.Weight) || math.IsInf(e.Weight, 0) || e.Weight < 0 {
			return cipmap.Errorf(cipmap.EINVALID, "edge %d (%s %s → %s %s): weight %v is not a non-negative number", i+1, e.FromSystem, e.From, e.ToSystem, e.To, e.Weight)
		}
		from, err := r.resolveCode(fs, e.From)
		if err != nil {
			return cipmap.WrapError(cipmap.EINVALID, err, "edge %d", i+1)
		}
		to, err := r.resolveCode(ts, e.To)
		if err != nil {
			return cipmap.WrapError(cipmap.EINVALID, err, "edge %d", i+1)
		}
		m := r.meta(edgeMeta{weightType: e.WeightType, source: e.Source, validFrom: e.ValidFrom, validTo: e.ValidTo, sampleSize: e.SampleSize})
		k := [2]string{e.FromSystem, e.ToSystem}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], pending{from, to, edge{to: to, w: e.Weight, partial: e.Partial, meta: m}})
	}
	for _, k := range keys {
		l := r.explicitLink(k[0], k[1], true)
		for _, p := range groups[k] {
			l.put(p.from, p.e)
		}
		r.deriveReverse(l)
	}
	r.invalidate()
	return nil
}

// explicitLink returns the link from → to, creating it, and turning a derived link
// into an explicit one (dropping its derived edges).
func (r *Registry) explicitLink(from, to string, weighted bool) *link {
	k := [2]string{from, to}
	l := r.links[k]
	_ = l.ready() // the systems are loaded already, which loads the link
	if l == nil || !l.explicit {
		l = &link{from: from, to: to, edges: map[string][]edge{}, explicit: true, weighted: weighted}
		r.links[k] = l
	}
	if weighted {
		l.weighted = true
	}
	return l
}

// put adds an edge, replacing an edge between the same two codes.
func (l *link) put(from string, e edge) {
	es := l.edges[from]
	for i := range es {
		if es[i].to == e.to {
			es[i] = e
			return
		}
	}
	l.edges[from] = append(es, e)
}

// deriveReverse (re)builds the reverse of l unless the reverse is explicit.
func (r *Registry) deriveReverse(l *link) {
	k := [2]string{l.to, l.from}
	if rev := r.links[k]; rev != nil && rev.explicit {
		return
	}
	rev := &link{from: l.to, to: l.from, edges: map[string][]edge{}}
	if !l.weighted {
		// Rebuild both directions structurally from the pairs.
		var pairs []pair
		for from, es := range l.edges {
			for _, e := range es {
				if e.to != "" {
					pairs = append(pairs, pair{from: from, to: e.to, partial: e.partial, partialRev: e.partial, meta: e.meta})
				}
			}
		}
		_, rev = r.structural(l.from, l.to, pairs)
		rev.explicit = false
		r.links[k] = rev
		return
	}
	// Sum of forward weights per source code, to turn weights into shares.
	tot := map[string]float64{}
	for from, es := range l.edges {
		for _, e := range es {
			tot[from] += e.w
		}
	}
	froms := make([]string, 0, len(l.edges))
	for from := range l.edges {
		froms = append(froms, from)
	}
	sort.Strings(froms)
	for _, from := range froms {
		for _, e := range l.edges[from] {
			if e.to == "" || tot[from] == 0 {
				continue
			}
			rev.edges[e.to] = append(rev.edges[e.to], edge{to: from, w: e.w / tot[from], partial: e.partial, meta: e.meta})
		}
	}
	for to, es := range rev.edges {
		src := "reverse of " + l.from + " → " + l.to
		if es[0].meta != nil && es[0].meta.source != "" {
			src = "reverse of " + es[0].meta.source
		}
		rev.edges[to] = normalise(es, r.meta(edgeMeta{weightType: cipmap.WeightEqual, source: src}),
			r.meta(edgeMeta{weightType: WeightStructural, source: src}))
	}
	r.links[k] = rev
}

// normalise scales weights to sum to 1 and sets the meta: eq when all are equal,
// other otherwise.
func normalise(es []edge, eq, other *edgeMeta) []edge {
	sum := 0.0
	for _, e := range es {
		sum += e.w
	}
	equal := true
	for i := range es {
		if sum > 0 {
			es[i].w /= sum
		} else {
			es[i].w = 1 / float64(len(es))
		}
		if math.Abs(es[i].w-es[0].w) > 1e-12 {
			equal = false
		}
	}
	for i := range es {
		if equal {
			es[i].meta = eq
		} else {
			es[i].meta = other
		}
	}
	return es
}

// meta interns edge metadata.
func (r *Registry) meta(m edgeMeta) *edgeMeta {
	r.dataMu.Lock()
	defer r.dataMu.Unlock()
	for _, x := range r.metas {
		if *x == m {
			return x
		}
	}
	p := &m
	r.metas = append(r.metas, p)
	return p
}

// Notes lists problems found in the built-in data while loading it, such as
// crosswalk rows that name codes their systems do not have (those rows are left
// out).
func (r *Registry) Notes() []string {
	r.dataMu.Lock()
	defer r.dataMu.Unlock()
	return append([]string(nil), r.notes...)
}

// Systems lists the registered code systems in registration order.
func (r *Registry) Systems() []cipmap.CodeSystem {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]cipmap.CodeSystem, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.systems[id].info)
	}
	return out
}

// System returns the description of a code system.
func (r *Registry) System(id string) (cipmap.CodeSystem, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s := r.systems[id]
	if s == nil {
		return cipmap.CodeSystem{}, false
	}
	return s.info, true
}

func (r *Registry) system(id string) (*system, error) {
	s := r.systems[id]
	if s == nil {
		return nil, cipmap.Errorf(cipmap.EINVALID, "unknown code system %q (known: %s)", id, strings.Join(r.order, ", "))
	}
	if err := s.ready(); err != nil {
		return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "load %s", id)
	}
	return s, nil
}

// Lookup normalises code for the system and returns it. An unknown code is an
// EINVALID error that names the system and the nearest valid codes (errors.As gives
// the *UnknownCodeError).
func (r *Registry) Lookup(systemID, code string) (cipmap.Code, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, err := r.system(systemID)
	if err != nil {
		return cipmap.Code{}, err
	}
	c, err := r.resolveCode(s, code)
	if err != nil {
		return cipmap.Code{}, err
	}
	if i, ok := s.index[c]; ok {
		return s.nodes[i].code, nil
	}
	// An IPC group of a later version than the registry's.
	return cipmap.Code{System: systemID, Code: c, Parent: s.knownAncestor(c), Level: ipcLevel(c),
		Note: "not in IPC " + s.info.Version + "; converted through its nearest ancestor there"}, nil
}

// Normalize returns code in the canonical form of the system ("8504.40" → "850440"
// in HS, "B25J 9/16" → "B25J9/16" in IPC, "C3973" → "3973" in GB/T 4754) without
// checking that it exists.
func (r *Registry) Normalize(systemID, code string) (string, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, err := r.system(systemID)
	if err != nil {
		return "", err
	}
	return s.normalize(code)
}

// Children returns the codes directly under code, in code order; the roots of the
// system for code "".
func (r *Registry) Children(systemID, code string) ([]cipmap.Code, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, err := r.system(systemID)
	if err != nil {
		return nil, err
	}
	ids := s.roots
	if code != "" {
		c, err := r.resolveCode(s, code)
		if err != nil {
			return nil, err
		}
		i, ok := s.index[c]
		if !ok {
			return nil, nil
		}
		ids = s.nodes[i].children
	}
	out := make([]cipmap.Code, len(ids))
	for k, i := range ids {
		out[k] = s.nodes[i].code
	}
	return out, nil
}

// Codes returns every code of a system, in the order the data gave them.
func (r *Registry) Codes(systemID string) ([]cipmap.Code, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, err := r.system(systemID)
	if err != nil {
		return nil, err
	}
	out := make([]cipmap.Code, len(s.nodes))
	for i := range s.nodes {
		out[i] = s.nodes[i].code
	}
	return out, nil
}

// LevelCounts returns the number of codes of a system at each level, keyed by the
// level's name (CodeSystem.Levels; "level N" where the system names none).
func (r *Registry) LevelCounts(systemID string) (map[string]int, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, err := r.system(systemID)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for i := range s.nodes {
		out[s.levelName(s.nodes[i].code.Level)]++
	}
	return out, nil
}

func (s *system) levelName(l int) string {
	if l >= 1 && l <= len(s.info.Levels) {
		return s.info.Levels[l-1]
	}
	return fmt.Sprintf("level %d", l)
}

// Edges returns the direct crosswalk edges from a code of one system to another,
// with their weights as stored (derived reverse edges included), best first.
func (r *Registry) Edges(fromSystem, code, toSystem string) ([]cipmap.CrosswalkEdge, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, err := r.system(fromSystem)
	if err != nil {
		return nil, err
	}
	if _, err := r.system(toSystem); err != nil {
		return nil, err
	}
	c, err := r.resolveCode(s, code)
	if err != nil {
		return nil, err
	}
	l := r.links[[2]string{fromSystem, toSystem}]
	if l == nil {
		return nil, nil
	}
	if err := l.ready(); err != nil {
		return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "load %s → %s", fromSystem, toSystem)
	}
	es := l.direct(c)
	out := make([]cipmap.CrosswalkEdge, 0, len(es))
	for _, e := range es {
		ce := cipmap.CrosswalkEdge{FromSystem: fromSystem, From: c, ToSystem: toSystem, To: e.to, Weight: e.w, Partial: e.partial}
		if e.meta != nil {
			ce.WeightType, ce.Source, ce.ValidFrom, ce.ValidTo, ce.SampleSize = e.meta.weightType, e.meta.source, e.meta.validFrom, e.meta.validTo, e.meta.sampleSize
		}
		out = append(out, ce)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].To < out[j].To
	})
	return out, nil
}

// UnknownCodeError says that a code is not a code of a system, and which valid codes
// are nearest to it. It is wrapped in a cipmap.Error with code EINVALID.
type UnknownCodeError struct {
	System  string
	Code    string   // as given
	Nearest []string // at most 5
}

func (e *UnknownCodeError) Error() string {
	msg := fmt.Sprintf("%s: %q is not a code of the system", e.System, e.Code)
	if len(e.Nearest) > 0 {
		msg += "; nearest valid codes: " + strings.Join(e.Nearest, ", ")
	}
	return msg
}

// resolveCode normalises a code and checks that it exists (or, in IPC, that it is a
// well-formed code under a known subclass: IPC versions add groups every year).
func (r *Registry) resolveCode(s *system, code string) (string, error) {
	c, err := s.normalize(code)
	if err != nil {
		return "", err
	}
	if _, ok := s.index[c]; ok {
		return c, nil
	}
	if s.kind == kindIPC && len(c) > 4 {
		// A group of a later IPC version: accepted under its known subclass.
		if _, ok := s.index[c[:4]]; ok {
			return c, nil
		}
	}
	return "", cipmap.WrapError(cipmap.EINVALID, &UnknownCodeError{System: s.info.ID, Code: code, Nearest: s.nearest(c)}, "")
}

// knownAncestor returns the nearest code above c (by the system's code structure)
// that is a code of the system.
func (s *system) knownAncestor(c string) string {
	for p := structuralParent(s.kind, c); p != ""; p = structuralParent(s.kind, p) {
		if _, ok := s.index[p]; ok {
			return p
		}
	}
	return ""
}

// parentOf returns the parent of a code: the recorded one for a code of the system,
// the nearest known structural ancestor for another (IPC subgroups of later versions).
func (s *system) parentOf(c string) string {
	if i, ok := s.index[c]; ok {
		return s.nodes[i].code.Parent
	}
	return s.knownAncestor(c)
}

// nearest suggests at most 5 valid codes near an unknown one: the codes under its
// nearest known ancestor closest to it, or else the codes of the same length at the
// smallest edit distance.
func (s *system) nearest(c string) []string {
	const max = 5
	type cand struct {
		code string
		d    int
	}
	var cands []cand
	if a := s.knownAncestor(c); a != "" {
		for _, ch := range s.nodes[s.index[a]].children {
			cc := s.nodes[ch].code.Code
			cands = append(cands, cand{cc, levenshtein(c, cc)})
		}
	}
	if len(cands) == 0 {
		for i := range s.nodes {
			cc := s.nodes[i].code.Code
			if len(cc) == len(c) {
				cands = append(cands, cand{cc, levenshtein(c, cc)})
			}
		}
	}
	if len(cands) == 0 {
		for i := range s.nodes {
			cc := s.nodes[i].code.Code
			cands = append(cands, cand{cc, levenshtein(c, cc)})
		}
	}
	// Closest by edit distance; among equals, the numerically closest (3977 →
	// 3976, 3979 before 3971), then in code order.
	num := func(x string) (int, bool) {
		if !allDigits(x) || len(x) > 9 {
			return 0, false
		}
		n, _ := strconv.Atoi(x)
		return n, true
	}
	cn, cok := num(c)
	gap := func(x string) int {
		if n, ok := num(x); ok && cok && len(x) == len(c) {
			return abs(n - cn)
		}
		return math.MaxInt
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		if gi, gj := gap(cands[i].code), gap(cands[j].code); gi != gj {
			return gi < gj
		}
		return cands[i].code < cands[j].code
	})
	var out []string
	for _, x := range cands {
		if len(out) == max {
			break
		}
		out = append(out, x.code)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// IsUnknownCode reports whether err says that a code is not a code of its system.
func IsUnknownCode(err error) bool {
	var u *UnknownCodeError
	return errors.As(err, &u)
}
