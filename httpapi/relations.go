package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
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
func (s *Server) relations(ctx context.Context, id string, links ...link) ([]*rel, error) {
	var conds []string
	for _, l := range links {
		conds = append(conds, "(schema = "+sqlQuote(l.schema)+" AND property = "+sqlQuote(l.prop)+")")
	}
	q := `WITH hit AS (SELECT entity_id, min(property) AS via, min(dataset) AS dataset, min(source) AS source
		FROM statement WHERE value = $1 AND (` + strings.Join(conds, " OR ") + `) GROUP BY entity_id)
	SELECT s.entity_id, s.schema, s.property, s.value, s.dataset, s.source, h.via, h.dataset, h.source
	FROM statement s JOIN hit h ON h.entity_id = s.entity_id
	ORDER BY s.entity_id, s.property, s.dataset, s.value LIMIT ` + strconv.Itoa(maxRelationRows)
	t, err := s.cfg.Store.Query(ctx, q, id)
	if err != nil {
		return nil, err
	}
	var out []*rel
	var cur *rel
	for _, r := range t.Rows {
		eid := cell(r[0])
		if cur == nil || cur.ID != eid {
			cur = &rel{ID: eid, Schema: cell(r[1]), Via: cell(r[6]), props: map[string][]Value{},
				Prov: Prov{Dataset: cell(r[7]), Source: cell(r[8]), Record: eid}}
			out = append(out, cur)
		}
		p := cell(r[2])
		cur.props[p] = append(cur.props[p], Value{Value: cell(r[3]), Prov: Prov{Dataset: cell(r[4]), Source: cell(r[5]), Record: eid}})
	}
	return out, nil
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
	for len(list) > 0 {
		n := min(len(list), 5000)
		in := sqlList(list[:n])
		list = list[n:]
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
	return out, nil
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
