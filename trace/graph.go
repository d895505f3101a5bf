package trace

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
)

// Node is an entity at an end of an edge.
type Node struct {
	ID     string `json:"id"`
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name,omitempty"`
}

// Label returns the node's name, or its id when it has none.
func (n Node) Label() string {
	if n.Name != "" {
		return n.Name
	}
	return n.ID
}

// Edge is one relation between two entities, directed the way money or authority
// moves: investor → investee, grantor → recipient, lender → borrower, buyer →
// supplier, market → listed firm, owner → asset, program → designated firm, policy →
// program. Every edge keeps the dataset and source record it came from.
type Edge struct {
	// ID is the relation entity; for an entity property such as a program's policy,
	// the entity that has it.
	ID     string `json:"id"`
	Schema string `json:"schema"`
	// Role is the property that names From ("investor", "grantor", "owner",
	// "program"); Channel is what the edge is: a flow channel of
	// cipmap.FlowChannels, "ownership", "designation", "program", "targeting", or
	// for paths the schema in lower case.
	Role    string `json:"role"`
	Channel string `json:"channel"`
	From    string `json:"from"`
	To      string `json:"to"`
	// Date is the flow's date, or the start of a holding; End the end of a holding.
	Date string `json:"date,omitempty"`
	End  string `json:"end,omitempty"`
	Year int    `json:"year,omitempty"`
	// Amount is in units of Currency; AmountCNY is set by Trace.
	Amount    *float64 `json:"amount,omitempty"`
	Currency  string   `json:"currency,omitempty"`
	AmountCNY *float64 `json:"amount_cny,omitempty"`
	// Share is a holding's share, 0 to 1 (a range's midpoint; Percentage keeps the
	// value as stated).
	Share      *float64 `json:"share,omitempty"`
	Percentage string   `json:"percentage,omitempty"`
	Dataset    string   `json:"dataset"`
	Source     string   `json:"source"`
}

// Dir says which edges of a node to take.
type Dir uint8

// Directions.
const (
	Out  Dir = 1 << iota // edges whose From is the node
	In                   // edges whose To is the node
	Both = Out | In
)

// Role names one kind of edge: in entities of Schema, property From names the
// edge's From end and property To its To end; an empty To means the entity itself
// (a program's policy property makes the edge policy → program).
type Role struct {
	Schema, From, To, Channel string
}

// MoneyRoles are the edges Trace follows: the flow channels, a grant's program,
// holdings (of funds, looked through; of firms, for subsidiaries), designations, and
// a policy's programs and targets.
func MoneyRoles() []Role {
	var out []Role
	for _, c := range cipmap.FlowChannels {
		out = append(out, Role{c.Schema, c.Giver, c.Receiver, c.Channel})
	}
	return append(out,
		Role{"Grant", "program", "recipient", "grant"},
		Role{"Ownership", "owner", "asset", "ownership"},
		Role{"Designation", "program", "firm", "designation"},
		Role{"Program", "policy", "", "program"},
		Role{"Targeting", "policy", "target_entity", "targeting"},
	)
}

// AllRoles are the edges of every relation schema (its edge's source and target,
// and its other entity properties towards the target) and the entity properties of
// other schemas (towards the entity), for paths between any two entities.
func AllRoles(schemas cipmap.Schemas) []Role {
	var out []Role
	for _, name := range schemas.Names() {
		s := schemas[name]
		ch := strings.ToLower(s.Name)
		if c := cipmap.FlowChannelOf(s.Name); c != nil {
			ch = c.Channel
		}
		for _, p := range s.PropertyNames() {
			if s.Properties[p].Type != cipmap.TypeEntity {
				continue
			}
			switch {
			case s.Edge == nil:
				out = append(out, Role{s.Name, p, "", ch})
			case p == s.Edge.Source:
				out = append(out, Role{s.Name, p, s.Edge.Target, ch})
			case p != s.Edge.Target:
				out = append(out, Role{s.Name, p, s.Edge.Target, ch})
			}
		}
	}
	return out
}

// Source gives the graph piece by piece, so that a trace touches only the part of a
// large database it needs. StoreSource reads a cipmap.Store; Graph holds edges in
// memory.
type Source interface {
	// Edges returns the edges of the given roles with an end among ids: the From
	// end for Out, the To end for In.
	Edges(ctx context.Context, ids []string, dir Dir, roles []Role) ([]Edge, error)
	// Nodes returns the entities with the given ids that exist.
	Nodes(ctx context.Context, ids []string) (map[string]Node, error)
	// Find returns the entity with id q, else the entities named q among schemas.
	Find(ctx context.Context, q string, schemas []string) ([]Node, error)
}

// Resolver is a Source that knows the firms cipmap resolve made of records.
type Resolver interface {
	// Clusters returns the resolved firms that the records ids belong to, each
	// with all its records, by the firm's id. Records in no cluster are left out.
	Clusters(ctx context.Context, ids []string) (map[string][]string, error)
}

// Graph is a Source in memory, for tests and small graphs.
type Graph struct {
	nodes map[string]Node
	edges []Edge
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{nodes: map[string]Node{}} }

// AddNode adds or replaces a node.
func (g *Graph) AddNode(n Node) { g.nodes[n.ID] = n }

// AddEdge adds an edge; its Role must be one of the roles a caller asks for.
func (g *Graph) AddEdge(e Edge) { g.edges = append(g.edges, e) }

// Edges implements Source.
func (g *Graph) Edges(_ context.Context, ids []string, dir Dir, roles []Role) ([]Edge, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	ok := map[[2]string]bool{}
	for _, r := range roles {
		ok[[2]string{r.Schema, r.From}] = true
	}
	var out []Edge
	for _, e := range g.edges {
		if !ok[[2]string{e.Schema, e.Role}] {
			continue
		}
		if dir&Out != 0 && want[e.From] || dir&In != 0 && want[e.To] {
			out = append(out, e)
		}
	}
	return out, nil
}

// Nodes implements Source.
func (g *Graph) Nodes(_ context.Context, ids []string) (map[string]Node, error) {
	out := map[string]Node{}
	for _, id := range ids {
		if n, ok := g.nodes[id]; ok {
			out[id] = n
		}
	}
	return out, nil
}

// Find implements Source.
func (g *Graph) Find(_ context.Context, q string, schemas []string) ([]Node, error) {
	if n, ok := g.nodes[q]; ok {
		return []Node{n}, nil
	}
	var out []Node
	for _, n := range g.nodes {
		if n.Name == q && (len(schemas) == 0 || contains(schemas, n.Schema)) {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// parseShare reads a percentage as cipmap stores it ("51", "30..50") as a share: a
// range gives its midpoint.
func parseShare(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		a, err1 := strconv.ParseFloat(lo, 64)
		b, err2 := strconv.ParseFloat(hi, 64)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return (a + b) / 200, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return v / 100, true
}

// yearOf reads the year of an ISO date, or 0.
func yearOf(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, err := strconv.Atoi(date[:4])
	if err != nil {
		return 0
	}
	return y
}

// validAt says whether an edge holds on day at (YYYY-MM-DD; "" means always): a
// flow dated on or before it, a holding started on or before it and not ended
// before it. Partial dates widen: a holding that ends in "2020" holds on 2020-06-01.
func (e *Edge) validAt(at string) bool {
	if at == "" {
		return true
	}
	if e.Date != "" && e.Date[:min(len(e.Date), len(at))] > at[:min(len(e.Date), len(at))] {
		return false
	}
	if e.End != "" && e.End < at[:min(len(e.End), len(at))] {
		return false
	}
	return true
}
