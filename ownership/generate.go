package ownership

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// Generate returns a synthetic graph shaped like a business registry, for benchmarks
// and property tests: n firms with about edgesPerFirm holders each (so about
// n·edgesPerFirm holdings), n/2 persons, n/50 foreign owners, the central SASAC,
// 20 ministries, 31 provincial and up to 300 municipal SASACs and 10 state
// investment companies flagged State. The same seed gives the same graph.
//
// A holder is a person 60% of the time, another firm 28% (mostly an earlier firm close
// by, which makes groups and chains), a state body 8% and a foreign owner 4%; 0.3% of
// firms are also held by one of the next eight firms, which makes small cross-holding
// cycles. (Real registries are dominated by small firms held by persons; with more
// firm holders the ancestors of a firm would cover much of the graph.) A firm's shares add up to 100%
// for 70% of firms and to less (unrecorded holders) for the rest. 4% of shares are
// ranges and 2% unknown; 8% of holdings have a start date and half of those an end;
// 1% are stated twice; 1% of firms have a disclosed controller; every firm has two
// posts held by persons, some of whom serve at many firms.
func Generate(n, edgesPerFirm int, seed uint64) *Graph {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var b Builder
	ids := func(prefix string, k int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = prefix + strconv.Itoa(i)
		}
		return out
	}
	firms := ids("F", n)
	persons := ids("P", max(1, n/2))
	foreign := ids("X", max(1, n/50))
	var central, provincial, municipal, funds []string
	b.AddNode(Node{ID: "G0", Name: "国务院国资委", Kind: KindGov, Level: LevelCentral, Type: "SASAC"})
	central = append(central, "G0")
	for i := 1; i <= 20; i++ {
		id := "G" + strconv.Itoa(i)
		b.AddNode(Node{ID: id, Name: "部委" + strconv.Itoa(i), Kind: KindGov, Level: LevelCentral, Type: "ministry"})
		central = append(central, id)
	}
	for i := 0; i < 31; i++ {
		id := "GP" + strconv.Itoa(i)
		b.AddNode(Node{ID: id, Name: "省国资委" + strconv.Itoa(i), Kind: KindGov, Level: LevelProvincial, Type: "SASAC"})
		provincial = append(provincial, id)
	}
	for i := 0; i < min(300, max(10, n/300)); i++ {
		id := "GM" + strconv.Itoa(i)
		b.AddNode(Node{ID: id, Name: "市国资委" + strconv.Itoa(i), Kind: KindGov, Level: LevelMunicipal, Type: "SASAC"})
		municipal = append(municipal, id)
	}
	for i := 0; i < 10; i++ {
		id := "S" + strconv.Itoa(i)
		lvl := LevelProvincial
		if i == 0 {
			lvl = LevelCentral
		}
		b.AddNode(Node{ID: id, Name: "国有投资公司" + strconv.Itoa(i), Kind: KindFirm, Level: lvl, State: true})
		funds = append(funds, id)
	}
	for _, id := range persons {
		b.AddNode(Node{ID: id, Kind: KindPerson})
	}
	for i, id := range foreign {
		b.AddNode(Node{ID: id, Kind: KindForeign, Country: [...]string{"USA", "JPN", "DEU", "HKG", "SGP"}[i%5]})
	}
	for _, id := range firms {
		b.AddNode(Node{ID: id, Kind: KindFirm})
	}
	state := func() string {
		switch r := rng.Float64(); {
		case r < 0.2:
			return "G0"
		case r < 0.3:
			return central[rng.IntN(len(central))]
		case r < 0.5:
			return provincial[rng.IntN(len(provincial))]
		case r < 0.8:
			return municipal[rng.IntN(len(municipal))]
		}
		return funds[rng.IntN(len(funds))]
	}
	heads := max(1, n/200)
	owners := make([]string, 0, 4*edgesPerFirm)
	weights := make([]float64, 0, 4*edgesPerFirm)
	has := func(id string) bool {
		for _, o := range owners {
			if o == id {
				return true
			}
		}
		return false
	}
	for j := 0; j < n; j++ {
		owners, weights = owners[:0], weights[:0]
		d := 1 + rng.IntN(max(1, 2*edgesPerFirm-1))
		for len(owners) < d {
			var o string
			switch r := rng.Float64(); {
			case j < heads && r < 0.6:
				o = state()
			case j < heads:
				o = persons[rng.IntN(len(persons))]
			case r < 0.22:
				k := j - 1 - int(rng.ExpFloat64()*30)
				if k < 0 {
					k = rng.IntN(j)
				}
				o = firms[k]
			case r < 0.28:
				o = firms[rng.IntN(j)]
			case r < 0.88:
				o = persons[rng.IntN(len(persons))]
			case r < 0.96:
				o = state()
			default:
				o = foreign[rng.IntN(len(foreign))]
			}
			if has(o) {
				d-- // a repeated draw: one holder fewer
				continue
			}
			owners = append(owners, o)
		}
		if rng.Float64() < 0.003 && j+1 < n {
			if o := firms[j+1+rng.IntN(min(8, n-j-1))]; !has(o) {
				owners = append(owners, o)
			}
		}
		if len(owners) == 0 {
			continue
		}
		sum := 0.0
		for i := range owners {
			w := rng.ExpFloat64()
			if i == 0 && rng.Float64() < 0.5 {
				w *= 4
			}
			weights = append(weights, w)
			sum += w
		}
		total := 1.0
		if rng.Float64() < 0.3 {
			total = 0.3 + 0.7*rng.Float64()
		}
		for i, o := range owners {
			s := math.Floor(total*weights[i]/sum*1e4) / 1e4
			if s <= 0 {
				s = 1e-4
			}
			h := Holding{Owner: o, Asset: firms[j], Share: Exact(s)}
			switch r := rng.Float64(); {
			case r < 0.04:
				h.Share = Range{s * 0.8, math.Min(1, s*1.25)}
			case r < 0.06:
				h.Share = Unknown
			}
			if rng.Float64() < 0.08 {
				h.From = DateOf(2000+rng.IntN(24), 1, 1+rng.IntN(365))
				if rng.Float64() < 0.5 {
					h.To = h.From + Date(1+rng.IntN(5*365))
				}
			}
			b.AddHolding(h)
			if rng.Float64() < 0.01 {
				h.Recorded = DateOf(2015+rng.IntN(10), 12, 31)
				b.AddHolding(h)
			}
		}
		if j >= heads && rng.Float64() < 0.01 {
			c := persons[rng.IntN(len(persons))]
			if rng.Float64() < 0.5 {
				c = state()
			}
			b.AddControl(Control{Controller: c, Controlled: firms[j], Role: "实际控制人"})
		}
		for _, role := range [...]string{"董事长", "监事"} {
			p := persons[rng.IntN(rng.IntN(len(persons))+1)]
			b.AddPosition(Position{Person: p, Org: firms[j], Role: role})
		}
	}
	g, err := b.Build()
	if err != nil {
		panic("ownership.Generate made an invalid graph: " + err.Error())
	}
	return g
}
