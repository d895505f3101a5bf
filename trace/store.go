package trace

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// StoreSource reads the graph from a store: from its edges table (one indexed row
// per relation and pair of ends, derived at load), or, in a file from before that
// table, with SQL on the statement table that scans it once to find the relations
// and once to read them.
type StoreSource struct {
	Store cipmap.Store
	// Debug, if set, receives the time of every query.
	Debug io.Writer
	// Statements reads the statement table even where the edges table exists, to
	// check one against the other.
	Statements bool

	mu     sync.Mutex
	tables map[string]bool // which of the tables asked about the store has
}

var _ Source = (*StoreSource)(nil)

// quote quotes an SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func inList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = quote(id)
	}
	return strings.Join(q, ", ")
}

// edgeProps are the properties read for every edge besides its ends.
var edgeProps = []string{"amount", "amount_raised", "currency", "date", "listing_date", "start_date", "end_date", "year", "percentage"}

// batch is the most ids in one IN list.
const batch = 100000

// Edges implements Source.
func (s *StoreSource) Edges(ctx context.Context, ids []string, dir Dir, roles []Role) ([]Edge, error) {
	var out []Edge
	for len(ids) > 0 {
		n := min(len(ids), batch)
		es, err := s.edges(ctx, ids[:n], dir, roles)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
		ids = ids[n:]
	}
	return out, nil
}

// has says whether the store has the table: a file opened read-only from before
// a table's migration has not (edges 005, nodes 007), and clusters exist only
// after cipmap resolve.
func (s *StoreSource) has(ctx context.Context, table string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok, seen := s.tables[table]; seen {
		return ok, nil
	}
	t, err := s.Store.Query(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_name = $1", table)
	if err != nil {
		return false, fmt.Errorf("trace: %w", err)
	}
	if s.tables == nil {
		s.tables = map[string]bool{}
	}
	s.tables[table] = len(t.Rows) == 1 && str(t.Rows[0][0]) != "0"
	return s.tables[table], nil
}

// fromTable reads the edges of roles with an end among ids from the edges table.
func (s *StoreSource) fromTable(ctx context.Context, ids []string, dir Dir, roles []Role) ([]Edge, error) {
	channel := map[[3]string]string{}
	var conds []string
	for _, r := range roles {
		k := [3]string{r.Schema, r.From, r.To}
		if _, ok := channel[k]; ok {
			continue
		}
		channel[k] = r.Channel
		conds = append(conds, fmt.Sprintf("(schema = %s AND role = %s AND target = %s)", quote(r.Schema), quote(r.From), quote(r.To)))
	}
	set, args := sqlview.IDSet(ids, 0)
	const cols = "id, schema, role, target, from_id, to_id, date, end_date, year, amount, currency, percentage, dataset, source"
	where := "from_id IS NOT NULL AND (" + strings.Join(conds, " OR ") + ")"
	var parts []string
	if dir&Out != 0 {
		parts = append(parts, "SELECT "+cols+" FROM edges WHERE "+where+" AND from_id IN "+set)
	}
	if dir&In != 0 {
		parts = append(parts, "SELECT "+cols+" FROM edges WHERE "+where+" AND to_id IN "+set)
	}
	t, err := s.query(ctx, strings.Join(parts, "\nUNION ")+"\nORDER BY 1, 3, 5, 6, 13, 14", args...)
	if err != nil {
		return nil, fmt.Errorf("trace: read edges: %w", err)
	}
	out := make([]Edge, 0, len(t.Rows))
	for _, r := range t.Rows {
		e := Edge{ID: str(r[0]), Schema: str(r[1]), Role: str(r[2]), Channel: channel[[3]string{str(r[1]), str(r[2]), str(r[3])}],
			From: str(r[4]), To: str(r[5]), Date: str(r[6]), End: str(r[7]), Currency: str(r[10]),
			Dataset: str(r[12]), Source: str(r[13])}
		if y, ok := r[8].(int32); ok {
			e.Year = int(y)
		} else if r[8] != nil {
			e.Year, _ = strconv.Atoi(str(r[8]))
		}
		if r[9] != nil {
			if v, err := strconv.ParseFloat(str(r[9]), 64); err == nil {
				e.Amount = &v
			}
		}
		if p := str(r[11]); p != "" {
			if v, ok := parseShare(p); ok {
				e.Share, e.Percentage = &v, p
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func (s *StoreSource) edges(ctx context.Context, ids []string, dir Dir, roles []Role) ([]Edge, error) {
	if len(ids) == 0 || len(roles) == 0 {
		return nil, nil
	}
	if ok, err := s.has(ctx, "edges"); err != nil {
		return nil, err
	} else if ok && !s.Statements {
		return s.fromTable(ctx, ids, dir, roles)
	}
	list := inList(ids)
	var byValue, byEntity []string
	props := map[string]bool{}
	for _, r := range roles {
		props[r.From] = true
		if r.To != "" {
			props[r.To] = true
		}
		cond := func(p string) string {
			return fmt.Sprintf("(schema = %s AND property = %s)", quote(r.Schema), quote(p))
		}
		if dir&Out != 0 {
			byValue = append(byValue, cond(r.From))
		}
		if dir&In != 0 {
			if r.To == "" {
				byEntity = append(byEntity, cond(r.From))
			} else {
				byValue = append(byValue, cond(r.To))
			}
		}
	}
	for _, p := range edgeProps {
		props[p] = true
	}
	// One SELECT a schema and property, each with an equality on schema: statements
	// are stored in load order, so a schema's rows cluster and both stores skip the
	// blocks of other schemas (DuckDB by its zone maps).
	var hits []string
	for _, c := range byValue {
		hits = append(hits, "SELECT entity_id, schema FROM statement WHERE "+c+" AND value IN ("+list+")")
	}
	for _, c := range byEntity {
		hits = append(hits, "SELECT entity_id, schema FROM statement WHERE "+c+" AND entity_id IN ("+list+")")
	}
	var pl []string
	for p := range props {
		pl = append(pl, p)
	}
	sort.Strings(pl)
	var reads []string
	seen := map[string]bool{}
	for _, r := range roles {
		if seen[r.Schema] {
			continue
		}
		seen[r.Schema] = true
		reads = append(reads, "SELECT s.entity_id, s.schema, s.property, s.value, s.dataset, s.source FROM statement s "+
			"WHERE s.schema = "+quote(r.Schema)+" AND s.property IN ("+inList(pl)+") AND s.entity_id IN (SELECT entity_id FROM hit WHERE schema = "+quote(r.Schema)+")")
	}
	sql := "WITH hit AS (SELECT DISTINCT entity_id, schema FROM (" + strings.Join(hits, "\nUNION ALL ") + ") h)\n" +
		strings.Join(reads, "\nUNION ALL ") + "\nORDER BY 1, 3, 5, 6, 4"
	t, err := s.query(ctx, sql)
	if err != nil {
		return nil, fmt.Errorf("trace: read edges: %w", err)
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []Edge
	var cur entityRows
	flush := func() {
		if cur.id != "" {
			out = cur.edges(out, roles, dir, want)
		}
	}
	for _, r := range t.Rows {
		id := str(r[0])
		if id != cur.id {
			flush()
			cur = entityRows{id: id, schema: str(r[1]), props: map[string][]stmt{}}
		}
		p := str(r[2])
		cur.props[p] = append(cur.props[p], stmt{str(r[3]), str(r[4]), str(r[5])})
	}
	flush()
	return out, nil
}

type stmt struct{ value, dataset, source string }

// entityRows are the statements of one relation entity, by property.
type entityRows struct {
	id, schema string
	props      map[string][]stmt
}

func (e *entityRows) first(props ...string) string {
	for _, p := range props {
		if v := e.props[p]; len(v) > 0 {
			return v[0].value
		}
	}
	return ""
}

// edges appends the entity's edges of the given roles with an end among want.
func (e *entityRows) edges(out []Edge, roles []Role, dir Dir, want map[string]bool) []Edge {
	for _, r := range roles {
		if r.Schema != e.schema {
			continue
		}
		froms := e.props[r.From]
		var tos []stmt
		if r.To == "" {
			tos = []stmt{{value: e.id}}
		} else {
			tos = e.props[r.To]
		}
		for _, f := range froms {
			for _, t := range tos {
				if !(dir&Out != 0 && want[f.value] || dir&In != 0 && want[t.value]) {
					continue
				}
				ed := Edge{ID: e.id, Schema: e.schema, Role: r.From, Channel: r.Channel, From: f.value, To: t.value,
					Dataset: f.dataset, Source: f.source}
				e.fill(&ed)
				out = append(out, ed)
			}
		}
	}
	return out
}

// fill sets an edge's date, amount and share from its entity's statements.
func (e *entityRows) fill(ed *Edge) {
	if e.schema == "Ownership" {
		ed.Date = e.first("start_date")
		ed.End = e.first("end_date")
		if p := e.first("percentage"); p != "" {
			if v, ok := parseShare(p); ok {
				ed.Share, ed.Percentage = &v, p
			}
		}
	} else {
		ed.Date = e.first("date", "listing_date", "start_date")
		ed.End = e.first("end_date")
	}
	ed.Year = yearOf(ed.Date)
	if ed.Year == 0 {
		ed.Year, _ = strconv.Atoi(e.first("year"))
	}
	prop := "amount"
	if c := cipmap.FlowChannelOf(e.schema); c != nil {
		prop = c.Amount
	}
	if e.schema != "Ownership" {
		if v, err := strconv.ParseFloat(e.first(prop), 64); err == nil {
			ed.Amount = &v
			ed.Currency = e.first("currency")
		}
	}
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// query runs sql; with Debug set it reports the time to Debug.
func (s *StoreSource) query(ctx context.Context, sql string, args ...any) (*cipmap.Table, error) {
	start := time.Now()
	t, err := s.Store.Query(ctx, sql, args...)
	if s.Debug != nil {
		n := 0
		if t != nil {
			n = len(t.Rows)
		}
		head, _, _ := strings.Cut(sql, "\n")
		fmt.Fprintf(s.Debug, "trace: %6.3f s %7d rows  %.120s\n", time.Since(start).Seconds(), n, head)
	}
	return t, err
}

// Clusters implements Resolver from the clusters table that cipmap resolve
// writes; a store without one resolves nothing.
func (s *StoreSource) Clusters(ctx context.Context, ids []string) (map[string][]string, error) {
	if ok, err := s.has(ctx, "clusters"); !ok || len(ids) == 0 {
		return nil, err
	}
	out := map[string][]string{}
	for len(ids) > 0 {
		n := min(len(ids), batch)
		set, args := sqlview.IDSet(ids[:n], 0)
		// An entity in clusters of several runs takes the smallest cluster id, as
		// cipmap sector does.
		t, err := s.query(ctx, `WITH canon AS (SELECT entity_id, min(cluster_id) AS cluster_id FROM clusters GROUP BY entity_id)
			SELECT c.cluster_id, c.entity_id FROM canon c
			WHERE c.cluster_id IN (SELECT cluster_id FROM canon WHERE entity_id IN `+set+`)
			ORDER BY 1, 2`, args...)
		if err != nil {
			return nil, fmt.Errorf("trace: read clusters: %w", err)
		}
		for _, r := range t.Rows {
			c := str(r[0])
			out[c] = append(out[c], str(r[1]))
		}
		ids = ids[n:]
	}
	return out, nil
}

// TargetedTags implements TagTargetSource: the target tags of the policy's
// Targeting relations, each with the number of firms (resolved firms once) that
// carry it or a tag of its subtree (subtree nil: the tag alone) in the tags table.
func (s *StoreSource) TargetedTags(ctx context.Context, policy string, subtree func(string) []string) ([]TargetedTag, error) {
	t, err := s.query(ctx, `SELECT s.value AS tag, min(s.dataset), min(s.source) FROM statement s
		WHERE s.schema = 'Targeting' AND s.property = 'target_tag' AND s.entity_id IN (
			SELECT entity_id FROM statement WHERE schema = 'Targeting' AND property = 'policy' AND value = $1)
		GROUP BY s.value ORDER BY s.value`, policy)
	if err != nil {
		return nil, fmt.Errorf("trace: read the policy's targets: %w", err)
	}
	clustered, err := s.has(ctx, "clusters")
	if err != nil {
		return nil, err
	}
	entities := "entity"
	if ok, err := s.has(ctx, "nodes"); err != nil {
		return nil, err
	} else if ok {
		entities = "nodes"
	}
	firm := "t.entity_id"
	join := ""
	if clustered {
		firm = "coalesce(c.cluster_id, t.entity_id)"
		join = " LEFT JOIN (SELECT entity_id, min(cluster_id) AS cluster_id FROM clusters GROUP BY entity_id) c ON c.entity_id = t.entity_id"
	}
	var out []TargetedTag
	for _, r := range t.Rows {
		tg := TargetedTag{Tag: str(r[0]), Dataset: str(r[1]), Source: str(r[2])}
		tags := []string{tg.Tag}
		if subtree != nil {
			if sub := subtree(tg.Tag); len(sub) > 0 {
				tags = sub
			}
		}
		n, err := s.query(ctx, `SELECT count(DISTINCT `+firm+`) FROM tags t`+join+`
			WHERE t.system = 'ctt' AND t.weight > 0 AND t.tag IN (`+inList(tags)+`)
				AND t.entity_id IN (SELECT id FROM `+entities+` WHERE schema = 'Firm')`)
		if err != nil {
			return nil, fmt.Errorf("trace: count the firms of %s: %w", tg.Tag, err)
		}
		tg.Firms, _ = strconv.Atoi(str(n.Rows[0][0]))
		out = append(out, tg)
	}
	return out, nil
}

// TaggedFirms returns the records that carry a tag of tags: tagged themselves
// (cipmap tag), or applicants of patents tagged with one (cipmap patents tag).
func (s *StoreSource) TaggedFirms(ctx context.Context, tags []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(tags) == 0 {
		return out, nil
	}
	in := inList(tags)
	queries := []string{"SELECT DISTINCT entity_id FROM tags WHERE system = 'ctt' AND weight > 0 AND tag IN (" + in + ")"}
	if _, err := s.Store.Query(ctx, "SELECT 1 FROM patent_tags WHERE false"); err == nil {
		queries = append(queries, "SELECT DISTINCT p.applicant_id FROM patent_facts p JOIN patent_tags t ON t.patent_id = p.patent_id "+
			"WHERE t.system = 'ctt' AND t.weight > 0 AND t.tag IN ("+in+") AND p.applicant_id IS NOT NULL")
	}
	for _, q := range queries {
		t, err := s.query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("trace: firms tagged %s: %w", tags[0], err)
		}
		for _, r := range t.Rows {
			out[str(r[0])] = true
		}
	}
	return out, nil
}

// PatentsByTag implements PatentSource from the patent_facts and patent_tags
// tables (cipmap patents tag); a store without them has no patents.
func (s *StoreSource) PatentsByTag(ctx context.Context, ids []string) (map[string]map[string]float64, error) {
	out := map[string]map[string]float64{}
	if len(ids) == 0 {
		return out, nil
	}
	if t, err := s.Store.Query(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('patent_facts', 'patent_tags')"); err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	} else if len(t.Rows) != 1 || str(t.Rows[0][0]) != "2" {
		return out, nil
	}
	for len(ids) > 0 {
		n := min(len(ids), batch)
		set, args := sqlview.IDSet(ids[:n], 0)
		t, err := s.query(ctx, `SELECT p.applicant_id, t.tag, sum(t.weight / p.applicants)
			FROM patent_facts p JOIN patent_tags t ON t.patent_id = p.patent_id
			WHERE t.system = 'ctt' AND t.weight > 0 AND p.applicants > 0 AND p.applicant_id IN `+set+`
			GROUP BY 1, 2`, args...)
		if err != nil {
			return nil, fmt.Errorf("trace: read patents: %w", err)
		}
		for _, r := range t.Rows {
			id := str(r[0])
			if out[id] == nil {
				out[id] = map[string]float64{}
			}
			v, _ := strconv.ParseFloat(str(r[2]), 64)
			out[id][str(r[1])] += v
		}
		ids = ids[n:]
	}
	return out, nil
}

// Nodes implements Source: from the nodes table, which holds the entities that are
// not relations, sorted by id, and is far smaller than the entity table; then from
// the entity table for the ids it lacks (relations, which a path may pass through).
func (s *StoreSource) Nodes(ctx context.Context, ids []string) (map[string]Node, error) {
	out := map[string]Node{}
	var missing []string
	tables := []string{"nodes", "entity"}
	if ok, err := s.has(ctx, "nodes"); err != nil {
		return nil, err
	} else if !ok {
		tables = tables[1:]
	}
	for _, table := range tables {
		for len(ids) > 0 {
			n := min(len(ids), batch)
			set, args := sqlview.IDSet(ids[:n], 0)
			t, err := s.query(ctx, "SELECT id, min(schema), min(caption) FROM "+table+" WHERE id IN "+set+" GROUP BY id", args...)
			if err != nil {
				return nil, fmt.Errorf("trace: read entities: %w", err)
			}
			for _, r := range t.Rows {
				out[str(r[0])] = Node{ID: str(r[0]), Schema: str(r[1]), Name: str(r[2])}
			}
			for _, id := range ids[:n] {
				if _, ok := out[id]; !ok {
					missing = append(missing, id)
				}
			}
			ids = ids[n:]
		}
		ids, missing = missing, nil
	}
	return out, nil
}

// names are the properties that name an entity.
var names = map[string]bool{"name": true, "short_name": true, "name_en": true, "alias": true, "previous_name": true,
	"title": true, "short_title": true}

// Find implements Source: the entity with id q, else the entities of schemas whose
// name is q, else those whose name contains it.
func (s *StoreSource) Find(ctx context.Context, q string, schemas []string) ([]Node, error) {
	if n, err := s.Nodes(ctx, []string{q}); err != nil {
		return nil, err
	} else if x, ok := n[q]; ok {
		return []Node{x}, nil
	}
	// An entity captioned q is the best match there is, and the nodes table finds
	// it in a scan of one column, where a search reads the statements.
	if ok, err := s.has(ctx, "nodes"); err != nil {
		return nil, err
	} else if ok {
		cond := ""
		if len(schemas) > 0 {
			cond = " AND schema IN (" + inList(schemas) + ")"
		}
		t, err := s.query(ctx, "SELECT id, min(schema), min(caption) FROM nodes WHERE caption = $1"+cond+" GROUP BY id ORDER BY id", q)
		if err != nil {
			return nil, fmt.Errorf("trace: find %s: %w", q, err)
		}
		if len(t.Rows) > 0 {
			out := make([]Node, len(t.Rows))
			for i, r := range t.Rows {
				out[i] = Node{ID: str(r[0]), Schema: str(r[1]), Name: str(r[2])}
			}
			return out, nil
		}
	}
	hits, err := s.Store.Search(ctx, cipmap.SearchQuery{Text: q, Schemas: schemas, Limit: 50})
	if err != nil {
		return nil, err
	}
	// Best first: the caption is q; a name is q; a name contains q; any value does.
	var tiers [4][]Node
	seen := map[string]int{}
	for _, h := range hits {
		tier := 3
		switch {
		case h.Caption == q:
			tier = 0
		case names[h.Property] && h.Value == q:
			tier = 1
		case names[h.Property]:
			tier = 2
		}
		if t, ok := seen[h.EntityID]; ok && t <= tier {
			continue
		}
		seen[h.EntityID] = tier
		tiers[tier] = append(tiers[tier], Node{ID: h.EntityID, Schema: h.Schema, Name: h.Caption})
	}
	for i, ns := range tiers {
		var out []Node
		for _, n := range ns {
			if seen[n.ID] == i {
				out = append(out, n)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}
