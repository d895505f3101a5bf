package httpapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ownership"
	"github.com/cipmap/cipmap/taxonomy"
)

//go:embed assets/openapi.json
var openAPIDoc []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDoc)
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, cipmap.Errorf(cipmap.ENOTFOUND, "no such endpoint: %s %s; see /api/v1/openapi.json", r.Method, r.URL.Path))
}

// Paging limits.
const (
	defaultLimit = 20
	maxLimit     = 200
	maxOffset    = 10000
)

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string, def, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, cipmap.Errorf(cipmap.EINVALID, "%s=%q: want a whole number from 0 to %d", name, v, max)
	}
	return n, nil
}

// SearchPage is a page of search results.
type SearchPage struct {
	Query   string             `json:"query"`
	Limit   int                `json:"limit"`
	Offset  int                `json:"offset"`
	More    bool               `json:"more"`
	Results []cipmap.SearchHit `json:"results"`
}

func (s *Server) search(ctx context.Context, r *http.Request) (*SearchPage, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return nil, cipmap.Errorf(cipmap.EINVALID, "q: give some text to search for")
	}
	if len(q) > 200 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "q: at most 200 bytes")
	}
	limit, err := intParam(r, "limit", defaultLimit, maxLimit)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = defaultLimit
	}
	offset, err := intParam(r, "offset", 0, maxOffset)
	if err != nil {
		return nil, err
	}
	var schemas []string
	if sc := r.URL.Query().Get("schema"); sc != "" {
		schemas = strings.Split(sc, ",")
	}
	dataset, order := r.URL.Query().Get("dataset"), r.URL.Query().Get("sort")
	if order != "" && order != "score" && order != "name" {
		return nil, cipmap.Errorf(cipmap.EINVALID, "sort=%q: want score or name", order)
	}
	n := offset + limit + 1
	if dataset != "" || order == "name" {
		// Filtered or sorted here: among the best searchMatches hits.
		n = max(n, searchMatches)
	}
	hits, err := s.cfg.Store.Search(ctx, cipmap.SearchQuery{Text: q, Schemas: schemas, Limit: n})
	if err != nil {
		return nil, err
	}
	hits = filterHits(hits, dataset, order)
	p := &SearchPage{Query: q, Limit: limit, Offset: offset, Results: []cipmap.SearchHit{}}
	if offset < len(hits) {
		hits = hits[offset:]
		if len(hits) > limit {
			hits, p.More = hits[:limit], true
		}
		p.Results = hits
	}
	return p, nil
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	p, err := s.search(r.Context(), r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, p)
}

func (s *Server) apiEntity(w http.ResponseWriter, r *http.Request) {
	e, err := s.cfg.Store.Entity(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, e)
}

// Firm is a firm with its identity, cluster and ownership, as the API returns it.
type Firm struct {
	ID      string `json:"id"`
	Caption string `json:"caption"`
	// Names maps a name property (name, name_en, short_name, alias,
	// previous_name) to its values.
	Names       map[string][]string `json:"names"`
	Identifiers map[string][]string `json:"identifiers"`
	Cluster     *Cluster            `json:"cluster,omitempty"`
	Ownership   *FirmOwnership      `json:"ownership,omitempty"`
	Statements  []cipmap.Statement  `json:"statements"`
	// FirmFacts are the firm's staff, flows received, designations and patents.
	*FirmFacts
}

// Cluster is the canonical firm a record belongs to, from the last resolve run.
type Cluster struct {
	ID      string          `json:"id"`
	Members []ClusterMember `json:"members"`
}

// ClusterMember is one record of a cluster and the link that put it there.
type ClusterMember struct {
	EntityID    string  `json:"entity_id"`
	LinkedTo    string  `json:"linked_to,omitempty"`
	Probability float64 `json:"probability"`
	Method      string  `json:"method"`
	Explanation string  `json:"explanation,omitempty"`
}

// FirmOwnership is who owns the firm and what it owns, looked through, on a day.
type FirmOwnership struct {
	Date           string   `json:"date"`
	Up             []Stake  `json:"up"`
	Down           []Stake  `json:"down"`
	Class          string   `json:"class,omitempty"`
	Rule           string   `json:"rule,omitempty"`
	Explanation    string   `json:"explanation,omitempty"`
	StateShare     *Share   `json:"state_share,omitempty"`
	StateCentral   *Share   `json:"state_central,omitempty"`
	StateLocal     *Share   `json:"state_local,omitempty"`
	ControlChain   []string `json:"control_chain,omitempty"`
	ControllerName string   `json:"controller,omitempty"`
}

// Share is a share of equity as a fraction of 1, exact (lo = hi) or within bounds.
type Share struct {
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
	Text string  `json:"text"`
}

// Stake is one owner or holding of a firm.
type Stake struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Direct    *Share `json:"direct,omitempty"`
	Effective Share  `json:"effective"`
	Approx    bool   `json:"approx,omitempty"`
}

func share(r ownership.Range) Share {
	p := func(x float64) string {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", 100*x), "0"), ".") + "%"
	}
	t := p(r.Lo)
	if r.Lo != r.Hi {
		t += "–" + p(r.Hi)
	}
	return Share{Lo: r.Lo, Hi: r.Hi, Text: t}
}

func sharePtr(r ownership.Range) *Share { s := share(r); return &s }

func stakes(in []ownership.Stake) []Stake {
	out := make([]Stake, 0, len(in))
	for _, s := range in {
		st := Stake{ID: s.ID, Name: s.Name, Kind: s.Kind.String(), Effective: share(s.Effective), Approx: s.Approx}
		if s.HasDirect {
			st.Direct = sharePtr(s.Direct)
		}
		out = append(out, st)
	}
	return out
}

var nameProps = []string{"name", "name_en", "short_name", "alias", "previous_name"}
var idProps = []string{"uscc", "org_code", "lei", "stock_code"}

// firm gathers what the API and the firm page show of a firm.
// firm returns the firm of id with its relations as lq pages them, kept (s.firms)
// until the data changes.
func (s *Server) firm(ctx context.Context, id string, lq listQuery) (*Firm, error) {
	return s.firms.get(ctx, firmKey{id, lq}, func(ctx context.Context) (*Firm, error) { return s.buildFirm(ctx, id, lq) })
}

// firmKey is the key of a firm in s.firms.
type firmKey struct {
	id string
	lq listQuery
}

func (s *Server) buildFirm(ctx context.Context, id string, lq listQuery) (*Firm, error) {
	e, err := s.cfg.Store.Entity(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Schema != "Firm" {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "%s is a %s, not a firm; see /api/v1/entities/%s", id, e.Schema, id)
	}
	f := &Firm{ID: e.ID, Caption: e.Caption, Names: map[string][]string{}, Identifiers: map[string][]string{}, Statements: e.Statements}
	for _, p := range nameProps {
		if v := e.Values(p); len(v) > 0 {
			f.Names[p] = v
		}
	}
	for _, p := range idProps {
		if v := e.Values(p); len(v) > 0 {
			f.Identifiers[p] = v
		}
	}
	if f.Cluster, err = s.cluster(ctx, id); err != nil {
		return nil, err
	}
	if f.Ownership, err = s.ownership(ctx, id); err != nil {
		return nil, err
	}
	if f.FirmFacts, err = s.firmFacts(ctx, id, lq); err != nil {
		return nil, err
	}
	return f, nil
}

// cluster reads the firm's cluster from the clusters table of the last resolve run;
// nil when there was none.
func (s *Server) cluster(ctx context.Context, id string) (*Cluster, error) {
	if ok, err := s.hasResolved(ctx); !ok || err != nil {
		return nil, err
	}
	t, err := s.cfg.Store.Query(ctx, `SELECT cluster_id FROM clusters WHERE dataset = 'resolve' AND entity_id = $1`, id)
	if err != nil || len(t.Rows) == 0 {
		return nil, err
	}
	c := &Cluster{ID: cell(t.Rows[0][0]), Members: []ClusterMember{}}
	t, err = s.cfg.Store.Query(ctx, `SELECT entity_id, linked_to, probability, method, explanation FROM clusters
		WHERE dataset = 'resolve' AND cluster_id = $1 ORDER BY entity_id LIMIT 500`, c.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range t.Rows {
		p, _ := strconv.ParseFloat(cell(r[2]), 64)
		c.Members = append(c.Members, ClusterMember{EntityID: cell(r[0]), LinkedTo: cell(r[1]), Probability: p, Method: cell(r[3]), Explanation: cell(r[4])})
	}
	return c, nil
}

// hasResolved says whether the clusters table holds a resolve run, asked once
// until the data changes: a firm page of a database never resolved then reads no
// clusters.
func (s *Server) hasResolved(ctx context.Context) (bool, error) {
	if ok, err := s.hasTable(ctx, "clusters"); !ok || err != nil {
		return false, err
	}
	s.tablesMu.Lock()
	defer s.tablesMu.Unlock()
	const key = "clusters of resolve" // not a table name
	if ok, seen := s.tables[key]; seen {
		return ok, nil
	}
	t, err := s.cfg.Store.Query(ctx, `SELECT count(*) FROM (SELECT 1 FROM clusters WHERE dataset = 'resolve' LIMIT 1) x`)
	if err != nil {
		return false, err
	}
	if s.tables == nil { // the data changed meanwhile
		s.tables = map[string]bool{}
	}
	s.tables[key] = len(t.Rows) == 1 && cellInt(t.Rows[0][0]) > 0
	return s.tables[key], nil
}

func cell(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func cellInt(v any) int64 {
	n, _ := strconv.ParseInt(cell(v), 10, 64)
	return n
}

// ownership looks through the firm's ownership; nil when the server has no graph.
func (s *Server) ownership(ctx context.Context, id string) (*FirmOwnership, error) {
	if s.cfg.Ownership == nil {
		return nil, nil
	}
	v, err := s.cfg.Ownership(ctx, []string{id}, true)
	if err != nil {
		return nil, err
	}
	o := &FirmOwnership{Date: v.Date().String(), Up: []Stake{}, Down: []Stake{}}
	up, err := v.Up(id)
	if err != nil {
		// A firm in no holding is not in the graph: it has no owners.
		if cipmap.ErrorCode(err) == cipmap.ENOTFOUND {
			return o, nil
		}
		return nil, err
	}
	o.Up = stakes(up)
	down, err := v.Down(id)
	if err != nil {
		return nil, err
	}
	o.Down = stakes(down)
	cls, err := v.Classify(id)
	if err != nil {
		return nil, err
	}
	o.Class, o.Rule, o.Explanation = cls.Class.String(), cls.Rule, cls.Text
	o.StateShare, o.StateCentral, o.StateLocal = sharePtr(cls.State.Total), sharePtr(cls.State.Central), sharePtr(cls.State.Local)
	for _, l := range cls.Chain.Links {
		o.ControlChain = append(o.ControlChain, orID(l.ControllerName, l.Controller)+" → "+orID(l.ControlledName, l.Controlled)+": "+l.Why)
	}
	return o, nil
}

func orID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func (s *Server) apiFirm(w http.ResponseWriter, r *http.Request) {
	lq, err := readList(r, flowSorts...)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.firm(r.Context(), r.PathValue("id"), lq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, f)
}

// Datasets is what GET /api/v1/datasets returns.
type Datasets struct {
	Datasets []cipmap.Dataset `json:"datasets"`
	Stats    *cipmap.Stats    `json:"stats"`
}

func (s *Server) datasets(ctx context.Context) (*Datasets, error) {
	// The list and the counts are several queries: a write committed between them
	// would mix two states. Every write replaces a dataset's row (new version, new
	// time), so the same list read before and after the counts means none did.
	var ds []cipmap.Dataset
	var st *cipmap.Stats
	for try := 0; ; try++ {
		before, err := s.cfg.Store.Datasets(ctx)
		if err != nil {
			return nil, err
		}
		if st, err = s.cfg.Store.Stats(ctx); err != nil {
			return nil, err
		}
		if ds, err = s.cfg.Store.Datasets(ctx); err != nil {
			return nil, err
		}
		if sameDatasets(before, ds) || try == 4 {
			break
		}
	}
	if ds == nil {
		ds = []cipmap.Dataset{}
	}
	return &Datasets{Datasets: ds, Stats: st}, nil
}

func (s *Server) apiDatasets(w http.ResponseWriter, r *http.Request) {
	d, err := s.datasets(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, d)
}

func (s *Server) apiCrosswalk(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, code := q.Get("from"), q.Get("to"), q.Get("code")
	if from == "" || to == "" || code == "" {
		s.writeError(w, r, cipmap.Errorf(cipmap.EINVALID, "give from, to and code: /api/v1/crosswalk?from=hs2022&to=gbt4754-2017&code=850440"))
		return
	}
	reg, err := s.registry.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var res *taxonomy.Result
	if res, err = reg.Convert(from, code, to); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, res)
}

func (s *Server) apiTag(w http.ResponseWriter, r *http.Request) {
	text := strings.TrimSpace(r.URL.Query().Get("text"))
	if text == "" || len(text) > 4000 {
		s.writeError(w, r, cipmap.Errorf(cipmap.EINVALID, "text: give 1 to 4000 bytes of text to tag"))
		return
	}
	tg, err := s.tagger.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, tg.Tag(text))
}

// JudgementRequest is the body of POST /api/v1/judgements.
type JudgementRequest struct {
	Left     string `json:"left_id"`
	Right    string `json:"right_id"`
	Decision string `json:"decision"`
	Reviewer string `json:"reviewer"`
	Note     string `json:"note"`
}

func (s *Server) apiJudge(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req JudgementRequest
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.writeError(w, r, cipmap.WrapError(cipmap.EINVALID, err, "the body: want JSON {left_id, right_id, decision, reviewer, note}"))
		return
	}
	switch req.Decision {
	case "same", "different", "unsure":
	default:
		s.writeError(w, r, cipmap.Errorf(cipmap.EINVALID, "decision %q: want same, different or unsure", req.Decision))
		return
	}
	if req.Left == "" || req.Right == "" || req.Left == req.Right {
		s.writeError(w, r, cipmap.Errorf(cipmap.EINVALID, "left_id and right_id: give two different record ids"))
		return
	}
	for _, id := range []string{req.Left, req.Right} {
		if _, err := s.cfg.Store.Entity(r.Context(), id); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if req.Left > req.Right {
		req.Left, req.Right = req.Right, req.Left
	}
	j := cipmap.Judgement{Left: req.Left, Right: req.Right, Decision: req.Decision, Reviewer: req.Reviewer,
		DecidedAt: s.cfg.Now().UTC().Format(time.RFC3339), Note: req.Note, Source: "cipmap serve"}
	if j.Reviewer == "" {
		j.Reviewer = "api"
	}
	s.judging.Lock()
	n, err := s.cfg.Judge(r.Context(), []cipmap.Judgement{j})
	s.judging.Unlock()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"judgement": j, "judgements": n})
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
