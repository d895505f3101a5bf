package ownership

import (
	"math"
	"testing"
)

// fixture builds a graph; holdings are written "A B 0.6" style by h.
type fixture struct {
	nodes     []Node
	holdings  []Holding
	controls  []Control
	positions []Position
}

func (f fixture) graph(t testing.TB) *Graph {
	t.Helper()
	var b Builder
	for _, n := range f.nodes {
		b.AddNode(n)
	}
	for _, h := range f.holdings {
		b.AddHolding(h)
	}
	for _, c := range f.controls {
		b.AddControl(c)
	}
	for _, p := range f.positions {
		b.AddPosition(p)
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// h is a holding of an exact share.
func h(owner, asset string, share float64) Holding {
	return Holding{Owner: owner, Asset: asset, Share: Exact(share)}
}

// hr is a holding of a range.
func hr(owner, asset string, lo, hi float64) Holding {
	return Holding{Owner: owner, Asset: asset, Share: Range{lo, hi}}
}

const eps = 1e-12

func near(a, b float64) bool { return math.Abs(a-b) <= eps }

func nearRange(a, b Range) bool { return near(a.Lo, b.Lo) && near(a.Hi, b.Hi) }

// stakeOf returns the stake of id in stakes.
func stakeOf(stakes []Stake, id string) (Stake, bool) {
	for _, s := range stakes {
		if s.ID == id {
			return s, true
		}
	}
	return Stake{}, false
}
