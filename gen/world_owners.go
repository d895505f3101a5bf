package gen

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// owner is a shareholder: a firm, a foreign firm, a person or a government body.
type owner struct {
	kind uint8 // ownFirm, ownForeign, ownPerson, ownGov
	idx  int32
}

const (
	ownFirm = iota
	ownForeign
	ownPerson
	ownGov
)

// ownership writes registry/ownership.csv.
type ownership struct {
	w       *world
	r       *rand.Rand
	c       *csvFile
	edges   int
	soe     []int32 // firm indexes so far, by kind, to draw owners from
	holding []int32
	funds   []int32
	seen    []owner // owners of the current firm
}

// writeOwnership draws the shareholders of every firm (see World) and the planted
// cross-holdings.
func (w *world) writeOwnership() error {
	c, err := w.newCSV("registry/ownership.csv", "edge_id", "owner_kind", "owner_id", "owned_id", "share",
		"owner_type", "role", "start_date")
	if err != nil {
		return err
	}
	o := &ownership{w: w, r: w.rng(5), c: c}
	n := len(w.firms)
	target := w.opts.EdgesPerFirm * float64(n)
	cycles2, cycles3 := 0, 0
	if n >= 100 {
		cycles2, cycles3 = max(1, n/10000), max(1, n/10000)
	}
	extra := 0.0 // the mean number of shareholders of a private firm beyond the first
	for i := range w.firms {
		f := &w.firms[i]
		if i == w.res.SOEFirms {
			left := target - float64(o.edges) - float64(2*cycles2+3*cycles3)
			extra = max(0, left/float64(max(1, n-i))-1)
		}
		o.seen = o.seen[:0]
		switch {
		case f.flags&fRoot != 0:
			o.root(i)
		case f.flags&fSOE != 0:
			o.member(i)
		case f.flags&fFund != 0:
			o.fund(i, extra)
		default:
			o.private(i, extra)
		}
		switch {
		case f.flags&fSOE != 0:
			o.soe = append(o.soe, int32(i))
		case f.flags&fFund != 0:
			o.funds = append(o.funds, int32(i))
		case f.flags&fHolding != 0:
			o.holding = append(o.holding, int32(i))
		}
	}
	o.crossHoldings(cycles2, cycles3)
	w.res.Ownerships = o.edges
	return c.close()
}

// edge writes one holding of share (in hundredths of a percent).
func (o *ownership) edge(who owner, owned int, share int, role string) {
	w, r := o.w, o.r
	for _, s := range o.seen {
		if s == who {
			return
		}
	}
	o.seen = append(o.seen, who)
	o.edges++
	c := o.c
	c.field("E" + pad(o.edges, 9))
	f := &w.firms[owned]
	from := f.founded
	switch who.kind {
	case ownFirm:
		c.field("firm")
		c.field(w.firmID(int(who.idx)))
		from = max(from, w.firms[who.idx].founded)
	case ownForeign:
		c.field("firm")
		c.field(foreignID(int(who.idx)))
		from = max(from, w.foreign[who.idx].founded)
	case ownPerson:
		c.field("person")
		c.field(personID(int(who.idx)))
	case ownGov:
		c.field("gov")
		c.field(govID(int(who.idx)))
	}
	c.field(w.firmID(owned))
	if share < 10000 && r.Float64() < 0.15 {
		c.field(shareBand(share))
		w.res.RangeShares++
	} else {
		c.field(shareString(share))
	}
	switch who.kind {
	case ownFirm:
		of := &w.firms[who.idx]
		switch {
		case of.flags&fSOE != 0:
			c.field("国有法人")
		case of.flags&fFund != 0:
			c.field("合伙企业")
		default:
			c.field("企业法人")
		}
	case ownForeign:
		c.field("外国(地区)企业")
	case ownPerson:
		c.field("自然人股东")
	case ownGov:
		if who.idx == govHuijin {
			c.field("国有法人")
		} else {
			c.field("机关法人")
		}
	}
	c.field(role)
	c.date(min(between(r, from, from+2*365), dayEnd))
	c.end()
}

// shareString writes hundredths of a percent: 5100 → 51%, 3333 → 33.33%.
func shareString(h int) string {
	s := strconv.Itoa(h / 100)
	if h%100 != 0 {
		s += "." + pad(h%100, 2)
		if s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
	}
	return s + "%"
}

// shareBand writes the band a share falls in, as some sources give only that.
func shareBand(h int) string {
	bands := []int{0, 500, 1000, 2500, 5000, 7500, 10000}
	for k := 1; k < len(bands); k++ {
		if h < bands[k] || k == len(bands)-1 {
			return strconv.Itoa(bands[k-1]/100) + "%-" + strconv.Itoa(bands[k]/100) + "%"
		}
	}
	return shareString(h)
}

// split divides total hundredths among n holders, the first the largest for a
// controlling holder.
func (o *ownership) split(total, n int, control bool) []int {
	out := make([]int, n)
	if n == 1 {
		out[0] = total
		return out
	}
	rest := total
	if control {
		out[0] = total * (40 + o.r.IntN(51)) / 100
		rest -= out[0]
	}
	first := 0
	if control {
		first = 1
	}
	ws := make([]float64, n)
	t := 0.0
	for k := first; k < n; k++ {
		ws[k] = 0.2 + o.r.Float64()
		t += ws[k]
	}
	given := 0
	for k := first; k < n; k++ {
		out[k] = int(float64(rest) * ws[k] / t)
		given += out[k]
	}
	out[n-1] += rest - given
	for k := range out {
		out[k] = max(out[k], 1)
	}
	return out
}

func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(lambda+math.Sqrt(lambda)*r.NormFloat64()+0.5))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// root: an SOE group's parent is held by its SASAC (or by 财政部 and 中央汇金).
func (o *ownership) root(i int) {
	g := &o.w.groups[o.w.firms[i].group]
	if g.gov2 >= 0 {
		o.edge(owner{ownGov, int32(g.gov)}, i, 7000, "股东")
		o.edge(owner{ownGov, int32(g.gov2)}, i, 3000, "股东")
		return
	}
	if g.level != levelCentral && o.r.Float64() < 0.1 {
		// Some local groups have the central Huijin or a provincial SASAC beside them.
		o.edge(owner{ownGov, int32(g.gov)}, i, 9000, "股东")
		o.edge(owner{ownGov, govHuijin}, i, 1000, "股东")
		return
	}
	o.edge(owner{ownGov, int32(g.gov)}, i, 10000, "股东")
}

// member: held by its parent, wholly, by a majority or a minority, and the rest by
// other groups, persons, funds or foreign firms.
func (o *ownership) member(i int) {
	r, f := o.r, &o.w.firms[i]
	share := 10000
	switch x := r.Float64(); {
	case x < 0.5:
	case x < 0.8:
		share = 5100 + r.IntN(4800)
	default:
		share = 2000 + r.IntN(3000)
	}
	o.edge(owner{ownFirm, f.parent}, i, share, "股东")
	if share == 10000 {
		return
	}
	n := 1 + r.IntN(2)
	for k, s := range o.split(10000-share, n, false) {
		_ = k
		o.edge(o.coOwner(i, f.group), i, s, "股东")
	}
}

// coOwner draws a minority holder of an SOE member.
func (o *ownership) coOwner(i int, grp int32) owner {
	r := o.r
	switch x := r.Float64(); {
	case x < 0.4 && len(o.soe) > 0:
		for try := 0; try < 5; try++ {
			j := o.soe[r.IntN(len(o.soe))]
			if o.w.firms[j].group != grp {
				return owner{ownFirm, j}
			}
		}
	case x < 0.6:
		return owner{ownPerson, o.w.newPerson(r)}
	case x < 0.85 && len(o.funds) > 0:
		return owner{ownFirm, o.funds[r.IntN(len(o.funds))]}
	case x >= 0.85:
		return owner{ownForeign, int32(r.IntN(len(o.w.foreign)))}
	}
	return owner{ownPerson, o.w.newPerson(r)}
}

// fund: a limited partnership with a general partner (a holding firm or a person)
// and limited partners: SOEs, government bodies, private firms, persons.
func (o *ownership) fund(i int, extra float64) {
	r := o.r
	n := 2 + poisson(r, extra)
	shares := o.split(10000-100, n-1, false)
	gp := owner{ownPerson, o.w.firms[i].rep}
	if len(o.holding) > 0 && r.Float64() < 0.7 {
		gp = owner{ownFirm, o.holding[r.IntN(len(o.holding))]}
	}
	o.edge(gp, i, 100, "普通合伙人")
	for _, s := range shares {
		var lp owner
		switch x := r.Float64(); {
		case x < 0.3 && len(o.soe) > 0:
			lp = owner{ownFirm, o.soe[r.IntN(len(o.soe))]}
		case x < 0.4:
			lp = owner{ownGov, int32(govProv0 + r.IntN(len(o.w.gov)-govProv0))}
		case x < 0.65 && len(o.holding) > 0:
			lp = owner{ownFirm, o.holding[r.IntN(len(o.holding))]}
		default:
			lp = owner{ownPerson, o.w.newPerson(r)}
		}
		o.edge(lp, i, s, "有限合伙人")
	}
}

// private: a private firm's founder (usually its legal representative), and
// other persons, funds, holding firms, SOEs and foreign firms.
func (o *ownership) private(i int, extra float64) {
	r, w := o.r, o.w
	n := 1 + poisson(r, extra)
	shares := o.split(10000, n, true)
	for k, s := range shares {
		var who owner
		x := r.Float64()
		if k == 0 {
			switch {
			case x < 0.7:
				who = owner{ownPerson, w.firms[i].rep}
			case x < 0.8:
				who = owner{ownPerson, w.newPerson(r)}
			case x < 0.9 && len(o.holding) > 0:
				who = owner{ownFirm, o.holding[r.IntN(len(o.holding))]}
			case x < 0.95:
				who = owner{ownForeign, int32(r.IntN(len(w.foreign)))}
			case len(o.soe) > 0:
				who = owner{ownFirm, o.soe[r.IntN(len(o.soe))]}
			default:
				who = owner{ownPerson, w.firms[i].rep}
			}
		} else {
			switch {
			case x < 0.45:
				who = owner{ownPerson, w.newPerson(r)}
			case x < 0.55 && len(w.persons) > 0:
				who = owner{ownPerson, int32(r.IntN(len(w.persons)))}
			case x < 0.75 && len(o.funds) > 0:
				who = owner{ownFirm, o.funds[r.IntN(len(o.funds))]}
			case x < 0.85 && len(o.holding) > 0:
				who = owner{ownFirm, o.holding[r.IntN(len(o.holding))]}
			case x < 0.9 && len(o.soe) > 0:
				who = owner{ownFirm, o.soe[r.IntN(len(o.soe))]}
			case x < 0.95:
				who = owner{ownForeign, int32(r.IntN(len(w.foreign)))}
			case i > w.res.SOEFirms:
				who = owner{ownFirm, int32(w.res.SOEFirms + r.IntN(i-w.res.SOEFirms))}
			default:
				who = owner{ownPerson, w.newPerson(r)}
			}
		}
		o.edge(who, i, s, "股东")
	}
}

// crossHoldings plants the only cycles of the graph: pairs of SOEs of different
// groups holding 1-5% of each other, and triangles of private firms holding 2-10%
// of the next, each firm in one cycle at most.
func (o *ownership) crossHoldings(pairs, triangles int) {
	r, w := o.r, o.w
	used := map[int]bool{}
	pickFrom := func(lo, hi int) int {
		for {
			j := lo + r.IntN(hi-lo)
			if !used[j] {
				used[j] = true
				return j
			}
		}
	}
	nSOE := w.res.SOEFirms
	if len(w.groups) < 2 || nSOE < 4*pairs || len(w.firms)-nSOE < 6*triangles {
		return
	}
	for k := 0; k < pairs; k++ {
		a := pickFrom(0, nSOE)
		b := pickFrom(0, nSOE)
		for w.firms[a].group == w.firms[b].group {
			delete(used, b)
			b = pickFrom(0, nSOE)
		}
		o.seen = o.seen[:0]
		o.edge(owner{ownFirm, int32(a)}, b, 100+r.IntN(401), "股东")
		o.seen = o.seen[:0]
		o.edge(owner{ownFirm, int32(b)}, a, 100+r.IntN(401), "股东")
		w.res.Cycles++
	}
	for k := 0; k < triangles; k++ {
		x := [3]int{pickFrom(nSOE, len(w.firms)), pickFrom(nSOE, len(w.firms)), pickFrom(nSOE, len(w.firms))}
		for m := 0; m < 3; m++ {
			o.seen = o.seen[:0]
			o.edge(owner{ownFirm, int32(x[m])}, x[(m+1)%3], 200+r.IntN(801), "股东")
		}
		w.res.Cycles++
	}
}
