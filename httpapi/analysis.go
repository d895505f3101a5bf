package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/money"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/sector"
	"github.com/cipmap/cipmap/trace"
	"golang.org/x/sync/errgroup"
)

// routesAnalysis registers the analysis routes: tags, sector profiles, follow the
// money, paths and the review queue, in the API and the web UI.
func (s *Server) routesAnalysis() {
	s.an.std.load = func(context.Context) (*ctt.Standard, error) { return ctt.Load() }
	s.an.rates.load = func(context.Context) (*money.Table, error) { return money.Load() }
	s.an.schemas.load = func(context.Context) (cipmap.Schemas, error) { return schema.Load() }
	s.an.sessionKey = newSessionKey()
	// JSON API.
	s.handle("GET /api/v1/tags/{tag}", s.apiTagTree)
	s.handle("GET /api/v1/sectors/{tag}", s.apiSector)
	s.handle("GET /api/v1/sectors/compare", s.apiSectorCompare)
	s.handle("GET /api/v1/trace", s.apiTrace)
	s.handle("GET /api/v1/path", s.apiPath)
	s.handle("GET /api/v1/review", s.apiReview)
	// Web UI.
	s.handle("GET /tags", s.uiTags)
	s.handle("GET /sectors/{tag}", s.uiSector)
	s.handle("GET /sectors/compare", s.uiSectorCompare)
	s.handle("GET /sectors/{tag}/charts/{file}", s.uiSectorChart)
	s.handle("GET /crosswalk", s.uiCrosswalk)
	s.handle("GET /trace", s.uiTrace)
	s.handle("GET /path", s.uiPath)
	s.handle("GET /review", s.uiReview)
	s.handle("POST /review", s.uiReviewJudge)
	s.handle("GET /signin", s.uiSignin)
	s.handle("POST /signin", s.uiSigninPost)
	s.handle("POST /signout", s.uiSignout)
}

// analysis is the server's state for the analysis routes.
type analysis struct {
	std     lazy[*ctt.Standard]
	rates   lazy[*money.Table]
	schemas lazy[cipmap.Schemas]

	// sectors caches profiles by tag and years until the data changes through
	// the server (dataChanged). Once WarmSectors has loaded the firms' facts
	// (facts), a profile is computed from them and its sector's basis, which
	// bases keeps for the largest sectors, up to basisBudget bytes (basisBytes
	// held): a profile for other years is then computed without asking the store.
	mu         sync.Mutex
	sectors    map[sectorKey]*sectorEntry
	facts      *sector.Facts
	bases      map[string]*basisEntry
	basisBytes int64

	// sessionKey keys the HMAC of the sign-in cookie; new each start, so a restart
	// signs everyone out.
	sessionKey []byte
}

type sectorKey struct {
	tag      string
	from, to int
}

// built is a value built once for the requests that want it meanwhile: done is
// closed when v and err are set.
type built[T any] struct {
	done chan struct{}
	v    T
	err  error
}

func newBuilt[T any]() *built[T] { return &built[T]{done: make(chan struct{})} }

// claim returns the entry of k in *m, or a new one the caller is to build
// (mine), added to *m (made if nil) when add. The caller holds the lock of *m.
func claim[K comparable, T any](m *map[K]*built[T], k K, add bool) (e *built[T], mine bool) {
	if e, ok := (*m)[k]; ok {
		return e, false
	}
	e = newBuilt[T]()
	if add {
		if *m == nil {
			*m = map[K]*built[T]{}
		}
		(*m)[k] = e
	}
	return e, true
}

// ready says whether the value is built; only then may v and err be read
// without waiting.
func (b *built[T]) ready() bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

// wait returns the value once built, or ctx's error if it ends first.
func (b *built[T]) wait(ctx context.Context) (T, error) {
	select {
	case <-b.done:
		return b.v, b.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

type sectorEntry = built[*sector.Profile]

// maxCachedSectors bounds the cache; beyond it profiles are built and not kept.
const maxCachedSectors = 2000

type basisEntry = built[*sector.Basis]

// basisBudget is the memory the kept bases may hold. At a million firms the
// bases of all 393 tags hold 328 MB, the largest (437,284 firms) 53 MB.
const basisBudget = 1 << 30

// tree is the CTT standard as a sector.Tree.
type cttTree struct{ std *ctt.Standard }

func (t cttTree) Subtree(tag string) ([]string, error) {
	if sub := t.std.Subtree(tag); sub != nil {
		return sub, nil
	}
	return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no CTT tag %q; see /tags", tag)
}

func (t cttTree) Name(tag string) cipmap.Label {
	if x := t.std.Tag(tag); x != nil {
		return x.Name
	}
	return cipmap.Label{EN: tag, ZH: tag}
}

// TagTree is a CTT tag with the tags above it and every tag under it.
type TagTree struct {
	Tag      *cipmap.Tag   `json:"tag"`
	Path     []TagRef      `json:"path"`     // from the root down to the tag's parent
	Children []TagRef      `json:"children"` // the tags right under it
	Subtree  []*cipmap.Tag `json:"subtree"`  // the tag and every tag under it, parents first
}

// TagRef names a tag.
type TagRef struct {
	ID   string       `json:"id"`
	Name cipmap.Label `json:"name"`
}

func (s *Server) tagTree(ctx context.Context, id string) (*TagTree, error) {
	std, err := s.an.std.get(ctx)
	if err != nil {
		return nil, err
	}
	tg := std.Tag(id)
	if tg == nil {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no CTT tag %q; see /tags", id)
	}
	out := &TagTree{Tag: tg, Path: []TagRef{}, Children: []TagRef{}}
	for _, p := range std.Path(id) {
		if p.ID != id {
			out.Path = append(out.Path, TagRef{p.ID, p.Name})
		}
	}
	for _, c := range std.Children(id) {
		out.Children = append(out.Children, TagRef{c.ID, c.Name})
	}
	ids, _ := cttTree{std}.Subtree(id)
	for _, x := range ids {
		out.Subtree = append(out.Subtree, std.Tag(x))
	}
	return out, nil
}

func (s *Server) apiTagTree(w http.ResponseWriter, r *http.Request) {
	t, err := s.tagTree(r.Context(), r.PathValue("tag"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, t)
}

// yearParam reads a year, 0 when absent.
func yearParam(r *http.Request, name string) (int, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1900 || n > 2100 {
		return 0, cipmap.Errorf(cipmap.EINVALID, "%s=%q: want a year from 1900 to 2100", name, v)
	}
	return n, nil
}

// years reads from and to.
func years(r *http.Request) (from, to int, err error) {
	if from, err = yearParam(r, "from"); err != nil {
		return 0, 0, err
	}
	if to, err = yearParam(r, "to"); err != nil {
		return 0, 0, err
	}
	if from != 0 && to != 0 && from > to {
		return 0, 0, cipmap.Errorf(cipmap.EINVALID, "from=%d is after to=%d", from, to)
	}
	return from, to, nil
}

// sectorOptions are the options of every profile the server builds.
func (s *Server) sectorOptions(ctx context.Context, from, to int) (sector.Options, error) {
	opt := sector.Options{From: from, To: to, Top: 20}
	rates, err := s.an.rates.get(ctx)
	if err != nil {
		return opt, err
	}
	opt.Rates = rates
	if s.cfg.Ownership != nil {
		opt.Ownership = func(ctx context.Context, ids []string) (map[string]sector.Owner, error) {
			v, err := s.cfg.Ownership(ctx, ids, false)
			if err != nil {
				return nil, err
			}
			return sector.OwnersFrom(v.Analysis(), ids), nil
		}
	}
	return opt, nil
}

// sector returns the profile of tag between the years, built once per server.
func (s *Server) sector(ctx context.Context, tag string, from, to int) (*sector.Profile, error) {
	std, err := s.an.std.get(ctx)
	if err != nil {
		return nil, err
	}
	if std.Tag(tag) == nil {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no CTT tag %q; see /tags", tag)
	}
	k := sectorKey{tag, from, to}
	s.an.mu.Lock()
	keep := len(s.an.sectors) < maxCachedSectors
	e, mine := claim(&s.an.sectors, k, keep)
	s.an.mu.Unlock()
	if !mine {
		return e.wait(ctx)
	}
	// Built with a context of its own: a client that goes away must not leave the
	// others waiting for a failure.
	e.v, e.err = s.buildSector(context.WithoutCancel(ctx), std, tag, from, to)
	if e.err != nil && keep {
		// A failure is not kept: the next request tries again.
		s.an.mu.Lock()
		delete(s.an.sectors, k)
		s.an.mu.Unlock()
	}
	close(e.done)
	return e.v, e.err
}

// buildSector builds the profile of tag between the years: from the sector's
// basis and the firms' facts once the facts are loaded, else from the store.
func (s *Server) buildSector(ctx context.Context, std *ctt.Standard, tag string, from, to int) (*sector.Profile, error) {
	opt, err := s.sectorOptions(ctx, from, to)
	if err != nil {
		return nil, err
	}
	s.an.mu.Lock()
	facts := s.an.facts
	s.an.mu.Unlock()
	if facts == nil {
		return sector.Build(ctx, s.cfg.Store, cttTree{std}, tag, opt)
	}
	b, err := s.basis(ctx, std, tag, opt.Ownership)
	if err != nil {
		return nil, err
	}
	return b.Profile(facts, opt)
}

// basis returns the basis of tag's sector: kept, or read (once for requests that
// come meanwhile) and kept if the largest sectors' fit in basisBudget.
func (s *Server) basis(ctx context.Context, std *ctt.Standard, tag string, classify sector.Ownership) (*sector.Basis, error) {
	gen := s.gen.Load()
	s.an.mu.Lock()
	e, mine := claim(&s.an.bases, tag, true)
	s.an.mu.Unlock()
	if !mine {
		return e.wait(ctx)
	}
	e.v, e.err = sector.BuildBasis(ctx, s.cfg.Store, cttTree{std}, tag, classify)
	close(e.done)
	s.an.mu.Lock()
	defer s.an.mu.Unlock()
	if e.err != nil || s.gen.Load() != gen || s.an.bases == nil || s.an.bases[tag] != e {
		// A failure is not kept; nor is a basis of data that has changed since.
		if s.an.bases != nil && s.an.bases[tag] == e {
			delete(s.an.bases, tag)
		}
		return e.v, e.err
	}
	s.an.basisBytes += e.v.Bytes()
	// Over the budget, drop the smallest: they are the quickest to read again.
	for s.an.basisBytes > basisBudget {
		var small string
		var sb *sector.Basis
		for t, x := range s.an.bases {
			if x.ready() && x.v != nil && (sb == nil || x.v.Firms() < sb.Firms() || (x.v.Firms() == sb.Firms() && t < small)) {
				small, sb = t, x.v
			}
		}
		if sb == nil {
			break
		}
		delete(s.an.bases, small)
		s.an.basisBytes -= sb.Bytes()
	}
	return e.v, nil
}

// loadFacts reads the facts of every firm, once per version of the data, for
// the profiles to come, and returns how many firms they know. Profiles built
// from the store before are the same and stay.
func (s *Server) loadFacts(ctx context.Context) (int, error) {
	gen := s.gen.Load()
	opt, err := s.sectorOptions(ctx, 0, 0)
	if err != nil {
		return 0, err
	}
	f, err := sector.LoadFacts(ctx, s.cfg.Store, opt.Ownership)
	if err != nil {
		return 0, err
	}
	s.an.mu.Lock()
	defer s.an.mu.Unlock()
	if s.gen.Load() != gen {
		return 0, errors.New("stopped: the data changed")
	}
	s.an.facts = f
	return f.Firms(), nil
}

// SectorMemory reports what the server keeps to compute sector profiles: the
// firms whose facts it holds, and the bases it keeps and their bytes.
func (s *Server) SectorMemory() (facts, bases int, bytes int64) {
	s.an.mu.Lock()
	defer s.an.mu.Unlock()
	if s.an.facts != nil {
		facts = s.an.facts.Firms()
	}
	for _, e := range s.an.bases {
		if e.ready() && e.v != nil {
			bases++
		}
	}
	return facts, bases, s.an.basisBytes
}

// WarmSectors loads the facts of every firm, then builds and keeps the
// whole-period profile of every CTT tag, the tags most used by firms, patents
// and flows first, so that a sector page is there when asked for: at a million
// firms the basis of the largest sector takes 2 s to read. The bases of the
// largest sectors are kept (basisBudget), so a profile for other years is then
// computed in Go. A tag asked for meanwhile is built at once, or waited for if
// its turn has come. It stops when the data changes (the profiles are then
// dropped) or ctx ends, and returns how many profiles it built.
func (s *Server) WarmSectors(ctx context.Context) (int, error) {
	std, err := s.an.std.get(ctx)
	if err != nil {
		return 0, err
	}
	gen := s.gen.Load()
	if _, err := s.loadFacts(ctx); err != nil {
		return 0, fmt.Errorf("firms' facts: %w", err)
	}
	var tags []string
	seen := map[string]bool{}
	// The most used first; a store without the tables has no such tags.
	t, err := s.cfg.Store.Query(ctx, `SELECT tag FROM (SELECT tag FROM tags WHERE system = 'ctt' AND weight > 0
		UNION ALL SELECT tag FROM patent_tags WHERE system = 'ctt' AND weight > 0) GROUP BY tag ORDER BY count(*) DESC, tag`)
	if err == nil {
		for _, r := range t.Rows {
			if tag := cell(r[0]); std.Tag(tag) != nil && !seen[tag] {
				seen[tag] = true
				tags = append(tags, tag)
			}
		}
	}
	var walk func(ts []*cipmap.Tag)
	walk = func(ts []*cipmap.Tag) {
		for _, x := range ts {
			if !seen[x.ID] {
				seen[x.ID] = true
				tags = append(tags, x.ID)
			}
			walk(std.Children(x.ID))
		}
	}
	walk(std.Roots())
	n := 0
	for _, tag := range tags {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if s.gen.Load() != gen {
			return n, errors.New("stopped: the data changed")
		}
		if _, err := s.sector(ctx, tag, 0, 0); err != nil {
			return n, fmt.Errorf("sector %s: %w", tag, err)
		}
		n++
	}
	return n, nil
}

func (s *Server) apiSector(w http.ResponseWriter, r *http.Request) {
	from, to, err := years(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.sector(r.Context(), r.PathValue("tag"), from, to)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, p)
}

// maxCompare is the most sectors compared at once.
const maxCompare = 8

// compare profiles the tags of ?tag= (repeated or comma-separated).
func (s *Server) compare(ctx context.Context, r *http.Request) (*sector.Comparison, []string, error) {
	var tags []string
	for _, v := range r.URL.Query()["tag"] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" && !contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	if len(tags) < 1 || len(tags) > maxCompare {
		return nil, tags, cipmap.Errorf(cipmap.EINVALID, "tag: give 1 to %d tags to compare: ?tag=integrated-circuits&tag=photovoltaics", maxCompare)
	}
	from, to, err := years(r)
	if err != nil {
		return nil, tags, err
	}
	// The profiles at once: a comparison of the largest sectors for years no one
	// asked before computes each (0.2–0.5 s at a million firms).
	c := &sector.Comparison{Sectors: make([]*sector.Profile, len(tags))}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, t := range tags {
		g.Go(func() error {
			p, err := s.sector(ctx, t, from, to)
			c.Sectors[i] = p
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, tags, err
	}
	return c, tags, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (s *Server) apiSectorCompare(w http.ResponseWriter, r *http.Request) {
	c, _, err := s.compare(r.Context(), r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, c)
}

// TraceResult is a trace with the entities it names.
type TraceResult struct {
	*trace.Result
	Nodes map[string]trace.Node `json:"nodes"`
	// To is the filter given: a firm's id or a CTT tag.
	To string `json:"to,omitempty"`
}

// traceRequest is a trace asked for by query parameters.
type traceRequest struct {
	From, To, At string
	Depth        int
	Channels     []string
}

var traceChannels = []string{"investment", "grant", "loan", "contract", "listing", "designation"}

func parseTraceRequest(r *http.Request) (traceRequest, error) {
	q := r.URL.Query()
	tr := traceRequest{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), At: strings.TrimSpace(q.Get("at"))}
	if tr.From == "" || len(tr.From) > 200 || len(tr.To) > 200 {
		return tr, cipmap.Errorf(cipmap.EINVALID, "from: give the id or name of a government body, fund, policy, program or firm (at most 200 bytes)")
	}
	d, err := intParam(r, "depth", 5, 8)
	if err != nil {
		return tr, err
	}
	if d == 0 {
		return tr, cipmap.Errorf(cipmap.EINVALID, "depth=0: want 1 to 8")
	}
	tr.Depth = d
	if err := checkDate("at", tr.At); err != nil {
		return tr, err
	}
	for _, v := range q["channel"] {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c == "" {
				continue
			}
			if !contains(traceChannels, c) {
				return tr, cipmap.Errorf(cipmap.EINVALID, "channel=%q: want one of %s", c, strings.Join(traceChannels, ", "))
			}
			if !contains(tr.Channels, c) {
				tr.Channels = append(tr.Channels, c)
			}
		}
	}
	return tr, nil
}

// checkDate accepts YYYY, YYYY-MM and YYYY-MM-DD.
func checkDate(name, v string) error {
	if v != "" && !trace.IsDate(v) {
		return cipmap.Errorf(cipmap.EINVALID, "%s=%q: want a date YYYY-MM-DD (or YYYY-MM, YYYY)", name, v)
	}
	return nil
}

// toFilter keeps one entity, or the firms tagged in a CTT subtree (tags and
// patent tags), as cipmap trace --to does.
func (s *Server) toFilter(ctx context.Context, src trace.Source, to string) (func(string) bool, error) {
	if ns, err := src.Nodes(ctx, []string{to}); err != nil {
		return nil, err
	} else if _, ok := ns[to]; ok {
		return func(id string) bool { return id == to }, nil
	}
	std, err := s.an.std.get(ctx)
	if err != nil {
		return nil, err
	}
	if std.Tag(to) == nil {
		n, err := trace.FindOne(ctx, src, to, []string{"Firm"})
		if err != nil {
			return nil, cipmap.Errorf(cipmap.ENOTFOUND, "to=%q is neither an entity nor a CTT tag (see /tags)", to)
		}
		return func(id string) bool { return id == n.ID }, nil
	}
	// The tags are ids of the standard, checked above.
	firms, err := (&trace.StoreSource{Store: s.cfg.Store}).TaggedFirms(ctx, std.Subtree(to))
	if err != nil {
		return nil, fmt.Errorf("to=%s: %w", to, err)
	}
	return func(id string) bool { return firms[id] }, nil
}

// traceOptions are the options of a trace request.
func (s *Server) traceOptions(ctx context.Context, src trace.Source, tr traceRequest) (trace.Options, error) {
	opt := trace.Options{Depth: tr.Depth, At: tr.At, Channels: tr.Channels, Patents: true}
	if std, err := ctt.Load(); err == nil {
		opt.Subtree = std.Subtree
	}
	rates, err := s.an.rates.get(ctx)
	if err != nil {
		return opt, err
	}
	opt.Rates = rates
	if tr.To != "" {
		if opt.To, err = s.toFilter(ctx, src, tr.To); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

var traceFromSchemas = []string{"GovBody", "Fund", "Policy", "Program", "Firm"}

func (s *Server) trace(ctx context.Context, tr traceRequest) (*TraceResult, error) {
	src := &trace.StoreSource{Store: s.cfg.Store}
	from, err := trace.FindOne(ctx, src, tr.From, traceFromSchemas)
	if err != nil {
		return nil, err
	}
	opt, err := s.traceOptions(ctx, src, tr)
	if err != nil {
		return nil, err
	}
	res, err := trace.Trace(ctx, src, from.ID, opt)
	if err != nil {
		return nil, err
	}
	if res.Nodes == nil {
		res.Nodes = map[string]trace.Node{}
	}
	return &TraceResult{Result: res, Nodes: res.Nodes, To: tr.To}, nil
}

func (s *Server) apiTrace(w http.ResponseWriter, r *http.Request) {
	tr, err := parseTraceRequest(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.trace(r.Context(), tr)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, res)
}

// PathResult is the shortest chains between two entities.
type PathResult struct {
	A     trace.Node   `json:"a"`
	B     trace.Node   `json:"b"`
	Paths []trace.Path `json:"paths"`
}

func (s *Server) paths(ctx context.Context, r *http.Request) (*PathResult, error) {
	q := r.URL.Query()
	a, b := strings.TrimSpace(q.Get("a")), strings.TrimSpace(q.Get("b"))
	if a == "" || b == "" || len(a) > 200 || len(b) > 200 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "a and b: give two entities, by id or name (at most 200 bytes each)")
	}
	max, err := intParam(r, "max", 5, 20)
	if err != nil {
		return nil, err
	}
	at := strings.TrimSpace(q.Get("at"))
	if err := checkDate("at", at); err != nil {
		return nil, err
	}
	schemas, err := s.an.schemas.get(ctx)
	if err != nil {
		return nil, err
	}
	src := &trace.StoreSource{Store: s.cfg.Store}
	out := &PathResult{}
	if out.A, err = trace.FindOne(ctx, src, a, nil); err != nil {
		return nil, err
	}
	if out.B, err = trace.FindOne(ctx, src, b, nil); err != nil {
		return nil, err
	}
	if max == 0 {
		max = 5
	}
	ps, err := trace.Paths(ctx, src, out.A.ID, out.B.ID, trace.AllRoles(schemas), trace.PathOptions{Max: max, MaxLength: 8, At: at})
	if err != nil {
		return nil, err
	}
	out.Paths = ps
	if out.Paths == nil {
		out.Paths = []trace.Path{}
	}
	return out, nil
}

func (s *Server) apiPath(w http.ResponseWriter, r *http.Request) {
	p, err := s.paths(r.Context(), r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, p)
}

// Datasets of the judgements table: the reviewers' decisions and resolve's queue.
const (
	judgementsDataset = "judgements"
	queueDataset      = "review-queue"
)

// ReviewPage is a page of the review queue: pairs that the last resolve was
// unsure of and that no one has judged, most probable first.
type ReviewPage struct {
	Limit  int          `json:"limit"`
	Offset int          `json:"offset"`
	Total  int          `json:"total"`
	More   bool         `json:"more"`
	Pairs  []ReviewPair `json:"pairs"`
}

// ReviewPair is a pair of firm records waiting for a decision.
type ReviewPair struct {
	Left        ReviewRecord `json:"left"`
	Right       ReviewRecord `json:"right"`
	Probability float64      `json:"probability"`
	// Explanation is resolve's account of the score: the comparisons and their
	// weights.
	Explanation string `json:"explanation"`
}

// ReviewRecord is one record of a pair: its id, name and what it says.
type ReviewRecord struct {
	ID      string              `json:"id"`
	Caption string              `json:"caption"`
	Dataset string              `json:"dataset,omitempty"`
	Props   map[string][]string `json:"properties"`
}

// reviewProps are the properties shown side by side, in order.
var reviewProps = []string{"name", "name_en", "short_name", "previous_name", "uscc", "province", "city", "region",
	"founded", "legal_rep", "address"}

// pending reads the review queue without the pairs judged already.
func (s *Server) pending(ctx context.Context) ([]cipmap.Judgement, error) {
	t, err := s.cfg.Store.Query(ctx, `SELECT q.left_id, q.right_id, q.note, q.source FROM judgements q
		WHERE q.dataset = $1 AND NOT EXISTS (SELECT 1 FROM judgements j WHERE j.dataset <> $1
			AND j.left_id = q.left_id AND j.right_id = q.right_id)`, queueDataset)
	if err != nil {
		return nil, err
	}
	out := make([]cipmap.Judgement, 0, len(t.Rows))
	for _, r := range t.Rows {
		out = append(out, cipmap.Judgement{Left: cell(r[0]), Right: cell(r[1]), Note: cell(r[2]), Source: cell(r[3])})
	}
	// Most probable first (the note holds the probability), then by ids.
	sort.SliceStable(out, func(i, j int) bool {
		pi, _ := strconv.ParseFloat(out[i].Note, 64)
		pj, _ := strconv.ParseFloat(out[j].Note, 64)
		if pi != pj {
			return pi > pj
		}
		if out[i].Left != out[j].Left {
			return out[i].Left < out[j].Left
		}
		return out[i].Right < out[j].Right
	})
	return out, nil
}

func (s *Server) reviewRecord(ctx context.Context, id string) ReviewRecord {
	rec := ReviewRecord{ID: id, Props: map[string][]string{}}
	e, err := s.cfg.Store.Entity(ctx, id)
	if err != nil {
		rec.Caption = id
		return rec
	}
	rec.Caption = e.Caption
	for _, p := range reviewProps {
		if v := e.Values(p); len(v) > 0 {
			rec.Props[p] = v
		}
	}
	if len(e.Statements) > 0 {
		rec.Dataset = e.Statements[0].Dataset
	}
	return rec
}

func (s *Server) review(ctx context.Context, r *http.Request) (*ReviewPage, error) {
	limit, err := intParam(r, "limit", defaultLimit, maxLimit)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = defaultLimit
	}
	offset, err := intParam(r, "offset", 0, 1<<30)
	if err != nil {
		return nil, err
	}
	queue, err := s.pending(ctx)
	if err != nil {
		return nil, err
	}
	p := &ReviewPage{Limit: limit, Offset: offset, Total: len(queue), Pairs: []ReviewPair{}}
	if offset < len(queue) {
		queue = queue[offset:]
		if len(queue) > limit {
			queue, p.More = queue[:limit], true
		}
		for _, q := range queue {
			pr, _ := strconv.ParseFloat(q.Note, 64)
			p.Pairs = append(p.Pairs, ReviewPair{Left: s.reviewRecord(ctx, q.Left), Right: s.reviewRecord(ctx, q.Right),
				Probability: pr, Explanation: q.Source})
		}
	}
	return p, nil
}

func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) {
	p, err := s.review(r.Context(), r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, p)
}
