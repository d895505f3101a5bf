package ownership

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/idtab"
)

// Kind is what a node is: a firm, a person, a government body, a fund, a foreign owner
// or unknown.
type Kind uint8

// Kinds of node.
const (
	KindUnknown Kind = iota // only named by an edge, or of a schema this package does not know
	KindFirm
	KindPerson
	KindGov // a government, party or military body: a ministry, SASAC, a local government
	KindFund
	KindForeign // an owner abroad known only as foreign (境外法人, 外国投资者)
)

var kindNames = [...]string{"unknown", "firm", "person", "government body", "fund", "foreign"}

// String returns the kind in English: "firm", "government body", ...
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// KindOfSchema returns the kind of a node of a cipmap schema: Firm, Person, GovBody,
// Fund; any other schema is KindUnknown.
func KindOfSchema(schema string) Kind {
	switch schema {
	case "Firm":
		return KindFirm
	case "Person":
		return KindPerson
	case "GovBody":
		return KindGov
	case "Fund":
		return KindFund
	}
	return KindUnknown
}

// Level is the level of government of a government body, or of the government that
// sponsors a state fund.
type Level uint8

// Levels of government. Military bodies count as central, township bodies as county.
const (
	LevelNone       Level = iota // not known, or not a state node
	LevelCentral                 // 国务院国资委, ministries, 财政部, 中央汇金, military
	LevelProvincial              // provincial SASACs and governments
	LevelMunicipal               // prefecture-level cities, such as 深圳市国资委
	LevelCounty                  // counties, districts and townships
)

var levelNames = [...]string{"", "central", "provincial", "municipal", "county"}

// String returns the level as GovBody.level spells it: "central", ...; "" for none.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return ""
}

// Local reports whether l is a level below the centre.
func (l Level) Local() bool { return l >= LevelProvincial && l <= LevelCounty }

// ParseLevel reads the level property of GovBody or Fund: central, provincial,
// municipal, county, township or military, in English or Chinese (中央, 省级, 市级,
// 区县, 乡镇, 军队). Anything else is LevelNone.
func ParseLevel(s string) Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "central", "national", "military", "中央", "国家", "国家级", "中央级", "军队":
		return LevelCentral
	case "provincial", "province", "省", "省级":
		return LevelProvincial
	case "municipal", "city", "prefecture", "市", "市级", "地市级":
		return LevelMunicipal
	case "county", "district", "township", "县", "县级", "区县", "区县级", "乡镇":
		return LevelCounty
	}
	return LevelNone
}

// Node is a firm, person, government body, fund or foreign owner.
type Node struct {
	ID   string
	Name string // shown in explanations; the ID if empty
	Kind Kind
	// Level is the level of government of a government body, and of a state node
	// that is not one (a state fund or holding company flagged State).
	Level Level
	// Type is the sort of body as the source names it, such as "SASAC" or "ministry";
	// explanations say "municipal SASAC" rather than "municipal government body".
	Type string
	// Country is where the node is registered or, for a person, the nationality: an
	// ISO 3166-1 code or a name. Empty, CN, CHN, China or 中国 is domestic; anything
	// else, including HK, MO and TW, is foreign for the classification.
	Country string
	// State marks a node that is the state for the state share, besides government
	// bodies, which always are: a wholly state-owned investor such as 中央汇金 whose
	// owners are not loaded. Leave it unset for funds with private partners; their
	// state share is looked through from their owners.
	State bool
}

// name returns the name of n, or its ID.
func (n *Node) name() string {
	if n.Name != "" {
		return n.Name
	}
	return n.ID
}

// IsState reports whether n counts as the (Chinese) state: a domestic government
// body, or a node flagged State. A foreign government is foreign, not the state.
func (n *Node) IsState() bool { return (n.Kind == KindGov || n.State) && domestic(n.Country) }

// IsForeign reports whether n is foreign: of KindForeign or registered abroad.
func (n *Node) IsForeign() bool { return n.Kind == KindForeign || !domestic(n.Country) }

func domestic(country string) bool {
	switch strings.ToLower(strings.TrimSpace(country)) {
	case "", "cn", "chn", "china", "prc", "中国", "中华人民共和国", "中国大陆":
		return true
	}
	return false
}

// Holding is an Ownership relation: Owner holds Share of Asset from From to To.
type Holding struct {
	Owner, Asset string
	// Share is the fraction held, exactly or as a range; the zero Range is unknown.
	Share Range
	// From and To bound the period of the holding, both days included; zero is open.
	From, To Date
	// Recorded is the date of the source record, such as the end of an annual
	// report's period. Of two statements of one holding, the more recent wins.
	Recorded Date
	// Source says where the fact came from, such as "dataset:file.csv:118".
	Source string
}

// Control is a Control relation: Controller controls Controlled beyond what equity
// shows, as disclosed (实际控制人, 控股股东) or derived. It overrides equity when the
// ultimate controller is traced.
type Control struct {
	Controller, Controlled string
	Role                   string // as disclosed: 实际控制人, 控股股东, ...
	From, To, Recorded     Date
	Source                 string
}

// Position is a Directorship relation: Person serves at Org in Role.
type Position struct {
	Person, Org string
	Role        string // 董事长, 董事, 监事, 总经理, 法定代表人, ...
	From, To    Date
	Source      string
}

// holding is a Holding with its ends as node numbers.
type holding struct {
	owner, asset     int32
	lo, hi           float64
	from, to, record Date
	source           textRef
}

type control struct {
	controller, controlled int32
	role                   textRef
	from, to, record       Date
	source                 textRef
}

type position struct {
	person, org int32
	role        textRef
	from, to    Date
	source      textRef
}

// textRef is a string of a Graph's text (or, while it is built, a Builder's).
type textRef struct {
	off uint64
	n   uint32
}

// node is a Node as a Graph holds it, with its strings in the graph's text, so
// that the nodes hold no pointer the garbage collector must follow: a server
// holding the whole graph of a million firms (seven million nodes) otherwise spent
// enough of each collection marking them to put the 99th percentile of its
// searches over 100 ms.
type node struct {
	id, name, typ, country textRef
	kind                   Kind
	level                  Level
	state                  bool
}

// Builder collects nodes and relations and builds a Graph. An edge may name a node
// that was never added: the node is created with KindUnknown, and a later AddNode
// fills it in. The zero Builder is ready to use; it is not safe for concurrent use.
type Builder struct {
	text      []byte // the edges' roles and sources, back to back
	index     map[string]int32
	nodes     []Node
	holdings  []holding
	controls  []control
	positions []position
	errs      []error
	bad       int
	added     [3]int // holdings, controls, positions seen, for error messages
	// wholly holds the nodes whose registered form says wholly state-owned
	// (国有独资, 全民所有制): Build flags those without holders State.
	wholly []int32
}

const maxReportedErrors = 10

func (b *Builder) fail(format string, args ...any) {
	b.bad++
	if len(b.errs) < maxReportedErrors {
		b.errs = append(b.errs, cipmap.Errorf(cipmap.EINVALID, format, args...))
	}
}

// node returns the number of the node with id, creating it if needed.
func (b *Builder) node(id string) int32 {
	if b.index == nil {
		b.index = make(map[string]int32)
	}
	if i, ok := b.index[id]; ok {
		return i
	}
	i := int32(len(b.nodes))
	b.index[id] = i
	b.nodes = append(b.nodes, Node{ID: id})
	return i
}

// AddNode adds n, or fills in the node with its ID: the non-zero fields of n replace
// those already there.
func (b *Builder) AddNode(n Node) {
	if n.ID == "" {
		b.fail("node %q: the id is empty", n.Name)
		return
	}
	p := &b.nodes[b.node(n.ID)]
	if n.Name != "" {
		p.Name = n.Name
	}
	if n.Kind != KindUnknown {
		p.Kind = n.Kind
	}
	if n.Level != LevelNone {
		p.Level = n.Level
	}
	if n.Type != "" {
		p.Type = n.Type
	}
	if n.Country != "" {
		p.Country = n.Country
	}
	if n.State {
		p.State = true
	}
}

// failEdge reports the k-th edge of a kind, from a to b, as invalid for why.
func (b *Builder) failEdge(what string, k int, from, to, source, why string, args ...any) {
	s := fmt.Sprintf("%s %d (%s → %s", what, k, from, to)
	if source != "" {
		s += ", " + source
	}
	b.fail("%s): %s", s, fmt.Sprintf(why, args...))
}

// AddHolding adds an ownership edge. An invalid one (an empty end, a share outside
// 0..100% or with its ends reversed, a period that ends before it starts) is not
// added, and Build reports it.
func (b *Builder) AddHolding(h Holding) {
	b.added[0]++
	fail := func(why string, args ...any) {
		b.failEdge("holding", b.added[0], h.Owner, h.Asset, h.Source, why, args...)
	}
	r := h.Share.orUnknown()
	switch {
	case h.Owner == "" || h.Asset == "":
		fail("the owner and the asset must both be given")
		return
	case r.check() != "":
		fail("the share %s %s", r, r.check())
		return
	case h.From != 0 && h.To != 0 && h.To < h.From:
		fail("it ends on %s, before it starts on %s", h.To, h.From)
		return
	}
	r.Hi = math.Min(r.Hi, 1)
	b.holdings = append(b.holdings, holding{
		owner: b.node(h.Owner), asset: b.node(h.Asset), lo: r.Lo, hi: r.Hi,
		from: h.From, to: h.To, record: h.Recorded, source: b.intern(h.Source),
	})
}

// AddControl adds a disclosed control edge; an invalid one is reported by Build.
func (b *Builder) AddControl(c Control) {
	b.added[1]++
	fail := func(why string, args ...any) {
		b.failEdge("control", b.added[1], c.Controller, c.Controlled, c.Source, why, args...)
	}
	switch {
	case c.Controller == "" || c.Controlled == "":
		fail("the controller and the controlled must both be given")
		return
	case c.Controller == c.Controlled:
		fail("an entity cannot control itself")
		return
	case c.From != 0 && c.To != 0 && c.To < c.From:
		fail("it ends on %s, before it starts on %s", c.To, c.From)
		return
	}
	b.controls = append(b.controls, control{
		controller: b.node(c.Controller), controlled: b.node(c.Controlled), role: b.intern(c.Role),
		from: c.From, to: c.To, record: c.Recorded, source: b.intern(c.Source),
	})
}

// AddPosition adds a person's role at an organisation; an invalid one is reported by
// Build.
func (b *Builder) AddPosition(p Position) {
	b.added[2]++
	fail := func(why string, args ...any) {
		b.failEdge("position", b.added[2], p.Person, p.Org, p.Source, why, args...)
	}
	switch {
	case p.Person == "" || p.Org == "":
		fail("the person and the organisation must both be given")
		return
	case p.From != 0 && p.To != 0 && p.To < p.From:
		fail("it ends on %s, before it starts on %s", p.To, p.From)
		return
	}
	b.positions = append(b.positions, position{
		person: b.node(p.Person), org: b.node(p.Org), role: b.intern(p.Role),
		from: p.From, to: p.To, source: b.intern(p.Source),
	})
}

// Build returns the Graph of everything added, or an EINVALID error naming the first
// invalid items (with their sources) and how many there were. The Builder must not
// be used afterwards.
func (b *Builder) Build() (*Graph, error) {
	if b.bad > 0 {
		errs := b.errs
		if b.bad > len(errs) {
			errs = append(errs, fmt.Errorf("and %d more invalid items", b.bad-len(errs)))
		}
		return nil, cipmap.WrapError(cipmap.EINVALID, errors.Join(errs...),
			"%d invalid items in the ownership graph", b.bad)
	}
	// A firm registered as wholly state-owned whose owners are not loaded is the
	// state for the state share (中央汇金, a local state holding company); one whose
	// owners are loaded is looked through to them, which also gives its level.
	if len(b.wholly) > 0 {
		held := make([]bool, len(b.nodes))
		for _, h := range b.holdings {
			held[h.asset] = true
		}
		for _, i := range b.wholly {
			if !held[i] {
				b.nodes[i].State = true
			}
		}
	}
	g := &Graph{holdings: b.holdings, controls: b.controls, positions: b.positions,
		nodes: make([]node, len(b.nodes)), state: make([]bool, len(b.nodes))}
	for i := range b.nodes {
		n := &b.nodes[i]
		g.state[i] = n.IsState()
		g.nodes[i] = node{id: b.intern(n.ID), name: b.intern(n.Name), typ: b.intern(n.Type), country: b.intern(n.Country),
			kind: n.Kind, level: n.Level, state: n.State}
		b.nodes[i] = Node{}
	}
	b.index = nil
	g.text = b.text
	g.ids = idtab.New(len(g.nodes), g.id)
	*b = Builder{}
	return g, nil
}

// Graph is an immutable set of nodes with their ownership, control and position
// edges over all dates. At gives the graph on one day, on which every analysis runs.
// A Graph is safe for concurrent use.
type Graph struct {
	text      []byte // the nodes' and edges' strings, back to back
	nodes     []node
	ids       *idtab.Table // node numbers by id
	state     []bool
	holdings  []holding
	controls  []control
	positions []position
}

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.nodes) }

// Holdings returns the number of ownership edges, over all dates.
func (g *Graph) Holdings() int { return len(g.holdings) }

// Node returns the node with id.
func (g *Graph) Node(id string) (Node, bool) {
	i, ok := g.find(id)
	if !ok {
		return Node{}, false
	}
	return g.node(i), true
}

// lookup returns the number of the node with id, or an ENOTFOUND error.
func (g *Graph) lookup(id string) (int32, error) {
	i, ok := g.find(id)
	if !ok {
		return -1, cipmap.Errorf(cipmap.ENOTFOUND, "%q is not in the ownership graph", id)
	}
	return i, nil
}

// find returns the number of the node with id.
func (g *Graph) find(id string) (int32, bool) {
	if g.ids == nil {
		return -1, false
	}
	return g.ids.Find(id, g.id)
}

// node returns node i as a Node, whose strings share the graph's text.
func (g *Graph) node(i int32) Node {
	n := &g.nodes[i]
	return Node{ID: g.str(n.id), Name: g.str(n.name), Kind: n.kind, Level: n.level, Type: g.str(n.typ),
		Country: g.str(n.country), State: n.state}
}

func (g *Graph) id(i int32) string { return g.str(g.nodes[i].id) }

func (g *Graph) name(i int32) string {
	if n := g.nodes[i].name; n.n > 0 {
		return g.str(n)
	}
	return g.id(i)
}

// str returns the string of r, which shares the graph's text (never written after
// the build).
func (g *Graph) str(r textRef) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&g.text[r.off], int(r.n))
}

// intern appends s to the builder's text.
func (b *Builder) intern(s string) textRef {
	if s == "" {
		return textRef{}
	}
	r := textRef{uint64(len(b.text)), uint32(len(s))}
	b.text = append(b.text, s...)
	return r
}
