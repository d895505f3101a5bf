package httpapi

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/trace"
)

// The graph view: the ownership and funding neighbourhood of an entity, walked
// breadth first over the relations trace knows (trace.MoneyRoles: holdings, the
// flow channels, designations, a program's policy, a policy's targets) and
// issuances and directorships, laid out in layers for an SVG drawn by the server:
// owners and issuers above, holdings and recipients below, funders to the left.

// Graph limits.
const (
	// MaxGraphNodes is the most nodes a graph shows; a larger neighbourhood is cut
	// and the graph says so (Capped).
	MaxGraphNodes = 60
	defaultDepth  = 2
	maxDepth      = 3
	// graphPerLine is the most nodes on one line of a layer.
	graphPerLine = 6
)

// Graph is an entity's neighbourhood: nodes with their layout and the edges among
// them, parallel relations of one kind merged into one edge.
type Graph struct {
	Root     string      `json:"root"`
	Depth    int         `json:"depth"`
	MaxNodes int         `json:"max_nodes"`
	Capped   bool        `json:"capped"`
	Width    int         `json:"width"`
	Height   int         `json:"height"`
	Nodes    []GraphNode `json:"nodes"`
	Edges    []GraphEdge `json:"edges"`
}

// GraphNode is an entity of the graph at (X, Y), its centre; Layer is its row,
// negative above the root, positive below.
type GraphNode struct {
	ID     string  `json:"id"`
	Schema string  `json:"schema"`
	Name   string  `json:"name"`
	Layer  int     `json:"layer"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Href   string  `json:"href"`
	// Short is the name cut to fit the box.
	Short string `json:"-"`
}

// GraphEdge is one or more relations of one channel from From to To: the share of a
// holding, or the count and sum of flows.
type GraphEdge struct {
	From       string             `json:"from"`
	To         string             `json:"to"`
	Channel    string             `json:"channel"`
	Label      string             `json:"label"`
	Count      int                `json:"count"`
	Percentage string             `json:"percentage,omitempty"`
	Amounts    map[string]float64 `json:"amounts,omitempty"`
	Relations  []Prov             `json:"relations"`
	// Drawing: the line, clipped to the boxes, and the label's place.
	X1 float64 `json:"-"`
	Y1 float64 `json:"-"`
	X2 float64 `json:"-"`
	Y2 float64 `json:"-"`
	LX float64 `json:"-"`
	LY float64 `json:"-"`
	CX float64 `json:"-"` // the curve's control point
	CY float64 `json:"-"`
	// Record is the first relation, which the label links to.
	Record string `json:"-"`
	// FromRef and ToRef name the ends, for the page.
	FromRef *Ref `json:"-"`
	ToRef   *Ref `json:"-"`
}

// Box geometry of the drawing.
const boxW, boxH = 160.0, 40.0

// Left and Top are the corner of the node's box; Below the baseline of its second
// line.
func (n GraphNode) Left() float64  { return n.X - boxW/2 }
func (n GraphNode) Top() float64   { return n.Y - boxH/2 }
func (n GraphNode) Below() float64 { return n.Y + 13 }

// Ref is the node as a reference.
func (n GraphNode) Ref() *Ref { return &Ref{ID: n.ID, Schema: n.Schema, Name: n.Name} }

// graphRoles are the relations the graph walks, in the order it prefers them when
// it must cut: holdings and money before people.
func graphRoles() []trace.Role {
	return append(trace.MoneyRoles(),
		trace.Role{Schema: "Issuance", From: "issuer", To: "policy", Channel: "issuance"},
		trace.Role{Schema: "Directorship", From: "director", To: "organization", Channel: "directorship"},
	)
}

var channelRank = map[string]int{"ownership": 0, "investment": 1, "grant": 2, "loan": 3, "contract": 4, "listing": 5,
	"designation": 6, "program": 7, "issuance": 8, "targeting": 9, "directorship": 10}

// isFlow says whether a channel moves money (its giver is drawn to the left).
func isFlow(ch string) bool { return cipmap.FlowChannelOf(channelSchema(ch)) != nil }

// graph walks the neighbourhood of id to depth.
func (s *Server) graph(ctx context.Context, id string, depth int) (*Graph, error) {
	src := &trace.StoreSource{Store: s.cfg.Store}
	roots, err := src.Nodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	root, ok := roots[id]
	if !ok {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no entity %q", id)
	}
	g := &Graph{Root: id, Depth: depth, MaxNodes: MaxGraphNodes, Nodes: []GraphNode{}, Edges: []GraphEdge{}}
	type place struct {
		layer, side, order int
	}
	nodes := map[string]trace.Node{id: root}
	places := map[string]place{id: {}}
	order := 1
	var raw []trace.Edge
	roles := graphRoles()
	frontier := []string{id}
	for d := 0; d < depth && len(frontier) > 0; d++ {
		edges, err := src.Edges(ctx, frontier, trace.Both, roles)
		if err != nil {
			return nil, err
		}
		// Holdings and money first; of one channel, owners and givers of the
		// nodes found first (so a fund that holds a fund is drawn above it, even
		// when its own owner holds it too).
		placed := func(e trace.Edge) int {
			if _, ok := places[e.To]; ok {
				return 0
			}
			return 1
		}
		sort.SliceStable(edges, func(i, j int) bool {
			a, b := edges[i], edges[j]
			if channelRank[a.Channel] != channelRank[b.Channel] {
				return channelRank[a.Channel] < channelRank[b.Channel]
			}
			if placed(a) != placed(b) {
				return placed(a) < placed(b)
			}
			if a.From != b.From {
				return a.From < b.From
			}
			return a.To < b.To
		})
		var next []string
		for _, e := range edges {
			if e.From == e.To {
				continue
			}
			_, hasFrom := places[e.From]
			_, hasTo := places[e.To]
			if hasFrom && hasTo {
				raw = append(raw, e)
				continue
			}
			if !hasFrom && !hasTo {
				continue
			}
			if len(places) >= MaxGraphNodes {
				g.Capped = true
				continue
			}
			if hasFrom {
				// Below: what the node holds, funds, designates or issues.
				p := places[e.From]
				places[e.To] = place{layer: p.layer + 1, order: order}
				next = append(next, e.To)
			} else {
				p := places[e.To]
				if isFlow(e.Channel) {
					// Funders: to the left, on the node's row.
					places[e.From] = place{layer: p.layer, side: -1, order: order}
				} else {
					places[e.From] = place{layer: p.layer - 1, order: order}
				}
				next = append(next, e.From)
			}
			order++
			raw = append(raw, e)
		}
		frontier = next
	}
	var ids []string
	for n := range places {
		if n != id {
			ids = append(ids, n)
		}
	}
	got, err := src.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	for k, v := range got {
		nodes[k] = v
	}
	// Layout: layers top to bottom, each in lines of graphPerLine boxes, funders
	// first, then in the order found.
	byLayer := map[int][]string{}
	var layers []int
	for n, p := range places {
		if _, ok := byLayer[p.layer]; !ok {
			layers = append(layers, p.layer)
		}
		byLayer[p.layer] = append(byLayer[p.layer], n)
	}
	sort.Ints(layers)
	const gapX, gapY, margin = 24.0, 70.0, 20.0
	widest := 1
	for _, l := range layers {
		widest = max(widest, min(len(byLayer[l]), graphPerLine))
	}
	g.Width = int(2*margin + float64(widest)*boxW + float64(widest-1)*gapX)
	y := margin + boxH/2
	index := map[string]int{}
	for _, l := range layers {
		ns := byLayer[l]
		sort.Slice(ns, func(i, j int) bool {
			a, b := places[ns[i]], places[ns[j]]
			if a.side != b.side {
				return a.side < b.side
			}
			return a.order < b.order
		})
		for start := 0; start < len(ns); start += graphPerLine {
			line := ns[start:min(len(ns), start+graphPerLine)]
			w := float64(len(line))*boxW + float64(len(line)-1)*gapX
			x := (float64(g.Width)-w)/2 + boxW/2
			for _, n := range line {
				nd := nodes[n]
				index[n] = len(g.Nodes)
				g.Nodes = append(g.Nodes, GraphNode{ID: n, Schema: nd.Schema, Name: nd.Name, Layer: l, X: x, Y: y,
					Href: pathOf(nd.Schema, n), Short: shorten(nd.Label(), 11)})
				x += boxW + gapX
			}
			y += boxH + gapY
		}
	}
	// Room below the last row for the curves between boxes of one row.
	g.Height = int(y - boxH/2 + margin)
	// Edges: relations of one channel between two nodes merged.
	type key struct{ from, to, ch string }
	merged := map[key]int{}
	for _, e := range raw {
		if _, ok := index[e.From]; !ok {
			continue
		}
		if _, ok := index[e.To]; !ok {
			continue
		}
		k := key{e.From, e.To, e.Channel}
		i, ok := merged[k]
		if !ok {
			i = len(g.Edges)
			merged[k] = i
			g.Edges = append(g.Edges, GraphEdge{From: e.From, To: e.To, Channel: e.Channel, Record: e.ID})
		}
		ge := &g.Edges[i]
		dup := false
		for _, r := range ge.Relations {
			dup = dup || r.Record == e.ID
		}
		if dup {
			continue
		}
		ge.Count++
		ge.Relations = append(ge.Relations, Prov{Dataset: e.Dataset, Source: e.Source, Record: e.ID})
		if e.Percentage != "" && ge.Percentage == "" {
			ge.Percentage = e.Percentage
		}
		if e.Amount != nil {
			if ge.Amounts == nil {
				ge.Amounts = map[string]float64{}
			}
			ge.Amounts[e.Currency] += *e.Amount
		}
	}
	for i := range g.Edges {
		e := &g.Edges[i]
		a, b := g.Nodes[index[e.From]], g.Nodes[index[e.To]]
		if a.Y == b.Y {
			// On one row (a funder and what it funds): a curve below the boxes
			// between them, from the bottom of one to the bottom of the other.
			e.X1, e.Y1, e.X2, e.Y2 = a.X, a.Y+boxH/2+2, b.X, b.Y+boxH/2+4
			e.CX, e.CY = (a.X+b.X)/2, a.Y+boxH/2+gapY*0.45+math.Abs(b.X-a.X)*0.04
			t := 0.5
			e.LX = round1((1-t)*(1-t)*e.X1 + 2*(1-t)*t*e.CX + t*t*e.X2)
			e.LY = round1((1-t)*(1-t)*e.Y1 + 2*(1-t)*t*e.CY + t*t*e.Y2)
			e.Label = edgeLabel(e)
			e.FromRef, e.ToRef = a.Ref(), b.Ref()
			continue
		}
		e.X1, e.Y1 = clip(a.X, a.Y, b.X, b.Y, boxW/2+2, boxH/2+2)
		e.X2, e.Y2 = clip(b.X, b.Y, a.X, a.Y, boxW/2+4, boxH/2+4)
		e.CX, e.CY = (e.X1+e.X2)/2, (e.Y1+e.Y2)/2
		// The label sits on the line just before the arrow, in the gap above or
		// beside the target, where labels of edges fanning out do not meet.
		dx, dy := e.X2-e.X1, e.Y2-e.Y1
		if l := math.Hypot(dx, dy); l > 0 {
			back := math.Min(24, l/2)
			e.LX, e.LY = round1(e.X2-dx/l*back), round1(e.Y2-dy/l*back)
		}
		e.Label = edgeLabel(e)
		e.FromRef, e.ToRef = a.Ref(), b.Ref()
	}
	return g, nil
}

// clip moves (x1, y1) towards (x2, y2) to the edge of a box of half-sizes hw, hh
// centred on (x1, y1).
func clip(x1, y1, x2, y2, hw, hh float64) (float64, float64) {
	dx, dy := x2-x1, y2-y1
	if dx == 0 && dy == 0 {
		return x1, y1
	}
	t := math.Inf(1)
	if dx != 0 {
		t = hw / math.Abs(dx)
	}
	if dy != 0 {
		t = math.Min(t, hh/math.Abs(dy))
	}
	t = math.Min(t, 1)
	return round1(x1 + t*dx), round1(y1 + t*dy)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// edgeLabel is a holding's share, or the flows' amount (with their count when more
// than one), or the channel.
func edgeLabel(e *GraphEdge) string {
	if e.Percentage != "" {
		return strings.TrimSuffix(e.Percentage, "%") + "%"
	}
	var parts []string
	for _, c := range sortedKeys(e.Amounts) {
		parts = append(parts, shortAmount(e.Amounts[c], c))
	}
	l := strings.Join(parts, " + ")
	if l == "" {
		l = e.Channel
	}
	if e.Count > 1 {
		l = fmt.Sprintf("%d× %s", e.Count, l)
	}
	return l
}

// shortAmount writes an amount with a unit: 1.3 亿 is not used, so that both
// languages read it: k, M, B.
func shortAmount(v float64, currency string) string {
	if currency == "" {
		currency = "CNY"
	}
	a := math.Abs(v)
	var s string
	switch {
	case a >= 1e9:
		s = strconv.FormatFloat(v/1e9, 'f', 1, 64) + "B"
	case a >= 1e6:
		s = strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case a >= 1e3:
		s = strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	default:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return s + " " + currency
}

// shorten cuts s to n characters, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func depthParam(r *http.Request) (int, error) {
	d, err := intParam(r, "depth", defaultDepth, maxDepth)
	if err != nil {
		return 0, err
	}
	if d == 0 {
		return 0, cipmap.Errorf(cipmap.EINVALID, "depth=0: want 1 to %d", maxDepth)
	}
	return d, nil
}

func (s *Server) apiGraph(w http.ResponseWriter, r *http.Request) {
	d, err := depthParam(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	g, err := s.graph(r.Context(), r.PathValue("id"), d)
	s.reply(w, r, g, err)
}
