package ownership

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// LoadOptions say what LoadStore reads besides holdings and controls.
type LoadOptions struct {
	// Positions reads the Directorship relations too, which only People needs:
	// at a million firms they are half of what LoadStore would read.
	Positions bool
}

// LoadStore builds the whole ownership graph of a store: every Firm, Person,
// GovBody and Fund as a node and every Ownership and Control (and, with
// opt.Positions, Directorship) as edges, exactly as AddStore of their statements
// would, but with the store doing the work of AddEntity's First and Values in two
// aggregations of the statement table, read as they stream. At a million firms that
// takes about 50 s where AddStore, which hands over every statement of those
// entities an entity at a time, had not finished after eleven minutes.
//
// One difference, in provenance only: where the first value of a relation's
// property is stated by several records of one dataset, the holding's source is the
// record whose name sorts first as text, where AddEntity takes the first in natural
// order ("r9" before "r10").
func LoadStore(ctx context.Context, st cipmap.Store, opt LoadOptions) (*Graph, error) {
	g, err := loadStore(ctx, st, opt, true)
	if errors.Is(err, errUnordered) {
		return loadStore(ctx, st, opt, false)
	}
	return g, err
}

// errUnordered says that a store sorted the ids otherwise than by their bytes
// (PostgreSQL's collation of the database).
var errUnordered = errors.New("ids not in byte order")

// loadStore adds the store's entities in order of entity id, as AddStore adds
// them, so that the nodes are numbered alike and every sum is taken in the same
// order: a share summed in another order can differ in its last digit. The store
// sorts both queries by id. The relations are read first and kept; the nodes,
// three times as many at a million firms, are merged with them as they come, when
// stream says the store sorts ids by their bytes (else every row is kept and
// sorted here).
func loadStore(ctx context.Context, st cipmap.Store, opt LoadOptions, stream bool) (*Graph, error) {
	var items []entityItem
	read := func(query string, props []string, fn func(it *entityItem) error) error {
		return sqlview.QueryEach(ctx, st, query, nil, func(r []any) error {
			e := loadedEntity{row: r, props: props}
			it, err := parseEntity(e.id(), e.schema(), "", e.first, e.values, e.provenance)
			if err != nil {
				return err
			}
			return fn(&it)
		})
	}
	keep := func(it *entityItem) error {
		items = append(items, *it)
		return nil
	}
	rels := "'Ownership', 'Control'"
	if opt.Positions {
		rels += ", 'Directorship'"
	}
	if err := read(strings.Replace(relationQuery, "$schemas", rels, 1), relationProps, keep); err != nil {
		return nil, err
	}
	byID := func(a, b entityItem) int { return strings.Compare(a.id, b.id) }
	var b Builder
	if !stream {
		if err := read(nodeQuery, nodeProps, keep); err != nil {
			return nil, err
		}
		slices.SortFunc(items, byID)
		for i := range items {
			b.addItem(&items[i])
		}
		return b.Build()
	}
	if !slices.IsSortedFunc(items, byID) {
		return nil, errUnordered
	}
	next, last := 0, ""
	err := read(nodeQuery, nodeProps, func(it *entityItem) error {
		if it.id < last {
			return errUnordered
		}
		last = it.id
		for ; next < len(items) && items[next].id < it.id; next++ {
			b.addItem(&items[next])
			items[next] = entityItem{}
		}
		b.addItem(it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for ; next < len(items); next++ {
		b.addItem(&items[next])
	}
	return b.Build()
}

var (
	nodeProps     = []string{"name", "country", "nationality", "level", "kind", "legal_form"}
	relationProps = []string{"owner", "asset", "percentage", "start_date", "end_date", "record_date",
		"controller", "controlled", "role", "control_type", "director", "organization"}
	// provenanceProps are the properties whose first statement AddEntity names as
	// an edge's source.
	provenanceProps = []string{"owner", "percentage", "controller", "director"}

	nodeQuery     = aggregateQuery("'Firm', 'Person', 'GovBody', 'Fund'", nodeProps, nil)
	relationQuery = aggregateQuery("$schemas", relationProps, provenanceProps)
)

// aggregateQuery returns the query of one row per entity of the schemas: its id and
// schema; the least value of each of props (AddEntity's First), except percentage,
// whose values are joined by \x01; and, for each of prov, the value, dataset and
// source of the property's first statement (in order of value, dataset and source),
// joined by \x01.
func aggregateQuery(schemas string, props, prov []string) string {
	cols := []string{"entity_id", "schema"}
	for _, p := range props {
		f := " FILTER (WHERE property = " + sqlview.Literal(p) + ")"
		if p == "percentage" {
			cols = append(cols, "string_agg(value, chr(1))"+f)
		} else {
			cols = append(cols, "min(value)"+f)
		}
	}
	for _, p := range prov {
		cols = append(cols, "min(value || chr(1) || dataset || chr(1) || source) FILTER (WHERE property = "+sqlview.Literal(p)+")")
	}
	quoted := make([]string, len(props))
	for i, p := range props {
		quoted[i] = sqlview.Literal(p)
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM statement WHERE schema IN (" + schemas +
		") AND property IN (" + strings.Join(quoted, ", ") + ") GROUP BY entity_id, schema ORDER BY entity_id"
}

// loadedEntity is one row of an aggregateQuery, which answers what AddEntity asks
// of an entity.
type loadedEntity struct {
	row   []any
	props []string
}

func (e *loadedEntity) text(i int) string {
	if i >= len(e.row) || e.row[i] == nil {
		return ""
	}
	if s, ok := e.row[i].(string); ok {
		return s
	}
	return text(e.row[i])
}

func (e *loadedEntity) id() string     { return e.text(0) }
func (e *loadedEntity) schema() string { return e.text(1) }

func (e *loadedEntity) first(prop string) string {
	if i := slices.Index(e.props, prop); i >= 0 {
		return e.text(2 + i)
	}
	return ""
}

// values returns the distinct values of prop in order, as Entity.Values of sorted
// statements does.
func (e *loadedEntity) values(prop string) []string {
	i := slices.Index(e.props, prop)
	if i < 0 || e.text(2+i) == "" {
		return nil
	}
	vs := strings.Split(e.text(2+i), "\x01")
	slices.Sort(vs)
	return slices.Compact(vs)
}

// provenance returns the dataset and source of the first statement of prop, as
// AddEntity's provenance does.
func (e *loadedEntity) provenance(prop string) string {
	i := slices.Index(provenanceProps, prop)
	if i < 0 {
		return ""
	}
	parts := strings.SplitN(e.text(2+len(e.props)+i), "\x01", 3)
	if len(parts) < 3 {
		return ""
	}
	if parts[2] == "" {
		return parts[1]
	}
	return parts[1] + ":" + parts[2]
}
