package sector

import (
	"context"
	"math"

	"github.com/cipmap/cipmap"
)

// Architecture places a sector on the spectrum from command (1) to market (0).
//
// Each of five components is a share in [0, 1], oriented so that 1 is command:
//
//	F  state share of funding: the CNY amount of resources (investment, grants,
//	   loans, contracts, listings) given by the state (government bodies, SOEs, funds
//	   the state controls; grants always) over all resources reaching the sector's
//	   firms in the window
//	E  state share of equity: the mean state share of the equity of the sector's
//	   firms whose ownership is known (look-through, package ownership)
//	P  SOE share of patents: the fractional patents of central and local SOEs over
//	   all the sector's fractional patents
//	N  closedness, 1 − entry rate: the entry rate is the share of the sector's firms
//	   with a known founding year that were founded in the last five years of the
//	   window (of the data, if the window is open)
//	C  concentration: the Herfindahl-Hirschman index over revenue (over patents when
//	   no firm reports revenue)
//
// Index = (F + E + P + N + C) / k over the k components that have data (a sector
// without flows has no F); Components says which. An index near 1 is a
// state-funded, state-owned, closed, concentrated "national team"; near 0 a
// privately funded, privately owned, open, fragmented market.
type Architecture struct {
	Index      float64            `json:"index"`
	Components map[string]float64 `json:"components"` // "funding", "equity", "patents", "closedness", "concentration"
	EntryRate  float64            `json:"entry_rate"`
}

// Components of the architecture index, in order.
var Components = []string{"funding", "equity", "patents", "closedness", "concentration"}

// ComponentNames are the components' names in Chinese and English.
var ComponentNames = map[string]cipmap.Label{
	"funding":       {EN: "state share of funding", ZH: "国有资金占比"},
	"equity":        {EN: "state share of equity", ZH: "国有股权占比"},
	"patents":       {EN: "SOE share of patents", ZH: "国企专利占比"},
	"closedness":    {EN: "1 − entry rate", ZH: "1 − 新进入率"},
	"concentration": {EN: "concentration (HHI)", ZH: "集中度 (HHI)"},
}

// architecture computes the index of p from its firms and the state shares of the
// equity of those whose ownership is known.
func architecture(p *Profile, firms []Firm, equity []float64) Architecture {
	a := Architecture{Components: map[string]float64{}}
	var total, state float64
	for _, f := range p.Resources {
		total += f.Amount
		state += f.State
	}
	if total > 0 {
		a.Components["funding"] = state / total
	}
	var eq float64
	neq := len(equity)
	for _, x := range equity {
		eq += x
	}
	if neq > 0 {
		a.Components["equity"] = eq / float64(neq)
	}
	var soe, pat float64
	for _, c := range p.Ownership {
		pat += c.Patents
		if c.Class == ClassCentral || c.Class == ClassLocal {
			soe += c.Patents
		}
	}
	if pat > 0 && neq > 0 {
		a.Components["patents"] = soe / pat
	}
	last := p.To
	if last == 0 {
		for _, f := range firms {
			last = max(last, f.Founded)
		}
	}
	var known, recent int
	for _, f := range firms {
		if f.Founded == 0 || (p.To != 0 && f.Founded > p.To) {
			continue
		}
		known++
		if f.Founded > last-5 {
			recent++
		}
	}
	if known > 0 {
		a.EntryRate = float64(recent) / float64(known)
		a.Components["closedness"] = 1 - a.EntryRate
	}
	if p.Concentration.Firms > 0 {
		a.Components["concentration"] = p.Concentration.Value
	}
	for _, c := range a.Components {
		a.Index += c
	}
	if n := len(a.Components); n > 0 {
		a.Index /= float64(n)
	}
	a.Index = math.Round(a.Index*1e6) / 1e6
	return a
}

// Comparison is several sectors side by side.
type Comparison struct {
	Sectors []*Profile `json:"sectors"`
}

// Compare profiles each tag and puts them side by side.
func Compare(ctx context.Context, st cipmap.Store, tree Tree, tags []string, opt Options) (*Comparison, error) {
	if len(tags) == 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "compare needs at least one tag")
	}
	c := &Comparison{}
	for _, t := range tags {
		p, err := Build(ctx, st, tree, t, opt)
		if err != nil {
			return nil, err
		}
		c.Sectors = append(c.Sectors, p)
	}
	return c, nil
}
