package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// This file reads what the entity pages and their API show: the relation entities
// that name an entity (a directorship naming a person, a grant naming its
// recipient), the entities they name in turn, and paging, filtering and sorting of
// the lists built from them. Every query is fixed text with the entity id as a
// parameter; schema and property names come from this file, never from a request.

// Ref is an entity named by a fact, with its names in both scripts when known.
type Ref struct {
	ID     string `json:"id"`
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name,omitempty"`
	NameEn string `json:"name_en,omitempty"`
	// Number and Date are a policy's document number and date of issue.
	Number string `json:"document_number,omitempty"`
	Date   string `json:"date,omitempty"`
}

// Label is the name to show: the caption, else the id.
func (r *Ref) Label() string {
	if r == nil {
		return ""
	}
	if r.Name != "" {
		return r.Name
	}
	return r.ID
}

// Prov is where a fact comes from: the dataset, the source record (file and line)
// and the relation entity that states it, whose statements /entities/{record} lists.
type Prov struct {
	Dataset string `json:"dataset"`
	Source  string `json:"source"`
	Record  string `json:"record,omitempty"`
}

// Value is one value of a property with its provenance.
type Value struct {
	Value string `json:"value"`
	Prov
}

// link is a property of a relation schema that names the subject.
type link struct{ schema, prop string }

// rel is a relation entity that names the subject, with its statements.
type rel struct {
	ID, Schema string
	Via        string // the property naming the subject
	Prov       Prov   // of the statement naming the subject
	props      map[string][]Value
}

func (r *rel) get(p string) string {
	if v := r.props[p]; len(v) > 0 {
		return v[0].Value
	}
	return ""
}

func (r *rel) float(p string) *float64 {
	v := r.get(p)
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil
	}
	return &f
}

// maxRelationRows bounds the statements read for one entity's relations.
const maxRelationRows = 100000

// errEnough stops a read at maxRelationRows.
var errEnough = errors.New("enough rows")

// sqlQuote quotes an SQL string literal (for names from this file and ids read from
// the store).
func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func sqlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = sqlQuote(x)
	}
	return strings.Join(q, ", ")
}

// relations reads the relation entities whose properties links name id, in id order.
// The relations are found in the edges table, by from_id and to_id (a relation's ends as one dataset states them; see sqlview.EdgeRows), and
// their statements read by id: at a million firms a search of the statement table
// for the value id took seconds. A store without the edges table (a file from
// before it, opened read-only) is searched by value.
func (s *Server) relations(ctx context.Context, id string, links ...link) ([]*rel, error) {
	type hit struct{ via, dataset, source string }
	hits := map[string]hit{}
	edges, err := s.hasTable(ctx, "edges")
	if err != nil {
		return nil, err
	}
	// A relation has an edge only when both its ends are stated: a link from the
	// source end of a relation whose target is optional (a Targeting of a tag,
	// not of an entity) is searched by value.
	var byValue []link
	if edges {
		schemas, err := s.an.schemas.get(ctx)
		if err != nil {
			return nil, err
		}
		var byEdge []link
		for _, l := range links {
			// A flow's receiver always has an edge: a flow without a giver has
			// one from nobody (the flows view's rows).
			if c := cipmap.FlowChannelOf(l.schema); c != nil && (l.prop == c.Receiver || l.prop == c.Giver) {
				byEdge = append(byEdge, l)
				continue
			}
			if sc := schemas[l.schema]; sc != nil && sc.Edge != nil && l.prop != sc.Edge.Target &&
				sc.Properties[sc.Edge.Target] != nil && !sc.Properties[sc.Edge.Target].Required {
				byValue = append(byValue, l)
			} else {
				byEdge = append(byEdge, l)
			}
		}
		links = byEdge
	} else {
		byValue = links
	}
	if edges {
		// One lookup of the edges to and from id; the kinds of edge are picked
		// here.
		t, err := sqlview.Lookup(ctx, s.cfg.Store, cipmap.LookupQuery{IDs: []string{id}, Sides: []string{"to", "from"},
			Columns: []string{"id", "schema", "role", "target", "from_id", "to_id", "dataset", "source"}})
		if err != nil {
			return nil, err
		}
		for _, r := range t.Rows {
			schema, role, target, from, to := cell(r[1]), cell(r[2]), cell(r[3]), cell(r[4]), cell(r[5])
			for _, l := range links {
				if l.schema != schema || !(to == id && target == l.prop || from == id && role == l.prop) {
					continue
				}
				h := hit{l.prop, cell(r[6]), cell(r[7])}
				if old, ok := hits[cell(r[0])]; ok && (old.via < h.via || old.via == h.via && (old.dataset < h.dataset ||
					old.dataset == h.dataset && old.source <= h.source)) {
					continue
				}
				hits[cell(r[0])] = h
			}
		}
	}
	if len(byValue) > 0 {
		var conds []string
		for _, l := range byValue {
			conds = append(conds, "(schema = "+sqlQuote(l.schema)+" AND property = "+sqlQuote(l.prop)+")")
		}
		t, err := s.cfg.Store.Query(ctx, `SELECT entity_id, min(property), min(dataset), min(source)
			FROM statement WHERE value = $1 AND (`+strings.Join(conds, " OR ")+`) GROUP BY entity_id`, id)
		if err != nil {
			return nil, err
		}
		for _, r := range t.Rows {
			if _, ok := hits[cell(r[0])]; !ok {
				hits[cell(r[0])] = hit{cell(r[1]), cell(r[2]), cell(r[3])}
			}
		}
	}
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(hits))
	for h := range hits {
		ids = append(ids, h)
	}
	sort.Strings(ids)
	// The relations' statements, by their keys (Statements with EntityIDs).
	var out []*rel
	var cur *rel
	n := 0
	err = s.cfg.Store.Statements(ctx, cipmap.StatementFilter{EntityIDs: ids}, func(st *cipmap.Statement) error {
		if n++; n > maxRelationRows {
			return errEnough
		}
		if cur == nil || cur.ID != st.EntityID {
			h := hits[st.EntityID]
			cur = &rel{ID: st.EntityID, Schema: st.Schema, Via: h.via, props: map[string][]Value{},
				Prov: Prov{Dataset: h.dataset, Source: h.source, Record: st.EntityID}}
			out = append(out, cur)
		}
		cur.props[st.Property] = append(cur.props[st.Property], Value{Value: st.Value,
			Prov: Prov{Dataset: st.Dataset, Source: st.Source, Record: st.EntityID}})
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return out, nil
}

// hasTable says whether the store has the table, asked once per table.
func (s *Server) hasTable(ctx context.Context, table string) (bool, error) {
	s.tablesMu.Lock()
	defer s.tablesMu.Unlock()
	if ok, seen := s.tables[table]; seen {
		return ok, nil
	}
	t, err := s.cfg.Store.Query(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_name = $1", table)
	if err != nil {
		return false, err
	}
	if s.tables == nil {
		s.tables = map[string]bool{}
	}
	s.tables[table] = len(t.Rows) == 1 && cellInt(t.Rows[0][0]) > 0
	return s.tables[table], nil
}

// refs names the entities of ids: caption and schema from the entity table, the
// English name, and a policy's document number and date.
func (s *Server) refs(ctx context.Context, ids []string) (map[string]*Ref, error) {
	out := map[string]*Ref{}
	seen := map[string]bool{}
	var list []string
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			list = append(list, id)
		}
	}
	nodes, err := s.hasTable(ctx, "nodes")
	if err != nil {
		return nil, err
	}
	// From memory when the store holds names (a server's search index), else
	// from the nodes table, caption and English name; the rest, relations and
	// the ids of a file without the table, from the entity table; a policy's
	// English title, number and date from its statements.
	var rest, policies []string
	if c, ok := s.cfg.Store.(cipmap.Captioner); ok {
		if known := c.Captions(list); len(known) > 0 {
			left := list[:0:0]
			for _, id := range list {
				k, ok := known[id]
				if !ok {
					left = append(left, id)
					continue
				}
				ref := &Ref{ID: id, Schema: k.Schema, Name: k.Caption}
				if k.NameEn != ref.Name {
					ref.NameEn = k.NameEn
				}
				out[id] = ref
				if ref.Schema == "Policy" {
					policies = append(policies, id)
				}
			}
			list = left
		}
	}
	for len(list) > 0 {
		n := min(len(list), 1000)
		part := list[:n]
		list = list[n:]
		if !nodes {
			rest = append(rest, part...)
			continue
		}
		t, err := sqlview.Lookup(ctx, s.cfg.Store, cipmap.LookupQuery{IDs: part, Sides: []string{"node"},
			Columns: []string{"end_id", "schema", "caption", "name_en"}})
		if err != nil {
			return nil, err
		}
		// An id has a node row per dataset: the least of each column, as min()
		// would give, NULLs aside.
		least := func(have *string, v any) {
			if v != nil && (*have == "" || cell(v) < *have) {
				*have = cell(v)
			}
		}
		en := map[string]string{}
		for _, r := range t.Rows {
			ref := out[cell(r[0])]
			if ref == nil {
				ref = &Ref{ID: cell(r[0])}
				out[ref.ID] = ref
			}
			least(&ref.Schema, r[1])
			least(&ref.Name, r[2])
			e := en[ref.ID]
			least(&e, r[3])
			en[ref.ID] = e
		}
		for id, e := range en {
			if ref := out[id]; e != ref.Name {
				ref.NameEn = e
			}
		}
		for _, id := range part {
			if ref := out[id]; ref == nil {
				rest = append(rest, id)
			} else if ref.Schema == "Policy" {
				policies = append(policies, id)
			}
		}
	}
	for len(rest) > 0 {
		n := min(len(rest), 5000)
		in := sqlList(rest[:n])
		rest = rest[n:]
		t, err := s.cfg.Store.Query(ctx, "SELECT id, min(schema), min(caption) FROM entity WHERE id IN ("+in+") GROUP BY id")
		if err != nil {
			return nil, err
		}
		for _, r := range t.Rows {
			out[cell(r[0])] = &Ref{ID: cell(r[0]), Schema: cell(r[1]), Name: cell(r[2])}
		}
		t, err = s.cfg.Store.Query(ctx, `SELECT entity_id, property, min(value) FROM statement
			WHERE entity_id IN (`+in+`) AND property IN ('name_en', 'title_en', 'document_number', 'date')
			GROUP BY entity_id, property`)
		if err != nil {
			return nil, err
		}
		addRefProps(out, t)
	}
	for len(policies) > 0 {
		n := min(len(policies), 5000)
		t, err := s.cfg.Store.Query(ctx, `SELECT entity_id, property, min(value) FROM statement
			WHERE entity_id IN (`+sqlList(policies[:n])+`) AND property IN ('title_en', 'document_number', 'date')
			GROUP BY entity_id, property`)
		if err != nil {
			return nil, err
		}
		policies = policies[n:]
		addRefProps(out, t)
	}
	return out, nil
}

// addRefProps sets the English names, document numbers and policy dates of rows
// (entity_id, property, value).
func addRefProps(out map[string]*Ref, t *cipmap.Table) {
	for _, r := range t.Rows {
		ref := out[cell(r[0])]
		if ref == nil {
			continue
		}
		switch v := cell(r[2]); cell(r[1]) {
		case "name_en", "title_en":
			if v != ref.Name {
				ref.NameEn = v
			}
		case "document_number":
			ref.Number = v
		case "date":
			if ref.Schema == "Policy" {
				ref.Date = v
			}
		}
	}
}

// refOf returns the ref of id from m, or a bare one when the entity is not stored.
func refOf(m map[string]*Ref, id string) *Ref {
	if id == "" {
		return nil
	}
	if r, ok := m[id]; ok {
		return r
	}
	return &Ref{ID: id}
}

// subject reads the entity id, checks its schema, and gathers its properties with
// their provenance.
func (s *Server) subject(ctx context.Context, id, schema string) (*cipmap.Entity, map[string][]Value, error) {
	e, err := s.cfg.Store.Entity(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if e.Schema != schema {
		return e, nil, cipmap.Errorf(cipmap.ENOTFOUND, "%s is a %s, not a %s; see %s", id, e.Schema, schema, apiPathOf(e.Schema, e.ID))
	}
	props := map[string][]Value{}
	for _, st := range e.Statements {
		props[st.Property] = append(props[st.Property], Value{Value: st.Value, Prov: Prov{Dataset: st.Dataset, Source: st.Source, Record: e.ID}})
	}
	return e, props, nil
}

// pathOf is the page of an entity of schema.
func pathOf(schema, id string) string {
	p := "/entities/"
	switch schema {
	case "Firm":
		p = "/firms/"
	case "Person":
		p = "/persons/"
	case "Fund":
		p = "/funds/"
	case "GovBody":
		p = "/govbodies/"
	case "Policy":
		p = "/policies/"
	case "Program":
		p = "/programs/"
	}
	return p + url.PathEscape(id)
}

// apiPathOf is the API resource of an entity of schema.
func apiPathOf(schema, id string) string { return "/api/v1" + pathOf(schema, id) }

// Href is the page of an entity of schema, for templates.
func (p *page) Href(schema, id string) string { return pathOf(schema, id) }

// List is one page of a longer list.
type List[T any] struct {
	Total  int  `json:"total"`
	Limit  int  `json:"limit"`
	Offset int  `json:"offset"`
	More   bool `json:"more"`
	Items  []T  `json:"items"`
}

// listQuery is how a request pages, filters and sorts a list.
type listQuery struct {
	Limit, Offset int
	Sort          string
	Channel       string
	Year          string
	Dataset       string
}

// readList reads limit, offset, sort (one of sorts, the first by default) and the
// filters channel, year and dataset.
func readList(r *http.Request, sorts ...string) (listQuery, error) {
	var lq listQuery
	var err error
	if lq.Limit, err = intParam(r, "limit", defaultLimit, maxLimit); err != nil {
		return lq, err
	}
	if lq.Limit == 0 {
		lq.Limit = defaultLimit
	}
	if lq.Offset, err = intParam(r, "offset", 0, maxOffset); err != nil {
		return lq, err
	}
	q := r.URL.Query()
	lq.Sort = q.Get("sort")
	if lq.Sort == "" && len(sorts) > 0 {
		lq.Sort = sorts[0]
	}
	if lq.Sort != "" && !contains(sorts, lq.Sort) {
		return lq, cipmap.Errorf(cipmap.EINVALID, "sort=%q: want one of %s", lq.Sort, strings.Join(sorts, ", "))
	}
	lq.Channel, lq.Dataset = q.Get("channel"), q.Get("dataset")
	if lq.Channel != "" && lq.Channel != "designation" && cipmap.FlowChannelOf(channelSchema(lq.Channel)) == nil {
		var names []string
		for _, c := range cipmap.FlowChannels {
			names = append(names, c.Channel)
		}
		return lq, cipmap.Errorf(cipmap.EINVALID, "channel=%q: want one of %s", lq.Channel, strings.Join(names, ", "))
	}
	if y := q.Get("year"); y != "" {
		if n, err := strconv.Atoi(y); err != nil || n < 1900 || n > 2200 {
			return lq, cipmap.Errorf(cipmap.EINVALID, "year=%q: want a year such as 2021", y)
		}
		lq.Year = y
	}
	return lq, nil
}

func channelSchema(channel string) string {
	for _, c := range cipmap.FlowChannels {
		if c.Channel == channel {
			return c.Schema
		}
	}
	return ""
}

// page cuts items to the list query's page.
func pageList[T any](items []T, lq listQuery) List[T] {
	l := List[T]{Total: len(items), Limit: lq.Limit, Offset: lq.Offset, Items: []T{}}
	if lq.Offset < len(items) {
		items = items[lq.Offset:]
		if len(items) > lq.Limit {
			items, l.More = items[:lq.Limit], true
		}
		l.Items = items
	}
	return l
}

// yearOf is the year of an ISO date, or "".
func yearOf(date string) string {
	if len(date) >= 4 {
		return date[:4]
	}
	return ""
}

// sortStable sorts xs by less, keeping ties in their order.
func sortStable[T any](xs []T, less func(a, b T) bool) {
	sort.SliceStable(xs, func(i, j int) bool { return less(xs[i], xs[j]) })
}

// searchMatches is how many of the best matches a search filters by dataset or
// sorts by name.
const searchMatches = 2000

// filterHits keeps the hits with a statement from dataset (if given) and sorts them
// by caption when order is "name" (else they stay best first).
func filterHits(hits []cipmap.SearchHit, dataset, order string) []cipmap.SearchHit {
	if dataset != "" {
		var keep []cipmap.SearchHit
		for _, h := range hits {
			if contains(strings.Split(h.Datasets, ","), dataset) {
				keep = append(keep, h)
			}
		}
		hits = keep
	}
	if order == "name" {
		sortStable(hits, func(a, b cipmap.SearchHit) bool {
			return a.Caption < b.Caption || a.Caption == b.Caption && a.EntityID < b.EntityID
		})
	}
	return hits
}
